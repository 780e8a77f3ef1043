/// The RDS calls the AuroraMySQL module makes (query protocol).
public struct RDS: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct GlobalCluster: Sendable, Hashable {
        public struct Member: Sendable, Hashable {
            public var clusterARN: String
            public var isWriter: Bool
            /// A secondary's replication: `connected`, or `pending-resync` after a failover cut it off.
            public var synchronizationStatus: String?
        }

        /// A managed failover or switchover under way.
        public struct FailoverState: Sendable, Hashable {
            /// pending, failing-over, cancelling.
            public var status: String
            public var fromClusterARN: String?
            public var toClusterARN: String?
            public var isDataLossAllowed: Bool
        }

        public var identifier: String
        public var status: String
        public var engine: String?
        public var engineVersion: String?
        public var members: [Member]
        public var failoverState: FailoverState?

        init(_ xml: XMLElement) {
            identifier = xml.string("GlobalClusterIdentifier") ?? ""
            status = xml.string("Status") ?? ""
            engine = xml.string("Engine")
            engineVersion = xml.string("EngineVersion")
            members = (xml["GlobalClusterMembers"]?.children ?? []).map {
                Member(clusterARN: $0.string("DBClusterArn") ?? "", isWriter: $0.string("IsWriter") == "true",
                       synchronizationStatus: $0.string("SynchronizationStatus"))
            }
            failoverState = xml["FailoverState"].flatMap { state in
                state.string("Status").map {
                    FailoverState(status: $0, fromClusterARN: state.string("FromDbClusterArn"), toClusterARN: state.string("ToDbClusterArn"),
                                  isDataLossAllowed: state.string("IsDataLossAllowed") == "true")
                }
            }
        }

        public var writer: Member? { members.first(where: \.isWriter) }
    }

    public struct DBCluster: Sendable, Hashable {
        public var identifier: String
        public var arn: String
        public var status: String
        public var engine: String?
        public var engineVersion: String?
        /// Instance identifiers and whether each is the cluster's writer.
        public var members: [(instance: String, isWriter: Bool)]

        init(_ xml: XMLElement) {
            identifier = xml.string("DBClusterIdentifier") ?? ""
            arn = xml.string("DBClusterArn") ?? ""
            status = xml.string("Status") ?? ""
            engine = xml.string("Engine")
            engineVersion = xml.string("EngineVersion")
            members = (xml["DBClusterMembers"]?.children ?? []).map {
                ($0.string("DBInstanceIdentifier") ?? "", $0.string("IsClusterWriter") == "true")
            }
        }

        public static func == (lhs: DBCluster, rhs: DBCluster) -> Bool {
            lhs.arn == rhs.arn && lhs.status == rhs.status && lhs.members.map(\.instance) == rhs.members.map(\.instance)
        }
        public func hash(into hasher: inout Hasher) { hasher.combine(arn) }
    }

    public struct DBInstance: Sendable, Hashable {
        public var identifier: String
        public var status: String
        public var clusterIdentifier: String?
        public var instanceClass: String?
        public var tags: [String: String] = [:]
        public var arn: String? = nil
    }

    /// nil when the global cluster does not exist.
    public func describeGlobalCluster(_ identifier: String) async throws -> GlobalCluster? {
        do {
            let result = try await client.query(.rds, "DescribeGlobalClusters", [("GlobalClusterIdentifier", identifier)]).queryResult()
            // Filter by name: some implementations (moto) list every global cluster regardless.
            return result["GlobalClusters"]?.children.map(GlobalCluster.init).first { $0.identifier.lowercased() == identifier.lowercased() }
        } catch let error as AWSError where error.code == "GlobalClusterNotFoundFault" {
            return nil
        }
    }

    /// nil when the cluster does not exist in this region.
    public func describeDBCluster(_ identifier: String) async throws -> DBCluster? {
        do {
            let result = try await client.query(.rds, "DescribeDBClusters", [("DBClusterIdentifier", identifier)]).queryResult()
            return result["DBClusters"]?.children.first.map(DBCluster.init)
        } catch let error as AWSError where error.code == "DBClusterNotFoundFault" {
            return nil
        }
    }

    /// nil when the instance does not exist in this region.
    public func describeDBInstance(_ identifier: String) async throws -> DBInstance? {
        do {
            let result = try await client.query(.rds, "DescribeDBInstances", [("DBInstanceIdentifier", identifier)]).queryResult()
            return result["DBInstances"]?.children.first.map {
                DBInstance(identifier: $0.string("DBInstanceIdentifier") ?? identifier, status: $0.string("DBInstanceStatus") ?? "",
                           clusterIdentifier: $0.string("DBClusterIdentifier"), instanceClass: $0.string("DBInstanceClass"),
                           tags: Dictionary(($0["TagList"]?.children ?? []).compactMap { tag in
                               tag.string("Key").map { ($0, tag.string("Value") ?? "") }
                           }, uniquingKeysWith: { first, _ in first }), arn: $0.string("DBInstanceArn"))
            }
        } catch let error as AWSError where error.code == "DBInstanceNotFound" || error.code == "DBInstanceNotFoundFault" {
            return nil
        }
    }

    public func createDBInstance(_ identifier: String, cluster: String, instanceClass: String, engine: String,
                                 tags: [String: String]) async throws {
        var parameters: QueryParameters = [("DBInstanceIdentifier", identifier), ("DBClusterIdentifier", cluster),
                                           ("DBInstanceClass", instanceClass), ("Engine", engine)]
        for (index, tag) in tags.sorted(by: { $0.key < $1.key }).enumerated() {
            parameters.add("Tags.Tag.\(index + 1).Key", tag.key)
            parameters.add("Tags.Tag.\(index + 1).Value", tag.value)
        }
        _ = try await client.query(.rds, "CreateDBInstance", parameters)
    }

    public func deleteDBInstance(_ identifier: String) async throws {
        _ = try await client.query(.rds, "DeleteDBInstance", [("DBInstanceIdentifier", identifier), ("SkipFinalSnapshot", "true")])
    }

    /// A managed failover that may lose the writes not yet replicated (the primary is impaired).
    public func failoverGlobalCluster(_ identifier: String, targetClusterARN: String) async throws -> GlobalCluster? {
        let result = try await client.query(.rds, "FailoverGlobalCluster", [
            ("GlobalClusterIdentifier", identifier), ("TargetDbClusterIdentifier", targetClusterARN), ("AllowDataLoss", "true"),
        ]).queryResult()
        return result["GlobalCluster"].map(GlobalCluster.init)
    }

    /// A planned switchover: waits for the secondary to catch up, loses nothing.
    public func switchoverGlobalCluster(_ identifier: String, targetClusterARN: String) async throws -> GlobalCluster? {
        let result = try await client.query(.rds, "SwitchoverGlobalCluster", [
            ("GlobalClusterIdentifier", identifier), ("TargetDbClusterIdentifier", targetClusterARN),
        ]).queryResult()
        return result["GlobalCluster"].map(GlobalCluster.init)
    }
}
