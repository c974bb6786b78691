import NIOCore
import NIOHTTP1
import SluiceAuth
import SluiceCore
import SluiceHistory
import SluiceHooks
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
        var request = StreamRequest(head: head, target: target, match: match, route: route, cors: cors)
        guard let ruleName = route.auth else { return resolveStream(request, context: context) }
        guard let verifier = runtime.auth.rules[ruleName] else {
            // Its keys failed to load (logged at start): a temporary refusal, as for any unavailable verifier.
            return refuseTemporarily(
                "auth_unavailable", "This route's token verifier is not available.", .unauthorized,
                request.streamHeaders, context)
        }
        let token = verifier.rule.source.token(query: target.query, headers: { head.headers[$0] })
        if case .query(let name) = verifier.rule.source {
            // The token is a credential: hooks, logs and the admin API never see it as an ordinary parameter.
            request.query[name] = nil
        }
        switch verifier.verify(token, now: WallClock.unixTime) {
        case .failure(let failure):
            return refuseAuth(failure, cors: request.cors, keepAlive: request.keepAlive, context)
        case .success(let identity):
            request.identity = identity
        }
        guard let hookName = verifier.rule.hook, let spec = gateway.hooks[hookName] else {
            request.grants = verifier.grants(for: request.identity)
            return resolveStream(request, context: context)
        }
        // The verifier hook: the onConnect contract plus the token, on a hook thread; the loop serves others.
        var hookRequest = request.hookRequest(hook: "authenticate", clientID: "", ip: remoteIP(context), channels: [])
        hookRequest.token = token
        runtime.hooks.run(spec, hookRequest, on: context.eventLoop).assumeIsolated().whenSuccess { run in
            guard context.channel.isActive, self.isWaiting else { return }
            self.runtime.metrics.hookRuns.add(run.cached ? 0 : 1, ordering: .relaxed)
            switch run.outcome {
            case .allow(_, let claims, _):
                for (key, value) in claims.members { request.identity[key] = value }
                request.grants = verifier.grants(for: request.identity)
                self.resolveStream(request, context: context)
            case .deny(let status, let reason, _):
                // A verifier that just says no (exit 1) answers 401 "The token is not valid." (its request's denial).
                self.refuseAuth(
                    .denied(status: status, reason: reason), cors: request.cors, keepAlive: request.keepAlive,
                    metric: .hookDenied, context)
            case .failure(let why):
                self.runtime.hookFailed(why, run: run, spec: spec, clientID: nil)
                guard spec.onError == .allow else {
                    return self.refuseTemporarily(
                        "hook_unavailable", "The '\(spec.name)' hook failed.", .hookUnavailable,
                        request.streamHeaders, context)
                }
                request.grants = verifier.grants(for: request.identity)
                self.resolveStream(request, context: context)
            }
        }
    }

    /// A permanent auth refusal: 401 with a challenge, or 403; counted once, as `metric` or by its status.
    private func refuseAuth(
        _ failure: AuthFailure, cors: [(String, String)], keepAlive: Bool, metric: GatewayMetrics.Refusal? = nil,
        _ context: ChannelHandlerContext
    ) {
        runtime.metrics.refused(metric ?? (failure.status == 403 ? .forbidden : .unauthorized))
        write(
            HTTPResponse.error(failure.status, failure.reason, headers: cors + failure.headers), keepAlive: keepAlive,
            context: context)
    }

    private func remoteIP(_ context: ChannelHandlerContext) -> String {
        context.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The rest of opening an authenticated stream: channels from the route's templates and the identity, the
    /// identity's channel grants, limits, then the `onConnect` hook.
    private func resolveStream(_ request: StreamRequest, context: ChannelHandlerContext) {
        let gateway = runtime.gateway
        let route = request.route
        let head = request.head
        let match = request.match
        let cors = request.cors
        let keepAlive = request.keepAlive
        let identity = request.identity
        let resolved = StreamChannels.resolve(
            route.channels, parameters: match.parameters, query: request.query,
            identity: { path in Identity.claim(path, in: identity) },
            maxValueLength: gateway.limits.maxParamLength)
        let channels: [String]
        switch resolved {
        case .success(let names): channels = names
        case .failure(let failure):
            runtime.metrics.refused(.badRequest)
            return write(HTTPResponse.error(400, failure.reason, headers: cors), keepAlive: keepAlive, context: context)
        }
        if let denied = channels.first(where: { !request.grants.permits($0) }) {
            return refuseAuth(
                .forbidden("Your credentials do not grant the channel '\(denied.prefix(64))'."), cors: cors,
                keepAlive: keepAlive, context)
        }
        if channels.count > gateway.limits.maxChannelsPerClient {
            runtime.metrics.refused(.tooManyChannels)
            let reason =
                "This route would subscribe to \(channels.count) channels; at most \(gateway.limits.maxChannelsPerClient) are allowed."
            return write(HTTPResponse.error(403, reason, headers: cors), keepAlive: keepAlive, context: context)
        }
        let headers = request.streamHeaders
        if head.method == .HEAD {
            return write(HTTPResponse(status: 200, headers: headers), keepAlive: keepAlive, context: context)
        }
        if runtime.isShuttingDown {
            return refuseTemporarily("shutting_down", "The gateway is shutting down.", .shuttingDown, headers, context)
        }
        let hookRequest = request.hookRequest(
            hook: "onConnect", clientID: ClientID.make(), ip: remoteIP(context), channels: channels)
        let opening = Opening(
            head: head, route: route, request: hookRequest, headers: headers, keepAlive: keepAlive, cors: cors,
            grants: request.grants)
        guard let hookName = route.onConnect, let spec = gateway.hooks[hookName] else {
            return admitStream(opening, context: context)
        }
        // The hook runs on a hook thread; the connection waits (reading nothing) and the loop serves others.
        runtime.hooks.run(spec, hookRequest, on: context.eventLoop).assumeIsolated().whenSuccess { run in
            guard context.channel.isActive, self.isWaiting else { return }
            self.runtime.metrics.hookRuns.add(run.cached ? 0 : 1, ordering: .relaxed)
            self.decide(run, hook: spec, opening: opening, context: context)
        }
    }

    /// What an `onConnect` hook's answer means for the stream being opened.
    private func decide(_ run: HookRunner.Run, hook spec: HookSpec, opening: Opening, context: ChannelHandlerContext) {
        var opening = opening
        var outcome = run.outcome
        if case .allow(let extra, _, _) = outcome,
            let problem = problem(adding: extra, to: opening.request.channels, grants: opening.grants)
        {
            outcome = .failure("answered \(problem)")
        }
        switch outcome {
        case .allow(let extra, let claims, _):
            for channel in extra where !opening.request.channels.contains(channel) {
                opening.request.channels.append(channel)
            }
            for (key, value) in claims.members { opening.request.identity[key] = value }
            admitStream(opening, context: context)
        case .deny(let status, let reason, _):
            refuseAuth(
                .denied(status: status, reason: reason), cors: opening.cors, keepAlive: opening.keepAlive,
                metric: .hookDenied, context)
        case .failure(let why):
            runtime.hookFailed(why, run: run, spec: spec, clientID: opening.request.clientID)
            if spec.onError == .allow { return admitStream(opening, context: context) }
            refuseTemporarily(
                "hook_unavailable", "The '\(spec.name)' hook failed.", .hookUnavailable, opening.headers, context)
        }
    }

    /// Why a hook's extra channels cannot be granted, if they cannot.
    private func problem(adding extra: [String], to channels: [String], grants: ChannelGrants) -> String? {
        for channel in extra {
            if ChannelName.problem(channel) != nil || !runtime.isDeclared(channel) {
                return "a channel that is not declared: '\(channel.prefix(64))'"
            }
            if !grants.permits(channel) {
                return "a channel the client's credentials do not grant: '\(channel.prefix(64))'"
            }
        }
        let total = Set(channels + extra).count
        if total > runtime.gateway.limits.maxChannelsPerClient {
            return "\(total) channels, more than maxChannelsPerClient"
        }
        return nil
    }

    /// Admits an authorized stream: connection limits, subscriptions and replay, then the first events.
    private func admitStream(_ opening: Opening, context: ChannelHandlerContext) {
        let gateway = runtime.gateway
        let headers = opening.headers
        let head = opening.head
        let channels = opening.request.channels
        let ip = opening.request.ip
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
            id: opening.request.clientID, ip: ip, route: opening.route.pattern.description,
            since: WallClock.unixSeconds, context: context, shard: shard)
        if let name = opening.route.onDisconnect, let spec = gateway.hooks[name] {
            session.onDisconnect = (spec, opening.request)
        }
        var secret: String?
        if !opening.route.subscribeAllow.isEmpty {
            let value = ClientID.make()
            secret = value
            session.dynamic = DynamicSubscriptions(
                secret: Secret(value), allow: opening.route.subscribeAllow,
                onSubscribe: opening.route.onSubscribe.flatMap { gateway.hooks[$0] }, request: opening.request,
                grants: opening.grants)
        }
        // Last-Event-ID as a header, or as a query parameter for clients that cannot set headers.
        let lastEventID = head.headers.first(name: "Last-Event-ID") ?? opening.request.query["lastEventId"]
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
                id: session.id, ip: ip, route: session.route, channels: channels, since: session.since,
                identity: opening.request.identity))
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
        var connected: JSONValue = ["client": .string(session.id), "channels": .array(channels.map { .string($0) })]
        if let secret, case .object(var o) = connected {
            // Proves to POST {prefix}/subscriptions that a request comes from this stream's client.
            o["secret"] = .string(secret)
            connected = .object(o)
        }
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
        // Best effort, never delaying the close: a full hook queue drops the call (and counts it).
        if let (spec, base) = session.onDisconnect {
            var request = base
            request.hook = "onDisconnect"
            request.channels = session.channels
            request.duration = ContinuousClock.now - session.opened
            let metrics = runtime.metrics
            runtime.hooks.run(spec, request, on: session.shard.loop).whenSuccess { run in
                if case .failure = run.outcome { metrics.hookFailures.add(1, ordering: .relaxed) }
            }
        }
    }

    /// A temporary refusal on a stream route: a 200 event stream with `retry:` and an `error` event, then close,
    /// so a browser's `EventSource` comes back later instead of giving up.
    func refuseTemporarily(
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
}

/// A stream request that passed the checks made before its `onConnect` hook, with what the hook is told.
struct Opening {
    var head: HTTPRequestHead
    var route: RouteSpec
    var request: HookRequest
    /// The stream's response headers (CORS included).
    var headers: [(String, String)]
    var keepAlive: Bool
    var cors: [(String, String)]
    /// What the client's credentials let it subscribe to (dynamic subscriptions included).
    var grants: ChannelGrants
}
