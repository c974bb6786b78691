/// One allowed origin: `*`, an exact `scheme://host[:port]`, or `scheme://*.domain[:port]` for any subdomain.
public enum OriginPattern: Sendable, Hashable, CustomStringConvertible {
    case any
    case exact(String)
    /// Any host ending in `.suffix` (not `suffix` itself), with this scheme and port.
    case subdomains(scheme: String, suffix: String, port: String?)

    /// Parses a pattern.
    /// - Throws: a one-sentence reason when it is not an origin (a path, a missing scheme, a misplaced `*`).
    public init(parsing text: String) throws(OriginPatternError) {
        if text == "*" {
            self = .any
            return
        }
        guard let (schemeText, authority) = Self.splitScheme(text) else {
            throw OriginPatternError(message: "an origin needs a scheme, as in 'https://\(text)'")
        }
        let scheme = schemeText.lowercased()
        let schemeCharacters = scheme.allSatisfy { c in c.isLetter || c.isNumber || "+-.".contains(c) }
        guard !scheme.isEmpty, schemeCharacters else {
            throw OriginPatternError(message: "'\(scheme)' is not a URL scheme")
        }
        if authority.contains("/") {
            throw OriginPatternError(message: "an origin has no path; remove everything from the first '/'")
        }
        var host = Substring(authority)
        var port: String?
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            port = String(authority[authority.index(after: colon)...])
            host = authority[..<colon]
            guard let p = Int(port!), (1...65535).contains(p) else {
                throw OriginPatternError(message: "'\(port!)' is not a port number")
            }
        }
        guard !host.isEmpty else { throw OriginPatternError(message: "the origin has no host") }
        if host.hasPrefix("*.") {
            let suffix = host.dropFirst(2).lowercased()
            guard !suffix.isEmpty, !suffix.contains("*"), suffix.contains(".") || suffix == "localhost" else {
                throw OriginPatternError(message: "a wildcard needs a domain after '*.', as in 'https://*.example.com'")
            }
            self = .subdomains(scheme: scheme, suffix: suffix, port: port)
            return
        }
        if host.contains("*") {
            throw OriginPatternError(message: "'*' may only stand as the first label, as in 'https://*.example.com'")
        }
        if host.contains(where: { $0.isWhitespace || $0 == "@" }) {
            throw OriginPatternError(message: "'\(host)' is not a host name")
        }
        self = .exact("\(scheme)://\(host.lowercased())\(port.map { ":\($0)" } ?? "")")
    }

    /// Whether a request's `Origin` value matches (scheme and host compared without case).
    public func matches(_ origin: String) -> Bool {
        switch self {
        case .any:
            return true
        case .exact(let value):
            return origin.lowercased() == value
        case .subdomains(let scheme, let suffix, let port):
            guard let (originScheme, authority) = Self.splitScheme(origin.lowercased()), originScheme == scheme else {
                return false
            }
            var host = authority
            if let port {
                guard host.hasSuffix(":\(port)") else { return false }
                host = host.dropLast(port.count + 1)
            }
            guard !host.contains(":"), !host.contains("/") else { return false }
            return host.hasSuffix(".\(suffix)") && host.count > suffix.count + 1
        }
    }

    /// Splits `scheme://rest` at the first `://`.
    static func splitScheme(_ text: String) -> (Substring, Substring)? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 3 else { return nil }
        for i in 0..<(utf8.count - 2)
        where utf8[i] == UInt8(ascii: ":") && utf8[i + 1] == UInt8(ascii: "/")
            && utf8[i + 2] == UInt8(ascii: "/")
        {
            let split = text.utf8.index(text.startIndex, offsetBy: i)
            return (text[..<split], text[text.utf8.index(split, offsetBy: 3)...])
        }
        return nil
    }

    public var description: String {
        switch self {
        case .any: "*"
        case .exact(let value): value
        case .subdomains(let scheme, let suffix, let port): "\(scheme)://*.\(suffix)\(port.map { ":\($0)" } ?? "")"
        }
    }
}

/// Why an origin pattern is invalid, in one sentence.
public struct OriginPatternError: Error, Sendable, Equatable {
    public var message: String
}
