import Crypto
import CryptoExtras
import Foundation
import SluiceJSON

/// One verification key: the algorithm it verifies, an optional key id, and the swift-crypto key that checks
/// signatures. A key verifies only its own algorithm, which is what defeats algorithm-confusion attacks.
public struct JWTKey: Sendable {
    enum Material: Sendable {
        case hmac(SymmetricKey)
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
    }

    public let algorithm: JWTAlgorithm
    /// The `kid` a token's header may name to pick this key.
    public let keyID: String?
    let material: Material

    /// A shared secret for HS256, HS384 or HS512.
    /// - Throws: when the secret is shorter than the hash's output, which RFC 7518 forbids.
    public static func hmac(_ algorithm: JWTAlgorithm, secret: [UInt8], keyID: String? = nil) throws(JWTKeyError)
        -> JWTKey
    {
        guard algorithm.isHMAC else { throw JWTKeyError("\(algorithm.rawValue) does not use a shared secret") }
        guard secret.count >= algorithm.minimumSecretBytes else {
            throw JWTKeyError(
                "the \(algorithm.rawValue) secret is \(secret.count) bytes; it must be at least "
                    + "\(algorithm.minimumSecretBytes)",
                hint: "use a random secret, e.g. from 'openssl rand -base64 \(algorithm.minimumSecretBytes)'")
        }
        return JWTKey(algorithm: algorithm, keyID: keyID, material: .hmac(SymmetricKey(data: secret)))
    }

    /// A PEM public key (`-----BEGIN PUBLIC KEY-----`) for RS256 or ES256.
    public static func publicKey(_ algorithm: JWTAlgorithm, pem: String, keyID: String? = nil) throws(JWTKeyError)
        -> JWTKey
    {
        if pem.contains("PRIVATE KEY-----") {
            throw JWTKeyError(
                "this is a private key; the gateway needs only the public key",
                hint: "extract it with 'openssl pkey -in private.pem -pubout'")
        }
        switch algorithm {
        case .rs256:
            do {
                return JWTKey(
                    algorithm: .rs256, keyID: keyID, material: .rsa(try _RSA.Signing.PublicKey(pemRepresentation: pem)))
            } catch {
                throw JWTKeyError(
                    "this is not an RSA public key of 2048 bits or more in PEM form",
                    hint: "expected a '-----BEGIN PUBLIC KEY-----' block holding an RSA key")
            }
        case .es256:
            do {
                return JWTKey(
                    algorithm: .es256, keyID: keyID, material: .p256(try P256.Signing.PublicKey(pemRepresentation: pem))
                )
            } catch {
                throw JWTKeyError(
                    "this is not an EC P-256 public key in PEM form",
                    hint: "expected a '-----BEGIN PUBLIC KEY-----' block holding a P-256 key")
            }
        default:
            throw JWTKeyError("\(algorithm.rawValue) uses a shared secret, not a public key")
        }
    }

    /// The RS256 and ES256 keys of a JWKS document (`{"keys": [...]}`). Keys for other uses or algorithms are
    /// skipped; a document with no usable key is an error.
    public static func jwks(_ text: String) throws(JWTKeyError) -> [JWTKey] {
        guard let document = try? JSONValue.parse(text), case .array(let entries)? = document["keys"] else {
            throw JWTKeyError("this is not a JWKS document", hint: "expected a JSON object with a 'keys' array")
        }
        var keys: [JWTKey] = []
        for (index, entry) in entries.enumerated() {
            if let use = entry["use"]?.stringValue, use != "sig" { continue }
            let kid = entry["kid"]?.stringValue
            let alg = entry["alg"]?.stringValue
            switch entry["kty"]?.stringValue {
            case "RSA" where alg == nil || alg == "RS256":
                guard let n = entry["n"]?.stringValue.flatMap(Base64URL.decode),
                    let e = entry["e"]?.stringValue.flatMap(Base64URL.decode),
                    let key = try? _RSA.Signing.PublicKey(n: n, e: e)
                else {
                    throw JWTKeyError(
                        "key \(index + 1) of the JWKS document is not a usable RSA key",
                        hint: "an RSA key needs base64url 'n' and 'e' and at least 2048 bits")
                }
                keys.append(JWTKey(algorithm: .rs256, keyID: kid, material: .rsa(key)))
            case "EC" where alg == nil || alg == "ES256":
                guard entry["crv"]?.stringValue == "P-256" else { continue }
                guard let x = entry["x"]?.stringValue.flatMap(Base64URL.decode),
                    let y = entry["y"]?.stringValue.flatMap(Base64URL.decode), x.count == 32, y.count == 32,
                    let key = try? P256.Signing.PublicKey(rawRepresentation: x + y)
                else {
                    throw JWTKeyError(
                        "key \(index + 1) of the JWKS document is not a usable P-256 key",
                        hint: "a P-256 key needs 32-byte base64url 'x' and 'y' coordinates")
                }
                keys.append(JWTKey(algorithm: .es256, keyID: kid, material: .p256(key)))
            default:
                continue
            }
        }
        if keys.isEmpty {
            throw JWTKeyError(
                "the JWKS document holds no RS256 or ES256 signing key",
                hint: "keys need 'kty' RSA or EC (P-256), and 'use' sig when 'use' is given")
        }
        return keys
    }

    /// Whether `signature` is this key's signature over `input` (constant-time for HMAC).
    func verifies(_ signature: [UInt8], over input: ArraySlice<UInt8>) -> Bool {
        switch (algorithm, material) {
        case (.hs256, .hmac(let key)):
            return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        case (.hs384, .hmac(let key)):
            return HMAC<SHA384>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        case (.hs512, .hmac(let key)):
            return HMAC<SHA512>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        case (.rs256, .rsa(let key)):
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: input),
                padding: .insecurePKCS1v1_5)
        case (.es256, .p256(let key)):
            // JWS carries ES256 signatures as the raw 64-byte R || S, not DER.
            guard signature.count == 64,
                let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return key.isValidSignature(parsed, for: SHA256.hash(data: input))
        default:
            return false
        }
    }
}
