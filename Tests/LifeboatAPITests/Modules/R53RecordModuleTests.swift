import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct R53Record {
        static let valid: JSONValue = [
            "Items": [
                ["HostedZoneId": "Z0123456789ABCDEFGHIJ", "R53RecordName": "api.example.com.", "RecordType": "A",
                 "RecordValue": "payments-usw2-alb", "Alias": true],
                ["HostedZoneId": "/hostedzone/Z0123456789ABCDEFGHIJ", "R53RecordName": "db.example.com", "RecordType": "CNAME",
                 "RecordValue": "orders.cluster-abc.us-west-2.rds.amazonaws.com", "TTL": 60],
                ["HostedZoneId": "Z0123456789ABCDEFGHIJ", "R53RecordName": "www.example.com", "RecordType": "A",
                 "RecordValue": ["10.0.0.1", "10.0.0.2"], "SetIdentifier": "usw2", "Weight": 100, "Alias": "No"],
                ["HostedZoneId": "Z0123456789ABCDEFGHIJ", "R53RecordName": "v6.example.com", "RecordType": "AAAA",
                 "RecordValue": "2001:db8::1"],
                ["HostedZoneId": "Z0123456789ABCDEFGHIJ", "R53RecordName": "_dr.example.com", "RecordType": "TXT",
                 "RecordValue": "\"active=us-west-2\"", "Alias": "Yes"],
            ],
        ]

        /// The last valid item is a TXT alias, which is invalid: the valid example is the first four.
        static var validItems: JSONValue {
            guard case .array(let items)? = valid["Items"] else { return valid }
            return ["Items": .array(Array(items.prefix(4)))]
        }

        @Test func validExamplePasses() {
            #expect(check(.r53Record, Self.validItems).isEmpty)
        }

        @Test func requiredKeys() {
            let problems = check(.r53Record, ["Items": [[:]]])
            #expect(problems.errorPaths == [at("Items[0].HostedZoneId"), at("Items[0].R53RecordName"), at("Items[0].RecordType"),
                                            at("Items[0].RecordValue")])
        }

        @Test func enterpriseAliasTypoGetsAHint() {
            let problems = check(.r53Record, settingItem(Self.validItems, "Aias", "Yes"))
            #expect(problems.errorPaths == [at("Items[0].Aias")])
            #expect(problems[0].hint == "did you mean Alias? Rename it (drctl convert does this)")
            let typo = check(.r53Record, settingItem(Self.validItems, "Alais", true, item: 1))
            #expect(typo.errorPaths == [at("Items[1].Alais")])
            #expect(typo[0].hint == "did you mean Alias?")
        }

        @Test func typesRangesAndFormats() {
            var value = settingItem(Self.validItems, "TTL", -5, item: 1)
            value = settingItem(value, "Weight", 256, item: 2)
            value = settingItem(value, "Alias", "yes", item: 2)
            value = settingItem(value, "HostedZoneId", "z123", item: 3)
            value = settingItem(value, "RecordType", "MX", item: 3)
            let problems = check(.r53Record, value)
            #expect(problems.errorPaths == [at("Items[1].TTL"), at("Items[2].Weight"), at("Items[2].Alias"), at("Items[3].HostedZoneId"),
                                            at("Items[3].RecordType")])
            #expect(problems.problem(at: "Items[2].Alias")?.hint == "write true or false (or exactly \"Yes\" / \"No\")")
            #expect(problems.problem(at: "Items[2].Weight")?.message == "256 is out of range; must be between 0 and 255")
        }

        @Test func aliasRules() {
            let txtAlias = check(.r53Record, Self.valid)
            #expect(txtAlias.errorPaths == [at("Items[4].RecordType"), at("Items[4].RecordValue")])
            let problems = check(.r53Record, ["Items": [
                ["HostedZoneId": "Z1", "R53RecordName": "a.example.com", "RecordType": "A", "Alias": true,
                 "RecordValue": ["lb-1", "lb-2"], "TTL": 60],
                ["HostedZoneId": "Z1", "R53RecordName": "b.example.com", "RecordType": "AAAA", "Alias": "Yes",
                 "RecordValue": "lb-1.us-west-2.elb.amazonaws.com"],
            ]])
            #expect(problems.errorPaths == [at("Items[0].RecordValue"), at("Items[0].TTL"), at("Items[1].RecordValue")])
            #expect(problems.problem(at: "Items[0].TTL")?.hint == "remove TTL, or set Alias: false")
        }

        @Test func valueRulesByType() {
            let problems = check(.r53Record, ["Items": [
                ["HostedZoneId": "Z1", "R53RecordName": "a.example.com", "RecordType": "CNAME", "RecordValue": ["x.example.com", "y.example.com"]],
                ["HostedZoneId": "Z1", "R53RecordName": "b.example.com", "RecordType": "A", "RecordValue": ["10.0.0.1", "lb-1"]],
                ["HostedZoneId": "Z1", "R53RecordName": "c.example.com", "RecordType": "AAAA", "RecordValue": "10.0.0.1"],
                ["HostedZoneId": "Z1", "R53RecordName": "d..example.com", "RecordType": "CNAME", "RecordValue": "bad name!"],
            ]])
            #expect(problems.errorPaths == [at("Items[0].RecordValue"), at("Items[1].RecordValue[1]"), at("Items[2].RecordValue"),
                                            at("Items[3].R53RecordName"), at("Items[3].RecordValue")])
        }

        @Test func weightAndSetIdentifierGoTogether() {
            let problems = check(.r53Record, ["Items": [
                ["HostedZoneId": "Z1", "R53RecordName": "a.example.com", "RecordType": "A", "RecordValue": "10.0.0.1", "Weight": 10],
                ["HostedZoneId": "Z1", "R53RecordName": "b.example.com", "RecordType": "A", "RecordValue": "10.0.0.1", "SetIdentifier": "x"],
            ]])
            #expect(problems.errorPaths == [at("Items[0].Weight"), at("Items[1].SetIdentifier")])
            #expect(problems[0].message == "Weight requires SetIdentifier")
        }

        @Test func duplicateRecords() {
            let record: JSONValue = ["HostedZoneId": "Z1", "R53RecordName": "api.example.com", "RecordType": "A", "RecordValue": "10.0.0.1"]
            let same: JSONValue = ["HostedZoneId": "/hostedzone/Z1", "R53RecordName": "API.example.com.", "RecordType": "A", "RecordValue": "10.0.0.2"]
            let otherType: JSONValue = ["HostedZoneId": "Z1", "R53RecordName": "api.example.com", "RecordType": "TXT", "RecordValue": "x"]
            let problems = check(.r53Record, ["Items": [record, same, otherType]])
            #expect(problems.errorPaths == [at("Items[1]")])
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            let value: JSONValue = .string(reference)
            #expect(check(.r53Record, ["Items": [["HostedZoneId": value, "R53RecordName": value, "RecordType": "A",
                                                  "RecordValue": value, "Alias": value, "TTL": value]]]).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            let value: JSONValue = .string(reference)
            #expect(check(.r53Record, settingItem(settingItem(Self.validItems, "RecordValue", [value], item: 2), "TTL", value, item: 2)).errorPaths
                    == [at("Items[2].RecordValue[0]"), at("Items[2].TTL")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.r53Record, ["Items": [
                ["HostedZoneId": 12, "RecordType": "a", "RecordValue": [], "TTL": "300", "Comment": "x"],
            ]])
            #expect(problems.errorPaths == [at("Items[0].HostedZoneId"), at("Items[0].RecordType"), at("Items[0].RecordValue"),
                                            at("Items[0].TTL"), at("Items[0].Comment"), at("Items[0].R53RecordName")])
            #expect(problems.problem(at: "Items[0].TTL")?.hint == "write 300 without quotes")
        }
    }
}
