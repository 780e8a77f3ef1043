import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct ElastiCache {
        static let valid: JSONValue = [
            "GlobalReplicationGroupId": "ldgnf-sessions",
            "ReplicationGroupId": "sessions-usw2",
            "DeleteOldPrimary": true,
            "SubnetGroup": "cache-private",
            "CacheNodeType": "cache.r6g.large",
            "ReplicasPerNodeGroup": 2,
        ]

        @Test func validExamplePasses() {
            #expect(check(.elastiCache, Self.valid).isEmpty)
        }

        @Test func requiredKeys() {
            #expect(check(.elastiCache, [:]).errorPaths == [at("GlobalReplicationGroupId"), at("ReplicationGroupId"), at("SubnetGroup")])
        }

        @Test func subnetGroupOnlyNeededForReplicate() {
            let value = setting(Self.valid, "SubnetGroup", nil)
            #expect(check(.elastiCache, value, phases: [.activate, .cleanup]).isEmpty)
            let problems = check(.elastiCache, value, phases: [.replicate])
            #expect(problems.errorPaths == [at("SubnetGroup")])
            #expect(problems[0].message == "required parameter is missing (needed to run Replicate)")
        }

        @Test func enterpriseNamesAreRenamed() {
            let problems = check(.elastiCache, ["GlobalClusterIdentifier": "sessions", "DBClusterIdentifier": "sessions", "SubnetGroup": "x"])
            #expect(problems.errorPaths == [at("GlobalClusterIdentifier"), at("DBClusterIdentifier"), at("GlobalReplicationGroupId"),
                                            at("ReplicationGroupId")])
            #expect(problems[0].hint == "did you mean GlobalReplicationGroupId? Rename it (drctl convert does this)")
            #expect(problems[1].message == "unknown parameter \"DBClusterIdentifier\": the enterprise spelling of ReplicationGroupId")
        }

        @Test func typesRangesAndFormats() {
            var value = Self.valid
            value["DeleteOldPrimary"] = "false"
            value["ReplicasPerNodeGroup"] = 6
            value["CacheNodeType"] = "r6g.large"
            value["ReplicationGroupId"] = .string(String(repeating: "s", count: 41))
            value["DeleteOldPrimay"] = true
            let problems = check(.elastiCache, value)
            #expect(problems.errorPaths == [at("ReplicationGroupId"), at("DeleteOldPrimary"), at("CacheNodeType"), at("ReplicasPerNodeGroup"),
                                            at("DeleteOldPrimay")])
            #expect(problems.problem(at: "ReplicasPerNodeGroup")?.message == "6 is out of range; must be between 0 and 5")
            #expect(problems.problem(at: "DeleteOldPrimay")?.hint == "did you mean DeleteOldPrimary?")
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            let value: JSONValue = .string(reference)
            #expect(check(.elastiCache, setting(setting(Self.valid, "DeleteOldPrimary", value), "ReplicasPerNodeGroup", value)).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            #expect(check(.elastiCache, setting(Self.valid, "SubnetGroup", .string(reference))).errorPaths == [at("SubnetGroup")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.elastiCache, ["ReplicationGroupId": "1x", "DeleteOldPrimary": 1, "ReplicasPerNodeGroup": -1, "Port": 6379],
                                 phases: [.activate])
            #expect(problems.errorPaths == [at("ReplicationGroupId"), at("DeleteOldPrimary"), at("ReplicasPerNodeGroup"), at("Port"),
                                            at("GlobalReplicationGroupId")])
        }
    }
}
