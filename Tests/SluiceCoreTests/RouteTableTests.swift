import Testing

@testable import SluiceCore

@Suite struct RouteTableTests {
    func table(_ paths: [String]) throws -> RouteTable {
        RouteTable(try paths.map { try RoutePattern(parsing: $0) })
    }

    @Test func literalBeatsParameterBeatsCatchAll() throws {
        let t = try table(["/files/*rest", "/files/:name", "/files/special", "/"])
        #expect(t.match("/files/special")?.route == 2)
        #expect(t.match("/files/report")?.route == 1)
        #expect(t.match("/files/report")?.parameters == ["name": "report"])
        #expect(t.match("/files/a/b/c")?.route == 0)
        #expect(t.match("/files/a/b/c")?.parameters == ["rest": "a/b/c"])
        #expect(t.match("/")?.route == 3)
    }

    @Test func backtracksWhenALiteralBranchDeadEnds() throws {
        let t = try table(["/a/b/c", "/a/:x/d"])
        #expect(t.match("/a/b/d")?.route == 1)
        #expect(t.match("/a/b/d")?.parameters == ["x": "b"])
    }

    @Test func trailingSlashIsNotSignificantAndEmptySegmentsFail() throws {
        let t = try table(["/events/users/:id"])
        #expect(t.match("/events/users/42/")?.parameters == ["id": "42"])
        #expect(t.match("/events/users//") == nil)
        #expect(t.match("/events/users") == nil)
        #expect(t.match("/events/users/42/more") == nil)
        #expect(t.match("events/users/42") == nil)
    }

    @Test func parametersArePercentDecoded() throws {
        let t = try table(["/rooms/:name"])
        #expect(t.match("/rooms/caf%C3%A9%20bar")?.parameters == ["name": "café bar"])
        #expect(t.match("/rooms/bad%ZZ") == nil)
        #expect(t.match("/rooms/%FF") == nil)
    }

    @Test func patternSyntaxErrors() {
        for bad in ["events", "/a//b", "/a/:", "/a/*rest/more", "/a/:id/:id", "/a/b:c", "/a b", "/a?x=1"] {
            #expect(throws: RoutePattern.SyntaxError.self, "\(bad)") { _ = try RoutePattern(parsing: bad) }
        }
    }

    @Test func shapeErasesParameterNames() throws {
        #expect(try RoutePattern(parsing: "/u/:id").shape == RoutePattern(parsing: "/u/:name/").shape)
        #expect(try RoutePattern(parsing: "/u/:id").shape != RoutePattern(parsing: "/u/me").shape)
        #expect(try RoutePattern(parsing: "/f/*p").parameterNames == ["p"])
    }
}
