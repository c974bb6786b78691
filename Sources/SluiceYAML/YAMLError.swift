/// Why a YAML text could not be read, with where.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The closed set of YAML problems.
    public enum Kind: String, Sendable {
        case syntax = "yaml-syntax"
        case tab = "yaml-tab"
        case invalidUTF8 = "invalid-utf8"
        case duplicateKey = "duplicate-key"
        case tooLarge = "yaml-too-large"
        case tooDeep = "yaml-too-deep"
        case aliasBomb = "yaml-alias-expansion"
        case unknownAlias = "yaml-unknown-alias"
        case multipleDocuments = "yaml-multiple-documents"
    }

    public var kind: Kind
    public var message: String
    public var mark: YAMLMark
    /// Where the node ends, when the problem is a whole node (a duplicate key, say).
    public var end: YAMLMark?
    /// How to fix it.
    public var hint: String?
    /// Where a related earlier thing is (the first occurrence of a duplicated key).
    public var related: YAMLMark?

    public init(
        _ kind: Kind, _ message: String, at mark: YAMLMark, end: YAMLMark? = nil, hint: String? = nil,
        related: YAMLMark? = nil
    ) {
        self.kind = kind
        self.message = message
        self.mark = mark
        self.end = end
        self.hint = hint
        self.related = related
    }

    public var description: String { "\(mark): \(message)" }
}
