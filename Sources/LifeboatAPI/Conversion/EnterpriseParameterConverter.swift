import YAML

/// Turns an enterprise resource's `parameters` into Lifeboat parameters (docs/convert.md rule 6):
/// a list of dicts becomes `Items` for the modules that take a list, and one resource per dict
/// for the others; `AccountId` copies are taken out (they become the resource's `accountId`);
/// known misspellings and case-only differences are renamed. Values are never changed, so
/// references such as "resolve:ssm:/x" and "!Import y" stay as written.
struct EnterpriseParameterConverter {
    /// One Lifeboat resource's worth of parameters.
    struct Result {
        var parameters: JSONValue?
        /// The AccountId copies that were inside the parameters.
        var accounts: [FoundAccount]
    }

    let module: ModuleName
    let source: String

    /// One result, or one per dict when a module that takes one object was given several.
    func convert(_ raw: JSONValue?, at path: FieldPath, warnings: inout [ConversionWarning]) throws(ConversionError) -> [Result] {
        guard let raw, raw != .null else { return [Result(parameters: nil, accounts: [])] }
        let takesItems = EnterpriseParameterSpelling.takesItems(module)
        switch raw {
        case .object(let object) where takesItems:
            return [try itemsFromObject(object, at: path, warnings: &warnings)]
        case .object(let object):
            let (converted, accounts) = try normalize(object, .root(module), at: path, warnings: &warnings)
            return [Result(parameters: .object(converted), accounts: accounts)]
        case .array(let list):
            let objects = try Self.objects(list, at: path, source: source)
            if takesItems {
                var items: [JSONValue] = []
                var accounts: [FoundAccount] = []
                for (index, object) in objects.enumerated() {
                    let (item, found) = try normalize(object, .item(module), at: path.index(index), warnings: &warnings)
                    items.append(.object(item))
                    accounts += found
                }
                return [Result(parameters: .object(["Items": .array(items)]), accounts: accounts)]
            }
            if objects.isEmpty {
                warnings.append(ConversionWarning(source: source, path: path, "parameters is an empty list; the resource gets none"))
                return [Result(parameters: nil, accounts: [])]
            }
            var results: [Result] = []
            for (index, object) in objects.enumerated() {
                let (converted, accounts) = try normalize(object, .root(module), at: path.index(index), warnings: &warnings)
                results.append(Result(parameters: .object(converted), accounts: accounts))
            }
            return results
        default:
            throw ConversionError(source: source, path: path, "parameters is an object or a list of objects, got \(raw.typeName)")
        }
    }

    /// An Items module given one object: either Lifeboat's own form (`{Items: [...]}`) or one
    /// enterprise dict, which becomes the only item.
    private func itemsFromObject(_ object: JSONObject, at path: FieldPath,
                                 warnings: inout [ConversionWarning]) throws(ConversionError) -> Result {
        guard object["Items"] != nil else {
            let (item, accounts) = try normalize(object, .item(module), at: path, warnings: &warnings)
            return Result(parameters: .object(["Items": .array([.object(item)])]), accounts: accounts)
        }
        var (root, accounts) = try normalize(object, .root(module), at: path, warnings: &warnings)
        if case .array(let list)? = root["Items"] {
            var items: [JSONValue] = []
            for (index, element) in list.enumerated() {
                // Anything but an object is left for validation to report at its path.
                guard case .object(let item) = element else { items.append(element); continue }
                let (converted, found) = try normalize(item, .item(module), at: path.key("Items").index(index), warnings: &warnings)
                items.append(.object(converted))
                accounts += found
            }
            root["Items"] = .array(items)
        }
        return Result(parameters: .object(root), accounts: accounts)
    }

    private static func objects(_ list: [JSONValue], at path: FieldPath, source: String) throws(ConversionError) -> [JSONObject] {
        var objects: [JSONObject] = []
        for (index, element) in list.enumerated() {
            guard case .object(let object) = element else {
                throw ConversionError(source: source, path: path.index(index),
                                      "a parameters list holds objects, got \(element.typeName)")
            }
            objects.append(object)
        }
        return objects
    }

    /// Takes out `AccountId` and renames keys to the catalog's spelling, keeping key order.
    private func normalize(_ object: JSONObject, _ spelling: EnterpriseParameterSpelling, at path: FieldPath,
                           warnings: inout [ConversionWarning]) throws(ConversionError) -> (JSONObject, [FoundAccount]) {
        var accounts: [FoundAccount] = []
        var out = JSONObject()
        for (key, value) in object {
            let keyPath = path.key(key)
            if key.lowercased() == "accountid", !spelling.known.contains(key) {
                if let account = try EnterpriseAccountID.normalize(value, at: keyPath, source: source, warnings: &warnings) {
                    accounts.append(FoundAccount(value: account, path: keyPath))
                }
                continue
            }
            guard let (target, why) = Self.rename(key, spelling, in: object) else {
                out[key] = value   // known, or unknown: validation reports unknown keys with a "did you mean" hint
                continue
            }
            if object[target] != nil || out[target] != nil {
                warnings.append(ConversionWarning(source: source, path: keyPath,
                    "\"\(key)\" is \(why), but \"\(target)\" is also given; both are kept as written (remove one)"))
                out[key] = value
            } else {
                warnings.append(ConversionWarning(source: source, path: keyPath, "renamed \"\(key)\" to \"\(target)\": \(why)"))
                out[target] = value
            }
        }
        return (out, accounts)
    }

    /// The catalog key an enterprise key stands for, and why; nil when the key is kept.
    private static func rename(_ key: String, _ spelling: EnterpriseParameterSpelling, in object: JSONObject) -> (key: String, why: String)? {
        if let meaning = spelling.meanings[key], meaning.alongside.contains(where: { object[$0] != nil }) { return (meaning.key, meaning.why) }
        if spelling.known.contains(key) { return nil }
        if let rename = spelling.renames[key] { return rename }
        let lowered = key.lowercased()
        if let match = spelling.known.first(where: { $0.lowercased() == lowered }) {
            return (match, "a case variant of \"\(match)\" (parameter names are case-sensitive)")
        }
        return nil
    }
}
