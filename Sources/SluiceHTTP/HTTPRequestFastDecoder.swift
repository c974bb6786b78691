import NIOCore
import NIOHTTP1

/// Reads the plain HTTP/1.1 requests publishers and browsers send straight into NIO's request parts, without NIO's
/// general decoder: a request line in origin form, header lines of visible ASCII, and a `Content-Length` body of
/// at most ``maxBody`` bytes.
///
/// Anything else — a chunked body, an upgrade, `Expect`, folded or non-ASCII header lines, bare line feeds, a head
/// over ``maxHead`` bytes, any syntax it does not know, a request still incomplete after ``maxIncompleteReads``
/// reads — switches the connection to NIO's `HTTPRequestDecoder` for good, handing it every byte read so far: from
/// there the connection behaves exactly as it would without this handler, errors included. A test compares the two
/// on valid, unusual and random requests.
final class HTTPRequestFastDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart

    static let maxHead = 16 * 1024
    static let maxBody = 64 * 1024
    /// Reads that may leave a request incomplete before NIO's (incremental) decoder takes over: this one reads a
    /// request from its start each time, so a request trickling in byte by byte must not be read thousands of times.
    static let maxIncompleteReads = 3

    /// Bytes of a request not complete yet.
    private var buffered: ByteBuffer?
    /// Whether NIO's decoder (after this handler) reads the connection now.
    private var passingThrough = false
    /// Reads since the last complete request that left one incomplete.
    private var incompleteReads = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if passingThrough { return context.fireChannelRead(data) }
        var incoming = unwrapInboundIn(data)
        if buffered == nil { buffered = incoming } else { buffered!.writeBuffer(&incoming) }
        while let buffer = buffered, buffer.readableBytes > 0, !passingThrough {
            switch buffer.withUnsafeReadableBytes(HTTPRequestFastParser.parse) {
            case .incomplete:
                incompleteReads += 1
                if incompleteReads >= Self.maxIncompleteReads { fallBack(context: context) }
                return
            case .unsupported:
                return fallBack(context: context)
            case .request(let head, let headLength, let bodyLength):
                incompleteReads = 0
                let body =
                    bodyLength > 0 ? buffer.getSlice(at: buffer.readerIndex + headLength, length: bodyLength) : nil
                buffered!.moveReaderIndex(forwardBy: headLength + bodyLength)
                if buffered!.readableBytes == 0 { buffered = nil }
                context.fireChannelRead(wrapInboundOut(.head(head)))
                if let body { context.fireChannelRead(wrapInboundOut(.body(body))) }
                context.fireChannelRead(wrapInboundOut(.end(nil)))
            }
        }
    }

    /// Puts NIO's decoder right after this handler and gives it what was read so far.
    private func fallBack(context: ChannelHandlerContext) {
        passingThrough = true
        do {
            try context.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)), position: .after(self))
        } catch {
            return context.close(promise: nil)
        }
        if let rest = buffered {
            buffered = nil
            context.fireChannelRead(NIOAny(rest))
        }
    }
}
