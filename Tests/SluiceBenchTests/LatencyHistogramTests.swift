import Testing

@testable import SluiceBench

@Suite struct LatencyHistogramTests {
    @Test func percentilesStayWithinOnePercent() {
        var h = LatencyHistogram()
        for v in 1...100_000 { h.record(UInt64(v)) }
        for (p, exact) in [(50.0, 50_000.0), (90, 90_000), (99, 99_000), (99.9, 99_900)] {
            let got = Double(h.percentile(p))
            #expect(got >= exact && got <= exact * 1.01, "p\(p): \(got)")
        }
        #expect(h.max == 100_000 && h.min == 1 && h.count == 100_000)
    }

    @Test func smallValuesAreExactAndBucketsRoundTrip() {
        var h = LatencyHistogram()
        for v: UInt64 in [0, 1, 5, 127] { h.record(v) }
        #expect(h.percentile(25) == 0 && h.percentile(50) == 1 && h.percentile(75) == 5 && h.percentile(100) == 127)
        for v: UInt64 in [128, 129, 1000, 65_535, 1 << 40] {
            let i = LatencyHistogram.index(v)
            #expect(LatencyHistogram.upperBound(i) >= v, "\(v)")
            #expect(Double(LatencyHistogram.upperBound(i)) <= Double(v) * 1.016 + 1, "\(v)")
        }
    }

    @Test func mergeAddsCounts() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        for v in 0..<10 { a.record(UInt64(v)) }
        for v in 1000..<1010 { b.record(UInt64(v)) }
        a.merge(b)
        #expect(a.count == 20 && a.max == 1009 && a.percentile(50) == 9)
        #expect(LatencyHistogram().percentile(99) == 0)
    }
}
