import Testing

@testable import SluiceBench

@Suite struct BenchReportTests {
    func report(cpu: Double, wall: Double, connectCPU: Double, connectSeconds: Double) -> BenchReport {
        BenchReport(
            options: BenchOptions(), established: 10, failed: 0, connect: LatencyHistogram(),
            connectSeconds: connectSeconds, published: 0, requests: 0, delivered: 0, deliverySeconds: 0,
            latency: LatencyHistogram(), errors: [:], clientCPU: cpu, wallSeconds: wall, connectCPU: connectCPU)
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
