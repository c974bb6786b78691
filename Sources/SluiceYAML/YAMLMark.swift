/// A position in a YAML source: 1-based line and column (in characters), and the 0-based character index.
public struct YAMLMark: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var index: Int

    public init(line: Int, column: Int, index: Int = 0) {
        self.line = line
        self.column = column
        self.index = index
    }

    public static func < (lhs: YAMLMark, rhs: YAMLMark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}
