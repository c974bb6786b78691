import SluiceCore

extension TokenSource {
    /// The token a request presents in this source, if any.
    /// - Parameters:
    ///   - query: the decoded query parameters.
    ///   - headers: every value of a header, by case-insensitive name.
    public func token(query: [String: String], headers: (String) -> [String]) -> String? {
        let found: String?
        switch self {
        case .query(let name):
            found = query[name]
        case .header(let name, let scheme):
            guard let value = headers(name).first else { return nil }
            guard let scheme else {
                found = value
                break
            }
            // `Scheme token`, the scheme matched without regard to ASCII case (one string made, for the token).
            let bytes = value.utf8
            guard bytes.count > scheme.utf8.count + 1, ASCIICase.hasPrefix(bytes, scheme.utf8),
                bytes[bytes.index(bytes.startIndex, offsetBy: scheme.utf8.count)] == UInt8(ascii: " ")
            else { return nil }
            found = String(Substring(bytes.dropFirst(scheme.utf8.count + 1)).trimmingSpaces())
        case .cookie(let name):
            found = Self.cookie(name, in: headers("cookie"))
        }
        guard let found, !found.isEmpty else { return nil }
        return found
    }

    /// The value of a cookie across `Cookie` headers (RFC 6265 `name=value; name2=value2`).
    static func cookie(_ name: String, in headers: [String]) -> String? {
        for header in headers {
            for pair in header.split(separator: ";") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                if pair[..<equals].trimmingSpaces() == name {
                    var value = Substring(pair[pair.index(after: equals)...].trimmingSpaces())
                    if value.count >= 2, value.first == "\"", value.last == "\"" {
                        value = value.dropFirst().dropLast()
                    }
                    return String(value)
                }
            }
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String { String(Substring(self).trimmingSpaces()) }
}

extension Substring {
    /// Without leading and trailing spaces and tabs, found by byte (no grapheme breaking: it runs on every token).
    fileprivate func trimmingSpaces() -> Substring {
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isSpace(utf8[start]) { utf8.formIndex(after: &start) }
        while end > start, isSpace(utf8[utf8.index(before: end)]) { utf8.formIndex(before: &end) }
        return self[start..<end]
    }
}
