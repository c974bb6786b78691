/// Encodes Server-Sent Events frames (the `text/event-stream` format) as UTF-8 bytes.
///
/// Data is split on every line break (`\r\n`, `\r`, `\n`) into `data:` lines, so any text survives the trip.
/// Names and ids must not contain line breaks or NUL; callers validate them first (``EventName``).
public enum SSEEncoder {
    /// One event: optional `event:` and `id:` lines, the data lines and the blank line that ends it.
    public static func event(name: String?, id: String?, data: String) -> [UInt8] {
        let size = eventSize(name: name, id: id, data: data)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = writeEvent(name: name, id: id, data: data, into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// The number of bytes ``event(name:id:data:)`` makes, so a caller can write them straight into its own buffer
    /// with ``writeEvent(name:id:data:into:)``.
    public static func eventSize(name: String?, id: String?, data: String) -> Int {
        var size = 0
        segments(name: name, id: id, data: data) { size += $0.count }
        return size
    }

    /// Writes the event into `out`, which has room for ``eventSize(name:id:data:)`` bytes.
    /// - Returns: the number of bytes written.
    public static func writeEvent(
        name: String?, id: String?, data: String, into out: UnsafeMutableRawBufferPointer
    ) -> Int {
        var written = 0
        segments(name: name, id: id, data: data) { segment in
            precondition(written + segment.count <= out.count, "the buffer is smaller than eventSize")
            UnsafeMutableRawBufferPointer(rebasing: out[written..<written + segment.count]).copyMemory(from: segment)
            written += segment.count
        }
        return written
    }

    /// The event's bytes as runs: fixed prefixes, and the data between its line breaks (each `\r\n`, `\r` or `\n`
    /// becomes a new `data:` line). Sizing and writing share it, so they cannot disagree.
    @inline(__always)
    private static func segments(
        name: String?, id: String?, data: String, _ emit: (UnsafeRawBufferPointer) -> Void
    ) {
        func emitStatic(_ text: StaticString) {
            emit(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        func emitString(_ text: String) {
            var text = text
            text.withUTF8 { emit(UnsafeRawBufferPointer($0)) }
        }
        if let id {
            emitStatic("id: ")
            emitString(id)
            emitStatic("\n")
        }
        if let name {
            emitStatic("event: ")
            emitString(name)
            emitStatic("\n")
        }
        emitStatic("data: ")
        var data = data
        data.withUTF8 { bytes in
            var start = 0
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                guard byte == 0x0A || byte == 0x0D else {
                    i += 1
                    continue
                }
                emit(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<i])))
                emitStatic("\ndata: ")
                // `\r\n` is one break.
                i += byte == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1
                start = i
            }
            emit(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])))
        }
        emitStatic("\n\n")
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
