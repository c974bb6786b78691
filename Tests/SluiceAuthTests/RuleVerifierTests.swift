import SluiceCore
import SluiceJSON
import Testing

@testable import SluiceAuth

@Suite struct RuleVerifierTests {
    static let now = 1_800_000_000.0
    static let jwt = JWTSpec(
        keys: [.hmac(algorithm: "HS256", secret: Secret(String(decoding: TestTokens.secret, as: UTF8.self)))],
        issuer: nil, audience: "app", leeway: .seconds(30), requiredClaims: ["sub"])

    static func rule(
        static tokens: [(token: Secret, identity: JSONObject)] = [], jwt: JWTSpec? = nil, hook: String? = nil,
        claim: String? = nil
    ) throws -> RuleVerifier {
        try RuleVerifier(
            AuthRuleSpec(
                name: "r", source: .header("Authorization", scheme: "Bearer"), staticTokens: tokens, jwt: jwt,
                hook: hook, channelsClaim: claim))
    }

    @Test func staticTokensThenJWT() throws {
        var alice = JSONObject()
        alice["sub"] = "alice"
        let verifier = try Self.rule(static: [(Secret("static-token-1"), alice)], jwt: Self.jwt)
        #expect(try verifier.verify("static-token-1", now: Self.now).get()["sub"] == "alice")
        let token = TestTokens.hmac(["sub": "bob", "aud": "app", "exp": 1_800_000_100])
        #expect(try verifier.verify(token, now: Self.now).get()["sub"] == "bob")
        #expect(verifier.verify("static-token-2", now: Self.now) == .failure(.invalid()))
        #expect(verifier.verify(token, now: Self.now + 200) == .failure(.invalid("The token has expired.")))
        #expect(verifier.verify(nil, now: Self.now).failureStatus == 401)
        #expect(verifier.verify("", now: Self.now) == .failure(.missing("header 'Authorization: Bearer …'")))
    }

    @Test func aHookOnlyRuleLeavesTheDecisionToTheHook() throws {
        let verifier = try Self.rule(hook: "verify")
        #expect(try verifier.verify("anything", now: Self.now).get().members.isEmpty)
        #expect(verifier.verify(nil, now: Self.now).failureStatus == 401)
    }

    @Test func theChallengeFollowsRFC6750() {
        #expect(AuthFailure.missing("query 'token'").challenge == #"Bearer realm="sluice""#)
        #expect(
            AuthFailure.invalid("The token has expired.").challenge
                == #"Bearer realm="sluice", error="invalid_token", error_description="The token has expired.""#)
        #expect(AuthFailure.forbidden("no").headers.isEmpty)
    }

    @Test func claimsGrantChannelPatterns() throws {
        let verifier = try Self.rule(jwt: Self.jwt, claim: "channels")
        var identity = JSONObject()
        identity["channels"] = ["room:*", "news"]
        let grants = verifier.grants(for: identity)
        #expect(grants.permits("room:7") && grants.permits("news") && !grants.permits("admin"))
        identity["channels"] = "room:1 room:2"
        #expect(verifier.grants(for: identity).permits("room:2") && !verifier.grants(for: identity).permits("room:3"))
        identity["channels"] = 42
        #expect(!verifier.grants(for: identity).permits("room:1"), "a malformed claim grants nothing")
        #expect(try Self.rule(jwt: Self.jwt).grants(for: identity).permits("anything"))
    }

    @Test func identityClaimsFillTemplates() {
        var identity = JSONObject()
        identity["sub"] = "42"
        identity["team"] = "red"
        identity["org"] = ["id": 7]
        #expect(Identity.claim("sub", in: identity) == "42")
        #expect(Identity.claim("claims.team", in: identity) == "red")
        #expect(Identity.claim("org.id", in: identity) == "7")
        #expect(Identity.claim("claims.org.id", in: identity) == "7")
        #expect(Identity.claim("missing", in: identity) == nil)
        identity["claims"] = ["team": "blue"]
        #expect(Identity.claim("claims.team", in: identity) == "blue", "a real 'claims' claim wins")
    }

    @Test func tokenSources() {
        let headers: [String: [String]] = [
            "authorization": ["bearer abc.def"], "x-token": ["raw"], "cookie": ["a=1; sid=\"s-1\"", "b=2"],
        ]
        let lookup: (String) -> [String] = { headers[$0.lowercased()] ?? [] }
        let query = ["token": "q-1", "empty": ""]
        #expect(TokenSource.query("token").token(query: query, headers: lookup) == "q-1")
        #expect(TokenSource.query("empty").token(query: query, headers: lookup) == nil)
        #expect(TokenSource.header("Authorization", scheme: "Bearer").token(query: query, headers: lookup) == "abc.def")
        #expect(TokenSource.header("Authorization", scheme: "Token").token(query: query, headers: lookup) == nil)
        #expect(TokenSource.header("X-Token", scheme: nil).token(query: query, headers: lookup) == "raw")
        #expect(TokenSource.cookie("sid").token(query: query, headers: lookup) == "s-1")
        #expect(TokenSource.cookie("b").token(query: query, headers: lookup) == "2")
        #expect(TokenSource.cookie("c").token(query: query, headers: lookup) == nil)
        // The scheme: any ASCII case, then a space; blanks around the token are not part of it.
        let bearer = TokenSource.header("Authorization", scheme: "Bearer")
        for (value, expected) in [
            ("BEARER  abc \t", "abc"), ("Bearer\tabc", nil), ("Bearerabc", nil), ("Bearer", nil), ("Bearer   ", nil),
            ("Bearer é.ü", "é.ü"), ("Béarer abc", nil),
        ] as [(String, String?)] {
            #expect(bearer.token(query: [:], headers: { _ in [value] }) == expected, "\(value)")
        }
    }

    @Test func apiCredentialsStaticAndJWT() throws {
        let credentials = [
            APICredential(name: "static", verifier: .token(Secret("publisher-token")), channels: []),
            APICredential(
                name: "jwt", verifier: .jwt(Self.jwt), channels: [ChannelPattern("room:*"), ChannelPattern("news")],
                channelsClaim: "channels"),
        ]
        let verifier = try CredentialVerifier(credentials)
        let plain = try verifier.verify("publisher-token", now: Self.now).get()
        #expect(plain.label == "static" && plain.permits("anything") && !plain.isScoped)
        let token = TestTokens.hmac(["sub": "svc", "aud": "app", "channels": ["room:1", "admin"]])
        let grant = try verifier.verify(Substring(token), now: Self.now).get()
        #expect(grant.label == "jwt/svc" && grant.isScoped)
        #expect(grant.permits("room:1") && !grant.permits("room:2") && !grant.permits("admin"))
        let expired = TestTokens.hmac(["sub": "svc", "aud": "app", "exp": 1])
        #expect(verifier.verify(Substring(expired), now: Self.now).failure == .invalid("The token has expired."))
        #expect(verifier.verify("nope", now: Self.now).failure == .invalid())
        #expect(verifier.hasStaticToken("publisher-token") && !verifier.hasStaticToken(token))
    }
}

extension Result where Failure == AuthFailure {
    var failure: AuthFailure? {
        if case .failure(let f) = self { return f }
        return nil
    }

    var failureStatus: Int? { failure?.status }
}
