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
        if let line = statusLine(status) {
            buffer.writeStaticString(line)
        } else {  // a status a hook chose
            buffer.writeStaticString("HTTP/1.1 ")
            writeDecimal(status, into: &buffer)
            buffer.writeStaticString(" Status\r\n")
        }
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

    /// The whole status line of the statuses Sluice answers itself, written as one constant.
    static func statusLine(_ status: Int) -> StaticString? {
        switch status {
        case 200: "HTTP/1.1 200 OK\r\n"
        case 201: "HTTP/1.1 201 Created\r\n"
        case 202: "HTTP/1.1 202 Accepted\r\n"
        case 204: "HTTP/1.1 204 No Content\r\n"
        case 400: "HTTP/1.1 400 Bad Request\r\n"
        case 401: "HTTP/1.1 401 Unauthorized\r\n"
        case 403: "HTTP/1.1 403 Forbidden\r\n"
        case 404: "HTTP/1.1 404 Not Found\r\n"
        case 405: "HTTP/1.1 405 Method Not Allowed\r\n"
        case 409: "HTTP/1.1 409 Conflict\r\n"
        case 411: "HTTP/1.1 411 Length Required\r\n"
        case 412: "HTTP/1.1 412 Precondition Failed\r\n"
        case 413: "HTTP/1.1 413 Content Too Large\r\n"
        case 415: "HTTP/1.1 415 Unsupported Media Type\r\n"
        case 429: "HTTP/1.1 429 Too Many Requests\r\n"
        case 500: "HTTP/1.1 500 Internal Server Error\r\n"
        case 501: "HTTP/1.1 501 Not Implemented\r\n"
        case 503: "HTTP/1.1 503 Service Unavailable\r\n"
        default: nil
        }
    }
}
