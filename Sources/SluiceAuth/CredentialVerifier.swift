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
    /// `publisher` or `admin`, named in reasons ("The publisher token is not valid.").
    public let role: String?

    /// - Throws: when a JWT key of a credential cannot be loaded.
    public init(_ credentials: [APICredential], role: String? = nil) throws(JWTKeyError) {
        self.role = role
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

    /// Whether any static token of the list is `token`.
    public func hasStaticToken(_ token: some StringProtocol) -> Bool { staticCredential(token) != nil }

    /// The credential whose static token is `token`. Every static token is compared (each in constant time), so the
    /// time taken does not tell which one nearly matched.
    private func staticCredential(_ token: some StringProtocol) -> APICredential? {
        var found: APICredential?
        for entry in entries {
            if case .token(let secret) = entry.credential.verifier, secret.matches(token), found == nil {
                found = entry.credential
            }
        }
        return found
    }

    /// The credential `token` is, at `now` (Unix seconds). Static tokens are compared first; then
    /// JWT credentials in order. A JWT failure reason (expired, wrong audience) is reported when no credential
    /// accepts the token and it was signed for one of them.
    public func verify(_ token: Substring, now: Double) -> Result<Grant, AuthFailure> {
        if let found = staticCredential(token) {
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
        return .failure(
            .invalid(failure?.reason ?? role.map { "The \($0) token is not valid." } ?? "The token is not valid."))
    }
}
