/// Finds the route for a request path: a trie over path segments where a literal beats a parameter, and a
/// parameter beats a catch-all.
public struct RouteTable: Sendable {
    /// The route that matched and its path parameters (percent-decoded).
    public struct Match: Sendable, Equatable {
        public var route: Int
        public var parameters: [String: String]
    }

    private final class Node: @unchecked Sendable {
        // Built once before the table is shared, never mutated after: safe to share across threads.
        var literals: [String: Node] = [:]
        var param: (name: String, node: Node)?
        var catchAll: (name: String, route: Int)?
        var route: Int?
    }

    private let root = Node()

    /// Builds the table. Later routes with the same shape as an earlier one are ignored (the loader reports
    /// them as conflicts before a table is ever built).
    public init(_ patterns: [RoutePattern]) {
        for (index, pattern) in patterns.enumerated() { insert(pattern, index) }
    }

    private func insert(_ pattern: RoutePattern, _ index: Int) {
        var node = root
        for segment in pattern.segments {
            switch segment {
            case .literal(let s):
                if let next = node.literals[s] {
                    node = next
                } else {
                    let next = Node()
                    node.literals[s] = next
                    node = next
                }
            case .param(let name):
                if node.param == nil { node.param = (name, Node()) }
                node = node.param!.node
            case .catchAll(let name):
                if node.catchAll == nil { node.catchAll = (name, index) }
                return
            }
        }
        if node.route == nil { node.route = index }
    }

    /// Matches a request path (without its query string).
    /// - Returns: the match, or `nil` when no route accepts the path or a parameter is not valid
    ///   percent-encoding.
    public func match(_ path: String) -> Match? {
        guard path.hasPrefix("/") else { return nil }
        var segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
        if segments.last?.isEmpty == true && segments.count > 1 { segments = segments.dropLast() }
        if segments.count == 1 && segments.first!.isEmpty { segments = [] }
        var parameters: [String: String] = [:]
        guard let route = Self.match(root, ArraySlice(segments.map { Substring($0) }), &parameters) else {
            return nil
        }
        return Match(route: route, parameters: parameters)
    }

    private static func match(_ node: Node, _ rest: ArraySlice<Substring>, _ parameters: inout [String: String])
        -> Int?
    {
        guard let head = rest.first else {
            if let route = node.route { return route }
            return nil
        }
        if head.isEmpty { return nil }
        if let next = node.literals[String(head)], let route = match(next, rest.dropFirst(), &parameters) {
            return route
        }
        if let (name, next) = node.param, let value = PercentDecoding.decode(head) {
            if let route = match(next, rest.dropFirst(), &parameters) {
                parameters[name] = value
                return route
            }
        }
        if let (name, route) = node.catchAll, let value = PercentDecoding.decode(rest.joined(separator: "/")) {
            parameters[name] = value
            return route
        }
        return nil
    }
}
