import NIOCore

/// HTTP/1.1 responses written as bytes. Sluice encodes responses itself so that a stream's events can be
/// chunk-framed once and the same buffer written to every subscriber.
enum HTTPWire {
    /// A status line and headers, ending with the blank line.
    static func head(status: Int, headers: [(String, String)], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 256)
        writeHead(status: status, headers: headers, into: &buffer)
        buffer.writeStaticString("\r\n")
        return buffer
    }

    /// A complete response with a `Content-Length` body, in one buffer (built for every API answer, so without
    /// intermediate strings or header lists).
    static func response(
        status: Int, headers: [(String, String)], body: [UInt8], keepAlive: Bool, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 192 + body.count)
        writeHead(status: status, headers: headers, into: &buffer)
        buffer.writeStaticString("Content-Length: ")
        writeDecimal(body.count, into: &buffer)
        buffer.writeStaticString(keepAlive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n")
        buffer.writeBytes(body)
        return buffer
    }

    /// The status line and headers, without the blank line that ends them.
    private static func writeHead(status: Int, headers: [(String, String)], into buffer: inout ByteBuffer) {
        buffer.writeStaticString("HTTP/1.1 ")
        writeDecimal(status, into: &buffer)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(reasonPhrase(status))
        buffer.writeStaticString("\r\n")
        for (name, value) in headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
    }

    /// A non-negative integer in decimal (its string is small: no allocation).
    private static func writeDecimal(_ value: Int, into buffer: inout ByteBuffer) {
        buffer.writeString(String(max(0, value)))
    }

    /// One chunk of a chunked body holding `bytes`.
    static func chunk(_ bytes: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: bytes.count + 12)
        writeChunkHead(bytes.count, into: &buffer)
        buffer.writeBytes(bytes)
        buffer.writeStaticString("\r\n")
        return buffer
    }

    /// A chunk's size line: its length in hexadecimal and CRLF.
    static func writeChunkHead(_ size: Int, into buffer: inout ByteBuffer) {
        buffer.writeString(String(size, radix: 16))
        buffer.writeStaticString("\r\n")
    }

    /// The chunk that ends a chunked body.
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
