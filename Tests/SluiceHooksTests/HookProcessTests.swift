import Glibc
import Testing

@testable import SluiceHooks

@Suite struct HookProcessTests {
    func run(_ script: String, input: String = "", timeout: Duration = .seconds(2), maxOutput: Int = 1024)
        -> HookProcess.Result
    {
        HookProcess.run(
            executable: "/bin/sh", arguments: ["-c", script], environment: ["PATH": "/usr/bin:/bin", "X": "1"],
            workingDirectory: "/tmp", input: Array(input.utf8), timeout: timeout, maxOutput: maxOutput)
    }

    @Test func readsStdinAndWritesStdoutWithACleanEnvironment() {
        let result = run(
            #"read line; echo "got $line $X ${HOME:-nohome} $(pwd)"; echo oops >&2; exit 1"#, input: "hi\n")
        #expect(result.exit == .exited(1))
        #expect(String(decoding: result.stdout, as: UTF8.self) == "got hi 1 nohome /tmp\n")
        #expect(String(decoding: result.stderrTail, as: UTF8.self) == "oops\n")
    }

    @Test func timeoutKillsTheGroupPromptly() {
        let result = run("sleep 30", timeout: .milliseconds(200))
        #expect(result.exit == .timedOut)
        #expect(result.duration < .seconds(2))
    }

    @Test func aHookIgnoringSIGTERMIsKilled() {
        let result = run("trap '' TERM; sleep 30", timeout: .milliseconds(100))
        #expect(result.exit == .timedOut)
        #expect(result.duration < .seconds(2))
    }

    @Test func outputIsBounded() {
        let result = run("head -c 10000000 /dev/zero", maxOutput: 1024)
        #expect(result.exit == .outputTooLarge)
        #expect(result.stdout.count < 200_000)
    }

    @Test func signalsAndMissingProgramsAreReported() {
        #expect(run("kill -9 $$").exit == .signaled(9))
        let missing = HookProcess.run(
            executable: "/nonexistent", arguments: [], environment: [:], workingDirectory: "/tmp", input: [],
            timeout: .seconds(1), maxOutput: 10)
        guard case .spawnFailed = missing.exit else {
            Issue.record("expected a spawn failure, got \(missing.exit)")
            return
        }
    }
}

extension HookProcessTests {
    @Test func noDescriptorLeaksIntoTheHook() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)  // inheritable (no close-on-exec)
        defer {
            close(fds[0])
            close(fds[1])
        }
        let result = run("ls /proc/self/fd")
        let open = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
        #expect(!open.contains(fds[0]) && !open.contains(fds[1]), "open in the hook: \(open)")
        #expect(open.allSatisfy { $0 <= 3 }, "only stdin, stdout, stderr (and ls's own directory): \(open)")
    }
}

extension HookProcessTests {
    @Test func aHookThatNeverReadsItsRequestIsFine() {
        // A large request to a hook that exits at once: writing it hits a closed pipe, which must not kill us.
        let result = run("exit 0", input: String(repeating: "x", count: 1 << 20))
        #expect(result.exit == .exited(0))
    }
}
