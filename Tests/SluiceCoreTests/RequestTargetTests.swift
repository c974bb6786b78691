import SluiceCore
import Testing

@Suite struct RequestTargetTests {
    @Test func splitsPathAndDecodedQuery() throws {
        let target = try #require(RequestTarget("/events/a%20b?token=x%2By&name=a+b&token=second&flag"))
        #expect(target.path == "/events/a%20b", "the path stays encoded")
        #expect(target.query == ["token": "x+y", "name": "a b", "flag": ""], "the first value of a name wins")
    }

    @Test func dropsTheFragment() throws {
        let fragmentFirst = try #require(RequestTarget("/a#frag?x=1"))
        #expect(fragmentFirst.path == "/a" && fragmentFirst.query.isEmpty)
        #expect(try #require(RequestTarget("/a?x=1#frag")).query == ["x": "1"])
    }

    @Test func keepsNonASCIIPaths() throws {
        let target = try #require(RequestTarget("/räume/é?ü=1"))
        #expect(target.path == "/räume/é")
        #expect(target.query == ["ü": "1"])
        let plain = try #require(RequestTarget("/only"))
        #expect(plain.path == "/only" && plain.query.isEmpty)
    }

    @Test func refusesBadPercentEncoding() {
        #expect(RequestTarget("/a?x=%zz") == nil)
        #expect(RequestTarget("/a?x=%") == nil)
    }
}
