import SluiceJSON

/// A configuration value after checking against the spec: typed, interpolated, with its source span.
///
/// Values the file leaves out but the spec gives a default for are present with ``isDefault`` set.
public struct ConfigValue: Sendable {
    public indirect enum Kind: Sendable {
        case null
        case bool(Bool)
        case integer(Int)
        case string(String)
        case duration(Duration)
        case size(Int)
        case json(JSONValue)
        case list([ConfigValue])
        case record(ConfigRecord)
        case map([ConfigEntry])
    }

    public var kind: Kind
    public var span: SourceSpan
    public var isDefault: Bool
    /// The text as written when it differs from ``kind``'s value (it held `${…}`).
    public var written: String?

    public init(_ kind: Kind, span: SourceSpan, isDefault: Bool = false, written: String? = nil) {
        self.kind = kind
        self.span = span
        self.isDefault = isDefault
        self.written = written
    }

    public var string: String? {
        if case .string(let s) = kind { return s }
        return nil
    }

    public var integer: Int? {
        if case .integer(let i) = kind { return i }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = kind { return b }
        return nil
    }

    public var duration: Duration? {
        if case .duration(let d) = kind { return d }
        return nil
    }

    public var size: Int? {
        if case .size(let s) = kind { return s }
        return nil
    }

    public var list: [ConfigValue]? {
        if case .list(let l) = kind { return l }
        return nil
    }

    public var record: ConfigRecord? {
        if case .record(let r) = kind { return r }
        return nil
    }

    public var entries: [ConfigEntry]? {
        if case .map(let m) = kind { return m }
        return nil
    }

    public var json: JSONValue? {
        if case .json(let j) = kind { return j }
        return nil
    }
}

/// A checked mapping with fixed keys.
public struct ConfigRecord: Sendable {
    public var fields: [String: ConfigValue] = [:]
    /// Where each key present in the file was written.
    public var keySpans: [String: SourceSpan] = [:]

    public init() {}

    public subscript(name: String) -> ConfigValue? { fields[name] }
}

/// One entry of a user-keyed mapping.
public struct ConfigEntry: Sendable {
    public var key: String
    public var keySpan: SourceSpan
    public var value: ConfigValue
}
