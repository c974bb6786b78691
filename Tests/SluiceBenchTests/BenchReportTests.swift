import Testing

@testable import SluiceBench

@Suite struct BenchReportTests {
    func report(
        cpu: Double = 1, wall: Double = 10, connectCPU: Double = 0.1, connectSeconds: Double = 1,
        options: BenchOptions = BenchOptions(), established: Int = 10, published: Int = 0,
        latency: LatencyHistogram = LatencyHistogram(), errors: [String: Int] = [:]
    ) -> BenchReport {
        BenchReport(
            options: options, established: established, failed: options.connections - established,
            connect: LatencyHistogram(), connectSeconds: connectSeconds, published: published, requests: published,
            delivered: latency.count, deliverySeconds: 10, latency: latency, errors: errors, clientCPU: cpu,
            wallSeconds: wall, connectCPU: connectCPU)
    }

    @Test func aRunThatMeasuredNothingSaysWhy() {
        var latency = LatencyHistogram()
        latency.record(1_500)
        #expect(report(established: 100, published: 5, latency: latency).failure == nil)
        let unopened = report(established: 0, errors: ["connect_failed": 100])
        #expect(unopened.failure == "No stream could be opened (the report's errors say why).")
        #expect(!unopened.summary.contains("connect: p50"))
        let refused = report(established: 100, published: 0, errors: ["publish_status_401": 7])
        #expect(refused.failure == "No event was accepted by the publish API (the report's errors say why).")
        #expect(refused.summary.contains("latency: no event delivered\n"))
        #expect(refused.summary.contains("errors: publish_status_401 7\n"))
        var idle = BenchOptions()
        idle.idle = true
        #expect(report(options: idle, established: 100).failure == nil)
    }

    @Test func aBusyClientIsFlagged() {
        #expect(report(cpu: 9.5, wall: 10, connectCPU: 0.1, connectSeconds: 1).clientIsBusy)
        #expect(report(cpu: 2, wall: 10, connectCPU: 0.95, connectSeconds: 1).clientIsBusy)
        #expect(!report(cpu: 2, wall: 10, connectCPU: 0.5, connectSeconds: 1).clientIsBusy)
    }

    @Test func aConnectPhaseOfMillisecondsIsTooShortToJudge() {
        let r = report(cpu: 0.2, wall: 3, connectCPU: 0.007, connectSeconds: 0.007)
        #expect(r.connectLoad > 0.9)
        #expect(!r.clientIsBusy)
        #expect(r.json["client"]?["bottleneck_warning"] == false)
    }
}
