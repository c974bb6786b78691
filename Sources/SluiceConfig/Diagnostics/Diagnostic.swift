import SluiceYAML

/// One problem found in a configuration file, with where it is and how to fix it.
public struct Diagnostic: Sendable, Equatable {
    public enum Severity: String, Sendable, Comparable {
        case warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }

    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    /// The file's path as given on the command line.
    public var file: String
    public var span: SourceSpan
    public var hint: String?

    public init(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String, file: String, span: SourceSpan,
        hint: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.file = file
        self.span = span
        self.hint = hint
    }
}

/// A range in a source file: 1-based lines and columns, the end exclusive.
public struct SourceSpan: Sendable, Hashable, Comparable {
    public var start: YAMLMark
    public var end: YAMLMark

    public init(start: YAMLMark, end: YAMLMark) {
        self.start = start
        self.end = end
    }

    /// A span of `length` characters at a line and column.
    public init(line: Int, column: Int, length: Int = 1) {
        start = YAMLMark(line: line, column: column)
        end = YAMLMark(line: line, column: column + max(length, 1))
    }

    /// The start of the file, for problems that belong to no line.
    public static let fileStart = SourceSpan(line: 1, column: 1)

    public static func < (lhs: SourceSpan, rhs: SourceSpan) -> Bool { lhs.start < rhs.start }
}
