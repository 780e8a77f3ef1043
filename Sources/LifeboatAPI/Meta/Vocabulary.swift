/// The lifecycle phases of a DR run (API.md "Regions per phase").
public enum Phase: String, APIEnum {
    /// Pre-warm the standby (acts in the secondary region).
    case instantiate = "Instantiate"
    /// Make the standby serve (acts in the secondary region).
    case activate = "Activate"
    /// Tear down what the old primary ran (acts in the old primary).
    case cleanup = "Cleanup"
    /// Re-establish replication back towards the old primary (acts in the new primary).
    case replicate = "Replicate"
}

/// Whether a run rehearses (Drill) or is the real thing (Recovery). Required, never defaulted.
public enum ExecutionMode: String, APIEnum {
    case drill = "Drill"
    case recovery = "Recovery"
}

/// Failover acts towards the plan's secondary region; Failback swaps primary and secondary.
public enum Direction: String, APIEnum {
    case failover = "Failover"
    case failback = "Failback"
}

/// Graceful: both regions reachable, planned switchovers, no data loss. Ungraceful: the peer
/// region is impaired; modules never call it and data-losing failovers are allowed in Recovery.
public enum Strategy: String, APIEnum {
    case graceful = "Graceful"
    case ungraceful = "Ungraceful"
}

/// What a resource does in a Drill execution.
public enum DrillBehaviour: String, APIEnum {
    /// Run the phase for real (drill launches, scale-ups).
    case execute = "Execute"
    /// Run the read-only preflight only.
    case validate = "Validate"
    /// Do nothing.
    case skip = "Skip"
}

/// What a failed resource does to the rest of the run.
public enum OnError: String, APIEnum {
    /// Later layers do not start; the execution fails.
    case fail = "Fail"
    /// Record the failure and carry on.
    case `continue` = "Continue"
}

/// Whether drills wait at the `start` gate for a phase that needs approval.
public enum DrillApproval: String, APIEnum {
    case required = "Required"
    case automatic = "Automatic"
}

/// The technology modules (MODULES.md). Names are the enterprise manifests' `action` spellings.
public enum ModuleName: String, APIEnum {
    case drs = "DRS"
    case auroraMySQL = "AuroraMySQL"
    case ecsService = "EcsService"
    case autoScaling = "AutoScaling"
    case r53Record = "R53Record"
    case eventBridge = "EventBridge"
    case lambdaFunction = "LambdaFunction"
    case eventArchive = "EventArchive"
    case elastiCache = "ElastiCache"
    case memoryDB = "MemoryDB"
    case openSearchService = "OpenSearchService"
    case sqlServer = "SQLServer"
    case ec2 = "EC2"
}
