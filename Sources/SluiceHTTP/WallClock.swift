import Glibc

/// The real-time clock, for timestamps people read (logs, `since`, the event-id epoch). Durations use monotonic
/// clocks instead.
enum WallClock {
    static func now() -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now
    }

    static var unixSeconds: Int64 { Int64(now().tv_sec) }

    /// Unix time in seconds with a fraction, for token expiry checks.
    static var unixTime: Double {
        let t = now()
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static var unixMilliseconds: UInt64 {
        let t = now()
        return UInt64(t.tv_sec) * 1000 + UInt64(t.tv_nsec / 1_000_000)
    }
}
