import SluiceCore
import Testing

@Suite struct SecretTests {
    @Test func matchesOnlyTheSameBytes() {
        let secret = Secret("publish-token-1")
        #expect(secret.matches("publish-token-1"))
        #expect(secret.matches(Substring("Bearer publish-token-1").dropFirst(7)))
        #expect(!secret.matches("publish-token-2"))
        #expect(!secret.matches("Publish-token-1"))
        #expect(!secret.matches("publish-token-"), "a prefix")
        #expect(!secret.matches("publish-token-11"), "longer")
        #expect(!secret.matches("publish-token-1publish-token-1"), "the secret twice")
        #expect(!secret.matches(""))
        #expect(Secret("é").matches("é") && !Secret("é").matches("e\u{301}"), "bytes, not characters")
    }

    @Test func anEmptySecretMatchesNothing() {
        #expect(!Secret("").matches(""))
        #expect(!Secret("").matches("x"))
    }

    @Test func neverPrints() {
        let secret = Secret("s3cr3t")
        #expect("\(secret)" == "***")
        #expect(String(reflecting: secret) == "Secret(***)")
    }
}
