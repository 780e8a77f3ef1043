#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One real run of a plan at a time on this machine, whatever state directory each uses: two
/// directories driving the same plan would each start its operations in AWS (only AWS stopped
/// the second one, by luck of the module). The lock is an flock on a file named after the
/// plan's namespace and name in a directory shared by every user of the machine, so the kernel
/// releases it when the run dies, however it dies.
///
/// It cannot see other machines, nor the in-cluster operator: docs/break-glass.md says so.
/// Rehearsals (`--simulate`) make no AWS call and take no plan lock.
public enum PlanLock {
    /// `$LIFEBOAT_LOCK_DIR`, else `/tmp/lifeboat-locks` (every user's runs meet there).
    public static func directory(configured: String?) -> String {
        if let configured, !configured.isEmpty { return configured }
        return "/tmp/lifeboat-locks"
    }

    /// The lock file of a plan. Namespaces and names are DNS names, safe in a file name; anything
    /// else (a hand-written manifest) is reduced to a hash so it cannot escape the directory.
    public static func path(for identity: PlanIdentity, in directory: String) -> String {
        let key = "\(identity.namespace)_\(identity.name)"
        let safe = key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) } && !key.hasPrefix(".")
        return "\(directory)/plan-\(safe ? key : fnv1a(identity.qualifiedName)).lock"
    }

    /// Takes the plan's lock or fails at once, naming the run that holds it and its state directory.
    public static func acquire(_ identity: PlanIdentity, stateDirectory: String, in directory: String) throws(LocalStoreError) -> FileLock {
        if mkdir(directory, 0o1777) == 0 {
            _ = chmod(directory, 0o1777)  // sticky and open to all, as /tmp itself: the umask narrowed it
        } else if errno != EEXIST {
            throw .system("cannot create the lock directory \(directory) (set LIFEBOAT_LOCK_DIR to a writable one)")
        }
        let path = path(for: identity, in: directory)
        do {
            return try FileLock.acquire(path, purpose: "plan \(identity.qualifiedName)", note: stateDirectory, sharedByUsers: true)
        } catch where error.kind != .io {
            let pid = FileLock.holderPID(path).map { " by pid \($0)" } ?? ""
            let from = FileLock.holderNote(path).map { " from state directory \($0)" } ?? ""
            throw LocalStoreError(error.kind, "plan \(identity.qualifiedName) is being run on this machine\(pid)\(from) (lock \(path)); "
                                  + "one run of a plan at a time: follow that run, or cancel it, before starting another")
        }
    }

    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}
