/// Random client ids: 16 random bytes in URL-safe base64 (22 characters).
enum ClientID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(22)
        for _ in 0..<22 { bytes.append(alphabet[Int(generator.next() % 64)]) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
