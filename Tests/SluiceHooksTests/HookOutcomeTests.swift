import SluiceJSON
import Testing

@testable import SluiceHooks

@Suite struct HookOutcomeTests {
    func decide(_ exit: HookProcess.Exit, _ stdout: String = "") -> HookOutcome {
        HookOutcome.decide(exit, stdout: Array(stdout.utf8), timeout: .seconds(1))
    }

    @Test func exitStatusDecidesWithoutOutput() {
        #expect(decide(.exited(0)) == .allow(channels: [], identity: JSONObject(), cache: nil))
        #expect(decide(.exited(0), " \n") == .allow(channels: [], identity: JSONObject(), cache: nil))
        #expect(decide(.exited(1)) == .deny(status: 403, reason: "Refused by the hook.", cache: nil))
    }

    /// A verifier's bare "no" means the token is not valid; what the hook does say still wins.
    @Test func verifierDenialsDefaultTo401() {
        func verify(_ stdout: String) -> HookOutcome {
            HookOutcome.decide(.exited(1), stdout: Array(stdout.utf8), timeout: .seconds(1), denial: .invalidToken)
        }
        #expect(verify("") == .deny(status: 401, reason: "The token is not valid.", cache: nil))
        #expect(verify(#"{"status":403}"#) == .deny(status: 403, reason: "The token is not valid.", cache: nil))
        #expect(verify(#"{"reason":"revoked"}"#) == .deny(status: 401, reason: "revoked", cache: nil))
        let request = HookRequest(
            hook: "authenticate", clientID: "", ip: "127.0.0.1", route: "/", params: [:], query: [:], headers: [:],
            identity: JSONObject(), channels: [])
        #expect(request.denial == .invalidToken)
    }

    @Test func outputRefinesTheDecision() throws {
        var identity = JSONObject()
        identity["role"] = "admin"
        #expect(
            decide(.exited(0), #"{"channels":["a","b"],"identity":{"role":"admin"},"cache":"30s"}"#)
                == .allow(channels: ["a", "b"], identity: identity, cache: .seconds(30)))
        #expect(
            decide(.exited(1), #"{"status":401,"reason":"ticket\nexpired"}"#)
                == .deny(status: 401, reason: "ticketexpired", cache: nil))
        #expect(
            decide(.exited(0), #"{"allow":false,"cache":5}"#)
                == .deny(status: 403, reason: "Refused by the hook.", cache: .seconds(5)))
    }

    @Test(arguments: [
        (HookProcess.Exit.exited(3), "", "exited with status 3"),
        (.signaled(9), "", "killed by signal 9"),
        (.timedOut, "", "did not finish within 1.0 seconds"),
        (.outputTooLarge, "", "wrote more than its maxOutput to stdout"),
        (.exited(0), "yes", "stdout is not JSON"),
        (.exited(0), "[1]", "stdout is JSON but not an object"),
        (.exited(0), #"{"allow":"yes"}"#, "'allow' is not true or false"),
        (.exited(1), #"{"status":500}"#, "'status' is not a 4xx status"),
        (.exited(0), #"{"channels":"a"}"#, "'channels' is not a list of channel names"),
        (.exited(0), #"{"cache":"soon"}"#, "'cache' is not a duration"),
    ])
    func contractBreachesAreFailures(_ exit: HookProcess.Exit, _ stdout: String, _ message: String) {
        guard case .failure(let text) = decide(exit, stdout) else {
            Issue.record("not a failure")
            return
        }
        #expect(text.hasPrefix(message))
    }

    @Test func environmentNamesAreSanitized() {
        var identity = JSONObject()
        identity["sub"] = "42"
        identity["team-id"] = .integer(7)
        identity["roles"] = ["a"]
        let request = HookRequest(
            hook: "onConnect", clientID: "c", ip: "127.0.0.1", route: "/r/:id", params: ["id": "9"],
            query: ["room-name": "x y"], headers: [:], identity: identity, channels: ["a", "b"])
        let env = request.environment
        #expect(env["SLUICE_PARAM_ID"] == "9")
        #expect(env["SLUICE_QUERY_ROOM_NAME"] == "x y")
        #expect(env["SLUICE_AUTH_SUB"] == "42" && env["SLUICE_AUTH_TEAM_ID"] == "7" && env["SLUICE_AUTH_ROLES"] == nil)
        #expect(env["SLUICE_CHANNEL"] == "a" && env["SLUICE_CHANNELS"] == "a b")
    }
}
