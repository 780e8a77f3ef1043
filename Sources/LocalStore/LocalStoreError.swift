#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the state directory: a file that cannot be read or written, a lock held by
/// someone else, a state file that does not decode. The message names the file and says why.
public struct LocalStoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Another `drctl run` drives this state directory (its pid, when known).
        case locked(holder: Int32?)
        /// A file exists but does not hold what it should.
        case corrupt
        /// A system call failed.
        case io
        /// Something the state directory's rules refuse (a contradiction, a missing execution).
        case refused
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// A state file that exists but cannot be read as what it should hold (a crash of the disk,
    /// a hand edit gone wrong). Says which file, and how to get going again: nothing reads a
    /// damaged file back into shape, so a person decides between a backup and losing what it held.
    public static func damaged(_ file: String, _ detail: String) -> LocalStoreError {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        let consequence = switch name {
        case "execution.yaml": "the run it held is then forgotten: check in AWS what it had started before running the phase again"
        case "plan-state.json": "the plan's history is then forgotten, so a Recovery Cleanup or Replicate needs --override-guards"
        case "plan.yaml": "then give the plan again with -f"
        case "plan-identity.json": "it is written again from the plan given with -f"
        case "simulation.json": "the rehearsal's simulated operations are then forgotten"
        default: "drctl run starts without it"
        }
        return LocalStoreError(.corrupt, "\(file) is damaged (\(detail)): restore it from a backup, or move it aside "
                                   + "(mv \(file) \(file).damaged); \(consequence)")
    }

    /// `what: strerror(errno)`, captured right after a failed call.
    static func system(_ what: String, errno code: Int32 = errno) -> LocalStoreError {
        LocalStoreError(.io, "\(what): \(String(cString: strerror(code)))")
    }

    public var description: String { message }
}
