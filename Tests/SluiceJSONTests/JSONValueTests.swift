import Testing

@testable import SluiceJSON

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#"{"a":[1,2.5,"x",true,false,null],"b":{"c":"é\n"}}"#)
        #expect(value["a"] == [1, 2.5, "x", true, false, nil])
        #expect(value["b"]?["c"] == "é\n")
    }

    @Test func parsesScalarsAtTheTopLevel() throws {
        #expect(try JSONValue.parse("3") == .integer(3))
        #expect(try JSONValue.parse(#""hi""#) == "hi")
    }

    @Test func errorsCarryLineAndColumn() {
        #expect {
            _ = try JSONValue.parse("{\n  \"a\": 1,\n  \"b\": ]\n}")
        } throws: { error in
            let e = error as! JSONParseError
            return e.line == 3 && e.column == 8
        }
    }

    @Test func duplicateKeysAreRejected() {
        #expect {
            _ = try JSONValue.parse(#"{"a": 1, "a": 2}"#)
        } throws: { ($0 as! JSONParseError).message.contains("duplicate") }
    }

    @Test func compactKeepsInsertionOrderAndSortedSortsKeys() {
        let value: JSONValue = ["z": 1, "a": ["y": true, "b": nil]]
        #expect(value.serialized() == #"{"z":1,"a":{"y":true,"b":null}}"#)
        #expect(value.serialized(.sorted) == #"{"a":{"b":null,"y":true},"z":1}"#)
    }

    @Test func serializationRoundTrips() throws {
        let text = #"{"s":"line\nbreak \"q\" \u0001 é 😀","n":-12,"f":0.5,"l":[[],{}]}"#
        let value = try JSONValue.parse(text)
        #expect(try JSONValue.parse(value.serialized()) == value)
        #expect(value.serialized() == #"{"s":"line\nbreak \"q\" \u0001 é 😀","n":-12,"f":0.5,"l":[[],{}]}"#)
    }

    @Test func deepEqualityIgnoresKeyOrder() throws {
        let a = try JSONValue.parse(#"{"x":{"p":1,"q":[1,{"r":2,"s":3}]},"y":null}"#)
        let b = try JSONValue.parse(#"{"y":null,"x":{"q":[1,{"s":3,"r":2}],"p":1}}"#)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        let c = try JSONValue.parse(#"{"y":null,"x":{"q":[{"s":3,"r":2},1],"p":1}}"#)
        #expect(a != c)
    }

    @Test func integersAndRealsDiffer() {
        #expect(JSONValue.integer(1) != JSONValue.number(1))
    }

    @Test func objectSetKeepsPositionAndRemoves() {
        var object = JSONObject()
        object["a"] = 1
        object["b"] = 2
        object["a"] = 3
        #expect(object.keys == ["a", "b"])
        object["a"] = nil
        #expect(object.keys == ["b"])
        #expect(JSONValue.object(object).serialized() == #"{"b":2}"#)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        #expect(JSONValue.number(.infinity).serialized() == "null")
    }
}
