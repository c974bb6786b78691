import NIOCore
import SluiceJSON

#if canImport(Glibc)
    import Glibc
#endif

extension PersistentHook {
    /// Reads the process's answer lines (after `LineDecoder`) and hands each to its waiter; a line that is not an
    /// answer, or one too long, is a protocol breach that ends the process.
    final class AnswerReader: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        private let hook: PersistentHook
        private let pid: pid_t
        private let generation: Int
        private var breach: String?

        init(hook: PersistentHook, pid: pid_t, generation: Int) {
            self.hook = hook
            self.pid = pid
            self.generation = generation
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let line = unwrapInboundIn(data)
            let bytes = Array(line.readableBytesView)
            guard case .object(let answer)? = try? JSONValue.parse(bytes), let id = answer["id"]?.doubleValue else {
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }  // a blank line
                breach = "wrote a line that is not a JSON object with an id"
                context.close(promise: nil)
                return
            }
            hook.answered(id: Int64(id), answer: answer, line: bytes)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if error is LineDecoder.TooLong, breach == nil { breach = "wrote a line longer than its maxOutput" }
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            hook.ended(pid: pid, generation: generation, breach: breach)
        }
    }

    /// Keeps the last 2 KiB of the process's stderr for failure logs.
    final class StderrTail: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        private let hook: PersistentHook

        init(hook: PersistentHook) { self.hook = hook }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            hook.appendStderr(unwrapInboundIn(data).readableBytesView)
        }
    }
}
