extension StringProtocol {
    /// The text without leading and trailing characters from `set` (spaces and tabs by default).
    func trimmed(of set: String = " \t") -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
