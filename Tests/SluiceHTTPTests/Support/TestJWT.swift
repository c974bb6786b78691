import Crypto
import Foundation
import SluiceAuth
import SluiceJSON

/// HS256 tokens for the gateway tests (the algorithm matrix and the attacks are SluiceAuthTests' work).
enum TestJWT {
    static let secret = "test-jwt-secret-of-at-least-32-bytes!!"

    static func hs256(_ claims: JSONValue, secret: String = TestJWT.secret) -> String {
        let input =
            Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "."
            + Base64URL.encode(Array(claims.serialized().utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return input + "." + Base64URL.encode(Array(mac))
    }

    /// Claims for `sub` that expire `expiresIn` seconds from now.
    static func claims(_ sub: String, expiresIn: Int = 600, extra: [String: JSONValue] = [:]) -> JSONValue {
        var o = JSONObject()
        o["sub"] = .string(sub)
        o["exp"] = .integer(Int64(Date().timeIntervalSince1970) + Int64(expiresIn))
        for (key, value) in extra { o[key] = value }
        return .object(o)
    }
}
