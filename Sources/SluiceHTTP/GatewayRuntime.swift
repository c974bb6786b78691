import Logging
import NIOCore
import SluiceCore
import SluiceHistory
import SluiceHooks
import SluiceJSON
import Synchronization

/// What every connection of a running gateway shares: the compiled description, the hub, the registry, the
/// metrics and the frames sent to every stream.
final class GatewayRuntime: Sendable {
    let gateway: GatewayDescription
    let hub: ChannelHub
    let registry = ClientRegistry()
    let metrics: GatewayMetrics
    let logger: Logger
    /// This run's epoch: its start time in milliseconds, the first part of every event id.
    let epoch: UInt64
    let stateChannels: Set<String>
    let frames = SSEFrameEncoder()
    /// `retry:` then nothing else: the first chunk of every stream.
    let retryFrame: ByteBuffer
    let heartbeatFrame: ByteBuffer
    let publishRate: PublishRateLimiter
    let states: StateStore
    let hooks: HookRunner
    let auth: AuthVerifiers
    private let shuttingDown = Atomic<Bool>(false)

    init(gateway: GatewayDescription, loops: [any EventLoop], logger: Logger, epochMilliseconds: UInt64) {
        self.gateway = gateway
        self.logger = logger
        epoch = epochMilliseconds
        metrics = GatewayMetrics()
        let channels = gateway.channels
        let history = HistoryStore(epoch: epochMilliseconds, memoryLimit: gateway.limits.historyMemory) { name in
            guard let index = channels.declarationIndex(for: name) else { return .none }
            let spec = channels.declarations[index]
            return HistoryPolicy(
                count: spec.history, age: spec.historyAge, emptyTimeout: spec.emptyTimeout, declaration: index)
        }
        hub = ChannelHub(
            loops: loops, metrics: metrics, slowClientBuffer: gateway.limits.slowClientBuffer, history: history,
            frames: frames)
        stateChannels = Set(gateway.states.map(\.channel))
        publishRate = PublishRateLimiter(rate: gateway.limits.publishRate)
        states = StateStore(specs: gateway.states, hub: hub, frames: frames)
        auth = AuthVerifiers(gateway.auth, logger: logger)
        hooks = HookRunner(
            hooks: Array(gateway.hooks.values), environment: HookRunner.processEnvironment(), loop: loops[0])
        retryFrame = frames.chunk(SSEEncoder.retry(gateway.server.retry))
        let heartbeat =
            gateway.heartbeat.event.map { SSEEncoder.event(name: $0, id: nil, data: "") } ?? SSEEncoder.comment()
        heartbeatFrame = frames.chunk(heartbeat)
    }

    var isShuttingDown: Bool { shuttingDown.load(ordering: .relaxed) }

    func beginShutdown() { shuttingDown.store(true, ordering: .relaxed) }

    /// An SSE event as a ready-to-write chunk: encoded once, written to every subscriber as is.
    func frame(event name: String?, id: String?, data: String) -> ByteBuffer {
        frames.event(name, id: id, data: data)
    }

    /// The id text of a sequence number of this run.
    func eventID(_ sequence: UInt64) -> String {
        EventID(epoch: epoch, sequence: sequence).description
    }

    /// A `subscribed` or `unsubscribed` event: `{"channels": [...]}` (no id: it is about this stream only).
    func channelsFrame(_ event: String, _ channels: [String]) -> ByteBuffer {
        frame(
            event: event, id: nil, data: (["channels": .array(channels.map { .string($0) })] as JSONValue).serialized())
    }

    /// The `end` event a stream gets when the gateway closes it.
    func endFrame(_ reason: String) -> ByteBuffer {
        frame(event: "end", id: nil, data: (["reason": .string(reason)] as JSONValue).serialized())
    }

    /// Logs a hook failure with its name, exit status and stderr tail, and counts it.
    func hookFailed(_ why: String, run: HookRunner.Run, spec: HookSpec, clientID: String?) {
        metrics.hookFailures.add(1, ordering: .relaxed)
        var metadata: Logger.Metadata = [
            "hook.name": "\(spec.name)", "hook.exit": "\(run.exit.map { "\($0)" } ?? "none")",
            "hook.stderr": "\(run.stderrTail.suffix(512))", "hook.onError": "\(spec.onError.rawValue)",
        ]
        if let clientID { metadata["sluice.client.id"] = "\(clientID)" }
        logger.warning("hook failed: \(why)", metadata: metadata)
    }

    /// Whether a concrete channel name is declared (by a channel declaration or a state).
    func isDeclared(_ channel: String) -> Bool {
        // The position only: a declaration is a large value, not worth copying to test it exists.
        gateway.channels.declarationIndex(for: channel) != nil
            || (!stateChannels.isEmpty && stateChannels.contains(channel))
    }

    /// The subscriber limit of a channel: its own, else the gateway-wide one (`0`: none).
    func subscriberLimit(_ channel: String) -> Int {
        let global = gateway.limits.maxSubscribersPerChannel
        guard let own = gateway.channels.declaration(for: channel)?.maxSubscribers, own > 0 else { return global }
        return global > 0 ? min(own, global) : own
    }
}
