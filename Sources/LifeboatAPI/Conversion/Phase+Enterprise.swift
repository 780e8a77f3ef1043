/// The enterprise solution names phases in upper case (`"action": "ACTIVATE"`) and puts them at
/// the end of manifest file names (`product-manifest-payments-ACTIVATE.json`), because its
/// approval e-mail showed only the path. Both spellings are read here.
extension Phase {
    /// The phase of an enterprise `action` (`INSTANTIATE`, `activate`, …), ignoring case and
    /// surrounding spaces; nil for anything else.
    public init?(enterpriseName: String) {
        let word = enterpriseName.conversionTrimmed().lowercased()
        guard let phase = Phase.allCases.first(where: { $0.rawValue.lowercased() == word }) else { return nil }
        self = phase
    }

    /// The phase named in a manifest file name or key (`mf/p-app1-ACTIVATE.json`,
    /// `product-manifest-payments-cleanup.yaml`): the last word, split on `-`, `_` and `.`, that
    /// is a phase. Directories and the extension are ignored. Nil when no word is a phase.
    public static func enterprisePhase(fromFileName name: String) -> Phase? {
        let file = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
        let words = file.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." })
        return words.reversed().lazy.compactMap { Phase(enterpriseName: String($0)) }.first
    }

    /// `enterprisePhase(fromFileName:)` as an initializer.
    public init?(enterpriseFileName name: String) {
        guard let phase = Phase.enterprisePhase(fromFileName: name) else { return nil }
        self = phase
    }

    /// The phase of an enterprise action or of a file name, whichever `text` is; nil when none.
    public static func enterprisePhase(_ text: String) -> Phase? {
        Phase(enterpriseName: text) ?? enterprisePhase(fromFileName: text)
    }

    /// How the enterprise wrote this phase (`ACTIVATE`), for messages that quote its manifests.
    public var enterpriseName: String { rawValue.uppercased() }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks (no Foundation in this target).
    func conversionTrimmed() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
