import SluiceJSON
import Testing

@Suite(.timeLimit(.minutes(2))) struct StateTests {
    static let config = """
        \(TestGateway.authSection)
        limits: { maxConnections: 2000 }
        channels: { news: {}, lobby: {} }
        states:
          score: { channel: score, initial: { home: 0, away: 0 } }
          hits: { channel: score, initial: 0, key: n }
          online: { channel: presence, initial: 0, counts: lobby }
        routes:
          - { path: /score, channels: [score] }
          - { path: /presence, channels: [presence] }
          - { path: /lobby, channels: [lobby] }
        """
    let auth = ["Authorization": "Bearer \(TestGateway.publisherToken)"]

    func state(_ gateway: TestGateway, _ name: String) async throws -> JSONValue {
        try #require(try await gateway.request("GET", "/_sluice/states/\(name)", headers: auth).json)
    }

    @Test func snapshotComesRightAfterConnectedBeforeLiveEvents() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.stream("/score")
        let body = try await client.waitForBody(containing: "event: score\n")
        let afterConnected = body.components(after: "\n\n", skipping: 2)
        #expect(
            afterConnected.hasPrefix(
                "event: hits\ndata: {\"n\":0}\n\nevent: score\ndata: {\"value\":{\"home\":0,\"away\":0}}\n\n"))
        #expect(!afterConnected.contains("id: "))  // a snapshot never moves Last-Event-ID
        client.close()
    }

    @Test func equalWritesBroadcastNothingAndChangesBroadcastOnce() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.stream("/score")
        try await client.waitForBody(containing: "event: score\n")
        let same = try await gateway.request(
            "PUT", "/_sluice/states/score", headers: auth, body: #"{"away":0,"home":0}"#)
        #expect(same.status == 200)
        #expect(same.json?["changed"] == false && same.json?["version"] == 1)
        let changed = try await gateway.request(
            "PUT", "/_sluice/states/score", headers: auth, body: #"{"home":1,"away":0}"#)
        #expect(changed.json?["changed"] == true && changed.json?["version"] == 2)
        #expect(changed.header("etag") == "\"2\"")
        try await gateway.publish(#"{"channel":"score","event":"marker","data":"m"}"#)
        let body = try await client.waitForBody(containing: "event: marker")
        let live = body.components(after: "event: score\n", skipping: 1)
        // Exactly one score event after the snapshot: the change, with an id, before the marker.
        #expect(live.components(separatedBy: "event: score\n").count == 2)
        #expect(body.contains("event: score\ndata: {\"value\":{\"home\":1,\"away\":0}}\n\n"))
        client.close()
    }

    @Test func mergePatchNullsDeleteAndObjectsMerge() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        _ = try await gateway.request(
            "PUT", "/_sluice/states/score", headers: auth, body: #"{"home":1,"away":2,"meta":{"q":1,"r":2}}"#)
        let patched = try await gateway.request(
            "PATCH", "/_sluice/states/score", headers: auth, body: #"{"away":null,"meta":{"r":null,"s":3}}"#)
        #expect(patched.json?["value"] == ["home": 1, "meta": ["q": 1, "s": 3]])
    }

    @Test func aThousandConcurrentIncrementsGiveAnExactTotal() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<20 {
                group.addTask {
                    var ok = 0
                    for _ in 0..<50 {
                        let body = worker % 2 == 0 ? "" : #"{"by":1}"#
                        let r = try await gateway.request(
                            "POST", "/_sluice/states/hits/increment", headers: self.auth, body: body)
                        if r.status == 200 { ok += 1 }
                    }
                    return ok
                }
            }
            var total = 0
            for try await ok in group { total += ok }
            #expect(total == 1000)
        }
        let hits = try await state(gateway, "hits")
        #expect(hits["value"] == 1000)
        #expect(hits["version"] == 1001)
        let notNumber = try await gateway.request("POST", "/_sluice/states/score/increment", headers: auth)
        #expect(notNumber.status == 409)
        #expect(notNumber.json?["error"] == "The state holds object, not a number.")
    }

    @Test func compareAndSetConflicts() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        var headers = auth
        headers["If-Match"] = "\"1\""
        let first = try await gateway.request("PUT", "/_sluice/states/hits", headers: headers, body: "5")
        #expect(first.status == 200 && first.json?["version"] == 2)
        let stale = try await gateway.request("PUT", "/_sluice/states/hits", headers: headers, body: "6")
        #expect(stale.status == 412)
        #expect(stale.json?["error"] == "The state is at version 2, not 1.")
        #expect(try await state(gateway, "hits")["value"] == 5)
    }

    @Test func counterFollowsConnectsAndDisconnectsExactly() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let watcher = try await gateway.stream("/presence")
        var open: [RawClient] = []
        func connect(_ n: Int) async throws {
            var batch: [RawClient] = []
            for _ in 0..<n {
                let client = try await gateway.connect()
                try await client.openStream("/lobby")
                batch.append(client)
            }
            for client in batch { try await client.waitForBody(containing: "event: connected") }
            open += batch
        }
        func disconnect(_ n: Int) {
            for client in open.prefix(n) { client.close() }
            open.removeFirst(n)
        }
        // 500 connects and 250 disconnects in phases, never more than 250 streams open at once.
        try await connect(150)
        disconnect(100)
        try await connect(200)
        disconnect(150)
        try await connect(150)
        try await gateway.eventually("250 online", timeout: .seconds(20)) {
            gateway.server.channelCounts["lobby"] == 250
        }
        let deadline = ContinuousClock.now + .seconds(5)
        var online: JSONValue?
        while ContinuousClock.now < deadline {
            online = try await state(gateway, "online")["value"]
            if online == 250 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(online == 250)
        try await watcher.waitForBody(containing: "event: online\ndata: {\"value\":250}\n\n")
        // Bursts are coalesced: far fewer updates than the 750 connects and disconnects.
        let updates = watcher.body.components(separatedBy: "event: online\n").count - 1
        #expect(updates < 200, "\(updates) updates")
        disconnect(open.count)
        watcher.close()
    }

    @Test func reconnectingWithLastEventIDGetsTheCurrentValue() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let first = try await gateway.stream("/score")
        let changed = try await gateway.request("PUT", "/_sluice/states/hits", headers: auth, body: "7")
        let id = try #require(changed.json?["version"]).integer
        #expect(id == 2)
        try await first.waitForBody(containing: "data: {\"n\":7}")
        let eventID = try #require(first.body.split(separator: "\n").last { $0.hasPrefix("id: ") }?.dropFirst(4))
        first.close()
        let again = try await gateway.connect()
        try await again.openStream("/score", headers: ["Last-Event-ID": String(eventID)])
        try await again.waitForBody(containing: "event: hits\ndata: {\"n\":7}\n\n")
        again.close()
    }

    @Test func serverSideSubscribeSendsTheSnapshotAndRespectsTheChannelLimit() async throws {
        let gateway = try await TestGateway(
            Self.config.replacing(
                "limits: { maxConnections: 2000 }", with: "limits: { maxConnections: 2000, maxChannelsPerClient: 2 }"))
        defer { Task { await gateway.stop() } }
        let client = try await gateway.stream("/lobby")
        let connected = try #require(client.body.split(separator: "\n").first { $0.hasPrefix("data: {\"client\"") })
        let id = try #require(try JSONValue.parse(String(connected.dropFirst(6)))["client"]?.stringValue)
        let admin = ["Authorization": "Bearer \(TestGateway.adminToken)"]
        let response = try await gateway.request(
            "POST", "/_sluice/clients/\(id)/channels", headers: admin, body: #"{"subscribe":["score","presence"]}"#)
        #expect(response.json?["results"] == ["score": "subscribed", "presence": "refused: too many channels"])
        #expect(response.json?["channels"] == ["lobby", "score"])
        // The new state channel's values arrive at once, without waiting for a change.
        try await client.waitForBody(
            containing: "event: hits\ndata: {\"n\":0}\n\nevent: score\ndata: {\"value\":{\"home\":0,\"away\":0}}\n\n")
        #expect(!client.body.contains("event: online"))
        client.close()
    }

    @Test func statesAreCreatedAndRemovedAtRuntime() async throws {
        let gateway = try await TestGateway(Self.config)
        defer { Task { await gateway.stop() } }
        let created = try await gateway.request(
            "POST", "/_sluice/states", headers: auth, body: #"{"name":"banner","channel":"news","initial":"hello"}"#)
        #expect(created.status == 201)
        #expect(
            try await gateway.request(
                "POST", "/_sluice/states", headers: auth, body: #"{"name":"banner","channel":"news"}"#
            ).status == 409)
        let client = try await gateway.connect()
        try await client.openStream("/score")
        try await client.waitForBody(containing: "event: score")
        #expect(try await state(gateway, "banner")["value"] == "hello")
        let list = try #require(
            try await gateway.request("GET", "/_sluice/states", headers: auth).json?["states"]?.arrayValue)
        #expect(list.map { $0["name"] } == ["banner", "hits", "online", "score"])
        #expect(try await gateway.request("DELETE", "/_sluice/states/banner", headers: auth).status == 204)
        #expect(try await gateway.request("GET", "/_sluice/states/banner", headers: auth).status == 404)
        #expect(try await gateway.request("GET", "/_sluice/states/score").status == 401)
        client.close()
    }
}

extension JSONValue {
    fileprivate var integer: Int64? {
        if case .integer(let i) = self { return i }
        return nil
    }
}
