/// A configuration file's text, kept to print source lines under diagnostics.
public struct SourceFile: Sendable {
    /// The path as given by the user.
    public let path: String
    public let bytes: [UInt8]
    /// Spans that hold secrets: the renderer masks them in any source line it prints.
    public var secretSpans: [SourceSpan] = []

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// The text of a 1-based line, without its line break, or `nil` past the end.
    public func line(_ number: Int) -> String? {
        var current = 1
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            if current == number { return Self.decode(bytes[start..<i]) }
            current += 1
            start = i + 1
        }
        return current == number && start <= bytes.count ? Self.decode(bytes[start...]) : nil
    }

    /// A line with every secret on it masked, character for character, so carets still line up.
    public func redactedLine(_ number: Int) -> String? {
        guard let text = line(number) else { return nil }
        let masks = secretSpans.filter { $0.start.line <= number && $0.end.line >= number }
        if masks.isEmpty { return text }
        var out = ""
        for (i, c) in text.enumerated() {
            let column = i + 1
            let hidden = masks.contains { span in
                let from = span.start.line == number ? span.start.column : 1
                let to = span.end.line == number ? span.end.column : Int.max
                return column >= from && column < to
            }
            out.append(hidden && !c.isWhitespace ? "*" : c)
        }
        return out
    }

    private static func decode(_ slice: ArraySlice<UInt8>) -> String {
        var s = String(decoding: slice, as: UTF8.self)
        if s.hasSuffix("\r") { s.removeLast() }
        return s
    }
}
