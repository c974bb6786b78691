/// The JWS algorithms Sluice verifies. `none` is not one of them, and never will be.
public enum JWTAlgorithm: String, Sendable, CaseIterable {
    case hs256 = "HS256"
    case hs384 = "HS384"
    case hs512 = "HS512"
    case rs256 = "RS256"
    case es256 = "ES256"

    /// Parses a name as written in a token header (exact, case-sensitive as RFC 7518 says).
    public init?(headerValue: String) { self.init(rawValue: headerValue) }

    /// Whether the algorithm uses a shared secret.
    public var isHMAC: Bool { self == .hs256 || self == .hs384 || self == .hs512 }

    /// The shortest shared secret accepted: the hash's output size (RFC 7518 §3.2).
    public var minimumSecretBytes: Int {
        switch self {
        case .hs256: 32
        case .hs384: 48
        case .hs512: 64
        case .rs256, .es256: 0
        }
    }
}
