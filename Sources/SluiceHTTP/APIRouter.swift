import NIOCore
import NIOHTTP1
import SluiceAuth
import SluiceCore
import SluiceJSON

/// The HTTP API under `server.api.prefix`: publish, admin and operations endpoints.
struct APIRouter {
    /// An answer now, or one that needs another event loop first.
    enum Outcome {
        case now(HTTPResponse)
        case later(EventLoopFuture<HTTPResponse>)
    }

    /// Why a request is refused before it is handled.
    struct Refusal: Error {
        var response: HTTPResponse
    }

    let runtime: GatewayRuntime

    func handle(method: HTTPMethod, path: String, query: [String: String], headers: HTTPHeaders, body: ByteBuffer?)
        -> Outcome
    {
        if path == "/publish" {  // the hot path: no segments to split
            guard method == .POST else { return .now(notAllowed("POST")) }
            return .now(publish(headers: headers, body: body))
        }
        let segments = path.split(separator: "/").map(String.init)
        switch (segments.first, segments.count) {
        case ("publish", 1):
            guard method == .POST else { return .now(notAllowed("POST")) }
            return .now(publish(headers: headers, body: body))
        case ("subscriptions", 1):
            guard method == .POST else { return .now(notAllowed("POST")) }
            return subscriptions(body: body)
        case ("states", _):
            return .now(states(method, segments, headers: headers, body: body))
        case ("healthz", 1), ("readyz", 1), ("metrics", 1):
            guard method == .GET || method == .HEAD else { return .now(notAllowed("GET, HEAD")) }
            if runtime.gateway.server.opsRequireAdmin, case .failure(let refusal) = admin(headers) {
                return .now(refusal.response)
            }
            return .now(ops(segments[0]))
        case ("channels", 1):
            guard method == .GET else { return .now(notAllowed("GET")) }
            if case .failure(let refusal) = admin(headers) { return .now(refusal.response) }
            let channels = runtime.hub.counts().map { c -> JSONValue in
                ["name": .string(c.channel), "subscribers": .integer(Int64(c.subscribers))]
            }
            return .now(.json(200, ["channels": .array(channels), "count": .integer(Int64(channels.count))]))
        case ("clients", 1):
            guard method == .GET else { return .now(notAllowed("GET")) }
            if case .failure(let refusal) = admin(headers) { return .now(refusal.response) }
            let clients = runtime.registry.list().map { c -> JSONValue in
                [
                    "id": .string(c.id), "ip": .string(c.ip), "route": .string(c.route),
                    "channels": .array(c.channels.map { .string($0) }), "since": .integer(c.since),
                    "auth": .object(c.identity),
                ]
            }
            return .now(.json(200, ["clients": .array(clients), "count": .integer(Int64(clients.count))]))
        case ("clients", 2):
            guard method == .DELETE else { return .now(notAllowed("DELETE")) }
            if case .failure(let refusal) = admin(headers) { return .now(refusal.response) }
            guard let session = runtime.registry.session(segments[1]) else {
                return .now(.error(404, "No client with this id is connected."))
            }
            let end = runtime.endFrame("disconnected")
            session.shard.loop.execute { session.end(end) }
            return .now(HTTPResponse(status: 204))
        case ("clients", 3) where segments[2] == "channels":
            guard method == .POST else { return .now(notAllowed("POST")) }
            if case .failure(let refusal) = admin(headers) { return .now(refusal.response) }
            return changeChannels(of: segments[1], body: body)
        default:
            return .now(.error(404, "No API endpoint has this path."))
        }
    }

    // MARK: Credentials

    /// The publisher credential presented as `Authorization: Bearer …`, within its request rate.
    func publisher(_ headers: HTTPHeaders) -> Result<CredentialVerifier.Grant, Refusal> {
        let result = credential(headers, role: "publisher")
        if case .success(let grant) = result, let wait = runtime.publishRate.take(grant.label) {
            runtime.metrics.refused(.rateLimited)
            let reason =
                "This token has reached its limit of \(runtime.gateway.limits.publishRate) publish requests per second."
            return .failure(Refusal(response: .error(429, reason, headers: [("Retry-After", String(wait))])))
        }
        return result
    }

    func admin(_ headers: HTTPHeaders) -> Result<CredentialVerifier.Grant, Refusal> {
        credential(headers, role: "admin")
    }

    /// Where API credentials are read from.
    private static let bearer = TokenSource.header("Authorization", scheme: "Bearer")

    private func credential(_ headers: HTTPHeaders, role: String) -> Result<CredentialVerifier.Grant, Refusal> {
        let verifiers = role == "admin" ? runtime.auth.admins : runtime.auth.publishers
        guard let token = Self.bearer.token(query: [:], headers: { headers[$0] }) else {
            runtime.metrics.refused(.unauthorized)
            let failure = AuthFailure(
                status: 401, reason: "Send a \(role) token as 'Authorization: Bearer TOKEN'.", code: nil)
            return .failure(Refusal(response: .error(401, failure.reason, headers: failure.headers)))
        }
        switch verifiers.verify(Substring(token), now: WallClock.unixTime) {
        case .success(let grant):
            return .success(grant)
        case .failure(let failure):
            let other = role == "admin" ? runtime.auth.publishers : runtime.auth.admins
            if other.hasStaticToken(token) {
                runtime.metrics.refused(.forbidden)
                return .failure(Refusal(response: .error(403, "This token is not a \(role) token.")))
            }
            runtime.metrics.refused(.unauthorized)
            return .failure(Refusal(response: .error(failure.status, failure.reason, headers: failure.headers)))
        }
    }

    // MARK: Endpoints

    private func publish(headers: HTTPHeaders, body: ByteBuffer?) -> HTTPResponse {
        let credential: CredentialVerifier.Grant
        switch publisher(headers) {
        case .success(let c): credential = c
        case .failure(let refusal): return refusal.response
        }
        let json: JSONValue
        switch parseJSON(body) {
        case .success(let value): json = value
        case .failure(let refusal): return refusal.response
        }
        switch Publisher(runtime: runtime, credential: credential).publish(json) {
        case .success(let published): return .json(200, serialized: published.answer(line: nil))
        case .failure(let error): return .error(error.status, error.reason)
        }
    }

    private func ops(_ name: String) -> HTTPResponse {
        switch name {
        case "healthz":
            return .json(200, ["status": "ok"])
        case "readyz":
            return runtime.isShuttingDown
                ? .json(503, ["status": "shutting down"], headers: [("Retry-After", "5")])
                : .json(200, ["status": "ready"])
        default:
            return HTTPResponse(
                status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                body: Array(
                    runtime.metrics.render(channels: runtime.hub.channelCount, history: runtime.hub.historyUsage).utf8))
        }
    }

    /// Server-side subscribe and unsubscribe of a connected client: `{"subscribe": […], "unsubscribe": […]}`.
    private func changeChannels(of clientID: String, body: ByteBuffer?) -> Outcome {
        guard let session = runtime.registry.session(clientID) else {
            return .now(.error(404, "No client with this id is connected."))
        }
        let add: [String]
        let remove: [String]
        switch parseChannelChange(body, usage: "Send {\"subscribe\": [channels], \"unsubscribe\": [channels]}.") {
        case .success(let change): (_, add, remove) = change
        case .failure(let refusal): return .now(refusal.response)
        }
        for name in add {
            if let problem = ChannelName.problem(name) {
                return .now(.error(400, "The channel name '\(name.prefix(64))' \(problem)."))
            }
            guard runtime.isDeclared(name) else {
                return .now(.error(404, "The channel '\(name.prefix(64))' matches no declared channel or state."))
            }
        }
        let runtime = self.runtime
        return .later(
            session.shard.loop.submit { () -> HTTPResponse in
                guard !session.isEnded else { return .error(404, "No client with this id is connected.") }
                let (channels, results) = runtime.changeChannels(of: session, add: add, remove: remove)
                return .json(
                    200,
                    [
                        "client": .string(session.id), "channels": .array(channels.map { .string($0) }),
                        "results": .object(results),
                    ])
            })
    }

    /// A JSON object body with optional `subscribe` and `unsubscribe` lists of channel names, or a 400 with `usage`.
    func parseChannelChange(_ body: ByteBuffer?, usage: String) -> Result<
        (json: JSONValue, add: [String], remove: [String]), Refusal
    > {
        let json: JSONValue
        switch parseJSON(body) {
        case .success(let value): json = value
        case .failure(let refusal): return .failure(refusal)
        }
        func names(_ key: String) -> [String]? {
            guard let value = json[key] else { return [] }
            guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else { return nil }
            return list.compactMap(\.stringValue)
        }
        guard case .object = json, let add = names("subscribe"), let remove = names("unsubscribe") else {
            return .failure(Refusal(response: .error(400, usage)))
        }
        return .success((json, add, remove))
    }

    /// Parses a request body as JSON, or refuses it (400) with jansson's line and column.
    func parseJSON(_ body: ByteBuffer?) -> Result<JSONValue, Refusal> {
        do {
            return .success(try JSONValue.parse(body?.readableBytesView ?? ByteBufferView()))
        } catch {
            runtime.metrics.refused(.badRequest)
            let reason = "The body is not JSON: \(error.message) at line \(error.line), column \(error.column)."
            return .failure(Refusal(response: .error(400, reason)))
        }
    }

    private func notAllowed(_ allow: String) -> HTTPResponse {
        .error(405, "This endpoint answers \(allow) only.", headers: [("Allow", allow)])
    }
}
