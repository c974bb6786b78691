import SluiceJSON

/// An authenticated client's identity: the claims of its token (or of its static token's `identity`), plus
/// what hooks added. Channel templates read it as `{auth.sub}` or `{auth.claims.team}`.
public enum Identity {
    /// A claim as template text, by dotted path. `claims.` in front is optional: `{auth.claims.team}` and
    /// `{auth.team}` read the same claim (unless the identity has a claim named `claims`).
    public static func claim(_ path: String, in identity: JSONObject) -> String? {
        var keys = path.split(separator: ".").map(String.init)
        if keys.count > 1, keys[0] == "claims", identity["claims"] == nil { keys.removeFirst() }
        var value: JSONValue = .object(identity)
        for key in keys {
            guard let next = value[key] else { return nil }
            value = next
        }
        switch value {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .bool(let b): return String(b)
        default: return nil
        }
    }

    /// The channel patterns a claim grants: a list of strings, or one string of space-separated patterns (like an
    /// OAuth `scope`). A missing or malformed claim grants nothing.
    public static func grantedPatterns(_ claim: String, in identity: JSONObject) -> [String] {
        switch identity[claim] {
        case .array(let items)?: return items.compactMap(\.stringValue).filter { !$0.isEmpty }
        case .string(let text)?: return text.split(separator: " ").map(String.init)
        default: return []
        }
    }
}
