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

    /// Takes the lock or fails at once. The holder's pid is written into the file, so the
    /// refusal can say who holds it.
    public static func acquire(_ path: String, purpose: String) throws(LocalStoreError) -> FileLock {
        let fd = try openLockFile(path)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            guard code == EWOULDBLOCK else { throw .system("cannot lock \(path)", errno: code) }
            let holder = holderPID(path)
            throw LocalStoreError(.locked(holder: holder),
                                  "\(purpose) is in use by another process\(holder.map { " (pid \($0))" } ?? "") holding \(path)")
        }
        let pid = Array("\(getpid())\n".utf8)
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

    /// The pid the last holder wrote, if it is a number.
    public static func holderPID(_ path: String) -> Int32? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        return Int32(String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace })
    }

    public func unlock() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    private static func openLockFile(_ path: String) throws(LocalStoreError) -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system("cannot open lock file \(path)") }
        return fd
    }
}
