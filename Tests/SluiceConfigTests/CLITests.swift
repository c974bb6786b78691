import Foundation
import Testing

/// Runs the built `sluice` binary as a user would.
@Suite struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func sluice(_ arguments: [String], environment: [String: String]? = nil) throws -> Run {
        let process = Process()
        process.executableURL = TestPaths.sluiceBinary
        process.arguments = arguments
        process.currentDirectoryURL = TestPaths.packageRoot
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Writes a file in a fresh temporary directory and returns its path.
    func temporaryConfig(_ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appending(path: "sluice-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appending(path: "gateway.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static let fiveMistakes = """
        version: 1
        server:
          listen: "127.0.0.1:70000"
        heartbeat: { interval: 15 }
        channels:
          news: { history: 10 }
        routes:
          - path: /events/news
            channels: [nwes]
          - path: /events/users/:id
            chanels: ["user:{id}"]
          - { path: /events/x, channels: [news], onConnect: ghost }
        """

    @Test func reportsAllFiveMistakesWithPositionsAndExitsOne() throws {
        let path = try temporaryConfig(Self.fiveMistakes)
        let run = try sluice(["check", path])
        #expect(run.status == 1)
        let expected = [
            "\(path):3:11: error[bad-port]",
            "\(path):4:24: error[bad-duration]",
            "\(path):9:16: error[unknown-channel]",
            "\(path):11:5: error[unknown-key]",
            "\(path):12:53: error[unknown-hook]",
        ]
        for line in expected { #expect(run.stdout.contains(line), "missing \(line) in:\n\(run.stdout)") }
        #expect(run.stdout.contains("did you mean 'channels'?"))
        #expect(run.stdout.contains("5 errors, 0 warnings"))
    }

    @Test func jsonAndGithubFormats() throws {
        let path = try temporaryConfig(Self.fiveMistakes)
        let json = try sluice(["check", "--format", "json", path])
        #expect(json.status == 1)
        #expect(json.stdout.contains("\"code\": \"unknown-key\""))
        #expect(json.stdout.contains("\"line\": 11"))
        let github = try sluice(["check", "--format", "github", path])
        let lines = github.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { $0.hasPrefix("::error file=") })
        #expect(github.stdout.contains(",line=11,col=5,"))
    }

    @Test func cleanFileExitsZeroAndStrictTurnsWarningsIntoErrors() throws {
        let clean = try sluice(["check", "--strict", "examples/quickstart.yaml"])
        #expect(clean.status == 0)
        #expect(clean.stdout == "examples/quickstart.yaml: ok\n")
        let warned = try temporaryConfig("version: 1\nchannels: { news: }\nroutes: []\n")
        #expect(try sluice(["check", warned]).status == 0)
        let strict = try sluice(["check", "--strict", warned])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("error[no-routes]"))
    }

    @Test func unreadableFileAndBadUsageExitTwo() throws {
        let missing = try sluice(["check", "/nonexistent/gateway.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stdout.contains("error[unreadable-file]"))
        #expect(try sluice(["check"]).status == 2)
        #expect(try sluice(["check", "--format", "xml", "examples/quickstart.yaml"]).status == 2)
    }

    /// Each command's help is wrapped prose: a continued source line must not leave a backslash in it.
    @Test(arguments: ["serve", "check", "explain", "schema", "bench", "hook test"])
    func helpReadsAsProse(command: String) throws {
        let run = try sluice(["help"] + command.split(separator: " ").map(String.init))
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: sluice \(command)"))
        #expect(!run.stdout.contains("\\"), "a stray backslash in the help of '\(command)'")
    }

    /// A mistyped argument is refused before any traffic; a run that opened no stream still reports, then exits 1.
    @Test func benchRefusesBadArgumentsAndFailsWhenNothingOpens() throws {
        let header = try sluice(["bench", "--header", "X-A: b\r\nX-Injected: c"])
        #expect(header.status == 2)
        #expect(header.stderr.contains("--header must look like 'Name: value'"))
        #expect(try sluice(["bench", "--url", "http://127.0.0.1:99999/events"]).status == 2)
        // Port 1: nothing listens there, so every connect is refused at once.
        let run = try sluice(["bench", "--url", "http://127.0.0.1:1/events", "--connections", "3", "--duration", "0.2"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("streams: 0/3 established, 3 failed"))
        #expect(run.stdout.contains("connect_failed 3"))
        #expect(run.stderr == "sluice bench: No stream could be opened (the report's errors say why).\n")
    }

    @Test func checksSeveralFilesInOnePass() throws {
        let bad = try temporaryConfig("version: 1\nroutes: [{ path: nope }]\n")
        let run = try sluice(["check", "examples/quickstart.yaml", bad, "examples/states.yaml"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("examples/quickstart.yaml: ok"))
        #expect(run.stdout.contains("\(bad):2:18: error[bad-route]"))
    }

    @Test func explainPrintsEachRouteWithoutSecrets() throws {
        let run = try sluice(
            ["explain", "examples/auth-hooks/gateway.yaml"],
            environment: ["PATH": "/usr/bin:/bin", "JWT_SECRET": "explain-test-secret-that-is-long-enough-1234"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("| `/events/users/:id` | `user:{auth.sub}`"))
        #expect(run.stdout.contains("onConnect: checkTicket"))
        #expect(run.stdout.contains("dynamic: room:*"))
        #expect(!run.stdout.contains("explain-test-secret"))
        #expect(!run.stdout.contains("auth-hooks-example-publish-token"))
    }

    @Test func schemaCommandPrintsTheCommittedSchema() throws {
        let run = try sluice(["schema"])
        let committed = try String(
            contentsOf: TestPaths.packageRoot.appending(path: "schemas/sluice.schema.json"), encoding: .utf8)
        #expect(run.status == 0)
        #expect(run.stdout == committed)
    }

    @Test func hookTestRunsTheExampleHooksAsTheGatewayWould() throws {
        let config = "examples/auth-hooks/gateway.yaml"
        let allowed = try sluice([
            "hook", "test", "checkTicket", "-c", config, "--request", #"{"query":{"ticket":"T-9"}}"#,
        ])
        #expect(allowed.status == 0)
        #expect(allowed.stdout.contains("decision allow"))
        let denied = try sluice(["hook", "test", "checkTicket", "-c", config])
        #expect(denied.status == 1)
        #expect(denied.stdout.contains(#"decision deny: 401 "a ticket is required""#))
        let unknown = try sluice(["hook", "test", "nope", "-c", config])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("declared: checkTicket, roomPolicy"))
        let badRequest = try sluice(["hook", "test", "checkTicket", "-c", config, "--request", "[1]"])
        #expect(badRequest.status == 2)
    }

    @Test func hookTestReportsAFailureWithItsStderr() throws {
        let path = try temporaryConfig(
            """
            version: 1
            hooks: { broken: { command: [sh, -c, "echo 'bad things' >&2; exit 3"] } }
            """)
        let run = try sluice(["hook", "test", "broken", "-c", path])
        #expect(run.status == 3)
        #expect(run.stdout.contains("ended    exited(3)"))
        #expect(run.stdout.contains("decision FAILURE: exited with status 3 (onError: deny)"))
        #expect(run.stdout.contains("stderr   bad things"))
    }
}
