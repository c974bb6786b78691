import NIOCore
import NIOPosix
import SluiceCore
import SluiceJSON
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs hooks off the event loops: per hook at most `concurrency` processes at once and `queue` more waiting (a
/// full queue is a failure, so `onError` decides), decisions cached for their TTL under a hash of what the hook saw,
/// and identical requests in flight at the same time sharing one run.
public final class HookRunner: Sendable {
    /// A finished hook call.
    public struct Run: Sendable {
        public var outcome: HookOutcome
        /// How the process ended (`nil` for a cached or shared decision, or one refused before running).
        public var exit: HookProcess.Exit?
        public var stderrTail: String
        public var duration: Duration
        public var cached: Bool
    }

    private struct Job {
        var spec: HookSpec
        var request: HookRequest
        /// The cache key, when the cache or sharing needed it (computing it serializes the request).
        var key: Int?
        /// The caller's loop (where a persistent hook's answer is delivered).
        var loop: any EventLoop
        /// Who waits for this run: its own promise, or (when shared) everyone in `inFlight[key]`.
        var promise: EventLoopPromise<Run>?
    }

    private struct HookState {
        var running = 0
        var waiting = CircularBuffer<Job>()
        var cache: [Int: (outcome: HookOutcome, until: ContinuousClock.Instant)] = [:]
        var inFlight: [Int: [EventLoopPromise<Run>]] = [:]
    }

    private let pool: NIOThreadPool
    private let loop: any EventLoop
    private let state = Mutex<[String: HookState]>([:])
    private let inherited: [String: String]
    /// The long-running processes of `mode: persistent` hooks, by name.
    private let persistent: [String: PersistentHook]

    /// - Parameters:
    ///   - hooks: the declared hooks (the concurrency of `exec` ones sizes the thread pool, at most 64 threads).
    ///   - environment: the gateway's own environment; a hook gets only the names its `env.inherit` lists.
    ///   - loop: where exec runs complete and persistent hooks' pipes live.
    public init(hooks: [HookSpec], environment: [String: String], loop: any EventLoop) {
        let threads = min(64, 1 + hooks.filter { $0.mode == .exec }.reduce(0) { $0 + $1.concurrency })
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        inherited = environment
        self.loop = loop
        var persistent: [String: PersistentHook] = [:]
        for spec in hooks where spec.mode == .persistent {
            persistent[spec.name] = PersistentHook(
                spec: spec, environment: Self.baseEnvironment(spec, environment), loop: loop, pool: pool)
        }
        self.persistent = persistent
    }

    /// The gateway process's environment, for `env.inherit`.
    public static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            entry += 1
        }
        return result
    }

    public func shutdown() async {
        for hook in persistent.values { hook.shutdown() }
        try? await pool.shutdownGracefully()
    }

    /// Runs `spec` for `request` (or answers from the cache). The future completes on `loop`'s event loop.
    public func run(_ spec: HookSpec, _ request: HookRequest, on loop: any EventLoop) -> EventLoopFuture<Run> {
        let promise = loop.makePromise(of: Run.self)
        let shared = spec.cache > .zero
        // A hook without a cache TTL has cached decisions only when its own answers asked for them.
        let key = shared || withState(spec.name, { !$0.cache.isEmpty }) ? Self.key(spec, request) : nil
        let now = ContinuousClock.now
        enum Next {
            case answer(Run)
            case start(Job)
            case wait
        }
        let next = withState(spec.name) { s -> Next in
            if let key, let hit = s.cache[key] {
                if hit.until > now {
                    return .answer(Run(outcome: hit.outcome, exit: nil, stderrTail: "", duration: .zero, cached: true))
                }
                s.cache[key] = nil
            }
            if shared, let key {
                if s.inFlight[key] != nil {
                    s.inFlight[key]!.append(promise)
                    return .wait
                }
                s.inFlight[key] = [promise]
            }
            let job = Job(spec: spec, request: request, key: key, loop: loop, promise: shared ? nil : promise)
            if s.running < spec.concurrency {
                s.running += 1
                return .start(job)
            }
            guard s.waiting.count < spec.queue else {
                if shared, let key { s.inFlight[key] = nil }
                return .answer(
                    Run(
                        outcome: .failure("its queue is full (\(spec.queue) runs waiting)"), exit: nil, stderrTail: "",
                        duration: .zero, cached: false))
            }
            s.waiting.append(job)
            return .wait
        }
        switch next {
        case .answer(let run): promise.succeed(run)
        case .start(let job): start(job)
        case .wait: break
        }
        return promise.futureResult
    }

    /// One hook's state, changed in place (a copy would copy its whole wait queue on every call).
    private func withState<R>(_ name: String, _ body: (inout HookState) -> R) -> R {
        state.withLock { body(&$0[name, default: HookState()]) }
    }

    private func start(_ job: Job) {
        let future: EventLoopFuture<Run>
        if let persistent = persistent[job.spec.name] {
            // No thread per request: the answer completes on the caller's loop.
            future = persistent.call(job.request, on: job.loop).map(\.run)
        } else {
            let inherited = self.inherited
            future = pool.runIfActive(eventLoop: loop) { () -> Run in
                Self.runOnce(job.spec, job.request, inherited: inherited).run
            }
        }
        future.whenComplete { [self] result in
            let run: Run
            switch result {
            case .success(let r): run = r
            case .failure(let error):
                run = Run(
                    outcome: .failure("could not run: \(error)"), exit: nil, stderrTail: "", duration: .zero,
                    cached: false)
            }
            finished(job, run: run)
        }
    }

    private func finished(_ job: Job, run: Run) {
        let now = ContinuousClock.now
        var ttl = Duration.zero
        switch run.outcome {
        case .allow(_, _, let answered), .deny(_, _, let answered): ttl = answered ?? job.spec.cache
        case .failure: break
        }
        let key = job.key ?? (ttl > .zero ? Self.key(job.spec, job.request) : nil)
        let (waiters, next) = withState(job.spec.name) { s -> ([EventLoopPromise<Run>], Job?) in
            let waiters = job.promise.map { [$0] } ?? job.key.flatMap { s.inFlight.removeValue(forKey: $0) } ?? []
            if let key, ttl > .zero { s.cache[key] = (run.outcome, now + ttl) }
            if s.cache.count > 100_000 { s.cache = s.cache.filter { $0.value.until > now } }
            guard let next = s.waiting.popFirst() else {
                s.running -= 1
                return (waiters, nil)
            }
            return (waiters, next)
        }
        for (i, waiter) in waiters.enumerated() {
            var answer = run
            answer.cached = i > 0
            waiter.succeed(answer)
        }
        if let next { start(next) }
    }

    /// Runs a hook once, right here (blocking), exactly as the gateway does: `sluice hook test` and the runner's
    /// threads call this.
    public static func runOnce(_ spec: HookSpec, _ request: HookRequest, inherited: [String: String]) -> (
        run: Run, stdout: [UInt8]
    ) {
        if spec.mode == .persistent {
            // A process of its own for this one request, on a loop and a spawning thread of their own.
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let pool = NIOThreadPool(numberOfThreads: 1)
            pool.start()
            defer {
                try? group.syncShutdownGracefully()
                try? pool.syncShutdownGracefully()
            }
            let hook = PersistentHook(
                spec: spec, environment: baseEnvironment(spec, inherited), loop: group.next(), pool: pool)
            defer { hook.shutdown() }
            do { return try hook.call(request, on: group.next()).wait() } catch {
                return (
                    Run(outcome: .failure("\(error)"), exit: nil, stderrTail: "", duration: .zero, cached: false), []
                )
            }
        }
        var environment = baseEnvironment(spec, inherited)
        environment.merge(request.environment) { $1 }
        let result = HookProcess.run(
            executable: spec.executable, arguments: spec.arguments, environment: environment,
            workingDirectory: spec.workingDirectory, input: Array(request.json.serialized().utf8) + [0x0A],
            timeout: spec.timeout, maxOutput: spec.maxOutput)
        let outcome = HookOutcome.decide(
            result.exit, stdout: result.stdout, timeout: spec.timeout, denial: request.denial)
        let run = Run(
            outcome: outcome, exit: result.exit,
            stderrTail: String(decoding: result.stderrTail.suffix(2048), as: UTF8.self), duration: result.duration,
            cached: false)
        return (run, result.stdout)
    }

    /// A hook's environment before the request's `SLUICE_*` variables: a default `PATH`, the inherited names, `vars`.
    static func baseEnvironment(_ spec: HookSpec, _ inherited: [String: String]) -> [String: String] {
        var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin"]
        for name in spec.inheritEnvironment { environment[name] = inherited[name] }
        environment.merge(spec.environment) { $1 }
        return environment
    }

    /// The cache key: the hook and what it saw, except the client's own id and address (so a storm of clients with
    /// the same credentials shares one decision). A hash, seeded per process: the token itself is never kept.
    static func key(_ spec: HookSpec, _ request: HookRequest) -> Int {
        var hasher = Hasher()
        hasher.combine(spec.name)
        var json = request.json
        if case .object(var o) = json {
            o["client"] = nil
            json = .object(o)
        }
        hasher.combine(json.serialized(.sorted))
        return hasher.finalize()
    }
}
