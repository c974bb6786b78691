/// The declared channels, looked up by concrete name.
///
/// Literal names are found by hash; templates are tried in declaration order. State channels are declared
/// implicitly (a state's channel needs no `channels:` entry).
public struct ChannelTable: Sendable {
    public let declarations: [ChannelSpec]
    private let literal: [String: Int]
    private let templated: [(pattern: ChannelPattern, index: Int)]

    public init(_ declarations: [ChannelSpec]) {
        self.declarations = declarations
        var literal: [String: Int] = [:]
        var templated: [(ChannelPattern, Int)] = []
        for (index, spec) in declarations.enumerated() {
            if spec.template.isLiteral {
                if literal[spec.template.source] == nil { literal[spec.template.source] = index }
            } else {
                templated.append((spec.template.pattern, index))
            }
        }
        self.literal = literal
        self.templated = templated
    }

    /// The declaration a concrete channel name falls under, if any.
    public func declaration(for name: String) -> ChannelSpec? {
        declarationIndex(for: name).map { declarations[$0] }
    }

    /// The position in `declarations` of the declaration a concrete channel name falls under, if any.
    public func declarationIndex(for name: String) -> Int? {
        if let index = literal[name] { return index }
        return templated.first { $0.pattern.matches(name) }?.index
    }

    /// Whether any channel a pattern or template can name is declared.
    public func covers(_ pattern: ChannelPattern) -> Bool {
        if pattern.isLiteral { return declaration(for: pattern.description) != nil }
        return declarations.contains { $0.template.pattern.overlaps(pattern) }
    }
}
