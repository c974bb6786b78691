/// An HDR-style histogram: log-linear buckets with 128 sub-buckets per power of two, so any recorded value is
/// kept within 1% in constant memory. Values are integers (microseconds in `sluice bench`).
public struct LatencyHistogram: Sendable {
    static let subBuckets = 128
    private var counts: [UInt64]
    public private(set) var count: UInt64 = 0
    public private(set) var max: UInt64 = 0
    public private(set) var min: UInt64 = .max

    public init() {
        counts = Array(repeating: 0, count: 64 * Self.subBuckets)
    }

    static func index(_ value: UInt64) -> Int {
        if value < UInt64(subBuckets) { return Int(value) }
        let magnitude = 63 - value.leadingZeroBitCount  // >= 7
        let shift = magnitude - 6
        let sub = Int(value >> UInt64(shift)) - subBuckets / 2  // 0..<64 within this power of two
        return subBuckets + (magnitude - 7) * (subBuckets / 2) + sub
    }

    /// The largest value that falls in bucket `index` (what percentiles report).
    static func upperBound(_ index: Int) -> UInt64 {
        if index < subBuckets { return UInt64(index) }
        let offset = index - subBuckets
        let magnitude = offset / (subBuckets / 2) + 7
        let sub = UInt64(offset % (subBuckets / 2) + subBuckets / 2)
        let shift = UInt64(magnitude - 6)
        return ((sub + 1) << shift) - 1
    }

    public mutating func record(_ value: UInt64) {
        counts[Self.index(value)] += 1
        count += 1
        if value > max { max = value }
        if value < min { min = value }
    }

    public mutating func merge(_ other: LatencyHistogram) {
        for i in 0..<counts.count where other.counts[i] > 0 { counts[i] += other.counts[i] }
        count += other.count
        max = Swift.max(max, other.max)
        min = Swift.min(min, other.min)
    }

    /// The value at percentile `p` (0–100), at most 1% above the true value; 0 when empty.
    public func percentile(_ p: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, UInt64((p / 100 * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (i, n) in counts.enumerated() where n > 0 {
            seen += n
            if seen >= rank { return Swift.min(Self.upperBound(i), max) }
        }
        return max
    }
}
