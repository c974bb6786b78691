import SluiceJSON

/// Credentials for the API and the rules routes authenticate with.
public struct AuthSettings: Sendable {
    public var publishers: [APICredential]
    public var admins: [APICredential]
    /// Rules by name.
    public var rules: [String: AuthRuleSpec]

    public init(publishers: [APICredential], admins: [APICredential], rules: [String: AuthRuleSpec]) {
        self.publishers = publishers
        self.admins = admins
        self.rules = rules
    }
}

/// A publisher or admin credential and the channels it may touch.
public struct APICredential: Sendable {
    /// What a presented bearer token is checked against.
    public enum Verifier: Sendable {
        /// One static token, compared in constant time.
        case token(Secret)
        /// Any JWT these settings accept.
        case jwt(JWTSpec)
    }

    /// A label for logs and metrics (never the token).
    public var name: String
    public var verifier: Verifier
    /// Channel patterns this credential may publish to; empty means all.
    public var channels: [ChannelPattern]
    /// With a JWT verifier: the claim listing the channel patterns the token itself grants (narrowing `channels`).
    public var channelsClaim: String?

    public init(name: String, verifier: Verifier, channels: [ChannelPattern], channelsClaim: String? = nil) {
        self.name = name
        self.verifier = verifier
        self.channels = channels
        self.channelsClaim = channelsClaim
    }

    /// Whether the credential may publish to `channel`.
    public func permits(_ channel: String) -> Bool {
        channels.isEmpty || channels.contains { $0.matches(channel) }
    }
}

/// How a route authenticates a client: where the token comes from, and what verifies it.
public struct AuthRuleSpec: Sendable {
    public var name: String
    public var source: TokenSource
    /// Static tokens and the identity each stands for.
    public var staticTokens: [(token: Secret, identity: JSONObject)]
    public var jwt: JWTSpec?
    /// A hook (the `onConnect` contract) that verifies the token, run after the other verifiers.
    public var hook: String?
    /// The identity claim listing the channel patterns a client may subscribe to; when set, nothing else is allowed.
    public var channelsClaim: String?

    public init(
        name: String, source: TokenSource, staticTokens: [(token: Secret, identity: JSONObject)], jwt: JWTSpec?,
        hook: String?, channelsClaim: String? = nil
    ) {
        self.name = name
        self.source = source
        self.staticTokens = staticTokens
        self.jwt = jwt
        self.hook = hook
        self.channelsClaim = channelsClaim
    }
}

/// Where a client's token is read from.
public enum TokenSource: Sendable, Equatable, CustomStringConvertible {
    case query(String)
    /// A header, with an optional scheme such as `Bearer`.
    case header(String, scheme: String?)
    case cookie(String)

    public var description: String {
        switch self {
        case .query(let name): "query '\(name)'"
        case .header(let name, let scheme?): "header '\(name): \(scheme) …'"
        case .header(let name, nil): "header '\(name)'"
        case .cookie(let name): "cookie '\(name)'"
        }
    }
}

/// JWT verification settings.
public struct JWTSpec: Sendable {
    /// A verification key by algorithm.
    public enum Key: Sendable {
        /// HS256, HS384 or HS512 with a shared secret.
        case hmac(algorithm: String, secret: Secret)
        /// RS256 or ES256 with a PEM public key; `origin` names where it came from (a file, or the config).
        case publicKey(algorithm: String, pem: String, origin: String)
        /// The keys of a JWKS document.
        case jwks(json: String, origin: String)

        /// The algorithm's name, or `JWKS`.
        public var label: String {
            switch self {
            case .hmac(let algorithm, _), .publicKey(let algorithm, _, _): algorithm
            case .jwks: "JWKS"
            }
        }
    }

    public var keys: [Key]
    public var issuer: String?
    public var audience: String?
    public var leeway: Duration
    public var requiredClaims: [String]

    public init(keys: [Key], issuer: String?, audience: String?, leeway: Duration, requiredClaims: [String]) {
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.requiredClaims = requiredClaims
    }
}
