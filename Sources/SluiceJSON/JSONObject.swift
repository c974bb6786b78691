/// A JSON object that remembers the order its keys were first set in.
///
/// Equality and hashing ignore key order (deep equality, as jansson's `json_equal`); serialization keeps it
/// unless sorted keys are asked for.
///
/// Members live in two arrays in insertion order. Most objects (a publish body, a hook answer) have a handful of
/// keys, found faster by comparing than by hashing; an object past ``indexThreshold`` members also keeps
/// their positions by key.
public struct JSONObject: Sendable {
    /// Keys in insertion order.
    public private(set) var keys: [String] = []
    /// Values, in the order of `keys`.
    private(set) var values: [JSONValue] = []
    /// Each key's position, for objects larger than ``indexThreshold``.
    private var positions: [String: Int]?

    /// Members beyond which keys are found by hash.
    static let indexThreshold = 12

    public init() {}

    /// An empty object with room for `count` members.
    public init(minimumCapacity count: Int) {
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return keys.firstIndex(of: key)
    }

    /// Gets, sets or (with `nil`) removes a member. Setting an existing key keeps its position.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { values[$0] } }
        set {
            switch (position(of: key), newValue) {
            case (let i?, let value?):
                values[i] = value
            case (nil, let value?):
                keys.append(key)
                values.append(value)
                if positions != nil {
                    positions![key] = keys.count - 1
                } else if keys.count > Self.indexThreshold {
                    indexPositions()
                }
            case (let i?, nil):
                keys.remove(at: i)
                values.remove(at: i)
                if positions != nil {
                    if keys.count > Self.indexThreshold { indexPositions() } else { positions = nil }
                }
            case (nil, nil):
                break
            }
        }
    }

    private mutating func indexPositions() {
        var positions: [String: Int] = [:]
        positions.reserveCapacity(keys.count)
        for (i, key) in keys.enumerated() { positions[key] = i }
        self.positions = positions
    }

    /// The members in insertion order.
    public var members: [(key: String, value: JSONValue)] {
        Array(zip(keys, values))
    }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in zip(lhs.keys, lhs.values) where rhs[key] != value { return false }
        return true
    }

    /// Independent of key order: each member hashes on its own and the results are combined by a commutative
    /// sum (as `Dictionary` does).
    public func hash(into hasher: inout Hasher) {
        var sum = 0
        for (key, value) in zip(keys, values) {
            var member = Hasher()
            member.combine(key)
            member.combine(value)
            sum &+= member.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}
