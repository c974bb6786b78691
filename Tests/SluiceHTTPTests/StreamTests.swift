import SluiceHistory
import SluiceJSON
import Testing

@Suite(.timeLimit(.minutes(2))) struct StreamTests {
    static let config = """
        \(TestGateway.authSection)
        heartbeat: { interval: 300ms }
        channels:
          news: {}
          "user:{id}": {}
          "room:{name}": {}
        routes:
          - { path: /events/news, channels: [news] }
          - { path: /events/users/:id, channels: ["user:{id}", news] }
          - { path: /rooms, channels: ["room:{query.room}"] }
        """

    @Test func streamStartsWithHeadersRetryAndConnected() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.connect()
        try await client.openStream("/events/users/42")
        // Wait on the de-chunked body: it holds only complete chunks, so the connected event is whole.
        try await client.waitForBody(containing: "event: connected")
        let response = try #require(HTTPTestResponse(client.text))
        #expect(response.status == 200)
        #expect(response.header("content-type") == "text/event-stream; charset=utf-8")
        #expect(response.header("cache-control") == "no-store")
        #expect(response.header("x-accel-buffering") == "no")
        #expect(response.header("transfer-encoding") == "chunked")
        // A fresh stream's `connected` carries the current position (nothing published yet: sequence 0).
        #expect(
            response.body.hasPrefix(
                "retry: 3000\n\nid: \(EventID(epoch: gateway.server.epoch, sequence: 0))\nevent: connected\ndata: {\"client\":\""
            ))
        let data = try #require(response.body.split(separator: "\n").first { $0.hasPrefix("data: ") }?.dropFirst(6))
        let connected = try JSONValue.parse(String(data))
        #expect(connected["channels"] == ["user:42", "news"])
        #expect(connected["client"]?.stringValue?.count == 22)
        client.close()
    }

    @Test func eventsAreFramedByteExactly() async throws {
        // No heartbeat may fall between the events compared byte for byte.
        let gateway = try await TestGateway(Self.config.replacing("interval: 300ms", with: "interval: 1h"))
        defer { Task { await gateway.stop() } }
        let client = try await gateway.connect()
        try await client.openStream("/events/news")
        try await client.waitForBody(containing: "event: connected")
        let multi = try await gateway.publish(
            #"{"channel":"news","event":"update","data":"first\nsecond\r\nthird\rfourth"}"#)
        #expect(multi.status == 200)
        let id1 = try #require(multi.json?["id"]?.stringValue)
        #expect(multi.json?["delivered"] == 1)
        let unicode = try await gateway.publish(#"{"channel":"news","data":{"text":"héllo 😀 ✓"}}"#)
        let id2 = try #require(unicode.json?["id"]?.stringValue)
        let empty = try await gateway.publish(#"{"channel":"news","data":""}"#)
        let id3 = try #require(empty.json?["id"]?.stringValue)
        let body = try await client.waitForBody(containing: "id: \(id3)\ndata: \n\n")
        let events = body.components(after: "\n\n", skipping: 2)
        #expect(
            events == """
                id: \(id1)
                event: update
                data: first
                data: second
                data: third
                data: fourth

                id: \(id2)
                data: {"text":"héllo 😀 ✓"}

                id: \(id3)
                data: \n
                """ + "\n")
        client.close()
    }

    @Test func heartbeatIsACommentOnIdleStreams() async throws {
        // A long interval, so that a loaded machine delaying the client's read of `connected` (which shortens the
        // measured gap) cannot make a correct heartbeat look early.
        let gateway = try await TestGateway(Self.config.replacing("interval: 300ms", with: "interval: 1s"))
        defer { Task { await gateway.stop() } }
        let client = try await gateway.connect()
        try await client.openStream("/events/news")
        try await client.waitForBody(containing: "\n:\n\n", timeout: .seconds(10))
        let connected = try #require(client.arrival(of: "event: connected"))
        let heartbeat = try #require(client.arrival(of: "\n:\n\n"))
        #expect(heartbeat - connected >= .milliseconds(600), "a heartbeat came before the stream was idle for 1 s")
        client.close()
    }

    @Test func namedHeartbeatEvent() async throws {
        let gateway = try await TestGateway(
            Self.config.replacingOccurrences(
                "heartbeat: { interval: 300ms }", "heartbeat: { interval: 200ms, event: ping }"))
        defer { Task { await gateway.stop() } }
        let client = try await gateway.connect()
        try await client.openStream("/events/news")
        try await client.waitForBody(containing: "event: ping\ndata: \n\n")
        client.close()
    }

    @Test func templatesFillFromPathAndQuery() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.connect()
        try await client.openStream("/rooms?room=caf%C3%A9")
        try await client.waitForBody(containing: #""channels":["room:café"]"#)
        try await gateway.publish(#"{"channel":"room:café","data":"hi"}"#)
        try await client.waitForBody(containing: "data: hi\n\n")
        client.close()

        let crlf = try await gateway.request("GET", "/rooms?room=a%0D%0Ab")
        #expect(crlf.status == 400)
        #expect(crlf.json?["error"] == "The query parameter 'room' contains a line break or NUL.")
        let long = try await gateway.request("GET", "/rooms?room=" + String(repeating: "x", count: 300))
        #expect(long.status == 400)
        let missing = try await gateway.request("GET", "/rooms")
        #expect(missing.status == 400)
        #expect(missing.json?["error"] == "The query parameter 'room' is missing.")
        let star = try await gateway.request("GET", "/events/users/a*b")
        #expect(star.status == 400)
    }

    @Test func notFoundMethodsHeadAndOptions() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let missing = try await gateway.request("GET", "/nowhere")
        #expect(missing.status == 404)
        #expect(missing.json?["error"] == "No route matches this path.")
        let post = try await gateway.request("POST", "/events/news", body: "x")
        #expect(post.status == 405)
        #expect(post.header("allow") == "GET, HEAD, OPTIONS")
        let head = try await gateway.request("HEAD", "/events/news")
        #expect(head.status == 200)
        #expect(head.header("content-type") == "text/event-stream; charset=utf-8")
        #expect(head.body.isEmpty)
        let options = try await gateway.request("OPTIONS", "/events/news")
        #expect(options.status == 204)
        #expect(options.header("allow")?.contains("GET") == true)
        let api = try await gateway.request("GET", "/_sluice/nothing")
        #expect(api.status == 404)
    }

    @Test func lifetimeEndsTheStreamWithEnd() async throws {
        let gateway = try await TestGateway(Self.config + "\nlimits: { connectionLifetime: 1s }\n")
        defer { Task { await gateway.stop() } }
        let client = try await gateway.connect()
        try await client.openStream("/events/news")
        try await client.waitUntilClosed(timeout: .seconds(5))
        #expect(client.body.hasSuffix("event: end\ndata: {\"reason\":\"lifetime\"}\n\n"))
        #expect(client.text.hasSuffix("0\r\n\r\n"))
        try await gateway.eventually("cleanup") {
            gateway.server.streamCount == 0 && gateway.server.channelCounts.isEmpty
        }
    }

    @Test func gracefulShutdownEndsEveryStream() async throws {
        let gateway = try await TestGateway(Self.config)
        var clients: [RawClient] = []
        for path in ["/events/news", "/events/users/1", "/events/users/2"] {
            let client = try await gateway.connect()
            try await client.openStream(path)
            try await client.waitForBody(containing: "event: connected")
            clients.append(client)
        }
        let started = ContinuousClock.now
        await gateway.stop()
        #expect(ContinuousClock.now - started < .seconds(5))
        for client in clients {
            try await client.waitUntilClosed()
            #expect(client.body.hasSuffix("event: end\ndata: {\"reason\":\"shutdown\"}\n\n"))
        }
    }

    @Test func disconnectsLeaveNothingBehindAfterAThousandCycles() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        for round in 0..<50 {
            var clients: [RawClient] = []
            for i in 0..<20 {
                let client = try await gateway.connect()
                try await client.openStream("/events/users/\(round * 20 + i)")
                clients.append(client)
            }
            for client in clients {
                try await client.waitForBody(containing: "event: connected")
                client.close()
            }
        }
        try await gateway.eventually("every stream to be gone") {
            gateway.server.streamCount == 0 && gateway.server.channelCounts.isEmpty && gateway.server.reservedSlots == 0
        }
        let metrics = try await gateway.request("GET", "/_sluice/metrics")
        #expect(metrics.body.contains("sluice_connections 0\n"))
        #expect(metrics.body.contains("sluice_subscriptions 0\n"))
        #expect(metrics.body.contains("sluice_connections_total 1000\n"))
    }
}

extension String {
    /// The text after the `count`-th occurrence of `separator`.
    func components(after separator: String, skipping count: Int) -> String {
        var rest = Substring(self)
        for _ in 0..<count {
            guard let range = rest.firstRange(of: separator) else { return "" }
            rest = rest[range.upperBound...]
        }
        return String(rest)
    }

    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        replacing(target, with: replacement)
    }
}
