import NIOHTTP1
import SluiceAuth
import SluiceCore
import SluiceHooks
import SluiceJSON

/// A stream request on its way through authentication: what the client sent and what has been learned of it.
struct StreamRequest {
    var head: HTTPRequestHead
    var match: RouteTable.Match
    var route: RouteSpec
    var cors: [(String, String)]
    /// The query parameters, without a token read from the query.
    var query: [String: String]
    var identity = JSONObject()
    var grants = ChannelGrants.unrestricted

    init(
        head: HTTPRequestHead, target: RequestTarget, match: RouteTable.Match, route: RouteSpec,
        cors: [(String, String)]
    ) {
        self.head = head
        self.match = match
        self.route = route
        self.cors = cors
        self.query = target.query
    }

    var keepAlive: Bool { head.isKeepAlive }

    /// The response headers of the event stream (CORS included).
    var streamHeaders: [(String, String)] {
        cors + [
            ("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-store"),
            ("X-Accel-Buffering", "no"),
        ]
    }

    /// What a hook is told about this request.
    func hookRequest(hook: String, clientID: String, ip: String, channels: [String]) -> HookRequest {
        var forwarded: [String: String] = [:]
        for (name, value) in head.headers where HookRequest.forwardedHeaders.contains(name.lowercased()) {
            forwarded[name.lowercased()] = value
        }
        return HookRequest(
            hook: hook, clientID: clientID, ip: ip, route: route.pattern.description, params: match.parameters,
            query: query, headers: forwarded, identity: identity, channels: channels)
    }
}
