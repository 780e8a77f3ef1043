import AWS
import Engine
import YAML

/// The configuration of a MemoryDB cluster as Cleanup saves it in SSM and Activate restores it:
/// a JSON object of CreateCluster's own fields, so what was saved is what gets created.
///
/// Only the fields below are kept or accepted: the name, the restore source and the tags come
/// from the resource's parameters, never from a value someone can edit in SSM.
struct MemoryDBClusterConfig: Sendable, Hashable {
    static let fields: Set<String> = ["NodeType", "ACLName", "SubnetGroupName", "SecurityGroupIds", "ParameterGroupName", "NumShards",
                                      "NumReplicasPerShard", "Engine", "EngineVersion", "Port", "TLSEnabled", "KmsKeyId",
                                      "SnapshotRetentionLimit", "SnapshotWindow", "MaintenanceWindow", "SnsTopicArn", "Description",
                                      "AutoMinorVersionUpgrade", "DataTiering"]

    var input: JSONObject

    /// The saved text: canonical JSON, so saving the same cluster twice writes the same value.
    var text: String { JSONWriter.canonical(.object(input)) }

    /// From DescribeClusters (with shard details) of the cluster about to be deleted.
    init(describing cluster: JSONValue) {
        var input = JSONObject()
        for key in ["NodeType", "ACLName", "SubnetGroupName", "ParameterGroupName", "Engine", "EngineVersion", "KmsKeyId",
                    "SnapshotWindow", "MaintenanceWindow", "SnsTopicArn", "Description"] {
            if let value = cluster[key]?.stringValue, !value.isEmpty { input[key] = .string(value) }
        }
        for key in ["SnapshotRetentionLimit"] { if let value = cluster[key]?.intValue { input[key] = .int(value) } }
        for key in ["TLSEnabled", "AutoMinorVersionUpgrade"] { if let value = cluster[key]?.boolValue { input[key] = .bool(value) } }
        if let shards = cluster["NumberOfShards"]?.intValue { input["NumShards"] = .int(shards) }
        // Describe counts every node of a shard; Create asks for the replicas beside its primary.
        if let nodes = cluster["Shards"]?.arrayValue?.first?["NumberOfNodes"]?.intValue, nodes >= 1 {
            input["NumReplicasPerShard"] = .int(nodes - 1)
        }
        if let port = cluster["ClusterEndpoint"]?["Port"]?.intValue { input["Port"] = .int(port) }
        let groups = (cluster["SecurityGroups"]?.arrayValue ?? []).compactMap { $0["SecurityGroupId"]?.stringValue }
        if !groups.isEmpty { input["SecurityGroupIds"] = .array(groups.map(JSONValue.string)) }
        // Describe answers DataTiering as the string "true"/"false"; Create takes a boolean.
        if let tiering = cluster["DataTiering"]?.stringValue { input["DataTiering"] = .bool(tiering == "true") }
        self.input = input
    }

    /// From the text in SSM; the error says what is wrong without repeating the value.
    init(saved text: String, key: String) throws(ModuleError) {
        guard let parsed = try? JSONParser.parse(text), let object = parsed.objectValue else {
            throw .permanent("the MemoryDB configuration in SSM \(key) is not a JSON object; Cleanup writes it, or write CreateCluster's fields there",
                             code: "BadClusterConfig")
        }
        let unknown = object.keys.filter { !Self.fields.contains($0) }
        guard unknown.isEmpty else {
            throw .permanent("the MemoryDB configuration in SSM \(key) has fields Activate does not take: \(unknown.sorted().joined(separator: ", "))",
                             code: "BadClusterConfig")
        }
        for required in ["NodeType", "ACLName"] where object[required]?.stringValue == nil {
            throw .permanent("the MemoryDB configuration in SSM \(key) has no \(required), which CreateCluster needs", code: "BadClusterConfig")
        }
        input = object
    }
}
