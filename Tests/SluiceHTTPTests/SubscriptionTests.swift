import SluiceJSON
import Testing

/// `POST /_sluice/subscriptions`: a client changes its own channels with the secret from `connected`.
@Suite(.timeLimit(.minutes(2))) struct SubscriptionTests {
    static func gateway(_ dir: String) async throws -> TestGateway {
        try await TestGateway(
            """
            \(TestGateway.authSection)
            limits: { maxChannelsPerClient: 3 }
            hooks:
              rooms: { command: ["\(dir)/hook.sh"], timeout: 5s }
            channels: { "user:{id}": {}, "room:{name}": {}, news: {} }
            routes:
              - path: "/events/:id"
                channels: ["user:{id}"]
                subscribe: { allow: ["room:*"], onSubscribe: rooms }
              - { path: /plain, channels: [news] }
            """)
    }

    static let hook = """
        echo "$SLUICE_HOOK $SLUICE_CHANNEL $SLUICE_PARAM_ID" >> "$(dirname "$0")/calls"
        case "$SLUICE_CHANNEL" in
          room:staff-*) echo '{"allow": false, "reason": "staff only"}'; exit 1 ;;
          *) exit 0 ;;
        esac
        """

    func subscribe(_ gateway: TestGateway, _ body: String) async throws -> HTTPTestResponse {
        try await gateway.request("POST", "/_sluice/subscriptions", body: body)
    }

    @Test func aClientSubscribesWithItsSecretWithinTheRoutesRules() async throws {
        let dir = try HookTests.scripts(["hook.sh": Self.hook])
        let gateway = try await Self.gateway(dir)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.stream("/events/7")
        let connected = try client.connected()
        let id = try #require(connected["client"]?.stringValue)
        let secret = try #require(connected["secret"]?.stringValue)
        #expect(secret.count == 22 && secret != id)

        for body in [
            #"{"client":"\#(id)","secret":"wrong","subscribe":["room:a"]}"#,
            #"{"client":"\#(id)","subscribe":["room:a"]}"#,
            #"{"client":"nobody","secret":"\#(secret)","subscribe":["room:a"]}"#,
        ] {
            let refused = try await subscribe(gateway, body)
            #expect(refused.status == 403)
            #expect(refused.json?["error"] == "The client id and secret do not match a stream that may subscribe.")
        }
        #expect(gateway.server.channelCounts["room:a"] == nil, "a refused request changes nothing")

        let answer = try await subscribe(
            gateway,
            #"{"client":"\#(id)","secret":"\#(secret)","subscribe":["room:lobby","room:staff-x","news","room:b","room:c"]}"#
        )
        #expect(answer.status == 200)
        #expect(answer.json?["results"]?["room:lobby"] == "subscribed")
        #expect(answer.json?["results"]?["room:staff-x"] == "refused: staff only")
        #expect(answer.json?["results"]?["news"] == "refused: not allowed on this route")
        #expect(answer.json?["results"]?["room:b"] == "subscribed")
        #expect(answer.json?["results"]?["room:c"] == "refused: too many channels")
        #expect(answer.json?["channels"] == ["user:7", "room:lobby", "room:b"])
        try await client.waitForBody(
            containing: "event: subscribed\ndata: {\"channels\":[\"room:lobby\",\"room:b\"]}\n\n")
        try await gateway.publish(#"{"channel":"room:lobby","data":"in the lobby"}"#)
        try await client.waitForBody(containing: "data: in the lobby\n")
        let calls = try String(contentsOfFile: "\(dir)/calls", encoding: .utf8)
        #expect(calls.contains("onSubscribe room:staff-x 7"), "the hook sees the channel and the stream's parameters")
        #expect(!calls.contains("news"), "channels outside the route's patterns never reach the hook")

        let left = try await subscribe(
            gateway, #"{"client":"\#(id)","secret":"\#(secret)","unsubscribe":["room:lobby"]}"#)
        #expect(left.json?["channels"] == ["user:7", "room:b"])
        try await client.waitForBody(containing: "event: unsubscribed\ndata: {\"channels\":[\"room:lobby\"]}\n\n")
        let after = try await gateway.publish(#"{"channel":"room:lobby","data":"gone"}"#)
        #expect(after.json?["delivered"] == 0)
        client.close()
    }

    @Test func routesWithoutSubscribeGiveNoSecret() async throws {
        let dir = try HookTests.scripts(["hook.sh": Self.hook])
        let gateway = try await Self.gateway(dir)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.stream("/plain")
        let connected = try client.connected()
        #expect(connected["secret"] == nil)
        let id = try #require(connected["client"]?.stringValue)
        let refused = try await subscribe(gateway, #"{"client":"\#(id)","secret":"","subscribe":["room:a"]}"#)
        #expect(refused.status == 403)
        client.close()
    }
}
