import Testing

@testable import SluiceBench

@Suite struct ResponseScannerTests {
    static func response(_ status: Int, _ body: String, lengthHeader: String = "Content-Length") -> String {
        "HTTP/1.1 \(status) X\r\nContent-Type: text/plain\r\n\(lengthHeader): \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test func splitsPipelinedResponsesInOrder() {
        var scanner = ResponseScanner()
        scanner.append(Array((Self.response(200, "{\"id\":1}") + Self.response(202, "queued\n")).utf8))
        #expect(scanner.next() == 200)
        #expect(scanner.next() == 202)
        #expect(scanner.next() == nil)
    }

    @Test func waitsForTheWholeBodyAcrossReads() {
        let bytes = Array((Self.response(201, "0123456789") + Self.response(403, "no")).utf8)
        var scanner = ResponseScanner()
        var statuses: [Int] = []
        for byte in bytes {  // one byte per read: the worst split
            scanner.append([byte])
            while let status = scanner.next() { statuses.append(status) }
        }
        #expect(statuses == [201, 403])
    }

    @Test func readsTheLengthWhateverItsCaseAndWithoutOneTheBodyIsEmpty() {
        var scanner = ResponseScanner()
        scanner.append(Array(Self.response(200, "abc", lengthHeader: "CONTENT-length").utf8))
        scanner.append(Array("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n".utf8))
        scanner.append(Array(Self.response(500, "").utf8))
        #expect(scanner.next() == 200)
        #expect(scanner.next() == 204)
        #expect(scanner.next() == 500)
        #expect(scanner.next() == nil)
    }
}
