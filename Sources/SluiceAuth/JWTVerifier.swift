import SluiceJSON

/// Verifies compact JWS tokens: the header's algorithm must be one a configured key verifies, the signature must
/// check out with swift-crypto, then the time claims, issuer, audience and required claims are checked.
public struct JWTVerifier: Sendable {
    public let keys: [JWTKey]
    public let issuer: String?
    public let audience: String?
    /// Clock skew tolerated on `exp` and `nbf`, in seconds.
    public let leeway: Double
    public let requiredClaims: [String]

    /// Longest token considered: anything longer is refused before any decoding.
    public static let maximumLength = 16 * 1024

    public init(keys: [JWTKey], issuer: String?, audience: String?, leeway: Double, requiredClaims: [String]) {
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.requiredClaims = requiredClaims
    }

    /// The token's claims when it is valid at `now` (Unix seconds).
    public func verify(_ token: String, now: Double) -> Result<JSONObject, JWTFailure> {
        guard token.utf8.count <= Self.maximumLength else { return .failure(.malformed("it is too long")) }
        let bytes = Array(token.utf8)
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else { return .failure(.malformed("it does not have three parts")) }
        let headerPart = bytes[..<dots[0]]
        let payloadPart = bytes[(dots[0] + 1)..<dots[1]]
        let signaturePart = bytes[(dots[1] + 1)...]
        guard let header = Self.object(headerPart) else {
            return .failure(.malformed("its header is not a base64url JSON object"))
        }
        guard case .string(let name)? = header["alg"] else { return .failure(.malformed("its header names no 'alg'")) }
        guard let algorithm = JWTAlgorithm(headerValue: name) else { return .failure(.algorithmNotAccepted(name)) }
        if header["crit"] != nil { return .failure(.malformed("it has critical header parameters")) }
        var candidates = keys.filter { $0.algorithm == algorithm }
        guard !candidates.isEmpty else { return .failure(.algorithmNotAccepted(name)) }
        if case .string(let kid)? = header["kid"], candidates.contains(where: { $0.keyID == kid }) {
            candidates = candidates.filter { $0.keyID == kid }
        }
        guard let signature = Base64URL.decode(String(decoding: signaturePart, as: UTF8.self)), !signature.isEmpty
        else { return .failure(.badSignature) }
        let signingInput = bytes[..<dots[1]]
        guard candidates.contains(where: { $0.verifies(signature, over: signingInput) }) else {
            return .failure(.badSignature)
        }
        guard let claims = Self.object(payloadPart) else {
            return .failure(.malformed("its payload is not a base64url JSON object"))
        }
        return check(claims, now: now).map { claims }
    }

    /// The checks made on the claims of a correctly signed token.
    func check(_ claims: JSONObject, now: Double) -> Result<Void, JWTFailure> {
        if let exp = claims["exp"] {
            guard let value = exp.doubleValue else { return .failure(.malformed("'exp' is not a number")) }
            if now > value + leeway { return .failure(.expired) }
        }
        if let nbf = claims["nbf"] {
            guard let value = nbf.doubleValue else { return .failure(.malformed("'nbf' is not a number")) }
            if now + leeway < value { return .failure(.notYetValid) }
        }
        if let issuer, claims["iss"]?.stringValue != issuer { return .failure(.wrongIssuer) }
        if let audience {
            let matches: Bool
            switch claims["aud"] {
            case .string(let value)?: matches = value == audience
            case .array(let values)?: matches = values.contains { $0.stringValue == audience }
            default: matches = false
            }
            if !matches { return .failure(.wrongAudience) }
        }
        for name in requiredClaims {
            switch claims[name] {
            case nil, .null?: return .failure(.missingClaim(name))
            default: continue
            }
        }
        return .success(())
    }

    private static func object(_ part: ArraySlice<UInt8>) -> JSONObject? {
        guard let decoded = Base64URL.decode(String(decoding: part, as: UTF8.self)),
            let value = try? JSONValue.parse(decoded),
            case .object(let object) = value
        else { return nil }
        return object
    }
}
