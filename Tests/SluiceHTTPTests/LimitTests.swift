import SluiceJSON
import Testing

@Suite(.timeLimit(.minutes(2))) struct LimitTests {
    static func config(_ limits: String, channels: String = "news: {}") -> String {
        """
        \(TestGateway.authSection)
        limits: { \(limits) }
        channels: { \(channels), "user:{id}": {} }
        routes:
          - { path: /events, channels: [news] }
          - { path: /users/:id, channels: ["user:{id}"] }
          - { path: /both/:id, channels: [news, "user:{id}"] }
        """
    }

    @Test func gatewayFullIsATemporaryRefusalEventSourceRetries() async throws {
        let gateway = try await TestGateway(Self.config("maxConnections: 2"))
        defer { Task { await gateway.stop() } }
        let a = try await gateway.stream("/events")
        let b = try await gateway.stream("/events")
        let refused = try await gateway.connect()
        try await refused.openStream("/events")
        try await refused.waitUntilClosed()
        let response = try #require(HTTPTestResponse(refused.text))
        #expect(response.status == 200)
        #expect(response.header("content-type") == "text/event-stream; charset=utf-8")
        #expect(
            response.body
                == "retry: 3000\n\nevent: error\ndata: {\"code\":\"gateway_full\",\"reason\":\"The gateway has reached its connection limit.\"}\n\n"
        )
        a.close()
        try await gateway.eventually("a slot to free") { gateway.server.streamCount == 1 }
        let c = try await gateway.stream("/events")
        #expect(c.body.contains("event: connected"))
        b.close()
        c.close()
    }

    @Test func perIPLimit() async throws {
        let gateway = try await TestGateway(Self.config("maxConnections: 10, maxConnectionsPerIP: 1"))
        defer { Task { await gateway.stop() } }
        let first = try await gateway.stream("/events")
        let second = try await gateway.connect()
        try await second.openStream("/events")
        try await second.waitUntilClosed()
        #expect(second.body.contains(#""code":"per_ip_limit""#))
        first.close()
    }

    @Test func subscribersPerChannel() async throws {
        let gateway = try await TestGateway(Self.config("maxSubscribersPerChannel: 2"))
        defer { Task { await gateway.stop() } }
        let a = try await gateway.stream("/events")
        let b = try await gateway.stream("/both/1")
        let c = try await gateway.connect()
        try await c.openStream("/both/2")
        try await c.waitUntilClosed()
        #expect(c.body.contains(#""code":"channel_full""#))
        // The refused stream took nothing: user:2 has no subscriber, news still two.
        try await gateway.eventually("counts") { gateway.server.channelCounts == ["news": 2, "user:1": 1] }
        a.close()
        b.close()
    }

    @Test func channelDeclarationLimitWins() async throws {
        let gateway = try await TestGateway(Self.config("maxConnections: 10", channels: "news: { maxSubscribers: 1 }"))
        defer { Task { await gateway.stop() } }
        let a = try await gateway.stream("/events")
        let b = try await gateway.connect()
        try await b.openStream("/events")
        try await b.waitUntilClosed()
        #expect(b.body.contains(#""code":"channel_full""#))
        a.close()
    }

    @Test func tooManyChannelsIsPermanent() async throws {
        let gateway = try await TestGateway(Self.config("maxChannelsPerClient: 1"))
        defer { Task { await gateway.stop() } }
        let response = try await gateway.request("GET", "/both/1")
        #expect(response.status == 403)
        #expect(response.json?["error"] == "This route would subscribe to 2 channels; at most 1 are allowed.")
    }

    @Test func payloadLimit() async throws {
        let gateway = try await TestGateway(Self.config("maxPayload: 1KiB, slowClientBuffer: 64KiB"))
        defer { Task { await gateway.stop() } }
        let big = String(repeating: "x", count: 1025)
        let refused = try await gateway.publish(#"{"channel":"news","data":"\#(big)"}"#)
        #expect(refused.status == 413)
        #expect(refused.json?["error"] == "The data is 1025 bytes, more than the 1024 allowed.")
        let accepted = try await gateway.publish(#"{"channel":"news","data":"\#(big.dropLast())"}"#)
        #expect(accepted.status == 200)
    }

    @Test func slowClientIsCutOffAndMemoryStaysBounded() async throws {
        let gateway = try await TestGateway(Self.config("maxPayload: 1KiB, slowClientBuffer: 16KiB"))
        defer { Task { await gateway.stop() } }
        let slow = try await RawClient.connect(port: gateway.port, autoRead: false)
        try await slow.openStream("/events")
        let fast = try await gateway.stream("/events")
        try await gateway.eventually("both subscribed") { gateway.server.channelCounts["news"] == 2 }
        let line = #"{"channel":"news","data":"\#(String(repeating: "y", count: 1000))"}"#
        let batch = Array(repeating: line, count: 2000).joined(separator: "\n")
        var cut = false
        for _ in 0..<20 where !cut {
            let response = try await gateway.request(
                "POST", "/_sluice/publish",
                headers: [
                    "Authorization": "Bearer \(TestGateway.publisherToken)", "Content-Type": "application/x-ndjson",
                ],
                body: batch)
            #expect(response.json?["published"] == 2000)
            cut = gateway.server.channelCounts["news"] == 1
            if !cut {
                try? await gateway.eventually("the slow client to be cut", timeout: .seconds(2)) {
                    gateway.server.channelCounts["news"] == 1
                }
                cut = gateway.server.channelCounts["news"] == 1
            }
        }
        #expect(cut, "the slow subscriber was never disconnected")
        let metrics = try await gateway.request("GET", "/_sluice/metrics")
        #expect(metrics.body.contains("sluice_slow_clients_disconnected_total 1\n"))
        fast.close()
        slow.close()
    }
}
