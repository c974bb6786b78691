import NIOCore
import SluiceCore

/// Encodes an SSE event once into a ready-to-write chunk: the exact bytes every subscriber is sent.
struct SSEFrameEncoder: Sendable {
    private let allocator = ByteBufferAllocator()

    func event(_ name: String?, id: String?, data: String) -> ByteBuffer {
        chunk(SSEEncoder.event(name: name, id: id, data: data))
    }

    func chunk(_ bytes: [UInt8]) -> ByteBuffer {
        HTTPWire.chunk(bytes, allocator: allocator)
    }
}
