/// Bounds that keep a hostile or broken YAML file from exhausting the process.
///
/// libyaml itself bounds none of these; ``YAMLParser`` enforces them while it builds the tree.
public struct YAMLLimits: Sendable {
    /// Largest accepted document, in bytes.
    public var maxBytes: Int
    /// Deepest accepted nesting of mappings and sequences.
    public var maxDepth: Int
    /// Most nodes the tree may hold once every alias is expanded (a "billion laughs" file passes it quickly).
    public var maxNodes: Int

    public init(maxBytes: Int = 4 << 20, maxDepth: Int = 64, maxNodes: Int = 1_000_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }
}
