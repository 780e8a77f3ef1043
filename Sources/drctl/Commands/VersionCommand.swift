import YAML
import LifeboatAPI

/// `drctl version`.
enum VersionCommand: Command {
    static let name = "version"
    static let summary = "Print the drctl version and the API version it speaks."
    static let synopsis = "version [-o text|json|yaml]"
    static let details = ""
    static let options: [OptionSpec] = [OutputFormat.option]

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        let info: JSONObject = [
            "version": .string(LifeboatVersion.current),
            "apiVersion": .string(LifeboatGroup.apiVersion),
            "modules": .array(ModuleName.allCases.map { .string($0.rawValue) }),
        ]
        switch try OutputFormat(arguments) {
        case .text: console.out("drctl \(LifeboatVersion.current) (API \(LifeboatGroup.apiVersion))")
        case .json: console.out(JSONWriter.write(.object(info)))
        case .yaml: console.out(YAMLEncoder().encode(.object(info)))
        }
        return .success
    }
}
