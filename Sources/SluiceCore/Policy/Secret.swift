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

    public var description: String { "***" }
    public var debugDescription: String { "Secret(***)" }
}
