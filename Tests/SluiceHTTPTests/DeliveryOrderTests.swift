import SluiceHistory
import Testing

/// Events reach every subscriber in the order the hub numbered them, whichever loop published them: a publisher's
/// own loop delivers at once only when nothing handed to it earlier is still waiting.
@Suite(.timeLimit(.minutes(2))) struct DeliveryOrderTests {
    @Test func concurrentPublishersOnTwoLoopsKeepOneOrder() async throws {
        let gateway = try await TestGateway(
            """
            \(TestGateway.authSection)
            server: { listen: "127.0.0.1:0", threads: 2 }
            heartbeat: { interval: 1h }
            channels: { news: {} }
            routes: [{ path: /events/news, channels: [news] }]
            """)
        defer { Task { await gateway.stop() } }
        // Connections are spread over both loops in turn: subscribers and publishers end up on each.
        var streams: [RawClient] = []
        for _ in 0..<6 {
            let client = try await gateway.connect()
            try await client.openStream("/events/news")
            try await client.waitForBody(containing: "event: connected")
            streams.append(client)
        }
        let publishers = 4
        let perPublisher = 150
        try await withThrowingTaskGroup(of: Void.self) { group in
            for p in 0..<publishers {
                group.addTask {
                    let lines = (0..<perPublisher).map { #"{"channel":"news","data":"p\#(p)-\#($0)"}"# }
                    let response = try await gateway.request(
                        "POST", "/_sluice/publish",
                        headers: [
                            "Authorization": "Bearer \(TestGateway.publisherToken)",
                            "Content-Type": "application/x-ndjson",
                        ],
                        body: lines.joined(separator: "\n"))
                    #expect(response.status == 200)
                }
            }
            try await group.waitForAll()
        }
        let total = publishers * perPublisher
        var orders: [[UInt64]] = []
        for stream in streams {
            let events = try await stream.waitForEvents("\(total) events") {
                $0.filter { $0.event == nil }.count >= total
            }
            let sequences = events.filter { $0.event == nil }.compactMap { $0.id.flatMap(EventID.init)?.sequence }
            #expect(sequences.count == total)
            #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 }, "ids in increasing order")
            // Each publisher's own events stay in the order it sent them.
            for p in 0..<publishers {
                let mine = events.compactMap(\.data).filter { $0.hasPrefix("p\(p)-") }
                #expect(mine == (0..<perPublisher).map { "p\(p)-\($0)" })
            }
            orders.append(sequences)
            stream.close()
        }
        #expect(Set(orders.map { $0.map(String.init).joined(separator: ",") }).count == 1, "one order for all")
    }
}
