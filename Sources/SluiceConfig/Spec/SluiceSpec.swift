import SluiceJSON

/// The Sluice configuration language: every key, its type, default and meaning.
///
/// This is the one source of truth: the checker, the JSON Schema (`sluice schema`) and the README's
/// reference are all derived from it.
public enum SluiceSpec {
    public static let root = RecordSpec([
        FieldSpec("version", .version, "Configuration format version. Always `1`.", required: true, example: 1),
        FieldSpec("server", .record(server), "Listening address, the API and process settings.", default: [:]),
        FieldSpec("heartbeat", .record(heartbeat), "Keep-alive traffic on idle streams.", default: [:]),
        FieldSpec(
            "origins", .either([.list(.string(.origin)), .record(originsObject)]),
            "Browser origins allowed to connect: exact (`https://app.example.com`), any subdomain "
                + "(`https://*.example.com`) or `*` (any origin, never with credentials). A list, or a mapping with "
                + "`allow` and `requireOrigin`.",
            default: ["*"], example: ["https://app.example.com", "https://*.example.com"]),
        FieldSpec("limits", .record(limits), "Gateway-wide limits.", default: [:]),
        FieldSpec(
            "auth", .record(auth), "API credentials and the rules routes authenticate clients with.", default: [:]),
        FieldSpec(
            "hooks", .map(MapSpec(keyDescription: "hook name", keyKind: .name, value: .record(hook))),
            "External commands that decide on connect, subscribe and disconnect, exchanging JSON.", default: [:]),
        FieldSpec(
            "channels",
            .map(
                MapSpec(keyDescription: "channel name or template", keyKind: .channelTemplate, value: .record(channel))),
            "Channel declarations, by name (`news`) or template (`user:{id}`). Routes may only use declared channels.",
            default: [:]),
        FieldSpec(
            "states", .map(MapSpec(keyDescription: "state name", keyKind: .name, value: .record(state))),
            "Reactive values broadcast on their channel when they change.", default: [:]),
        FieldSpec("routes", .list(.record(route)), "Stream routes clients connect to.", default: []),
    ])

    static let server = RecordSpec([
        FieldSpec(
            "listen", .string(.address), "Address and port of the main listener (`HOST:PORT`, IPv6 in brackets).",
            default: "127.0.0.1:8080", example: "0.0.0.0:8080"),
        FieldSpec(
            "retry", .duration, "Reconnect delay sent to clients as the stream's first `retry:` line.", default: "3s"),
        FieldSpec(
            "threads", .integer(min: 0, max: 256), "Event-loop threads; `0` means one per CPU core.", default: 0),
        FieldSpec(
            "shutdownTimeout", .duration,
            "On SIGTERM or SIGINT, how long to wait for streams to take their `end` event.",
            default: "5s"),
        FieldSpec("api", .record(api), "The publish, state and admin API.", default: [:]),
        FieldSpec("log", .record(log), "Logging.", default: [:]),
    ])

    static let api = RecordSpec([
        FieldSpec("prefix", .string(.urlPath), "Path prefix of the API on the main listener.", default: "/_sluice"),
        FieldSpec(
            "listen", .string(.address), "Serve the API on its own listener instead (for example a private address).",
            example: "127.0.0.1:8081"),
        FieldSpec(
            "opsRequireAdmin", .boolean, "Whether `/healthz`, `/readyz` and `/metrics` need an admin token.",
            default: false),
    ])

    static let log = RecordSpec([
        FieldSpec(
            "level", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
            "Lowest level logged.",
            default: "info"),
        FieldSpec("format", .choice(["text", "json"]), "Log line format.", default: "text"),
    ])

    static let heartbeat = RecordSpec(
        [
            FieldSpec("interval", .duration, "Time between heartbeats on an idle stream.", default: "15s"),
            FieldSpec(
                "event", .string(.eventName),
                "Send heartbeats as an event with this name; without it a comment line (`:`) is sent, which "
                    + "`EventSource` ignores.", example: "ping"),
        ], nullIsEmpty: true)

    static let originsObject = RecordSpec([
        FieldSpec("allow", .list(.string(.origin)), "Allowed origins, as in the list form.", default: ["*"]),
        FieldSpec(
            "requireOrigin", .boolean, "Refuse requests without an `Origin` header (servers and curl send none).",
            default: false),
    ])

    static let limits = RecordSpec(
        [
            FieldSpec("maxConnections", .integer(min: 1, max: 10_000_000), "Open streams in all.", default: 10000),
            FieldSpec(
                "maxConnectionsPerIP", .integer(min: 0, max: 10_000_000),
                "Open streams per client IP; `0` means unlimited (the right choice behind a proxy).", default: 0),
            FieldSpec(
                "maxChannelsPerClient", .integer(min: 1, max: 100_000), "Channels one stream may be subscribed to.",
                default: 32),
            FieldSpec(
                "maxSubscribersPerChannel", .integer(min: 0, max: 10_000_000),
                "Subscribers per channel; `0` means unlimited.", default: 0),
            FieldSpec("maxPayload", .size, "Largest event data accepted by the publish API.", default: "64KiB"),
            FieldSpec(
                "connectionLifetime", .duration,
                "Longest a stream stays open; the gateway then sends `end` and closes it. `0` means no limit.",
                default: "0", example: "12h"),
            FieldSpec(
                "slowClientBuffer", .size,
                "Unsent bytes a subscriber may pile up before it is disconnected (it resumes with Last-Event-ID).",
                default: "1MiB"),
            FieldSpec(
                "maxParamLength", .integer(min: 1, max: 4096),
                "Longest path or query value, in bytes, that may fill a channel template.", default: 256),
            FieldSpec("historyMemory", .size, "Memory all channel histories may use together.", default: "64MiB"),
            FieldSpec(
                "publishRate", .integer(min: 0, max: 10_000_000),
                "Publish requests per second per publisher token; `0` means unlimited.", default: 0),
        ], nullIsEmpty: true)

    static let credential = RecordSpec([
        FieldSpec("name", .string(.name), "A label for logs and metrics (the token never appears)."),
        FieldSpec(
            "token", .string(.secret),
            "A static bearer token. Write `${VARIABLE}` and keep the value in the environment.",
            example: "${SLUICE_PUBLISH_TOKEN}", secret: true),
        FieldSpec("jwt", .record(jwt), "Instead of `token`: accept JSON Web Tokens signed with these keys."),
        FieldSpec(
            "channels", .list(.string(.channelPattern)),
            "Channel patterns this credential may publish to (`*` matches any text); empty means all.", default: [],
            example: ["news", "user:*"]),
        FieldSpec(
            "channelsClaim", .string(.name),
            "With `jwt`: the claim listing the channel patterns a token may publish to (within `channels`).",
            example: "channels"),
    ])

    static let auth = RecordSpec(
        [
            FieldSpec("publishers", .list(.record(credential)), "Tokens for the publish and state API.", default: []),
            FieldSpec("admins", .list(.record(credential)), "Tokens for the admin API.", default: []),
            FieldSpec(
                "rules", .map(MapSpec(keyDescription: "rule name", keyKind: .name, value: .record(authRule))),
                "Named client authentication rules that routes refer to with `auth:`.", default: [:]),
        ], nullIsEmpty: true)

    static let tokenSource = RecordSpec([
        FieldSpec("query", .string(.name), "Read the token from this query parameter (discouraged: URLs get logged)."),
        FieldSpec("header", .string(.headerName), "Read the token from this request header.", example: "Authorization"),
        FieldSpec("scheme", .string(.name), "With `header`: the scheme before the token.", example: "Bearer"),
        FieldSpec("cookie", .string(.name), "Read the token from this cookie."),
    ])

    static let staticToken = RecordSpec([
        FieldSpec("token", .string(.secret), "The token.", required: true, secret: true),
        FieldSpec(
            "identity", .json, "The identity (claims) the token stands for.", default: [:], example: ["sub": "42"]),
    ])

    static let jwt = RecordSpec([
        FieldSpec("hs256", .string(.secret), "HMAC-SHA256 shared secret (at least 32 bytes).", secret: true),
        FieldSpec("hs384", .string(.secret), "HMAC-SHA384 shared secret (at least 48 bytes).", secret: true),
        FieldSpec("hs512", .string(.secret), "HMAC-SHA512 shared secret (at least 64 bytes).", secret: true),
        FieldSpec(
            "rs256", .string(.filePath),
            "RSA public key (2048 bits or more): a PEM file, or the PEM text itself (e.g. `${JWT_PUBLIC_KEY}`)."),
        FieldSpec(
            "es256", .string(.filePath),
            "EC P-256 public key: a PEM file, or the PEM text itself (e.g. `${JWT_PUBLIC_KEY}`)."),
        FieldSpec("jwks", .string(.filePath), "JWKS file with the verification keys (RS256 and ES256)."),
        FieldSpec("issuer", .string(.text), "Required `iss` claim."),
        FieldSpec("audience", .string(.text), "Required `aud` claim (or one of the `aud` list)."),
        FieldSpec("leeway", .duration, "Clock skew tolerated on `exp` and `nbf`.", default: "30s"),
        FieldSpec("required", .list(.string(.name)), "Claims every token must carry.", default: []),
    ])

    static let authRule = RecordSpec([
        FieldSpec("token", .record(tokenSource), "Where the client's token is read from.", required: true),
        FieldSpec("static", .list(.record(staticToken)), "Accept these tokens."),
        FieldSpec("jwt", .record(jwt), "Accept JSON Web Tokens signed with these keys."),
        FieldSpec(
            "hook", .string(.name),
            "Verify with this hook (the `onConnect` contract, with the token), after the other verifiers."),
        FieldSpec(
            "channelsClaim", .string(.name),
            "The identity claim listing the channel patterns a client may subscribe to (a list, or one string of "
                + "space-separated patterns); when set, nothing outside them is allowed, dynamically too.",
            example: "channels"),
    ])

    static let hookEnv = RecordSpec([
        FieldSpec(
            "vars", .map(MapSpec(keyDescription: "variable", keyKind: .name, value: .string(.text))),
            "Variables set for the hook.", default: [:]),
        FieldSpec(
            "inherit", .list(.string(.name)), "Variables passed through from the gateway's environment; no other is.",
            default: [], example: ["PATH", "HOME"]),
    ])

    static let hook = RecordSpec([
        FieldSpec(
            "command", .either([.string(.filePath), .list(.string(.text))]),
            "The program and its arguments, as a list (never run through a shell unless you write `sh -c`). "
                + "A relative path is relative to the configuration file.",
            required: true, example: ["./hooks/check-ticket.sh"]),
        FieldSpec("timeout", .duration, "Longest a run may take before its process group is killed.", default: "1s"),
        FieldSpec("maxOutput", .size, "Most bytes read from the hook's stdout and stderr.", default: "64KiB"),
        FieldSpec("env", .record(hookEnv), "The hook's environment.", default: [:]),
        FieldSpec("cwd", .string(.filePath), "Working directory; defaults to the configuration file's directory."),
        FieldSpec(
            "cache", .duration, "How long a decision is reused for the same inputs; `0` disables it.", default: "0"),
        FieldSpec("concurrency", .integer(min: 1, max: 4096), "Runs at once.", default: 16),
        FieldSpec("queue", .integer(min: 0, max: 1_000_000), "Runs that may wait for a free slot.", default: 256),
        FieldSpec(
            "onError", .choice(["deny", "allow"]),
            "What a failure (crash, timeout, bad output) means: refuse (temporarily) or let the client in.",
            default: "deny"),
        FieldSpec(
            "mode", .choice(["exec", "persistent"]),
            "`exec` runs the command per request; `persistent` keeps one process speaking newline-delimited JSON.",
            default: "exec"),
    ])

    static let channel = RecordSpec(
        [
            FieldSpec("history", .integer(min: 0, max: 1_000_000), "Events kept for Last-Event-ID replay.", default: 0),
            FieldSpec("historyAge", .duration, "Oldest event kept for replay; `0` means no age limit.", default: "0"),
            FieldSpec(
                "maxSubscribers", .integer(min: 0, max: 10_000_000),
                "Subscribers allowed; `0` uses `limits.maxSubscribersPerChannel`.", default: 0),
            FieldSpec(
                "emptyTimeout", .duration,
                "Makes the channel temporary: freed, with its history, after being empty this long.", example: "10m"),
            FieldSpec("description", .string(.text), "What the channel carries, for `sluice explain`."),
        ], nullIsEmpty: true)

    static let state = RecordSpec([
        FieldSpec(
            "channel", .string(.channelName), "The channel the state's changes are broadcast on.", required: true),
        FieldSpec("initial", .json, "The value at start.", default: nil, example: ["home": 0, "away": 0]),
        FieldSpec(
            "key", .string(.name), "The key wrapping the value in event data (`{\"value\": 3}`).", default: "value"),
        FieldSpec("counts", .string(.channelName), "Make the state a counter of this channel's subscribers."),
        FieldSpec(
            "persist", .boolean,
            "Reserved: saving values across restarts is not supported yet (states live in memory).",
            default: false),
        FieldSpec("description", .string(.text), "What the state holds."),
    ])

    static let subscribe = RecordSpec([
        FieldSpec(
            "allow", .list(.string(.channelPattern)), "Channel patterns a client may add over the subscriptions API.",
            default: [], example: ["room:*"]),
        FieldSpec("onSubscribe", .string(.name), "Hook asked before each dynamic subscription."),
    ])

    static let route = RecordSpec([
        FieldSpec(
            "path", .string(.routePath), "Path pattern: `:name` parameters, a final `*name` catch-all.", required: true,
            example: "/events/users/:id"),
        FieldSpec(
            "channels", .list(.string(.channelTemplate)),
            "Channels every connection subscribes to: templates filled from path parameters (`{id}`), the query "
                + "(`{query.room}`) and the identity (`{auth.sub}`).", default: [], example: ["news", "user:{id}"]),
        FieldSpec("auth", .string(.name), "The `auth.rules` entry clients must satisfy."),
        FieldSpec("onConnect", .string(.name), "Hook asked before the stream opens."),
        FieldSpec("onDisconnect", .string(.name), "Hook told after the stream ends (best effort)."),
        FieldSpec("subscribe", .record(subscribe), "Dynamic subscriptions over the API."),
        FieldSpec("description", .string(.text), "What the route is for, for `sluice explain`."),
    ])
}
