import SluiceCore
import Testing

@Suite struct ChannelNameTests {
    @Test(arguments: ["news", "user:42", "orders/eu-west.1", "café", "채널", "room_\u{1F600}"])
    func acceptsUsableNames(_ name: String) {
        #expect(ChannelName.problem(name) == nil)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("news*", "contains '*', which only patterns may use"),
        ("a b", "contains whitespace or a control character"),
        ("a\tb", "contains whitespace or a control character"),
        ("a\u{7F}", "contains whitespace or a control character"),
        ("\u{1B}[31m", "contains whitespace or a control character"),
        ("café au lait", "contains whitespace or a control character"),
        ("a\u{85}b", "contains whitespace or a control character"),  // NEL: non-ASCII, both
        ("a\u{2003}b", "contains whitespace or a control character"),  // em space
        ("é\u{9F}", "contains whitespace or a control character"),  // a C1 control
        ("é*", "contains '*', which only patterns may use"),
    ])
    func refusesBadNames(_ name: String, _ problem: String) {
        #expect(ChannelName.problem(name) == problem)
    }

    @Test func refusesOverlongNames() {
        let name = String(repeating: "a", count: ChannelTemplate.maxNameLength + 1)
        #expect(ChannelName.problem(name)?.hasPrefix("is longer than") == true)
    }
}
