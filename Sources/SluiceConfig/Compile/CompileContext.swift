/// Collects diagnostics while a checked configuration is compiled.
struct CompileContext {
    let file: String
    /// The directory relative paths (hook commands, key files) are resolved against.
    let baseDirectory: String
    let environment: [String: String]
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, baseDirectory: String, environment: [String: String]) {
        self.file = file
        self.baseDirectory = baseDirectory
        self.environment = environment
    }

    mutating func error(_ code: DiagnosticCode, _ message: String, _ span: SourceSpan, hint: String? = nil) {
        diagnostics.append(Diagnostic(.error, code, message, file: file, span: span, hint: hint))
    }

    mutating func warning(_ code: DiagnosticCode, _ message: String, _ span: SourceSpan, hint: String? = nil) {
        diagnostics.append(Diagnostic(.warning, code, message, file: file, span: span, hint: hint))
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The span of `length` characters at character `offset` inside a string value, when the value sits on one
    /// line as written (plain or quoted); otherwise the value's whole span.
    static func span(in value: ConfigValue, offset: Int, length: Int) -> SourceSpan {
        guard let text = value.string, value.written == nil else { return value.span }
        return span(in: value.span, text: text, offset: offset, length: length)
    }

    /// The same for a key or value of known text at `whole`.
    static func span(in whole: SourceSpan, text: String, offset: Int, length: Int) -> SourceSpan {
        guard whole.start.line == whole.end.line else { return whole }
        let shift: Int
        switch (whole.end.column - whole.start.column) - text.count {
        case 0: shift = 0  // plain
        case 2: shift = 1  // quoted
        default: return whole  // escapes or folding: point at the whole value
        }
        return SourceSpan(line: whole.start.line, column: whole.start.column + shift + offset, length: length)
    }
}
