import Dispatch
import Foundation
import NIOConcurrencyHelpers
import SluiceCore
import SluiceJSON

#if canImport(Glibc)
    import Glibc
#endif

/// A hook in `mode: persistent`: one long-running process speaking newline-delimited JSON. Each request line is the
/// hook request with an `"id"`; each answer line is a JSON object with the same `"id"` and the answer's members
/// (`allow` required). Many requests are in flight at once; answers may come in any order.
///
/// When the process dies, the requests in flight fail (their hook's `onError` decides) and it is started again on
/// the next request, after a backoff (100 ms, doubling to 5 s; reset by an answer).
final class PersistentHook: @unchecked Sendable {
    private final class Waiter {
        let semaphore = DispatchSemaphore(value: 0)
        var answer: Swift.Result<JSONObject, SpawnFailure>?
    }

    private struct SpawnFailure: Error {
        var reason: String
    }

    private let spec: HookSpec
    private let environment: [String: String]
    private let lock = NIOLock()
    private let writeLock = NIOLock()
    // Guarded by `lock`.
    private var child: HookProcess.Spawned?
    private var generation = 0
    private var waiters: [Int64: Waiter] = [:]
    private var nextID: Int64 = 0
    private var restartAt: ContinuousClock.Instant?
    private var backoff: Duration = .milliseconds(100)
    private var stderrTail: [UInt8] = []
    private var isShutDown = false

    init(spec: HookSpec, environment: [String: String]) {
        self.spec = spec
        self.environment = environment
    }

    /// Sends one request and waits (blocking this hook thread) for its answer, at most the hook's timeout.
    func call(_ request: HookRequest) -> (run: HookRunner.Run, stdout: [UInt8]) {
        let clock = ContinuousClock()
        let start = clock.now
        func failure(_ why: String) -> (HookRunner.Run, [UInt8]) {
            let tail = lock.withLock { String(decoding: stderrTail, as: UTF8.self) }
            return (
                HookRunner.Run(
                    outcome: .failure(why), exit: nil, stderrTail: tail, duration: clock.now - start, cached: false), []
            )
        }
        let waiter = Waiter()
        let started: Swift.Result<(Int64, Int32), SpawnFailure> = lock.withLock {
            if isShutDown { return .failure(SpawnFailure(reason: "the gateway is shutting down")) }
            if child == nil {
                if let restartAt, clock.now < restartAt {
                    return .failure(SpawnFailure(reason: "it is restarting after it exited"))
                }
                switch HookProcess.spawn(
                    executable: spec.executable, arguments: spec.arguments, environment: environment,
                    workingDirectory: spec.workingDirectory)
                {
                case .success(let spawned):
                    child = spawned
                    generation += 1
                    startReaders(spawned, generation: generation)
                case .failure(let error):
                    scheduleRestart()
                    return .failure(SpawnFailure(reason: "could not start: \(error)"))
                }
            }
            nextID += 1
            waiters[nextID] = waiter
            return .success((nextID, child!.stdin))
        }
        let (id, fd): (Int64, Int32)
        switch started {
        case .success(let value): (id, fd) = value
        case .failure(let error): return failure(error.reason)
        }
        let gen = lock.withLock { generation }
        guard case .object(var object) = request.json else { return failure("bad request") }
        object["id"] = .integer(id)
        let line = JSONValue.object(object).serializedBytes() + [0x0A]
        // The descriptor is still this process's while `child` is (it is closed under `writeLock` after that).
        let written = writeLock.withLock {
            lock.withLock { child?.stdin == fd && generation == gen } && Self.writeAll(fd, line)
        }
        guard written else {
            lock.withLock { _ = waiters.removeValue(forKey: id) }
            return failure("its stdin is closed (it exited)")
        }
        let deadline = DispatchTime.now() + .nanoseconds(Int(spec.timeout / .nanoseconds(1)))
        if waiter.semaphore.wait(timeout: deadline) == .timedOut {
            let answered = lock.withLock { waiters.removeValue(forKey: id) == nil }
            if !answered { return failure("did not answer within \(spec.timeout)") }
            waiter.semaphore.wait()  // the answer is being delivered right now
        }
        switch waiter.answer {
        case .success(let answer)?:
            var answer = answer
            answer["id"] = nil
            guard answer["allow"] != nil else { return failure("answered without 'allow'") }
            let stdout = JSONValue.object(answer).serializedBytes()
            let outcome = HookOutcome.decide(.exited(0), stdout: stdout, timeout: spec.timeout, denial: request.denial)
            let tail = lock.withLock { String(decoding: stderrTail, as: UTF8.self) }
            return (
                HookRunner.Run(
                    outcome: outcome, exit: nil, stderrTail: tail, duration: clock.now - start, cached: false),
                stdout
            )
        case .failure(let error)?: return failure(error.reason)
        case nil: return failure("no answer")
        }
    }

    /// Stops the process (its whole group).
    func shutdown() {
        let pid = lock.withLock { () -> pid_t? in
            isShutDown = true
            return child?.pid
        }
        if let pid { kill(-pid, SIGKILL) }
    }

    private func scheduleRestart() {
        restartAt = ContinuousClock.now + backoff
        backoff = min(backoff * 2, .seconds(5))
    }

    private func startReaders(_ child: HookProcess.Spawned, generation: Int) {
        Thread.detachNewThread { [self] in readAnswers(child, generation: generation) }
        Thread.detachNewThread { [self] in readStderr(child.stderr) }
    }

    /// Reads answer lines until the process closes stdout; then fails what is in flight and reaps it.
    private func readAnswers(_ child: HookProcess.Spawned, generation: Int) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var breach: String?
        reading: while true {
            let n = read(child.stdout, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            pending += buffer[..<n]
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                guard case .object(let answer)? = try? JSONValue.parse(line), let id = answer["id"]?.doubleValue else {
                    breach = "wrote a line that is not a JSON object with an id"
                    break reading
                }
                let waiter = lock.withLock { () -> Waiter? in
                    backoff = .milliseconds(100)
                    return waiters.removeValue(forKey: Int64(id))
                }
                if let waiter {
                    waiter.answer = .success(answer)
                    waiter.semaphore.signal()
                }
            }
            if pending.count > spec.maxOutput {
                breach = "wrote a line longer than its maxOutput"
                break
            }
        }
        // Dead, or broke the protocol: the whole group goes, requests in flight fail, the next request restarts it.
        kill(-child.pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
        close(child.stdout)
        let failed = lock.withLock { () -> [Waiter] in
            guard self.generation == generation else { return [] }
            self.child = nil
            scheduleRestart()
            let all = Array(waiters.values)
            waiters = [:]
            return all
        }
        _ = writeLock.withLock { close(child.stdin) }
        let reason = breach ?? "it exited (\(HookProcess.decode(status)))"
        for waiter in failed {
            waiter.answer = .failure(SpawnFailure(reason: reason))
            waiter.semaphore.signal()
        }
    }

    private func readStderr(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            lock.withLock { stderrTail = Array((stderrTail + buffer[..<n]).suffix(2048)) }
        }
        close(fd)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}
