import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import SluiceHTTP

/// The fast decoder must read every input exactly as NIO's decoder does: the same request parts (bodies joined:
/// NIO splits them where reads split), and an error where NIO has one, however the bytes arrive.
@Suite struct HTTPRequestFastDecoderTests {
    struct Outcome: Equatable {
        var parts: [HTTPServerRequestPart]
        var failed: Bool
    }

    static func decode(_ chunks: [[UInt8]], fast: Bool) throws -> Outcome {
        let channel = EmbeddedChannel()
        if fast {
            try channel.pipeline.syncOperations.addHandler(HTTPRequestFastDecoder())
        } else {
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
        }
        var failed = false
        for chunk in chunks where !failed {
            do { try channel.writeInbound(ByteBuffer(bytes: chunk)) } catch { failed = true }
        }
        var parts: [HTTPServerRequestPart] = []
        while let part = try channel.readInbound(as: HTTPServerRequestPart.self) {
            if case .body(var more) = part, case .body(var body)? = parts.last {
                body.writeBuffer(&more)
                parts[parts.count - 1] = .body(body)
            } else {
                parts.append(part)
            }
        }
        _ = try? channel.finish()
        // A request still incomplete when the bytes end is not compared: NIO hands on its head and body so far,
        // the fast decoder waits for the rest; the connection acts on a request only at its end.
        if !failed, let end = parts.lastIndex(where: { if case .end = $0 { true } else { false } }) {
            parts.removeSubrange((end + 1)...)
        } else if !failed {
            parts.removeAll()
        }
        return Outcome(parts: parts, failed: failed)
    }

    /// The bytes whole, one at a time, and cut in two at every place.
    static func splits(_ bytes: [UInt8]) -> [[[UInt8]]] {
        var result = [[bytes], bytes.map { [$0] }]
        for cut in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 40)) {
            result.append([Array(bytes[..<cut]), Array(bytes[cut...])])
        }
        return result
    }

    static func expectSame(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for chunks in splits(Array(text.utf8)) {
            let nio = try decode(chunks, fast: false)
            let fast = try decode(chunks, fast: true)
            #expect(fast == nio, "\(text.debugDescription) in \(chunks.count) pieces", sourceLocation: sourceLocation)
        }
    }

    static let publish =
        "POST /_sluice/publish HTTP/1.1\r\nHost: 127.0.0.1:8090\r\nAuthorization: Bearer t0k3n\r\n"
        + "Content-Type: application/json\r\nContent-Length: 35\r\n\r\n{\"channel\":\"user:1\",\"data\":\"hello\"}"

    @Test func readsWhatPublishersAndBrowsersSend() throws {
        try Self.expectSame(Self.publish)
        try Self.expectSame(Self.publish + Self.publish)  // pipelined
        try Self.expectSame(
            "GET /events/users/42?token=x%20y HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                + "Last-Event-ID: k1-2\r\nOrigin: https://app.example\r\nCookie: a=1; b=2\r\n\r\n")
        try Self.expectSame("GET / HTTP/1.0\r\n\r\n")
        try Self.expectSame("GET /t HTTP/1.1\r\nX-!#$%&'*+-.^_`|~09az: every token character\r\n\r\n")
        try Self.expectSame("HEAD /x HTTP/1.1\r\nConnection: close\r\n\r\n")
        try Self.expectSame(
            "OPTIONS /_sluice/publish HTTP/1.1\r\nOrigin: https://a.example\r\n"
                + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization\r\n\r\n")
        try Self.expectSame("DELETE /_sluice/clients/abc HTTP/1.1\r\nX-Empty:\r\nX-Spaces:   padded \t \r\n\r\n")
        try Self.expectSame(
            "PUT /s HTTP/1.1\r\ncontent-length: 0\r\n\r\nPATCH /s HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
    }

    /// What the fast path leaves to NIO: read by NIO, so answered (or refused) as NIO would.
    @Test func leavesTheUnusualToNIO() throws {
        let unusual = [
            "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "GET /p HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
            "POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
            "GET /p HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n",
            "GET /p HTTP/1.1\nHost: lf-only\n\n",
            "GET /p HTTP/1.1\r\nHost: bare\rcr\r\n\r\n",
            "GET /p HTTP/1.1\r\nHost : space\r\n\r\n",
            "GET /p HTTP/1.1\r\nX-Name: café\r\n\r\n",
            "get /p HTTP/1.1\r\n\r\n", "FOO /p HTTP/1.1\r\n\r\n", "GET http://a/p HTTP/1.1\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\n\r\n", "GET /p HTTP/2.0\r\n\r\n", "GET /p HTTP/1.1 \r\n\r\n",
            "GET  /p HTTP/1.1\r\n\r\n",
            "GET /p\r\n\r\n", "\r\nGET /p HTTP/1.1\r\n\r\n", "POST /p HTTP/1.1\r\nContent-Length: +2\r\n\r\nhi",
            "POST /p HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
            "POST /p HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\nhi",
            "POST /p HTTP/1.1\r\nContent-Length: \(HTTPRequestFastDecoder.maxBody + 1)\r\n\r\n",
            "GET /p HTTP/1.1\r\nX: \u{7F}\r\n\r\n", "GET /p HTTP/1.1\r\n: empty-name\r\n\r\n",
            "GET /p HTTP/1.1\r\nX(y): not a token\r\n\r\n", "GET /p HTTP/1.1\r\nX\"y: quote\r\n\r\n",
            Self.publish + "GARBAGE\r\n\r\n",
        ]
        for text in unusual { try Self.expectSame(text) }
    }

    /// Which decoder read the bytes: plain requests stay on the fast path (else it would be correct but useless).
    @Test func plainRequestsStayOnTheFastPath() throws {
        func handsToNIO(_ chunks: [String]) throws -> Bool {
            let channel = EmbeddedChannel(handler: HTTPRequestFastDecoder())
            defer { _ = try? channel.finish() }
            for chunk in chunks { try channel.writeInbound(ByteBuffer(string: chunk)) }
            return
                (try? channel.pipeline.syncOperations.handler(
                    type: ByteToMessageHandler<HTTPRequestDecoder>.self)) != nil
        }
        #expect(try !handsToNIO([Self.publish, Self.publish + Self.publish]))
        let half = Self.publish.utf8.count / 2
        #expect(try !handsToNIO([String(Self.publish.prefix(half)), String(Self.publish.dropFirst(half))]))
        #expect(try handsToNIO(["POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"]))
        // A request trickling in is left to NIO's incremental decoder after a few reads.
        #expect(try handsToNIO(Self.publish.prefix(HTTPRequestFastDecoder.maxIncompleteReads).map { String($0) }))
    }

    @Test func aLargeHeadGoesToNIO() throws {
        let big = "GET /p HTTP/1.1\r\nX-Big: \(String(repeating: "a", count: HTTPRequestFastDecoder.maxHead))\r\n\r\n"
        let chunks = [Array(big.utf8)]
        #expect(try Self.decode(chunks, fast: true) == Self.decode(chunks, fast: false))
    }

    /// Valid requests with one byte removed, or one byte inserted or replaced by each of a set of troublesome ones,
    /// at every place: whole, and cut in two right after the change.
    @Test func everySingleByteMutationAgrees() throws {
        let bases = [Array(Self.publish.utf8), Array("GET /events/a HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n".utf8)]
        let replacements: [UInt8] = Array(" \t\r\n:/?%aZ0\u{7F}".utf8) + [0x00, 0x80, 0xC3]
        var compared = 0
        for base in bases {
            for at in base.indices {
                var mutants = [base]
                mutants[0].remove(at: at)
                for byte in replacements {
                    var inserted = base
                    inserted.insert(byte, at: at)
                    var replaced = base
                    replaced[at] = byte
                    mutants += [inserted, replaced]
                }
                for bytes in mutants {
                    let cut = min(at + 1, bytes.count)
                    for chunks in [[bytes], [Array(bytes[..<cut]), Array(bytes[cut...])]] {
                        let nio = try Self.decode(chunks, fast: false)
                        let fast = try Self.decode(chunks, fast: true)
                        #expect(fast == nio, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 10_000)
    }
}
