import Testing

@testable import SluiceAuth

@Suite struct Base64URLTests {
    @Test func roundTripsEveryLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(($0 * 37 + 250) % 256) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
    }

    @Test func rejectsPaddingWhitespaceAndTheStandardAlphabet() {
        #expect(Base64URL.decode("YQ==") == nil)
        #expect(Base64URL.decode("Y Q") == nil)
        #expect(Base64URL.decode("a+b/") == nil)
        #expect(Base64URL.decode("abcde") == nil)
        #expect(Base64URL.decode("_-8") == [0xFF, 0xEF])
    }
}
