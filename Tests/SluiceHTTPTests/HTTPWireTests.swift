import NIOCore
import Testing

@testable import SluiceHTTP

@Suite struct HTTPWireTests {
    static func response(_ status: Int, _ headers: [(String, String)] = [], body: String = "") -> String {
        let buffer = HTTPWire.response(
            status: status, headers: headers, body: Array(body.utf8), keepAlive: true, allocator: ByteBufferAllocator())
        return String(buffer: buffer)
    }

    @Test func writesStatusLineHeadersLengthAndBody() {
        #expect(
            Self.response(200, [("Content-Type", "application/json")], body: "{}\n")
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3\r\n"
                + "Connection: keep-alive\r\n\r\n{}\n")
        #expect(Self.response(201).hasPrefix("HTTP/1.1 201 Created\r\n"))
        #expect(Self.response(413).hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
    }

    /// Every status the gateway answers itself has its reason phrase; one a hook chose is still well-formed.
    @Test func everyStatusLineIsWellFormed() {
        for status in [200, 201, 202, 204, 400, 401, 403, 404, 405, 409, 411, 412, 413, 415, 429, 500, 501, 503] {
            let line = Self.response(status).prefix { $0 != "\r" }
            #expect(line.hasPrefix("HTTP/1.1 \(status) ") && line.count > 13, "\(line)")
        }
        #expect(Self.response(451).hasPrefix("HTTP/1.1 451 Status\r\n"))
    }
}
