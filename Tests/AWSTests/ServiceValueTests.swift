@testable import AWS
import Testing
import YAML

/// The pure parts of the modules' AWS calls: request flattening as botocore serialises it, and
/// the comparisons that make a restarted run change nothing twice.
@Suite struct ServiceValueTests {
    @Test func queryListsAndEC2FiltersAreFlattenedAsBotocoreDoes() {
        var query = QueryParameters()
        query.list("AutoScalingGroupNames", ["a", "b"])
        query.list("Values", ["x"], member: "Value")
        query.add("MaxSize", Optional<Int>.none)
        query.add("MinSize", 2)
        query.add("Force", true)
        #expect(query.pairs.map { "\($0.0)=\($0.1)" } == [
            "AutoScalingGroupNames.member.1=a", "AutoScalingGroupNames.member.2=b", "Values.Value.1=x", "MinSize=2", "Force=true",
        ])
        var ec2 = QueryParameters()
        ec2.ec2List("InstanceId", ["i-1", "i-2"])
        ec2.ec2Filters([(name: "tag:Orchestrator:HostName", values: ["web-1", "web-2"])])
        #expect(ec2.pairs.map { "\($0.0)=\($0.1)" } == [
            "InstanceId.1=i-1", "InstanceId.2=i-2", "Filter.1.Name=tag:Orchestrator:HostName", "Filter.1.Value.1=web-1",
            "Filter.1.Value.2=web-2",
        ])
    }

    @Test func aRecordMatchesWhatRoute53ReturnsForTheSameRecord() {
        let desired = Route53.RecordSet(name: "api.example.com.", type: "CNAME", ttl: 60, values: ["west.example.com"])
        #expect(Route53.RecordSet(name: "API.example.com", type: "CNAME", ttl: 60, values: ["west.example.com"]).matches(desired))
        #expect(!Route53.RecordSet(name: "api.example.com.", type: "CNAME", ttl: 300, values: ["west.example.com"]).matches(desired))
        #expect(!Route53.RecordSet(name: "api.example.com.", type: "CNAME", ttl: 60, values: ["east.example.com"]).matches(desired))
        #expect(!Route53.RecordSet(name: "api.example.com.", type: "CNAME", setIdentifier: "blue", ttl: 60, values: ["west.example.com"]).matches(desired))

        let alias = Route53.AliasTarget(hostedZoneID: "Z35SXDOTRQ7X7K", dnsName: "west-1.us-west-2.elb.amazonaws.com", evaluateTargetHealth: false)
        let wanted = Route53.RecordSet(name: "api.example.com.", type: "A", alias: alias)
        var returned = wanted
        returned.alias?.dnsName = "WEST-1.us-west-2.elb.amazonaws.com."
        returned.ttl = 0  // some implementations report a TTL on alias records; it is not part of an alias
        #expect(returned.matches(wanted))
        returned.alias?.hostedZoneID = "Z1H1FL5HABSF5"
        #expect(!returned.matches(wanted))
        #expect(!Route53.RecordSet(name: "api.example.com.", type: "A", ttl: 60, values: ["10.0.0.1"]).matches(wanted))
    }

    @Test func launchTemplateSettingsAreSatisfiedOnlyByWhatTheyGive() {
        let current = EC2.LaunchTemplateSettings(instanceType: "t3.small", subnetID: "subnet-1", securityGroupIDs: ["sg-1", "sg-2"])
        #expect(current.satisfies(EC2.LaunchTemplateSettings(instanceType: "t3.small")))
        #expect(current.satisfies(EC2.LaunchTemplateSettings(securityGroupIDs: ["sg-2", "sg-1"])))
        #expect(!current.satisfies(EC2.LaunchTemplateSettings(instanceType: "m5.large")))
        #expect(!current.satisfies(EC2.LaunchTemplateSettings(privateIP: "10.0.0.5")))
        let merged = current.merging(EC2.LaunchTemplateSettings(instanceType: "m5.large", privateIP: "10.0.0.5"))
        #expect(merged == EC2.LaunchTemplateSettings(instanceType: "m5.large", subnetID: "subnet-1", securityGroupIDs: ["sg-1", "sg-2"],
                                                     privateIP: "10.0.0.5"))
    }

    @Test func launchConfigurationChangesNameOnlyWhatDiffers() {
        let current = DRS.LaunchConfiguration(ec2LaunchTemplateID: "lt-1", copyPrivateIp: false, copyTags: true, launchDisposition: "STARTED",
                                              osByol: false, targetInstanceTypeRightSizingMethod: "BASIC", postLaunchEnabled: false)
        #expect(current.changes(toward: DRS.LaunchConfiguration(copyTags: true, launchDisposition: "STARTED")).isEmpty)
        let changes = current.changes(toward: DRS.LaunchConfiguration(copyTags: true, osByol: true, targetInstanceTypeRightSizingMethod: "NONE"))
        #expect(JSONValue.object(changes) == ["licensing": ["osByol": true], "targetInstanceTypeRightSizingMethod": "NONE"])
    }

    @Test func aGlobalClusterReadsItsWriterFailoverStateAndReplication() throws {
        let xml = try XMLDocumentParser.parse(Array("""
            <GlobalCluster><GlobalClusterIdentifier>orders</GlobalClusterIdentifier><Status>failing-over</Status>
            <Engine>aurora-mysql</Engine><GlobalClusterMembers>
            <GlobalClusterMember><DBClusterArn>arn:aws:rds:us-east-1:1:cluster:orders</DBClusterArn><IsWriter>true</IsWriter></GlobalClusterMember>
            <GlobalClusterMember><DBClusterArn>arn:aws:rds:us-west-2:1:cluster:orders</DBClusterArn><IsWriter>false</IsWriter>
            <SynchronizationStatus>pending-resync</SynchronizationStatus></GlobalClusterMember></GlobalClusterMembers>
            <FailoverState><Status>pending</Status><FromDbClusterArn>arn:aws:rds:us-east-1:1:cluster:orders</FromDbClusterArn>
            <ToDbClusterArn>arn:aws:rds:us-west-2:1:cluster:orders</ToDbClusterArn><IsDataLossAllowed>true</IsDataLossAllowed></FailoverState>
            </GlobalCluster>
            """.utf8))
        let global = RDS.GlobalCluster(xml)
        #expect(global.status == "failing-over" && global.engine == "aurora-mysql")
        #expect(global.writer?.clusterARN == "arn:aws:rds:us-east-1:1:cluster:orders")
        #expect(global.members.map(\.synchronizationStatus) == [nil, "pending-resync"])
        #expect(global.failoverState == RDS.GlobalCluster.FailoverState(status: "pending", fromClusterARN: "arn:aws:rds:us-east-1:1:cluster:orders",
                                                                          toClusterARN: "arn:aws:rds:us-west-2:1:cluster:orders", isDataLossAllowed: true))
    }
}
