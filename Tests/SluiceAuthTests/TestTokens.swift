import Crypto
import CryptoExtras
import Foundation
import SluiceJSON

@testable import SluiceAuth

/// Signs test tokens with swift-crypto, the way an identity provider would.
enum TestTokens {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    static let rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let ec = P256.Signing.PrivateKey()

    static func part(_ json: JSONValue) -> String { Base64URL.encode(Array(json.serialized(.sorted).utf8)) }

    /// `header.payload` for an algorithm name and claims.
    static func input(_ alg: String, _ claims: JSONValue, kid: String? = nil) -> String {
        var header: JSONValue = ["alg": .string(alg), "typ": "JWT"]
        if let kid, case .object(var o) = header {
            o["kid"] = .string(kid)
            header = .object(o)
        }
        return part(header) + "." + part(claims)
    }

    static func hmac(_ claims: JSONValue, alg: String = "HS256", secret: [UInt8] = secret) -> String {
        let input = input(alg, claims)
        let key = SymmetricKey(data: secret)
        let mac: [UInt8] =
            switch alg {
            case "HS384": Array(HMAC<SHA384>.authenticationCode(for: Array(input.utf8), using: key))
            case "HS512": Array(HMAC<SHA512>.authenticationCode(for: Array(input.utf8), using: key))
            default: Array(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: key))
            }
        return input + "." + Base64URL.encode(mac)
    }

    static func rs256(_ claims: JSONValue, key: _RSA.Signing.PrivateKey = rsa, kid: String? = nil) -> String {
        let input = input("RS256", claims, kid: kid)
        let signature = try! key.signature(for: SHA256.hash(data: Array(input.utf8)), padding: .insecurePKCS1v1_5)
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }

    static func es256(_ claims: JSONValue, key: P256.Signing.PrivateKey = ec, kid: String? = nil) -> String {
        let input = input("ES256", claims, kid: kid)
        let signature = try! key.signature(for: Array(input.utf8))
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }
}
