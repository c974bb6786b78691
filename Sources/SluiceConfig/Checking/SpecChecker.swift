import SluiceCore
import SluiceJSON
import SluiceYAML

/// Checks a YAML tree against a ``SpecType``: types, unknown and missing keys, ranges, units and `${VAR}`
/// interpolation. Every problem becomes a ``Diagnostic``; checking goes on after one, so a file's problems are
/// all found in one pass.
struct SpecChecker {
    let file: String
    let environment: [String: String]
    private(set) var diagnostics: [Diagnostic] = []
    /// Spans of secret values, to mask in printed source lines.
    private(set) var secretSpans: [SourceSpan] = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.environment = environment
    }

    mutating func check(_ node: YAMLNode, _ type: SpecType, path: String, secret: Bool = false) -> ConfigValue? {
        let span = SourceSpan(start: node.start, end: node.end)
        if secret { secretSpans.append(span) }
        switch type {
        case .either(let alternatives):
            guard let fitting = alternatives.first(where: { Self.fits(node, $0) }) else {
                let kinds = alternatives.map(Self.kindWord).joined(separator: " or ")
                error(.typeMismatch, "'\(path)' must be \(kinds), not \(Self.nodeWord(node))", span)
                return nil
            }
            return check(node, fitting, path: path, secret: secret)
        case .record(let spec):
            if let scalar = node.scalar, scalar.isNull, spec.nullIsEmpty {
                return checkRecord([], spec, path: path, span: span)
            }
            guard let pairs = node.pairs else { return mismatch(node, expected: "a mapping", path: path) }
            return checkRecord(pairs, spec, path: path, span: span)
        case .map(let spec):
            if let scalar = node.scalar, scalar.isNull { return ConfigValue(.map([]), span: span) }
            guard let pairs = node.pairs else { return mismatch(node, expected: "a mapping", path: path) }
            var entries: [ConfigEntry] = []
            for pair in pairs {
                let keySpan = SourceSpan(start: pair.key.start, end: pair.key.end)
                guard let key = pair.key.scalar?.value else {
                    error(.typeMismatch, "keys of '\(path)' must be plain text", keySpan)
                    continue
                }
                let value = check(pair.value, spec.value, path: "\(path).\(key)")
                if let value { entries.append(ConfigEntry(key: key, keySpan: keySpan, value: value)) }
            }
            return ConfigValue(.map(entries), span: span)
        case .list(let element):
            guard let items = node.items else {
                if node.scalar?.isNull == true { return ConfigValue(.list([]), span: span) }
                return mismatch(
                    node, expected: "a list", path: path, hint: "write a list, as in '[\(node.scalar?.value ?? "…")]'")
            }
            var values: [ConfigValue] = []
            for (index, item) in items.enumerated() {
                if let value = check(item, element, path: "\(path)[\(index)]", secret: secret) { values.append(value) }
            }
            return ConfigValue(.list(values), span: span)
        case .json:
            guard let json = jsonValue(node, path: path) else { return nil }
            return ConfigValue(.json(json), span: span)
        default:
            return checkScalar(node, type, path: path, span: span, secret: secret)
        }
    }

    private mutating func checkRecord(_ pairs: [YAMLPair], _ spec: RecordSpec, path: String, span: SourceSpan)
        -> ConfigValue
    {
        var record = ConfigRecord()
        let known = spec.fields.map(\.name)
        for pair in pairs {
            let keySpan = SourceSpan(start: pair.key.start, end: pair.key.end)
            guard let key = pair.key.scalar?.value else {
                error(.typeMismatch, "keys of '\(path.isEmpty ? "the file" : path)' must be plain text", keySpan)
                continue
            }
            let fieldPath = path.isEmpty ? key : "\(path).\(key)"
            guard let field = spec.field(key) else {
                var hint = "known keys: \(Suggestion.list(known, limit: 12))"
                if let guess = Suggestion.closest(to: key, in: known) { hint = "did you mean '\(guess)'? " + hint }
                error(
                    .unknownKey, "unknown key '\(key)' in \(path.isEmpty ? "the top level" : "'\(path)'")", keySpan,
                    hint)
                continue
            }
            record.keySpans[key] = keySpan
            if pair.value.scalar?.isNull == true, !Self.acceptsNull(field.type) { continue }
            if let value = check(pair.value, field.type, path: fieldPath, secret: field.secret) {
                record.fields[key] = value
                if field.secret, let text = pair.value.scalar?.value, !text.contains("${") {
                    warning(
                        .literalSecret, "'\(fieldPath)' is written into the file", value.span,
                        "write '${VARIABLE}' and set the variable in the environment, so the secret stays out of the file"
                    )
                }
            }
        }
        for field in spec.fields where record.fields[field.name] == nil && record.keySpans[field.name] == nil {
            if field.required {
                let name = path.isEmpty ? "the file" : "'\(path)'"
                error(
                    .missingKey, "\(name) needs the key '\(field.name)'",
                    SourceSpan(start: span.start, end: span.start),
                    field.example.map { "for example '\(field.name): \($0.serialized())'" })
            } else if let defaultValue = field.defaultValue, defaultValue != .null {
                record.fields[field.name] = defaultConfigValue(defaultValue, field.type, at: span)
            }
        }
        return ConfigValue(.record(record), span: span)
    }

    /// Builds the value a default stands for, with the span of the record that left it out.
    private func defaultConfigValue(_ json: JSONValue, _ type: SpecType, at span: SourceSpan) -> ConfigValue? {
        var nested = SpecChecker(file: file, environment: [:])
        var value = nested.check(YAMLNode(synthesizing: json, at: span.start), type, path: "")
        assert(nested.diagnostics.isEmpty, "a spec default does not pass its own type: \(json)")
        value?.isDefault = true
        value?.span = SourceSpan(start: span.start, end: span.start)
        return value
    }

    private mutating func checkScalar(
        _ node: YAMLNode, _ type: SpecType, path: String, span: SourceSpan, secret: Bool
    ) -> ConfigValue? {
        guard let scalar = node.scalar else {
            return mismatch(node, expected: Self.kindWord(type), path: path)
        }
        guard let (typed, written) = resolve(scalar, tag: node.tag, path: path, span: span, secret: secret) else {
            return nil
        }
        let shown = secret ? "" : " \(Self.show(typed))"
        switch (type, typed) {
        case (.string, .string(let s)):
            return ConfigValue(.string(s), span: span, written: written)
        case (.boolean, .bool(let b)):
            return ConfigValue(.bool(b), span: span, written: written)
        case (.integer(let min, let max), .integer(let i)):
            guard i >= min && i <= max else {
                error(.outOfRange, "'\(path)' is \(i); it must be between \(min) and \(max)", span)
                return nil
            }
            return ConfigValue(.integer(i), span: span, written: written)
        case (.version, let v):
            guard v == .integer(1) else {
                error(.badVersion, "unsupported configuration version\(shown)", span, "this gateway reads 'version: 1'")
                return nil
            }
            return ConfigValue(.integer(1), span: span)
        case (.duration, .string(let s)):
            guard let d = Units.duration(s) else {
                error(
                    .badDuration, "'\(path)' is not a duration:\(shown)", span,
                    "write a number and a unit (ms, s, m, h, d), as in '500ms', '15s' or '1m30s'")
                return nil
            }
            return ConfigValue(.duration(d), span: span, written: written)
        case (.duration, .integer(0)):
            return ConfigValue(.duration(.zero), span: span, written: written)
        case (.duration, .integer(let i)):
            error(
                .badDuration, "'\(path)' needs a unit:\(shown)", span,
                "write '\(i)s' for seconds or '\(i)ms' for milliseconds")
            return nil
        case (.size, .integer(let i)) where i >= 0:
            return ConfigValue(.size(i), span: span, written: written)
        case (.size, .string(let s)):
            guard let n = Units.size(s) else {
                error(
                    .badSize, "'\(path)' is not a size:\(shown)", span,
                    "write a number of bytes with B, KiB, MiB or GiB (or KB, MB, GB), as in '64KiB'")
                return nil
            }
            return ConfigValue(.size(n), span: span, written: written)
        case (.choice(let options), .string(let s)):
            guard options.contains(s) else {
                var hint = "choose one of: \(options.joined(separator: ", "))"
                if let guess = Suggestion.closest(to: s, in: options) { hint = "did you mean '\(guess)'? " + hint }
                error(.invalidValue, "'\(path)' cannot be\(shown)", span, hint)
                return nil
            }
            return ConfigValue(.string(s), span: span, written: written)
        default:
            var hint: String?
            if case .string = type, !secret { hint = "quote it: \"\(scalar.value)\"" }
            if case .boolean = type, case .string(let s) = typed, ["yes", "no", "on", "off"].contains(s.lowercased()) {
                hint = "write true or false"
            }
            error(.typeMismatch, "'\(path)' must be \(Self.kindWord(type)), not \(typed.article)", span, hint)
            return nil
        }
    }

    /// Interpolates and types a scalar. Returns `nil` (after a diagnostic) when a variable is missing.
    private mutating func resolve(_ scalar: YAMLScalar, tag: String?, path: String, span: SourceSpan, secret: Bool)
        -> (TypedScalar, written: String?)?
    {
        var text = scalar.value
        var written: String?
        if Interpolation.needsExpansion(text) {
            switch Interpolation.expand(text, environment: environment) {
            case .success(let expanded):
                if expanded != text { written = text }
                text = expanded
            case .failure(.unset(let name)):
                error(
                    .unsetVariable, "'\(path)' uses ${\(name)}, which is not set", span,
                    "set \(name) in the environment, or give a default: ${\(name):-value}")
                return nil
            case .failure(.malformed(_, let reason)):
                error(
                    .badInterpolation, "'\(path)': \(reason)", span, "write ${NAME} or ${NAME:-default}; '$$' is a '$'")
                return nil
            }
        }
        return (TypedScalar(text, style: scalar.style, tag: tag), written)
    }

    /// Converts a node to JSON with the same scalar rules (for `initial:` values and `identity:`).
    mutating func jsonValue(_ node: YAMLNode, path: String) -> JSONValue? {
        switch node.content {
        case .scalar(let scalar):
            let span = SourceSpan(start: node.start, end: node.end)
            guard let (typed, _) = resolve(scalar, tag: node.tag, path: path, span: span, secret: false) else {
                return nil
            }
            switch typed {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .integer(let i): return .integer(Int64(i))
            case .number(let d): return .number(d)
            case .string(let s): return .string(s)
            }
        case .sequence(let items):
            var out: [JSONValue] = []
            for (i, item) in items.enumerated() {
                guard let v = jsonValue(item, path: "\(path)[\(i)]") else { return nil }
                out.append(v)
            }
            return .array(out)
        case .mapping(let pairs):
            var object = JSONObject()
            for pair in pairs {
                guard let key = pair.key.scalar?.value else {
                    error(
                        .typeMismatch, "keys in '\(path)' must be plain text",
                        SourceSpan(start: pair.key.start, end: pair.key.end))
                    return nil
                }
                guard let v = jsonValue(pair.value, path: "\(path).\(key)") else { return nil }
                object[key] = v
            }
            return .object(object)
        }
    }

    private mutating func mismatch(_ node: YAMLNode, expected: String, path: String, hint: String? = nil)
        -> ConfigValue?
    {
        error(
            .typeMismatch, "'\(path.isEmpty ? "the file" : path)' must be \(expected), not \(Self.nodeWord(node))",
            SourceSpan(start: node.start, end: node.end), hint)
        return nil
    }

    private mutating func error(_ code: DiagnosticCode, _ message: String, _ span: SourceSpan, _ hint: String? = nil) {
        diagnostics.append(Diagnostic(.error, code, message, file: file, span: span, hint: hint))
    }

    private mutating func warning(_ code: DiagnosticCode, _ message: String, _ span: SourceSpan, _ hint: String? = nil)
    {
        diagnostics.append(Diagnostic(.warning, code, message, file: file, span: span, hint: hint))
    }

    private static func acceptsNull(_ type: SpecType) -> Bool {
        switch type {
        case .record(let r): r.nullIsEmpty
        case .map, .json: true
        default: false
        }
    }

    private static func fits(_ node: YAMLNode, _ type: SpecType) -> Bool {
        switch (node.content, type) {
        case (.mapping, .record), (.mapping, .map), (.sequence, .list), (_, .json): true
        case (.scalar, .record), (.scalar, .map), (.scalar, .list), (.scalar, .either): false
        case (.scalar, _): true
        default: false
        }
    }

    private static func show(_ typed: TypedScalar) -> String {
        switch typed {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .integer(let i): "\(i)"
        case .number(let d): "\(d)"
        case .string(let s): "'\(s)'"
        }
    }

    static func kindWord(_ type: SpecType) -> String {
        switch type {
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "true or false"
        case .duration: "a duration"
        case .size: "a size"
        case .json: "a JSON value"
        case .choice(let options): "one of \(options.joined(separator: ", "))"
        case .list: "a list"
        case .record, .map: "a mapping"
        case .either(let alternatives): alternatives.map(kindWord).joined(separator: " or ")
        case .version: "the integer 1"
        }
    }

    private static func nodeWord(_ node: YAMLNode) -> String {
        switch node.content {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let s): TypedScalar(s.value, style: s.style, tag: node.tag).article
        }
    }
}

extension YAMLNode {
    /// A node standing for a JSON value, placed at `mark` (used to run spec defaults through the checker).
    init(synthesizing json: JSONValue, at mark: YAMLMark) {
        let content: Content
        switch json {
        case .null: content = .scalar(YAMLScalar("~"))
        case .bool(let b): content = .scalar(YAMLScalar(b ? "true" : "false"))
        case .integer(let i): content = .scalar(YAMLScalar(String(i)))
        case .number(let d): content = .scalar(YAMLScalar(String(d)))
        case .string(let s): content = .scalar(YAMLScalar(s, style: .doubleQuoted))
        case .array(let items): content = .sequence(items.map { YAMLNode(synthesizing: $0, at: mark) })
        case .object(let object):
            content = .mapping(
                object.members.map {
                    YAMLPair(
                        key: YAMLNode(content: .scalar(YAMLScalar($0.key)), start: mark, end: mark),
                        value: YAMLNode(synthesizing: $0.value, at: mark))
                })
        }
        self.init(content: content, start: mark, end: mark)
    }
}
