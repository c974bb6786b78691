/// What may appear in an event's name or id: no line break and no NUL (they would break SSE framing).
public enum EventName {
    /// The longest name or id accepted, in bytes.
    public static let maxLength = 128

    /// A sentence fragment saying what is wrong, or `nil` when the text is fine.
    public static func problem(_ text: String) -> String? {
        if text.isEmpty { return "cannot be empty" }
        if text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            return "cannot contain a line break or NUL"
        }
        if text.utf8.count > maxLength { return "is longer than \(maxLength) bytes" }
        return nil
    }
}
