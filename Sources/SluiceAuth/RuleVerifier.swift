import SluiceCore
import SluiceJSON

/// Checks a client's token against one auth rule's static tokens and JWT settings. A rule's `hook` verifier runs
/// after this (it is a process, so the HTTP layer runs it off the event loop).
public struct RuleVerifier: Sendable {
    public let rule: AuthRuleSpec
    public let jwt: JWTVerifier?

    /// - Throws: when a JWT key of the rule cannot be loaded.
    public init(_ rule: AuthRuleSpec) throws(JWTKeyError) {
        self.rule = rule
        self.jwt = try rule.jwt.map { spec throws(JWTKeyError) in try JWTVerifier(spec) }
    }

    /// The identity `token` stands for at `now` (Unix seconds). A rule verified only by a hook answers an empty
    /// identity for any non-empty token: the hook decides.
    public func verify(_ token: String?, now: Double) -> Result<JSONObject, AuthFailure> {
        guard let token, !token.isEmpty else { return .failure(.missing(rule.source.description)) }
        // Every static token is compared, so the time taken does not tell which one nearly matched.
        var identity: JSONObject?
        for entry in rule.staticTokens where entry.token.matches(token) && identity == nil {
            identity = entry.identity
        }
        if let identity { return .success(identity) }
        if let jwt {
            switch jwt.verify(token, now: now) {
            case .success(let claims): return .success(claims)
            case .failure(let failure):
                // A token that is not JWT-shaped was presumably meant as a static token: say no more than "invalid".
                if case .malformed = failure, !rule.staticTokens.isEmpty { return .failure(.invalid()) }
                return .failure(.invalid(failure.reason))
            }
        }
        if rule.staticTokens.isEmpty && rule.hook != nil { return .success(JSONObject()) }
        return .failure(.invalid())
    }

    /// What the identity allows the client to subscribe to.
    public func grants(for identity: JSONObject) -> ChannelGrants {
        ChannelGrants(claim: rule.channelsClaim, identity: identity)
    }
}
