import SluiceBench
import SluiceJSON
import Testing

/// `sluice bench` against a real gateway: every published event reaches every stream, and the report's
/// numbers add up.
@Suite(.timeLimit(.minutes(1))) struct BenchAgainstGatewayTests {
    static let config = """
        \(TestGateway.authSection)
        channels: { news: {}, "user:{id}": {} }
        routes:
          - { path: /events/news, channels: [news] }
          - { path: "/users/:id", channels: ["user:{id}"] }
        """

    func options(_ gateway: TestGateway) -> BenchOptions {
        var options = BenchOptions()
        options.port = gateway.port
        options.publishPort = gateway.port
        options.token = TestGateway.publisherToken
        options.connections = 20
        options.duration = .milliseconds(500)
        // Generous, so the last events arrive even when the whole suite loads the machine.
        options.drain = .seconds(2)
        return options
    }

    @Test func fanOutReachesEveryStreamAndMeasuresLatency() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        var options = options(gateway)
        options.rate = 100
        let report = try await BenchRunner.run(options)
        #expect(report.established == 20 && report.failed == 0)
        // An open loop: every request due in the 0.5 s leaves on schedule, however quickly answers come.
        #expect(report.published == 50)
        #expect(report.delivered == UInt64(report.published * 20))
        let json = report.json
        #expect(json["errors"] == [:])
        let p50 = try #require(json["latency_us"]?["p50"]?.doubleValue)
        let max = try #require(json["latency_us"]?["max"]?.doubleValue)
        #expect(p50 > 0 && p50 <= max)
        #expect(json["connect_us"]?["count"] == 20)
        #expect(report.summary.contains("streams: 20/20 established"))
    }

    @Test func batchesToManyChannels() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        var options = options(gateway)
        options.path = "/users/{i}"
        options.channel = "user:{r}"
        options.channelCount = 20
        options.batch = 10
        let report = try await BenchRunner.run(options)
        #expect(report.established == 20)
        #expect(report.published > 0 && report.published % 10 == 0)
        #expect(report.delivered == UInt64(report.published))
    }

    @Test func refusedStreamsAreCountedAsErrors() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        var options = options(gateway)
        options.path = "/nowhere"
        options.idle = true
        options.connections = 3
        let report = try await BenchRunner.run(options)
        #expect(report.established == 0 && report.failed == 3)
        #expect(report.json["errors"] == ["status_404": 3])
    }
}
