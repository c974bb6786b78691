import Testing

@Suite(.timeLimit(.minutes(1))) struct OriginTests {
    static let config = """
        \(TestGateway.authSection)
        origins: ["https://app.example.com", "https://*.example.org"]
        channels: { news: {} }
        routes: [{ path: /events, channels: [news] }]
        """

    @Test func corsMatrix() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }

        let exact = try await gateway.request("HEAD", "/events", headers: ["Origin": "https://app.example.com"])
        #expect(exact.status == 200)
        #expect(exact.header("access-control-allow-origin") == "https://app.example.com")
        #expect(exact.header("access-control-allow-credentials") == "true")
        #expect(exact.header("vary") == "Origin")

        let wildcard = try await gateway.request("HEAD", "/events", headers: ["Origin": "https://a.b.example.org"])
        #expect(wildcard.header("access-control-allow-origin") == "https://a.b.example.org")

        for denied in ["https://example.org", "https://evil.com", "http://app.example.com", "null"] {
            let response = try await gateway.request("GET", "/events", headers: ["Origin": denied])
            #expect(response.status == 403, "\(denied)")
            #expect(response.json?["error"] == .string("The origin '\(denied)' is not allowed."))
            #expect(response.header("access-control-allow-origin") == nil)
        }

        let noOrigin = try await gateway.request("HEAD", "/events")
        #expect(noOrigin.status == 200)
        #expect(noOrigin.header("access-control-allow-origin") == nil)

        let api = try await gateway.request("GET", "/_sluice/healthz", headers: ["Origin": "https://evil.com"])
        #expect(api.status == 403)
    }

    @Test func preflightAllowsLastEventID() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let preflight = try await gateway.request(
            "OPTIONS", "/events",
            headers: [
                "Origin": "https://app.example.com", "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "last-event-id",
            ])
        #expect(preflight.status == 204)
        #expect(preflight.header("access-control-allow-origin") == "https://app.example.com")
        #expect(preflight.header("access-control-allow-headers") == "Last-Event-ID")
        #expect(preflight.header("access-control-allow-methods")?.contains("GET") == true)
        #expect(preflight.header("access-control-allow-credentials") == "true")
        let refused = try await gateway.request(
            "OPTIONS", "/events", headers: ["Origin": "https://evil.com", "Access-Control-Request-Method": "GET"])
        #expect(refused.status == 403)
    }

    @Test func anyOriginNeverWithCredentials() async throws {
        let gateway = try await TestGateway(
            Self.config.replacing(
                #"origins: ["https://app.example.com", "https://*.example.org"]"#, with: #"origins: ["*"]"#))
        defer { Task { await gateway.stop() } }
        let response = try await gateway.request("HEAD", "/events", headers: ["Origin": "https://anything.test"])
        #expect(response.header("access-control-allow-origin") == "*")
        #expect(response.header("access-control-allow-credentials") == nil)
    }

    @Test func requireOriginRefusesRequestsWithoutOne() async throws {
        let gateway = try await TestGateway(
            Self.config.replacing(
                #"origins: ["https://app.example.com", "https://*.example.org"]"#,
                with: #"origins: { allow: ["https://app.example.com"], requireOrigin: true }"#))
        defer { Task { await gateway.stop() } }
        let response = try await gateway.request("GET", "/events")
        #expect(response.status == 403)
        #expect(response.json?["error"] == "Requests must carry an Origin header.")
    }

    @Test func aRefusedOriginPublishesNothingEvenInAStreamedBatch() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.stream("/events")
        let response = try await gateway.request(
            "POST", "/_sluice/publish",
            headers: [
                "Authorization": "Bearer \(TestGateway.publisherToken)", "Content-Type": "application/x-ndjson",
                "Origin": "https://evil.com",
            ],
            body: "{\"channel\":\"news\",\"data\":\"sneaky\"}\n{\"channel\":\"news\",\"data\":\"again\"}\n")
        #expect(response.status == 403)
        let metrics = try await gateway.request("GET", "/_sluice/metrics")
        #expect(metrics.body.contains("sluice_events_published_total 0\n"))
        #expect(!client.body.contains("sneaky"))
        client.close()
    }

    @Test func opsEndpointsCanRequireAnAdminToken() async throws {
        let gateway = try await TestGateway(
            Self.config + "\nserver: { listen: \"127.0.0.1:0\", api: { opsRequireAdmin: true } }\n")
        defer { Task { await gateway.stop() } }
        #expect(try await gateway.request("GET", "/_sluice/metrics").status == 401)
        let admin = ["Authorization": "Bearer \(TestGateway.adminToken)"]
        #expect(try await gateway.request("GET", "/_sluice/metrics", headers: admin).status == 200)
        #expect(try await gateway.request("GET", "/_sluice/healthz", headers: admin).status == 200)
    }
}
