#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import YAML

/// The Lambda calls the LambdaFunction module makes (rest-json, API version 2015-03-31; tags 2017-03-31).
public struct Lambda: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct Function: Sendable, Hashable {
        public var name: String
        /// The unqualified ARN (tags belong to the function, not to a version or alias).
        public var arn: String
        /// Pending, Active, Inactive, Failed.
        public var state: String?
        public var stateReason: String?
        public var runtime: String?
        /// Seconds the function may run.
        public var timeout: Int?
    }

    public struct Invocation: Sendable, Hashable {
        public var statusCode: Int
        /// Handled or Unhandled when the function failed.
        public var functionError: String?
        /// The response payload as the function returned it (text; usually JSON).
        public var payload: String
        /// The last 4 KB of the execution log, when asked for (LogType Tail).
        public var logTail: String?
        public var executedVersion: String?
    }

    /// `name`, `name:qualifier`, or an ARN, split as Lambda reads it.
    static func split(_ nameOrArn: String) -> (name: String, qualifier: String?) {
        let parts = nameOrArn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "arn" { return (parts.prefix(7).joined(separator: ":"), parts.count > 7 ? parts[7] : nil) }
        return parts.count == 2 ? (parts[0], parts[1]) : (nameOrArn, nil)
    }

    public func getFunction(_ nameOrArn: String) async throws -> Function {
        let (name, qualifier) = Self.split(nameOrArn)
        let output = try await client.send(.lambda, .restJSON("GetFunction", .get, AWSOperation.path("/2015-03-31/functions/", .label(name)),
                                                              query: qualifier.map { [("Qualifier", $0)] } ?? [])).json()
        let configuration = output["Configuration"] ?? .null
        let arn = configuration["FunctionArn"]?.stringValue ?? ""
        return Function(name: configuration["FunctionName"]?.stringValue ?? name,
                        arn: arn.split(separator: ":", omittingEmptySubsequences: false).prefix(7).joined(separator: ":"),
                        state: configuration["State"]?.stringValue, stateReason: configuration["StateReason"]?.stringValue,
                        runtime: configuration["Runtime"]?.stringValue, timeout: configuration["Timeout"]?.intValue)
    }

    /// A synchronous (RequestResponse) invocation with the log tail. `payload` is sent as is.
    public func invoke(_ nameOrArn: String, payload: [UInt8]) async throws -> Invocation {
        let (name, qualifier) = Self.split(nameOrArn)
        var operation = AWSOperation.restJSON("Invoke", .post, AWSOperation.path("/2015-03-31/functions/", .label(name), "/invocations"),
                                              query: qualifier.map { [("Qualifier", $0)] } ?? [])
        operation.headers["X-Amz-Invocation-Type"] = "RequestResponse"
        operation.headers["X-Amz-Log-Type"] = "Tail"
        operation.headers["Content-Type"] = "application/json"
        operation.body = payload
        let response = try await client.send(.lambda, operation)
        let tail = response.headers["X-Amz-Log-Result"].flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
        return Invocation(statusCode: response.status, functionError: response.headers["X-Amz-Function-Error"],
                          payload: String(decoding: response.body, as: UTF8.self), logTail: tail,
                          executedVersion: response.headers["X-Amz-Executed-Version"])
    }

    public func tags(of arn: String) async throws -> [String: String] {
        let output = try await client.send(.lambda, .restJSON("ListTags", .get, AWSOperation.path("/2017-03-31/tags/", .label(arn)))).json()
        return Dictionary((output["Tags"]?.objectValue.map(Array.init) ?? []).compactMap { key, value in
            value.stringValue.map { (key, $0) }
        }, uniquingKeysWith: { first, _ in first })
    }

    public func tag(_ arn: String, key: String, value: String) async throws {
        _ = try await client.send(.lambda, .restJSON("TagResource", .post, AWSOperation.path("/2017-03-31/tags/", .label(arn)),
                                                     body: ["Tags": [key: .string(value)]]))
    }

    public func untag(_ arn: String, key: String) async throws {
        _ = try await client.send(.lambda, .restJSON("UntagResource", .delete, AWSOperation.path("/2017-03-31/tags/", .label(arn)),
                                                     query: [("tagKeys", key)]))
    }
}
