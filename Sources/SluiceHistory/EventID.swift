/// An event id the gateway assigns: `EPOCH-SEQUENCE`, both in lowercase base 36.
///
/// Ids increase with every event, stay short (at most 27 characters; the limit for a client-sent id is 128
/// bytes), and use only letters, digits and `-`, so sending one back as `Last-Event-ID` never forces a CORS
/// preflight. The epoch (the gateway's start time in milliseconds) tells ids from before a restart.
public struct EventID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var epoch: UInt64
    public var sequence: UInt64

    /// The longest id a client may send back; anything longer is not one of ours.
    public static let maxLength = 128

    public init(epoch: UInt64, sequence: UInt64) {
        self.epoch = epoch
        self.sequence = sequence
    }

    /// Parses an id; `nil` for anything this gateway could not have produced.
    public init?(_ text: String) {
        guard text.utf8.count <= Self.maxLength else { return nil }
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count == 2, let epoch = Self.base36(parts[0]), let sequence = Self.base36(parts[1]) else {
            return nil
        }
        self.init(epoch: epoch, sequence: sequence)
    }

    public var description: String { "\(String(epoch, radix: 36))-\(String(sequence, radix: 36))" }

    public static func < (a: EventID, b: EventID) -> Bool {
        (a.epoch, a.sequence) < (b.epoch, b.sequence)
    }

    /// Strict lowercase base 36 without sign or leading zeros (so each value has exactly one spelling).
    private static func base36(_ digits: Substring.UTF8View.SubSequence) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 13, digits.count == 1 || digits.first != UInt8(ascii: "0") else {
            return nil
        }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte - UInt8(ascii: "a")) + 10
            default: return nil
            }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 36)
            guard !overflow else { return nil }
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            guard !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}
