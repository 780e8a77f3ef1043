import LifeboatAPI

extension PlanState {
    /// Applies the engine's plan updates, as every driver must: the operator to DRPlan status,
    /// `drctl run` to its state directory, the simulation driver in memory.
    public mutating func apply(_ updates: [PlanUpdate]) {
        for update in updates {
            switch update {
            case .claim(let execution):
                activeExecution = execution
            case .release(let execution, let record, let serving):
                if activeExecution == execution { activeExecution = nil }
                if let record {
                    lastExecutions.removeAll { $0.phase == record.phase && $0.mode == record.mode }
                    lastExecutions.append(record)
                }
                if let serving { activeRegion = serving }
            }
        }
    }
}
