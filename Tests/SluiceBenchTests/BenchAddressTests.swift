import Testing

@testable import SluiceBench

@Suite struct BenchAddressTests {
    @Test func readsHostPortAndPath() throws {
        let full = try #require(BenchAddress.endpoint("http://127.0.0.1:8080/events/users/{i}"))
        #expect(full.host == "127.0.0.1" && full.port == 8080 && full.path == "/events/users/{i}")
        let bare = try #require(BenchAddress.endpoint("http://localhost"))
        #expect(bare.host == "localhost" && bare.port == 80 && bare.path == "/")
        let query = try #require(BenchAddress.endpoint("http://h:81?id=news"))
        #expect(query.host == "h" && query.port == 81 && query.path == "/?id=news")
        let v6 = try #require(BenchAddress.endpoint("http://[::1]:8091/pub?id={channel}"))
        #expect(v6.host == "::1" && v6.port == 8091 && v6.path == "/pub?id={channel}")
    }

    @Test(arguments: [
        "https://127.0.0.1:8080/", "127.0.0.1:8080/events", "http://127.0.0.1:abc/x", "http://127.0.0.1:70000/x",
        "http://127.0.0.1:0/x", "http://127.0.0.1:+80/x", "http://127.0.0.1:/x", "http://:8080/x", "http:///x",
        "http://user:pw@127.0.0.1:8080/x", "http://127.0.0.1:8080/a b", "http://127.0.0.1:8080/a\r\nX: y",
        "http://[::1/x", "http://[::1]x:80/",
    ])
    func refusesWhatIsNotAnHTTPAddress(url: String) {
        #expect(BenchAddress.endpoint(url) == nil)
    }

    @Test func headersAreTrimmedAndChecked() throws {
        let header = try #require(BenchAddress.header("Authorization:  Bearer abc \t"))
        #expect(header.name == "Authorization" && header.value == "Bearer abc")
        #expect(BenchAddress.header("X-Empty:")?.value == "")
        for bad in ["no colon", ": value", "Bad Name: v", "X-A: b\r\nX-Injected: c", "X-A: b\nc", "X-\u{7F}: v"] {
            #expect(BenchAddress.header(bad) == nil, "accepted \(bad.debugDescription)")
        }
    }

    @Test func authorityOmitsPortEightyAndBracketsIPv6() {
        #expect(BenchAddress.authority(host: "127.0.0.1", port: 8080) == "127.0.0.1:8080")
        #expect(BenchAddress.authority(host: "example.com", port: 80) == "example.com")
        #expect(BenchAddress.authority(host: "::1", port: 8091) == "[::1]:8091")
    }
}
