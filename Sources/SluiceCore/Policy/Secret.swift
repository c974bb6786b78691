/// A token, key or password from the configuration.
///
/// It never prints: `description` and string interpolation give `***`. Comparison takes time that depends
/// only on the lengths, not on where the first difference is.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let bytes: [UInt8]

    public init(_ value: String) { bytes = Array(value.utf8) }

    /// Compares a presented credential with this secret in constant time.
    public func matches<S: StringProtocol>(_ presented: S) -> Bool {
        var difference: UInt8 = bytes.count == presented.utf8.count ? 0 : 1
        var i = 0
        for b in presented.utf8 {
            difference |= b ^ (bytes.isEmpty ? 0 : bytes[i % bytes.count])
            i += 1
        }
        return difference == 0 && !bytes.isEmpty
    }

    /// The number of bytes, for length checks that must not reveal the value.
    public var byteCount: Int { bytes.count }

    /// Lends the raw bytes to a consumer that needs the key itself (an HMAC key), never to a log.
    public func withRawBytes<R, E: Error>(_ body: ([UInt8]) throws(E) -> R) throws(E) -> R { try body(bytes) }

    public var description: String { "***" }
    public var debugDescription: String { "Secret(***)" }
}
