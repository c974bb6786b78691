import NIOPosix
import SluiceCore
import SluiceJSON
import Testing

@testable import SluiceHooks

/// A persistent hook process driven through the runner: answers, silence, protocol breaches and death.
@Suite(.timeLimit(.minutes(1))) struct PersistentHookRunnerTests {
    /// Answers with its pid in the identity, except for requests whose `params.n` asks for something else.
    static let script = """
        import json, os, sys
        for line in sys.stdin:
            r = json.loads(line)
            what = r["params"]["n"]
            if what == "silent":
                continue
            if what == "garbage":
                print("this is not JSON", flush=True)
                continue
            if what == "long":
                print(json.dumps({"id": r["id"], "allow": True, "identity": {"x": "y" * 5000}}), flush=True)
                continue
            if what == "die":
                sys.stderr.write("giving up on " + what + "\\n")
                sys.stderr.flush()
                sys.exit(4)
            print(json.dumps({"id": r["id"], "allow": what != "no", "identity": {"pid": os.getpid()}}), flush=True)
        """

    static func spec(timeout: Duration = .seconds(5)) -> HookSpec {
        HookSpec(
            name: "server", executable: "/usr/bin/python3", arguments: ["-u", "-c", script], timeout: timeout,
            maxOutput: 1024, environment: [:], inheritEnvironment: [], workingDirectory: "/tmp", cache: .zero,
            concurrency: 8, queue: 100, onError: .deny, mode: .persistent)
    }

    static func request(_ n: String) -> HookRequest {
        HookRequest(
            hook: "onConnect", clientID: "c-\(n)", ip: "127.0.0.1", route: "/r", params: ["n": n], query: [:],
            headers: [:], identity: JSONObject(), channels: [])
    }

    /// Runs the requests on one runner at once and returns their outcomes in order.
    static func outcomes(_ names: [String], spec: HookSpec = spec()) async throws -> [HookOutcome] {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let runner = HookRunner(hooks: [spec], environment: [:], loop: group.next())
        let futures = names.map { runner.run(spec, request($0), on: group.next()) }
        var outcomes: [HookOutcome] = []
        for future in futures { outcomes.append(try await future.get().outcome) }
        await runner.shutdown()
        try await group.shutdownGracefully()
        return outcomes
    }

    static func pid(_ outcome: HookOutcome) -> Int64? {
        guard case .allow(_, let identity, _) = outcome, case .integer(let pid)? = identity["pid"] else { return nil }
        return pid
    }

    @Test func answersComeBackToTheirRequestsFromOneProcess() async throws {
        let outcomes = try await Self.outcomes((0..<50).map { $0 % 5 == 0 ? "no" : "\($0)" })
        for (i, outcome) in outcomes.enumerated() {
            if i % 5 == 0 {
                #expect(outcome == .deny(status: 403, reason: "Refused by the hook.", cache: nil))
            } else {
                #expect(Self.pid(outcome) != nil, "\(outcome)")
            }
        }
        #expect(Set(outcomes.compactMap(Self.pid)).count == 1)
    }

    @Test func anUnansweredRequestTimesOutAndTheProcessServesTheRest() async throws {
        let outcomes = try await Self.outcomes(["1", "silent", "2"], spec: Self.spec(timeout: .milliseconds(400)))
        #expect(outcomes[1] == .failure("did not answer within 0.4 seconds"))
        #expect(Self.pid(outcomes[0]) != nil && Self.pid(outcomes[0]) == Self.pid(outcomes[2]))
    }

    @Test(arguments: [
        ("garbage", "wrote a line that is not a JSON object with an id"),
        ("long", "wrote a line longer than its maxOutput"),
        ("die", "it exited (exited(4))"),
    ])
    func aBrokenProcessFailsWhatIsInFlightAndIsReplaced(_ trigger: String, _ reason: String) async throws {
        let spec = Self.spec(timeout: .seconds(5))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let runner = HookRunner(hooks: [spec], environment: [:], loop: group.next())
        let first = try await runner.run(spec, Self.request("1"), on: group.next()).get()
        // A request that will never be answered, in flight when the process breaks.
        let waiting = runner.run(spec, Self.request("silent"), on: group.next())
        let broken = try await runner.run(spec, Self.request(trigger), on: group.next()).get()
        #expect(broken.outcome == .failure(reason))
        #expect(try await waiting.get().outcome == .failure(reason), "what was in flight failed with it")
        if trigger == "die" { #expect(broken.stderrTail.contains("giving up on die")) }
        // A new process after the backoff (100 ms).
        var replaced: HookRunner.Run?
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let run = try await runner.run(spec, Self.request("2"), on: group.next()).get()
            if Self.pid(run.outcome) != nil {
                replaced = run
                break
            }
            #expect(run.outcome == .failure("it is restarting after it exited"))
            try await Task.sleep(for: .milliseconds(20))
        }
        let old = try #require(Self.pid(first.outcome))
        let new = try #require(replaced.flatMap { Self.pid($0.outcome) })
        #expect(old != new)
        #expect(kill(pid_t(old), 0) != 0, "the broken process is gone (killed and reaped)")
        await runner.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func runOnceAnswersWithTheLineTheProcessWrote() throws {
        let (run, stdout) = HookRunner.runOnce(Self.spec(), Self.request("7"), inherited: [:])
        #expect(Self.pid(run.outcome) != nil)
        let line = String(decoding: stdout, as: UTF8.self)
        #expect(line.contains(#""allow": true"#) && line.contains(#""id": 1"#), "\(line)")
    }
}
