/// A diagnostic's stable identifier, printed as `error[unknown-key]`: scripts and docs can rely on it.
public struct DiagnosticCode: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }

    // Reading the file.
    public static let unreadable: DiagnosticCode = "unreadable-file"
    public static let emptyFile: DiagnosticCode = "empty-file"
    // Shape and types.
    public static let unknownKey: DiagnosticCode = "unknown-key"
    public static let missingKey: DiagnosticCode = "missing-key"
    public static let typeMismatch: DiagnosticCode = "type-mismatch"
    public static let invalidValue: DiagnosticCode = "invalid-value"
    public static let outOfRange: DiagnosticCode = "out-of-range"
    public static let badDuration: DiagnosticCode = "bad-duration"
    public static let badSize: DiagnosticCode = "bad-size"
    public static let badVersion: DiagnosticCode = "bad-version"
    public static let unsetVariable: DiagnosticCode = "unset-variable"
    public static let badInterpolation: DiagnosticCode = "bad-interpolation"
    // Meaning.
    public static let badAddress: DiagnosticCode = "bad-address"
    public static let badPort: DiagnosticCode = "bad-port"
    public static let badRoute: DiagnosticCode = "bad-route"
    public static let duplicateRoute: DiagnosticCode = "duplicate-route"
    public static let conflictingRoute: DiagnosticCode = "conflicting-route"
    public static let badChannel: DiagnosticCode = "bad-channel"
    public static let badPattern: DiagnosticCode = "bad-pattern"
    public static let unfillablePlaceholder: DiagnosticCode = "unfillable-placeholder"
    public static let unknownChannel: DiagnosticCode = "unknown-channel"
    public static let unknownHook: DiagnosticCode = "unknown-hook"
    public static let unknownAuthRule: DiagnosticCode = "unknown-auth-rule"
    public static let badOrigin: DiagnosticCode = "bad-origin"
    public static let hookNotFound: DiagnosticCode = "hook-not-found"
    public static let hookNotExecutable: DiagnosticCode = "hook-not-executable"
    public static let fileNotFound: DiagnosticCode = "file-not-found"
    public static let contradictoryLimits: DiagnosticCode = "contradictory-limits"
    public static let badAuthRule: DiagnosticCode = "bad-auth-rule"
    public static let weakSecret: DiagnosticCode = "weak-secret"
    public static let duplicateChannel: DiagnosticCode = "duplicate-channel"
    // Warnings.
    public static let literalSecret: DiagnosticCode = "literal-secret"
    public static let unused: DiagnosticCode = "unused"
    public static let noRoutes: DiagnosticCode = "no-routes"
    public static let unmatchedPattern: DiagnosticCode = "unmatched-pattern"
    public static let notSupported: DiagnosticCode = "not-supported"
    public static let failOpen: DiagnosticCode = "fail-open"
}
