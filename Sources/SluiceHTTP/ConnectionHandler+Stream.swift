import NIOCore
import NIOHTTP1
import SluiceCore
import SluiceHistory
import SluiceJSON

extension ConnectionHandler {
    /// Opens an SSE stream on a matched route, or refuses it the way `EventSource` understands: permanent
    /// refusals are 4xx with a reason, temporary ones a 200 stream with `retry:` and an `error` event.
    func openStream(
        head: HTTPRequestHead, target: RequestTarget, match: RouteTable.Match, cors: [(String, String)],
        context: ChannelHandlerContext
    ) {
        let gateway = runtime.gateway
        let route = gateway.routes[match.route]
        let keepAlive = head.isKeepAlive
        var identity: JSONObject?
        if let ruleName = route.auth, let rule = gateway.auth.rules[ruleName] {
            switch StaticTokenAuthenticator.authenticate(rule, head: head, query: target.query) {
            case .success(let claims):
                identity = claims
            case .failure(let failure):
                runtime.metrics.refused(.unauthorized)
                let headers = cors + (failure.status == 401 ? [("WWW-Authenticate", "Bearer realm=\"sluice\"")] : [])
                return write(
                    HTTPResponse.error(failure.status, failure.reason, headers: headers), keepAlive: keepAlive,
                    context: context)
            }
        }
        let resolved = StreamChannels.resolve(
            route.channels, parameters: match.parameters, query: target.query,
            identity: { path in identity.flatMap { Self.claim(path, in: $0) } },
            maxValueLength: gateway.limits.maxParamLength)
        let channels: [String]
        switch resolved {
        case .success(let names): channels = names
        case .failure(let failure):
            runtime.metrics.refused(.badRequest)
            return write(HTTPResponse.error(400, failure.reason, headers: cors), keepAlive: keepAlive, context: context)
        }
        if channels.count > gateway.limits.maxChannelsPerClient {
            runtime.metrics.refused(.tooManyChannels)
            let reason =
                "This route would subscribe to \(channels.count) channels; at most \(gateway.limits.maxChannelsPerClient) are allowed."
            return write(HTTPResponse.error(403, reason, headers: cors), keepAlive: keepAlive, context: context)
        }
        let headers =
            cors + [
                ("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-store"),
                ("X-Accel-Buffering", "no"),
            ]
        if head.method == .HEAD {
            return write(HTTPResponse(status: 200, headers: headers), keepAlive: keepAlive, context: context)
        }
        if runtime.isShuttingDown {
            return refuseTemporarily("shutting_down", "The gateway is shutting down.", .shuttingDown, headers, context)
        }
        // Hooks do not run in this version. A hook that cannot run is a hook failure, so its onError policy
        // decides: 'deny' (the default) refuses temporarily, 'allow' lets the client in. Never fail open silently.
        let ruleHook = route.auth.flatMap { gateway.auth.rules[$0]?.hook }
        for name in [ruleHook, route.onConnect].compactMap({ $0 }) where gateway.hooks[name]?.onError != .allow {
            return refuseTemporarily(
                "hook_unavailable", "The '\(name)' hook is unavailable.", .hookUnavailable, headers, context)
        }
        let ip = context.channel.remoteAddress?.ipAddress ?? "unknown"
        switch runtime.registry.admit(
            ip: ip, maxConnections: gateway.limits.maxConnections, maxPerIP: gateway.limits.maxConnectionsPerIP)
        {
        case .admitted: break
        case .gatewayFull:
            return refuseTemporarily(
                "gateway_full", "The gateway has reached its connection limit.", .gatewayFull, headers, context)
        case .perIPLimit:
            return refuseTemporarily(
                "per_ip_limit", "Too many streams are open from this address.", .perIPLimit, headers, context)
        }

        let shard = runtime.hub.shard(for: context.eventLoop)
        let session = StreamSession(
            id: ClientID.make(), ip: ip, route: route.pattern.description, since: WallClock.unixSeconds,
            context: context,
            shard: shard)
        // Last-Event-ID as a header, or as a query parameter for clients that cannot set headers.
        let lastEventID = head.headers.first(name: "Last-Event-ID") ?? target.query["lastEventId"]
        let states = runtime.stateChannels
        let plan: ResumePlan
        switch runtime.hub.open(
            session, channels: channels, limit: runtime.subscriberLimit, lastEventID: lastEventID,
            covered: { states.contains($0) })
        {
        case .success(let p): plan = p
        case .failure(let full):
            runtime.registry.release(ip: ip)
            return refuseTemporarily(
                "channel_full", "The channel '\(full.channel.prefix(64))' has reached its subscriber limit.",
                .channelFull, headers, context)
        }
        session.setChannels(channels)
        shard.attach(session)
        runtime.registry.register(
            session,
            info: ClientRegistry.Info(
                id: session.id, ip: ip, route: session.route, channels: channels, since: session.since))
        runtime.metrics.connections.add(1, ordering: .relaxed)
        runtime.metrics.connectionsTotal.add(1, ordering: .relaxed)
        runtime.metrics.subscriptions.add(channels.count, ordering: .relaxed)
        becomeStreaming(session)

        let allocator = context.channel.allocator
        context.write(
            wrapOutboundOut(
                HTTPWire.head(status: 200, headers: headers + [("Transfer-Encoding", "chunked")], allocator: allocator)),
            promise: nil)
        context.write(wrapOutboundOut(runtime.retryFrame), promise: nil)
        let connected: JSONValue = ["client": .string(session.id), "channels": .array(channels.map { .string($0) })]
        // A fresh stream's `connected` carries the position it starts from, so that a browser reconnecting before
        // any event still resumes from there. A resumed stream's does not: its position moves with the replay.
        let position = lastEventID == nil ? runtime.eventID(plan.through) : nil
        session.send(runtime.frame(event: "connected", id: position, data: connected.serialized()), at: .now())
        // Before live events: what the stream missed, then resets for what it cannot get back, then the current
        // value of every state on its channels (deliveries queued for this loop run after this task, and live
        // events arriving during a long replay wait behind it).
        var before = plan.replay
        for reset in plan.resets {
            let data: JSONValue = [
                "reason": .string(reset.reason.rawValue), "channels": .array(reset.channels.map { .string($0) }),
            ]
            before.append(runtime.frame(event: "reset", id: runtime.eventID(plan.through), data: data.serialized()))
        }
        before += runtime.states.snapshot(for: channels)
        session.startReplay(before, heldLimit: gateway.limits.slowClientBuffer)
        if !plan.replay.isEmpty || !plan.resets.isEmpty {
            runtime.metrics.resumes.add(1, ordering: .relaxed)
            runtime.metrics.eventsReplayed.add(plan.replay.count, ordering: .relaxed)
            if !plan.resets.isEmpty { runtime.metrics.resets.add(1, ordering: .relaxed) }
        }
        if let lifetime = gateway.limits.connectionLifetime {
            let end = runtime.endFrame("lifetime")
            session.lifetimeTimer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(lifetime / .nanoseconds(1))))
            {
                session.end(end)
            }
        }
        runtime.logger.debug(
            "stream opened",
            metadata: [
                "sluice.client.id": "\(session.id)", "sluice.route": "\(session.route)",
                "sluice.channels": "\(channels.count)",
            ])
    }

    /// Removes a closed stream from every channel and from the registry.
    func closeStream(_ session: StreamSession) {
        session.markEnded()
        for channel in session.channels { runtime.hub.unsubscribe(session, from: channel) }
        session.shard.detach(session)
        runtime.registry.unregister(session.id)
        runtime.registry.release(ip: session.ip)
        runtime.metrics.connections.add(-1, ordering: .relaxed)
        runtime.metrics.subscriptions.add(-session.channels.count, ordering: .relaxed)
        becomeClosed()
    }

    /// A temporary refusal on a stream route: a 200 event stream with `retry:` and an `error` event, then close,
    /// so a browser's `EventSource` comes back later instead of giving up.
    private func refuseTemporarily(
        _ code: String, _ reason: String, _ metric: GatewayMetrics.Refusal, _ headers: [(String, String)],
        _ context: ChannelHandlerContext
    ) {
        runtime.metrics.refused(metric)
        becomeClosed()
        let allocator = context.channel.allocator
        var buffer = HTTPWire.head(
            status: 200, headers: headers + [("Transfer-Encoding", "chunked"), ("Connection", "close")],
            allocator: allocator)
        var retry = runtime.retryFrame
        buffer.writeBuffer(&retry)
        let data: JSONValue = ["code": .string(code), "reason": .string(reason)]
        var error = runtime.frame(event: "error", id: nil, data: data.serialized())
        buffer.writeBuffer(&error)
        buffer.writeBytes(HTTPWire.lastChunk)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    static func claim(_ path: String, in identity: JSONObject) -> String? {
        var value: JSONValue = .object(identity)
        for key in path.split(separator: ".") {
            guard let next = value[String(key)] else { return nil }
            value = next
        }
        switch value {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .bool(let b): return String(b)
        default: return nil
        }
    }

}
