import NIOCore

/// Splits a byte stream into newline-terminated lines (without the newline), refusing a line longer than its limit.
struct LineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// A line grew past the limit without ending.
    struct TooLong: Error {}

    let maxLength: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: 0x0A) else {
            if buffer.readableBytes > maxLength { throw TooLong() }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= maxLength else { throw TooLong() }
        let line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 1)
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        // A last line without its newline is not an answer; the process is gone anyway.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
