import Crypto
import Foundation
import SluiceAuth
import SluiceConfig
import SluiceCore
import Testing

/// JWT keys from the environment, PEM files and JWKS files, as the loader reads and checks them.
@Suite struct JWTKeyConfigTests {
    static func load(_ jwt: String, in dir: String, environment: [String: String] = [:]) -> ConfigLoader.Result {
        let yaml = """
            version: 1
            auth:
              publishers: [{ name: svc, jwt: \(jwt), channels: [news], channelsClaim: rooms }]
              rules: { r: { token: { header: Authorization, scheme: Bearer }, jwt: \(jwt) } }
            channels: { news: {} }
            routes: [{ path: /e, auth: r, channels: [news] }]
            """
        return ConfigLoader.load(bytes: Array(yaml.utf8), path: "g.yaml", baseDirectory: dir, environment: environment)
    }

    @Test func keysFromFilesTheEnvironmentAndJWKS() throws {
        let dir = FileManager.default.temporaryDirectory.appending(path: "sluice-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let ec = P256.Signing.PrivateKey().publicKey
        try ec.pemRepresentation.write(toFile: "\(dir)/ec.pem", atomically: true, encoding: .utf8)
        let raw = Array(ec.rawRepresentation)
        let jwks =
            #"{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"\#(Base64URL.encode(raw[..<32]))","y":"\#(Base64URL.encode(raw[32...]))"}]}"#
        try jwks.write(toFile: "\(dir)/keys.json", atomically: true, encoding: .utf8)
        let other = P256.Signing.PrivateKey().publicKey.pemRepresentation

        let result = Self.load(
            #"{ es256: "${JWT_PUBLIC_KEY}", jwks: keys.json, audience: app }"#, in: dir,
            environment: ["JWT_PUBLIC_KEY": other])
        let gateway = try #require(result.description, "\(result.diagnostics.map(\.message))")
        #expect(gateway.auth.rules["r"]?.jwt?.keys.map(\.label) == ["ES256", "JWKS"])
        #expect(gateway.auth.publishers.first?.channelsClaim == "rooms")

        let fromFile = Self.load("{ es256: ec.pem }", in: dir)
        #expect(fromFile.description?.auth.rules["r"]?.jwt?.keys.map(\.label) == ["ES256"])

        // The wrong algorithm for the key, and a private key, are errors with hints, never crashes.
        let wrong = Self.load("{ rs256: ec.pem }", in: dir)
        #expect(wrong.description == nil)
        #expect(wrong.diagnostics.contains { $0.message.contains("not an RSA public key") })
        let privatePEM = P256.Signing.PrivateKey().pemRepresentation
        let leaked = Self.load(#"{ es256: "${K}" }"#, in: dir, environment: ["K": privatePEM])
        let diagnostic = try #require(leaked.diagnostics.first { $0.code == .invalidValue })
        #expect(diagnostic.message.contains("private key") && diagnostic.hint?.contains("-pubout") == true)
        #expect(!leaked.diagnostics.contains { $0.message.contains("PRIVATE") || ($0.hint ?? "").contains("PRIVATE") })
    }
}
