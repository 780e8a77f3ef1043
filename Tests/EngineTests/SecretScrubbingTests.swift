import Engine
import EngineTesting
import LifeboatAPI
import Testing
import YAML

/// A resolved secret (an SSM SecureString) never reaches status or Events, even when a module
/// echoes its parameters in a message, a checkpoint or an error.
@Suite struct SecretScrubbingTests {
    static let secret = "hunter2-\(UInt32.random(in: 1000...9999))"

    /// Stands in for the AWS resolver: one reference resolves to a secret.
    struct SecretResolver: ReferenceResolving {
        func resolve(_ parameters: JSONValue, accountId: String, roleName: String, region: String) async throws(ModuleError) -> JSONValue {
            ["Password": .string(SecretScrubbingTests.secret), "User": "admin"]
        }
        func sensitiveValues() async -> Set<String> { [SecretScrubbingTests.secret] }
    }

    /// A careless module: it puts its parameters everywhere it can.
    struct EchoingModule: DRModule {
        let descriptor = ModuleCatalog.descriptor(for: .ec2)
        let failing: Bool

        func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport { PreflightReport(findings: []) }

        func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
            let password = context.parameters["Password"]?.stringValue ?? ""
            if failing { throw .permanent("login with \(password) refused", code: "AccessDenied") }
            return StartResult(checkpoint: ["login": context.parameters], message: "connected with \(password)")
        }

        func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
            .succeeded(message: "done as admin/\(context.parameters["Password"]?.stringValue ?? "")", checkpoint: checkpoint)
        }
    }

    func run(failing: Bool) async -> SimulationDriver {
        let plan = Fixtures.plan([Layer(name: "app", resources: [Fixtures.resource("db")])])
        var driver = SimulationDriver(execution: Fixtures.execution(), plan: plan,
                                      executor: EffectExecutor(registry: ModuleRegistry([EchoingModule(failing: failing)]),
                                                               resolver: SecretResolver()))
        _ = await driver.run()
        return driver
    }

    func written(_ driver: SimulationDriver) -> String {
        JSONWriter.write((try? JSONValueEncoder().encode(driver.stored)) ?? .null, pretty: false)
            + driver.events.map(\.message).joined(separator: "\n")
    }

    @Test func aSucceededResourceShowsNoSecret() async {
        let driver = await run(failing: false)
        let resource = driver.stored.status?.resource("db")
        #expect(resource?.state == .succeeded)
        #expect(resource?.message == "done as admin/[redacted]")
        #expect(resource?.checkpoint == ["login": ["Password": "[redacted]", "User": "admin"]])
        #expect(!written(driver).contains(Self.secret))
    }

    @Test func aFailureShowsNoSecret() async {
        let driver = await run(failing: true)
        let resource = driver.stored.status?.resource("db")
        #expect(resource?.state == .failed)
        #expect(resource?.message == "login with [redacted] refused")
        #expect(!written(driver).contains(Self.secret))
    }
}
