import LifeboatAPI
import Logging

/// The operator's command line (docs/operator.md). Flags are spelled as controller-runtime
/// operators spell them, `--flag value` or `--flag=value`; a boolean flag alone means true.
public struct OperatorOptions: Sendable, Equatable {
    public var kubeconfig: String?
    /// Namespaces to watch; empty means all.
    public var namespaces: [String] = []
    public var leaderElect = false
    public var leaderElectionNamespace: String?
    public var leaderElectionID = "lifeboat-operator"
    public var leaseDuration: Duration = .seconds(15)
    public var renewDeadline: Duration = .seconds(10)
    public var retryPeriod: Duration = .seconds(2)
    /// Executions reconciled at once (per watched namespace); plans get half, at least one.
    public var concurrency = 4
    public var metricsBindAddress: BindAddress? = BindAddress(host: "0.0.0.0", port: 8080)
    public var healthProbeBindAddress: BindAddress? = BindAddress(host: "0.0.0.0", port: 8081)
    public var logLevel: Logger.Level = .info
    public var logFormat: LogFormat = .json
    /// Replaces the built-in role name (`lifeboat-execution`) of plans that do not name one.
    public var defaultRoleName: String?
    public var kubeAPIQPS: Double = 20
    public var kubeAPIBurst = 30
    /// AWS_ENDPOINT_URL for every service (tests and the demo: the local AWS emulator).
    public var awsEndpointURL: String?
    /// How often in-flight AWS operations are polled when a module gives no hint (default 15s;
    /// the demo and tests use 1s).
    public var pollInterval: GoDuration?
    /// Plans whose readiness checks run at once.
    public var readinessSlots = 4
    public var gracefulShutdownTimeout: Duration = .seconds(30)
    public var showHelp = false
    public var showVersion = false

    public init() {}

    public struct BindAddress: Sendable, Equatable {
        public var host: String
        public var port: UInt16

        /// `:8080`, `0.0.0.0:8080`, `127.0.0.1:0` (any free port); `0` turns the server off (nil).
        static func parse(_ text: String, flag: String) throws(UsageError) -> BindAddress? {
            if text == "0" { return nil }
            guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
                throw UsageError("\(flag): \"\(text)\" is not HOST:PORT (for example :8080 or 127.0.0.1:8080; 0 turns it off)")
            }
            let host = String(text[..<colon])
            return BindAddress(host: host.isEmpty ? "0.0.0.0" : host, port: port)
        }
    }

    public struct UsageError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public static func parse(_ arguments: [String]) throws(UsageError) -> OperatorOptions {
        var options = OperatorOptions()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { throw UsageError("unexpected argument \"\(argument)\" (flags start with --; see --help)") }
            var name = String(argument.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            func value() throws(UsageError) -> String {
                if let inline { return inline }
                guard let next = rest.popFirst() else { throw UsageError("--\(name) needs a value") }
                return next
            }
            func flag() throws(UsageError) -> Bool {
                guard let inline else { return true }
                guard let parsed = Bool(inline) else { throw UsageError("--\(name)=\(inline): use true or false") }
                return parsed
            }
            switch name {
            case "kubeconfig": options.kubeconfig = try value()
            case "namespace":
                let namespace = try value()
                guard !namespace.isEmpty else { throw UsageError("--namespace needs a namespace name (omit it to watch all namespaces)") }
                options.namespaces.append(namespace)
            case "leader-elect": options.leaderElect = try flag()
            case "leader-election-namespace": options.leaderElectionNamespace = try value()
            case "leader-election-id": options.leaderElectionID = try value()
            case "leader-elect-lease-duration": options.leaseDuration = try duration(try value(), name)
            case "leader-elect-renew-deadline": options.renewDeadline = try duration(try value(), name)
            case "leader-elect-retry-period": options.retryPeriod = try duration(try value(), name)
            case "concurrency": options.concurrency = try positive(try value(), name)
            case "readiness-concurrency": options.readinessSlots = try positive(try value(), name)
            case "metrics-bind-address": options.metricsBindAddress = try BindAddress.parse(try value(), flag: "--\(name)")
            case "health-probe-bind-address": options.healthProbeBindAddress = try BindAddress.parse(try value(), flag: "--\(name)")
            case "log-level":
                let text = try value()
                guard let level = Logger.Level(name: text) else {
                    throw UsageError("--log-level \(text): use one of \(Logger.Level.allCases.map(\.description).joined(separator: ", "))")
                }
                options.logLevel = level
            case "log-format":
                let text = try value()
                guard let format = LogFormat(rawValue: text) else { throw UsageError("--log-format \(text): use json or text") }
                options.logFormat = format
            case "default-role-name": options.defaultRoleName = try value()
            case "kube-api-qps":
                let text = try value()
                guard let qps = Double(text), qps > 0 else { throw UsageError("--kube-api-qps \(text): a positive number") }
                options.kubeAPIQPS = qps
            case "kube-api-burst": options.kubeAPIBurst = try positive(try value(), name)
            case "aws-endpoint-url": options.awsEndpointURL = try value()
            case "poll-interval": options.pollInterval = try goDuration(try value(), name)
            case "graceful-shutdown-timeout": options.gracefulShutdownTimeout = try duration(try value(), name)
            case "help": options.showHelp = true
            case "version": options.showVersion = true
            default: throw UsageError("unknown flag --\(name) (see --help)")
            }
        }
        guard options.leaseDuration > options.renewDeadline, options.renewDeadline > options.retryPeriod * 1.2 else {
            throw UsageError("leader election needs --leader-elect-lease-duration > --leader-elect-renew-deadline > 1.2 × --leader-elect-retry-period")
        }
        return options
    }

    private static func positive(_ text: String, _ name: String) throws(UsageError) -> Int {
        guard let number = Int(text), number > 0 else { throw UsageError("--\(name) \(text): a whole number above 0") }
        return number
    }

    private static func duration(_ text: String, _ name: String) throws(UsageError) -> Duration {
        try goDuration(text, name).duration
    }

    private static func goDuration(_ text: String, _ name: String) throws(UsageError) -> GoDuration {
        guard let parsed = try? GoDuration(parsing: text), parsed >= .seconds(1) else {
            throw UsageError("--\(name) \(text): a duration of at least 1s such as 15s or 1m")
        }
        return parsed
    }

    public static let help = """
        lifeboat-operator: reconciles DRPlans and DRExecutions (lifeboat.dev/v1alpha1) in a cluster.

          --kubeconfig PATH                  kubeconfig to use (default: KUBECONFIG, ~/.kube/config, or in-cluster)
          --namespace NS                     watch only NS (repeatable; default: all namespaces)
          --leader-elect                     elect a leader on a Lease; run 2 replicas with it
          --leader-election-namespace NS     the Lease's namespace (default: POD_NAMESPACE, else lifeboat-system)
          --leader-election-id NAME          the Lease's name (default: lifeboat-operator)
          --leader-elect-lease-duration D    default 15s; --leader-elect-renew-deadline D default 10s;
          --leader-elect-retry-period D      default 2s
          --concurrency N                    executions reconciled at once (default 4)
          --readiness-concurrency N          plans whose readiness checks run at once (default 4)
          --metrics-bind-address ADDR        Prometheus /metrics (default :8080; 0 turns it off)
          --health-probe-bind-address ADDR   /healthz and /readyz (default :8081; 0 turns it off)
          --log-level LEVEL                  debug, info, warning or error (default info)
          --log-format json|text             JSON lines (default) or text for people
          --default-role-name NAME           role assumed in target accounts by plans that name none
          --kube-api-qps N / --kube-api-burst N   client-side rate limit (default 20 / 30)
          --aws-endpoint-url URL             send every AWS call to URL (tests, a local emulator)
          --poll-interval D                  poll in-flight AWS operations this often (default 15s, or the module's hint)
          --graceful-shutdown-timeout D      how long running reconciles may finish on SIGTERM (default 30s)
          --version, --help

        Environment: POD_NAMESPACE and POD_NAME (from the downward API), AWS_REGION, and the AWS
        credential chain (EKS IRSA: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE; EKS Pod Identity:
        AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE).
        """
}
