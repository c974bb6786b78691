import SluiceHistory

/// What publishing one event did: its id, and the subscriptions it reached.
struct Published {
    var id: EventID
    var delivered: Int

    /// The publish API's answer, `{"id":"…","delivered":N}`, with `"line":N` last for a line of a batch: written
    /// as bytes (an event id is letters, digits and a dash, nothing to escape), since it is built for every event.
    func answer(line: Int?) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        bytes += #"{"id":""#.utf8
        bytes += id.description.utf8
        bytes += #"","delivered":"#.utf8
        bytes += String(delivered).utf8
        if let line {
            bytes += #","line":"#.utf8
            bytes += String(line).utf8
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
