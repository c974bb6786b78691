import Synchronization

/// Assigns event ids: `EPOCH-SEQUENCE`, both base 36. Ids increase, stay short, and use only characters that
/// never force a CORS preflight; the epoch (the start time in milliseconds) tells ids from before a restart.
public final class EventIDGenerator: Sendable {
    public let epoch: String
    private let sequence = Atomic<UInt64>(0)

    public init(epochMilliseconds: UInt64) {
        epoch = String(epochMilliseconds, radix: 36)
    }

    /// The next id.
    public func next() -> String {
        let n = sequence.add(1, ordering: .relaxed).newValue
        return "\(epoch)-\(String(n, radix: 36))"
    }
}
