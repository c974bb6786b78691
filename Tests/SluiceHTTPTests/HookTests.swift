import Foundation
import SluiceJSON
import Testing

/// `onConnect` and `onDisconnect` hooks as real processes (tiny shell scripts written for each test).
@Suite(.timeLimit(.minutes(2))) struct HookTests {
    /// Writes executable scripts into a fresh directory; returns it.
    static func scripts(_ scripts: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appending(path: "sluice-hooks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, body) in scripts {
            let path = "\(dir)/\(name)"
            try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        return dir
    }

    /// A gateway whose route `/events/:id` runs `hook` (with extra hook settings) on connect.
    static func gateway(_ dir: String, timeout: String = "5s", settings: String = "") async throws -> TestGateway {
        try await TestGateway(
            """
            \(TestGateway.authSection)
            hooks:
              check: { command: ["\(dir)/hook.sh"], timeout: \(timeout)\(settings) }
            channels:
              "user:{id}": {}
              alerts: {}
              open: {}
            routes:
              - { path: "/events/:id", channels: ["user:{id}"], onConnect: check }
              - { path: /open, channels: [open] }
            """)
    }

    @Test func allowAddsChannelsAndSeesTheRequestAsJSONAndEnvironment() async throws {
        let dir = try Self.scripts([
            "hook.sh": """
            cat > "$(dirname "$0")/request.json"
            [ "$SLUICE_HOOK" = onConnect ] && [ "$SLUICE_PARAM_ID" = 42 ] && [ "$SLUICE_CHANNEL" = user:42 ] || exit 1
            [ "$SLUICE_QUERY_TICKET" = T-1 ] && [ -z "$HOME" ] || exit 1
            echo '{"channels": ["alerts"], "identity": {"role": "reader"}}'
            """
        ])
        let gateway = try await Self.gateway(dir)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.connect()
        try await client.openStream("/events/42?ticket=T-1", headers: ["User-Agent": "test", "Cookie": "s=secret"])
        try await client.waitForBody(containing: #""channels":["user:42","alerts"]"#)
        try await gateway.publish(#"{"channel":"alerts","data":"hi"}"#)
        try await client.waitForBody(containing: "data: hi\n")
        let request = try JSONValue.parse(String(contentsOfFile: "\(dir)/request.json", encoding: .utf8))
        #expect(request["hook"] == "onConnect")
        #expect(request["route"] == "/events/:id")
        #expect(request["params"] == ["id": "42"])
        #expect(request["query"] == ["ticket": "T-1"])
        #expect(request["channels"] == ["user:42"])
        #expect(request["headers"]?["user-agent"] == "test")
        #expect(request["headers"]?["cookie"] == nil, "credentials never reach hooks as raw headers")
        #expect(request["client"]?["id"]?.stringValue?.count == 22)
        #expect(try Self.validate("\(dir)/request.json", against: "hook-request") == "PASS")
        client.close()
    }

    @Test func denialsUseTheHooksStatusAndReason() async throws {
        let dir = try Self.scripts([
            "hook.sh": """
            case "$SLUICE_PARAM_ID" in
              expired) echo '{"allow": false, "status": 401, "reason": "ticket expired"}'; exit 1 ;;
              json) echo '{"allow": false}' ;;
              *) exit 1 ;;
            esac
            """
        ])
        let gateway = try await Self.gateway(dir)
        defer { Task { await gateway.stop() } }
        let expired = try await gateway.request("GET", "/events/expired")
        #expect(expired.status == 401)
        #expect(expired.json?["error"] == "ticket expired")
        #expect(expired.header("www-authenticate") != nil)
        for id in ["json", "plain"] {
            let denied = try await gateway.request("GET", "/events/\(id)")
            #expect(denied.status == 403)
            #expect(denied.json?["error"] == "Refused by the hook.")
        }
    }

    @Test(arguments: [
        ("exit 3", "status"), ("kill -9 $$", "signal"), ("echo 'not json'", "garbage"),
        ("head -c 10000000 /dev/zero | tr '\\\\0' x", "10 MB"), ("echo '{\"channels\": [\"undeclared\"]}'", "channel"),
        ("sleep 30", "timeout"),
    ])
    func failuresFollowOnError(_ body: String, _ kind: String) async throws {
        let dir = try Self.scripts(["hook.sh": body])
        let deny = try await Self.gateway(dir, timeout: kind == "timeout" ? "500ms" : "5s")
        let started = ContinuousClock.now
        let refused = try await deny.stream("/events/1")
        #expect(
            refused.body.contains(#"event: error"#) && refused.body.contains(#""code":"hook_unavailable""#), "\(kind)")
        #expect(ContinuousClock.now - started < .seconds(5), "\(kind)")
        await deny.stop()
        if kind == "channel" { return }
        let allow = try await Self.gateway(
            dir, timeout: kind == "timeout" ? "500ms" : "5s", settings: ", onError: allow")
        let admitted = try await allow.stream("/events/1")
        #expect(admitted.body.contains("event: connected"), "\(kind)")
        await allow.stop()
    }

    @Test func aHangingHookDoesNotDelayOtherClients() async throws {
        let dir = try Self.scripts(["hook.sh": "sleep 30"])
        let gateway = try await Self.gateway(dir, timeout: "6s")
        defer { Task { await gateway.stop() } }
        let hanging = try await gateway.connect()
        try await hanging.openStream("/events/1")
        let started = ContinuousClock.now
        let other = try await gateway.stream("/open")
        try await gateway.publish(#"{"channel":"open","data":"meanwhile"}"#)
        try await other.waitForBody(containing: "data: meanwhile\n")
        #expect(ContinuousClock.now - started < .seconds(5), "served while the hook hangs (it times out after 6 s)")
        #expect(!hanging.body.contains("event: "), "the hooked stream is still waiting")
        try await hanging.waitForBody(containing: "hook_unavailable", timeout: .seconds(10))
    }

    @Test func aGrandchildDoesNotOutliveTheHook() async throws {
        let dir = try Self.scripts([
            "hook.sh": """
            sleep 300 &
            echo $! > "$(dirname "$0")/grandchild.pid"
            exit 0
            """
        ])
        let gateway = try await Self.gateway(dir)
        defer { Task { await gateway.stop() } }
        // Waiting for the child's end of stdout would run into the 5 s timeout, a failure: connected proves it was not.
        let client = try await gateway.stream("/events/1")
        #expect(client.body.contains("event: connected"))
        let pid = try #require(Int32(String(contentsOfFile: "\(dir)/grandchild.pid", encoding: .utf8).trimmed()))
        try await gateway.eventually("the grandchild to be killed") { !Self.isRunning(pid) }
    }

    @Test func concurrencyIsLimitedAndDecisionsAreCached() async throws {
        let dir = try Self.scripts([
            "hook.sh": """
            echo + >> "$(dirname "$0")/runs"
            sleep 0.1
            echo - >> "$(dirname "$0")/runs"
            """
        ])
        let gateway = try await Self.gateway(dir, settings: ", concurrency: 2, cache: 30s")
        defer { Task { await gateway.stop() } }
        // 6 different inputs: at most 2 at once.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 0..<6 { group.addTask { _ = try await gateway.stream("/events/\(id)") } }
            try await group.waitForAll()
        }
        var running = 0
        var most = 0
        let marks = try String(contentsOfFile: "\(dir)/runs", encoding: .utf8).split(separator: "\n")
        for mark in marks {
            running += mark == "+" ? 1 : -1
            most = max(most, running)
        }
        #expect(marks.count == 12 && most == 2)
        // 200 clients with the same inputs at once: one run (shared while in flight, then cached).
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    let client = try await gateway.stream("/events/same")
                    #expect(client.body.contains("event: connected"))
                    client.close()
                }
            }
            try await group.waitForAll()
        }
        let after = try String(contentsOfFile: "\(dir)/runs", encoding: .utf8).split(separator: "\n")
        #expect(after.count == 14, "the hook ran once for 200 connects")
    }

    @Test func onDisconnectReceivesTheChannels() async throws {
        let dir = try Self.scripts([
            "hook.sh": "exit 0",
            "bye.sh": #"cat > "$(dirname "$0")/bye.json""#,
        ])
        let gateway = try await TestGateway(
            """
            \(TestGateway.authSection)
            hooks:
              bye: { command: ["\(dir)/bye.sh"] }
            channels: { "user:{id}": {}, news: {} }
            routes:
              - { path: "/events/:id", channels: ["user:{id}", news], onDisconnect: bye }
            """)
        defer { Task { await gateway.stop() } }
        let client = try await gateway.stream("/events/7")
        client.close()
        var request: JSONValue?
        try await gateway.eventually("the onDisconnect hook") {
            request = (try? String(contentsOfFile: "\(dir)/bye.json", encoding: .utf8)).flatMap {
                try? JSONValue.parse($0)
            }
            return request != nil
        }
        #expect(request?["hook"] == "onDisconnect")
        #expect(request?["channels"] == ["user:7", "news"])
        #expect(request?["durationMs"]?.doubleValue != nil)
        #expect(try Self.validate("\(dir)/bye.json", against: "hook-request") == "PASS")
    }

    /// Validates a JSON file with schemas/NAME.schema.json (Python's jsonschema); returns `PASS` or the failure.
    static func validate(_ path: String, against name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", root.appending(path: "Tests/tools/validate-schema.py").path,
            root.appending(path: "schemas/\(name).schema.json").path, path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output.hasPrefix("PASS") ? "PASS" : output
    }

    static func isRunning(_ pid: Int32) -> Bool {
        // Gone, or a zombie nobody reaped yet (this container's init may not reap).
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !stat.contains(") Z ")
    }
}

extension String {
    fileprivate func trimmed() -> String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// `mode: persistent`: one long-running process answering newline-delimited JSON.
@Suite(.timeLimit(.minutes(2))) struct PersistentHookTests {
    static let server = """
        #!/usr/bin/env python3
        import json, os, sys
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, "pids"), "a") as f:
            f.write(f"{os.getpid()}\\n")
        for line in sys.stdin:
            request = json.loads(line)
            who = request["params"]["id"]
            if who == "crash":
                sys.exit(3)
            answer = {"allow": not who.startswith("no"), "id": request["id"]}
            if not answer["allow"]:
                answer.update(status=401, reason="not you")
            else:
                answer["channels"] = ["alerts"]
            print(json.dumps(answer), flush=True)
        """

    static func gateway(_ dir: String) async throws -> TestGateway {
        try await TestGateway(
            """
            \(TestGateway.authSection)
            hooks:
              check: { command: ["\(dir)/server.py"], mode: persistent, timeout: 5s }
            channels: { "user:{id}": {}, alerts: {} }
            routes:
              - { path: "/events/:id", channels: ["user:{id}"], onConnect: check }
            """)
    }

    static func script(_ dir: String) throws {
        let path = "\(dir)/server.py"
        try server.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    @Test func oneProcessAnswersManyRequestsInFlight() async throws {
        let dir = try HookTests.scripts([:])
        try Self.script(dir)
        let gateway = try await Self.gateway(dir)
        defer { Task { await gateway.stop() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<100 {
                group.addTask {
                    let client = try await gateway.stream("/events/\(i)")
                    #expect(client.body.contains(#""channels":["user:\#(i)","alerts"]"#))
                    client.close()
                }
            }
            try await group.waitForAll()
        }
        let denied = try await gateway.request("GET", "/events/nobody")
        #expect(denied.status == 401)
        #expect(denied.json?["error"] == "not you")
        let pids = try String(contentsOfFile: "\(dir)/pids", encoding: .utf8).split(separator: "\n")
        #expect(pids.count == 1, "one process for every request")
    }

    @Test func aCrashFailsWhatIsInFlightAndTheHookRestarts() async throws {
        let dir = try HookTests.scripts([:])
        try Self.script(dir)
        let gateway = try await Self.gateway(dir)
        defer { Task { await gateway.stop() } }
        let first = try await gateway.stream("/events/1")
        #expect(first.body.contains("event: connected"))
        let crashed = try await gateway.stream("/events/crash")
        #expect(crashed.body.contains(#""code":"hook_unavailable""#), "the request in flight at its death failed")
        // Restarted after a short backoff.
        var admitted = false
        let deadline = ContinuousClock.now + .seconds(10)
        while !admitted && ContinuousClock.now < deadline {
            admitted = try await gateway.stream("/events/2").body.contains("event: connected")
            if !admitted { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(admitted)
        let pids = try String(contentsOfFile: "\(dir)/pids", encoding: .utf8).split(separator: "\n")
        #expect(pids.count == 2)
        let old = try #require(Int32(pids[0]))
        #expect(!HookTests.isRunning(old), "the crashed process was reaped")
    }
}
