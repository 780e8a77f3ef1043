import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct MemoryDB {
        static let valid: JSONValue = [
            "ClusterName": "sessions",
            "ClusterConfigSSMKey": "/dr/memorydb/sessions/config",
            "ClusterEndpointSSMKey": "/dr/memorydb/sessions/endpoint",
            "SnapshotArns": ["arn:aws:s3:::dr-backups/sessions/backup.rdb"],
            "Tags": ["Application": "payments"],
        ]

        @Test func validExamplePasses() {
            #expect(check(.memoryDB, Self.valid).isEmpty)
            #expect(check(.memoryDB, setting(setting(Self.valid, "SnapshotArns", nil), "SnapshotName", "sessions-nightly")).isEmpty)
        }

        @Test func requiredKeys() {
            let problems = check(.memoryDB, [:])
            #expect(problems.errorPaths == [at("ClusterName"), at("ClusterConfigSSMKey"), at("ClusterEndpointSSMKey"), at("")])
            #expect(problems[3].message == "no restore source: give SnapshotArns or SnapshotName (needed to run Activate)")
        }

        @Test func activateNeedsEndpointKeyAndRestoreSourceCleanupDoesNot() {
            let cleanupOnly: JSONValue = ["ClusterName": "sessions", "ClusterConfigSSMKey": "sessions-config"]
            #expect(check(.memoryDB, cleanupOnly, phases: [.cleanup]).isEmpty)
            #expect(check(.memoryDB, cleanupOnly, phases: [.activate]).errorPaths == [at("ClusterEndpointSSMKey"), at("")])
        }

        @Test func oneRestoreSourceOnly() {
            let both = check(.memoryDB, setting(Self.valid, "SnapshotName", "sessions-nightly"))
            #expect(both.errorPaths == [at("")] && both[0].message == "two restore sources: give SnapshotArns or SnapshotName, not both")
            #expect(check(.memoryDB, setting(Self.valid, "SnapshotName", "sessions-nightly"), phases: [.cleanup]).isEmpty)
        }

        /// The enterprise S3 backup source needs an S3 client to find the .rdb: refused by name, once.
        @Test func backupBucketAndPrefixAreRefusedWithWhatToWriteInstead() {
            let enterprise = setting(setting(setting(Self.valid, "SnapshotArns", nil), "BackupBucket", "dr-backups"), "Prefix", "memorydb/sessions/")
            let problems = check(.memoryDB, enterprise)
            #expect(problems.errorPaths == [at("BackupBucket"), at("Prefix")])
            #expect(problems[0].message == "restoring the backup under BackupBucket/Prefix is not supported: finding the .rdb needs an S3 client, which Lifeboat does not have")
            #expect(problems[0].hint == "give SnapshotArns: [arn:aws:s3:::<bucket>/<key>.rdb], or SnapshotName")
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
            #expect(problems.errorPaths == [at("ClusterName"), at("ClusterConfigSSMKey"), at("SnapshotArns[0]"), at("Tags.Application"),
                                            at("BackupBucket"), at("ClusterEndpointSsmKey"), at("BackupBucket")])
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
