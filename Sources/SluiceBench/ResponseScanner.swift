/// Splits the answers to pipelined publish requests out of a connection's bytes: HTTP/1.x responses whose bodies
/// are sized by `Content-Length` (absent means empty), which is how every supported publish API answers.
struct ResponseScanner {
    private var bytes: [UInt8] = []
    private var start = 0

    mutating func append(_ data: some Sequence<UInt8>) {
        if start > 0 {
            bytes.removeFirst(start)
            start = 0
        }
        bytes.append(contentsOf: data)
    }

    /// One complete response: its status, and whether the server closes the connection after it.
    struct Answer: Equatable {
        var status: Int
        var closes: Bool
    }

    private static let contentLength = Array("\r\ncontent-length:".utf8)
    private static let connection = Array("\r\nconnection:".utf8)
    private static let close = Array("close".utf8)

    /// The next complete response, consuming it; nil until one has fully arrived.
    mutating func next() -> Answer? {
        guard let headEnd = StreamReceiver.endOfHead(bytes, from: start) else { return nil }
        var length = 0
        if let value = headerValue(Self.contentLength, headEnd) {
            var end = value
            while end < headEnd, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
            length = number(from: value, upTo: end) ?? 0
        }
        guard bytes.count >= headEnd + length else { return nil }
        let status = number(from: start + 9, upTo: min(start + 12, headEnd)) ?? 0
        var closes = false
        if let value = headerValue(Self.connection, headEnd) {
            closes = Self.startsWith(Self.close, in: bytes, at: value, before: headEnd)
        }
        start = headEnd + length
        return Answer(status: status, closes: closes)
    }

    private func headerValue(_ name: [UInt8], _ headEnd: Int) -> Int? {
        Self.headerValue(name, in: bytes, from: start, to: headEnd)
    }

    /// Where the value of header `name` (given as `\r\nname:` in lower case) starts in the head that runs from
    /// `start` to `headEnd` in `bytes`, its leading blanks skipped; names match without regard to case.
    static func headerValue(_ name: [UInt8], in bytes: [UInt8], from start: Int, to headEnd: Int) -> Int? {
        var i = start
        while i + name.count <= headEnd {
            if startsWith(name, in: bytes, at: i, before: headEnd) {
                var j = i + name.count
                while j < headEnd, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                return j
            }
            i += 1
        }
        return nil
    }

    /// Whether `bytes` hold `word` (lower case) at `at`, without regard to case, ending before `end`.
    static func startsWith(_ word: [UInt8], in bytes: [UInt8], at: Int, before end: Int) -> Bool {
        at + word.count <= end && (0..<word.count).allSatisfy { lowercased(bytes[at + $0]) == word[$0] }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    private func number(from: Int, upTo end: Int) -> Int? {
        guard from < end else { return nil }
        var value = 0
        for i in from..<end {
            guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
            value = value * 10 + Int(bytes[i] - 0x30)
        }
        return value
    }
}
