/// What `sluice bench` reads from its command line: an `http://HOST[:PORT]/path` address and `Name: value` header
/// lines, checked so a mistyped argument is refused up front rather than sent to a server.
public enum BenchAddress {
    /// `http://host:port/path` → (host, port, path): the port defaults to 80, the path to `/`, and an IPv6 host is
    /// written in brackets (`http://[::1]:8080/`). Nil for any other scheme, an empty host, a port that is not a
    /// number from 1 to 65535, user information, or spaces and control characters.
    public static func endpoint(_ url: String) -> (host: String, port: Int, path: String)? {
        guard url.hasPrefix("http://"), !url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return nil }
        let rest = url.dropFirst(7)
        let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<slash]
        var path = String(rest[slash...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        guard !authority.contains("@") else { return nil }
        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { return nil }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
            portText = nil
        }
        guard !host.isEmpty else { return nil }
        guard let portText else { return (String(host), 80, path) }
        guard !portText.isEmpty, portText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let port = Int(portText), (1...65535).contains(port)
        else { return nil }
        return (String(host), port, path)
    }

    /// The `Host` header's value, and an URL's authority: `host:port`, an IPv6 host in brackets, no port for 80.
    public static func authority(host: String, port: Int) -> String {
        let host = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? host : "\(host):\(port)"
    }

    /// `Name: value` → (name, value), the value's surrounding blanks trimmed. Nil when there is no colon, the name
    /// is empty or not an HTTP token, or the value holds a line break or another control character (which would
    /// smuggle a second header into every request).
    public static func header(_ line: String) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon]
        var value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        while value.last == " " || value.last == "\t" { value = value.dropLast() }
        guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte),
            value.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) })
        else { return nil }
        return (String(name), String(value))
    }

    /// RFC 9110's `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
