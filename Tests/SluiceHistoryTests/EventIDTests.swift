import SluiceHistory
import Testing

@Suite struct EventIDTests {
    @Test func roundTripsAndOrders() throws {
        let id = EventID(epoch: 1_763_700_000_000, sequence: 12345)
        #expect(id.description == "mi8dfxmo-9ix")
        #expect(EventID(id.description) == id)
        #expect(EventID(epoch: 1, sequence: 2) < EventID(epoch: 1, sequence: 10))
        #expect(EventID(epoch: 1, sequence: 99) < EventID(epoch: 2, sequence: 1))
    }

    @Test func neverNeedsAPreflightAndStaysShort() {
        // CORS-safelisted header values may not contain these bytes; ours use only [0-9a-z-].
        let unsafe = Set(#""():<>?@[\]{}"#.utf8).union(0..<0x20).union([0x7f])
        for (epoch, sequence) in [(0, 0), (1, 1), (UInt64.max, UInt64.max), (1_763_700_000_000, 1 << 40)] {
            let text = EventID(epoch: UInt64(epoch), sequence: UInt64(sequence)).description
            #expect(text.utf8.count <= 27 && text.utf8.count <= EventID.maxLength)
            #expect(text.utf8.allSatisfy { !unsafe.contains($0) && $0 < 0x80 })
            #expect(text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x2d })
            #expect(EventID(text)?.description == text)
        }
    }

    @Test(arguments: [
        "", "-", "abc", "1-", "-1", "1-2-3", "A-1", "1-B", "01-1", "1-01", "1 -1", "1-1\n", "zzzzzzzzzzzzzz-1",
        String(repeating: "1", count: 129), "1-" + String(repeating: "z", count: 13),
    ])
    func rejectsWhatTheGatewayNeverIssues(_ text: String) {
        #expect(EventID(text) == nil)
    }
}
