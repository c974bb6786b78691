import Testing

@testable import SluiceJSON

/// The Swift reader is a fast path in front of jansson: it may decline anything, but what it reads must be what
/// jansson reads, to the same value with keys in the same order, and it must never accept what jansson refuses.
@Suite struct JSONFastReaderTests {
    static func fast(_ bytes: [UInt8]) -> JSONValue? {
        bytes.withUnsafeBufferPointer(JSONFastReader.read)
    }

    /// Fails unless the fast reader declines or agrees with jansson.
    static func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let fast = fast(bytes) else { return }
        let text = String(decoding: bytes, as: UTF8.self).debugDescription
        guard let jansson = try? JSONValue.parseWithJansson(bytes) else {
            Issue.record("the fast reader accepted what jansson refuses: \(text)", sourceLocation: sourceLocation)
            return
        }
        #expect(fast == jansson, "\(text)", sourceLocation: sourceLocation)
        #expect(keyOrder(fast) == keyOrder(jansson), "key order of \(text)", sourceLocation: sourceLocation)
    }

    /// Every object's keys, in order, depth first (equality of values ignores key order).
    static func keyOrder(_ value: JSONValue) -> [[String]] {
        switch value {
        case .object(let object): [object.keys] + object.members.flatMap { keyOrder($0.value) }
        case .array(let elements): elements.flatMap(keyOrder)
        default: []
        }
    }

    @Test func readsPublishBodies() throws {
        let body = #"{"channel":"user:42","event":"note","data":{"text":"héllo \"you\"\n","n":[1,-2,0,true,null]}}"#
        let value = try #require(Self.fast(Array(body.utf8)))
        #expect(value == (try JSONValue.parseWithJansson(Array(body.utf8))))
        #expect(value["data"]?["text"] == .string("héllo \"you\"\n"))
        #expect(value["data"]?["n"] == .array([.integer(1), .integer(-2), .integer(0), .bool(true), .null]))
        #expect(Self.keyOrder(value) == [["channel", "event", "data"], ["text", "n"]])
    }

    @Test func agreesWithJanssonOnWhatItReads() throws {
        let accepted: [String] = [
            "0", "-0", "7", "-12", "9223372036854775807", "-9223372036854775808", "true", "false", "null", #""""#,
            " \t\r\n{ \"a\" : [ ] , \"b\" : { } }\n", "[[[[[]]]]]", #""\u00e9\u20AC\ud83d\ude00\/\b\f\r\t""#,
            #""\u0000 in a value""#, #"{"z":1,"a":2,"m":{"y":1,"b":2}}"#, #"["é", "😀", "日本"]"#,
            String(repeating: "[", count: 64) + String(repeating: "]", count: 64),
        ]
        for text in accepted {
            #expect(Self.fast(Array(text.utf8)) != JSONValue?.none, "\(text)")
            Self.expectAgreement(Array(text.utf8))
        }
    }

    /// What jansson reads differently (reals), refuses, or reports with its own message is left to it.
    @Test func declinesWhatJanssonMustDecide() {
        let declined: [String] = [
            "", " ", "1.5", "1e3", "-1E-2", "9223372036854775808", "-9223372036854775809", "01", "-", "+1", ".5",
            "tru", "truex", "nul", "[1,]", "[1 2]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{\"a\":1,\"a\":2}",
            #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\x""#, #""\u12""#, "\"tab\there\"", "\"open",
            #"{"\u0000":1}"#, "{} {}", "[]x", "\u{feff}{}",
            String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
        ]
        for text in declined {
            #expect(Self.fast(Array(text.utf8)) == JSONValue?.none, "\(text.debugDescription)")
        }
        for bytes: [UInt8] in [
            [0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22],
            [0x7B, 0x7D, 0x00], [0x22, 0x00, 0x22],
        ] {
            #expect(Self.fast(bytes) == JSONValue?.none, "\(bytes)")
        }
    }

    /// Random texts built from JSON's pieces (a fixed seed, so a failure can be replayed).
    @Test func neverDisagreesOnRandomInput() {
        var generator = SplitMix64(seed: 0x5EED_1CE)
        let pieces: [String] = [
            "{", "}", "[", "]", ",", ":", " ", "\n", "\"", "\"k\"", "\"a\"", "\"é\"", "\\", "\\u", "\\n", "d83d",
            "de00", "00e9", "0", "1", "-", "9", "12", "e", ".", "true", "false", "null", "\"s\"", "x", "\t",
        ]
        let rawBytes: [UInt8] = [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xFF]
        var accepted = 0
        for _ in 0..<20000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 12 + 1) {
                if generator.next() % 16 == 0 {
                    bytes.append(rawBytes[Int(generator.next() % UInt64(rawBytes.count))])
                } else {
                    bytes += pieces[Int(generator.next() % UInt64(pieces.count))].utf8
                }
            }
            if Self.fast(bytes) != JSONValue?.none { accepted += 1 }
            Self.expectAgreement(bytes)
        }
        #expect(accepted > 200, "the random texts must exercise the reader, not only its refusals")
    }
}

/// A small seeded generator (Swift's default one cannot be seeded).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
