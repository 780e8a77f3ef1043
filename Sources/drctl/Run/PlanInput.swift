import LifeboatAPI
import LocalStore
import YAML

/// The plan of a local run: read from `-f` (validated as `drctl validate` would), or from
/// the state directory's plan.yaml when resuming.
struct PlanInput {
    let plan: DRPlan
    /// What goes into plan.yaml: the file as given when it is one file, else the plan as read.
    let text: String

    enum Refusal: Error {
        /// The problems, formatted as `drctl validate` prints them.
        case invalid(String)
    }

    static func load(_ path: String) throws(UsageError) -> Result<PlanInput, Refusal> {
        let files = try ManifestSource.read([path])
        let report = ValidationReport.build(files, strict: false)
        let plans = report.entries.compactMap { entry -> DRPlan? in
            if case .plan(let plan)? = entry.verdict?.object { plan } else { nil }
        }
        guard report.isValid else { return .failure(.invalid(report.text)) }
        guard plans.count == 1, let plan = plans.first else {
            let found = plans.isEmpty ? "no DRPlan" : "\(plans.count) DRPlans (\(plans.compactMap(\.metadata.name).joined(separator: ", ")))"
            return .failure(.invalid("\(path) holds \(found): give drctl run exactly one plan"))
        }
        let text = files.count == 1 ? files[0].text : ((try? YAMLEncoder().encode(plan)) ?? files[0].text)
        return .success(PlanInput(plan: plan, text: text))
    }

    /// The plan kept in a state directory (nil when there is none).
    static func stored(in store: StateDirectory) throws -> PlanInput? {
        guard let text = try store.readPlanText() else { return nil }
        let documents: [YAMLDocument]
        do { documents = try YAML.parseDocuments(text, file: store.planPath) } catch {
            throw LocalStoreError.damaged(store.planPath, error.message)
        }
        for document in documents {
            if case .plan(let plan)? = ManifestValidator.validate(document.value).object { return PlanInput(plan: plan, text: text) }
        }
        throw LocalStoreError.damaged(store.planPath, "it holds no DRPlan")
    }
}
