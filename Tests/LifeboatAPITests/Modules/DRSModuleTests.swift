import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct DRS {
        static let valid: JSONValue = [
            "SourceServerIds": ["s-0123456789abcdef0", "s-0123456789abcdef1"],
            "LaunchSettings": [
                "CopyPrivateIp": false, "CopyTags": true, "LaunchDisposition": "STARTED", "OsByol": false,
                "TargetInstanceTypeRightSizingMethod": "NONE", "PostLaunchEnabled": true, "InstanceType": "m5.large",
                "SubnetId": "subnet-0123456789abcdef0", "SecurityGroupIds": ["sg-01234567"], "InstanceProfileName": "dr-recovery",
            ],
            "ServerOverrides": [
                ["SourceServerId": "s-0123456789abcdef0", "StaticPrivateIp": "10.1.2.3", "InstanceType": "r5.xlarge"],
                ["SourceServerId": "s-0123456789abcdef1", "UseGroupDefaults": false, "SubnetId": "subnet-01234567"],
            ],
            "DisconnectSource": true,
            "MaxServersPerJob": 50,
        ]

        @Test func validExamplePasses() {
            #expect(check(.drs, Self.valid).isEmpty)
            #expect(check(.drs, ["HostNames": ["web-1"]]).isEmpty)
            #expect(check(.drs, ["Tags": ["Application": "payments", "Tier": "web"]]).isEmpty)
        }

        @Test func exactlyOneSelector() {
            let none = check(.drs, ["DisconnectSource": true])
            #expect(none.errorPaths == [at("")])
            #expect(none[0].message == "give exactly one of SourceServerIds, HostNames, Tags")
            let two = check(.drs, ["HostNames": ["web-1"], "Tags": ["App": "x"], "SourceServerIds": ["s-0123456789abcdef0"]])
            #expect(two.errorPaths == [at("HostNames"), at("Tags")])
        }

        @Test func typeRangeAndUnknownKeys() {
            var value = Self.valid
            value["MaxServersPerJob"] = "four"
            value["DisconnectSource"] = "yes"
            value["Tag"] = ["A": "b"]
            let problems = check(.drs, value)
            #expect(problems.errorPaths == [at("DisconnectSource"), at("MaxServersPerJob"), at("Tag")])
            #expect(problems.problem(at: "MaxServersPerJob")?.message == "expected integer, got string \"four\"")
            #expect(problems.problem(at: "DisconnectSource")?.hint == "write true or false without quotes")
            #expect(problems.problem(at: "Tag")?.hint == "did you mean Tags?")

            let range = check(.drs, setting(Self.valid, "MaxServersPerJob", 101))
            #expect(range.errorPaths == [at("MaxServersPerJob")])
            #expect(range[0].message == "101 is out of range; must be between 1 and 100")
        }

        @Test func identifierFormats() {
            let problems = check(.drs, [
                "SourceServerIds": ["s-123", "i-0123456789abcdef0"],
                "LaunchSettings": ["SubnetId": "subnet-xyz", "SecurityGroupIds": ["sg-1"], "InstanceType": "large",
                                   "LaunchDisposition": "started"],
            ])
            #expect(problems.errorPaths == [
                at("SourceServerIds[0]"), at("SourceServerIds[1]"), at("LaunchSettings.SubnetId"),
                at("LaunchSettings.SecurityGroupIds[0]"), at("LaunchSettings.InstanceType"), at("LaunchSettings.LaunchDisposition"),
            ])
            #expect(problems.problem(at: "LaunchSettings.LaunchDisposition")?.hint == "did you mean STARTED? Values are case-sensitive")
        }

        @Test func staticPrivateIpOnlyPerServerAndPrivate() {
            let group = check(.drs, ["HostNames": ["web-1"], "LaunchSettings": ["StaticPrivateIp": "10.0.0.5"]])
            #expect(group.errorPaths == [at("LaunchSettings.StaticPrivateIp")])
            #expect(group[0].hint == "set StaticPrivateIp per server in ServerOverrides")

            let publicIp = check(.drs, ["HostNames": ["web-1"], "ServerOverrides": [["HostName": "web-1", "StaticPrivateIp": "8.8.8.8"]]])
            #expect(publicIp.errorPaths == [at("ServerOverrides[0].StaticPrivateIp")])
            #expect(publicIp[0].message == "8.8.8.8 is not a private (RFC 1918) address")
        }

        @Test func copyPrivateIpConflictsWithStaticPrivateIp() {
            let own = check(.drs, ["HostNames": ["web-1"],
                                   "ServerOverrides": [["HostName": "web-1", "CopyPrivateIp": true, "StaticPrivateIp": "10.0.0.5"]]])
            #expect(own.errorPaths == [at("ServerOverrides[0].StaticPrivateIp")])

            let inherited: JSONValue = [
                "HostNames": ["web-1", "web-2", "web-3"],
                "LaunchSettings": ["CopyPrivateIp": true],
                "ServerOverrides": [
                    ["HostName": "web-1", "StaticPrivateIp": "10.0.0.5"],
                    ["HostName": "web-2", "StaticPrivateIp": "10.0.0.6", "UseGroupDefaults": false],
                    ["HostName": "web-3", "StaticPrivateIp": "10.0.0.7", "CopyPrivateIp": false],
                ],
            ]
            let problems = check(.drs, inherited)
            #expect(problems.errorPaths == [at("ServerOverrides[0].StaticPrivateIp")])
            #expect(problems[0].hint == "add CopyPrivateIp: false to this override")
        }

        @Test func overridesNameOneServerOnce() {
            let problems = check(.drs, [
                "HostNames": ["web-1", "web-2"],
                "ServerOverrides": [
                    ["HostName": "web-1", "InstanceType": "m5.large"],
                    ["HostName": "WEB-1", "InstanceType": "m5.xlarge"],
                    ["InstanceType": "m5.xlarge"],
                    ["HostName": "web-2", "SourceServerId": "s-0123456789abcdef0"],
                ],
            ])
            #expect(problems.errorPaths == [at("ServerOverrides[2]"), at("ServerOverrides[3].HostName"), at("ServerOverrides[1]")])
            #expect(problems.problem(at: "ServerOverrides[1]")?.message == "duplicate of \(at("ServerOverrides[0]")): the same server")
        }

        @Test func sameStaticIpTwiceAndUnselectedServers() {
            let problems = check(.drs, [
                "SourceServerIds": ["s-0123456789abcdef0", "s-0123456789abcdef1"],
                "ServerOverrides": [
                    ["SourceServerId": "s-0123456789abcdef0", "StaticPrivateIp": "10.0.0.5"],
                    ["SourceServerId": "s-0123456789abcdef1", "StaticPrivateIp": "10.0.0.5"],
                    ["SourceServerId": "s-0123456789abcdef9"],
                ],
            ])
            #expect(problems.errorPaths == [at("ServerOverrides[1].StaticPrivateIp")])
            #expect(problems.warningPaths == [at("ServerOverrides[2].SourceServerId")])
        }

        @Test func rightSizingWarnsAboutInstanceType() {
            let problems = check(.drs, ["HostNames": ["a"], "LaunchSettings": ["InstanceType": "m5.large", "TargetInstanceTypeRightSizingMethod": "BASIC"]])
            #expect(problems.errors.isEmpty)
            #expect(problems.warningPaths == [at("LaunchSettings.InstanceType")])
        }

        @Test func tagSelectorValuesAreStrings() {
            let problems = check(.drs, ["Tags": ["Tier": 1, "": "x"]])
            #expect(problems.errorPaths == [at("Tags.Tier"), at("Tags[]")])
            #expect(problems[0].hint == "quote the value: Tier: \"1\"")
            #expect(check(.drs, ["Tags": [:]]).errorPaths == [at("Tags")])
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesAreReported(reference: String) {
            let problems = check(.drs, ["HostNames": [.string(reference)], "LaunchSettings": ["OsByol": .string(reference)]])
            #expect(problems.errorPaths == [at("HostNames[0]"), at("LaunchSettings.OsByol")])
            #expect(problems.allSatisfy { $0.message.hasPrefix("malformed parameter reference") })
        }

        @Test(arguments: wellFormedReferences)
        func referencesAcceptedForListsIntegersAndBooleans(reference: String) {
            let value: JSONValue = .string(reference)
            #expect(check(.drs, ["Tags": value, "MaxServersPerJob": value, "DisconnectSource": value,
                                 "ServerOverrides": [["HostName": value, "UseGroupDefaults": value, "SecurityGroupIds": value]]]).isEmpty)
        }

        @Test func everyProblemIsReported() {
            let problems = check(.drs, [
                "SourceServerIds": [],
                "MaxServersPerJob": 0,
                "LaunchSettings": ["CopyTags": "true", "StaticPrivateIp": "10.0.0.1", "Colour": "red"],
                "ServerOverrides": [["UseGroupDefaults": 1]],
                "AccountId": "111111111111",
            ])
            #expect(problems.errorPaths == [
                at("SourceServerIds"), at("MaxServersPerJob"), at("LaunchSettings.CopyTags"), at("LaunchSettings.Colour"),
                at("LaunchSettings.StaticPrivateIp"), at("ServerOverrides[0].UseGroupDefaults"), at("ServerOverrides[0]"), at("AccountId"),
            ])
        }
    }
}
