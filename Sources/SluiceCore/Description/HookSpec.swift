/// An external command run on connect, subscribe or disconnect, exchanging JSON on stdin and stdout.
public struct HookSpec: Sendable, Equatable {
    public enum Mode: String, Sendable { case exec, persistent }
    public enum ErrorPolicy: String, Sendable { case deny, allow }

    public var name: String
    /// The program, resolved to an absolute path at load time.
    public var executable: String
    /// The arguments after the program.
    public var arguments: [String]
    public var timeout: Duration
    /// Most bytes read from stdout (and kept from stderr).
    public var maxOutput: Int
    /// Variables set for the hook.
    public var environment: [String: String]
    /// Names passed through from the gateway's own environment; nothing else is inherited.
    public var inheritEnvironment: [String]
    public var workingDirectory: String
    /// How long a decision is reused for the same inputs; zero disables caching.
    public var cache: Duration
    /// Runs at once; more wait in a bounded queue.
    public var concurrency: Int
    /// Requests that may wait for a free slot before new ones are refused.
    public var queue: Int
    public var onError: ErrorPolicy
    public var mode: Mode

    public init(
        name: String, executable: String, arguments: [String], timeout: Duration, maxOutput: Int,
        environment: [String: String], inheritEnvironment: [String], workingDirectory: String, cache: Duration,
        concurrency: Int, queue: Int, onError: ErrorPolicy, mode: Mode
    ) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.timeout = timeout
        self.maxOutput = maxOutput
        self.environment = environment
        self.inheritEnvironment = inheritEnvironment
        self.workingDirectory = workingDirectory
        self.cache = cache
        self.concurrency = concurrency
        self.queue = queue
        self.onError = onError
        self.mode = mode
    }
}
