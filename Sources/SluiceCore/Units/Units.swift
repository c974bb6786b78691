/// Durations (`500ms`, `15s`, `1m30s`) and sizes (`64KiB`, `1MiB`) as written in configuration files.
public enum Units {
    /// Parses a duration: one or more `NUMBER UNIT` groups with units `ms`, `s`, `m`, `h`, `d`; or `0`.
    public static func duration(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        var total = Duration.zero
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let n = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += .milliseconds(n)
            case "s": total += .seconds(n)
            case "m": total += .seconds(n * 60)
            case "h": total += .seconds(n * 3600)
            case "d": total += .seconds(n * 86400)
            default: return nil
            }
        }
        return total
    }

    /// Parses a size: a number of bytes, optionally with `B`, `KB`, `MB`, `GB` (powers of 1000) or `KiB`,
    /// `MiB`, `GiB` (powers of 1024).
    public static func size(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 12, let n = Int(digits) else { return nil }
        let factor: Int
        switch text.dropFirst(digits.count) {
        case "", "B": factor = 1
        case "KB": factor = 1000
        case "MB": factor = 1_000_000
        case "GB": factor = 1_000_000_000
        case "KiB": factor = 1 << 10
        case "MiB": factor = 1 << 20
        case "GiB": factor = 1 << 30
        default: return nil
        }
        let (product, overflow) = n.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// Writes a duration the way a configuration would: `15s`, `500ms`, `10m`, `12h`.
    public static func format(_ duration: Duration) -> String {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if ms == 0 { return "0" }
        if ms % 86_400_000 == 0 { return "\(ms / 86_400_000)d" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }

    /// Writes a size with the largest binary unit that divides it: `64KiB`, `1MiB`, `1000`.
    public static func format(bytes: Int) -> String {
        if bytes > 0 && bytes % (1 << 30) == 0 { return "\(bytes >> 30)GiB" }
        if bytes > 0 && bytes % (1 << 20) == 0 { return "\(bytes >> 20)MiB" }
        if bytes > 0 && bytes % (1 << 10) == 0 { return "\(bytes >> 10)KiB" }
        return "\(bytes)B"
    }
}
