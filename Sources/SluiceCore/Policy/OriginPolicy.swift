/// Which browser origins may open streams and call the API.
public struct OriginPolicy: Sendable, Equatable {
    /// The decision for one request.
    public enum Decision: Sendable, Equatable {
        /// No `Origin` header and none is required: a server or curl.
        case noOrigin
        /// Allowed: echo this exact origin with credentials allowed.
        case allowed(String)
        /// Allowed by `*`: answer `Access-Control-Allow-Origin: *` without credentials.
        case allowedAny
        /// Refused (403).
        case denied
    }

    public let patterns: [OriginPattern]
    /// Whether a request without an `Origin` header is refused.
    public let requireOrigin: Bool

    public init(patterns: [OriginPattern], requireOrigin: Bool = false) {
        self.patterns = patterns
        self.requireOrigin = requireOrigin
    }

    /// Decides for the value of a request's `Origin` header (`nil` when absent).
    public func decide(_ origin: String?) -> Decision {
        guard let origin else { return requireOrigin ? .denied : .noOrigin }
        var any = false
        for pattern in patterns {
            if pattern == .any {
                any = true
            } else if pattern.matches(origin) {
                return .allowed(origin)
            }
        }
        return any ? .allowedAny : .denied
    }
}
