import SluiceHistory
import SluiceJSON
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(3))) struct ResumeTests {
    static let config = """
        \(TestGateway.authSection)
        heartbeat: { interval: 1h }
        channels:
          "s:{n}": { history: 100000 }
          short: { history: 2 }
          live: {}
          "tmp:{n}": { history: 10, emptyTimeout: 200ms }
        routes:
          - { path: "/s/:a/:b/:c", channels: ["s:{a}", "s:{b}", "s:{c}"] }
          - { path: /mixed, channels: ["s:1", short, live] }
          - { path: "/tmp/:n", channels: ["tmp:{n}"] }
        """

    /// Publishes `data` to `channels`; returns the id.
    static func publish(_ gateway: TestGateway, _ channels: [String], _ data: String) async throws -> String {
        let list = channels.map { "\"\($0)\"" }.joined(separator: ",")
        let response = try await gateway.publish(#"{"channels":[\#(list)],"data":"\#(data)"}"#)
        return try #require(response.json?["id"]?.stringValue)
    }

    @Test func resumeReplaysEveryChannelInPublishOrderThenContinuesLive() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let first = try await gateway.stream("/s/1/2/3")
        let start = try #require(first.events.first { $0.event == "connected" }?.id)
        first.close()
        var mine: [SSETestEvent] = []
        for (channels, data) in [(["s:1"], "a"), (["s:9"], "not mine"), (["s:2", "s:3"], "b"), (["s:3"], "c")] {
            let id = try await Self.publish(gateway, channels, data)
            if data != "not mine" { mine.append(SSETestEvent(id: id, data: data)) }
        }
        for (header, path) in [(true, "/s/1/2/3"), (false, "/s/1/2/3?lastEventId=\(start)")] {
            let client = try await gateway.connect()
            try await client.openStream(path, headers: header ? ["Last-Event-ID": start] : [:])
            let replayed = try await client.waitForEvents("the replay") { $0.count >= mine.count + 1 }
            #expect(replayed[0].event == "connected" && replayed[0].id == nil, "a resumed stream's position moves")
            #expect(Array(replayed.dropFirst()) == mine, "in publish order, the two-channel one once")
            let live = try await Self.publish(gateway, ["s:2"], "live \(header)")
            mine.append(SSETestEvent(id: live, data: "live \(header)"))
            let all = try await client.waitForEvents("the live event") { $0.count >= mine.count + 1 }
            #expect(Array(all.dropFirst()) == mine)
            client.close()
        }
    }

    @Test(arguments: ["unknown", "future", "other epoch", "expired", "up to date"])
    func resetsSayWhyAndWhichChannels(_ kind: String) async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let epoch = gateway.server.epoch
        let first = try await Self.publish(gateway, ["short", "s:1"], "1")
        for n in 2...4 { _ = try await Self.publish(gateway, ["short"], "\(n)") }  // short keeps 3 and 4 only
        let lastLive = try await Self.publish(gateway, ["live"], "gone")
        let (id, reasons): (String, [String]) =
            switch kind {
            case "unknown": ("not-an-id", ["unknown-id"])
            case "future": (EventID(epoch: epoch, sequence: 999).description, ["unknown-id"])
            case "other epoch": (EventID(epoch: epoch - 1, sequence: 1).description, ["other-epoch"])
            // short lost 2 (count); live keeps nothing and had an event; s:1 is whole and has nothing newer.
            case "expired": (first, ["expired", "no-history"])
            default: (lastLive, [])
            }
        let client = try await gateway.connect()
        try await client.openStream("/mixed", headers: ["Last-Event-ID": id])
        try await client.waitForBody(containing: "event: connected")
        let marker = try await Self.publish(gateway, ["s:1"], "marker")
        let events = try await client.waitForEvents("the marker") { $0.contains { $0.data == "marker" } }
        let resets = events.filter { $0.event == "reset" }
        #expect(resets.count == reasons.count)
        for (reset, reason) in zip(resets, reasons) {
            let data = try JSONValue.parse(try #require(reset.data))
            #expect(data["reason"]?.stringValue == reason)
            #expect(reset.id != nil, "a reset moves the client's position past what it cannot get back")
            switch reason {
            case "expired": #expect(data["channels"] == ["short"])
            case "no-history": #expect(data["channels"] == ["live"])
            default: #expect(data["channels"] == ["s:1", "short", "live"])
            }
        }
        let data = events.filter { $0.event == nil }.compactMap(\.data)
        #expect(data == ["marker"], "never a partial replay of a reset channel")
        #expect(events.last?.id == marker)
        client.close()
    }

    /// 100 clients, each on 3 of 6 channels, disconnect and resume 10 times each while a publisher sends as fast as it
    /// can (some events to two channels): every client gets every event of its channels exactly once, in order.
    @Test func aThousandResumesUnderLoadLoseAndRepeatNothing() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let published = PublishLog()
        let stop = Atomic(false)
        // Stopped by a flag, not cancelled: a batch cut short could deliver events it never logged.
        let publisher = Task {
            var n = 0
            while !stop.load(ordering: .relaxed) {
                var lines: [String] = []
                var targets: [[Int]] = []
                for _ in 0..<100 {
                    let a = Int.random(in: 0..<6)
                    let channels = n % 5 == 0 ? [a, (a + 1) % 6] : [a]
                    targets.append(channels)
                    lines.append(
                        #"{"channels":[\#(channels.map { "\"s:\($0)\"" }.joined(separator: ","))],"data":"\#(n)"}"#)
                    n += 1
                }
                let response = try await gateway.request(
                    "POST", "/_sluice/publish",
                    headers: [
                        "Authorization": "Bearer \(TestGateway.publisherToken)", "Content-Type": "application/x-ndjson",
                    ], body: lines.joined(separator: "\n"))
                let results = try #require(response.json?["results"]?.arrayValue)
                for (result, channels) in zip(results, targets) {
                    published.append(id: try #require(result["id"]?.stringValue), channels: Set(channels))
                }
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<100 {
                let mine = [c % 6, (c + 1) % 6, (c + 3) % 6]
                group.addTask {
                    var received: [String] = []
                    var position: String?
                    var start: String?
                    for round in 0...10 {
                        let client = try await gateway.connect()
                        try await client.openStream(
                            "/s/\(mine[0])/\(mine[1])/\(mine[2])",
                            headers: position.map { ["Last-Event-ID": $0] } ?? [:])
                        let events = try await client.waitForEvents("events in round \(round)") { events in
                            events.filter { $0.event == nil }.count >= 5
                        }
                        client.close()
                        #expect(!events.contains { $0.event == "reset" })
                        if start == nil { start = events.first { $0.event == "connected" }?.id }
                        received += events.filter { $0.event == nil }.compactMap(\.id)
                        position = events.last { $0.id != nil }?.id ?? position
                    }
                    published.finishedClient(mine: Set(mine), start: try #require(start), received: received)
                }
            }
            try await group.waitForAll()
        }
        stop.store(true, ordering: .relaxed)
        try await publisher.value
        let checks = published.verify()
        #expect(checks.clients == 100)
        #expect(checks.failures.isEmpty, "\(checks.failures.prefix(3))")
        #expect(checks.events > 1_000)
    }

    @Test func aLongReplayIsPacedNotCutOff() async throws {
        // 1,500 events of ~500 bytes behind: several times the 128 KiB slow-client buffer.
        let gateway = try await TestGateway(Self.config + "\nlimits: { slowClientBuffer: 128KiB, maxPayload: 1KiB }\n")
        defer { Task { await gateway.stop() } }
        let payload = String(repeating: "x", count: 500)
        let lines = (0..<1_500).map { #"{"channel":"s:7","data":"\#(payload)\#($0)"}"# }
        for batch in stride(from: 0, to: lines.count, by: 100) {
            let response = try await gateway.request(
                "POST", "/_sluice/publish",
                headers: [
                    "Authorization": "Bearer \(TestGateway.publisherToken)", "Content-Type": "application/x-ndjson",
                ],
                body: lines[batch..<batch + 100].joined(separator: "\n"))
            #expect(response.json?["published"] == 100)
        }
        let client = try await gateway.connect()
        try await client.openStream("/s/7/8/9?lastEventId=\(EventID(epoch: gateway.server.epoch, sequence: 0))")
        let events = try await client.waitForEvents("the whole replay") { $0.count >= 1_501 }
        #expect(events.dropFirst().map(\.data) == (0..<1_500).map { payload + "\($0)" })
        #expect(!client.isClosed)
        client.close()
    }

    @Test func temporaryChannelsAreFreedWithTheirHistory() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        for n in 0..<500 {
            let client = try await gateway.stream("/tmp/\(n)")
            _ = try await Self.publish(gateway, ["tmp:\(n)"], "once")
            client.close()
        }
        #expect(gateway.server.historyUsage.channels > 0)
        try await gateway.eventually("every temporary channel to be freed") {
            let usage = gateway.server.historyUsage
            return usage.channels == 0 && usage.events == 0 && usage.bytes == 0
        }
    }
}

/// What the stress test's publisher sent, and what each client got.
final class PublishLog: Sendable {
    private struct State {
        var published: [(id: String, channels: Set<Int>)] = []
        var clients: [(mine: Set<Int>, start: String, received: [String])] = []
    }
    private let state = Mutex(State())

    func append(id: String, channels: Set<Int>) { state.withLock { $0.published.append((id, channels)) } }

    func finishedClient(mine: Set<Int>, start: String, received: [String]) {
        state.withLock { $0.clients.append((mine, start, received)) }
    }

    /// Each client's events must be exactly the published events of its channels after its start, in order, up to
    /// what it last received.
    func verify() -> (clients: Int, events: Int, failures: [String]) {
        state.withLock { state in
            let sequence = { (id: String) in EventID(id)?.sequence ?? 0 }
            let published = state.published.sorted { sequence($0.id) < sequence($1.id) }
            var failures: [String] = []
            for client in state.clients {
                guard let last = client.received.last else {
                    failures.append("a client received nothing")
                    continue
                }
                let expected = published.filter {
                    sequence($0.id) > sequence(client.start) && sequence($0.id) <= sequence(last)
                        && !$0.channels.isDisjoint(with: client.mine)
                }.map(\.id)
                if expected != client.received {
                    failures.append(
                        "client on \(client.mine.sorted()): expected \(expected.count) events, got \(client.received.count)"
                            + " (\(Set(client.received).count) distinct)")
                }
            }
            return (state.clients.count, published.count, failures)
        }
    }
}
