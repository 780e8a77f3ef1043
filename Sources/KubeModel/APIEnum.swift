/// A closed set of string values in the API (`phase: Activate`, `mode: Drill`, …).
///
/// Conforming enums get readable decoding errors that list the allowed values, and the CRD
/// agreement test reads `allCases` to check that crds/ lists exactly the same enum.
public protocol APIEnum: CaseIterable, Codable, Sendable, Hashable, RawRepresentable, CustomStringConvertible
where RawValue == String {}

extension APIEnum {
    public var description: String { rawValue }
    public static var allowedValues: [String] { allCases.map(\.rawValue) }
    public static var allowedValuesText: String { allowedValues.joined(separator: ", ") }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unsupported value \"\(raw)\": must be one of \(Self.allowedValuesText)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
