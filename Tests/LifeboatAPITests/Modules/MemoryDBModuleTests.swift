import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct MemoryDB {
        static let valid: JSONValue = [
            "ClusterName": "sessions",
            "ClusterConfigSSMKey": "/dr/memorydb/sessions/config",
            "ClusterEndpointSSMKey": "/dr/memorydb/sessions/endpoint",
            "BackupBucket": "dr-backups",
            "Prefix": "memorydb/sessions/",
            "Tags": ["Application": "payments"],
        ]

        @Test func validExamplePasses() {
            #expect(check(.memoryDB, Self.valid).isEmpty)
            let snapshots = setting(setting(Self.valid, "BackupBucket", nil), "Prefix", nil)
            #expect(check(.memoryDB, setting(snapshots, "SnapshotArns", ["arn:aws:s3:::dr-backups/sessions/backup.rdb"])).isEmpty)
        }

        @Test func requiredKeys() {
            let problems = check(.memoryDB, [:])
            #expect(problems.errorPaths == [at("ClusterName"), at("ClusterConfigSSMKey"), at("ClusterEndpointSSMKey"), at("")])
            #expect(problems[3].message == "no restore source: give SnapshotArns, or BackupBucket and Prefix (needed to run Activate)")
        }

        @Test func activateNeedsEndpointKeyAndRestoreSourceCleanupDoesNot() {
            let cleanupOnly: JSONValue = ["ClusterName": "sessions", "ClusterConfigSSMKey": "sessions-config"]
            #expect(check(.memoryDB, cleanupOnly, phases: [.cleanup]).isEmpty)
            #expect(check(.memoryDB, cleanupOnly, phases: [.activate]).errorPaths == [at("ClusterEndpointSSMKey"), at("")])
        }

        @Test func backupBucketAndPrefixGoTogether() {
            #expect(check(.memoryDB, setting(Self.valid, "Prefix", nil)).errorPaths == [at("BackupBucket")])
            #expect(check(.memoryDB, setting(Self.valid, "BackupBucket", nil)).errorPaths == [at("Prefix")])
        }

        @Test func typesFormatsAndUnknownKeys() {
            var value = Self.valid
            value["ClusterName"] = "Sessions"
            value["ClusterConfigSSMKey"] = "dr/config"
            value["BackupBucket"] = "DR_Backups"
            value["SnapshotArns"] = ["s3://dr-backups/x.rdb"]
            value["Tags"] = ["Application": ["payments"]]
            value["ClusterEndpointSsmKey"] = "/x"
            let problems = check(.memoryDB, value)
            #expect(problems.errorPaths == [at("ClusterName"), at("ClusterConfigSSMKey"), at("BackupBucket"), at("Tags.Application"),
                                            at("SnapshotArns[0]"), at("ClusterEndpointSsmKey")])
            #expect(problems.problem(at: "ClusterEndpointSsmKey")?.hint == "did you mean ClusterEndpointSSMKey?")
            #expect(problems.problem(at: "ClusterName")?.message == "\"Sessions\" contains upper-case letters; use lower case")
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            let value: JSONValue = .string(reference)
            #expect(check(.memoryDB, ["ClusterName": value, "ClusterConfigSSMKey": value, "ClusterEndpointSSMKey": value,
                                      "SnapshotArns": value, "Tags": value]).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            #expect(check(.memoryDB, setting(Self.valid, "Tags", ["Owner": .string(reference)])).errorPaths == [at("Tags.Owner")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.memoryDB, ["ClusterName": "-", "Prefix": "x", "SnapshotArns": [], "NodeType": "db.r6g.large"])
            #expect(problems.errorPaths == [at("ClusterName"), at("SnapshotArns"), at("NodeType"), at("ClusterConfigSSMKey"),
                                            at("ClusterEndpointSSMKey"), at("Prefix")])
        }
    }
}
