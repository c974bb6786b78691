#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Declared by glibc only under _GNU_SOURCE, which Swift's Glibc module does not set.
@_silgen_name("pipe2")
private func sluice_pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func sluice_addchdir(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>
) -> Int32

@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func sluice_addclosefrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

/// One run of a hook command: spawned in its own process group with a clean environment, fed its request on
/// stdin, read with bounded output, and killed as a group (SIGTERM, then SIGKILL) on timeout.
///
/// Blocking: it runs on a hook thread, never on an event loop.
public enum HookProcess {
    /// How a run ended.
    public enum Exit: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
        case outputTooLarge
        case spawnFailed(String)
    }

    public struct Result: Sendable {
        public var exit: Exit
        public var stdout: [UInt8]
        /// The last bytes of stderr (at most `maxOutput`).
        public var stderrTail: [UInt8]
        public var duration: Duration
    }

    static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// How long a process group gets between SIGTERM and SIGKILL.
    static let termGrace: Duration = .milliseconds(200)

    public static func run(
        executable: String, arguments: [String], environment: [String: String], workingDirectory: String,
        input: [UInt8], timeout: Duration, maxOutput: Int
    ) -> Result {
        // A hook that exits without reading its request closes the pipe: that is an EPIPE to ignore, not a signal
        // that kills the gateway. (Hooks themselves get default signal handling back.)
        _ = ignoreSIGPIPE
        let clock = ContinuousClock()
        let start = clock.now
        let child: Spawned
        switch spawn(
            executable: executable, arguments: arguments, environment: environment, workingDirectory: workingDirectory)
        {
        case .success(let c): child = c
        case .failure(let reason): return failed(reason.description, start)
        }
        let pid = child.pid

        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var exit: Exit?
        var input = input[...]
        var fds = [child.stdin, child.stdout, child.stderr]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        if input.isEmpty {
            close(fds[0])
            fds[0] = -1
        }
        let deadline = start + timeout
        var buffer = [UInt8](repeating: 0, count: 65536)
        func drain(_ i: Int) -> Bool {
            let n = read(fds[i], &buffer, buffer.count)
            if n > 0 {
                if i == 1 { stdout += buffer[..<n] } else { stderr = Array((stderr + buffer[..<n]).suffix(maxOutput)) }
                return true
            }
            if n == 0 || errno != EAGAIN && errno != EINTR {
                close(fds[i])
                fds[i] = -1
            }
            return false
        }
        while fds[1] >= 0 || fds[2] >= 0 {
            let left = deadline - clock.now
            guard left > .zero else {
                exit = .timedOut
                break
            }
            var polls = fds.enumerated().map { i, fd in
                pollfd(fd: fd, events: Int16(i == 0 ? POLLOUT : POLLIN), revents: 0)
            }
            // Wakes at least every 20 ms: a grandchild holding stdout open must not hide the hook's own exit.
            let ms = Int32(max(1, min(20, Int(left / .milliseconds(1)))))
            guard poll(&polls, nfds_t(polls.count), ms) >= 0 || errno == EINTR else { break }
            if polls[0].revents != 0, fds[0] >= 0 {
                let n = input.withUnsafeBytes { write(fds[0], $0.baseAddress, $0.count) }
                if n > 0 { input = input.dropFirst(n) }
                if n < 0 && errno != EAGAIN || input.isEmpty {
                    close(fds[0])  // stdin closed after the request: the hook sees end of file
                    fds[0] = -1
                }
            }
            for i in 1...2 where fds[i] >= 0 && polls[i].revents != 0 { _ = drain(i) }
            if stdout.count > maxOutput {
                exit = .outputTooLarge
                break
            }
            if hasExited(pid) {
                // What it wrote is in the pipes; a descendant keeping them open is not waited for.
                for i in 1...2 where fds[i] >= 0 { while fds[i] >= 0 && drain(i) {} }
                if stdout.count > maxOutput { exit = .outputTooLarge }
                break
            }
        }
        for fd in fds where fd >= 0 { close(fd) }
        if exit != nil {
            // Timed out or too loud: the whole group gets SIGTERM, then SIGKILL after a grace period.
            kill(-pid, SIGTERM)
            let graceEnd = clock.now + termGrace
            while clock.now < graceEnd && !hasExited(pid) { usleep(5_000) }
        }
        // Whatever is left in its group (a forked grandchild) does not outlive the run. The hook itself is not reaped
        // yet, so its process group id cannot have been reused.
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Result(exit: exit ?? decode(status), stdout: stdout, stderrTail: stderr, duration: clock.now - start)
    }

    /// A started hook process and the gateway's ends of its pipes (non-blocking off, close-on-exec on).
    struct Spawned {
        var pid: pid_t
        var stdin: Int32
        var stdout: Int32
        var stderr: Int32
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts a program in its own process group with exactly `environment`, default signal handling, and no
    /// descriptor of the gateway's but its three pipes.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String], workingDirectory: String
    ) -> Swift.Result<Spawned, SpawnError> {
        _ = ignoreSIGPIPE
        var stdinPipe: [Int32] = [-1, -1]
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        guard sluice_pipe2(&stdinPipe, O_CLOEXEC) == 0 else { return .failure(SpawnError(description: "pipe")) }
        guard sluice_pipe2(&stdoutPipe, O_CLOEXEC) == 0 else {
            closeAll(stdinPipe)
            return .failure(SpawnError(description: "pipe"))
        }
        guard sluice_pipe2(&stderrPipe, O_CLOEXEC) == 0 else {
            closeAll(stdinPipe + stdoutPipe)
            return .failure(SpawnError(description: "pipe"))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        _ = sluice_addchdir(&actions, workingDirectory)
        // Nothing else of the gateway's (sockets, listeners, other hooks' pipes) leaks into the hook.
        _ = sluice_addclosefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (so the whole group can be killed), default signal handling.
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(stdinPipe[0])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard spawned == 0 else {
            closeAll([stdinPipe[1], stdoutPipe[0], stderrPipe[0]])
            return .failure(SpawnError(description: String(cString: strerror(spawned))))
        }
        return .success(Spawned(pid: pid, stdin: stdinPipe[1], stdout: stdoutPipe[0], stderr: stderrPipe[0]))
    }

    /// Whether the process has exited, without reaping it.
    static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0
            && info._sifields._sigchld.si_pid == pid
    }

    static func decode(_ status: Int32) -> Exit {
        let signal = status & 0x7f
        if signal == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(signal)
    }

    private static func closeAll(_ fds: [Int32]) {
        for fd in fds where fd >= 0 { close(fd) }
    }

    private static func failed(_ reason: String, _ start: ContinuousClock.Instant) -> Result {
        Result(exit: .spawnFailed(reason), stdout: [], stderrTail: [], duration: ContinuousClock.now - start)
    }
}
