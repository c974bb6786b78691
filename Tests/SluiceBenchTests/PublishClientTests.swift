import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import SluiceBench

/// The publisher against servers that answer one publish request per connection and then close it: without warning
/// (as nginx does after `keepalive_requests`) the report must say so instead of showing a short run as a complete
/// one; announced with `Connection: close` (as Pushpin's publish endpoint does) the publisher carries on over new
/// connections.
@Suite(.timeLimit(.minutes(1))) struct PublishClientTests {
    /// Holds a stream open for a GET; answers the first publish request of a connection, then closes it.
    final class OneAnswerServer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        /// How the server treats streams and publish requests.
        struct Behaviour: Sendable {
            /// Whether its answer says `Connection: close`.
            var announces = false
            /// Whether it answers a publish request at all before closing.
            var answers = true
            /// The head it answers a stream's GET with, and whether it then closes the stream.
            var streamHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
            var dropsStream = false
        }

        let behaviour: Behaviour
        /// The `"t"` stamps of the publish requests it was sent.
        let stamps: Stamps
        init(_ behaviour: Behaviour, stamps: Stamps) {
            self.behaviour = behaviour
            self.stamps = stamps
        }

        final class Stamps: Sendable {
            let seen = Mutex<Set<UInt64>>([])
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data)
            if bytes.getString(at: bytes.readerIndex, length: 4) == "GET " {
                let channel = context.channel
                let drops = behaviour.dropsStream
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: behaviour.streamHead))).whenComplete { _ in
                    if drops { channel.close(promise: nil) }
                }
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                return
            }
            let text = Array(bytes.readableBytesView)
            let marker = Array(#""t":"#.utf8)
            if let at = (0...max(0, text.count - marker.count)).first(where: { text[$0...].starts(with: marker) }) {
                let digits = text[(at + marker.count)...].prefix { $0 >= 0x30 && $0 <= 0x39 }
                if let stamp = UInt64(String(decoding: digits, as: UTF8.self)) {
                    stamps.seen.withLock { _ = $0.insert(stamp) }
                }
            }
            guard behaviour.answers else { return context.close(promise: nil) }
            let close = behaviour.announces ? "Connection: close\r\n" : ""
            let answer = "HTTP/1.1 200 OK\r\n\(close)Content-Length: 2\r\n\r\n{}"
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    func run(
        rate: Int, _ behaviour: OneAnswerServer.Behaviour, stamps: OneAnswerServer.Stamps = .init()
    ) async throws -> BenchReport {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        OneAnswerServer(behaviour, stamps: stamps))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        var options = BenchOptions()
        (options.port, options.publishPort, options.connections) = (port, port, 1)
        options.rate = rate
        options.duration = .milliseconds(300)
        options.drain = .milliseconds(100)
        let report = try await BenchRunner.run(options)
        try await server.close()
        try await group.shutdownGracefully()
        return report
    }

    @Test(arguments: [0, 50]) func aConnectionTheServerClosesIsCountedNotHidden(rate: Int) async throws {
        let report = try await run(rate: rate, .init())
        #expect(report.established == 1)
        #expect(report.published == 2)  // one answered request per publisher connection
        let errors = report.json["errors"]
        #expect(errors?["publish_connection_closed"] == 2)
    }

    @Test func anAnnouncedCloseGetsANewConnectionAndTheScheduleIsKept() async throws {
        // 50 events/s from two publishers for 0.3 s: 15 requests due, pipelined; every connection takes one.
        let stamps = OneAnswerServer.Stamps()
        let report = try await run(rate: 50, .init(announces: true), stamps: stamps)
        #expect(report.published == 15)
        #expect(report.json["errors"] == [:])
        // Each event carries the time it was due, not the time it finally left (one connection per request made
        // most of them late): the two publishers' stamps interleave exactly 20 ms apart.
        let sorted = stamps.seen.withLock { $0 }.sorted()
        #expect(sorted.count == 15)
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $1 - $0 == 20_000_000 })
    }

    @Test func aClosedLoopCarriesOnOverNewConnections() async throws {
        let report = try await run(rate: 0, .init(announces: true))
        #expect(report.published > 2)
        #expect(report.json["errors"] == [:])
    }

    /// A stream counts as established only when the server answers `200` with an event stream.
    @Test func aPageIsNotAnEventStream() async throws {
        let page = try await run(
            rate: 0, .init(announces: true, streamHead: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"))
        #expect(page.established == 0)
        #expect(page.json["errors"]?["not_event_stream"] == 1)
        let untyped = try await run(
            rate: 0, .init(announces: true, streamHead: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        #expect(untyped.established == 0)
        let spelled = "HTTP/1.1 200 OK\r\ncontent-type:Text/Event-Stream; charset=utf-8\r\n\r\n"
        #expect(try await run(rate: 0, .init(announces: true, streamHead: spelled)).established == 1)
    }

    /// A stream the server closes during the run is counted; the run's own closes at the end are not.
    @Test func aStreamTheServerDropsIsReported() async throws {
        let dropped = try await run(rate: 0, .init(announces: true, dropsStream: true))
        #expect(dropped.established == 1)
        #expect(dropped.json["errors"] == ["stream_closed": 1])
        let kept = try await run(rate: 0, .init(announces: true))
        #expect(kept.json["errors"] == [:])
    }

    /// A request the server never answers, its connection closed under it, is counted as unanswered.
    @Test func aRequestLostWithItsConnectionIsCountedUnanswered() async throws {
        // Closed loop: each of the two publishers has exactly its first request in flight when the server closes.
        let report = try await run(rate: 0, .init(answers: false))
        #expect(report.published == 0)
        #expect(report.json["errors"] == ["publish_connection_closed": 2, "publish_unanswered": 2])
    }
}
