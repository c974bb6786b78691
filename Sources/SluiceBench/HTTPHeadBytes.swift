/// Reading an HTTP/1.x response head where it lies in a connection's bytes: where it ends, its status, and where
/// a header's value starts. Shared by the publisher's answer scanner and the stream receiver.
enum HTTPHeadBytes {
    /// Lower-case header names as they follow a line break, for ``value(of:in:from:to:)``.
    static let contentLength = Array("\r\ncontent-length:".utf8)
    static let connection = Array("\r\nconnection:".utf8)
    static let contentType = Array("\r\ncontent-type:".utf8)

    /// Where the head starting at `from` ends (just after its blank line), if it has arrived.
    static func end(of bytes: [UInt8], from: Int = 0) -> Int? {
        bytes.withUnsafeBufferPointer { p in
            var i = from + 3
            while i < p.count {
                if p[i] == 10 && p[i - 1] == 13 && p[i - 2] == 10 && p[i - 3] == 13 { return i + 1 }
                i += 1
            }
            return nil
        }
    }

    /// The three-digit status of the head starting at `start` (`HTTP/1.1 200 …`), or 0 when there is none.
    static func status(in bytes: [UInt8], from start: Int, to headEnd: Int) -> Int {
        number(in: bytes, from: start + 9, upTo: min(start + 12, headEnd)) ?? 0
    }

    /// Where the value of header `name` (given as `\r\nname:` in lower case) starts in the head that runs from
    /// `start` to `headEnd`, its leading blanks skipped; names match without regard to case.
    static func value(of name: [UInt8], in bytes: [UInt8], from start: Int, to headEnd: Int) -> Int? {
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

    /// The decimal number in `bytes[from..<end]`, nil when it is empty or holds anything but digits.
    static func number(in bytes: [UInt8], from: Int, upTo end: Int) -> Int? {
        guard from < end else { return nil }
        var value = 0
        for i in from..<end {
            guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
            value = value * 10 + Int(bytes[i] - 0x30)
        }
        return value
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
}
