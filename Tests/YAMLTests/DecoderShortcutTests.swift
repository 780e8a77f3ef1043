import Testing
import YAML

/// The decoder reads scalars, optional fields and string maps without going through their own
/// init(from:); what it accepts and the errors it gives must be what that path gave.
@Suite struct DecoderShortcutTests {
    struct Meta: Codable, Equatable {
        var name: String?
        var generation: Int64?
        var ready: Bool?
        var ratio: Double?
        var small: Int8?
        var labels: [String: String]?
        var extra: JSONValue?
    }

    struct Required: Codable, Equatable {
        var name: String
        var count: UInt16
        var share: Float
        var labels: [String: String]
    }

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try YAMLDecoder().decode(type, from: try JSONParser.parse(json))
    }

    func error<T: Decodable>(_ type: T.Type, _ json: String) -> String? {
        do { _ = try decode(type, json); return nil } catch { return "\(error)" }
    }

    @Test func optionalFieldsAbsentNullOrSet() throws {
        #expect(try decode(Meta.self, "{}") == Meta())
        #expect(try decode(Meta.self, #"{"name":null,"generation":null,"labels":null,"extra":null}"#) == Meta())
        let meta = try decode(Meta.self, #"{"name":"a","generation":3.0,"ready":true,"ratio":2,"small":-8,"labels":{"0":"x","b":"y"},"extra":[1]}"#)
        #expect(meta == Meta(name: "a", generation: 3, ready: true, ratio: 2, small: -8, labels: ["0": "x", "b": "y"], extra: [1]))
        #expect(try decode(Required.self, #"{"name":"n","count":65535,"share":0.5,"labels":{}}"#)
                == Required(name: "n", count: 65535, share: 0.5, labels: [:]))
    }

    @Test func errorsNameTheFieldAndWhatWasFound() {
        #expect(error(Meta.self, #"{"name":1}"#) == "name: expected a string, found integer 1")
        #expect(error(Meta.self, #"{"generation":"3"}"#) == #"generation: expected an integer, found string "3""#)
        #expect(error(Meta.self, #"{"generation":1.5}"#) == "generation: expected an integer, found number 1.5")
        #expect(error(Meta.self, #"{"small":300}"#) == "small: the number 300 does not fit in Int8")
        #expect(error(Meta.self, #"{"ready":"yes"}"#) == #"ready: expected a boolean, found string "yes""#)
        #expect(error(Meta.self, #"{"ratio":false}"#) == "ratio: expected a number, found boolean false")
        #expect(error(Meta.self, #"{"labels":[]}"#) == "labels: expected a mapping, found a list")
        #expect(error(Meta.self, #"{"labels":{"a":"x","b":2}}"#) == "labels.b: expected a string, found integer 2")
        #expect(error(Meta.self, #"{"labels":{"7":null}}"#) == "labels[7]: expected a string, found null")
        #expect(error(Required.self, #"{"count":1,"share":1,"labels":{}}"#) == #"name: missing required field "name""#)
        #expect(error(Required.self, #"{"name":null,"count":1,"share":1,"labels":{}}"#) == "name: expected a string, found null")
        #expect(error(Required.self, #"{"name":"n","count":-1,"share":1,"labels":{}}"#) == "count: the number -1 does not fit in UInt16")
        #expect(error(Required.self, #"{"name":"n","count":1,"share":1e39,"labels":{}}"#) == "share: the number 1e+39 does not fit in Float")
        #expect(error(Required.self, #"{"name":"n","count":1,"share":1,"labels":null}"#) == "labels: expected a mapping, found null")
    }
}
