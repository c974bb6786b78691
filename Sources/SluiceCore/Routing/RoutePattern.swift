/// A route's path pattern: literal segments, `:name` parameters and a final `*name` catch-all.
///
/// `/events/users/:id` matches `/events/users/42` with `id = 42`; `/files/*path` matches `/files/a/b` with
/// `path = a/b`. A trailing slash is not significant.
public struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case param(String)
        case catchAll(String)
    }

    /// Why a pattern is malformed, with the 0-based character offset of the problem.
    public struct SyntaxError: Error, Sendable, Equatable {
        public var offset: Int
        public var message: String
    }

    public let source: String
    public let segments: [Segment]

    public init(parsing source: String) throws(SyntaxError) {
        self.source = source
        guard source.hasPrefix("/") else { throw SyntaxError(offset: 0, message: "a route path must start with '/'") }
        if let bad = source.firstIndex(where: { $0 == "?" || $0 == "#" || $0.isWhitespace }) {
            throw SyntaxError(
                offset: source.distance(from: source.startIndex, to: bad),
                message: "a route path cannot contain '\(bad == source.endIndex ? " " : String(source[bad]))'")
        }
        var segments: [Segment] = []
        var names: Set<String> = []
        var offset = 1
        let raw = source.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, piece) in raw.enumerated() {
            defer { offset += piece.count + 1 }
            if piece.isEmpty {
                if index == raw.count - 1 { break }  // trailing slash
                throw SyntaxError(offset: offset, message: "empty path segment ('//')")
            }
            if let first = piece.first, first == ":" || first == "*" {
                let name = String(piece.dropFirst())
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw SyntaxError(offset: offset, message: "'\(piece)' needs a name of letters, digits or '_'")
                }
                guard names.insert(name).inserted else {
                    throw SyntaxError(offset: offset, message: "parameter '\(name)' appears twice")
                }
                if first == "*" {
                    guard index == raw.count - 1 || (index == raw.count - 2 && raw.last!.isEmpty) else {
                        throw SyntaxError(offset: offset, message: "a catch-all '\(piece)' must be the last segment")
                    }
                    segments.append(.catchAll(name))
                } else {
                    segments.append(.param(name))
                }
            } else {
                if piece.contains(":") || piece.contains("*") {
                    throw SyntaxError(offset: offset, message: "':' and '*' may only start a segment")
                }
                segments.append(.literal(String(piece)))
            }
        }
        self.segments = segments
    }

    /// The names of the path parameters, catch-all included.
    public var parameterNames: [String] {
        segments.compactMap {
            switch $0 {
            case .literal: nil
            case .param(let n), .catchAll(let n): n
            }
        }
    }

    /// The pattern with parameter names erased: two routes with the same shape can never be told apart.
    public var shape: String {
        "/"
            + segments.map {
                switch $0 {
                case .literal(let s): s
                case .param: ":"
                case .catchAll: "*"
                }
            }.joined(separator: "/")
    }

    /// The pattern in canonical spelling (no trailing slash).
    public var description: String {
        "/"
            + segments.map {
                switch $0 {
                case .literal(let s): s
                case .param(let n): ":\(n)"
                case .catchAll(let n): "*\(n)"
                }
            }.joined(separator: "/")
    }
}
