extension JSONValue {
    /// Appends the value as compact JSON, byte for byte as jansson writes it (insertion-ordered keys; `"`, `\` and
    /// control characters escaped, everything else as is), without building a jansson tree: published events are
    /// serialized this way once each. Returns `false`, leaving `bytes` partly written, for a value holding a
    /// floating-point number, whose spelling stays jansson's.
    func appendCompact(to bytes: inout [UInt8]) -> Bool {
        switch self {
        case .null:
            bytes += "null".utf8
        case .bool(let b):
            bytes += (b ? "true" : "false").utf8
        case .integer(let i):
            bytes += String(i).utf8
        case .number:
            return false
        case .string(let s):
            Self.appendQuoted(s, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                guard element.appendCompact(to: &bytes) else { return false }
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (i, (key, value)) in zip(object.keys, object.values).enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.appendQuoted(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                guard value.appendCompact(to: &bytes) else { return false }
            }
            bytes.append(UInt8(ascii: "}"))
        }
        return true
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func appendQuoted(_ s: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += #"\""#.utf8
            case UInt8(ascii: "\\"): bytes += #"\\"#.utf8
            case 0x08: bytes += #"\b"#.utf8
            case 0x0C: bytes += #"\f"#.utf8
            case 0x0A: bytes += #"\n"#.utf8
            case 0x0D: bytes += #"\r"#.utf8
            case 0x09: bytes += #"\t"#.utf8
            case 0..<0x20:
                bytes += #"\u00"#.utf8
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
