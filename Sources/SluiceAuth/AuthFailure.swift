/// A refused credential: the HTTP status, a one-sentence reason, and the `WWW-Authenticate` challenge a 401
/// carries (RFC 6750). Reasons never quote a token, key or secret.
public struct AuthFailure: Error, Sendable, Equatable {
    /// RFC 6750 error codes.
    public enum Code: String, Sendable {
        case invalidRequest = "invalid_request"
        case invalidToken = "invalid_token"
        case insufficientScope = "insufficient_scope"
    }

    public var status: Int
    public var reason: String
    /// `nil` when no credentials were presented: the challenge then carries no error (RFC 6750 §3.1).
    public var code: Code?

    public init(status: Int, reason: String, code: Code?) {
        self.status = status
        self.reason = reason
        self.code = code
    }

    /// No credentials where `source` says they go.
    public static func missing(_ source: String) -> AuthFailure {
        AuthFailure(status: 401, reason: "This route needs a token in the \(source).", code: nil)
    }

    /// Credentials that are not valid.
    public static func invalid(_ reason: String = "The token is not valid.") -> AuthFailure {
        AuthFailure(status: 401, reason: reason, code: .invalidToken)
    }

    /// Valid credentials that do not allow this request.
    public static func forbidden(_ reason: String) -> AuthFailure {
        AuthFailure(status: 403, reason: reason, code: .insufficientScope)
    }

    /// A hook's denial: its status and reason; a 401 is about the token, so it carries `invalid_token`.
    public static func denied(status: Int, reason: String) -> AuthFailure {
        AuthFailure(status: status, reason: reason, code: status == 401 ? .invalidToken : nil)
    }

    /// The `WWW-Authenticate` value for a 401.
    public var challenge: String {
        guard let code else { return "Bearer realm=\"sluice\"" }
        let description = reason.replacingOccurrences(of: "\"", with: "'")
        return "Bearer realm=\"sluice\", error=\"\(code.rawValue)\", error_description=\"\(description)\""
    }

    /// The response headers that go with this failure.
    public var headers: [(String, String)] { status == 401 ? [("WWW-Authenticate", challenge)] : [] }
}
