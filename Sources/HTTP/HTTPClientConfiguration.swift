#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Settings shared by every request of one HTTPClient.
public struct HTTPClientConfiguration: Sendable, Hashable {
    public var tls: TLSConfiguration
    public var proxy: ProxySettings
    public var timeouts: HTTPTimeouts
    /// A buffered response larger than this fails instead of exhausting memory.
    public var maxResponseBytes: Int
    public var userAgent: String

    public init(tls: TLSConfiguration = TLSConfiguration(),
                proxy: ProxySettings = .environment(ProcessInfo.processInfo.environment),
                timeouts: HTTPTimeouts = HTTPTimeouts(), maxResponseBytes: Int = 64 << 20,
                userAgent: String = "lifeboat") {
        self.tls = tls
        self.proxy = proxy
        self.timeouts = timeouts
        self.maxResponseBytes = maxResponseBytes
        self.userAgent = userAgent
    }
}
