/// Why a verification key cannot be used, in one sentence, with a hint. Never contains key material.
public struct JWTKeyError: Error, Sendable, Equatable {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}
