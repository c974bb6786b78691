import SluiceCore
import SluiceJSON

/// Turns a checked configuration into a ``GatewayDescription``, reporting every semantic problem: addresses,
/// origins, contradictory limits, routes, channel templates, references between sections, hook commands and
/// auth rules.
struct GatewayCompiler {
    var context: CompileContext
    let root: ConfigRecord

    init(root: ConfigRecord, context: CompileContext) {
        self.root = root
        self.context = context
    }

    /// Compiles, or returns `nil` when any error was reported (``context`` holds the diagnostics either way).
    mutating func compile() -> GatewayDescription? {
        let server = compileServer(root["server"]?.record ?? ConfigRecord())
        let heartbeat = compileHeartbeat(root["heartbeat"]?.record ?? ConfigRecord())
        let origins = compileOrigins(root["origins"])
        let limits = compileLimits(root["limits"]?.record ?? ConfigRecord(), heartbeat: heartbeat)
        let hooks = compileHooks(root["hooks"]?.entries ?? [])
        let channels = compileChannels(root["channels"]?.entries ?? [], limits: limits)
        let table = ChannelTable(channels.map(\.spec))
        let states = compileStates(root["states"]?.entries ?? [], channels: channels, table: table)
        let auth = compileAuth(root["auth"]?.record ?? ConfigRecord(), channels: table, states: states)
        let routes = compileRoutes(
            root["routes"]?.list ?? [], server: server, channels: channels, table: table, states: states)
        reportUnused(hooks: hooks, auth: auth, routes: routes)
        guard !context.hasErrors, let server, let heartbeat, let origins, let limits else { return nil }
        return GatewayDescription(
            server: server, heartbeat: heartbeat, origins: origins, limits: limits, auth: auth,
            hooks: Dictionary(uniqueKeysWithValues: hooks.map { ($0.spec.name, $0.spec) }),
            channels: table, states: states.map(\.spec), routes: routes.map(\.spec))
    }

    // MARK: Server, heartbeat, origins, limits

    private mutating func compileServer(_ r: ConfigRecord) -> ServerSettings? {
        let listen = address(r["listen"], "server.listen")
        let api = r["api"]?.record ?? ConfigRecord()
        var apiListen: ListenAddress?
        if let value = api["listen"] {
            apiListen = address(value, "server.api.listen")
            if let apiListen, let listen, apiListen == listen, listen.port != 0 {
                context.error(
                    .badAddress, "'server.api.listen' is the same address as 'server.listen'", value.span,
                    hint: "remove 'server.api.listen' to serve the API under 'server.api.prefix' instead")
            }
        }
        var prefix = api["prefix"]?.string ?? "/_sluice"
        if let value = api["prefix"] {
            if !prefix.hasPrefix("/")
                || prefix.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" || $0 == ":" || $0 == "*" })
            {
                context.error(
                    .invalidValue, "'server.api.prefix' must be a path such as '/_sluice'", value.span,
                    hint: "start it with '/' and use no spaces, '?', '#', ':' or '*'")
            }
            while prefix.count > 1 && prefix.hasSuffix("/") { prefix.removeLast() }
        }
        guard let listen else { return nil }
        return ServerSettings(
            listen: listen, retry: r["retry"]?.duration ?? .seconds(3), threads: r["threads"]?.integer ?? 0,
            shutdownTimeout: r["shutdownTimeout"]?.duration ?? .seconds(5), apiPrefix: prefix, apiListen: apiListen,
            opsRequireAdmin: api["opsRequireAdmin"]?.bool ?? false,
            logLevel: r["log"]?.record?["level"]?.string ?? "info",
            logFormat: r["log"]?.record?["format"]?.string ?? "text")
    }

    private mutating func address(_ value: ConfigValue?, _ path: String) -> ListenAddress? {
        guard let value, let text = value.string else { return nil }
        switch ListenAddress.parse(text) {
        case .success(let a): return a
        case .failure(let e):
            let code: DiagnosticCode = e.message.contains("port") ? .badPort : .badAddress
            context.error(
                code, "'\(path)' is not a listen address: \(e.message)", value.span,
                hint: "write HOST:PORT, as in '127.0.0.1:8080' or '[::1]:8080'")
            return nil
        }
    }

    private mutating func compileHeartbeat(_ r: ConfigRecord) -> HeartbeatSettings? {
        let interval = r["interval"]?.duration ?? .seconds(15)
        if interval < .milliseconds(100), let value = r["interval"] {
            context.error(
                .outOfRange, "'heartbeat.interval' is \(Units.format(interval)); it must be at least 100ms", value.span,
                hint: "15s suits most proxies; browsers need no heartbeat faster than a few seconds")
        }
        if let value = r["event"], let name = value.string {
            if let problem = EventName.problem(name) {
                context.error(.invalidValue, "'heartbeat.event' \(problem)", value.span)
            }
        }
        return HeartbeatSettings(interval: interval, event: r["event"]?.string)
    }

    private mutating func compileOrigins(_ value: ConfigValue?) -> OriginPolicy? {
        var list = value?.list ?? []
        var requireOrigin = false
        if let record = value?.record {
            list = record["allow"]?.list ?? []
            requireOrigin = record["requireOrigin"]?.bool ?? false
        }
        var patterns: [OriginPattern] = []
        for item in list {
            guard let text = item.string else { continue }
            do {
                patterns.append(try OriginPattern(parsing: text))
            } catch {
                context.error(
                    .badOrigin, "'\(text)' is not an origin pattern: \(error.message)", item.span,
                    hint: "write 'https://app.example.com', 'https://*.example.com' or '*'")
            }
        }
        if value == nil { patterns = [.any] }
        return OriginPolicy(patterns: patterns, requireOrigin: requireOrigin)
    }

    private mutating func compileLimits(_ r: ConfigRecord, heartbeat: HeartbeatSettings?) -> LimitSettings? {
        let lifetime = r["connectionLifetime"]?.duration ?? .zero
        let limits = LimitSettings(
            maxConnections: r["maxConnections"]?.integer ?? 10000,
            maxConnectionsPerIP: r["maxConnectionsPerIP"]?.integer ?? 0,
            maxChannelsPerClient: r["maxChannelsPerClient"]?.integer ?? 32,
            maxSubscribersPerChannel: r["maxSubscribersPerChannel"]?.integer ?? 0,
            maxPayload: r["maxPayload"]?.size ?? 64 << 10,
            connectionLifetime: lifetime == .zero ? nil : lifetime,
            slowClientBuffer: r["slowClientBuffer"]?.size ?? 1 << 20,
            maxParamLength: r["maxParamLength"]?.integer ?? 256,
            historyMemory: r["historyMemory"]?.size ?? 64 << 20,
            publishRate: r["publishRate"]?.integer ?? 0)
        if let heartbeat, let lifetimeLimit = limits.connectionLifetime, heartbeat.interval >= lifetimeLimit,
            let value = r["connectionLifetime"]
        {
            context.error(
                .contradictoryLimits,
                "'limits.connectionLifetime' (\(Units.format(lifetimeLimit))) is not longer than 'heartbeat.interval' "
                    + "(\(Units.format(heartbeat.interval))): streams would end before their first heartbeat",
                value.span, hint: "make the lifetime much longer than the heartbeat interval, or shorten the interval")
        }
        if limits.maxConnectionsPerIP > limits.maxConnections, let value = r["maxConnectionsPerIP"] {
            context.error(
                .contradictoryLimits,
                "'limits.maxConnectionsPerIP' (\(limits.maxConnectionsPerIP)) exceeds 'limits.maxConnections' "
                    + "(\(limits.maxConnections))", value.span, hint: "lower it, or set it to 0 for no per-IP limit")
        }
        if limits.maxPayload == 0, let value = r["maxPayload"] {
            context.error(.outOfRange, "'limits.maxPayload' must be larger than 0", value.span)
        }
        if limits.maxPayload > 16 << 20, let value = r["maxPayload"] {
            context.error(
                .outOfRange,
                "'limits.maxPayload' is \(Units.format(bytes: limits.maxPayload)); at most 16MiB is accepted",
                value.span, hint: "SSE suits small events; send a link to large content instead")
        }
        if limits.slowClientBuffer < limits.maxPayload * 2 {
            let value = r["slowClientBuffer"] ?? r["maxPayload"]
            context.error(
                .contradictoryLimits,
                "'limits.slowClientBuffer' (\(Units.format(bytes: limits.slowClientBuffer))) must be at least twice "
                    + "'limits.maxPayload' (\(Units.format(bytes: limits.maxPayload)))",
                value?.span ?? .fileStart, hint: "otherwise one large event would cut off every subscriber")
        }
        if limits.historyMemory < limits.maxPayload, let value = r["historyMemory"] {
            context.error(
                .contradictoryLimits, "'limits.historyMemory' is smaller than 'limits.maxPayload': no event would fit",
                value.span)
        }
        return limits
    }
}
