import SluiceJSON

/// Writes the configuration reference (Markdown tables: key, type, default, meaning) from ``SluiceSpec``.
///
/// `sluice schema --reference` prints it; the README embeds it between markers and a test keeps them equal.
public enum ReferenceGenerator {
    public static func markdown() -> String {
        var out = ""
        section("", .record(SluiceSpec.root), into: &out)
        return out
    }

    private static func section(_ path: String, _ type: SpecType, into out: inout String) {
        guard case .record(let spec) = type else { return }
        out += "\n#### `\(path.isEmpty ? "top level" : path)`\n\n"
        out += "| key | type | default | meaning |\n| --- | --- | --- | --- |\n"
        var nested: [(String, SpecType)] = []
        for field in spec.fields {
            let defaultText: String
            if let d = field.defaultValue {
                defaultText = "`\(d.serialized())`"
            } else {
                defaultText = field.required ? "required" : "not set"
            }
            var meaning = field.summary
            if let e = field.example { meaning += " Example: `\(e.serialized())`." }
            let fieldPath = path.isEmpty ? field.name : "\(path).\(field.name)"
            out +=
                "| `\(field.name)` | \(typeName(field.type)) | \(defaultText) | \(meaning.replacing("|", with: "\\|")) |\n"
            for (name, inner) in innerRecords(field.type, path: fieldPath) { nested.append((name, inner)) }
        }
        for (name, inner) in nested { section(name, inner, into: &out) }
    }

    private static func innerRecords(_ type: SpecType, path: String) -> [(String, SpecType)] {
        switch type {
        case .record: [(path, type)]
        case .list(let element): innerRecords(element, path: "\(path)[]")
        case .map(let spec): innerRecords(spec.value, path: "\(path).<\(spec.keyDescription)>")
        case .either(let alternatives): alternatives.flatMap { innerRecords($0, path: path) }
        default: []
        }
    }

    static func typeName(_ type: SpecType) -> String {
        switch type {
        case .string(let kind): kind == .text ? "string" : "string (\(kind.rawValue))"
        case .integer(let min, let max): "integer \(min)–\(max)"
        case .boolean: "boolean"
        case .duration: "duration"
        case .size: "size"
        case .json: "any JSON value"
        case .choice(let options): options.map { "`\($0)`" }.joined(separator: " \\| ")
        case .list(let element): "list of \(typeName(element))"
        case .record: "mapping"
        case .map(let spec): "mapping of \(spec.keyDescription) → \(typeName(spec.value))"
        case .either(let alternatives): alternatives.map(typeName).joined(separator: " or ")
        case .version: "`1`"
        }
    }
}
