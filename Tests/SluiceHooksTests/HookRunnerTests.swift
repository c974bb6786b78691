import Foundation
import NIOPosix
import SluiceCore
import SluiceJSON
import Testing

@testable import SluiceHooks

@Suite struct HookRunnerTests {
    static func spec(_ script: String, concurrency: Int, queue: Int) -> HookSpec {
        HookSpec(
            name: "slow", executable: "/bin/sh", arguments: ["-c", script], timeout: .seconds(10), maxOutput: 1024,
            environment: [:], inheritEnvironment: [], workingDirectory: "/tmp", cache: .zero,
            concurrency: concurrency, queue: queue, onError: .deny, mode: .exec)
    }

    static func request(_ n: Int) -> HookRequest {
        HookRequest(
            hook: "onConnect", clientID: "c\(n)", ip: "127.0.0.1", route: "/r", params: ["n": "\(n)"], query: [:],
            headers: [:], identity: JSONObject(), channels: [])
    }

    @Test func aFullQueueIsAFailureNotAPileUp() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let spec = Self.spec("sleep 0.3", concurrency: 1, queue: 1)
        let runner = HookRunner(hooks: [spec], environment: [:], loop: loop)
        // One runs, one waits, the third finds the queue full at once.
        let futures = (0..<3).map { runner.run(spec, Self.request($0), on: loop) }
        var outcomes: [HookOutcome] = []
        for future in futures { outcomes.append(try await future.get().outcome) }
        #expect(outcomes[0] == .allow(channels: [], identity: JSONObject(), cache: nil))
        #expect(outcomes[1] == .allow(channels: [], identity: JSONObject(), cache: nil))
        #expect(outcomes[2] == .failure("its queue is full (1 runs waiting)"))
        await runner.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func aHookWithoutACacheTTLCachesWhatItsAnswerAsksFor() async throws {
        let counter = FileManager.default.temporaryDirectory.appendingPathComponent("runs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: counter) }
        // The spec has no cache; the answer asks for 30 s.
        let spec = Self.spec("echo run >> \(counter); echo '{\"cache\": 30}'", concurrency: 1, queue: 10)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let runner = HookRunner(hooks: [spec], environment: [:], loop: loop)
        let first = try await runner.run(spec, Self.request(1), on: loop).get()
        let again = try await runner.run(spec, Self.request(1), on: loop).get()
        let other = try await runner.run(spec, Self.request(2), on: loop).get()
        #expect(!first.cached && again.cached && !other.cached)
        #expect(again.outcome == first.outcome)
        let runs = try String(contentsOfFile: counter, encoding: .utf8).split(separator: "\n")
        #expect(runs.count == 2, "one run per distinct request")
        await runner.shutdown()
        try await group.shutdownGracefully()
    }
}
