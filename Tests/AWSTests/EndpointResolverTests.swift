import Testing
@testable import AWS

@Suite struct EndpointResolverTests {
    let resolver = EndpointResolver(environment: AWSEnvironment([:]))

    @Test func regionalEndpointsForEveryService() throws {
        let expected: [(AWSService, String)] = [
            (.drs, "drs.us-west-2.amazonaws.com"), (.rds, "rds.us-west-2.amazonaws.com"), (.ecs, "ecs.us-west-2.amazonaws.com"),
            (.applicationAutoScaling, "application-autoscaling.us-west-2.amazonaws.com"),
            (.autoScaling, "autoscaling.us-west-2.amazonaws.com"), (.eventBridge, "events.us-west-2.amazonaws.com"),
            (.lambda, "lambda.us-west-2.amazonaws.com"), (.elastiCache, "elasticache.us-west-2.amazonaws.com"),
            (.memoryDB, "memory-db.us-west-2.amazonaws.com"), (.openSearch, "es.us-west-2.amazonaws.com"),
            (.ec2, "ec2.us-west-2.amazonaws.com"), (.elasticLoadBalancingV2, "elasticloadbalancing.us-west-2.amazonaws.com"),
            (.sts, "sts.us-west-2.amazonaws.com"), (.ssm, "ssm.us-west-2.amazonaws.com"),
            (.cloudFormation, "cloudformation.us-west-2.amazonaws.com"),
        ]
        for (service, host) in expected {
            let endpoint = try resolver.endpoint(for: service, region: "us-west-2")
            #expect(endpoint.scheme == "https" && endpoint.authority == host && endpoint.signingRegion == "us-west-2", "\(service)")
        }
        #expect(AWSService.memoryDB.signingName == "memorydb")
        #expect(try resolver.endpoint(for: .ssm, region: "cn-north-1").authority == "ssm.cn-north-1.amazonaws.com.cn")
    }

    @Test func route53IsGlobalAndSignsForUSEast1() throws {
        let endpoint = try resolver.endpoint(for: .route53, region: "eu-central-1")
        #expect(endpoint.authority == "route53.amazonaws.com" && endpoint.signingRegion == "us-east-1")
        let china = try resolver.endpoint(for: .route53, region: "cn-north-1")
        #expect(china.authority == "route53.amazonaws.com.cn" && china.signingRegion == "cn-northwest-1")
    }

    @Test func environmentOverrides() throws {
        let env = AWSEnvironment(["AWS_ENDPOINT_URL": "http://127.0.0.1:5000/", "AWS_ENDPOINT_URL_SSM": "https://ssm.local:8443/base",
                                  "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING": "http://aas:1", "AWS_ENDPOINT_URL_ROUTE_53": "http://r53:2"])
        let resolver = EndpointResolver(environment: env)
        let ssm = try resolver.endpoint(for: .ssm, region: "us-west-2")
        #expect(ssm.scheme == "https" && ssm.authority == "ssm.local:8443" && ssm.basePath == "/base" && ssm.signingRegion == "us-west-2")
        #expect(try resolver.endpoint(for: .ecs, region: "us-west-2").description == "http://127.0.0.1:5000")
        #expect(try resolver.endpoint(for: .applicationAutoScaling, region: "us-west-2").authority == "aas:1")
        let route53 = try resolver.endpoint(for: .route53, region: "us-west-2")
        #expect(route53.authority == "r53:2" && route53.signingRegion == "us-east-1")
        var ignored = env
        ignored.variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
        #expect(try EndpointResolver(environment: ignored).endpoint(for: .ssm, region: "us-west-2").authority == "ssm.us-west-2.amazonaws.com")
    }

    @Test func serviceIDsBecomeEnvironmentNames() {
        #expect(AWSService.applicationAutoScaling.endpointEnvironmentVariable == "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING")
        #expect(AWSService.elasticLoadBalancingV2.endpointEnvironmentVariable == "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2")
        #expect(AWSService.route53.endpointEnvironmentVariable == "AWS_ENDPOINT_URL_ROUTE_53")
        #expect(AWSService.elasticsearch.endpointEnvironmentVariable == "AWS_ENDPOINT_URL_ELASTICSEARCH_SERVICE")
        #expect(AWSService.drs.endpointEnvironmentVariable == "AWS_ENDPOINT_URL_DRS")
        #expect(AWSService.eventBridge.endpointEnvironmentVariable == "AWS_ENDPOINT_URL_EVENTBRIDGE")
    }

    @Test func badInputIsAClearError() {
        let region = #expect(throws: AWSError.self) { try resolver.endpoint(for: .ssm, region: "us-west-2.evil.com/") }
        #expect(region?.code == "InvalidRegion")
        let badURL = #expect(throws: AWSError.self) {
            try EndpointResolver(environment: AWSEnvironment(["AWS_ENDPOINT_URL_SSM": "localhost:4566"])).endpoint(for: .ssm, region: "us-east-1")
        }
        #expect(badURL?.message.contains("AWS_ENDPOINT_URL_SSM") == true)
        #expect(AWSEndpoint(url: "https://h:443", signingRegion: "x")?.hostHeader == "h")
    }
}
