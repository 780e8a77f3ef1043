#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes: results to standard output, diagnostics to standard error, so
/// `drctl convert … > plan.yaml` captures only the plan. Plain POSIX writes: no buffering to
/// lose on exit and no global C streams (which Swift 6 rightly treats as shared mutable state).
struct Console: Sendable {
    /// How the user invoked us (`drctl`, or `kubectl dr` as a kubectl plugin): every command a
    /// message tells them to run starts with this, so it works when followed.
    var program = "drctl"

    func out(_ text: String) { Self.writeAll(1, text.hasSuffix("\n") ? text : text + "\n") }
    func err(_ text: String) { Self.writeAll(2, text.hasSuffix("\n") ? text : text + "\n") }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe (drctl … | head) is not worth dying for
            }
            offset += written
        }
    }

    static func readStandardInput() -> [UInt8] {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            data.append(contentsOf: chunk[0..<count])
        }
        return data
    }
}
