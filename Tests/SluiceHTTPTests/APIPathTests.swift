import Testing

@testable import SluiceHTTP

/// Which requests are for the API, for the default prefix, another one, and the root.
@Suite struct APIPathTests {
    @Test(arguments: [
        ("/_sluice/publish", "/_sluice", "/publish"),
        ("/_sluice/publish?x=1", "/_sluice", "/publish"),
        ("/_sluice", "/_sluice", "/"),
        ("/_sluice?x=1", "/_sluice", "/"),
        ("/_sluice/", "/_sluice", "/"),
        ("/api/v1/clients/abc/channels", "/api/v1", "/clients/abc/channels"),
        ("/publish?token=a/b", "/", "/publish"),
        ("/", "/", "/"),
    ])
    func findsThePathBelowThePrefix(_ uri: String, _ prefix: String, _ expected: String) {
        #expect(ConnectionHandler.path(of: uri, below: prefix) == Substring(expected))
    }

    @Test(arguments: [
        ("/_sluicex/publish", "/_sluice"),
        ("/events/news", "/_sluice"),
        ("/_sl", "/_sluice"),
        ("/x?/_sluice/publish", "/_sluice"),
    ])
    func refusesPathsOutsideThePrefix(_ uri: String, _ prefix: String) {
        #expect(ConnectionHandler.path(of: uri, below: prefix) == nil)
    }
}
