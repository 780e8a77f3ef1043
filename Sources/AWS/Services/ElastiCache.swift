/// The ElastiCache calls the ElastiCache module makes (query protocol): global datastores and
/// their regional replication groups.
public struct ElastiCache: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct GlobalDatastore: Sendable, Hashable {
        public struct Member: Sendable, Hashable {
            public var replicationGroupId: String
            public var region: String
            /// PRIMARY or SECONDARY.
            public var role: String
            /// associating, associated, disassociating, …
            public var status: String
            public var isPrimary: Bool { role.uppercased() == "PRIMARY" }
        }

        public var identifier: String
        /// creating, available, modifying, primary-only, deleting, create-failed, failed.
        public var status: String
        public var members: [Member]

        init(_ xml: XMLElement) {
            identifier = xml.string("GlobalReplicationGroupId") ?? ""
            status = xml.string("Status") ?? ""
            members = (xml["Members"]?.children ?? []).map {
                Member(replicationGroupId: $0.string("ReplicationGroupId") ?? "", region: $0.string("ReplicationGroupRegion") ?? "",
                       role: $0.string("Role") ?? "", status: $0.string("Status") ?? "")
            }
        }

        public func member(in region: String) -> Member? { members.first { $0.region == region } }
    }

    public struct ReplicationGroup: Sendable, Hashable {
        public var identifier: String
        /// creating, available, modifying, deleting, create-failed, snapshotting.
        public var status: String
        public var arn: String?
        /// The datastore it belongs to, if any.
        public var globalReplicationGroupId: String?
        /// Nodes in its first node group (primary and replicas).
        public var nodesPerGroup: Int?

        init(_ xml: XMLElement) {
            identifier = xml.string("ReplicationGroupId") ?? ""
            status = xml.string("Status") ?? ""
            arn = xml.string("ARN")
            globalReplicationGroupId = xml["GlobalReplicationGroupInfo"]?.string("GlobalReplicationGroupId").flatMap { $0.isEmpty ? nil : $0 }
            nodesPerGroup = xml["NodeGroups"]?.children.first?["NodeGroupMembers"].map { $0.children.count }
        }
    }

    /// The datastore with its members, or nil when ElastiCache does not know it.
    public func globalDatastore(_ identifier: String) async throws -> GlobalDatastore? {
        do {
            let result = try await client.query(.elastiCache, "DescribeGlobalReplicationGroups",
                                                [("GlobalReplicationGroupId", identifier), ("ShowMemberInfo", "true")]).queryResult()
            return result["GlobalReplicationGroups"]?.children.first.map(GlobalDatastore.init)
        } catch let error as AWSError where error.code == "GlobalReplicationGroupNotFoundFault" {
            return nil
        }
    }

    /// The replication group, or nil when it does not exist in this region.
    public func replicationGroup(_ identifier: String) async throws -> ReplicationGroup? {
        do {
            let result = try await client.query(.elastiCache, "DescribeReplicationGroups", [("ReplicationGroupId", identifier)]).queryResult()
            return result["ReplicationGroups"]?.children.first.map(ReplicationGroup.init)
        } catch let error as AWSError where error.code == "ReplicationGroupNotFoundFault" {
            return nil
        }
    }

    /// Every replication group of this region (first page of 100: enough to find Lifeboat's own by tag).
    public func replicationGroups() async throws -> [ReplicationGroup] {
        let result = try await client.query(.elastiCache, "DescribeReplicationGroups", [("MaxRecords", "100")]).queryResult()
        return (result["ReplicationGroups"]?.children ?? []).map(ReplicationGroup.init)
    }

    public func tags(of arn: String) async throws -> [String: String] {
        let result = try await client.query(.elastiCache, "ListTagsForResource", [("ResourceName", arn)]).queryResult()
        return Dictionary((result["TagList"]?.children ?? []).compactMap { tag in
            tag.string("Key").map { ($0, tag.string("Value") ?? "") }
        }, uniquingKeysWith: { first, _ in first })
    }

    public func addTags(_ arn: String, _ tags: [String: String]) async throws {
        var parameters: QueryParameters = [("ResourceName", arn)]
        Self.add(tags, to: &parameters)
        _ = try await client.query(.elastiCache, "AddTagsToResource", parameters)
    }

    /// The planned promotion of `replicationGroupId` in `region` to the datastore's primary.
    public func failover(_ datastore: String, to replicationGroupId: String, in region: String) async throws {
        _ = try await client.query(.elastiCache, "FailoverGlobalReplicationGroup",
                                   [("GlobalReplicationGroupId", datastore), ("PrimaryRegion", region), ("PrimaryReplicationGroupId", replicationGroupId)])
    }

    /// Takes a secondary out of the datastore: it stops replicating and stands alone, writable.
    public func disassociate(_ datastore: String, member replicationGroupId: String, in region: String) async throws {
        _ = try await client.query(.elastiCache, "DisassociateGlobalReplicationGroup",
                                   [("GlobalReplicationGroupId", datastore), ("ReplicationGroupId", replicationGroupId),
                                    ("ReplicationGroupRegion", region)])
    }

    /// A secondary of `datastore` in this region.
    public func createMember(_ identifier: String, of datastore: String, description: String, subnetGroup: String,
                             cacheNodeType: String?, replicasPerNodeGroup: Int?, tags: [String: String]) async throws {
        var parameters: QueryParameters = [("ReplicationGroupId", identifier), ("ReplicationGroupDescription", description),
                                           ("GlobalReplicationGroupId", datastore), ("CacheSubnetGroupName", subnetGroup)]
        parameters.add("CacheNodeType", cacheNodeType)
        parameters.add("ReplicasPerNodeGroup", replicasPerNodeGroup)
        Self.add(tags, to: &parameters)
        _ = try await client.query(.elastiCache, "CreateReplicationGroup", parameters)
    }

    public func deleteReplicationGroup(_ identifier: String) async throws {
        _ = try await client.query(.elastiCache, "DeleteReplicationGroup", [("ReplicationGroupId", identifier), ("RetainPrimaryCluster", "false")])
    }

    /// ElastiCache names a Tags member "Tag" on the wire.
    private static func add(_ tags: [String: String], to parameters: inout QueryParameters) {
        for (index, tag) in tags.sorted(by: { $0.key < $1.key }).enumerated() {
            parameters.add("Tags.Tag.\(index + 1).Key", tag.key)
            parameters.add("Tags.Tag.\(index + 1).Value", tag.value)
        }
    }
}
