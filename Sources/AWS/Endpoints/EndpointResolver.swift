/// Picks the endpoint of a service in a region, the way the SDKs do:
/// 1. `AWS_ENDPOINT_URL_<SERVICE>` (service id in upper snake case: `AWS_ENDPOINT_URL_SSM`,
///    `AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING`, `AWS_ENDPOINT_URL_ROUTE_53`);
/// 2. `AWS_ENDPOINT_URL`;
/// 3. the public endpoint: `https://<prefix>.<region>.amazonaws.com` (`.amazonaws.com.cn` in
///    China), or the service's global endpoint (Route 53, IAM), signed for its home region.
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` switches the overrides off.
public struct EndpointResolver: Sendable, Hashable {
    public var environment: AWSEnvironment

    public init(environment: AWSEnvironment = .process) { self.environment = environment }

    public func endpoint(for service: AWSService, region: String) throws(AWSError) -> AWSEndpoint {
        guard Self.isValidRegion(region) else {
            throw AWSError(kind: .invalidRequest, service: service.signingName, operation: "-", code: "InvalidRegion",
                           message: "region \"\(region)\" is not an AWS region name",
                           hint: "set AWS_REGION (or the plan's regions) to a name such as us-east-1")
        }
        let china = region.hasPrefix("cn-")
        let signingRegion = service.globalEndpoint.map { china ? "cn-northwest-1" : $0.signingRegion } ?? region
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" {
            for variable in [service.endpointEnvironmentVariable, "AWS_ENDPOINT_URL"] {
                guard let url = environment[variable] else { continue }
                // With one emulator standing in for every region, the scope still names the
                // caller's region, so regional backends stay apart (moto keys on it).
                guard let endpoint = AWSEndpoint(url: url, signingRegion: service.globalEndpoint == nil ? region : signingRegion) else {
                    throw AWSError(kind: .invalidRequest, service: service.signingName, operation: "-", code: "InvalidEndpoint",
                                   message: "\(variable)=\"\(url)\" is not an http:// or https:// URL",
                                   hint: "write \(variable)=https://host[:port]")
                }
                return endpoint
            }
        }
        let host: String
        if let global = service.globalEndpoint {
            host = china ? (global.chinaHost ?? global.host) : global.host
        } else {
            host = "\(service.endpointPrefix).\(region).amazonaws.com" + (china ? ".cn" : "")
        }
        return AWSEndpoint(url: "https://" + host, signingRegion: signingRegion)!
    }

    static func isValidRegion(_ region: String) -> Bool {
        !region.isEmpty && region.count <= 32 && region.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" }
            && !region.hasPrefix("-") && !region.hasSuffix("-")
    }
}
