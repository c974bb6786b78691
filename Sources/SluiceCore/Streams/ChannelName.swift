/// Rules for concrete channel names built at run time (from templates or the publish API).
public enum ChannelName {
    /// A sentence fragment saying what is wrong, or `nil` when the name is usable.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.count > ChannelTemplate.maxNameLength {
            return "is longer than \(ChannelTemplate.maxNameLength) bytes"
        }
        // Names are nearly always ASCII: judge those bytes directly (this runs for every published event).
        var ascii = true
        for byte in name.utf8 {
            if byte >= 0x80 {
                ascii = false
            } else if byte == 0x2A {
                return "contains '*', which only patterns may use"
            } else if byte <= 0x20 || byte == 0x7F {
                return "contains whitespace or a control character"
            }
        }
        if ascii { return nil }
        for scalar in name.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control {
                return "contains whitespace or a control character"
            }
        }
        return nil
    }
}
