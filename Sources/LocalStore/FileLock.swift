#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive flock(2) on a lock file, released by `unlock()`, by deinit, or by the kernel
/// when the process dies (even by SIGKILL) — so a crashed run never leaves a stale lock.
///
/// Locks live on separate `*.lock` files, never on the data files: those are replaced by
/// rename on every write, and a lock on a replaced inode would protect nothing.
public final class FileLock {
    public let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { unlock() }

    /// Takes the lock or fails at once. The holder's pid (and `note`, on the next line) is
    /// written into the file, so the refusal can say who holds it. A lock `sharedByUsers` lives
    /// in a directory every user writes to: its file is readable and writable by all, so any
    /// user's process can take it after another user's.
    public static func acquire(_ path: String, purpose: String, note: String? = nil,
                               sharedByUsers: Bool = false) throws(LocalStoreError) -> FileLock {
        let fd = try openLockFile(path, sharedByUsers: sharedByUsers)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            guard code == EWOULDBLOCK else { throw .system("cannot lock \(path)", errno: code) }
            let holder = holderPID(path)
            throw LocalStoreError(.locked(holder: holder),
                                  "\(purpose) is in use by another process\(holder.map { " (pid \($0))" } ?? "") holding \(path)")
        }
        let pid = Array("\(getpid())\n\(note.map { $0 + "\n" } ?? "")".utf8)
        if ftruncate(fd, 0) == 0 { _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
        return FileLock(path: path, fd: fd)
    }

    /// Waits for the lock (for short critical sections: read-modify-write of one file).
    public static func wait(_ path: String) throws(LocalStoreError) -> FileLock {
        let fd = try openLockFile(path)
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let failure = LocalStoreError.system("cannot lock \(path)")
            close(fd)
            throw failure
        }
        return FileLock(path: path, fd: fd)
    }

    /// Runs `body` while holding the lock at `path`.
    public static func withLock<T>(_ path: String, _ body: () throws(LocalStoreError) -> T) throws(LocalStoreError) -> T {
        let lock = try wait(path)
        defer { lock.unlock() }
        return try body()
    }

    /// Whether some process holds the lock now (probes with a non-blocking lock).
    public static func isHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(fd, LOCK_UN)
        return false
    }

    /// The pid the last holder wrote (the first line), if it is a number.
    public static func holderPID(_ path: String) -> Int32? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        let first = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        return Int32(first.filter { !$0.isWhitespace })
    }

    /// The note the last holder wrote after its pid, if any.
    public static func holderNote(_ path: String) -> String? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        return lines.count > 1 ? String(lines[1]) : nil
    }

    public func unlock() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    private static func openLockFile(_ path: String, sharedByUsers: Bool = false) throws(LocalStoreError) -> Int32 {
        // O_NOFOLLOW: in a directory every user writes to, a planted symlink must not redirect us.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | (sharedByUsers ? O_NOFOLLOW : 0), sharedByUsers ? 0o666 : 0o644)
        guard fd >= 0 else { throw .system("cannot open lock file \(path)") }
        if sharedByUsers { _ = fchmod(fd, 0o666) }  // the umask would keep other users out; fails harmlessly on another's file
        return fd
    }
}
