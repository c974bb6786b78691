import Testing

@testable import SluiceCore

@Suite struct OriginPolicyTests {
    func policy(_ patterns: [String], requireOrigin: Bool = false) throws -> OriginPolicy {
        OriginPolicy(patterns: try patterns.map { try OriginPattern(parsing: $0) }, requireOrigin: requireOrigin)
    }

    @Test func exactAndWildcardOrigins() throws {
        let p = try policy(["https://app.example.com", "https://*.example.org", "http://localhost:3000"])
        #expect(p.decide("https://app.example.com") == .allowed("https://app.example.com"))
        #expect(p.decide("HTTPS://APP.example.com") == .allowed("HTTPS://APP.example.com"))
        #expect(p.decide("https://a.b.example.org") == .allowed("https://a.b.example.org"))
        #expect(p.decide("https://example.org") == .denied)
        #expect(p.decide("https://evilexample.org") == .denied)
        #expect(p.decide("http://app.example.com") == .denied)
        #expect(p.decide("http://localhost:3000") == .allowed("http://localhost:3000"))
        #expect(p.decide("http://localhost:3001") == .denied)
        #expect(p.decide("null") == .denied)
        #expect(p.decide(nil) == .noOrigin)
    }

    @Test func wildcardWithPortMatchesOnlyThatPort() throws {
        let p = try policy(["https://*.example.com:8443"])
        #expect(p.decide("https://a.example.com:8443") == .allowed("https://a.example.com:8443"))
        #expect(p.decide("https://a.example.com") == .denied)
    }

    @Test func anyOriginAndRequiredOrigin() throws {
        let p = try policy(["*"], requireOrigin: true)
        #expect(p.decide("https://x.test") == .allowedAny)
        #expect(p.decide(nil) == .denied)
    }

    @Test func invalidPatterns() {
        for bad in [
            "app.example.com", "https://app.example.com/", "https://a.*.com", "https://*.com:99999", "https://",
            "ht tp://x.com", "https://*.",
        ] {
            #expect(throws: OriginPatternError.self, "\(bad)") { _ = try OriginPattern(parsing: bad) }
        }
    }

    @Test func secretsCompareWithoutPrintingThemselves() {
        let s = Secret("top-secret-token")
        #expect(s.matches("top-secret-token"))
        #expect(!s.matches("top-secret-toke"))
        #expect(!s.matches("top-secret-tokenX"))
        #expect(!s.matches(""))
        #expect(!Secret("").matches(""))
        #expect("\(s)" == "***")
        #expect(String(reflecting: s) == "Secret(***)")
    }

    @Test func listenAddresses() throws {
        #expect(try ListenAddress.parse("127.0.0.1:8080").get() == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(try ListenAddress.parse("[::1]:0").get() == ListenAddress(host: "::1", port: 0))
        #expect(ListenAddress(host: "::1", port: 80).description == "[::1]:80")
        for bad in ["localhost", "::1:80", "127.0.0.1:65536", ":80", "[::1]80", "host name:80"] {
            #expect((try? ListenAddress.parse(bad).get()) == nil, "\(bad)")
        }
    }
}
