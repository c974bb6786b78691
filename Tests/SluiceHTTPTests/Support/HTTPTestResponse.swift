import SluiceJSON

/// A parsed HTTP/1.1 response (head, headers, body with chunking removed).
struct HTTPTestResponse {
    var status: Int
    var headers: [(String, String)]
    var body: String

    init?(_ raw: String) {
        guard let split = raw.firstRange(of: "\r\n\r\n") else { return nil }
        let lines = raw[..<split.lowerBound].split(separator: "\r\n", omittingEmptySubsequences: false)
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
            let status = Int(statusLine.dropFirst(9).prefix(3))
        else { return nil }
        self.status = status
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]).lowercased(), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
        let rest = String(raw[split.upperBound...])
        body = headers.contains { $0.0 == "transfer-encoding" && $0.1 == "chunked" } ? Self.dechunkBody(rest) : rest
    }

    func header(_ name: String) -> String? { headers.first { $0.0 == name.lowercased() }?.1 }

    var json: JSONValue? { try? JSONValue.parse(body) }

    /// The de-chunked body of a raw chunked response (head included or not).
    static func dechunk(_ raw: String) -> String {
        guard let split = raw.firstRange(of: "\r\n\r\n") else { return "" }
        return dechunkBody(String(raw[split.upperBound...]))
    }

    static func dechunkBody(_ text: String) -> String {
        var bytes = Array(text.utf8)[...]
        var out: [UInt8] = []
        while let crlf = bytes.firstRange(of: [0x0D, 0x0A]) {
            guard let size = Int(String(decoding: bytes[bytes.startIndex..<crlf.lowerBound], as: UTF8.self), radix: 16)
            else {
                break
            }
            let start = crlf.upperBound
            guard size > 0, bytes.endIndex >= start + size else { break }
            out += bytes[start..<(start + size)]
            bytes = bytes[min(bytes.endIndex, start + size + 2)...]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
