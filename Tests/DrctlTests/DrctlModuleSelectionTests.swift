import Foundation
import Testing

/// `drctl run` refuses a plan only for the modules it would really call: those of the resources
/// that run in this phase and selection.
@Suite struct DrctlModuleSelectionTests {
    let workspace: RunWorkspace

    init() throws { workspace = try RunWorkspace() }

    /// ElastiCache (not runnable in this build) in layer data; an EC2 host skipped in drills.
    func mixedPlan() throws -> String {
        try workspace.write("plan.yaml", """
            apiVersion: lifeboat.dev/v1alpha1
            kind: DRPlan
            metadata: {name: mixed, namespace: dr}
            spec:
              regions: {primary: us-east-1, secondary: us-west-2}
              accounts: {default: "111111111111"}
              layers:
              - name: data
                resources:
                - {name: db, module: ElastiCache, parameters: {GlobalReplicationGroupId: ldgnf-db, ReplicationGroupId: db-west, SubnetGroup: db-subnets}}
              - name: app
                resources:
                - {name: web, module: EC2, drill: Skip, parameters: {HostNames: [web]}}
            """)
    }

    /// Nothing here reaches AWS (every resource that runs is skipped), but point it nowhere anyway.
    let environment = ["AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "AKIATEST", "AWS_SECRET_ACCESS_KEY": "s",
                       "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"]

    func run(_ arguments: [String]) throws -> DrctlResult {
        try DrctlRunner.run(["run", "-f", try mixedPlan(), "--mode", "Drill", "--state-dir", workspace.path("state")] + arguments,
                            environment: environment)
    }

    @Test func resourcesLeftOutByTheSelectionNeedNoModule() throws {
        defer { workspace.remove() }
        // `web` is the only one selected: the missing ElastiCache module of `db` is not asked for.
        // (The engine then refuses the selection itself, since web is skipped in drills: a
        // targeted run that would do nothing is an error, not a success.)
        let result = try run(["--phase", "Activate", "--resources", "web"])
        #expect(!result.stderr.contains("not available"), "\(result.stderr)")
        #expect(result.stderr.contains("spec.resources[0]: resource web is skipped in drills (drill: Skip)"), "\(result.stderr)")
    }

    @Test func resourcesIdleInThePhaseNeedNoModule() throws {
        defer { workspace.remove() }
        // ElastiCache does nothing in Instantiate.
        let result = try run(["--phase", "Instantiate"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stderr.contains("not available"), "\(result.stderr)")
    }

    @Test func aResourceThatRunsStillNeedsItsModule() throws {
        defer { workspace.remove() }
        let result = try run(["--phase", "Activate"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("module ElastiCache is not available in this build (it runs DRS, AuroraMySQL, EcsService, AutoScaling, R53Record, EventBridge, LambdaFunction, EventArchive, MemoryDB, OpenSearchService, SQLServer, EC2), needed by resource db in phase Activate; use --resources to run the others"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("state")))
    }
}
