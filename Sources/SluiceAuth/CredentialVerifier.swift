import SluiceCore
import SluiceJSON

/// Checks bearer tokens presented to the API against a list of publisher or admin credentials.
public struct CredentialVerifier: Sendable {
    /// An accepted credential and what it may publish to.
    public struct Grant: Sendable {
        public var credential: APICredential
        /// A label for rate limits and logs: the credential's name, and a JWT's subject when it has one.
        public var label: String
        /// Patterns the token's own claim grants (JWT with `channelsClaim`), narrowing the credential's.
        public var claimed: ChannelGrants

        /// Whether this grant may publish to `channel`.
        public func permits(_ channel: String) -> Bool { credential.permits(channel) && claimed.permits(channel) }

        /// Whether this grant is limited to some channels (and so may not publish to clients or everyone).
        public var isScoped: Bool { !credential.channels.isEmpty || claimed.patterns != nil }
    }

    private let entries: [(credential: APICredential, jwt: JWTVerifier?)]

    /// - Throws: when a JWT key of a credential cannot be loaded.
    public init(_ credentials: [APICredential]) throws(JWTKeyError) {
        var entries: [(APICredential, JWTVerifier?)] = []
        for credential in credentials {
            switch credential.verifier {
            case .token: entries.append((credential, nil))
            case .jwt(let spec): entries.append((credential, try JWTVerifier(spec)))
            }
        }
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Whether any static token of the list is `token` (constant-time per token).
    public func hasStaticToken(_ token: some StringProtocol) -> Bool {
        var found = false
        for entry in entries {
            if case .token(let secret) = entry.credential.verifier, secret.matches(token) { found = true }
        }
        return found
    }

    /// The credential `token` is, at `now` (Unix seconds). Static tokens are compared first, all of them; then
    /// JWT credentials in order. A JWT failure reason (expired, wrong audience) is reported when no credential
    /// accepts the token and it was signed for one of them.
    public func verify(_ token: Substring, now: Double) -> Result<Grant, AuthFailure> {
        var found: APICredential?
        for entry in entries {
            if case .token(let secret) = entry.credential.verifier, secret.matches(token), found == nil {
                found = entry.credential
            }
        }
        if let found {
            return .success(Grant(credential: found, label: found.name, claimed: .unrestricted))
        }
        var failure: JWTFailure?
        for entry in entries {
            guard let jwt = entry.jwt else { continue }
            switch jwt.verify(String(token), now: now) {
            case .success(let claims):
                let subject = claims["sub"]?.stringValue.map { "/" + $0.prefix(64) } ?? ""
                return .success(
                    Grant(
                        credential: entry.credential, label: entry.credential.name + subject,
                        claimed: ChannelGrants(claim: entry.credential.channelsClaim, identity: claims)))
            case .failure(let why):
                switch why {
                case .malformed, .algorithmNotAccepted, .badSignature: continue
                default: failure = failure ?? why
                }
            }
        }
        return .failure(.invalid(failure?.reason ?? "The token is not valid."))
    }
}
