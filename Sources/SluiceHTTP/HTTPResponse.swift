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
        HTTPResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers,
            body: value.serializedBytes() + [0x0A])
    }

    /// An error with a one-sentence reason: `{"error": "…"}`.
    static func error(_ status: Int, _ reason: String, headers: [(String, String)] = []) -> HTTPResponse {
        json(status, ["error": .string(reason)], headers: headers)
    }
}
