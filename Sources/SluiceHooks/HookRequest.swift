import SluiceJSON

/// What a hook is told about a client: one JSON object on stdin, and the same facts as `SLUICE_*` environment
/// variables so a shell hook can decide without parsing JSON.
public struct HookRequest: Sendable {
    public var hook: String
    public var clientID: String
    public var ip: String
    public var route: String
    public var params: [String: String]
    public var query: [String: String]
    /// Allow-listed request headers (lowercased names).
    public var headers: [String: String]
    public var identity: JSONObject
    public var channels: [String]
    /// For `onDisconnect`: how long the stream was open, and why it ended.
    public var duration: Duration?
    public var reason: String?
    /// For an auth rule's verifier hook (`hook: "authenticate"`) only: the token the client presented. No other
    /// hook ever sees a token.
    public var token: String?

    /// Request headers a hook sees; never `Authorization` or `Cookie` (credentials reach hooks only as identity).
    public static let forwardedHeaders: Set<String> = [
        "origin", "user-agent", "accept-language", "referer", "x-forwarded-for", "x-real-ip", "x-request-id",
    ]

    public init(
        hook: String, clientID: String, ip: String, route: String, params: [String: String],
        query: [String: String], headers: [String: String], identity: JSONObject, channels: [String]
    ) {
        self.hook = hook
        self.clientID = clientID
        self.ip = ip
        self.route = route
        self.params = params
        self.query = query
        self.headers = headers
        self.identity = identity
        self.channels = channels
    }

    /// A request for trying a hook by hand (`sluice hook test`), with members of `overrides` replacing the
    /// defaults (`hook`, `client`, `route`, `params`, `query`, `headers`, `auth`, `channels`, `durationMs`, `token`).
    public static func sample(_ overrides: JSONObject) throws(SampleError) -> HookRequest {
        func strings(_ key: String) throws(SampleError) -> [String: String] {
            guard let value = overrides[key] else { return [:] }
            guard case .object(let o) = value else { throw SampleError("'\(key)' must be an object of strings") }
            var map: [String: String] = [:]
            for (k, v) in o.members {
                guard let s = v.stringValue else { throw SampleError("'\(key).\(k)' must be a string") }
                map[k] = s
            }
            return map
        }
        var request = HookRequest(
            hook: overrides["hook"]?.stringValue ?? "onConnect",
            clientID: overrides["client"]?["id"]?.stringValue ?? "test-client-0000000000",
            ip: overrides["client"]?["ip"]?.stringValue ?? "127.0.0.1",
            route: overrides["route"]?.stringValue ?? "/test", params: try strings("params"),
            query: try strings("query"), headers: try strings("headers"),
            identity: overrides["auth"]?.objectValue ?? JSONObject(),
            channels: overrides["channels"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        if let ms = overrides["durationMs"]?.doubleValue { request.duration = .milliseconds(Int64(ms)) }
        request.token = overrides["token"]?.stringValue
        return request
    }

    public struct SampleError: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// What a denial without a status or reason answers: 401 for a verifier (`authenticate`), else 403.
    public var denial: HookOutcome.Denial { hook == "authenticate" ? .invalidToken : .refused }

    public var json: JSONValue {
        var o = JSONObject()
        o["hook"] = .string(hook)
        var client = JSONObject()
        client["id"] = .string(clientID)
        client["ip"] = .string(ip)
        o["client"] = .object(client)
        o["route"] = .string(route)
        o["params"] = .object(Self.object(params))
        o["query"] = .object(Self.object(query))
        o["headers"] = .object(Self.object(headers))
        o["auth"] = .object(identity)
        o["channels"] = .array(channels.map { .string($0) })
        if let duration { o["durationMs"] = .integer(Int64(duration / .milliseconds(1))) }
        if let reason { o["reason"] = .string(reason) }
        if let token { o["token"] = .string(token) }
        return .object(o)
    }

    /// `SLUICE_HOOK`, `SLUICE_CLIENT_ID`, `SLUICE_CLIENT_IP`, `SLUICE_ROUTE`, `SLUICE_CHANNEL` (the first),
    /// `SLUICE_CHANNELS` (space-separated), `SLUICE_PARAM_<NAME>`, `SLUICE_QUERY_<NAME>`, `SLUICE_AUTH_<CLAIM>` (top-level
    /// string and number claims), `SLUICE_TOKEN` (verifier hooks only). Names are upper-cased with other characters as
    /// `_`.
    public var environment: [String: String] {
        var env = [
            "SLUICE_HOOK": hook, "SLUICE_CLIENT_ID": clientID, "SLUICE_CLIENT_IP": ip, "SLUICE_ROUTE": route,
            "SLUICE_CHANNELS": channels.joined(separator: " "),
        ]
        if let first = channels.first { env["SLUICE_CHANNEL"] = first }
        for (name, value) in params { env["SLUICE_PARAM_" + Self.variable(name)] = value }
        for (name, value) in query { env["SLUICE_QUERY_" + Self.variable(name)] = value }
        for (name, value) in identity.members {
            switch value {
            case .string(let s): env["SLUICE_AUTH_" + Self.variable(name)] = s
            case .integer(let i): env["SLUICE_AUTH_" + Self.variable(name)] = String(i)
            default: continue
            }
        }
        if let duration { env["SLUICE_DURATION_MS"] = String(Int64(duration / .milliseconds(1))) }
        if let reason { env["SLUICE_REASON"] = reason }
        if let token { env["SLUICE_TOKEN"] = token }
        // Values with NUL cannot be passed; they never reach here (templates refuse them), but be safe.
        return env.filter { !$0.value.contains("\0") }
    }

    static func variable(_ name: String) -> String {
        String(name.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    private static func object(_ map: [String: String]) -> JSONObject {
        var o = JSONObject()
        for key in map.keys.sorted() { o[key] = .string(map[key]!) }
        return o
    }
}
