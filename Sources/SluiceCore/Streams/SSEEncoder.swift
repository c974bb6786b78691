/// Encodes Server-Sent Events frames (the `text/event-stream` format) as UTF-8 bytes.
///
/// Data is split on every line break (`\r\n`, `\r`, `\n`) into `data:` lines, so any text survives the trip.
/// Names and ids must not contain line breaks or NUL; callers validate them first (``EventName``).
public enum SSEEncoder {
    /// One event: optional `event:` and `id:` lines, the data lines and the blank line that ends it.
    public static func event(name: String?, id: String?, data: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.utf8.count + 64)
        if let id {
            out += "id: ".utf8
            out += id.utf8
            out.append(0x0A)
        }
        if let name {
            out += "event: ".utf8
            out += name.utf8
            out.append(0x0A)
        }
        var previousCR = false
        out += "data: ".utf8
        for byte in data.utf8 {
            if byte == 0x0A && previousCR {
                previousCR = false
                continue
            }
            previousCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                out += "\ndata: ".utf8
            } else {
                out.append(byte)
            }
        }
        out += "\n\n".utf8
        return out
    }

    /// A comment line, which clients ignore: used for heartbeats.
    public static func comment(_ text: String = "") -> [UInt8] {
        Array(":\(text.isEmpty ? "" : " ")\(text.filter { $0 != "\n" && $0 != "\r" })\n\n".utf8)
    }

    /// The reconnection delay hint.
    public static func retry(_ delay: Duration) -> [UInt8] {
        let ms = delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000
        return Array("retry: \(ms)\n\n".utf8)
    }
}
