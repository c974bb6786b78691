/// Rules for concrete channel names built at run time (from templates or the publish API).
public enum ChannelName {
    /// A sentence fragment saying what is wrong, or `nil` when the name is usable.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.count > ChannelTemplate.maxNameLength {
            return "is longer than \(ChannelTemplate.maxNameLength) bytes"
        }
        for scalar in name.unicodeScalars {
            if scalar == "*" { return "contains '*', which only patterns may use" }
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control {
                return "contains whitespace or a control character"
            }
        }
        return nil
    }
}
