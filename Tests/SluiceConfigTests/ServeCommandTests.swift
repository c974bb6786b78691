import Foundation
import Glibc
import Testing

/// `sluice serve` as a process: it logs where it listens, serves a stream, and on SIGTERM ends the stream with
/// an `end` event and exits 0.
@Suite(.timeLimit(.minutes(1))) struct ServeCommandTests {
    @Test func sigtermEndsStreamsAndExits() throws {
        let dir = FileManager.default.temporaryDirectory.appending(path: "sluice-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appending(path: "gateway.yaml")
        try """
        version: 1
        server: { listen: "127.0.0.1:0", shutdownTimeout: 3s }
        channels: { news: {} }
        routes: [{ path: /events, channels: [news] }]
        """.write(to: config, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = TestPaths.sluiceBinary
        process.arguments = ["serve", config.path]
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        defer { if process.isRunning { process.interrupt() } }

        var log = ""
        var port: Int?
        while port == nil {
            let data = stderr.fileHandleForReading.availableData
            try #require(!data.isEmpty, "sluice serve exited early: \(log)")
            log += String(decoding: data, as: UTF8.self)
            if let range = log.firstRange(of: "sluice.address=127.0.0.1:") {
                port = Int(log[range.upperBound...].prefix { $0.isNumber })
            }
        }
        let socket = try TestSocket(port: try #require(port))
        try socket.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        var received = try socket.read(until: "event: connected")
        let started = ContinuousClock.now
        process.terminate()  // SIGTERM
        received += try socket.readToEnd()
        socket.close()
        process.waitUntilExit()
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(process.terminationStatus == 0)
        #expect(received.contains("event: end\ndata: {\"reason\":\"shutdown\"}\n\n"))
        #expect(received.hasSuffix("0\r\n\r\n"))
        log += String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("INFO shutting down"))
        #expect(log.contains("INFO stopped"))
    }
}

/// A blocking TCP client with a receive timeout, enough to talk to a gateway in another process.
struct TestSocket {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(result == 0, "cannot connect to port \(port)")
    }

    func close() { Glibc.close(fd) }

    func send(_ text: String) throws {
        var text = text
        let sent = text.withUTF8 { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        try #require(sent == text.utf8.count)
    }

    func read(until marker: String) throws -> String {
        var text = ""
        while !text.contains(marker) {
            let chunk = try readChunk()
            try #require(!chunk.isEmpty, "connection closed before '\(marker)': \(text)")
            text += chunk
        }
        return text
    }

    func readToEnd() throws -> String {
        var text = ""
        while true {
            let chunk = try readChunk()
            if chunk.isEmpty { return text }
            text += chunk
        }
    }

    private func readChunk() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, 0)
        try #require(n >= 0, "receive timed out")
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }
}
