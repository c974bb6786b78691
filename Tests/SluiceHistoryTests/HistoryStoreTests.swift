import NIOCore
import Testing

@testable import SluiceHistory

@Suite struct HistoryStoreTests {
    static let epoch: UInt64 = 1_000
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    /// `news` keeps 5, `live` keeps none, `user:*` keeps 3 and is temporary (1 s), `aged` keeps 100 for 10 s.
    static func policy(_ name: String) -> HistoryPolicy {
        switch name {
        case "news": HistoryPolicy(count: 5, declaration: 0)
        case "live": HistoryPolicy(count: 0, declaration: 1)
        case "aged": HistoryPolicy(count: 100, age: .seconds(10), declaration: 3)
        default:
            name.hasPrefix("user:")
                ? HistoryPolicy(count: 3, emptyTimeout: .seconds(1), declaration: 2) : HistoryPolicy.none
        }
    }

    func makeStore(memory: Int = 1 << 30) -> HistoryStore {
        HistoryStore(epoch: Self.epoch, memoryLimit: memory, policy: Self.policy)
    }

    /// Publishes one event (its data is its sequence number) and returns its id.
    @discardableResult
    func publish(_ store: inout HistoryStore, _ channels: [String], at now: NIODeadline? = nil) -> EventID {
        let id = store.nextID()
        store.record(ByteBuffer(string: "\(id.sequence)"), sequence: id.sequence, channels: channels, now: now ?? start)
        return id
    }

    func id(_ sequence: UInt64, epoch: UInt64 = epoch) -> String {
        EventID(epoch: epoch, sequence: sequence).description
    }

    @Test func replaysEveryChannelInPublishOrderEachEventOnce() {
        var store = makeStore()
        publish(&store, ["news"])  // 1
        publish(&store, ["aged"])  // 2
        publish(&store, ["news", "aged"])  // 3: on both of the stream's channels
        publish(&store, ["other"])  // 4: not the stream's
        publish(&store, ["aged"])  // 5
        let plan = store.resume(after: id(1), channels: ["news", "aged"], now: start)
        #expect(plan.replayedSequences == [2, 3, 5])
        #expect(plan.replay.map { String(buffer: $0) } == ["2", "3", "5"])
        #expect(plan.resets.isEmpty)
        #expect(plan.through == 5)
        let upToDate = store.resume(after: id(5), channels: ["news", "aged"], now: start)
        #expect(upToDate.replay.isEmpty && upToDate.resets.isEmpty)
    }

    @Test func unknownIDsAndOtherEpochsReset() {
        var store = makeStore()
        publish(&store, ["news"])
        for text in ["garbage", id(2), "", String(repeating: "a", count: 200)] {
            let plan = store.resume(after: text, channels: ["news", "live"], now: start)
            #expect(plan.resets == [.init(reason: .unknownID, channels: ["news", "live"])], "\(text)")
            #expect(plan.replay.isEmpty)
        }
        let old = store.resume(after: id(1, epoch: Self.epoch - 1), channels: ["news"], now: start)
        #expect(old.resets == [.init(reason: .otherEpoch, channels: ["news"])])
        #expect(old.replay.isEmpty)
    }

    @Test func anIDOlderThanTheRetainedCountResetsThatChannelOnly() {
        var store = makeStore()
        for _ in 0..<8 { publish(&store, ["news"]) }  // 1...8, news keeps 4...8
        publish(&store, ["aged"])  // 9
        let fine = store.resume(after: id(3), channels: ["news"], now: start)
        #expect(fine.replayedSequences == [4, 5, 6, 7, 8] && fine.resets.isEmpty)
        let gap = store.resume(after: id(2), channels: ["news", "aged"], now: start)
        #expect(gap.resets == [.init(reason: .expired, channels: ["news"])])
        #expect(gap.replayedSequences == [9], "the channel still whole is replayed; the other is reset, not partial")
    }

    @Test func anIDOlderThanTheRetainedAgeResets() {
        var store = makeStore()
        publish(&store, ["aged"], at: start)  // 1
        publish(&store, ["aged"], at: start + .seconds(5))  // 2
        let early = store.resume(after: id(0), channels: ["aged"], now: start + .seconds(9))
        #expect(early.replayedSequences == [1, 2] && early.resets.isEmpty)
        let later = store.resume(after: id(0), channels: ["aged"], now: start + .seconds(11))
        #expect(later.resets == [.init(reason: .expired, channels: ["aged"])])
        let fromOne = store.resume(after: id(1), channels: ["aged"], now: start + .seconds(11))
        #expect(fromOne.replayedSequences == [2] && fromOne.resets.isEmpty)
    }

    @Test func aChannelWithoutHistoryResetsOnlyWhenItHadEvents() {
        var store = makeStore()
        publish(&store, ["news"])  // 1
        let quiet = store.resume(after: id(1), channels: ["live"], now: start)
        #expect(quiet.resets.isEmpty)
        publish(&store, ["live"])  // 2
        let missed = store.resume(after: id(1), channels: ["live", "news"], now: start)
        #expect(missed.resets == [.init(reason: .noHistory, channels: ["live"])])
        #expect(store.resume(after: id(2), channels: ["live"], now: start).resets.isEmpty)
    }

    @Test func coveredChannelsAreNeverReset() {
        var store = makeStore()
        publish(&store, ["state"])
        let plan = store.resume(after: id(0), channels: ["state"], covered: { $0 == "state" }, now: start)
        #expect(plan.resets.isEmpty)
        let unknown = store.resume(after: "nope", channels: ["state"], covered: { $0 == "state" }, now: start)
        #expect(unknown.resets.isEmpty)
    }

    @Test func theMemoryCapEvictsTheOldestEventOfAnyChannelFirst() {
        let perEvent = 1 + HistoryStore.entryOverhead  // one-digit data
        var store = makeStore(memory: 3 * perEvent)
        publish(&store, ["news"])  // 1
        publish(&store, ["aged"])  // 2
        publish(&store, ["news"])  // 3
        publish(&store, ["aged"])  // 4: evicts 1
        #expect(store.retainedEvents == 3 && store.retainedBytes == 3 * perEvent)
        #expect(store.resume(after: id(0), channels: ["news"], now: start).resets.first?.reason == .expired)
        #expect(store.resume(after: id(1), channels: ["news", "aged"], now: start).replayedSequences == [2, 3, 4])
    }

    @Test func temporaryChannelsAreFreedWithTheirHistoryAfterBeingEmpty() {
        var store = makeStore()
        publish(&store, ["user:1"])  // 1
        var subscribed = true
        store.sweep(now: start) { _ in subscribed }
        store.sweep(now: start + .seconds(5)) { _ in subscribed }
        #expect(store.channelCount == 1, "a channel with a subscriber stays")
        subscribed = false
        store.sweep(now: start + .seconds(6)) { _ in subscribed }
        store.sweep(now: start + .milliseconds(6_900)) { _ in subscribed }
        #expect(store.channelCount == 1, "empty for less than its timeout")
        store.sweep(now: start + .seconds(7)) { _ in subscribed }
        #expect(store.channelCount == 0 && store.retainedEvents == 0 && store.retainedBytes == 0)
        let plan = store.resume(after: id(0), channels: ["user:1"], now: start + .seconds(7))
        #expect(plan.resets == [.init(reason: .expired, channels: ["user:1"])], "freed history is a reset, not a gap")
        #expect(store.resume(after: id(1), channels: ["user:2"], now: start + .seconds(7)).resets.isEmpty)
    }

    @Test func aHundredThousandTemporaryChannelsLeaveNothingBehind() {
        var store = makeStore()
        for i in 0..<100_000 { publish(&store, ["user:\(i)"]) }
        #expect(store.channelCount == 100_000 && store.retainedEvents == 100_000)
        store.sweep(now: start) { _ in false }
        store.sweep(now: start + .seconds(2)) { _ in false }
        #expect(store.channelCount == 0 && store.retainedEvents == 0 && store.retainedBytes == 0)
        #expect(store.order.isEmpty, "the global eviction order is compacted too")
    }

    @Test func channelsThatRetainNothingAreFreedAtOnce() {
        var store = makeStore()
        for i in 0..<1_000 { publish(&store, ["live", "undeclared:\(i)"]) }
        #expect(store.channelCount == 1_001)
        store.sweep(now: start) { _ in false }
        #expect(store.channelCount == 0)
        // What they published is remembered per declaration: a resume from before it is a reset.
        #expect(store.resume(after: id(5), channels: ["live"], now: start).resets.first?.reason == .noHistory)
        #expect(store.resume(after: id(1_000), channels: ["live"], now: start).resets.isEmpty)
    }
}
