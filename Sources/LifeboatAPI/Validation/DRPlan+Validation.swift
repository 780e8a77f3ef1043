import YAML

extension DRPlan {
    /// Semantic validation: every rule of API.md and MODULES.md that the CRD schema cannot
    /// express. Assumes a value that decoded; returns every problem found, errors and warnings.
    public func validate() -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        problems += MetadataRules.validateName(metadata, kind: Self.kind)
        problems += spec.validate(at: "spec")
        return problems
    }
}

extension DRPlanSpec {
    public func validate(at path: FieldPath) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        problems += validateRegions(at: path / "regions")
        problems += validateAccounts(at: path / "accounts")
        if readiness.interval > .zero, readiness.interval < .minutes(1) {
            problems.append(ValidationProblem(path / "readiness" / "interval",
                "readiness preflight every \(readiness.interval) would poll AWS too often",
                hint: "use 1m or more, or 0 to disable readiness checks"))
        }
        if layers.isEmpty {
            problems.append(ValidationProblem(path / "layers", "a plan needs at least one layer"))
        }
        var layerNames: [String: Int] = [:]
        var resourceNames: [String: FieldPath] = [:]
        for (layerIndex, layer) in layers.enumerated() {
            let layerPath = path / "layers" / layerIndex
            if !NamingRules.isDNSLabel(layer.name) {
                problems.append(ValidationProblem(layerPath / "name", "invalid layer name \"\(layer.name)\": must be a DNS label",
                    hint: "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit"))
            }
            if let first = layerNames[layer.name] {
                problems.append(ValidationProblem(layerPath / "name", "duplicate layer name \"\(layer.name)\" (also spec.layers[\(first)])",
                    hint: "layer names must be unique in the plan"))
            } else {
                layerNames[layer.name] = layerIndex
            }
            if layer.maxConcurrency < 0 {
                problems.append(ValidationProblem(layerPath / "maxConcurrency", "must be 0 (no limit) or more, got \(layer.maxConcurrency)"))
            }
            if layer.resources.isEmpty {
                problems.append(ValidationProblem(layerPath / "resources", "a layer needs at least one resource"))
            }
            for (resourceIndex, resource) in layer.resources.enumerated() {
                let resourcePath = layerPath / "resources" / resourceIndex
                if let first = resourceNames[resource.name] {
                    problems.append(ValidationProblem(resourcePath / "name", "duplicate resource name \"\(resource.name)\" (also \(first))",
                        hint: "resource names must be unique across the whole plan"))
                } else {
                    resourceNames[resource.name] = resourcePath
                }
                problems += resource.validate(at: resourcePath, defaultAccount: accounts.default)
            }
        }
        return problems
    }

    private func validateRegions(at path: FieldPath) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        for (field, region) in [("primary", regions.primary), ("secondary", regions.secondary)] {
            if !NamingRules.isRegionName(region) {
                problems.append(ValidationProblem(path / field, "invalid region \"\(region)\"", hint: "write an AWS region name such as us-east-1"))
            } else if !NamingRules.knownRegions.contains(region) {
                let guess = EditDistance.closest(to: region, in: NamingRules.knownRegions.sorted())
                problems.append(.warning(path / field, "\"\(region)\" is not an AWS region this release knows",
                    hint: guess.map { "did you mean \($0)?" } ?? "check the spelling"))
            }
        }
        if regions.primary == regions.secondary {
            problems.append(ValidationProblem(path / "secondary", "primary and secondary are both \(regions.primary)",
                hint: "a DR plan needs two different regions"))
        }
        return problems
    }

    private func validateAccounts(at path: FieldPath) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        if let account = accounts.default, !NamingRules.isAccountID(account) {
            problems.append(ValidationProblem(path / "default", "invalid account id \"\(account)\": must be 12 digits",
                hint: "quote it so leading zeros survive, e.g. \"011111111111\""))
        }
        if accounts.roleName.isEmpty || accounts.roleName.count > 64 {
            problems.append(ValidationProblem(path / "roleName", "an IAM role name must be 1-64 characters"))
        }
        return problems
    }
}

extension Resource {
    func validate(at path: FieldPath, defaultAccount: String?) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        let descriptor = ModuleCatalog.descriptor(for: module)
        if !NamingRules.isDNSLabel(name) {
            problems.append(ValidationProblem(path / "name", "invalid resource name \"\(name)\": must be a DNS label",
                hint: "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit"))
        }
        if let accountId {
            if !NamingRules.isAccountID(accountId) {
                problems.append(ValidationProblem(path / "accountId", "invalid account id \"\(accountId)\": must be 12 digits",
                    hint: "quote it so leading zeros survive, e.g. \"011111111111\""))
            }
        } else if defaultAccount == nil {
            problems.append(ValidationProblem(path / "accountId", "no AWS account for this resource",
                hint: "set accountId here or spec.accounts.default"))
        }
        if let phases {
            if phases.isEmpty {
                problems.append(ValidationProblem(path / "phases", "must name at least one phase", hint: "remove the field to run every phase the module supports"))
            }
            var seen: Set<Phase> = []
            for (index, phase) in phases.enumerated() {
                if !descriptor.supportedPhases.contains(phase) {
                    problems.append(ValidationProblem(path / "phases" / index, "module \(module) does not support phase \(phase)",
                        hint: "\(module) supports \(descriptor.supportedPhases.map(\.rawValue).joined(separator: ", "))"))
                }
                if !seen.insert(phase).inserted {
                    problems.append(ValidationProblem(path / "phases" / index, "phase \(phase) is listed twice"))
                }
            }
        }
        if let timeout, timeout <= .zero {
            problems.append(ValidationProblem(path / "timeout", "must be longer than 0", hint: "remove it to use the module default (\(descriptor.defaultTimeout))"))
        }
        let runPhases = (phases ?? descriptor.supportedPhases).filter(descriptor.supportedPhases.contains)
        // Drill Replicate only validates whatever `drill` says, so it is not a phase this changes.
        let riskier = runPhases.filter { $0 != .replicate && descriptor.drillDefault(for: $0) != .execute }
        if drill == .execute, !riskier.isEmpty {
            problems.append(.warning(path / "drill",
                "drill: Execute runs \(module) for real in drills of \(riskier.map(\.rawValue).joined(separator: ", ")) (its drill default is \(descriptor.drillDefaultsDescription))",
                hint: "keep it only if a drill may really change this resource; drills still never act in the serving region"))
        }
        problems += descriptor.validate(parameters: parameters, phases: runPhases, at: path / "parameters")
        return problems
    }
}

/// Rules on metadata shared by both kinds.
enum MetadataRules {
    static func validateName(_ metadata: ObjectMeta, kind: String) -> [ValidationProblem] {
        guard let name = metadata.name, !name.isEmpty else {
            return [ValidationProblem("metadata.name", "a \(kind) needs a name", hint: "set metadata.name")]
        }
        guard NamingRules.isDNSSubdomain(name) else {
            return [ValidationProblem("metadata.name", "invalid name \"\(name)\": must be a DNS subdomain",
                                      hint: "use lower-case letters, digits, '-' and '.'")]
        }
        return []
    }
}
