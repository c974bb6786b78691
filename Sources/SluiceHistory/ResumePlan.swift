import NIOCore

/// What a stream resuming from a `Last-Event-ID` gets before live events: the retained events it missed, in
/// publish order and each once, and the channels whose missed events are gone.
public struct ResumePlan: Sendable {
    /// Why a stream's channels cannot be replayed.
    public enum ResetReason: String, Sendable, CaseIterable {
        /// The id was not issued by this gateway (malformed, or newer than any event).
        case unknownID = "unknown-id"
        /// The id is from before a restart.
        case otherEpoch = "other-epoch"
        /// Events after the id were dropped: history count, age or memory limit, or a freed temporary channel.
        case expired
        /// The channel keeps no history and has had events since the id.
        case noHistory = "no-history"
    }

    public struct Reset: Sendable, Equatable {
        public var reason: ResetReason
        public var channels: [String]

        public init(reason: ResetReason, channels: [String]) {
            self.reason = reason
            self.channels = channels
        }
    }

    /// Frames to send, oldest first.
    public var replay: [ByteBuffer]
    /// Sequence numbers of the replayed frames (for tests and accounting).
    public var replayedSequences: [UInt64]
    public var resets: [Reset]
    /// The newest event at planning time: live deliveries at or below it are already covered by the plan.
    public var through: UInt64

    public init(replay: [ByteBuffer] = [], replayedSequences: [UInt64] = [], resets: [Reset] = [], through: UInt64) {
        self.replay = replay
        self.replayedSequences = replayedSequences
        self.resets = resets
        self.through = through
    }
}
