import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SluiceCore
import SluiceJSON

#if canImport(Glibc)
    import Glibc
#endif

/// A hook in `mode: persistent`: one long-running process speaking newline-delimited JSON. Each request line is the
/// hook request with an `"id"`; each answer line is a JSON object with the same `"id"` and the answer's members
/// (`allow` required). Many requests are in flight at once; answers may come in any order.
///
/// The process's pipes are NIO channels on one event loop: a request is a buffered write, an answer completes its
/// caller's promise, a timeout is a timer on the caller's loop. No thread waits for an answer; spawning runs on the
/// thread pool and reaping on a thread of its own, so nothing here blocks an event loop.
///
/// When the process dies (or breaks the protocol), the requests in flight fail (their hook's `onError` decides) and
/// it is started again on the next request, after a backoff (100 ms, doubling to 5 s; reset by an answer).
final class PersistentHook: Sendable {
    /// An answer line, parsed, and as the process wrote it.
    struct Answer: Sendable {
        var object: JSONObject
        var line: [UInt8]
    }

    struct Failure: Error {
        var reason: String
    }

    private struct Waiter {
        var promise: EventLoopPromise<Answer>
        var generation: Int
        var timeout: Scheduled<Void>
    }

    /// A started process: its group leader and the channel of its stdin and stdout.
    private struct Process: Sendable {
        var pid: pid_t
        var pipe: any Channel
        var flush: FlushGate
    }

    /// Whether a flush of the requests written in this loop tick is queued (touched only on the pipes' loop): a
    /// burst of requests costs the process one write and one wakeup, not one per request.
    private final class FlushGate: @unchecked Sendable {
        var queued = false
    }

    private struct State {
        /// The running (or starting) process; `nil` until the next request starts one.
        var process: EventLoopFuture<Process>?
        var generation = 0
        var waiters: [Int64: Waiter] = [:]
        var nextID: Int64 = 0
        var restartAt: NIODeadline?
        var backoff: TimeAmount = .milliseconds(100)
        var stderrTail: [UInt8] = []
        var isShutDown = false

        mutating func scheduleRestart() {
            restartAt = .now() + backoff
            backoff = min(backoff * 2, .seconds(5))
        }
    }

    private let spec: HookSpec
    private let environment: [String: String]
    /// Where the pipes live.
    private let loop: any EventLoop
    private let pool: NIOThreadPool
    private let state = NIOLockedValueBox(State())

    init(spec: HookSpec, environment: [String: String], loop: any EventLoop, pool: NIOThreadPool) {
        self.spec = spec
        self.environment = environment
        self.loop = loop
        self.pool = pool
    }

    /// Sends one request; the answer (or the failure) completes on `caller`, within the hook's timeout.
    func call(_ request: HookRequest, on caller: any EventLoop) -> EventLoopFuture<
        (run: HookRunner.Run, stdout: [UInt8])
    > {
        let start = ContinuousClock.now
        let promise = caller.makePromise(of: Answer.self)
        let timeout = TimeAmount.nanoseconds(Int64(spec.timeout / .nanoseconds(1)))
        let begun = state.withLockedValue { s -> Result<(id: Int64, process: EventLoopFuture<Process>), Failure> in
            if s.isShutDown { return .failure(Failure(reason: "the gateway is shutting down")) }
            if s.process == nil {
                if let restartAt = s.restartAt, NIODeadline.now() < restartAt {
                    return .failure(Failure(reason: "it is restarting after it exited"))
                }
                s.generation += 1
                s.process = launch(generation: s.generation)
            }
            s.nextID += 1
            let id = s.nextID
            let timer = caller.scheduleTask(in: timeout) { [self] in
                fail(id, Failure(reason: "did not answer within \(spec.timeout)"))
            }
            s.waiters[id] = Waiter(promise: promise, generation: s.generation, timeout: timer)
            return .success((id, s.process!))
        }
        switch begun {
        case .success(let (id, process)):
            let line = Self.line(request, id: id)
            process.whenComplete { [self] result in
                switch result {
                case .success(let process):
                    process.pipe.eventLoop.assertInEventLoop()
                    process.pipe.write(line).whenFailure { [self] _ in
                        fail(id, Failure(reason: "its stdin is closed (it exited)"))
                    }
                    if !process.flush.queued {
                        process.flush.queued = true
                        process.pipe.eventLoop.execute {
                            process.flush.queued = false
                            process.pipe.flush()
                        }
                    }
                case .failure(let error):
                    fail(id, error as? Failure ?? Failure(reason: "could not start: \(error)"))
                }
            }
        case .failure(let failure):
            promise.fail(failure)
        }
        let denial = request.denial
        return promise.futureResult.map { [self] answer in
            var object = answer.object
            object["id"] = nil
            let outcome: HookOutcome =
                object["allow"] == nil
                ? .failure("answered without 'allow'") : HookOutcome.decide(answer: object, denial: denial)
            return (run(outcome, since: start), answer.line)
        }.recover { [self] error in
            let reason = (error as? Failure)?.reason ?? "\(error)"
            return (run(.failure(reason), since: start), [])
        }
    }

    /// Stops the process (its whole group); what is in flight fails.
    func shutdown() {
        let (process, waiters) = state.withLockedValue { s in
            s.isShutDown = true
            defer {
                s.process = nil
                s.waiters = [:]
            }
            return (s.process, Array(s.waiters.values))
        }
        for waiter in waiters {
            waiter.timeout.cancel()
            waiter.promise.fail(Failure(reason: "the gateway is shutting down"))
        }
        process?.whenSuccess { process in
            kill(-process.pid, SIGKILL)
            process.pipe.close(promise: nil)
        }
    }

    // MARK: - From the pipe handlers

    /// An answer line arrived for request `id`.
    func answered(id: Int64, answer: JSONObject, line: [UInt8]) {
        let waiter = state.withLockedValue { s in
            s.backoff = .milliseconds(100)
            return s.waiters.removeValue(forKey: id)
        }
        guard let waiter else { return }  // timed out already
        waiter.timeout.cancel()
        waiter.promise.succeed(Answer(object: answer, line: line))
    }

    /// The process's stdout closed (it exited) or it broke the protocol: its group is killed and reaped, what it had
    /// in flight fails, and the next request after the backoff starts it again.
    func ended(pid: pid_t, generation: Int, breach: String?) {
        state.withLockedValue { s in
            guard s.generation == generation, !s.isShutDown else { return }
            s.process = nil
            s.scheduleRestart()
        }
        reap(pid, generation: generation, breach: breach)
    }

    func appendStderr(_ bytes: ByteBufferView) {
        state.withLockedValue { s in
            s.stderrTail.append(contentsOf: bytes)
            if s.stderrTail.count > 2048 { s.stderrTail.removeFirst(s.stderrTail.count - 2048) }
        }
    }

    // MARK: - Private

    private func fail(_ id: Int64, _ failure: Failure) {
        guard let waiter = state.withLockedValue({ $0.waiters.removeValue(forKey: id) }) else { return }
        waiter.timeout.cancel()
        waiter.promise.fail(failure)
    }

    /// Kills the process's group and reaps it on a thread of its own (never a loop's), then fails what it had in
    /// flight with the reason.
    private func reap(_ pid: pid_t, generation: Int, breach: String?) {
        kill(-pid, SIGKILL)
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let reason = breach ?? "it exited (\(HookProcess.decode(status)))"
            let failed = state.withLockedValue { s in
                let ids = s.waiters.filter { $0.value.generation == generation }.map(\.key)
                return ids.compactMap { s.waiters.removeValue(forKey: $0) }
            }
            for waiter in failed {
                waiter.timeout.cancel()
                waiter.promise.fail(Failure(reason: reason))
            }
        }
    }

    private func run(_ outcome: HookOutcome, since start: ContinuousClock.Instant) -> HookRunner.Run {
        let tail = state.withLockedValue { String(decoding: $0.stderrTail, as: UTF8.self) }
        return HookRunner.Run(
            outcome: outcome, exit: nil, stderrTail: tail, duration: .now - start, cached: false)
    }

    /// Starts the process (on the thread pool) and opens its pipes as channels on `loop`.
    private func launch(generation: Int) -> EventLoopFuture<Process> {
        let spec = self.spec
        let environment = self.environment
        let loop = self.loop
        return pool.runIfActive(eventLoop: loop) { () throws -> HookProcess.Spawned in
            _ = HookProcess.ignoreSIGPIPE
            switch HookProcess.spawn(
                executable: spec.executable, arguments: spec.arguments, environment: environment,
                workingDirectory: spec.workingDirectory)
            {
            case .success(let spawned): return spawned
            case .failure(let error): throw Failure(reason: "could not start: \(error)")
            }
        }.flatMap { [self] spawned in
            let pid = spawned.pid
            let stdio = NIOPipeBootstrap(group: loop).channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(ByteToMessageHandler(LineDecoder(maxLength: spec.maxOutput)))
                    try sync.addHandler(AnswerReader(hook: self, pid: pid, generation: generation))
                }
            }.takingOwnershipOfDescriptors(input: spawned.stdout, output: spawned.stdin)
            let stderr = NIOPipeBootstrap(group: loop).channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StderrTail(hook: self))
                }
            }.takingOwnershipOfDescriptor(input: spawned.stderr)
            stderr.whenFailure { _ in close(spawned.stderr) }
            return stdio.map { Process(pid: pid, pipe: $0, flush: FlushGate()) }.flatMapErrorThrowing { [self] error in
                close(spawned.stdout)
                close(spawned.stdin)
                reap(pid, generation: generation, breach: nil)
                throw Failure(reason: "could not start: \(error)")
            }
        }.flatMapErrorThrowing { [self] error in
            // Could not start: the next request waits out the backoff.
            state.withLockedValue { s in
                guard s.generation == generation, !s.isShutDown else { return }
                s.process = nil
                s.scheduleRestart()
            }
            throw error
        }
    }

    /// The request as one line with its id last: the request's own members, then `"id":7}` (as the id was always
    /// placed, so hooks that look for the last `"id":` keep working).
    private static func line(_ request: HookRequest, id: Int64) -> ByteBuffer {
        let json = request.json.serializedBytes()
        var buffer = ByteBuffer()
        buffer.reserveCapacity(json.count + 24)
        if json.count > 2 {
            buffer.writeBytes(json.dropLast())
            buffer.writeString(",\"id\":\(id)}\n")
        } else {
            buffer.writeString("{\"id\":\(id)}\n")
        }
        return buffer
    }
}
