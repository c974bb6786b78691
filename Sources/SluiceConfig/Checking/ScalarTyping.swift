import SluiceYAML

/// What a YAML scalar means, by the YAML 1.2 core schema: quoted text is always a string; a plain scalar may
/// be null, a boolean, an integer, a real or a string.
enum TypedScalar: Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)

    /// Types already-interpolated text written with `style`.
    init(_ text: String, style: YAMLScalar.Style, tag: String?) {
        if style != .plain || tag == "tag:yaml.org,2002:str" || tag == "!" {
            self = .string(text)
            return
        }
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        default:
            if let i = Self.integer(text) {
                self = .integer(i)
            } else if Self.looksLikeReal(text), let d = Double(text) {
                self = .number(d)
            } else {
                self = .string(text)
            }
        }
    }

    private static func integer(_ text: String) -> Int? {
        var body = Substring(text)
        var sign = 1
        if body.first == "-" || body.first == "+" {
            sign = body.first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        if body.hasPrefix("0x") { return Int(body.dropFirst(2), radix: 16).map { $0 * sign } }
        if body.hasPrefix("0o") { return Int(body.dropFirst(2), radix: 8).map { $0 * sign } }
        guard body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(body).map { $0 * sign }
    }

    private static func looksLikeReal(_ text: String) -> Bool {
        guard let first = text.first, first.isNumber || first == "-" || first == "+" || first == "." else {
            return false
        }
        return text.allSatisfy { $0.isNumber || "+-.eE".contains($0) } && text.contains(where: \.isNumber)
    }

    /// A word for messages: "a string", "an integer".
    var article: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .number: "a number"
        case .string: "a string"
        }
    }
}
