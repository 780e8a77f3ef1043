import YAML

/// ECS services scaled for the standby and back to zero (MODULES.md). The enterprise manifest's
/// list of dicts is `Items` here.
enum EcsServiceModule {
    static let descriptor = ModuleDescriptor(
        name: .ecsService,
        summary: "Scale ECS services to EcsDesiredSize (Instantiate) and to 0 (Cleanup), with the Application Auto Scaling minimum",
        supportedPhases: [.instantiate, .cleanup],
        defaultTimeout: .minutes(30),
        drillDefault: .execute,
        parameters: ObjectSchema([
            .required("Items",
                      .list(.object(item), ListRule(unique: .fields(["EcsClusterName", "EcsServiceName"]))),
                      notes: "the services to scale"),
        ]))

    static let item = ObjectSchema(
        [
            .required("EcsClusterName", .string(StringRule(maxLength: 255, format: .ecsName("cluster"))), notes: "cluster name or ARN"),
            .required("EcsServiceName", .string(StringRule(maxLength: 255, format: .ecsName("service"))), notes: "service name or ARN"),
            .required("EcsDesiredSize", .integer(.atLeast(0)), notes: "desired count set by Instantiate; Cleanup sets 0"),
            .optional("EcsAsgMinSize", .integer(.atLeast(0)),
                      notes: "Application Auto Scaling minimum set by Instantiate (Cleanup sets 0); untouched when absent"),
        ],
        rules: [
            .custom { item in
                // Application Auto Scaling raises the desired count to the minimum, so the service would not settle at EcsDesiredSize.
                guard let minimum = item.int("EcsAsgMinSize"), let desired = item.int("EcsDesiredSize"), minimum > desired else { return [] }
                return [.warning(item.path("EcsAsgMinSize"),
                                 "EcsAsgMinSize \(minimum) is above EcsDesiredSize \(desired); scaling will raise the service to \(minimum)",
                                 hint: "set EcsDesiredSize to at least \(minimum)")]
            },
        ])
}
