import Testing

@testable import SluiceJSON

@Suite struct JSONObjectTests {
    /// Objects small enough to be searched and large enough to be indexed behave the same.
    @Test(arguments: [3, JSONObject.indexThreshold + 5])
    func setReplaceAndRemoveKeepInsertionOrder(size: Int) {
        var object = JSONObject()
        for i in 0..<size { object["k\(i)"] = .integer(Int64(i)) }
        #expect(object.count == size)
        #expect(object.keys == (0..<size).map { "k\($0)" })
        object["k1"] = "replaced"
        #expect(object.keys == (0..<size).map { "k\($0)" }, "a replaced key keeps its place")
        #expect(object["k1"] == "replaced")
        object["k0"] = nil
        object["missing"] = nil
        #expect(object.keys == (1..<size).map { "k\($0)" })
        #expect(object["k0"] == nil)
        for i in 2..<size { #expect(object["k\(i)"] == .integer(Int64(i)), "k\(i) after a removal") }
        object["new"] = true
        #expect(object.keys.last == "new" && object["new"] == true)
        #expect(object.members.map(\.key) == object.keys)
    }

    @Test func shrinkingBelowTheThresholdKeepsLookupsRight() {
        var object = JSONObject()
        let n = JSONObject.indexThreshold + 2
        for i in 0..<n { object["k\(i)"] = .integer(Int64(i)) }
        for i in 0..<n - 2 { object["k\(i)"] = nil }
        #expect(object.keys == ["k\(n - 2)", "k\(n - 1)"])
        #expect(object["k\(n - 1)"] == .integer(Int64(n - 1)))
        object["again"] = 1
        #expect(object["again"] == 1 && object.count == 3)
    }

    @Test func equalityAndHashIgnoreOrder() {
        let size = JSONObject.indexThreshold + 3
        var forward = JSONObject()
        var backward = JSONObject()
        for i in 0..<size { forward["k\(i)"] = .integer(Int64(i)) }
        for i in (0..<size).reversed() { backward["k\(i)"] = .integer(Int64(i)) }
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        let small: JSONValue = ["a": 1, "b": [1, 2]]
        let smallReordered: JSONValue = ["b": [1, 2], "a": 1]
        #expect(small == smallReordered && small.hashValue == smallReordered.hashValue)
        #expect(small != ["a": 1, "b": [2, 1]])
        #expect(small != ["a": 1])
        #expect(small != ["a": 1, "c": [1, 2]])
        backward["k0"] = "different"
        #expect(forward != backward)
    }
}
