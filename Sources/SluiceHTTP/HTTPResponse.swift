import SluiceJSON

/// A complete (non-stream) response: status, headers and body.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body.
    static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> HTTPResponse {
        json(status, serialized: value.serializedBytes(), headers: headers)
    }

    /// A JSON body already serialized (compact, without the final newline this adds).
    static func json(_ status: Int, serialized body: consuming [UInt8], headers: [(String, String)] = [])
        -> HTTPResponse
    {
        var bytes = body  // taken over, so the newline goes into the same array
        bytes.append(0x0A)
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: bytes)
    }

    /// An error with a one-sentence reason: `{"error": "…"}`.
    static func error(_ status: Int, _ reason: String, headers: [(String, String)] = []) -> HTTPResponse {
        json(status, ["error": .string(reason)], headers: headers)
    }
}
