#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The line formats: JSON (one object per line, for machines) and text (for people).
public enum LogFormat: String, Sendable, CaseIterable {
    case json, text

    /// Field names whose values are never written (case-insensitive substring match).
    static let secretMarkers = ["secret", "password", "token", "credential", "authorization", "externalid", "sessionkey", "accesskey"]

    static func isSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        return secretMarkers.contains { lower.contains($0) }
    }

    public func render(_ record: LogRecord, time: String) -> String {
        let fields = record.fields.map { key, value in (key, Self.isSecret(key) ? .string("[redacted]") : value) }
        switch self {
        case .json:
            var out = "{\"time\":\(Self.quote(time)),\"level\":\(Self.quote(record.level.description)),\"msg\":\(Self.quote(record.message))"
            for (key, value) in fields {
                out += ",\(Self.quote(key)):"
                switch value {
                case .string(let s): out += Self.quote(s)
                case .int(let i): out += String(i)
                case .double(let d): out += d.isFinite ? String(d) : "null"
                case .bool(let b): out += b ? "true" : "false"
                }
            }
            return out + "}"
        case .text:
            var out = "\(time) \(record.level.description.uppercased().padding(7)) \(record.message)"
            for (key, value) in fields {
                let text = value.description
                out += " \(key)=" + (text.contains(" ") || text.isEmpty ? Self.quote(text) : text)
            }
            return out
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

/// Writes each record as one line to a file descriptor (standard error by default), whole
/// lines at a time so concurrent writers never interleave within a line.
public struct FileDescriptorSink: LogSink {
    public let descriptor: Int32
    public let format: LogFormat
    public let clock: @Sendable () -> String

    public init(descriptor: Int32 = 2, format: LogFormat = .json, clock: @escaping @Sendable () -> String = FileDescriptorSink.utcNow) {
        self.descriptor = descriptor
        self.format = format
        self.clock = clock
    }

    public func write(_ record: LogRecord) {
        let line = Array((format.render(record, time: clock()) + "\n").utf8)
        line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }

    /// RFC 3339 with milliseconds, UTC.
    public static let utcNow: @Sendable () -> String = {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }
}
