import CJansson
import Testing

@testable import SluiceJSON

/// The Swift compact serializer must write exactly what jansson writes: hooks, clients and history see the same
/// bytes whichever one produced them.
@Suite struct CompactSerializationTests {
    /// jansson's own compact output for a value (the path used before, and still for floating-point numbers).
    static func jansson(_ value: JSONValue) -> [UInt8] {
        let node = value.makeJansson()
        defer { sluice_json_decref(node) }
        let flags = sluice_flags_compact()
        let size = json_dumpb(node, nil, 0, flags)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = buffer.withMemoryRebound(to: CChar.self) { json_dumpb(node, $0.baseAddress, size, flags) }
        }
    }

    static func swift(_ value: JSONValue) -> [UInt8]? {
        var bytes: [UInt8] = []
        return value.appendCompact(to: &bytes) ? bytes : nil
    }

    @Test func everyASCIICharacterIsWrittenAsJanssonWritesIt() {
        for code in 0..<128 {
            let text = "a\(Character(Unicode.Scalar(UInt8(code))))b"
            #expect(Self.swift(.string(text)) == Self.jansson(.string(text)), "U+\(code)")
        }
    }

    @Test(arguments: [
        "", "plain", "é", "日本語", "\u{1F600}", "\u{2028}\u{2029}", "\u{FEFF}", "\u{10FFFF}", "a/b</script>",
        "quote \" backslash \\ both \\\"", "\u{7F}\u{80}\u{9F}\u{A0}", String(repeating: "long ", count: 200),
    ])
    func stringsMatch(_ text: String) {
        #expect(Self.swift(.string(text)) == Self.jansson(.string(text)))
        // Object keys go through the same quoting.
        let object: JSONValue = .object(
            {
                var o = JSONObject(); o[text] = 1; return o
            }())
        #expect(Self.swift(object) == Self.jansson(object))
    }

    @Test func structuresMatchWithKeysInInsertionOrder() throws {
        let value = try JSONValue.parse(
            #"{"z":1,"a":[true,false,null,[],{}],"m":{"y":"x","b":-9223372036854775808,"c":9223372036854775807},"#
                + #""e":"","n":[0,-1,{"k":[["deep"]]}]}"#)
        #expect(Self.swift(value) == Self.jansson(value))
        #expect(value.serializedBytes() == Self.jansson(value))
    }

    @Test func floatingPointNumbersStayWithJansson() throws {
        let value = try JSONValue.parse(#"{"t":1,"x":[0.1,2.5e300,-0.0]}"#)
        #expect(Self.swift(value) == nil)
        #expect(value.serializedBytes() == Self.jansson(value))
    }
}
