import SluiceCore
import Testing

@Suite struct SSEEncoderTests {
    /// The framing rule, written the plain way: every `\r\n`, `\r` or `\n` starts a new `data:` line.
    static func reference(name: String?, id: String?, data: String) -> [UInt8] {
        var lines: [[UInt8]] = [[]]
        let bytes = Array(data.utf8)
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case 0x0D:
                lines.append([])
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
            case 0x0A:
                lines.append([])
            default:
                lines[lines.count - 1].append(bytes[i])
            }
            i += 1
        }
        var out: [UInt8] = []
        if let id { out += Array("id: \(id)\n".utf8) }
        if let name { out += Array("event: \(name)\n".utf8) }
        for line in lines { out += Array("data: ".utf8) + line + [0x0A] }
        return out + [0x0A]
    }

    @Test func framesLineBreaksOfEveryKind() {
        #expect(SSEEncoder.event(name: nil, id: nil, data: "") == Array("data: \n\n".utf8))
        #expect(
            SSEEncoder.event(name: "update", id: "k1-2", data: "a\r\nb\rc\nd")
                == Array("id: k1-2\nevent: update\ndata: a\ndata: b\ndata: c\ndata: d\n\n".utf8))
        #expect(
            SSEEncoder.event(name: nil, id: nil, data: "\r\r\n\n\r")
                == Array("data: \ndata: \ndata: \ndata: \ndata: \n\n".utf8))
        #expect(SSEEncoder.event(name: nil, id: nil, data: "x\n") == Array("data: x\ndata: \n\n".utf8))
    }

    @Test func sizeAndBytesAgreeWithTheRule() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [String] = ["a", "é", "😀", "\r", "\n", "\r\n", " ", "data: ", "\u{0}"]
        var cases: [String] = ["", "plain", String(repeating: "long line ", count: 2000), "tail\r", "\n\nhead"]
        for _ in 0..<500 {
            cases.append(
                (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement()! }.joined())
        }
        for data in cases {
            for (name, id) in [(nil, nil), ("tick", "ab-1"), (nil, "x")] as [(String?, String?)] {
                let bytes = SSEEncoder.event(name: name, id: id, data: data)
                #expect(bytes == Self.reference(name: name, id: id, data: data), "\(data.debugDescription)")
                #expect(SSEEncoder.eventSize(name: name, id: id, data: data) == bytes.count)
            }
        }
    }
}
