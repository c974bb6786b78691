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

    /// The status code of the next complete response, consuming it; nil until one has fully arrived.
    mutating func next() -> Int? {
        guard let headEnd = StreamReceiver.endOfHead(bytes, from: start) else { return nil }
        let length = contentLength(headEnd) ?? 0
        guard bytes.count >= headEnd + length else { return nil }
        let status = number(from: start + 9, upTo: min(start + 12, headEnd)) ?? 0
        start = headEnd + length
        return status
    }

    /// The `Content-Length` of the response head ending at `headEnd`, matched without regard to case.
    private func contentLength(_ headEnd: Int) -> Int? {
        let name = Array("\r\ncontent-length:".utf8)
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
                var end = j
                while end < headEnd, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
                return number(from: j, upTo: end)
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
