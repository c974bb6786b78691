import Testing

@testable import SluiceBench

@Suite struct ResponseScannerTests {
    static func response(
        _ status: Int, _ body: String, lengthHeader: String = "Content-Length", extra: String = ""
    ) -> String {
        "HTTP/1.1 \(status) X\r\nContent-Type: text/plain\r\n\(extra)\(lengthHeader): \(body.utf8.count)\r\n\r\n\(body)"
    }

    static func open(_ status: Int) -> ResponseScanner.Answer { .init(status: status, closes: false) }

    @Test func splitsPipelinedResponsesInOrder() {
        var scanner = ResponseScanner()
        scanner.append(Array((Self.response(200, "{\"id\":1}") + Self.response(202, "queued\n")).utf8))
        #expect(scanner.next() == Self.open(200))
        #expect(scanner.next() == Self.open(202))
        #expect(scanner.next() == nil)
    }

    @Test func waitsForTheWholeBodyAcrossReads() {
        let bytes = Array((Self.response(201, "0123456789") + Self.response(403, "no")).utf8)
        var scanner = ResponseScanner()
        var statuses: [Int] = []
        for byte in bytes {  // one byte per read: the worst split
            scanner.append([byte])
            while let answer = scanner.next() { statuses.append(answer.status) }
        }
        #expect(statuses == [201, 403])
    }

    @Test func readsTheLengthWhateverItsCaseAndWithoutOneTheBodyIsEmpty() {
        var scanner = ResponseScanner()
        scanner.append(Array(Self.response(200, "abc", lengthHeader: "CONTENT-length").utf8))
        scanner.append(Array("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n".utf8))
        scanner.append(Array(Self.response(500, "").utf8))
        #expect(scanner.next() == Self.open(200))
        #expect(scanner.next() == Self.open(204))
        #expect(scanner.next() == Self.open(500))
        #expect(scanner.next() == nil)
    }

    @Test func seesAnAnnouncedClose() {
        var scanner = ResponseScanner()
        scanner.append(Array(Self.response(200, "Published\n", extra: "Connection: Close\r\n").utf8))
        scanner.append(Array(Self.response(200, "{}", extra: "Connection: keep-alive\r\n").utf8))
        #expect(scanner.next() == .init(status: 200, closes: true))
        #expect(scanner.next() == Self.open(200))
    }
}
