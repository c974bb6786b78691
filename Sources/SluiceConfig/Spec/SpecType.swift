import SluiceJSON

/// The shape of a configuration value, declared once and used for three things: checking a file
/// (``SpecChecker``), printing the JSON Schema (``SchemaGenerator``) and writing the reference
/// (``ReferenceGenerator``).
public indirect enum SpecType: Sendable {
    case string(StringKind)
    case integer(min: Int, max: Int)
    case boolean
    /// `500ms`, `15s`, `10m`, `12h`, `1d` or combinations (`1m30s`), or `0`.
    case duration
    /// `64KiB`, `1MiB`, `2GB`, or a number of bytes.
    case size
    /// Any JSON value.
    case json
    case choice([String])
    case list(SpecType)
    /// A mapping with fixed keys.
    case record(RecordSpec)
    /// A mapping whose keys the user names (channels, hooks, states, rules).
    case map(MapSpec)
    /// The first alternative whose YAML kind (scalar, sequence, mapping) fits.
    case either([SpecType])
    /// The file format version: the integer 1.
    case version
}

/// What a string holds, for the schema's patterns and the reference's wording.
public enum StringKind: String, Sendable {
    case text, address, routePath, channelTemplate, channelName, channelPattern, origin, urlPath, eventName
    case name, filePath, secret, headerName
}

/// A mapping with a fixed set of keys.
public struct RecordSpec: Sendable {
    public var fields: [FieldSpec]
    /// Whether YAML `null` (a key with nothing after it) stands for the empty mapping.
    public var nullIsEmpty: Bool

    public init(_ fields: [FieldSpec], nullIsEmpty: Bool = false) {
        self.fields = fields
        self.nullIsEmpty = nullIsEmpty
    }

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

/// A mapping with user-chosen keys and values of one type.
public struct MapSpec: Sendable {
    /// What a key names, for the reference: "channel name or template".
    public var keyDescription: String
    public var keyKind: StringKind
    public var value: SpecType

    public init(keyDescription: String, keyKind: StringKind, value: SpecType) {
        self.keyDescription = keyDescription
        self.keyKind = keyKind
        self.value = value
    }
}

/// One key of a record.
public struct FieldSpec: Sendable {
    public var name: String
    public var type: SpecType
    public var summary: String
    public var required: Bool
    /// The value used when the key is absent; `nil` when absence means "not set".
    public var defaultValue: JSONValue?
    public var example: JSONValue?
    /// Whether the value is a secret: it is never echoed and a literal value draws a warning.
    public var secret: Bool

    public init(
        _ name: String, _ type: SpecType, _ summary: String, required: Bool = false,
        default defaultValue: JSONValue? = nil,
        example: JSONValue? = nil, secret: Bool = false
    ) {
        self.name = name
        self.type = type
        self.summary = summary
        self.required = required
        self.defaultValue = defaultValue
        self.example = example
        self.secret = secret
    }
}
