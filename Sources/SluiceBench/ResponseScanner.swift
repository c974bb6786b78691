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
            let word = Array("close".utf8)
            closes =
                value + word.count <= headEnd
                && (0..<word.count).allSatisfy { Self.lowercased(bytes[value + $0]) == word[$0] }
        }
        start = headEnd + length
        return Answer(status: status, closes: closes)
    }

    /// Where the value of header `name` (given as `\r\nname:` in lower case) starts in the head ending at
    /// `headEnd`, its leading blanks skipped; names match without regard to case.
    private func headerValue(_ name: [UInt8], _ headEnd: Int) -> Int? {
        var i = start
        while i + name.count <= headEnd {
            var matches = true
            for k in 0..<name.count where Self.lowercased(bytes[i + k]) != name[k] {
                matches = false
                break
            }
            if matches {
                var j = i + name.count
                while j < headEnd, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                return j
            }
            i += 1
        }
        return nil
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
