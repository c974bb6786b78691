import SluiceJSON

/// What a benchmark run measured, as JSON or as a summary for people.
public struct BenchReport: Sendable {
    let options: BenchOptions
    public let established: Int
    public let failed: Int
    let connect: LatencyHistogram
    let connectSeconds: Double
    public let published: Int
    let requests: Int
    public let delivered: UInt64
    let deliverySeconds: Double
    let latency: LatencyHistogram
    let errors: [String: Int]
    let clientCPU: Double
    let wallSeconds: Double
    /// The client's CPU time while it opened the streams (a connect storm can saturate it when the run as a whole
    /// does not).
    let connectCPU: Double

    public var deliveriesPerSecond: Double { deliverySeconds > 0 ? Double(delivered) / deliverySeconds : 0 }

    /// Share of the client's threads its own CPU use took: near 1, the client itself may be the bottleneck.
    public var clientLoad: Double { clientCPU / max(wallSeconds, 0.001) / Double(max(1, options.threads)) }

    /// The same share while the streams were being opened.
    public var connectLoad: Double { connectCPU / max(connectSeconds, 0.001) / Double(max(1, options.threads)) }

    /// Whether the client itself may have been the limit: busy over the run, or over a connect phase long enough
    /// to matter (a few streams open in milliseconds, and CPU time is counted too coarsely to judge so short a span).
    var clientIsBusy: Bool { clientLoad > 0.9 || (connectSeconds >= 0.1 && connectLoad > 0.9) }

    /// Why the run measured nothing, in one sentence, or nil: no stream opened, or (publishing) no event was
    /// accepted. `sluice bench` then exits 1 after the report, so a script notices.
    public var failure: String? {
        if established == 0 {
            return "No stream could be opened (the report's errors say why)."
        }
        if !options.idle && published == 0 {
            return "No event was accepted by the publish API (the report's errors say why)."
        }
        return nil
    }

    private func us(_ microseconds: UInt64) -> JSONValue { .integer(Int64(microseconds)) }

    /// Percentiles in microseconds (integers, so the JSON stays exact and short).
    private func percentiles(_ h: LatencyHistogram) -> JSONValue {
        [
            "p50": us(h.percentile(50)), "p90": us(h.percentile(90)), "p99": us(h.percentile(99)),
            "p99.9": us(h.percentile(99.9)), "max": us(h.max), "count": .integer(Int64(h.count)),
        ]
    }

    public var json: JSONValue {
        var errorsObject = JSONObject()
        for (kind, n) in errors.sorted(by: { $0.key < $1.key }) { errorsObject[kind] = .integer(Int64(n)) }
        return [
            "target": .string(options.target.rawValue),
            "connections": [
                "requested": .integer(Int64(options.connections)), "established": .integer(Int64(established)),
                "failed": .integer(Int64(failed)), "milliseconds": .integer(Int64(connectSeconds * 1000)),
            ],
            "connect_us": percentiles(connect),
            "published": .integer(Int64(published)),
            "publish_requests": .integer(Int64(requests)),
            // "open": requests on a fixed schedule at publish_rate events/s; "closed": each after the last answer.
            "publish_loop": .string(options.rate > 0 ? "open" : "closed"),
            "publish_rate": .integer(Int64(options.rate)),
            "delivered": .integer(Int64(delivered)),
            "deliveries_per_second": .integer(Int64(deliveriesPerSecond.rounded())),
            "latency_us": percentiles(latency),
            "errors": .object(errorsObject),
            "client": [
                "cpu_milliseconds": .integer(Int64(clientCPU * 1000)), "threads": .integer(Int64(options.threads)),
                "load_percent": .integer(Int64((clientLoad * 100).rounded())),
                "connect_load_percent": .integer(Int64((connectLoad * 100).rounded())),
                "bottleneck_warning": .bool(clientIsBusy),
            ],
        ]
    }

    public var summary: String {
        func f(_ us: UInt64) -> String { String(format3(Double(us) / 1000)) + " ms" }
        var out = "streams: \(established)/\(options.connections) established"
        out += failed > 0 ? ", \(failed) failed\n" : "\n"
        if connect.count > 0 {
            out +=
                "connect: p50 \(f(connect.percentile(50))), p99 \(f(connect.percentile(99))), max \(f(connect.max))\n"
        }
        if !options.idle {
            out += "published \(published) events in \(requests) requests"
            out += options.rate > 0 ? " (scheduled at \(options.rate)/s)" : " (each after the last answer)"
            out += "; delivered \(delivered)"
            out += " (\(Int(deliveriesPerSecond.rounded())) per second)\n"
            if latency.count > 0 {
                out += "latency: p50 \(f(latency.percentile(50))), p90 \(f(latency.percentile(90))), "
                out += "p99 \(f(latency.percentile(99))), p99.9 \(f(latency.percentile(99.9))), max \(f(latency.max))\n"
            } else {
                out += "latency: no event delivered\n"
            }
        }
        if !errors.isEmpty {
            out +=
                "errors: " + errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                + "\n"
        }
        out += "client: \(format3(clientCPU)) s CPU over \(format3(wallSeconds)) s on \(options.threads) thread(s), "
        out += "load \(Int((clientLoad * 100).rounded()))% (\(Int((connectLoad * 100).rounded()))% while connecting)"
        out += clientIsBusy ? " — the client may be the bottleneck; give it more threads or cores\n" : "\n"
        return out
    }

    private func format3(_ x: Double) -> String {
        let scaled = (x * 1000).rounded() / 1000
        return String(scaled)
    }
}
