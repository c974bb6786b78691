import NIOCore
import SluiceCore
import SluiceHooks
import SluiceJSON

extension APIRouter {
    /// `POST /subscriptions` `{"client", "secret", "subscribe": [...], "unsubscribe": [...]}`: a client changes its
    /// own stream's channels. Each channel to add must match the route's `subscribe.allow` patterns, fit
    /// the client's credential grants (an auth rule's `channelsClaim`), `maxChannelsPerClient` and the channel's
    /// subscriber limit, and pass the route's `onSubscribe` hook (run once per
    /// channel). The answer has a result per channel; the stream gets `subscribed` and `unsubscribed` events.
    func subscriptions(body: ByteBuffer?) -> Outcome {
        let json: JSONValue
        let add: [String]
        let remove: [String]
        let usage = "Send {\"client\", \"secret\", \"subscribe\": [channels], \"unsubscribe\": [channels]}."
        switch parseChannelChange(body, usage: usage) {
        case .success(let change): (json, add, remove) = change
        case .failure(let refusal): return .now(refusal.response)
        }
        // One answer for an unknown client and a wrong secret: ids cannot be probed.
        let mismatch = HTTPResponse.error(403, "The client id and secret do not match a stream that may subscribe.")
        guard let clientID = json["client"]?.stringValue, let secret = json["secret"]?.stringValue,
            let session = runtime.registry.session(clientID), let dynamic = session.dynamic,
            dynamic.secret.matches(secret)
        else {
            runtime.metrics.refused(.unauthorized)
            return .now(mismatch)
        }
        guard add.count + remove.count <= 2 * runtime.gateway.limits.maxChannelsPerClient else {
            return .now(.error(400, "Too many channels in one request."))
        }
        var refusals: [String: String] = [:]
        var candidates: [String] = []
        for name in add where refusals[name] == nil && !candidates.contains(name) {
            if let problem = ChannelName.problem(name) {
                refusals[name] = "the name \(problem)"
            } else if !dynamic.permits(name) {
                refusals[name] = "not allowed on this route"
            } else if !dynamic.grants.permits(name) {
                refusals[name] = "not granted by your credentials"
            } else if !runtime.isDeclared(name) {
                refusals[name] = "not a declared channel"
            } else {
                candidates.append(name)
            }
        }
        let loop = session.shard.loop
        let runtime = self.runtime
        let early = refusals
        // Ask the hook about each candidate (on hook threads), then apply everything on the stream's own loop.
        let verdicts: [EventLoopFuture<(String, HookOutcome?)>] = candidates.map { channel in
            guard let spec = dynamic.onSubscribe else { return loop.makeSucceededFuture((channel, nil)) }
            var request = dynamic.request
            request.hook = "onSubscribe"
            request.channels = [channel]
            return runtime.hooks.run(spec, request, on: loop).map { run in
                if case .failure(let why) = run.outcome {
                    runtime.hookFailed(why, run: run, spec: spec, clientID: clientID)
                }
                return (channel, run.outcome)
            }
        }
        return .later(
            EventLoopFuture.whenAllSucceed(verdicts, on: loop).map { verdicts -> HTTPResponse in
                guard !session.isEnded else { return mismatch }
                var refusals = early
                for (name, outcome) in verdicts where !session.channels.contains(name) {
                    switch outcome {
                    case .deny(_, let reason, _)?: refusals[name] = reason
                    case .failure? where dynamic.onSubscribe?.onError != .allow:
                        refusals[name] = "the subscription hook is unavailable"
                    default: break
                    }
                }
                let (channels, results) = runtime.changeChannels(
                    of: session, add: add, remove: remove, refusals: refusals)
                return .json(
                    200,
                    [
                        "client": .string(session.id), "channels": .array(channels.map { .string($0) }),
                        "results": .object(results),
                    ])
            })
    }
}
