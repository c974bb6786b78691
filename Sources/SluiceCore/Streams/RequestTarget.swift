/// A request target split into its decoded path and query parameters.
public struct RequestTarget: Sendable, Equatable {
    /// The raw path (still percent-encoded; the route table decodes parameters).
    public var path: String
    /// Query parameters, decoded, the first value of each name.
    public var query: [String: String]

    /// Splits `/events?x=1&y=%20`; `nil` when the query is not valid percent-encoding.
    public init?(_ uri: String) {
        // Searched by byte: `#` and `?` are ASCII, and a Character search would break graphemes on every request.
        var target = Substring(uri)
        if let hash = target.utf8.firstIndex(of: UInt8(ascii: "#")) { target = target[..<hash] }
        guard let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            path = String(target)
            query = [:]
            return
        }
        path = String(target[..<question])
        var query: [String: String] = [:]
        for pair in target[target.index(after: question)...].split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0], plusAsSpace: true),
                let value = PercentDecoding.decode(parts.count > 1 ? parts[1] : "", plusAsSpace: true)
            else { return nil }
            if query[name] == nil { query[name] = value }
        }
        self.query = query
    }
}
