import Testing

@testable import SluiceCore

@Suite struct ChannelTemplateTests {
    @Test func parsesPlaceholdersOfEveryKind() throws {
        let t = try ChannelTemplate(parsing: "team:{auth.claims.team}:user:{id}:{query.room}")
        #expect(t.placeholders == [.auth("claims.team"), .param("id"), .query("room")])
        #expect(!t.isLiteral)
        let rendered = t.render { p in
            switch p {
            case .auth: "red"
            case .param: "42"
            case .query: "lobby"
            }
        }
        #expect(rendered == "team:red:user:42:lobby")
        #expect(t.render { _ in nil } == nil)
    }

    @Test func rejectsMalformedTemplates() {
        let cases: [(String, Int)] = [
            ("user:{id", 5), ("user:}", 5), ("{}", 0), ("a b", 1), ("room:*", 5), ("{query}", 0),
            ("{x.y}", 0), ("", 0),
        ]
        for (text, offset) in cases {
            #expect(throws: ChannelTemplate.SyntaxError.self, "\(text)") { _ = try ChannelTemplate(parsing: text) }
            do { _ = try ChannelTemplate(parsing: text) } catch { #expect(error.offset == offset, "\(text)") }
        }
    }

    @Test func patternMatchesConcreteNames() {
        #expect(ChannelPattern("room:*").matches("room:7"))
        #expect(ChannelPattern("room:*").matches("room:"))
        #expect(!ChannelPattern("room:*").matches("rooms:7"))
        #expect(ChannelPattern("*").matches("anything"))
        #expect(ChannelPattern("user:*:inbox").matches("user:42:inbox"))
        #expect(!ChannelPattern("user:*:inbox").matches("user:42:outbox"))
        #expect(ChannelPattern("news").matches("news") && !ChannelPattern("news").matches("newsy"))
        #expect(ChannelPattern("a**b").matches("ab"))
        #expect(!ChannelPattern("a*a").matches("a"))
        #expect(ChannelPattern("a*a").matches("aa"))
        #expect(ChannelPattern("*:*").matches(":"))
        #expect(ChannelPattern("é*ü").matches("éxü") && !ChannelPattern("é*ü").matches("éxu"))
        #expect(!ChannelPattern("x*").matches("") && ChannelPattern("*").matches(""))
        #expect(ChannelPattern("*x*").matches("axb") && !ChannelPattern("*x*").matches("ab"))
        #expect(ChannelPattern("a*b*c").matches("abbc") && !ChannelPattern("a*b*c").matches("acb"))
    }

    @Test func patternsOverlapWhenSomeNameMatchesBoth() throws {
        let declared = try ChannelTemplate(parsing: "user:{id}").pattern
        #expect(declared.overlaps(try ChannelTemplate(parsing: "user:{auth.sub}").pattern))
        #expect(declared.overlaps(ChannelPattern("user:42")))
        #expect(declared.overlaps(ChannelPattern("*")))
        #expect(!declared.overlaps(ChannelPattern("room:*")))
        #expect(ChannelPattern("a:*:c").overlaps(ChannelPattern("*:b:*")))
        #expect(!ChannelPattern("a:*").overlaps(ChannelPattern("b:*")))
    }

    @Test func channelTableFindsLiteralFirstThenTemplates() throws {
        let table = ChannelTable([
            ChannelSpec(
                template: try ChannelTemplate(parsing: "user:{id}"), history: 1, historyAge: nil, maxSubscribers: 0,
                emptyTimeout: nil),
            ChannelSpec(
                template: try ChannelTemplate(parsing: "user:admin"), history: 2, historyAge: nil, maxSubscribers: 0,
                emptyTimeout: nil),
        ])
        #expect(table.declaration(for: "user:admin")?.history == 2)
        #expect(table.declaration(for: "user:7")?.history == 1)
        #expect(table.declaration(for: "room:7") == nil)
    }
}
