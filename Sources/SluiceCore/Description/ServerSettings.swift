/// Where and how the gateway listens.
public struct ServerSettings: Sendable, Equatable {
    public var listen: ListenAddress
    /// The `retry:` hint sent first on every stream.
    public var retry: Duration
    /// Event-loop threads; `0` means one per core.
    public var threads: Int
    /// How long graceful shutdown waits for streams to take their `end` event.
    public var shutdownTimeout: Duration
    /// The API's path prefix on the main listener, such as `/_sluice`.
    public var apiPrefix: String
    /// A separate listener for the API, if configured.
    public var apiListen: ListenAddress?
    /// Whether `/healthz`, `/readyz` and `/metrics` need an admin token.
    public var opsRequireAdmin: Bool
    public var logLevel: String
    public var logFormat: String

    public init(
        listen: ListenAddress, retry: Duration, threads: Int, shutdownTimeout: Duration, apiPrefix: String,
        apiListen: ListenAddress?, opsRequireAdmin: Bool, logLevel: String, logFormat: String
    ) {
        self.listen = listen
        self.retry = retry
        self.threads = threads
        self.shutdownTimeout = shutdownTimeout
        self.apiPrefix = apiPrefix
        self.apiListen = apiListen
        self.opsRequireAdmin = opsRequireAdmin
        self.logLevel = logLevel
        self.logFormat = logFormat
    }
}

/// A host and port to bind, such as `127.0.0.1:8080`, `[::1]:8080` or `0.0.0.0:80`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; IPv6 hosts go in brackets.
    /// - Returns: the address, or a one-sentence reason it is not one.
    public static func parse(_ text: String) -> Result<ListenAddress, AddressError> {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                return .failure(AddressError(message: "'[' without ']' around an IPv6 address"))
            }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return .failure(AddressError(message: "expected ':PORT' after ']'")) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                return .failure(AddressError(message: "expected HOST:PORT, as in '127.0.0.1:8080'"))
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                return .failure(AddressError(message: "put an IPv6 address in brackets, as in '[::1]:8080'"))
            }
        }
        guard !host.isEmpty else { return .failure(AddressError(message: "the address has no host")) }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" }) else {
            return .failure(AddressError(message: "'\(host)' is not a host name or IP address"))
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            return .failure(AddressError(message: "'\(portText)' is not a port number (0-65535)"))
        }
        return .success(ListenAddress(host: String(host), port: port))
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why a listen address is invalid.
public struct AddressError: Error, Sendable, Equatable {
    public var message: String
}
