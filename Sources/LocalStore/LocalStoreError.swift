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

    /// `what: strerror(errno)`, captured right after a failed call.
    static func system(_ what: String, errno code: Int32 = errno) -> LocalStoreError {
        LocalStoreError(.io, "\(what): \(String(cString: strerror(code)))")
    }

    public var description: String { message }
}
