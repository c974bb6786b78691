import SluiceJSON

/// Prints diagnostics like a compiler (`human`), as JSON for tools, or as GitHub Actions annotations.
public struct DiagnosticRenderer: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case human, json, github
    }

    public var format: Format
    /// Whether warnings print as errors (`--strict`).
    public var strict: Bool

    public init(format: Format, strict: Bool = false) {
        self.format = format
        self.strict = strict
    }

    /// Renders every diagnostic of every file.
    /// - Parameter results: each file with its diagnostics, in the order the files were given.
    public func render(_ results: [(source: SourceFile?, diagnostics: [Diagnostic])]) -> String {
        let all = results.flatMap { result in result.diagnostics.map { (result.source, promote($0)) } }
        switch format {
        case .human:
            var out = all.map { human($0.1, $0.0) }.joined()
            let errors = all.filter { $0.1.severity == .error }.count
            let warnings = all.count - errors
            if !all.isEmpty {
                out += "\(Self.count(errors, "error")), \(Self.count(warnings, "warning"))\n"
            }
            return out
        case .json:
            let array = JSONValue.array(all.map { json($0.1) })
            return array.serialized(.pretty) + "\n"
        case .github:
            return all.map { github($0.1) }.joined()
        }
    }

    private func promote(_ d: Diagnostic) -> Diagnostic {
        var d = d
        if strict { d.severity = .error }
        return d
    }

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    private func human(_ d: Diagnostic, _ source: SourceFile?) -> String {
        let start = d.span.start
        var out = "\(d.file):\(start.line):\(start.column): \(d.severity.rawValue)[\(d.code)]: \(d.message)\n"
        if let text = source?.redactedLine(start.line) {
            let number = String(start.line)
            let gutter = String(repeating: " ", count: number.count)
            let endColumn = d.span.end.line == start.line ? d.span.end.column : text.count + 1
            let width = max(1, min(endColumn, text.count + 1) - start.column)
            let lead = String(text.prefix(start.column - 1).map { $0 == "\t" ? "\t" : " " })
            out += "\(gutter) |\n"
            out += "\(number) | \(text)\n"
            out += "\(gutter) | \(lead)^\(String(repeating: "~", count: width - 1))\n"
            if let hint = d.hint { out += "\(gutter) = hint: \(hint)\n" }
        } else if let hint = d.hint {
            out += "  = hint: \(hint)\n"
        }
        return out
    }

    private func json(_ d: Diagnostic) -> JSONValue {
        var object: JSONObject = JSONObject()
        object["file"] = .string(d.file)
        object["line"] = .integer(Int64(d.span.start.line))
        object["column"] = .integer(Int64(d.span.start.column))
        object["endLine"] = .integer(Int64(d.span.end.line))
        object["endColumn"] = .integer(Int64(d.span.end.column))
        object["severity"] = .string(d.severity.rawValue)
        object["code"] = .string(d.code.rawValue)
        object["message"] = .string(d.message)
        if let hint = d.hint { object["hint"] = .string(hint) }
        return .object(object)
    }

    private func github(_ d: Diagnostic) -> String {
        func escapeData(_ s: String) -> String {
            s.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
        }
        func escapeProperty(_ s: String) -> String {
            escapeData(s).replacing(":", with: "%3A").replacing(",", with: "%2C")
        }
        let level = d.severity == .error ? "error" : "warning"
        var message = d.message
        if let hint = d.hint { message += " (hint: \(hint))" }
        var properties = "file=\(escapeProperty(d.file)),line=\(d.span.start.line),col=\(d.span.start.column)"
        if d.span.end.line == d.span.start.line { properties += ",endColumn=\(d.span.end.column)" }
        properties += ",title=\(escapeProperty("sluice check [\(d.code)]"))"
        return "::\(level) \(properties)::\(escapeData(message))\n"
    }
}
