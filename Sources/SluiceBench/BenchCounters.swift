import Glibc
import Synchronization

/// Counts errors by kind from any thread.
final class ErrorCounts: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func add(_ kind: String, count: Int = 1) {
        guard count > 0 else { return }
        counts.withLock { $0[kind, default: 0] += count }
    }

    var snapshot: [String: Int] { counts.withLock { $0 } }
}

/// Per-event-loop delivery statistics, merged at the end (no lock per event).
final class LoopStats: @unchecked Sendable {
    // Touched only on its event loop while the run lasts; read after every loop is idle.
    var latency = LatencyHistogram()
    var connect = LatencyHistogram()
    var delivered: UInt64 = 0
    var established = 0
    var lastDelivery: UInt64 = 0
}

/// The monotonic clock in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
