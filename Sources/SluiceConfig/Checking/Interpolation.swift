/// Expands `${VAR}` and `${VAR:-default}` in configuration scalars. `$$` stands for a literal `$`.
///
/// `${VAR:-default}` uses the default when the variable is unset or empty, as a shell does.
enum Interpolation {
    enum Failure: Error, Equatable {
        /// The variable is unset and has no default.
        case unset(String)
        /// A `${` without `}` or an invalid name; the offset is in characters.
        case malformed(offset: Int, reason: String)
    }

    /// Whether a text has anything to expand.
    static func needsExpansion(_ text: String) -> Bool { text.contains("$") }

    static func expand(_ text: String, environment: [String: String]) -> Result<String, Failure> {
        var out = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "$", i + 1 < chars.count else {
                out.append(c)
                i += 1
                continue
            }
            if chars[i + 1] == "$" {
                out.append("$")
                i += 2
                continue
            }
            guard chars[i + 1] == "{" else {
                out.append(c)
                i += 1
                continue
            }
            guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                return .failure(.malformed(offset: i, reason: "'${' is never closed with '}'"))
            }
            let body = String(chars[(i + 2)..<close])
            let name: String
            var fallback: String?
            if let sep = body.firstRange(of: ":-") {
                name = String(body[..<sep.lowerBound])
                fallback = String(body[sep.upperBound...])
            } else {
                name = body
            }
            guard let first = name.first, first.isLetter || first == "_",
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else {
                return .failure(.malformed(offset: i, reason: "'${\(name)}' is not a variable name"))
            }
            if let value = environment[name], !(value.isEmpty && fallback != nil) {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                return .failure(.unset(name))
            }
            i = close + 1
        }
        return .success(out)
    }
}
