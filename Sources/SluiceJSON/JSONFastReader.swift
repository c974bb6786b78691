/// Reads the JSON that publishers send most (objects, arrays, strings, integers, literals) straight into a
/// ``JSONValue``, without building and freeing a jansson tree first.
///
/// It is a strict subset of jansson's reader with the flags ``JSONValue/parse(_:)`` uses: whatever it accepts,
/// jansson accepts too and reads to the same value (a test compares both on a corpus and on random input). It
/// declines — returns `nil`, and jansson reads the text and reports any error with its line and column — on
/// everything else: reals (jansson's `strtod` decides their value), integers beyond 64 bits, duplicate keys,
/// lone surrogates, control characters, invalid UTF-8, nesting deeper than ``maxDepth``, any syntax error.
struct JSONFastReader {
    /// Deeper documents go to jansson (which allows 2,048 levels), so this reader's recursion stays shallow.
    static let maxDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The value of a whole JSON text, or `nil` when jansson must read it.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var reader = JSONFastReader(bytes)
        // No `? value : nil` here: JSONValue is ExpressibleByNilLiteral, and that `nil` would be `.null`.
        guard let value = reader.value(depth: 0) else { return nil }
        reader.skipWhitespace()
        guard reader.position == bytes.count else { return nil }
        return value
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): position += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) -> JSONValue? {
        skipWhitespace()
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { return nil }
            return object(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { return nil }
            return array(depth: depth + 1)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return integer()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return nil }
        for i in 0..<count where bytes[position + i] != word.utf8Start[i] { return nil }
        position += count
        return value
    }

    /// `-?(0|[1-9][0-9]*)` within Int64; a fraction or exponent (a real) declines.
    private mutating func integer() -> JSONValue? {
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        let start = position
        var magnitude: UInt64 = 0
        while position < bytes.count, let digit = Self.digit(bytes[position]) {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
            guard !o1, !o2 else { return nil }
            magnitude = sum
            position += 1
        }
        let count = position - start
        guard count > 0, count == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return .integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return .integer(Int64(magnitude))
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }

    private mutating func array(depth: Int) -> JSONValue? {
        position += 1  // [
        var elements: [JSONValue] = []
        if consume(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            guard let element = value(depth: depth), let more = another(closing: UInt8(ascii: "]")) else { return nil }
            elements.append(element)
            if !more { return .array(elements) }
        }
    }

    private mutating func object(depth: Int) -> JSONValue? {
        position += 1  // {
        var object = JSONObject(minimumCapacity: 4)
        if consume(UInt8(ascii: "}")) { return .object(object) }
        while true {
            skipWhitespace()
            // jansson refuses a NUL in a key even where it allows one in a string value, and (with the flags used) a
            // duplicate key: let it say so.
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string(),
                !key.utf8.contains(0), consume(UInt8(ascii: ":")), let member = value(depth: depth),
                object[key] == nil, let more = another(closing: UInt8(ascii: "}"))
            else { return nil }
            object[key] = member
            if !more { return .object(object) }
        }
    }

    /// Consumes `byte` when it comes next (after blanks).
    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// After an element or member: `true` past a comma (another follows), `false` past `closing`, `nil` otherwise.
    private mutating func another(closing: UInt8) -> Bool? {
        if consume(UInt8(ascii: ",")) { return true }
        if consume(closing) { return false }
        return nil
    }

    /// A string from its opening quote: raw runs are copied as they are, escapes decoded; UTF-8 is validated.
    private mutating func string() -> String? {
        position += 1  // "
        let start = position
        var isASCII = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                return isASCII ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
            guard byte >= 0x20 else { return nil }
            if byte >= 0x80 { isASCII = false }
            position += 1
        }
        return nil
    }

    /// The slower path of ``string()`` once an escape shows up: bytes are collected, then validated as UTF-8.
    private mutating func escapedString(from start: Int) -> String? {
        var out: [UInt8] = Array(bytes[start..<position])
        out.reserveCapacity(out.count + 32)
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { return nil }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    UTF8.encode(scalar) { out.append($0) }
                default: return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                out.append(byte)
            }
        }
        return nil
    }

    /// The scalar of `\uXXXX` (after the `u`), joining a surrogate pair; a lone surrogate declines.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        switch high {
        case 0xD800...0xDBFF:
            guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { return nil }
            position += 2
            guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        case 0xDC00...0xDFFF:
            return nil
        default:
            return Unicode.Scalar(high)
        }
    }

    private mutating func hex4() -> UInt32? {
        guard bytes.count - position >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(nibble)
            position += 1
        }
        return value
    }
}
