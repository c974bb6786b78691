/// A channel name pattern in which `*` matches any run of characters (`room:*`, `*`, `user:*:inbox`).
///
/// Used for publisher scopes, `subscribe.allow` lists, identity grants, and to relate route templates to
/// channel declarations (``ChannelTemplate/pattern``).
public struct ChannelPattern: Sendable, Hashable, CustomStringConvertible {
    enum Piece: Sendable, Hashable {
        case literal(String)
        case wildcard
    }

    let pieces: [Piece]
    /// The pattern as symbols, computed once: matching runs often (config checks, publisher scopes).
    private let symbols: [Symbol]
    /// The literal text before the first wildcard and after the last one, for a quick mismatch test.
    private let prefix: [Unicode.Scalar]
    private let suffix: [Unicode.Scalar]
    /// The literal pieces as UTF-8, for matching concrete names.
    private let literalBytes: [[UInt8]]

    init(pieces: [Piece]) {
        // Merge adjacent literals and collapse repeated wildcards so matching stays linear in practice.
        var merged: [Piece] = []
        for piece in pieces {
            switch (merged.last, piece) {
            case (.literal(let a)?, .literal(let b)): merged[merged.count - 1] = .literal(a + b)
            case (.wildcard?, .wildcard): continue
            default: merged.append(piece)
            }
        }
        self.pieces = merged
        literalBytes = merged.compactMap {
            if case .literal(let s) = $0 { return Array(s.utf8) }
            return nil
        }
        symbols = Self.symbols(merged)
        var prefix: [Unicode.Scalar] = []
        for case .scalar(let u) in symbols.lazy.prefix(while: { $0 != .star }) { prefix.append(u) }
        self.prefix = prefix
        var suffix: [Unicode.Scalar] = []
        if symbols.contains(.star) {
            for case .scalar(let u) in symbols.reversed().lazy.prefix(while: { $0 != .star }) { suffix.append(u) }
        } else {
            suffix = prefix.reversed()
        }
        self.suffix = suffix  // reversed: last character first
    }

    /// Parses a pattern. Every character but `*` stands for itself.
    public init(_ source: String) {
        var pieces: [Piece] = []
        var literal = ""
        for c in source {
            if c == "*" {
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.wildcard)
            } else {
                literal.append(c)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.init(pieces: pieces)
    }

    /// Whether the pattern has no wildcard.
    public var isLiteral: Bool { !pieces.contains(.wildcard) }

    /// Whether `name` matches the pattern: the literal pieces must appear in order, anchored at the start and end
    /// unless the pattern starts or ends with `*`. Compares UTF-8 bytes without allocating (it runs per publish).
    public func matches(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { matches(bytes: $0) }
    }

    private func matches(bytes b: UnsafeBufferPointer<UInt8>) -> Bool {
        let segments = literalBytes
        if segments.isEmpty { return !pieces.isEmpty || b.isEmpty }  // "*" matches anything, "" only ""
        let anchoredStart = pieces.first != .wildcard
        let anchoredEnd = pieces.last != .wildcard
        var position = 0
        for (k, segment) in segments.enumerated() {
            let isFirst = k == 0
            let isLast = k == segments.count - 1
            if isFirst && anchoredStart {
                guard Self.equal(b, at: 0, segment) else { return false }
                position = segment.count
                if isLast && anchoredEnd { return position == b.count }
                continue
            }
            if isLast && anchoredEnd {
                let start = b.count - segment.count
                return start >= position && Self.equal(b, at: start, segment)
            }
            guard let found = Self.find(segment, in: b, from: position) else { return false }
            position = found + segment.count
        }
        return true
    }

    private static func equal(_ b: UnsafeBufferPointer<UInt8>, at start: Int, _ segment: [UInt8]) -> Bool {
        guard start >= 0, start + segment.count <= b.count else { return false }
        for i in 0..<segment.count where b[start + i] != segment[i] { return false }
        return true
    }

    private static func find(_ segment: [UInt8], in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard segment.count <= b.count - from else { return nil }
        for start in from...(b.count - segment.count) where equal(b, at: start, segment) { return start }
        return nil
    }

    /// Whether some channel name matches both patterns.
    public func overlaps(_ other: ChannelPattern) -> Bool {
        // Names matching both start with both literal prefixes and end with both literal suffixes.
        guard Self.compatible(prefix, other.prefix), Self.compatible(suffix, other.suffix) else { return false }
        return Self.intersect(symbols, other.symbols)
    }

    /// Whether one sequence is a prefix of the other.
    private static func compatible(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        for i in 0..<min(a.count, b.count) where a[i] != b[i] { return false }
        return true
    }

    public var description: String {
        pieces.map {
            switch $0 {
            case .literal(let s): s
            case .wildcard: "*"
            }
        }.joined()
    }

    enum Symbol: Hashable {
        case scalar(Unicode.Scalar)
        case star
    }

    static func symbols(_ pieces: [Piece]) -> [Symbol] {
        pieces.flatMap { piece -> [Symbol] in
            switch piece {
            case .literal(let s): s.unicodeScalars.map { .scalar($0) }
            case .wildcard: [.star]
            }
        }
    }

    /// Whether the languages of two glob patterns intersect: a reachability search over position pairs.
    static func intersect(_ a: [Symbol], _ b: [Symbol]) -> Bool {
        let width = b.count + 1
        var seen = [Bool](repeating: false, count: (a.count + 1) * width)
        var stack = [(0, 0)]
        while let (i, j) = stack.popLast() {
            if seen[i * width + j] { continue }
            seen[i * width + j] = true
            if i == a.count && j == b.count { return true }
            let x = i < a.count ? a[i] : nil
            let y = j < b.count ? b[j] : nil
            if x == .star {
                stack.append((i + 1, j))  // the star matches nothing more
                if y != nil { stack.append((i, j + 1)) }  // it swallows b's next symbol (a character or a star)
            }
            if y == .star {
                stack.append((i, j + 1))
                if x != nil { stack.append((i + 1, j)) }
            }
            if case .scalar(let u)? = x, case .scalar(let v)? = y, u == v { stack.append((i + 1, j + 1)) }
        }
        return false
    }
}
