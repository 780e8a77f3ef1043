/// A field with a default (the same default crds/ declares, so a manifest read from a file means
/// what it means once the API server has defaulted it).
///
/// Absent or null decodes to the default; the default is not written back, so `drctl convert`
/// output stays as short as what a person would write.
public protocol FieldDefault: Sendable {
    associatedtype Value: Codable & Sendable & Hashable
    static var value: Value { get }
}

@propertyWrapper
public struct Defaulted<Default: FieldDefault>: Codable, Sendable, Hashable {
    public var wrappedValue: Default.Value

    public init(wrappedValue: Default.Value) { self.wrappedValue = wrappedValue }
    public init() { self.wrappedValue = Default.value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? Default.value : try container.decode(Default.Value.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

/// Lets tooling (the CRD agreement test) read a field's default without knowing its type.
public protocol DefaultedField {
    static var defaultValueForTooling: any Encodable { get }
}

extension Defaulted: DefaultedField {
    public static var defaultValueForTooling: any Encodable { Default.value }
}

extension KeyedDecodingContainer {
    public func decode<D>(_ type: Defaulted<D>.Type, forKey key: Key) throws -> Defaulted<D> {
        try decodeIfPresent(type, forKey: key) ?? Defaulted()
    }
}

extension KeyedEncodingContainer {
    public mutating func encode<D>(_ value: Defaulted<D>, forKey key: Key) throws {
        guard value.wrappedValue != D.value else { return }
        try encode(value.wrappedValue, forKey: key)
    }
}

/// The defaults used in the API (kept in one place so crds/ and Swift are easy to compare).
public enum Defaults {
    public enum False: FieldDefault { public static let value = false }
    public enum Zero: FieldDefault { public static let value = 0 }
    public enum FailOnError: FieldDefault { public static let value = OnError.fail }
    public enum FailoverDirection: FieldDefault { public static let value = Direction.failover }
    public enum GracefulStrategy: FieldDefault { public static let value = Strategy.graceful }
    public enum DrillsRequireApproval: FieldDefault { public static let value = DrillApproval.required }
    /// The disruptive phases wait for a person by default.
    public enum ApprovedPhases: FieldDefault { public static let value: [Phase] = [.activate, .cleanup, .replicate] }
    public enum RoleName: FieldDefault { public static let value = "lifeboat-execution" }
    public enum ReadinessInterval: FieldDefault { public static let value = GoDuration.minutes(15) }
    public enum EmptyAccounts: FieldDefault { public static let value = AccountSettings() }
    public enum EmptyApprovals: FieldDefault { public static let value = ApprovalPolicy() }
    public enum EmptyReadiness: FieldDefault { public static let value = ReadinessSettings() }
}
