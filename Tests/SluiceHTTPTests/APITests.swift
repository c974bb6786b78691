import SluiceJSON
import Testing

@Suite(.timeLimit(.minutes(1))) struct APITests {
    static let config = """
        auth:
          publishers:
            - { token: "${P:-\(TestGateway.publisherToken)}" }
            - { name: scoped, token: "${S:-scoped-token}", channels: ["user:*"] }
          admins: [{ token: "${A:-\(TestGateway.adminToken)}" }]
        channels: { news: {}, "user:{id}": {} }
        states: { online: { channel: presence, initial: 0 } }
        routes:
          - { path: /events, channels: [news] }
          - { path: /users/:id, channels: ["user:{id}"] }
        """

    @Test func publishRefusals() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let noToken = try await gateway.request("POST", "/_sluice/publish", body: #"{"channel":"news","data":1}"#)
        #expect(noToken.status == 401)
        #expect(noToken.header("www-authenticate") == "Bearer realm=\"sluice\"")
        #expect(try await gateway.publish(#"{"channel":"news","data":1}"#, token: "wrong").status == 401)
        #expect(try await gateway.publish(#"{"channel":"news","data":1}"#, token: TestGateway.adminToken).status == 403)

        let cases: [(String, Int, String)] = [
            (#"{"channel":"news","event":"a\nb","data":1}"#, 400, "The event name cannot contain a line break or NUL."),
            (
                #"{"channel":"news","id":"mine","data":1}"#, 400,
                "Event ids are assigned by the gateway (that keeps resume exact); remove 'id'."
            ),
            (#"{"channel":"news"}"#, 400, "The event has no 'data' (any JSON value or a string)."),
            (
                #"{"channel":"news","all":true,"data":1}"#, 400,
                "Name exactly one target: 'channel', 'channels', 'client' or 'all'."
            ),
            (#"{"channel":"prices","data":1}"#, 404, "The channel 'prices' matches no declared channel or state."),
            (#"{"client":"nobody","data":1}"#, 404, "No client with this id is connected."),
            (
                #"{"channel":"news","colour":1,"data":1}"#, 400,
                "Unknown field 'colour'; use channel, channels, client, all, event and data."
            ),
            (
                "{\n  \"channel\": \"news\",\n  \"data\": ]\n}", 400,
                "The body is not JSON: unexpected token near ']' at line 3, column 11."
            ),
        ]
        for (body, status, reason) in cases {
            let response = try await gateway.publish(body)
            #expect(response.status == status, "\(body)")
            #expect(response.json?["error"] == .string(reason), "\(body)")
        }
        let scoped = try await gateway.publish(#"{"channel":"news","data":1}"#, token: "scoped-token")
        #expect(scoped.status == 403)
        #expect(scoped.json?["error"] == "This token may not publish to 'news'.")
        #expect(try await gateway.publish(#"{"channel":"user:7","data":1}"#, token: "scoped-token").status == 200)
        #expect(try await gateway.publish(#"{"all":true,"data":1}"#, token: "scoped-token").status == 403)
        #expect(try await gateway.publish(#"{"channel":"presence","data":1}"#).status == 200)
    }

    @Test func publishToSeveralChannelsOneClientAndEveryone() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let news = try await gateway.stream("/events")
        let user = try await gateway.stream("/users/7")
        let both = try await gateway.publish(#"{"channels":["news","user:7"],"event":"both","data":{"n":1}}"#)
        #expect(both.json?["delivered"] == 2)
        try await news.waitForBody(containing: "event: both\ndata: {\"n\":1}\n\n")
        try await user.waitForBody(containing: "event: both\ndata: {\"n\":1}\n\n")

        let connected = try JSONValue.parse(
            String(user.body.split(separator: "\n").first { $0.hasPrefix("data: {\"client\"") }!.dropFirst(6)))
        let id = try #require(connected["client"]?.stringValue)
        let direct = try await gateway.publish(#"{"client":"\#(id)","event":"direct","data":"just you"}"#)
        #expect(direct.status == 200)
        try await user.waitForBody(containing: "event: direct\ndata: just you\n\n")

        let everyone = try await gateway.publish(#"{"all":true,"event":"notice","data":"all"}"#)
        #expect(everyone.json?["delivered"] == 2)
        try await news.waitForBody(containing: "event: notice\ndata: all\n\n")
        try await user.waitForBody(containing: "event: notice\ndata: all\n\n")
        #expect(!news.body.contains("event: direct"))
        news.close()
        user.close()
    }

    @Test func ndjsonBatch() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.stream("/events")
        let body = """
            {"channel":"news","data":"one"}
            {"channel":"nope","data":"two"}
            not json
            {"channel":"news","data":"three"}
            """
        let response = try await gateway.request(
            "POST", "/_sluice/publish",
            headers: ["Authorization": "Bearer \(TestGateway.publisherToken)", "Content-Type": "application/x-ndjson"],
            body: body)
        #expect(response.status == 200)
        let json = try #require(response.json)
        #expect(json["published"] == 2)
        #expect(json["failed"] == 2)
        let results = try #require(json["results"]?.arrayValue)
        #expect(results.map { $0["line"] } == [1, 2, 3, 4])
        #expect(results[1]["status"] == 404)
        #expect(results[2]["status"] == 400)
        #expect(results[0]["id"]?.stringValue?.isEmpty == false && results[0]["delivered"] == 1)
        #expect(results[0].objectValue?.keys == ["id", "delivered", "line"])
        // Written as bytes, yet exactly the compact JSON of what it says, and one line.
        #expect(Array(response.body.utf8) == json.serializedBytes() + [0x0A])
        try await client.waitForBody(containing: "data: three\n\n")
        let body1 = client.body
        #expect(body1.range(of: "data: one")!.lowerBound < body1.range(of: "data: three")!.lowerBound)
        client.close()
    }

    @Test func adminEndpoints() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let admin = ["Authorization": "Bearer \(TestGateway.adminToken)"]
        #expect(try await gateway.request("GET", "/_sluice/clients").status == 401)
        #expect(
            try await gateway.request(
                "GET", "/_sluice/clients", headers: ["Authorization": "Bearer \(TestGateway.publisherToken)"]
            )
            .status == 403)
        let a = try await gateway.stream("/users/1")
        let b = try await gateway.stream("/events")

        let channels = try await gateway.request("GET", "/_sluice/channels", headers: admin)
        #expect(
            channels.json?["channels"] == [["name": "news", "subscribers": 1], ["name": "user:1", "subscribers": 1]])
        let clients = try #require(
            try await gateway.request("GET", "/_sluice/clients", headers: admin).json?["clients"]?.arrayValue)
        #expect(clients.count == 2)
        let user = try #require(clients.first { $0["route"] == "/users/:id" })
        #expect(user["channels"] == ["user:1"])
        #expect(user["ip"] == "127.0.0.1")
        let id = try #require(user["id"]?.stringValue)

        let subscribe = try await gateway.request(
            "POST", "/_sluice/clients/\(id)/channels", headers: admin,
            body: #"{"subscribe":["news"],"unsubscribe":["user:1"]}"#)
        #expect(subscribe.status == 200)
        #expect(subscribe.json?["channels"] == ["news"])
        #expect(subscribe.json?["results"] == ["user:1": "unsubscribed", "news": "subscribed"])
        try await gateway.publish(#"{"channel":"news","data":"after"}"#)
        try await a.waitForBody(containing: "data: after\n\n")

        let delete = try await gateway.request("DELETE", "/_sluice/clients/\(id)", headers: admin)
        #expect(delete.status == 204)
        try await a.waitUntilClosed()
        #expect(a.body.hasSuffix("event: end\ndata: {\"reason\":\"disconnected\"}\n\n"))
        #expect(try await gateway.request("DELETE", "/_sluice/clients/\(id)", headers: admin).status == 404)
        b.close()
    }

    @Test func opsEndpointsAndMetrics() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.stream("/events")
        try await gateway.publish(#"{"channel":"news","data":"m"}"#)
        try await client.waitForBody(containing: "data: m\n\n")
        #expect(try await gateway.request("GET", "/_sluice/healthz").json == ["status": "ok"])
        #expect(try await gateway.request("GET", "/_sluice/readyz").json == ["status": "ready"])
        let metrics = try await gateway.request("GET", "/_sluice/metrics")
        #expect(metrics.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
        for line in [
            "sluice_connections 1", "sluice_subscriptions 1", "sluice_channels 1", "sluice_events_published_total 1",
            "sluice_events_delivered_total 1", "# TYPE sluice_refusals_total counter",
        ] {
            #expect(metrics.body.contains(line + "\n"), "\(line)")
        }
        #expect(!metrics.body.contains(client.body.prefix(10)))
        client.close()
    }

    @Test func keepAliveAndPipelinedRequestsAnswerInOrder() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.connect()
        let auth = "Authorization: Bearer \(TestGateway.publisherToken)\r\n"
        let publish = #"{"channel":"news","data":"p"}"#
        try await client.send(
            "GET /_sluice/healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /_sluice/publish HTTP/1.1\r\nHost: x\r\n\(auth)Content-Length: \(publish.utf8.count)\r\n\r\n\(publish)"
                + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /_sluice/readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        try await client.waitUntilClosed()
        let statuses = client.text.split(separator: "\n").filter { $0.hasPrefix("HTTP/1.1 ") }.map {
            $0.dropFirst(9).prefix(3)
        }
        #expect(statuses == ["200", "200", "404", "200"])
        #expect(client.text.contains(#"{"status":"ready"}"#))
    }

    @Test func separateAPIListener() async throws {
        let gateway = try await TestGateway(
            Self.config + "\nserver: { listen: \"127.0.0.1:0\", api: { listen: \"127.0.0.1:0\" } }\n")
        defer { Task { await gateway.stop() } }
        let apiPort = try #require(gateway.apiPort)
        #expect(try await gateway.request("GET", "/_sluice/healthz").status == 404)
        #expect(try await gateway.request("GET", "/_sluice/healthz", port: apiPort).status == 200)
        #expect(try await gateway.request("HEAD", "/events", port: apiPort).status == 404)
    }

    @Test func publishRateLimitAnswers429WithRetryAfter() async throws {
        // One request per second: a bucket of one, refilled once a second. Three requests pipelined in one write
        // arrive together however loaded the machine is, so at least one is refused.
        let gateway = try await TestGateway(Self.config + "\nlimits: { publishRate: 1 }\n")
        defer { Task { await gateway.stop() } }
        let client = try await gateway.connect()
        defer { client.close() }
        let body = #"{"channel":"news","data":1}"#
        let request =
            "POST /_sluice/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(TestGateway.publisherToken)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        try await client.send(String(repeating: request, count: 3))
        let text = try await client.waitFor("three responses") { $0.components(separatedBy: "HTTP/1.1 ").count == 4 }
        #expect(text.hasPrefix("HTTP/1.1 200"))
        #expect(text.contains("HTTP/1.1 429"))
        #expect(text.contains("Retry-After: 1\r\n"))
        #expect(text.contains(#"{"error":"This token has reached its limit of 1 publish requests per second."}"#))
        // Another token has its own bucket.
        #expect(try await gateway.publish(#"{"channel":"user:1","data":1}"#, token: "scoped-token").status == 200)
    }
}
