internal import CJansson

extension JSONValue {
    /// Parses one JSON text (any value at the top level, not only objects and arrays).
    ///
    /// Duplicate object keys are rejected; errors carry jansson's line and column. `\u0000` is accepted in
    /// strings (callers that cannot carry it, such as SSE event names, reject it with their own reason).
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        // The common shapes are read in Swift; jansson reads the rest, and reports every error.
        if let value = bytes.withContiguousStorageIfAvailable(JSONFastReader.read) ?? nil { return value }
        return try parseWithJansson(bytes)
    }

    /// Parses with jansson alone (``parse(_:)`` without its fast path; tests compare the two).
    static func parseWithJansson(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        var error = json_error_t()
        let root: UnsafeMutablePointer<json_t>? =
            bytes.withContiguousStorageIfAvailable { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    json_loadb(chars.baseAddress, chars.count, sluice_flags_parse(), &error)
                }
            }
            ?? Array(bytes).withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    json_loadb(chars.baseAddress, chars.count, sluice_flags_parse(), &error)
                }
            }
        guard let root else {
            let message = withUnsafeBytes(of: error.text) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw JSONParseError(
                line: max(1, Int(error.line)), column: max(1, Int(error.column)), offset: Int(error.position),
                message: message)
        }
        defer { sluice_json_decref(root) }
        return JSONValue(jansson: root)
    }

    /// Parses a JSON text given as a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Serializes the value as jansson does (compact output without floating-point numbers is written in Swift,
    /// to the same bytes; see ``appendCompact(to:)``).
    /// - Parameter format: compact (keys in insertion order), sorted (compact with sorted keys) or pretty.
    /// - Returns: the UTF-8 bytes of the JSON text.
    public func serializedBytes(_ format: JSONFormat = .compact) -> [UInt8] {
        if format == .compact {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(64)
            if appendCompact(to: &bytes) { return bytes }
        }
        let node = makeJansson()
        defer { sluice_json_decref(node) }
        let flags: Int
        switch format {
        case .compact: flags = sluice_flags_compact()
        case .sorted: flags = sluice_flags_sorted()
        case .pretty: flags = sluice_flags_pretty()
        }
        let size = json_dumpb(node, nil, 0, flags)
        guard size > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = buffer.withMemoryRebound(to: CChar.self) { chars in
                json_dumpb(node, chars.baseAddress, size, flags)
            }
        }
    }

    /// Serializes the value through jansson as a string.
    public func serialized(_ format: JSONFormat = .compact) -> String {
        String(decoding: serializedBytes(format), as: UTF8.self)
    }

    /// Builds a Swift value from a jansson node (which stays owned by the caller).
    init(jansson node: UnsafeMutablePointer<json_t>) {
        switch sluice_json_typeof(node) {
        case JSON_OBJECT:
            var object = JSONObject(minimumCapacity: json_object_size(node))
            var iterator = json_object_iter(node)
            while let it = iterator {
                let keyLength = json_object_iter_key_len(it)
                let key = json_object_iter_key(it).withMemoryRebound(to: UInt8.self, capacity: keyLength) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: keyLength), as: UTF8.self)
                }
                object[key] = JSONValue(jansson: json_object_iter_value(it))
                iterator = json_object_iter_next(node, it)
            }
            self = .object(object)
        case JSON_ARRAY:
            let count = json_array_size(node)
            self = .array((0..<count).map { JSONValue(jansson: json_array_get(node, $0)) })
        case JSON_STRING:
            let length = json_string_length(node)
            self = .string(
                json_string_value(node).withMemoryRebound(to: UInt8.self, capacity: length) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                })
        case JSON_INTEGER:
            self = .integer(Int64(json_integer_value(node)))
        case JSON_REAL:
            self = .number(json_real_value(node))
        case JSON_TRUE:
            self = .bool(true)
        case JSON_FALSE:
            self = .bool(false)
        default:
            self = .null
        }
    }

    /// Builds a new jansson node (reference owned by the caller).
    func makeJansson() -> UnsafeMutablePointer<json_t> {
        switch self {
        case .null:
            return sluice_json_null()
        case .bool(let b):
            return b ? sluice_json_true() : sluice_json_false()
        case .integer(let i):
            return json_integer(json_int_t(i))
        case .number(let d):
            // jansson refuses NaN and infinities; JSON has no spelling for them either.
            return d.isFinite ? json_real(d) : sluice_json_null()
        case .string(let s):
            var s = s
            return s.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) { json_stringn_nocheck($0.baseAddress, $0.count) }
            }
        case .array(let elements):
            let array = json_array()!
            for element in elements { json_array_append_new(array, element.makeJansson()) }
            return array
        case .object(let object):
            let node = json_object()!
            for (key, value) in object.members {
                var key = key
                key.withUTF8 { utf8 in
                    utf8.withMemoryRebound(to: CChar.self) {
                        _ = json_object_setn_new_nocheck(node, $0.baseAddress, $0.count, value.makeJansson())
                    }
                }
            }
            return node
        }
    }
}

/// How ``JSONValue`` serializes.
public enum JSONFormat: Sendable {
    /// No whitespace; keys in insertion order.
    case compact
    /// No whitespace; keys sorted by their UTF-8 bytes. Equal values give equal bytes.
    case sorted
    /// Indented by two spaces, keys sorted; for humans.
    case pretty
}
