import LifeboatAPI
import Testing
import YAML

/// SSM parameters and CloudFormation exports are strings; after resolution they take the type
/// the module's schema asks for, and anything that does not spell one is left for validation.
@Suite struct ResolvedParameterCoercionTests {
    @Test func stringsBecomeNumbersBooleansAndListsWhereTheSchemaWantsThem() {
        let autoScaling = ModuleCatalog.descriptor(for: .autoScaling).parameters
        let resolved = autoScaling.coercingResolved(["AutoScalingGroupNames": "batch-a, batch-b", "DesiredCount": " 3 "])
        #expect(resolved == ["AutoScalingGroupNames": ["batch-a", "batch-b"], "DesiredCount": 3])

        let drs = ModuleCatalog.descriptor(for: .drs).parameters
        let settings = drs.coercingResolved(["Tags": ["App": "payments"], "DisconnectSource": "True",
                                             "LaunchSettings": ["CopyTags": "false", "SubnetId": "subnet-1"],
                                             "MaxServersPerJob": "50"])
        #expect(settings == ["Tags": ["App": "payments"], "DisconnectSource": true,
                             "LaunchSettings": ["CopyTags": false, "SubnetId": "subnet-1"], "MaxServersPerJob": 50])

        // The enterprise "Yes"/"No" where the schema takes it, and nowhere else.
        let records = ModuleCatalog.descriptor(for: .r53Record).parameters
        #expect(records.coercingResolved(["Items": [["Alias": "Yes"], ["Alias": "No"], ["Alias": "yes"]]])
                == ["Items": [["Alias": true], ["Alias": false], ["Alias": "yes"]]])
        #expect(drs.coercingResolved(["DisconnectSource": "Yes"]) == ["DisconnectSource": "Yes"])

        let ecs = ModuleCatalog.descriptor(for: .ecsService).parameters
        #expect(ecs.coercingResolved(["Items": [["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": "2"]]])
                == ["Items": [["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": 2]]])
    }

    @Test func valuesThatSpellNoTypeAreLeftForValidationToReport() {
        let autoScaling = ModuleCatalog.descriptor(for: .autoScaling)
        let resolved = autoScaling.parameters.coercingResolved(["AutoScalingGroupNames": ["batch"], "DesiredCount": "three"])
        #expect(resolved["DesiredCount"] == "three")
        let problems = autoScaling.validate(parameters: resolved, phases: [.instantiate], at: FieldPath.root.key("parameters"))
        #expect(problems.map(\.path.description) == ["parameters.DesiredCount"])
    }
}
