import Synchronization

/// Counters and gauges for `/metrics`, updated without locks. Labels are bounded: refusal reasons form a
/// closed set, and no metric carries a client id or a channel name.
final class GatewayMetrics: Sendable {
    /// Why a stream or request was refused, as a metric label.
    enum Refusal: String, CaseIterable, Sendable {
        case gatewayFull = "gateway_full"
        case perIPLimit = "per_ip_limit"
        case channelFull = "channel_full"
        case tooManyChannels = "too_many_channels"
        case origin
        case unauthorized
        case forbidden
        case badRequest = "bad_request"
        case shuttingDown = "shutting_down"
        case rateLimited = "rate_limited"
        case hookUnavailable = "hook_unavailable"
        case hookDenied = "hook_denied"
    }

    let connections = Atomic<Int>(0)
    let connectionsTotal = Atomic<Int>(0)
    let subscriptions = Atomic<Int>(0)
    let eventsPublished = Atomic<Int>(0)
    let eventsDelivered = Atomic<Int>(0)
    let bytesWritten = Atomic<Int>(0)
    let slowClientsCut = Atomic<Int>(0)
    let resumes = Atomic<Int>(0)
    let hookRuns = Atomic<Int>(0)
    let hookFailures = Atomic<Int>(0)
    let resets = Atomic<Int>(0)
    let eventsReplayed = Atomic<Int>(0)
    private let refusalCounts = Mutex<[Refusal: Int]>([:])

    func refused(_ reason: Refusal) {
        refusalCounts.withLock { $0[reason, default: 0] += 1 }
    }

    func refusals(_ reason: Refusal) -> Int {
        refusalCounts.withLock { $0[reason] ?? 0 }
    }

    /// The Prometheus text exposition.
    func render(channels: Int, history: (events: Int, bytes: Int, channels: Int)) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: Int) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        metric("sluice_connections", "gauge", "Open SSE streams.", connections.load(ordering: .relaxed))
        metric("sluice_connections_total", "counter", "SSE streams opened.", connectionsTotal.load(ordering: .relaxed))
        metric(
            "sluice_subscriptions", "gauge", "Channel subscriptions of open streams.",
            subscriptions.load(ordering: .relaxed))
        metric("sluice_channels", "gauge", "Channels with at least one subscriber.", channels)
        metric(
            "sluice_events_published_total", "counter", "Events accepted by the publish API.",
            eventsPublished.load(ordering: .relaxed))
        metric(
            "sluice_events_delivered_total", "counter", "Events written to subscribers.",
            eventsDelivered.load(ordering: .relaxed))
        metric(
            "sluice_stream_bytes_written_total", "counter", "Bytes written to SSE streams.",
            bytesWritten.load(ordering: .relaxed))
        metric(
            "sluice_slow_clients_disconnected_total", "counter", "Subscribers cut off for not reading fast enough.",
            slowClientsCut.load(ordering: .relaxed))
        metric(
            "sluice_hook_runs_total", "counter",
            "Hook runs for opening streams (auth verifier and onConnect hooks; cached decisions not counted).",
            hookRuns.load(ordering: .relaxed))
        metric(
            "sluice_hook_failures_total", "counter",
            "Hook runs that failed (exit status, signal, timeout, bad output).",
            hookFailures.load(ordering: .relaxed))
        metric(
            "sluice_resumes_total", "counter", "Streams opened with a Last-Event-ID that got a replay or a reset.",
            resumes.load(ordering: .relaxed))
        metric("sluice_resets_total", "counter", "Resumes that got a reset event.", resets.load(ordering: .relaxed))
        metric(
            "sluice_events_replayed_total", "counter", "Events replayed to resuming streams.",
            eventsReplayed.load(ordering: .relaxed))
        metric("sluice_history_events", "gauge", "Events retained for replay (once per channel).", history.events)
        metric("sluice_history_bytes", "gauge", "Memory counted against limits.historyMemory.", history.bytes)
        metric("sluice_history_channels", "gauge", "Channels the history tracks.", history.channels)
        out += "# HELP sluice_refusals_total Streams and requests refused, by reason.\n"
        out += "# TYPE sluice_refusals_total counter\n"
        for reason in Refusal.allCases {
            out += "sluice_refusals_total{reason=\"\(reason.rawValue)\"} \(refusals(reason))\n"
        }
        return out
    }
}
