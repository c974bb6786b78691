import SluiceJSON

/// Writes the JSON Schema (draft 2020-12) of the configuration from ``SluiceSpec``.
///
/// `sluice schema` prints it and `schemas/sluice.schema.json` is a copy (a test keeps them equal), so editors
/// with yaml-language-server complete and validate configurations as people type.
public enum SchemaGenerator {
    public static let id = "https://sluice.dev/schemas/sluice.schema.json"

    /// The schema as a JSON value.
    public static func schema() -> JSONValue {
        var root = object(for: .record(SluiceSpec.root), summary: nil)
        var top = JSONObject()
        top["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        top["$id"] = .string(id)
        top["title"] = "Sluice gateway configuration"
        top["description"] = "A Sluice Server-Sent Events gateway: routes, channels, states, limits, auth and hooks."
        for (key, value) in root.members { top[key] = value }
        root = top
        return .object(root)
    }

    /// The schema as text, pretty-printed with sorted keys and a final newline.
    public static func text() -> String { schema().serialized(.pretty) + "\n" }

    /// A pattern a `${VAR}` placeholder matches, accepted wherever a number or boolean may come from the environment.
    static let interpolation = "^.*\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}.*$"

    static func object(for type: SpecType, summary: String?) -> JSONObject {
        var o = JSONObject()
        if let summary { o["description"] = .string(summary) }
        switch type {
        case .string(let kind):
            o["type"] = "string"
            if let pattern = pattern(for: kind) { o["pattern"] = .string(pattern) }
        case .integer(let min, let max):
            o["anyOf"] = [
                ["type": "integer", "minimum": .integer(Int64(min)), "maximum": .integer(Int64(max))],
                ["type": "string", "pattern": .string(interpolation)],
            ]
        case .boolean:
            o["anyOf"] = [["type": "boolean"], ["type": "string", "pattern": .string(interpolation)]]
        case .duration:
            o["anyOf"] = [
                ["type": "string", "pattern": "^(0|([0-9]{1,9}(ms|s|m|h|d))+)$"],
                ["const": 0],
                ["type": "string", "pattern": .string(interpolation)],
            ]
        case .size:
            o["anyOf"] = [
                ["type": "integer", "minimum": 0],
                ["type": "string", "pattern": "^[0-9]{1,12}(B|KB|MB|GB|KiB|MiB|GiB)?$"],
                ["type": "string", "pattern": .string(interpolation)],
            ]
        case .json:
            break
        case .choice(let options):
            o["enum"] = .array(options.map { .string($0) })
        case .list(let element):
            o["type"] = "array"
            o["items"] = .object(object(for: element, summary: nil))
        case .record(let spec):
            o["type"] = spec.nullIsEmpty ? ["object", "null"] : "object"
            var properties = JSONObject()
            for field in spec.fields {
                var p = object(for: field.type, summary: field.summary)
                if let d = field.defaultValue { p["default"] = d }
                if let e = field.example { p["examples"] = [e] }
                properties[field.name] = .object(p)
            }
            o["properties"] = .object(properties)
            let required = spec.fields.filter(\.required).map { JSONValue.string($0.name) }
            if !required.isEmpty { o["required"] = .array(required) }
            o["additionalProperties"] = false
        case .map(let spec):
            o["type"] = ["object", "null"]
            o["additionalProperties"] = .object(object(for: spec.value, summary: nil))
            if let pattern = pattern(for: spec.keyKind) { o["propertyNames"] = ["pattern": .string(pattern)] }
        case .either(let alternatives):
            o["anyOf"] = .array(alternatives.map { .object(object(for: $0, summary: nil)) })
        case .version:
            o["const"] = 1
        }
        return o
    }

    static func pattern(for kind: StringKind) -> String? {
        switch kind {
        case .address: "^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}$|\\$\\{"
        case .routePath: "^/"
        case .urlPath: "^/"
        case .channelTemplate, .channelName: "^[^\\s*]+$"
        case .channelPattern: "^\\S+$"
        case .origin: "^(\\*|[A-Za-z][A-Za-z0-9+.-]*://[^/\\s]+)$"
        case .eventName: "^[^\\r\\n\\u0000]+$"
        case .name: "^\\S+$"
        case .headerName: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"
        case .text, .filePath, .secret: nil
        }
    }
}
