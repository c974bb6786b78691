import SluiceCore

/// The CORS headers for an origin decision.
enum CORSHeaders {
    static func forDecision(_ decision: OriginPolicy.Decision) -> [(String, String)] {
        switch decision {
        case .allowed(let origin):
            [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin")]
        case .allowedAny:
            [("Access-Control-Allow-Origin", "*")]
        case .noOrigin, .denied:
            [("Vary", "Origin")]
        }
    }

    /// The answer to a preflight `OPTIONS` request from an allowed origin.
    static func preflight(_ decision: OriginPolicy.Decision, requestedHeaders: String?) -> [(String, String)] {
        var headers = forDecision(decision)
        headers.append(("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"))
        let allowed = ["Last-Event-ID", "Authorization", "Content-Type", "Cache-Control", "If-Match"]
        let requested = requestedHeaders.map { $0.split(separator: ",").map { $0.trimmed() } } ?? []
        let echoed = allowed.filter { a in requested.contains { $0.lowercased() == a.lowercased() } }
        headers.append(("Access-Control-Allow-Headers", (echoed.isEmpty ? allowed : echoed).joined(separator: ", ")))
        headers.append(("Access-Control-Max-Age", "600"))
        return headers
    }
}
