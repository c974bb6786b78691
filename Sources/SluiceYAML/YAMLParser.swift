internal import CYAML

/// Reads one YAML document into a ``YAMLNode`` tree over libyaml's event API.
///
/// On top of libyaml it rejects duplicate mapping keys, bounds document size, nesting depth and alias
/// expansion (``YAMLLimits``), reports invalid UTF-8 and tab indentation with their position, and turns every
/// libyaml mark into a 1-based line and column.
public enum YAMLParser {
    /// Parses `bytes` as one YAML document.
    /// - Returns: the root node, or `nil` for an empty document (only comments or whitespace).
    /// - Throws: ``YAMLError`` with the position of the first problem.
    public static func parse(_ bytes: [UInt8], limits: YAMLLimits = YAMLLimits()) throws(YAMLError) -> YAMLNode? {
        guard bytes.count <= limits.maxBytes else {
            throw YAMLError(
                .tooLarge, "document is \(bytes.count) bytes, more than the \(limits.maxBytes) accepted",
                at: YAMLMark(line: 1, column: 1))
        }
        let result: Result<YAMLNode?, YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            if let (mark, _) = UTF8Validation.firstInvalid(in: buffer) {
                return .failure(
                    YAMLError(
                        .invalidUTF8, "invalid UTF-8 byte sequence", at: mark,
                        hint: "save the file as UTF-8"))
            }
            var builder = TreeBuilder(limits: limits, source: buffer)
            return Result { () throws(YAMLError) in try builder.run() }
        }
        return try result.get()
    }

    /// Parses a YAML text given as a string.
    public static func parse(_ text: String, limits: YAMLLimits = YAMLLimits()) throws(YAMLError) -> YAMLNode? {
        try parse(Array(text.utf8), limits: limits)
    }
}

/// Turns libyaml's events into a tree, enforcing the limits as it goes.
private struct TreeBuilder {
    private struct Frame {
        var isMapping: Bool
        var start: YAMLMark
        var anchor: String?
        var tag: String?
        var children: [YAMLNode] = []
        var size = 1
    }

    let limits: YAMLLimits
    let source: UnsafeBufferPointer<UInt8>
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var totalNodes = 0
    private var root: YAMLNode?
    private var documents = 0

    init(limits: YAMLLimits, source: UnsafeBufferPointer<UInt8>) {
        self.limits = limits
        self.source = source
    }

    mutating func run() throws(YAMLError) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError(.syntax, "libyaml could not start", at: YAMLMark(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, source.baseAddress, source.count)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw parserError(parser) }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return root }
            try handle(event)
        }
    }

    private mutating func handle(_ event: yaml_event_t) throws(YAMLError) {
        let start = Self.mark(event.start_mark)
        let end = Self.mark(event.end_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw YAMLError(
                    .multipleDocuments, "the file holds more than one YAML document", at: start,
                    hint: "remove the '---' line or split the file")
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let value = Self.string(s.value, s.length)
            let style: YAMLScalar.Style =
                switch s.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
            let node = YAMLNode(
                content: .scalar(YAMLScalar(value, style: style)), start: start, end: end, tag: Self.cString(s.tag))
            try add(node, size: 1, anchor: Self.cString(s.anchor))
        case YAML_ALIAS_EVENT:
            let name = Self.cString(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                throw YAMLError(
                    .unknownAlias, "alias '*\(name)' refers to no anchor defined before it", at: start, end: end)
            }
            var node = anchored.node
            node.start = start
            node.end = end
            try add(node, size: anchored.size, anchor: nil)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            guard stack.count < limits.maxDepth else {
                throw YAMLError(
                    .tooDeep, "nesting deeper than \(limits.maxDepth) levels", at: start,
                    hint: "a configuration never needs this depth; check for a runaway structure")
            }
            let anchor =
                isMapping
                ? Self.cString(event.data.mapping_start.anchor) : Self.cString(event.data.sequence_start.anchor)
            let tag =
                isMapping ? Self.cString(event.data.mapping_start.tag) : Self.cString(event.data.sequence_start.tag)
            stack.append(Frame(isMapping: isMapping, start: start, anchor: anchor, tag: tag))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let node: YAMLNode
            if frame.isMapping {
                node = YAMLNode(
                    content: .mapping(try Self.pairs(frame.children)), start: frame.start, end: end, tag: frame.tag)
            } else {
                node = YAMLNode(content: .sequence(frame.children), start: frame.start, end: end, tag: frame.tag)
            }
            try add(node, size: frame.size, anchor: frame.anchor, counted: true)
        default:
            break
        }
    }

    /// Attaches a finished node to its parent (or makes it the root), counting it against the node budget.
    private mutating func add(_ node: YAMLNode, size: Int, anchor: String?, counted: Bool = false) throws(YAMLError) {
        // A collection's own nodes were counted as its children arrived; scalars and aliases count here.
        if !counted {
            totalNodes += size
            if totalNodes > limits.maxNodes {
                throw YAMLError(
                    .aliasBomb, "the document expands to more than \(limits.maxNodes) nodes", at: node.start,
                    end: node.end,
                    hint: "aliases that refer to aliases multiply; this looks like a 'billion laughs' file")
            }
        }
        if let anchor { anchors[anchor] = (node, size) }
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
            stack[stack.count - 1].size += size
        }
    }

    /// Pairs a mapping's alternating keys and values, rejecting a scalar key seen twice.
    private static func pairs(_ children: [YAMLNode]) throws(YAMLError) -> [YAMLPair] {
        var pairs: [YAMLPair] = []
        pairs.reserveCapacity(children.count / 2)
        var seen: [String: YAMLMark] = [:]
        var i = 0
        while i + 1 < children.count {
            let key = children[i]
            if let text = key.scalar?.value {
                if let first = seen[text] {
                    throw YAMLError(
                        .duplicateKey, "duplicate key '\(text)' (first defined at line \(first.line))",
                        at: key.start, end: key.end, hint: "remove one of them or merge their contents",
                        related: first)
                }
                seen[text] = key.start
            }
            pairs.append(YAMLPair(key: key, value: children[i + 1]))
            i += 2
        }
        return pairs
    }

    private func parserError(_ parser: yaml_parser_t) -> YAMLError {
        let problem = Self.cString(parser.problem) ?? "syntax error"
        let context = Self.cString(parser.context)
        var mark = Self.mark(parser.problem_mark)
        if parser.error == YAML_READER_ERROR {
            // The reader reports byte offsets; UTF-8 problems were caught before, so this is rare.
            mark = YAMLMark(line: 1, column: 1)
        }
        if let tab = tabBefore(mark) {
            return YAMLError(
                .tab, "tab character in indentation", at: tab,
                hint: "YAML indents with spaces only; replace the tab with spaces")
        }
        var message = problem
        if let context { message = "\(problem) \(context)" }
        return YAMLError(.syntax, message, at: mark, hint: Self.hint(forProblem: problem))
    }

    /// The position of a tab in the leading whitespace of `mark`'s line (or the line before), if any.
    private func tabBefore(_ mark: YAMLMark) -> YAMLMark? {
        for line in [mark.line, mark.line - 1] where line >= 1 {
            guard let text = lineBytes(line) else { continue }
            var column = 1
            for byte in text {
                if byte == 0x09 { return YAMLMark(line: line, column: column) }
                if byte != 0x20 { break }
                column += 1
            }
        }
        return nil
    }

    private func lineBytes(_ number: Int) -> ArraySlice<UInt8>? {
        var line = 1
        var start = 0
        for i in 0..<source.count where source[i] == 0x0A {
            if line == number { return ArraySlice(source[start..<i]) }
            line += 1
            start = i + 1
        }
        return line == number ? ArraySlice(source[start..<source.count]) : nil
    }

    private static func hint(forProblem problem: String) -> String? {
        if problem.contains("mapping values are not allowed") {
            return "quote values that contain ': ', or check the indentation of this line"
        }
        if problem.contains("did not find expected key") {
            return "check that this line is indented like the keys around it"
        }
        if problem.contains("found character that cannot start any token") {
            return "quote the value; characters such as '@' and '`' cannot start a plain scalar"
        }
        if problem.contains("did not find expected") { return "check for an unclosed bracket or quote" }
        return nil
    }

    private static func mark(_ m: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: Int(m.line) + 1, column: Int(m.column) + 1, index: Int(m.index))
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func cString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func cString(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
