import Foundation
import SluiceJSON
import Testing

/// Auth rules end to end: token sources × verifiers (static, JWT, hook), chains, identity in templates, channel
/// grants, scoped publishers, and what never reaches the logs.
@Suite(.timeLimit(.minutes(2))) struct AuthTests {
    static let staticToken = "static-client-token-1"
    static let hookToken = "hook-client-token-1"

    /// A verifier hook: accepts one token (from the environment) and names its subject; refuses anything else.
    static let verifier = """
        cat > "$(dirname "$0")/request.json"
        [ "$SLUICE_HOOK" = authenticate ] || exit 3
        if [ "$SLUICE_TOKEN" = "\(hookToken)" ]; then echo '{"identity": {"sub": "alice"}}'; exit 0; fi
        if [ -n "$SLUICE_AUTH_SUB" ]; then echo "{\\"identity\\": {\\"team\\": \\"t-$SLUICE_AUTH_SUB\\"}}"; exit 0; fi
        exit 1
        """

    static func config(_ dir: String) -> String {
        let sources = [
            "query": "{ query: token }", "header": "{ header: Authorization, scheme: Bearer }",
            "cookie": "{ cookie: sid }",
        ]
        let verifiers = [
            "static": #"static: [{ token: "\#(staticToken)", identity: { sub: alice } }]"#,
            "jwt": #"jwt: { hs256: "\#(TestJWT.secret)" }"#, "hook": "hook: verify",
        ]
        var rules = ""
        var routes = ""
        for (source, sourceSpec) in sources.sorted(by: { $0.key < $1.key }) {
            for (verifier, verifierSpec) in verifiers.sorted(by: { $0.key < $1.key }) {
                rules += "    \(source)_\(verifier): { token: \(sourceSpec), \(verifierSpec) }\n"
                routes +=
                    "  - { path: /m/\(source)/\(verifier), auth: \(source)_\(verifier), channels: [\"user:{auth.sub}\"] }\n"
            }
        }
        return """
            auth:
              publishers:
                - { token: "${P:-\(TestGateway.publisherToken)}" }
                - { name: news-only, token: "news-publisher-token", channels: [news] }
                - name: service
                  jwt: { hs256: "\(TestJWT.secret)", audience: publish }
                  channels: ["room:*", news]
                  channelsClaim: rooms
              admins:
                - { name: ops, jwt: { hs256: "\(TestJWT.secret)", audience: admin } }
              rules:
            \(rules)
                chained: { token: { header: Authorization, scheme: Bearer }, jwt: { hs256: "\(TestJWT.secret)" }, hook: verify }
                granted:
                  token: { query: token }
                  jwt: { hs256: "\(TestJWT.secret)", audience: app, required: [sub] }
                  channelsClaim: channels
            hooks:
              verify: { command: ["\(dir)/verify.sh"], timeout: 5s }
              seen: { command: ["\(dir)/seen.sh"], timeout: 5s }
              widen: { command: ["\(dir)/widen.sh"], timeout: 5s }
            channels: { "user:{id}": {}, "team:{name}": {}, "room:{name}": {}, news: {} }
            routes:
            \(routes)
              - { path: /chained, auth: chained, channels: ["team:{auth.claims.team}"] }
              - { path: "/granted/:room", auth: granted, channels: ["room:{room}"], subscribe: { allow: ["room:*", news] } }
              - { path: /seen, auth: query_static, channels: [news], onConnect: seen }
              - { path: "/widened/:room", auth: granted, channels: ["room:{room}"], onConnect: widen }
            """
    }

    static func gateway(logs: LogCapture? = nil) async throws -> (TestGateway, String) {
        let dir = try HookTests.scripts([
            "verify.sh": verifier, "seen.sh": #"cat > "$(dirname "$0")/seen.json""#,
            "widen.sh": #"echo '{"channels": ["room:'"$SLUICE_QUERY_EXTRA"'"]}'"#,
        ])
        return (try await TestGateway(config(dir), logs: logs), dir)
    }

    /// How a source carries a token: the path suffix and the headers.
    static func present(_ token: String, in source: String) -> (query: String, headers: [String: String]) {
        switch source {
        case "query": ("?token=\(token)", [:])
        case "header": ("", ["Authorization": "Bearer \(token)"])
        default: ("", ["Cookie": "theme=dark; sid=\(token)"])
        }
    }

    @Test func everySourceWithEveryVerifier() async throws {
        let (gateway, _) = try await Self.gateway()
        defer { Task { await gateway.stop() } }
        let good = [
            "static": Self.staticToken, "jwt": TestJWT.hs256(TestJWT.claims("alice")), "hook": Self.hookToken,
        ]
        for source in ["query", "header", "cookie"] {
            for verifier in ["static", "jwt", "hook"] {
                let path = "/m/\(source)/\(verifier)"
                let (query, headers) = Self.present(good[verifier]!, in: source)
                let client = try await gateway.stream(path + query, headers: headers)
                #expect(
                    client.body.contains(#""channels":["user:alice"]"#), "\(path): \(client.body.prefix(200))")
                client.close()

                let (badQuery, badHeaders) = Self.present("not-a-valid-token", in: source)
                let bad = try await gateway.request("GET", path + badQuery, headers: badHeaders)
                #expect(bad.status == 401, "\(path) with a bad token")
                #expect(bad.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true, "\(path)")
                let reason =
                    verifier == "jwt"
                    ? "The token is not a well-formed JWT: it does not have three parts." : "The token is not valid."
                #expect(bad.json?["error"]?.stringValue == reason, "\(path): \(bad.body)")

                let missing = try await gateway.request("GET", path)
                #expect(missing.status == 401, "\(path) without a token")
                #expect(missing.header("WWW-Authenticate") == #"Bearer realm="sluice""#)
                #expect(
                    missing.json?["error"]?.stringValue?.hasPrefix("This route needs a token in the \(source)") == true)
            }
        }
    }

    @Test func expiredAndForeignJWTsSaySo() async throws {
        let (gateway, _) = try await Self.gateway()
        defer { Task { await gateway.stop() } }
        let expired = TestJWT.hs256(TestJWT.claims("alice", expiresIn: -120))
        let answer = try await gateway.request("GET", "/m/header/jwt", headers: ["Authorization": "Bearer \(expired)"])
        #expect(answer.status == 401)
        #expect(answer.json?["error"] == "The token has expired.")
        #expect(answer.header("WWW-Authenticate")?.contains(#"error_description="The token has expired.""#) == true)
        let foreign = TestJWT.hs256(TestJWT.claims("alice"), secret: "another-secret-that-is-long-enough-too")
        let refused = try await gateway.request("GET", "/m/header/jwt", headers: ["Authorization": "Bearer \(foreign)"])
        #expect(refused.status == 401 && refused.json?["error"] == "The token's signature is not valid.")
    }

    /// JWT first, then the hook, which sees the claims and adds one that fills the route's template.
    @Test func aChainedHookSeesTheClaimsAndAddsIdentity() async throws {
        let (gateway, dir) = try await Self.gateway()
        defer { Task { await gateway.stop() } }
        let token = TestJWT.hs256(TestJWT.claims("bob"))
        let client = try await gateway.stream("/chained", headers: ["Authorization": "Bearer \(token)"])
        #expect(client.body.contains(#""channels":["team:t-bob"]"#), "\(client.body.prefix(300))")
        let request = try JSONValue.parse(String(contentsOfFile: "\(dir)/request.json", encoding: .utf8))
        #expect(request["hook"] == "authenticate")
        #expect(request["token"]?.stringValue == token)
        #expect(request["auth"]?["sub"] == "bob")
        #expect(try HookTests.validate("\(dir)/request.json", against: "hook-request") == "PASS")
        let clients = try await gateway.request(
            "GET", "/_sluice/clients", headers: ["Authorization": "Bearer \(TestGateway.adminToken)"])
        #expect(clients.status == 401, "this gateway has no admin token")
        client.close()
        // A token the JWT step refuses never reaches the hook.
        try FileManager.default.removeItem(atPath: "\(dir)/request.json")
        let refused = try await gateway.request("GET", "/chained", headers: ["Authorization": "Bearer nope.nope.nope"])
        #expect(refused.status == 401)
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/request.json"))
    }

    @Test func claimGrantedPatternsLimitConnectsAndDynamicSubscriptions() async throws {
        let (gateway, _) = try await Self.gateway()
        defer { Task { await gateway.stop() } }
        let token = TestJWT.hs256(TestJWT.claims("carol", extra: ["aud": "app", "channels": ["room:blue", "news"]]))
        let refused = try await gateway.request("GET", "/granted/red?token=\(token)")
        #expect(refused.status == 403)
        #expect(refused.json?["error"] == "Your credentials do not grant the channel 'room:red'.")
        #expect(refused.header("WWW-Authenticate") == nil)

        let client = try await gateway.stream("/granted/blue?token=\(token)")
        let connected = try client.connected()
        let id = try #require(connected["client"]?.stringValue)
        let secret = try #require(connected["secret"]?.stringValue)
        let answer = try await gateway.request(
            "POST", "/_sluice/subscriptions",
            body: #"{"client":"\#(id)","secret":"\#(secret)","subscribe":["news","room:green"]}"#)
        #expect(answer.status == 200)
        #expect(answer.json?["results"]?["news"] == "subscribed")
        #expect(answer.json?["results"]?["room:green"] == "refused: not granted by your credentials")
        #expect(gateway.server.channelCounts["room:green"] == nil)

        let wrongAudience = TestJWT.hs256(TestJWT.claims("carol", extra: ["aud": "other", "channels": ["room:*"]]))
        let foreign = try await gateway.request("GET", "/granted/blue?token=\(wrongAudience)")
        #expect(foreign.status == 401 && foreign.json?["error"] == "The token is meant for another audience.")
    }

    /// An `onConnect` hook may add channels only within the client's grants: anything else is a hook failure.
    @Test func hooksCannotAddChannelsOutsideTheGrants() async throws {
        let (gateway, _) = try await Self.gateway()
        defer { Task { await gateway.stop() } }
        let token = TestJWT.hs256(
            TestJWT.claims("dan", extra: ["aud": "app", "channels": ["room:blue", "room:green"]]))
        let inside = try await gateway.stream("/widened/blue?token=\(token)&extra=green")
        #expect(inside.body.contains(#""channels":["room:blue","room:green"]"#), "\(inside.body.prefix(300))")
        inside.close()
        let outside = try await gateway.stream("/widened/blue?token=\(token)&extra=red")
        try await outside.waitUntilClosed()
        #expect(outside.body.contains(#""code":"hook_unavailable""#), "\(outside.body.prefix(300))")
        #expect(gateway.server.channelCounts["room:red"] == nil)
    }

    /// Admins may be JWTs too; the client list shows each client's identity.
    @Test func theAdminClientListShowsIdentities() async throws {
        let (gateway, _) = try await Self.gateway()
        defer { Task { await gateway.stop() } }
        let client = try await gateway.stream(
            "/m/header/jwt", headers: ["Authorization": "Bearer \(TestJWT.hs256(TestJWT.claims("erin")))"])
        let admin = TestJWT.hs256(TestJWT.claims("ops", extra: ["aud": "admin"]))
        let list = try await gateway.request("GET", "/_sluice/clients", headers: ["Authorization": "Bearer \(admin)"])
        #expect(list.status == 200)
        let entry = try #require(list.json?["clients"]?.arrayValue?.first)
        #expect(entry["auth"]?["sub"] == "erin")
        #expect(entry["channels"] == ["user:erin"])
        let member = TestJWT.hs256(TestJWT.claims("erin", extra: ["aud": "app"]))
        let refused = try await gateway.request(
            "GET", "/_sluice/clients", headers: ["Authorization": "Bearer \(member)"])
        #expect(refused.status == 401 && refused.json?["error"] == "The token is meant for another audience.")
        client.close()
    }

    @Test func publishersAreScopedToTheirChannels() async throws {
        let (gateway, _) = try await Self.gateway()
        defer { Task { await gateway.stop() } }
        let newsOnly = try await gateway.publish(#"{"channel":"room:a","data":"x"}"#, token: "news-publisher-token")
        #expect(newsOnly.status == 403)
        #expect(newsOnly.json?["error"] == "This token may not publish to 'room:a'.")
        #expect(
            try await gateway.publish(#"{"channel":"news","data":"x"}"#, token: "news-publisher-token").status == 200)

        let service = TestJWT.hs256(TestJWT.claims("svc", extra: ["aud": "publish", "rooms": "room:a news"]))
        #expect(try await gateway.publish(#"{"channel":"room:a","data":"x"}"#, token: service).status == 200)
        let outside = try await gateway.publish(#"{"channel":"room:b","data":"x"}"#, token: service)
        #expect(outside.status == 403 && outside.json?["error"] == "This token may not publish to 'room:b'.")
        let everyone = try await gateway.publish(#"{"all":true,"data":"x"}"#, token: service)
        #expect(everyone.status == 403)
        let expired = TestJWT.hs256(TestJWT.claims("svc", expiresIn: -100, extra: ["aud": "publish"]))
        let late = try await gateway.publish(#"{"channel":"news","data":"x"}"#, token: expired)
        #expect(late.status == 401 && late.json?["error"] == "The token has expired.")
        #expect(late.header("WWW-Authenticate")?.hasPrefix("Bearer realm=\"sluice\", error=\"invalid_token\"") == true)
        let clientToken = try await gateway.publish(#"{"channel":"news","data":"x"}"#, token: Self.staticToken)
        #expect(clientToken.status == 401 && clientToken.json?["error"] == "The publisher token is not valid.")
    }

    /// Tokens and secrets never appear in logs, even at trace level, through refusals and hook failures; a query
    /// token is removed from what hooks see.
    @Test func noSecretReachesTheLogsOrHooks() async throws {
        let logs = LogCapture()
        let (gateway, dir) = try await Self.gateway(logs: logs)
        defer { Task { await gateway.stop() } }
        let jwt = TestJWT.hs256(TestJWT.claims("alice", expiresIn: -100))
        let attempts: [(String, [String: String])] = [
            ("/m/query/static?token=\(Self.staticToken)x", [:]),
            ("/m/header/jwt", ["Authorization": "Bearer \(jwt)"]),
            ("/m/cookie/hook", ["Cookie": "sid=\(Self.hookToken)-wrong"]),
            ("/_sluice/publish", ["Authorization": "Bearer \(Self.hookToken)-publisher"]),
        ]
        for (path, headers) in attempts {
            let answer = try await gateway.request(path.hasPrefix("/_sluice") ? "POST" : "GET", path, headers: headers)
            #expect([401, 403].contains(answer.status), "\(path)")
            for secret in [Self.staticToken, Self.hookToken, jwt, TestJWT.secret] {
                #expect(!answer.body.contains(secret) && !(answer.header("WWW-Authenticate") ?? "").contains(secret))
            }
        }
        let client = try await gateway.stream("/seen?token=\(Self.staticToken)&room=7")
        client.close()
        let seen = try JSONValue.parse(String(contentsOfFile: "\(dir)/seen.json", encoding: .utf8))
        #expect(seen["query"] == ["room": "7"], "the token parameter is not passed on")
        #expect(seen["token"] == nil, "only verifier hooks see tokens")
        try await gateway.eventually("something was logged") { logs.count > 0 }
        for secret in [Self.staticToken, Self.hookToken, jwt, TestJWT.secret, TestGateway.publisherToken] {
            #expect(!logs.text.contains(secret), "a secret reached the logs")
        }
    }
}
