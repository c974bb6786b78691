import Foundation
import SluiceConfig
import SluiceCore
import SluiceJSON
import Testing

@Suite struct ValidConfigTests {
    static let validFixtures = TestPaths.files(in: "valid", ending: ".yaml").map { "valid/\($0)" }

    @Test(arguments: validFixtures)
    func validFixturesLoadWithoutAnyDiagnostic(_ name: String) {
        let result = ConfigLoader.load(
            path: TestPaths.fixtures.appending(path: name).path, environment: TestPaths.environment)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        #expect(result.description != nil)
    }

    @Test(arguments: TestPaths.examples)
    func examplesPassStrictCheck(_ path: String) {
        let result = ConfigLoader.load(
            path: TestPaths.packageRoot.appending(path: path).path, environment: ProcessInfo.processInfo.environment)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map { "\($0.code): \($0.message)" })")
    }

    @Test func fullFixtureCompilesEverySection() throws {
        let result = ConfigLoader.load(
            path: TestPaths.fixtures.appending(path: "valid/full.yaml").path, environment: TestPaths.environment)
        let gateway = try #require(result.description)
        #expect(gateway.server.listen == ListenAddress(host: "::1", port: 8080))
        #expect(gateway.server.retry == .milliseconds(2500))
        #expect(gateway.server.apiListen == ListenAddress(host: "127.0.0.1", port: 8081))
        #expect(gateway.server.opsRequireAdmin)
        #expect(gateway.heartbeat == HeartbeatSettings(interval: .seconds(90), event: "ping"))
        #expect(gateway.origins.requireOrigin)
        #expect(gateway.origins.decide("https://a.example.com:8443") == .allowed("https://a.example.com:8443"))
        #expect(gateway.origins.decide("https://elsewhere.org") == .allowedAny)
        #expect(gateway.limits.maxPayload == 128 << 10)
        #expect(gateway.limits.connectionLifetime == .seconds(12 * 3600))
        #expect(gateway.limits.historyMemory == 1 << 30)

        let verify = try #require(gateway.hooks["verify"])
        #expect(verify.executable == TestPaths.fixtures.appending(path: "hooks/allow.sh").standardizedFileURL.path)
        #expect(verify.arguments == ["--mode", "strict"])
        #expect(verify.mode == .persistent && verify.onError == .allow)
        #expect(verify.environment == ["LEVEL": "2"] && verify.inheritEnvironment == ["PATH", "HOME"])
        #expect(
            gateway.hooks["audit"]?.executable == "/usr/bin/true" || gateway.hooks["audit"]?.executable == "/bin/true")

        let members = try #require(gateway.auth.rules["members"])
        #expect(members.source == .header("Authorization", scheme: "Bearer"))
        #expect(members.jwt?.requiredClaims == ["sub", "team"])
        #expect(members.hook == "verify")
        let guests = try #require(gateway.auth.rules["guests"])
        #expect(guests.staticTokens.first?.token.matches("guest-token-for-tests") == true)
        #expect(guests.staticTokens.first?.identity["roles"] == ["viewer"])
        #expect(gateway.auth.publishers.first?.permits("user:7") == true)
        #expect(gateway.auth.publishers.first?.permits("orders") == false)

        #expect(gateway.states.map(\.name) == ["online", "score"])
        #expect(gateway.states[1].initial == ["home": 0, "away": 0])
        #expect(gateway.channels.declaration(for: "room:lobby")?.history == 200)
        #expect(gateway.channels.declaration(for: "news")?.historyAge == .seconds(3600))
        #expect(gateway.channels.declaration(for: "nothing") == nil)

        let match = try #require(gateway.routeTable.match("/events/users/42"))
        #expect(gateway.routes[match.route].auth == "members")
        #expect(match.parameters == ["id": "42"])
        #expect(
            gateway.routeTable.match("/files/special").map { gateway.routes[$0.route].pattern.description }
                == "/files/special")
        #expect(gateway.routeTable.match("/files/a/b%20c")?.parameters == ["path": "a/b c"])
    }

    @Test func defaultsApplyWhenSectionsAreLeftOut() throws {
        let result = ConfigLoader.load(
            bytes: Array("version: 1\nchannels: { news: }\nroutes: [{ path: /e, channels: [news] }]\n".utf8),
            path: "inline.yaml", baseDirectory: "/tmp", environment: [:])
        let gateway = try #require(result.description)
        #expect(gateway.server.listen.description == "127.0.0.1:8080")
        #expect(gateway.server.retry == .seconds(3))
        #expect(gateway.server.apiPrefix == "/_sluice")
        #expect(gateway.heartbeat.interval == .seconds(15) && gateway.heartbeat.event == nil)
        #expect(gateway.origins.decide("https://anywhere.example") == .allowedAny)
        #expect(gateway.origins.decide(nil) == .noOrigin)
        #expect(gateway.limits.maxConnections == 10000 && gateway.limits.maxPayload == 65536)
        #expect(gateway.limits.connectionLifetime == nil)
        #expect(gateway.limits.slowClientBuffer == 1 << 20)
    }

    @Test func interpolationTypesValuesAndReadsTheEnvironment() throws {
        let path = TestPaths.fixtures.appending(path: "valid/interpolation.yaml").path
        let defaults = try #require(ConfigLoader.load(path: path, environment: [:]).description)
        #expect(defaults.server.listen.description == "127.0.0.1:8080")
        #expect(defaults.server.threads == 2)
        #expect(defaults.heartbeat.event == "tick$")
        let set = try #require(
            ConfigLoader.load(
                path: path,
                environment: ["SLUICE_TEST_PORT": "9999", "SLUICE_TEST_THREADS": "4", "SLUICE_TEST_HEARTBEAT": "1m"]
            ).description)
        #expect(set.server.listen.port == 9999)
        #expect(set.server.threads == 4)
        #expect(set.heartbeat.interval == .seconds(60))
        let bad = ConfigLoader.load(path: path, environment: ["SLUICE_TEST_THREADS": "many"])
        #expect(bad.diagnostics.map(\.code) == [.typeMismatch])
    }

    @Test func secretsNeverAppearInDiagnostics() {
        let secret = "hunter2-very-secret-value"
        let text = """
            version: 1
            auth:
              publishers: [{ token: \(secret), channels: ["news *"] }]
              rules:
                r: { token: { query: t }, jwt: { hs256: "${JWT:-\(secret)}" } }
            routes: [{ path: /e, auth: r, channels: 3 }]
            """
        let result = ConfigLoader.load(bytes: Array(text.utf8), path: "s.yaml", baseDirectory: "/tmp", environment: [:])
        #expect(result.diagnostics.count >= 3)
        for format in DiagnosticRenderer.Format.allCases {
            let output = DiagnosticRenderer(format: format).render([(result.source, result.diagnostics)])
            #expect(!output.contains("hunter2"), "\(format) output leaks the secret")
        }
        let weak = ConfigLoader.load(
            bytes: Array(
                "version: 1\nauth: { rules: { r: { token: { query: t }, jwt: { hs256: short-\(secret) } } } }\n".utf8),
            path: "w.yaml", baseDirectory: "/tmp", environment: [:])
        let output = DiagnosticRenderer(format: .human).render([(weak.source, weak.diagnostics)])
        #expect(output.contains("weak-secret"))
        #expect(!output.contains(secret))
    }

    @Test func unreadableAndEmptyFilesAreDiagnosed() {
        let missing = ConfigLoader.load(path: "/nonexistent/sluice.yaml")
        #expect(missing.isUnreadable && missing.diagnostics.map(\.code) == [.unreadable])
        let empty = ConfigLoader.load(
            bytes: Array("# nothing\n".utf8), path: "e.yaml", baseDirectory: "/", environment: [:])
        #expect(empty.diagnostics.map(\.code) == [.emptyFile])
    }
}
