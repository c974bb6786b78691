/// A token, key or password from the configuration.
///
/// It never prints: `description` and string interpolation give `***`. Comparison takes time that depends
/// only on the lengths, not on where the first difference is.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let bytes: [UInt8]

    public init(_ value: String) { bytes = Array(value.utf8) }

    /// Compares a presented credential with this secret in constant time.
    public func matches(_ presented: some StringProtocol) -> Bool {
        // One generic step to reach the bytes, then a plain loop (it runs for every API request).
        presented.utf8.withContiguousStorageIfAvailable(matches)
            ?? Array(presented.utf8).withUnsafeBufferPointer(matches)
    }

    /// Every presented byte is compared, against the secret's byte at the same place (or a zero past its end), so
    /// the time depends only on the presented length.
    private func matches(_ presented: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { secret in
            var difference: UInt8 = secret.count == presented.count ? 0 : 1
            for i in 0..<presented.count {
                difference |= presented[i] ^ (i < secret.count ? secret[i] : 0)
            }
            return difference == 0 && !secret.isEmpty
        }
    }

    /// The number of bytes, for length checks that must not reveal the value.
    public var byteCount: Int { bytes.count }

    /// Lends the raw bytes to a consumer that needs the key itself (an HMAC key), never to a log.
    public func withRawBytes<R, E: Error>(_ body: ([UInt8]) throws(E) -> R) throws(E) -> R { try body(bytes) }

    public var description: String { "***" }
    public var debugDescription: String { "Secret(***)" }
}
