import NIOCore
import SluiceCore

/// Encodes an SSE event once into a ready-to-write chunk: the exact bytes every subscriber is sent.
struct SSEFrameEncoder: Sendable {
    private let allocator = ByteBufferAllocator()

    /// One event as a chunk, written straight into its buffer (no intermediate array: this runs per event).
    func event(_ name: String?, id: String?, data: String) -> ByteBuffer {
        let size = SSEEncoder.eventSize(name: name, id: id, data: data)
        var buffer = allocator.buffer(capacity: size + 12)
        HTTPWire.writeChunkHead(size, into: &buffer)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) {
            SSEEncoder.writeEvent(name: name, id: id, data: data, into: $0)
        }
        buffer.writeStaticString("\r\n")
        return buffer
    }

    func chunk(_ bytes: [UInt8]) -> ByteBuffer {
        HTTPWire.chunk(bytes, allocator: allocator)
    }
}
