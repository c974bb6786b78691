/// A channel name with placeholders, such as `user:{id}`, `room:{query.room}` or `user:{auth.sub}`.
///
/// Routes fill templates per connection; channel declarations use them to describe families of channels.
public struct ChannelTemplate: Sendable, Hashable, CustomStringConvertible {
    /// A piece of a template.
    public enum Part: Sendable, Hashable {
        case literal(String)
        case placeholder(Placeholder)
    }

    /// What fills a placeholder.
    public enum Placeholder: Sendable, Hashable, CustomStringConvertible {
        /// A path parameter of the route: `{id}`.
        case param(String)
        /// A query parameter: `{query.room}`.
        case query(String)
        /// A claim of the authenticated identity, as a dotted path: `{auth.sub}`, `{auth.claims.team}`.
        case auth(String)

        public var description: String {
            switch self {
            case .param(let name): "{\(name)}"
            case .query(let name): "{query.\(name)}"
            case .auth(let path): "{auth.\(path)}"
            }
        }
    }

    /// Why a template is malformed.
    public struct SyntaxError: Error, Sendable, Equatable {
        /// 0-based character offset of the problem within the template.
        public var offset: Int
        public var message: String
    }

    /// The template as written.
    public let source: String
    public let parts: [Part]

    /// The longest channel name Sluice accepts, in bytes.
    public static let maxNameLength = 200

    /// Parses a template.
    /// - Throws: ``SyntaxError`` for an unclosed or empty brace, a bad placeholder name, `*`, or a control or
    ///   whitespace character.
    public init(parsing source: String) throws(SyntaxError) {
        self.source = source
        var parts: [Part] = []
        var literal = ""
        var chars = Array(source).makeIterator()
        var offset = 0
        if source.isEmpty { throw SyntaxError(offset: 0, message: "a channel name cannot be empty") }
        if source.utf8.count > Self.maxNameLength {
            throw SyntaxError(offset: 0, message: "longer than \(Self.maxNameLength) bytes")
        }
        while let c = chars.next() {
            defer { offset += 1 }
            switch c {
            case "{":
                let open = offset
                var name = ""
                var closed = false
                while let d = chars.next() {
                    offset += 1
                    if d == "}" {
                        closed = true
                        break
                    }
                    name.append(d)
                }
                guard closed else { throw SyntaxError(offset: open, message: "'{' is never closed") }
                let placeholder = try Self.placeholder(name, at: open)
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.placeholder(placeholder))
            case "}":
                throw SyntaxError(offset: offset, message: "'}' without a matching '{'")
            case "*":
                throw SyntaxError(offset: offset, message: "'*' is for patterns, not channel names")
            default:
                if c.isWhitespace || c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    throw SyntaxError(offset: offset, message: "whitespace and control characters are not allowed")
                }
                literal.append(c)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
        pattern = ChannelPattern(
            pieces: parts.map {
                switch $0 {
                case .literal(let s): .literal(s)
                case .placeholder: .wildcard
                }
            })
    }

    private static func placeholder(_ name: String, at offset: Int) throws(SyntaxError) -> Placeholder {
        func isIdentifier<S: StringProtocol>(_ s: S) -> Bool {
            guard let first = s.first, first.isLetter || first == "_" else { return false }
            return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        }
        if name.isEmpty { throw SyntaxError(offset: offset, message: "empty placeholder '{}'") }
        let pieces = name.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.allSatisfy(isIdentifier) else {
            throw SyntaxError(offset: offset, message: "'{\(name)}' is not a valid placeholder")
        }
        switch pieces[0] {
        case "query" where pieces.count == 2: return .query(String(pieces[1]))
        case "query": throw SyntaxError(offset: offset, message: "write a query placeholder as '{query.NAME}'")
        case "auth" where pieces.count >= 2: return .auth(pieces.dropFirst().joined(separator: "."))
        case "auth": throw SyntaxError(offset: offset, message: "write an identity placeholder as '{auth.CLAIM}'")
        default:
            guard pieces.count == 1 else {
                throw SyntaxError(
                    offset: offset, message: "'{\(name)}' has an unknown prefix (use a path parameter, query. or auth.)"
                )
            }
            return .param(name)
        }
    }

    /// The placeholders in order of appearance.
    public var placeholders: [Placeholder] {
        parts.compactMap {
            if case .placeholder(let p) = $0 { return p }
            return nil
        }
    }

    /// Whether the template has no placeholder: it names exactly one channel.
    public var isLiteral: Bool { placeholders.isEmpty }

    /// The template as a pattern in which every placeholder matches any text.
    public let pattern: ChannelPattern

    /// Fills the placeholders.
    /// - Parameter value: the text for a placeholder, or `nil` when nothing supplies it.
    /// - Returns: the channel name, or `nil` when a placeholder has no value.
    public func render(_ value: (Placeholder) -> String?) -> String? {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .placeholder(let p):
                guard let v = value(p) else { return nil }
                out += v
            }
        }
        return out
    }

    public var description: String { source }
}
