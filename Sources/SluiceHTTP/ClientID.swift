/// Random client ids: 22 characters of URL-safe base64, 132 random bits.
enum ClientID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func make() -> String {
        // Three draws (each a system call) give 24 random bytes; the low 6 bits of each of 22 pick a character.
        var generator = SystemRandomNumberGenerator()
        let random = (generator.next(), generator.next(), generator.next())
        return withUnsafeBytes(of: random) { raw in
            String(unsafeUninitializedCapacity: 22) { out in
                for i in 0..<22 { out[i] = alphabet[Int(raw[i] & 63)] }
                return 22
            }
        }
    }
}
