import SluiceCore
import Testing

@Suite struct ASCIICaseTests {
    @Test func matchesPrefixesWithoutRegardToASCIICase() {
        #expect(ASCIICase.hasPrefix("Application/X-NDJSON; charset=utf-8".utf8, "application/x-ndjson".utf8))
        #expect(ASCIICase.hasPrefix("bearer".utf8, "BEARER".utf8))
        #expect(ASCIICase.hasPrefix("anything".utf8, "".utf8))
        #expect(!ASCIICase.hasPrefix("application/json".utf8, "application/x-ndjson".utf8))
        #expect(!ASCIICase.hasPrefix("Bear".utf8, "Bearer".utf8))  // shorter than the prefix
        #expect(!ASCIICase.hasPrefix("[".utf8, "{".utf8))  // 0x5B and 0x7B differ only in the case bit
        #expect(!ASCIICase.hasPrefix("É".utf8, "é".utf8))  // only ASCII letters fold
    }
}
