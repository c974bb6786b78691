import NIOHTTP1
import SluiceCore

/// The pure part of ``HTTPRequestFastDecoder``: one request from the start of some bytes, or why not.
enum HTTPRequestFastParser {
    enum Result {
        /// More bytes may complete it.
        case incomplete
        /// Not a request this parser reads: NIO's decoder must.
        case unsupported
        /// A whole request: its head, then `bodyLength` bytes of body after `headLength` bytes of head.
        case request(HTTPRequestHead, headLength: Int, bodyLength: Int)
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result {
        // What cannot begin a request line (`GET `, `OPTIONS `) goes to NIO at once, not after waiting for a head:
        // a TLS handshake or other garbage is refused as soon as it arrives.
        for (k, byte) in bytes.prefix(8).enumerated() where byte == space || !(byte >= 0x41 && byte <= 0x5A) {
            guard byte == space, k >= 3 else { return .unsupported }
            break
        }
        if bytes.count >= 8, !bytes.prefix(8).contains(space) { return .unsupported }

        // One pass over the lines, each checked as soon as its CRLF arrives (a bad line is not left waiting for the
        // rest of the head); a bare CR or LF is for NIO to judge. The head ends at the first empty line.
        var requestLine: (method: HTTPMethod, target: Range<Int>, version: HTTPVersion)?
        var headers: [(String, String)] = []
        headers.reserveCapacity(8)
        var contentLength: Int?
        var headLength = 0
        var lineStart = 0
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == lf {
                guard i > 0, bytes[i - 1] == cr else { return .unsupported }
                let lineEnd = i - 1
                if requestLine == nil {
                    guard let line = parseRequestLine(bytes, lineEnd) else { return .unsupported }
                    requestLine = line
                } else if lineEnd == lineStart {
                    headLength = i + 1
                    break
                } else {
                    guard let (name, value) = parseHeaderLine(bytes, lineStart, lineEnd) else { return .unsupported }
                    // Names of equal length compared as prefixes: equal, without regard to ASCII case.
                    func named(_ lowercase: String) -> Bool {
                        name.utf8.count == lowercase.utf8.count && ASCIICase.hasPrefix(name.utf8, lowercase.utf8)
                    }
                    if named("content-length") {
                        guard contentLength == nil, let n = decimal(value) else { return .unsupported }
                        contentLength = n
                    } else if named("transfer-encoding") || named("upgrade") || named("expect") {
                        return .unsupported
                    }
                    headers.append((name, value))
                }
                lineStart = i + 1
            } else if i > 0, bytes[i - 1] == cr {
                return .unsupported
            }
            i += 1
            if i > HTTPRequestFastDecoder.maxHead { return .unsupported }
        }
        guard headLength > 0, let requestLine else { return .incomplete }

        let bodyLength = contentLength ?? 0
        guard bodyLength <= HTTPRequestFastDecoder.maxBody else { return .unsupported }
        guard bytes.count - headLength >= bodyLength else { return .incomplete }
        let head = HTTPRequestHead(
            version: requestLine.version, method: requestLine.method,
            uri: string(bytes, requestLine.target.lowerBound, requestLine.target.upperBound),
            headers: HTTPHeaders(headers))
        return .request(head, headLength: headLength, bodyLength: bodyLength)
    }

    /// `METHOD SP /target SP HTTP/1.x`, ending at `end` (its CR).
    private static func parseRequestLine(
        _ bytes: UnsafeRawBufferPointer, _ end: Int
    ) -> (method: HTTPMethod, target: Range<Int>, version: HTTPVersion)? {
        guard let methodEnd = index(of: space, in: bytes, 0, end), let method = method(bytes, 0, methodEnd) else {
            return nil
        }
        let targetStart = methodEnd + 1
        guard let targetEnd = index(of: space, in: bytes, targetStart, end), targetEnd > targetStart,
            bytes[targetStart] == UInt8(ascii: "/")
        else { return nil }
        for j in targetStart..<targetEnd where bytes[j] < 0x21 || bytes[j] > 0x7E { return nil }
        let versionStart = targetEnd + 1
        guard end - versionStart == 8, matches(bytes, versionStart, "HTTP/1.") else { return nil }
        switch bytes[versionStart + 7] {
        case UInt8(ascii: "1"): return (method, targetStart..<targetEnd, .http1_1)
        case UInt8(ascii: "0"): return (method, targetStart..<targetEnd, .http1_0)
        default: return nil
        }
    }

    /// `name: value` between `start` and `end` (its CR): a token, a colon, blanks skipped, visible ASCII (a value
    /// keeps its trailing blanks, as NIO does). A line starting with a blank (folded) has no token.
    private static func parseHeaderLine(
        _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int
    ) -> (String, String)? {
        guard let colon = index(of: UInt8(ascii: ":"), in: bytes, start, end), colon > start else { return nil }
        for j in start..<colon where !isTokenByte(bytes[j]) { return nil }
        var valueStart = colon + 1
        while valueStart < end, bytes[valueStart] == space || bytes[valueStart] == tab { valueStart += 1 }
        for j in valueStart..<end where (bytes[j] < 0x20 && bytes[j] != tab) || bytes[j] > 0x7E { return nil }
        return (string(bytes, start, colon), string(bytes, valueStart, end))
    }

    private static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var j = start
        while j < end {
            if bytes[j] == byte { return j }
            j += 1
        }
        return nil
    }

    private static func method(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> HTTPMethod? {
        switch end - start {
        case 3 where matches(bytes, start, "GET"): .GET
        case 3 where matches(bytes, start, "PUT"): .PUT
        case 4 where matches(bytes, start, "POST"): .POST
        case 4 where matches(bytes, start, "HEAD"): .HEAD
        case 5 where matches(bytes, start, "PATCH"): .PATCH
        case 6 where matches(bytes, start, "DELETE"): .DELETE
        case 7 where matches(bytes, start, "OPTIONS"): .OPTIONS
        default: nil
        }
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ text: StaticString) -> Bool {
        guard bytes.count - start >= text.utf8CodeUnitCount else { return false }
        for k in 0..<text.utf8CodeUnitCount where bytes[start + k] != text.utf8Start[k] { return false }
        return true
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Plain digits, at most seven of them.
    private static func decimal(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 7 else { return nil }
        var n = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return n
    }

    private static func string(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}
