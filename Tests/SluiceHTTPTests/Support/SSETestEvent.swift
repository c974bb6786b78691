import SluiceJSON
import Testing

/// One complete event of an SSE body (a block ended by a blank line); a block still arriving is left out.
struct SSETestEvent: Equatable {
    var id: String?
    var event: String?
    var data: String?

    init(id: String? = nil, event: String? = nil, data: String? = nil) {
        self.id = id
        self.event = event
        self.data = data
    }

    static func parse(_ body: String) -> [SSETestEvent] {
        var events: [SSETestEvent] = []
        var blocks = body.components(separatedBy: "\n\n")
        blocks.removeLast()  // after the last blank line: incomplete (or empty)
        for block in blocks {
            var event = SSETestEvent()
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { event.data = (event.data.map { $0 + "\n" } ?? "") + line.dropFirst(6) }
            }
            if event.id != nil || event.event != nil || event.data != nil { events.append(event) }
        }
        return events
    }
}

extension RawClient {
    /// The complete events received so far.
    var events: [SSETestEvent] { SSETestEvent.parse(body) }

    /// The data of the stream's `connected` event (its client id, channels and, with dynamic subscriptions, secret).
    func connected() throws -> JSONValue {
        try JSONValue.parse(try #require(events.first { $0.event == "connected" }?.data))
    }

    /// Waits until the complete events received satisfy `condition` (polling gently: many clients may wait at once).
    @discardableResult
    func waitForEvents(
        _ what: String, timeout: Duration = .seconds(20), _ condition: ([SSETestEvent]) -> Bool
    ) async throws -> [SSETestEvent] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let current = events
            if condition(current) { return current }
            if isClosed && !condition(events) { throw TestFailure("connection closed before \(what); got:\n\(text)") }
            if ContinuousClock.now > deadline { throw TestFailure("timed out waiting for \(what); got:\n\(text)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
