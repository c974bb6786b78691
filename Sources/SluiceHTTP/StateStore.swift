import NIOCore
import SluiceCore
import SluiceJSON
import Synchronization

/// The gateway's reactive states: current values and versions, changed through the API or by counters.
///
/// A write that leaves the value deep-equal (key order does not matter) changes nothing and sends nothing; a
/// change bumps the version and publishes one event named after the state, `{"<key>": value}`, on its channel.
/// Events are published under the store's lock, so subscribers see changes in version order.
final class StateStore: Sendable {
    struct Entry: Sendable {
        var name: String
        var channel: String
        var key: String
        var counts: String?
        var value: JSONValue
        var version: Int64
    }

    /// Why a state operation is refused: status and one sentence.
    struct Failure: Error {
        var status: Int
        var reason: String
    }

    private let entries: Mutex<[String: Entry]>
    private let hub: ChannelHub
    private let frames: SSEFrameEncoder

    init(specs: [StateSpec], hub: ChannelHub, frames: SSEFrameEncoder) {
        var entries: [String: Entry] = [:]
        for spec in specs {
            entries[spec.name] = Entry(
                name: spec.name, channel: spec.channel, key: spec.key, counts: spec.counts, value: spec.initial,
                version: 1)
        }
        self.entries = Mutex(entries)
        self.hub = hub
        self.frames = frames
    }

    func get(_ name: String) -> Entry? { entries.withLock { $0[name] } }

    var all: [Entry] { entries.withLock { Array($0.values) }.sorted { $0.name < $1.name } }

    /// Changes a state's value.
    /// - Parameters:
    ///   - ifMatch: the version the caller expects (compare-and-set); `nil` for unconditional writes.
    ///   - transform: the new value from the current one, or a failure.
    /// - Returns: the entry after the write and whether the value changed.
    func update(
        _ name: String, ifMatch: Int64? = nil, _ transform: (JSONValue) -> Result<JSONValue, Failure>
    ) -> Result<(entry: Entry, changed: Bool), Failure> {
        entries.withLock { entries in
            guard var entry = entries[name] else {
                return .failure(Failure(status: 404, reason: "No state is named '\(name.prefix(64))'."))
            }
            if let ifMatch, ifMatch != entry.version {
                return .failure(
                    Failure(status: 412, reason: "The state is at version \(entry.version), not \(ifMatch)."))
            }
            let next: JSONValue
            switch transform(entry.value) {
            case .success(let v): next = v
            case .failure(let f): return .failure(f)
            }
            guard next != entry.value else { return .success((entry, false)) }
            entry.value = next
            entry.version += 1
            entries[name] = entry
            hub.publish(event: entry.name, data: data(entry), to: [entry.channel])
            return .success((entry, true))
        }
    }

    func create(_ entry: Entry) -> Result<Entry, Failure> {
        entries.withLock { entries in
            guard entries[entry.name] == nil else {
                return .failure(
                    Failure(status: 409, reason: "A state named '\(entry.name.prefix(64))' exists already."))
            }
            entries[entry.name] = entry
            hub.publish(event: entry.name, data: data(entry), to: [entry.channel])
            return .success(entry)
        }
    }

    func delete(_ name: String) -> Bool {
        entries.withLock { $0.removeValue(forKey: name) != nil }
    }

    /// The current value of every state on these channels, as events without an id (a snapshot must not move a
    /// client's Last-Event-ID).
    func snapshot(for channels: [String]) -> [ByteBuffer] {
        entries.withLock { entries in
            entries.values.filter { channels.contains($0.channel) }.sorted { $0.name < $1.name }.map {
                frame($0, id: nil)
            }
        }
    }

    /// Sets every counter state to its channel's subscriber count (called periodically, which coalesces bursts).
    func refreshCounters() {
        let counters = entries.withLock { $0.values.compactMap { e in e.counts.map { (e.name, $0) } } }
        for (name, channel) in counters {
            let count = JSONValue.integer(Int64(hub.subscriberCount(channel)))
            _ = update(name) { _ in .success(count) }
        }
    }

    private func frame(_ entry: Entry, id: String?) -> ByteBuffer {
        frames.event(entry.name, id: id, data: data(entry))
    }

    /// `{"<key>": value}`.
    private func data(_ entry: Entry) -> String {
        var data = JSONObject()
        data[entry.key] = entry.value
        return JSONValue.object(data).serialized()
    }
}
