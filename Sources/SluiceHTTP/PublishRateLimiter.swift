import NIOCore
import Synchronization

/// `limits.publishRate`: a token bucket per publisher credential, refilled `rate` times per second with a burst
/// of one second's worth.
final class PublishRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: NIODeadline
    }

    private let rate: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: Int) { self.rate = Double(rate) }

    /// Takes `cost` requests' worth for `credential`.
    /// - Returns: `nil` when allowed, else the seconds to wait (for `Retry-After`).
    func take(_ credential: String, cost: Double = 1, now: NIODeadline? = nil) -> Int? {
        guard rate > 0 else { return nil }
        let now = now ?? .now()
        return buckets.withLock { buckets in
            var bucket = buckets[credential] ?? Bucket(tokens: rate, updated: now)
            let elapsed = Double((now - bucket.updated).nanoseconds) / 1e9
            bucket.tokens = min(rate, bucket.tokens + elapsed * rate)
            bucket.updated = now
            defer { buckets[credential] = bucket }
            if bucket.tokens >= cost {
                bucket.tokens -= cost
                return nil
            }
            return max(1, Int(((cost - bucket.tokens) / rate).rounded(.up)))
        }
    }
}
