import Kube

/// The controller-runtime metric names (operators.md §2), so dashboards built for Go
/// operators work unchanged.
public struct WorkQueueMetrics: Sendable {
    public let depth, adds, retries, unfinishedWork, longestRunning: Metric
    public let queueDuration, workDuration: Histogram
    let registry: MetricsRegistry

    public init(registry: MetricsRegistry, name: String) {
        self.registry = registry
        let labels: KeyValuePairs<String, String> = ["controller": name, "name": name]
        let buckets = MetricsRegistry.workqueueBuckets
        depth = registry.gauge("workqueue_depth", help: "Current depth of workqueue", labels: labels)
        adds = registry.counter("workqueue_adds_total", help: "Total number of adds handled by workqueue", labels: labels)
        retries = registry.counter("workqueue_retries_total", help: "Total number of retries handled by workqueue", labels: labels)
        unfinishedWork = registry.gauge("workqueue_unfinished_work_seconds",
                                        help: "How many seconds of work has been done that is in progress", labels: labels)
        longestRunning = registry.gauge("workqueue_longest_running_processor_seconds",
                                        help: "How many seconds has the longest running processor been running", labels: labels)
        queueDuration = registry.histogram("workqueue_queue_duration_seconds",
                                           help: "How long in seconds an item stays in workqueue before being requested",
                                           buckets: buckets, labels: labels)
        workDuration = registry.histogram("workqueue_work_duration_seconds",
                                          help: "How long in seconds processing an item from workqueue takes",
                                          buckets: buckets, labels: labels)
    }
}

public struct ControllerMetrics: Sendable {
    let registry: MetricsRegistry
    let controller: String
    public let errors, terminalErrors, panics, activeWorkers, maxConcurrent: Metric
    public let reconcileTime: Histogram
    /// The `total` series every reconcile ends in, looked up once.
    private let results: [String: Metric]

    public init(registry: MetricsRegistry, controller: String) {
        self.registry = registry
        self.controller = controller
        let labels: KeyValuePairs<String, String> = ["controller": controller]
        errors = registry.counter("controller_runtime_reconcile_errors_total",
                                  help: "Total number of reconciliation errors per controller", labels: labels)
        terminalErrors = registry.counter("controller_runtime_terminal_reconcile_errors_total",
                                          help: "Total number of terminal reconciliation errors per controller", labels: labels)
        panics = registry.counter("controller_runtime_reconcile_panics_total",
                                  help: "Total number of reconciliation panics per controller", labels: labels)
        activeWorkers = registry.gauge("controller_runtime_active_workers",
                                       help: "Number of currently used workers per controller", labels: labels)
        maxConcurrent = registry.gauge("controller_runtime_max_concurrent_reconciles",
                                       help: "Maximum number of concurrent reconciles per controller", labels: labels)
        reconcileTime = registry.histogram("controller_runtime_reconcile_time_seconds",
                                           help: "Length of time per reconciliation per controller",
                                           buckets: MetricsRegistry.reconcileBuckets, labels: labels)
        results = Dictionary(uniqueKeysWithValues: ["success", "error", "requeue", "requeue_after"].map { result in
            (result, Self.total(result, controller: controller, registry: registry))
        })
    }

    /// `controller_runtime_reconcile_total{controller,result}`.
    public func total(_ result: String) -> Metric {
        results[result] ?? Self.total(result, controller: controller, registry: registry)
    }

    private static func total(_ result: String, controller: String, registry: MetricsRegistry) -> Metric {
        registry.counter("controller_runtime_reconcile_total", help: "Total number of reconciliations per controller",
                         labels: ["controller": controller, "result": result])
    }
}

/// `rest_client_requests_total{code,method,host}` and `rest_client_request_duration_seconds{verb,host}`,
/// fed by the Kube client.
public struct RESTClientMetrics: RequestObserver {
    let registry: MetricsRegistry

    public init(registry: MetricsRegistry) { self.registry = registry }

    public func requestFinished(method: String, host: String, code: Int?, seconds: Double) {
        registry.counter("rest_client_requests_total",
                         help: "Number of HTTP requests, partitioned by status code, method, and host",
                         labels: ["code": code.map(String.init) ?? "<error>", "host": host, "method": method]).increment()
        registry.histogram("rest_client_request_duration_seconds", help: "Request latency in seconds. Broken down by verb, and host.",
                           buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
                           labels: ["host": host, "verb": method]).observe(seconds)
    }
}
