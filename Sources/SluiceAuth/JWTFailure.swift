/// Why a JWT was not accepted. The reasons are one sentence each and never quote the token.
public enum JWTFailure: Error, Sendable, Equatable {
    case malformed(String)
    /// The header names an algorithm this rule does not accept (`none` included).
    case algorithmNotAccepted(String)
    case badSignature
    case expired
    case notYetValid
    case wrongIssuer
    case wrongAudience
    case missingClaim(String)

    public var reason: String {
        switch self {
        case .malformed(let why): "The token is not a well-formed JWT: \(why)."
        case .algorithmNotAccepted(let alg): "The token's algorithm '\(alg.prefix(16))' is not accepted here."
        case .badSignature: "The token's signature is not valid."
        case .expired: "The token has expired."
        case .notYetValid: "The token is not valid yet."
        case .wrongIssuer: "The token was issued by someone this gateway does not trust."
        case .wrongAudience: "The token is meant for another audience."
        case .missingClaim(let name): "The token lacks the required claim '\(name)'."
        }
    }
}
