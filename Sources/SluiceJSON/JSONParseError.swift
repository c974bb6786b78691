/// Why a JSON text could not be parsed, with the 1-based position jansson reported.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column (in characters) of the problem.
    public var column: Int
    /// 0-based byte offset of the problem.
    public var offset: Int
    /// jansson's message, for example `duplicate object key near '"a"'`.
    public var message: String

    public init(line: Int, column: Int, offset: Int, message: String) {
        self.line = line
        self.column = column
        self.offset = offset
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
