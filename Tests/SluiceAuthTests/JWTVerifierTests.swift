import Crypto
import CryptoExtras
import SluiceJSON
import Testing

@testable import SluiceAuth

@Suite struct JWTVerifierTests {
    static let now = 1_800_000_000.0
    static let claims: JSONValue = ["sub": "42", "iss": "https://id.example", "aud": "app", "exp": 1_800_000_600]

    static func verifier(
        _ keys: [JWTKey], issuer: String? = "https://id.example", audience: String? = "app", required: [String] = []
    ) -> JWTVerifier {
        JWTVerifier(keys: keys, issuer: issuer, audience: audience, leeway: 30, requiredClaims: required)
    }

    static let hs256 = try! JWTKey.hmac(.hs256, secret: TestTokens.secret)
    static let rsPublic = try! JWTKey.publicKey(.rs256, pem: TestTokens.rsa.publicKey.pemRepresentation)
    static let esPublic = try! JWTKey.publicKey(.es256, pem: TestTokens.ec.publicKey.pemRepresentation)

    @Test(arguments: ["HS256", "HS384", "HS512"])
    func acceptsHMACTokens(alg: String) throws {
        let algorithm = try #require(JWTAlgorithm(rawValue: alg))
        let secret = Array(repeating: UInt8(ascii: "k"), count: algorithm.minimumSecretBytes)
        let key = try JWTKey.hmac(algorithm, secret: secret)
        let token = TestTokens.hmac(Self.claims, alg: alg, secret: secret)
        let claims = try Self.verifier([key]).verify(token, now: Self.now).get()
        #expect(claims["sub"] == "42")
    }

    @Test func acceptsRS256AndES256() throws {
        let verifier = Self.verifier([Self.rsPublic, Self.esPublic])
        #expect(try verifier.verify(TestTokens.rs256(Self.claims), now: Self.now).get()["sub"] == "42")
        #expect(try verifier.verify(TestTokens.es256(Self.claims), now: Self.now).get()["sub"] == "42")
    }

    @Test func refusesAlgNoneInAnySpelling() {
        let verifier = Self.verifier([Self.hs256, Self.rsPublic])
        for alg in ["none", "None", "NONE", "nOnE"] {
            let unsigned = TestTokens.input(alg, Self.claims) + "."
            #expect(verifier.verify(unsigned, now: Self.now) == .failure(.algorithmNotAccepted(alg)))
            let withSignature = TestTokens.input(alg, Self.claims) + ".c2lnbmF0dXJl"
            #expect(verifier.verify(withSignature, now: Self.now) == .failure(.algorithmNotAccepted(alg)))
        }
    }

    /// The classic confusion: the attacker signs HS256 with the server's RSA public key as the HMAC secret.
    @Test func refusesHS256SignedWithTheRSAPublicKey() {
        let publicPEM = Array(TestTokens.rsa.publicKey.pemRepresentation.utf8)
        let forged = TestTokens.hmac(Self.claims, alg: "HS256", secret: publicPEM)
        #expect(
            Self.verifier([Self.rsPublic]).verify(forged, now: Self.now) == .failure(.algorithmNotAccepted("HS256")))
        // Even a rule that also has an HMAC secret never uses the RSA key as one.
        #expect(Self.verifier([Self.rsPublic, Self.hs256]).verify(forged, now: Self.now) == .failure(.badSignature))
        // And an RS256 header over an HMAC signature is not an RS256 signature.
        let input = TestTokens.input("RS256", Self.claims)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: publicPEM))
        let relabelled = input + "." + Base64URL.encode(Array(mac))
        #expect(Self.verifier([Self.rsPublic]).verify(relabelled, now: Self.now) == .failure(.badSignature))
    }

    @Test func refusesATamperedPayload() throws {
        let token = TestTokens.hmac(Self.claims)
        let parts = token.split(separator: ".")
        let admin = TestTokens.part(["sub": "1", "iss": "https://id.example", "aud": "app", "exp": 1_800_000_600])
        let tampered = "\(parts[0]).\(admin).\(parts[2])"
        #expect(Self.verifier([Self.hs256]).verify(tampered, now: Self.now) == .failure(.badSignature))
        let otherKey = TestTokens.hmac(Self.claims, secret: Array("another-secret-of-32-bytes-or-more!".utf8))
        #expect(Self.verifier([Self.hs256]).verify(otherKey, now: Self.now) == .failure(.badSignature))
        let es = TestTokens.es256(Self.claims).split(separator: ".")
        let esTampered = "\(es[0]).\(admin).\(es[2])"
        #expect(Self.verifier([Self.esPublic]).verify(esTampered, now: Self.now) == .failure(.badSignature))
    }

    @Test func checksIssuerAudienceAndRequiredClaims() {
        let token = TestTokens.hmac(Self.claims)
        #expect(
            Self.verifier([Self.hs256], issuer: "https://other").verify(token, now: Self.now) == .failure(.wrongIssuer))
        #expect(Self.verifier([Self.hs256], audience: "admin").verify(token, now: Self.now) == .failure(.wrongAudience))
        let list = TestTokens.hmac(["sub": "42", "iss": "https://id.example", "aud": ["web", "app"]])
        #expect((try? Self.verifier([Self.hs256]).verify(list, now: Self.now).get()) != nil)
        #expect(
            Self.verifier([Self.hs256], required: ["sub", "team"]).verify(token, now: Self.now)
                == .failure(.missingClaim("team")))
        let noIssuer = TestTokens.hmac(["sub": "42", "aud": "app"])
        #expect(Self.verifier([Self.hs256]).verify(noIssuer, now: Self.now) == .failure(.wrongIssuer))
    }

    @Test func checksExpiryAndNotBeforeWithLeeway() {
        let verifier = Self.verifier([Self.hs256], issuer: nil, audience: nil)
        let expired = TestTokens.hmac(["exp": .integer(Int64(Self.now) - 31)])
        #expect(verifier.verify(expired, now: Self.now) == .failure(.expired))
        #expect(JWTFailure.expired.reason == "The token has expired.")
        let withinLeeway = TestTokens.hmac(["exp": .integer(Int64(Self.now) - 29)])
        #expect((try? verifier.verify(withinLeeway, now: Self.now).get()) != nil)
        let early = TestTokens.hmac(["nbf": .integer(Int64(Self.now) + 31)])
        #expect(verifier.verify(early, now: Self.now) == .failure(.notYetValid))
        let almost = TestTokens.hmac(["nbf": .integer(Int64(Self.now) + 29)])
        #expect((try? verifier.verify(almost, now: Self.now).get()) != nil)
        let textExp = TestTokens.hmac(["exp": "tomorrow"])
        #expect(verifier.verify(textExp, now: Self.now) == .failure(.malformed("'exp' is not a number")))
    }

    @Test func refusesMalformedTokens() {
        let verifier = Self.verifier([Self.hs256])
        let good = TestTokens.hmac(Self.claims)
        for token in ["", "abc", "a.b", "a.b.c.d", good + ".x", "!!!." + good, String(repeating: "a", count: 20_000)] {
            guard case .failure(let failure) = verifier.verify(token, now: Self.now) else {
                Issue.record("accepted \(token.prefix(20))")
                continue
            }
            #expect(failure != .expired)
        }
        let crit = TestTokens.part(["alg": "HS256", "crit": ["exp"]]) + "." + TestTokens.part(Self.claims)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(crit.utf8), using: SymmetricKey(data: TestTokens.secret))
        let critical = crit + "." + Base64URL.encode(Array(mac))
        #expect(verifier.verify(critical, now: Self.now) == .failure(.malformed("it has critical header parameters")))
        // A DER-encoded ES256 signature is not the JWS form.
        let input = TestTokens.input("ES256", Self.claims)
        let der = try! TestTokens.ec.signature(for: Array(input.utf8)).derRepresentation
        let derToken = input + "." + Base64URL.encode(Array(der))
        #expect(Self.verifier([Self.esPublic]).verify(derToken, now: Self.now) == .failure(.badSignature))
    }

    @Test func refusesWeakSecretsAndUnusableKeys() {
        #expect(throws: JWTKeyError.self) { try JWTKey.hmac(.hs256, secret: Array(repeating: 1, count: 31)) }
        #expect(throws: JWTKeyError.self) { try JWTKey.hmac(.hs384, secret: Array(repeating: 1, count: 47)) }
        #expect(throws: JWTKeyError.self) { try JWTKey.hmac(.hs512, secret: Array(repeating: 1, count: 63)) }
        let privatePEM = TestTokens.rsa.pemRepresentation
        #expect(throws: JWTKeyError.self) { try JWTKey.publicKey(.rs256, pem: privatePEM) }
        do {
            _ = try JWTKey.publicKey(.rs256, pem: privatePEM)
        } catch {
            #expect(!error.message.contains("BEGIN") && error.hint?.contains("-pubout") == true)
        }
        let ecPEM = TestTokens.ec.publicKey.pemRepresentation
        #expect(throws: JWTKeyError.self) { try JWTKey.publicKey(.rs256, pem: ecPEM) }
        #expect(throws: JWTKeyError.self) { try JWTKey.publicKey(.es256, pem: "not a key") }
        let small = try! _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024)).publicKey.pemRepresentation
        #expect(throws: JWTKeyError.self) { try JWTKey.publicKey(.rs256, pem: small) }
    }

    @Test func loadsJWKSAndPicksTheKeyByKid() throws {
        let other = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        func rsaJWK(_ key: _RSA.Signing.PublicKey, kid: String) throws -> JSONValue {
            let primitives = try key.getKeyPrimitives()
            return [
                "kty": "RSA", "kid": .string(kid), "use": "sig", "alg": "RS256",
                "n": .string(Base64URL.encode(primitives.modulus)),
                "e": .string(Base64URL.encode(primitives.publicExponent)),
            ]
        }
        let raw = Array(TestTokens.ec.publicKey.rawRepresentation)
        let ecJWK: JSONValue = [
            "kty": "EC", "crv": "P-256", "kid": "ec-1", "x": .string(Base64URL.encode(raw[..<32])),
            "y": .string(Base64URL.encode(raw[32...])),
        ]
        let encryption: JSONValue = ["kty": "RSA", "use": "enc", "n": "AQAB", "e": "AQAB"]
        let document: JSONValue = [
            "keys": [
                try rsaJWK(other.publicKey, kid: "old"), try rsaJWK(TestTokens.rsa.publicKey, kid: "new"), ecJWK,
                encryption,
            ]
        ]
        let keys = try JWTKey.jwks(document.serialized())
        #expect(keys.map(\.keyID) == ["old", "new", "ec-1"])
        let verifier = Self.verifier(keys)
        #expect((try? verifier.verify(TestTokens.rs256(Self.claims, kid: "new"), now: Self.now).get()) != nil)
        #expect((try? verifier.verify(TestTokens.rs256(Self.claims, kid: "unknown"), now: Self.now).get()) != nil)
        #expect((try? verifier.verify(TestTokens.es256(Self.claims, kid: "ec-1"), now: Self.now).get()) != nil)
        // Signed by the key "old" names, but claiming to be "new": the named key does not verify it.
        let mislabelled = TestTokens.rs256(Self.claims, key: other, kid: "new")
        #expect(verifier.verify(mislabelled, now: Self.now) == .failure(.badSignature))
        #expect(throws: JWTKeyError.self) { try JWTKey.jwks(#"{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}"#) }
        #expect(throws: JWTKeyError.self) { try JWTKey.jwks("[]") }
    }
}
