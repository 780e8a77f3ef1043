/// TLS settings. Verification is on unless switched off explicitly (only ever for tests).
public struct TLSConfiguration: Sendable, Hashable {
    /// PEM material given as a file or as bytes in memory (a Kubernetes Secret, a kubeconfig's
    /// `certificate-authority-data`), so secrets need not touch the disk.
    public enum PEM: Sendable, Hashable, CustomStringConvertible {
        case file(String)
        case bytes([UInt8])

        /// Never the bytes: a key must not reach a log through a description.
        public var description: String {
            switch self {
            case .file(let path): "file \(path)"
            case .bytes(let bytes): "\(bytes.count) bytes of PEM"
            }
        }
    }

    public var verifyPeer: Bool
    /// Trust these CAs instead of the system's bundle.
    public var certificateAuthorities: PEM?
    /// A client certificate and its private key (mutual TLS).
    public var clientCertificate: PEM?
    public var clientKey: PEM?

    public init(verifyPeer: Bool = true, certificateAuthorities: PEM? = nil, clientCertificate: PEM? = nil,
                clientKey: PEM? = nil) {
        self.verifyPeer = verifyPeer
        self.certificateAuthorities = certificateAuthorities
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }
}
