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

    private static let close = Array("close".utf8)

    /// The next complete response, consuming it; nil until one has fully arrived.
    mutating func next() -> Answer? {
        guard let headEnd = HTTPHeadBytes.end(of: bytes, from: start) else { return nil }
        var length = 0
        if let value = HTTPHeadBytes.value(of: HTTPHeadBytes.contentLength, in: bytes, from: start, to: headEnd) {
            var end = value
            while end < headEnd, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
            length = HTTPHeadBytes.number(in: bytes, from: value, upTo: end) ?? 0
        }
        guard bytes.count >= headEnd + length else { return nil }
        let status = HTTPHeadBytes.status(in: bytes, from: start, to: headEnd)
        var closes = false
        if let value = HTTPHeadBytes.value(of: HTTPHeadBytes.connection, in: bytes, from: start, to: headEnd) {
            closes = HTTPHeadBytes.startsWith(Self.close, in: bytes, at: value, before: headEnd)
        }
        start = headEnd + length
        return Answer(status: status, closes: closes)
    }
}
