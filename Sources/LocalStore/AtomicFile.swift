#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Whole-file reads and crash-safe whole-file writes.
///
/// A write never leaves a half-written file behind: the bytes go to a temporary file in the
/// same directory, which is fsynced, renamed over the target (atomic on POSIX file systems) and
/// then the directory is fsynced so the rename itself survives a power cut. A reader sees the
/// old contents or the new, never a mix. A process killed mid-write leaves only a temporary file
/// (`.NAME.tmp-PID-N`), which `removeStaleTemporaries` clears later.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws(LocalStoreError) {
        try write(Array(text.utf8), to: path)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(LocalStoreError) {
        let (directory, name) = split(path)
        let temporary = "\(directory)/.\(name).tmp-\(getpid())-\(nextSequence())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system("cannot create \(temporary)") }
        do throws(LocalStoreError) {
            try writeAll(fd, bytes, path: temporary)
            guard fsync(fd) == 0 else { throw .system("cannot fsync \(temporary)") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let failure = LocalStoreError.system("cannot rename \(temporary) to \(path)")
            unlink(temporary)
            throw failure
        }
        try syncDirectory(directory)
    }

    /// Appends lines to a log-like file (created if needed). A crash mid-append leaves a partial
    /// last line: the next append starts on a new line, so the partial one stays the only
    /// unreadable line instead of swallowing the next. `sync` makes the lines survive a power
    /// cut (fsync); without it they survive the process being killed (the kernel has them).
    public static func append(_ text: String, to path: String, sync: Bool) throws(LocalStoreError) {
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system("cannot open \(path)") }
        defer { close(fd) }
        let text = endsMidLine(fd) ? "\n" + text : text
        try writeAll(fd, Array(text.utf8), path: path)
        if sync, fsync(fd) != 0 { throw .system("cannot fsync \(path)") }
    }

    private static func endsMidLine(_ fd: Int32) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return false }
        var last: UInt8 = 0
        return pread(fd, &last, 1, info.st_size - 1) == 1 && last != UInt8(ascii: "\n")
    }

    /// The file's bytes, or nil when it does not exist.
    public static func read(_ path: String) throws(LocalStoreError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .system("cannot open \(path)")
        }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system("cannot read \(path)")
            }
            guard count > 0 else { break }
            data.append(contentsOf: chunk[0..<count])
        }
        return data
    }

    /// The file as UTF-8 text, or nil when it does not exist.
    public static func readText(_ path: String) throws(LocalStoreError) -> String? {
        guard let bytes = try read(path) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LocalStoreError.damaged(path, "not UTF-8 text")
        }
        return text
    }

    /// Deletes temporary files left by writers that died mid-write (their pid is gone).
    public static func removeStaleTemporaries(in directory: String) {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard name.hasPrefix("."), let last = parts.last, last.hasPrefix("tmp-") else { continue }
            let pid = last.dropFirst(4).split(separator: "-").first.flatMap { Int32($0) }
            if let pid, pid != getpid(), kill(pid, 0) == 0 || errno == EPERM { continue }  // its writer is alive
            unlink("\(directory)/\(name)")
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(LocalStoreError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .system("cannot write \(path)")
            }
            offset += written
        }
    }

    static func syncDirectory(_ directory: String) throws(LocalStoreError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("cannot open directory \(directory)") }
        defer { close(fd) }
        // Some file systems refuse fsync on a directory (EINVAL); the rename is as durable as they allow.
        if fsync(fd) != 0, errno != EINVAL { throw .system("cannot fsync directory \(directory)") }
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    private static func nextSequence() -> Int { temporarySequence.add(1, ordering: .relaxed).newValue }
}

/// Distinguishes temporary files of concurrent writers within one process.
private let temporarySequence = Atomic<Int>(0)
