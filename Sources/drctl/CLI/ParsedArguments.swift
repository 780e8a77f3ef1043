import LifeboatAPI

/// A command's option table and what the command line said.
///
/// Deliberately small: long options (`--output yaml`, `--output=yaml`), short aliases (`-o yaml`),
/// flags, repeatable options, positionals, and `--` to end options. Every mistake becomes a
/// `UsageError` that names the option and points at `--help`.
struct OptionSpec {
    let long: String
    let short: Character?
    let takesValue: Bool
    let repeatable: Bool
    let valueName: String
    let help: String

    static func flag(_ long: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, takesValue: false, repeatable: false, valueName: "", help: help)
    }

    static func value(_ long: String, short: Character? = nil, name: String, repeatable: Bool = false, help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, takesValue: true, repeatable: repeatable, valueName: name, help: help)
    }

    static let help = OptionSpec.flag("help", short: "h", help: "Show this help.")
}

struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

struct ParsedArguments {
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    init(_ arguments: [String], options: [OptionSpec]) throws(UsageError) {
        let options = options + [.help]
        var index = 0
        var onlyPositionals = false
        func spec(long: String) -> OptionSpec? { options.first { $0.long == long } }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || argument == "-" || !argument.hasPrefix("-") {
                positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            var name: String
            var inlineValue: String?
            if argument.hasPrefix("--") {
                name = String(argument.dropFirst(2))
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
            } else {
                let shortName = argument.dropFirst()
                guard let first = shortName.first,
                      let option = options.first(where: { $0.short == first }) else {
                    throw UsageError("unknown option \(argument)")
                }
                name = option.long
                if shortName.count > 1 { inlineValue = String(shortName.dropFirst()) }
            }
            guard let option = spec(long: name) else {
                let suggestion = EditDistance.closest(to: name, in: options.map(\.long))
                throw UsageError("unknown option --\(name)" + (suggestion.map { " (did you mean --\($0)?)" } ?? ""))
            }
            if option.takesValue {
                let value: String
                if let inlineValue { value = inlineValue }
                else if index < arguments.count { value = arguments[index]; index += 1 }
                else { throw UsageError("option --\(name) needs a value (\(option.valueName))") }
                if !option.repeatable, values[name] != nil { throw UsageError("option --\(name) was given more than once") }
                values[name, default: []].append(value)
            } else {
                if inlineValue != nil { throw UsageError("option --\(name) takes no value") }
                flags.insert(name)
            }
        }
    }

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ name: String) -> Bool { flags.contains(name) }
    var wantsHelp: Bool { flags.contains("help") }
}
