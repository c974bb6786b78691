import SluiceCore
import SluiceJSON

/// What a hook decided, read from its exit status and stdout (the contract in docs/hooks.md).
public enum HookOutcome: Sendable, Equatable {
    /// Let the client in, adding channels and merging identity claims.
    case allow(channels: [String], identity: JSONObject, cache: Duration?)
    /// Refuse with this status (4xx) and reason.
    case deny(status: Int, reason: String, cache: Duration?)
    /// The hook broke the contract or did not finish: its `onError` policy decides. The text is for logs.
    case failure(String)

    /// The status and reason of a denial that gives none (exit status 1, or `allow: false` without them).
    public struct Denial: Sendable, Equatable {
        public var status: Int
        public var reason: String

        /// What `onConnect` and `onSubscribe` denials default to.
        public static let refused = Denial(status: 403, reason: "Refused by the hook.")
        /// What an auth rule's verifier hook saying no means: the token is not valid.
        public static let invalidToken = Denial(status: 401, reason: "The token is not valid.")
    }

    /// Reads a finished run: exit 0 allows, 1 denies, stdout optionally refines either; anything else fails.
    /// - Parameter denial: what a denial that names no status or reason answers.
    public static func decide(
        _ exit: HookProcess.Exit, stdout: [UInt8], timeout: Duration, denial: Denial = .refused
    ) -> HookOutcome {
        switch exit {
        case .exited(0), .exited(1):
            let allowByStatus = exit == .exited(0)
            let text = String(decoding: stdout, as: UTF8.self)
            guard text.contains(where: { !$0.isWhitespace }) else {
                return allowByStatus
                    ? .allow(channels: [], identity: JSONObject(), cache: nil)
                    : .deny(status: denial.status, reason: denial.reason, cache: nil)
            }
            let json: JSONValue
            do { json = try JSONValue.parse(text) } catch {
                return .failure("stdout is not JSON (\(error.message) at line \(error.line), column \(error.column))")
            }
            return parse(json, allowByStatus: allowByStatus, denial: denial)
        case .exited(let status): return .failure("exited with status \(status)")
        case .signaled(let signal): return .failure("killed by signal \(signal)")
        case .timedOut: return .failure("did not finish within \(timeout)")
        case .outputTooLarge: return .failure("wrote more than its maxOutput to stdout")
        case .spawnFailed(let reason): return .failure("could not start: \(reason)")
        }
    }

    /// Reads a persistent hook's answer (an object with `allow`; its `id` already removed).
    public static func decide(answer: JSONObject, denial: Denial = .refused) -> HookOutcome {
        parse(.object(answer), allowByStatus: true, denial: denial)
    }

    private static func parse(_ json: JSONValue, allowByStatus: Bool, denial: Denial) -> HookOutcome {
        guard case .object(let o) = json else { return .failure("stdout is JSON but not an object") }
        var allow = allowByStatus
        if let value = o["allow"] {
            guard case .bool(let b) = value else { return .failure("'allow' is not true or false") }
            allow = b
        }
        var cache: Duration?
        if let value = o["cache"] {
            switch value {
            case .integer(let seconds) where seconds >= 0: cache = .seconds(seconds)
            case .string(let text):
                guard let parsed = Units.duration(text) else { return .failure("'cache' is not a duration") }
                cache = parsed
            default: return .failure("'cache' is not a duration such as \"30s\"")
            }
        }
        if !allow {
            var status = denial.status
            if let value = o["status"] {
                guard case .integer(let s) = value, (400...499).contains(s) else {
                    return .failure("'status' is not a 4xx status")
                }
                status = Int(s)
            }
            var reason = denial.reason
            if let value = o["reason"] {
                guard let text = value.stringValue else { return .failure("'reason' is not a string") }
                // One line, bounded: it goes into a response body.
                reason = String(text.filter { !$0.isNewline && $0 != "\0" }.prefix(200))
            }
            return .deny(status: status, reason: reason, cache: cache)
        }
        var channels: [String] = []
        if let value = o["channels"] {
            guard case .array(let items) = value, let names = Optional(items.compactMap(\.stringValue)),
                names.count == items.count
            else { return .failure("'channels' is not a list of channel names") }
            channels = names
        }
        var identity = JSONObject()
        if let value = o["identity"] {
            guard case .object(let claims) = value else { return .failure("'identity' is not an object") }
            identity = claims
        }
        return .allow(channels: channels, identity: identity, cache: cache)
    }
}
