/// The one ELBv2 call Lifeboat makes: a load balancer's DNS name and hosted zone, for Route 53
/// alias records (query protocol).
public struct ElasticLoadBalancingV2: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct LoadBalancer: Sendable, Hashable {
        public var name: String
        public var dnsName: String
        public var canonicalHostedZoneID: String
    }

    /// nil when no load balancer has that name in this region.
    public func loadBalancer(named name: String) async throws -> LoadBalancer? {
        var parameters = QueryParameters()
        parameters.list("Names", [name])
        do {
            let result = try await client.query(.elasticLoadBalancingV2, "DescribeLoadBalancers", parameters).queryResult()
            return result["LoadBalancers"]?.members.first.flatMap { item in
                guard let dns = item.string("DNSName"), let zone = item.string("CanonicalHostedZoneId") else { return nil }
                return LoadBalancer(name: item.string("LoadBalancerName") ?? name, dnsName: dns, canonicalHostedZoneID: zone)
            }
        } catch let error as AWSError where error.code == "LoadBalancerNotFound" {
            return nil
        }
    }
}
