/// What Lifeboat needs to know about one AWS service to call it: its endpoint prefix, signing
/// name, wire protocol, and the id used in `AWS_ENDPOINT_URL_<SERVICE>`.
public struct AWSService: Sendable, Hashable, CustomStringConvertible {
    /// The hostname label: `ssm` in ssm.us-east-1.amazonaws.com.
    public var endpointPrefix: String
    /// The service in the SigV4 credential scope.
    public var signingName: String
    public var wireProtocol: AWSWireProtocol
    /// The SDK service id (`Application Auto Scaling`), upper-snake-cased for the environment override.
    public var serviceID: String
    /// A global service has one endpoint and signs for one region (Route 53, IAM).
    public var globalEndpoint: GlobalEndpoint?

    public struct GlobalEndpoint: Sendable, Hashable {
        public var host: String
        public var signingRegion: String
        public var chinaHost: String?
    }

    public init(endpointPrefix: String, signingName: String? = nil, wireProtocol: AWSWireProtocol, serviceID: String,
                globalEndpoint: GlobalEndpoint? = nil) {
        self.endpointPrefix = endpointPrefix
        self.signingName = signingName ?? endpointPrefix
        self.wireProtocol = wireProtocol
        self.serviceID = serviceID
        self.globalEndpoint = globalEndpoint
    }

    public var description: String { signingName }

    /// `AWS_ENDPOINT_URL_` + the service id in upper snake case, as the SDKs define it.
    public var endpointEnvironmentVariable: String {
        "AWS_ENDPOINT_URL_" + serviceID.uppercased().map { $0 == " " || $0 == "-" ? "_" : $0 }.map(String.init).joined()
    }
}

extension AWSService {
    // The services of the 13 modules, plus what Lifeboat itself calls (STS, SSM, CloudFormation, IAM).
    public static let sts = AWSService(endpointPrefix: "sts", wireProtocol: .query(version: "2011-06-15"), serviceID: "STS")
    public static let iam = AWSService(endpointPrefix: "iam", wireProtocol: .query(version: "2010-05-08"), serviceID: "IAM",
        globalEndpoint: GlobalEndpoint(host: "iam.amazonaws.com", signingRegion: "us-east-1", chinaHost: "iam.cn-north-1.amazonaws.com.cn"))
    public static let ssm = AWSService(endpointPrefix: "ssm", wireProtocol: .json(version: "1.1", targetPrefix: "AmazonSSM"), serviceID: "SSM")
    public static let cloudFormation = AWSService(endpointPrefix: "cloudformation", wireProtocol: .query(version: "2010-05-15"),
                                                  serviceID: "CloudFormation")
    public static let drs = AWSService(endpointPrefix: "drs", wireProtocol: .restJSON, serviceID: "drs")
    public static let rds = AWSService(endpointPrefix: "rds", wireProtocol: .query(version: "2014-10-31"), serviceID: "RDS")
    public static let ecs = AWSService(endpointPrefix: "ecs",
        wireProtocol: .json(version: "1.1", targetPrefix: "AmazonEC2ContainerServiceV20141113"), serviceID: "ECS")
    public static let applicationAutoScaling = AWSService(endpointPrefix: "application-autoscaling",
        wireProtocol: .json(version: "1.1", targetPrefix: "AnyScaleFrontendService"), serviceID: "Application Auto Scaling")
    public static let autoScaling = AWSService(endpointPrefix: "autoscaling", wireProtocol: .query(version: "2011-01-01"),
                                               serviceID: "Auto Scaling")
    public static let route53 = AWSService(endpointPrefix: "route53", wireProtocol: .restXML, serviceID: "Route 53",
        globalEndpoint: GlobalEndpoint(host: "route53.amazonaws.com", signingRegion: "us-east-1", chinaHost: "route53.amazonaws.com.cn"))
    public static let eventBridge = AWSService(endpointPrefix: "events", wireProtocol: .json(version: "1.1", targetPrefix: "AWSEvents"),
                                               serviceID: "EventBridge")
    public static let lambda = AWSService(endpointPrefix: "lambda", wireProtocol: .restJSON, serviceID: "Lambda")
    public static let elastiCache = AWSService(endpointPrefix: "elasticache", wireProtocol: .query(version: "2015-02-02"),
                                               serviceID: "ElastiCache")
    public static let memoryDB = AWSService(endpointPrefix: "memory-db", signingName: "memorydb",
        wireProtocol: .json(version: "1.1", targetPrefix: "AmazonMemoryDB"), serviceID: "MemoryDB")
    public static let openSearch = AWSService(endpointPrefix: "es", wireProtocol: .restJSON, serviceID: "OpenSearch")
    public static let elasticsearch = AWSService(endpointPrefix: "es", wireProtocol: .restJSON, serviceID: "Elasticsearch Service")
    public static let ec2 = AWSService(endpointPrefix: "ec2", wireProtocol: .ec2(version: "2016-11-15"), serviceID: "EC2")
    public static let elasticLoadBalancingV2 = AWSService(endpointPrefix: "elasticloadbalancing",
        wireProtocol: .query(version: "2015-12-01"), serviceID: "Elastic Load Balancing v2")

    public static let all: [AWSService] = [
        .sts, .iam, .ssm, .cloudFormation, .drs, .rds, .ecs, .applicationAutoScaling, .autoScaling, .route53, .eventBridge,
        .lambda, .elastiCache, .memoryDB, .openSearch, .elasticsearch, .ec2, .elasticLoadBalancingV2,
    ]
}
