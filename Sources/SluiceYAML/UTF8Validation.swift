/// Finds the first byte sequence that is not valid UTF-8 and returns its position.
enum UTF8Validation {
    /// - Returns: the 1-based line and column (in characters) and the byte offset of the first invalid
    ///   sequence, or `nil` when every byte is valid UTF-8.
    static func firstInvalid(in bytes: UnsafeBufferPointer<UInt8>) -> (mark: YAMLMark, offset: Int)? {
        var line = 1
        var column = 1
        var characters = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            let length: Int
            if b < 0x80 {
                length = 1
            } else if b & 0xE0 == 0xC0, b >= 0xC2 {
                length = 2
            } else if b & 0xF0 == 0xE0 {
                length = 3
            } else if b & 0xF8 == 0xF0, b <= 0xF4 {
                length = 4
            } else {
                return (YAMLMark(line: line, column: column, index: characters), i)
            }
            guard i + length <= n else { return (YAMLMark(line: line, column: column, index: characters), i) }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 {
                return (YAMLMark(line: line, column: column, index: characters), i)
            }
            if length == 3 {
                let cp = (UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6)
                if cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) {
                    return (YAMLMark(line: line, column: column, index: characters), i)
                }
            } else if length == 4 {
                let cp = (UInt32(b & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
                if cp < 0x10000 || cp > 0x10FFFF { return (YAMLMark(line: line, column: column, index: characters), i) }
            }
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            characters += 1
            i += length
        }
        return nil
    }
}
