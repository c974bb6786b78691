import SluiceCore

extension JWTVerifier {
    /// The verifier a rule's `jwt` settings describe, with every key loaded.
    /// - Throws: the first key that cannot be used, saying which.
    public init(_ spec: JWTSpec) throws(JWTKeyError) {
        var keys: [JWTKey] = []
        for key in spec.keys {
            switch key {
            case .hmac(let name, let secret):
                guard let algorithm = JWTAlgorithm(rawValue: name) else { throw JWTKeyError("unknown algorithm") }
                keys.append(
                    try secret.withRawBytes { bytes throws(JWTKeyError) in
                        try JWTKey.hmac(algorithm, secret: bytes)
                    })
            case .publicKey(let name, let pem, _):
                guard let algorithm = JWTAlgorithm(rawValue: name) else { throw JWTKeyError("unknown algorithm") }
                keys.append(try JWTKey.publicKey(algorithm, pem: pem))
            case .jwks(let json, _):
                keys += try JWTKey.jwks(json)
            }
        }
        self.init(
            keys: keys, issuer: spec.issuer, audience: spec.audience,
            leeway: Double(spec.leeway.components.seconds) + Double(spec.leeway.components.attoseconds) / 1e18,
            requiredClaims: spec.requiredClaims)
    }
}
