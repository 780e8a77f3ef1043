import YAML

/// The MemoryDB calls the MemoryDB module makes (json 1.1, `AmazonMemoryDB.*`).
public struct MemoryDB: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct Cluster: Sendable, Hashable {
        public var name: String
        /// creating, available, updating, deleting, create-failed, snapshotting, …
        public var status: String
        public var arn: String
        /// `address:port` of the cluster's configuration endpoint, once there is one.
        public var endpoint: String?
        /// The cluster as DescribeClusters answered it, for the configuration Cleanup saves.
        public var raw: JSONValue
    }

    /// The cluster, or nil when MemoryDB does not know it.
    public func describeCluster(_ name: String) async throws -> Cluster? {
        do {
            let output = try await client.json(.memoryDB, "DescribeClusters", ["ClusterName": .string(name), "ShowShardDetails": true])
            return output["Clusters"]?.arrayValue?.first.map { cluster in
                let address = cluster["ClusterEndpoint"]?["Address"]?.stringValue
                let port = cluster["ClusterEndpoint"]?["Port"]?.intValue
                return Cluster(name: cluster["Name"]?.stringValue ?? name, status: cluster["Status"]?.stringValue ?? "",
                               arn: cluster["ARN"]?.stringValue ?? "",
                               endpoint: address.map { a in port.map { "\(a):\($0)" } ?? a }, raw: cluster)
            }
        } catch let error as AWSError where error.code == "ClusterNotFoundFault" {
            return nil
        }
    }

    /// Whether a snapshot of that name exists in this region.
    public func snapshotExists(_ name: String) async throws -> Bool {
        do {
            let output = try await client.json(.memoryDB, "DescribeSnapshots", ["SnapshotName": .string(name)])
            return !(output["Snapshots"]?.arrayValue ?? []).isEmpty
        } catch let error as AWSError where error.code == "SnapshotNotFoundFault" {
            return false
        }
    }

    public func tags(of arn: String) async throws -> [String: String] {
        let output = try await client.json(.memoryDB, "ListTags", ["ResourceArn": .string(arn)])
        return Dictionary((output["TagList"]?.arrayValue ?? []).compactMap { tag in
            tag["Key"]?.stringValue.map { ($0, tag["Value"]?.stringValue ?? "") }
        }, uniquingKeysWith: { first, _ in first })
    }

    /// memorydb:CreateCluster with `input` (the caller's configuration and restore source), the
    /// name and the tags set here.
    public func createCluster(_ name: String, input: JSONObject, tags: [String: String]) async throws {
        var body = input
        body["ClusterName"] = .string(name)
        body["Tags"] = .array(tags.sorted { $0.key < $1.key }.map { ["Key": .string($0.key), "Value": .string($0.value)] })
        _ = try await client.json(.memoryDB, "CreateCluster", .object(body))
    }

    /// memorydb:DeleteCluster, keeping a final snapshot.
    public func deleteCluster(_ name: String, finalSnapshot: String) async throws {
        _ = try await client.json(.memoryDB, "DeleteCluster", ["ClusterName": .string(name), "FinalSnapshotName": .string(finalSnapshot)])
    }
}
