/// How much of one channel's past the gateway keeps, from its declaration.
public struct HistoryPolicy: Sendable, Equatable {
    /// Events kept; `0` keeps none.
    public var count: Int
    /// Oldest event kept; `nil`: no age limit.
    public var age: Duration?
    /// Makes the channel temporary: freed, with its history, after being empty this long.
    public var emptyTimeout: Duration?
    /// The declaration the channel falls under (channels of one declaration share what the store forgets).
    public var declaration: Int

    public init(count: Int, age: Duration? = nil, emptyTimeout: Duration? = nil, declaration: Int) {
        self.count = count
        self.age = age
        self.emptyTimeout = emptyTimeout
        self.declaration = declaration
    }

    /// An undeclared channel (a state's): no history, never temporary.
    public static let none = HistoryPolicy(count: 0, declaration: -1)
}
