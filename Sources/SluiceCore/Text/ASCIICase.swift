/// Protocol tokens (HTTP authentication schemes, media types) are ASCII and compared without regard to case: done
/// on their bytes, with no lowercased copy.
public enum ASCIICase {
    @inlinable
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// Whether `bytes` starts with `prefix`, ASCII letters matched without regard to case. Inlinable, so callers in
    /// other modules get it specialized for their sequence types (it runs on every API request).
    @inlinable
    public static func hasPrefix(_ bytes: some Sequence<UInt8>, _ prefix: some Sequence<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        for expected in prefix {
            guard let byte = iterator.next(), lowercased(byte) == lowercased(expected) else { return false }
        }
        return true
    }
}
