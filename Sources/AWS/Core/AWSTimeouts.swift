import HTTP
import TimeFormats

/// How long an AWS call may wait, sized for a DR tool: during an incident a dead or black-holed
/// endpoint must be reported in seconds, not after the minutes a general client would wait.
/// A healthy AWS endpoint connects in milliseconds and answers every call Lifeboat makes (no
/// streaming, no large downloads) well within the request timeout.
public enum AWSTimeouts {
    public static let connect: Duration = .seconds(5)
    public static let request: Duration = .seconds(30)
    public static let standard = HTTPTimeouts(connect: connect, total: request)

    /// `300ms`, `5s`, `1m30s`: the forms people write in the environment and read in messages.
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return "\(GoDuration(milliseconds: milliseconds))"
    }
}

extension AWSEnvironment {
    /// `LIFEBOAT_AWS_CONNECT_TIMEOUT` and `LIFEBOAT_AWS_REQUEST_TIMEOUT` (Go durations: `5s`,
    /// `300ms`) over the defaults; a value that does not parse, or is not positive, is ignored.
    public var httpTimeouts: HTTPTimeouts {
        func duration(_ name: String) -> Duration? {
            guard let text = self[name], let parsed = try? GoDuration(parsing: text), parsed.milliseconds > 0 else { return nil }
            return parsed.duration
        }
        return HTTPTimeouts(connect: duration("LIFEBOAT_AWS_CONNECT_TIMEOUT") ?? AWSTimeouts.connect,
                            total: duration("LIFEBOAT_AWS_REQUEST_TIMEOUT") ?? AWSTimeouts.request)
    }

    /// The HTTP client for AWS calls with these timeouts.
    public var httpClient: HTTPClient { HTTPClient(configuration: HTTPClientConfiguration(timeouts: httpTimeouts)) }

    /// The standard retry mode with `AWS_MAX_ATTEMPTS` (as the SDKs read it) when set.
    public var retry: RetryConfiguration {
        RetryConfiguration(maxAttempts: self["AWS_MAX_ATTEMPTS"].flatMap { Int($0) } ?? 3)
    }
}
