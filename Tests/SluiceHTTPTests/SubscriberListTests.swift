import Testing

@testable import SluiceHTTP

/// Slots stay right through adds and removals in any order, from one subscriber to many and back.
@Suite struct SubscriberListTests {
    final class Sub {
        let name: String
        init(_ name: String) { self.name = name }
    }

    /// A channel's list with its subscribers' recorded slots, checked after every change.
    struct Model {
        var list: SubscriberList<Sub>
        var slots: [String: Int]

        init(_ first: Sub) {
            list = .one(first)
            slots = [first.name: 0]
        }

        var names: [String] {
            var names: [String] = []
            list.forEach { names.append($0.name) }
            return names
        }

        mutating func add(_ sub: Sub) { slots[sub.name] = list.append(sub) }

        mutating func remove(_ name: String) -> Bool {
            let slot = slots.removeValue(forKey: name)!
            let (moved, isEmpty) = list.remove(at: slot)
            if let moved { slots[moved.name] = slot }
            return isEmpty
        }

        func check(sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(list.count == slots.count, sourceLocation: sourceLocation)
            for (slot, name) in names.enumerated() {
                #expect(slots[name] == slot, "\(name)", sourceLocation: sourceLocation)
            }
            if case .many(let subs) = list { #expect(subs.count > 1, "one subscriber is held directly") }
        }
    }

    @Test func slotsFollowEveryChange() {
        var model = Model(Sub("a"))
        model.check()
        for name in ["b", "c", "d", "e"] {
            model.add(Sub(name))
            model.check()
        }
        #expect(model.names == ["a", "b", "c", "d", "e"])
        var emptied = model.remove("b")  // e moves into b's slot
        #expect(!emptied)
        #expect(model.names == ["a", "e", "c", "d"])
        model.check()
        emptied = model.remove("d")  // the last: nothing moves
        #expect(!emptied)
        emptied = model.remove("a")
        #expect(!emptied)
        model.check()
        emptied = model.remove("c")
        #expect(!emptied)
        #expect(model.names == ["e"])
        model.check()
        guard case .one = model.list else {
            Issue.record("back to one subscriber, held directly")
            return
        }
        model.add(Sub("f"))
        model.check()
        emptied = model.remove("e")
        #expect(!emptied)
        emptied = model.remove("f")
        #expect(emptied, "the list is empty")
    }
}
