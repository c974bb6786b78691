import Testing

@testable import SluiceYAML

@Suite struct YAMLParserTests {
    @Test func marksAreOneBasedForKeysAndValues() throws {
        let root = try #require(try YAMLParser.parse("a: 1\nlist:\n  - x\n  - { k: \"v\" }\n"))
        let pairs = try #require(root.pairs)
        #expect(pairs[0].key.start == YAMLMark(line: 1, column: 1))
        #expect(pairs[0].value.start.line == 1)
        #expect(pairs[0].value.start.column == 4)
        let items = try #require(pairs[1].value.items)
        #expect(items[0].start.line == 3 && items[0].start.column == 5)
        let inner = try #require(items[1].pairs)
        #expect(inner[0].key.scalar?.value == "k")
        #expect(inner[0].value.scalar?.style == .doubleQuoted)
        #expect(inner[0].value.start == YAMLMark(line: 4, column: 10, index: inner[0].value.start.index))
        #expect(inner[0].value.end.column == 13)
    }

    @Test func emptyDocumentIsNil() throws {
        #expect(try YAMLParser.parse("# only a comment\n") == nil)
        #expect(try YAMLParser.parse("") == nil)
    }

    @Test func duplicateKeyIsRejectedAtTheSecondOccurrence() {
        #expect {
            _ = try YAMLParser.parse("server:\n  listen: a\n  retry: 1s\n  listen: b\n")
        } throws: { error in
            let e = error as! YAMLError
            return e.kind == .duplicateKey && e.mark.line == 4 && e.mark.column == 3 && e.related?.line == 2
        }
    }

    @Test func billionLaughsIsAnErrorNotAHang() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            let refs = Array(repeating: "*\(previous)", count: 10).joined(separator: ", ")
            text += "\(name): &\(name) [\(refs)]\n"
            previous = name
        }
        let started = ContinuousClock.now
        #expect(throws: YAMLError.self) { _ = try YAMLParser.parse(text) }
        #expect(ContinuousClock.now - started < .seconds(5))
        do {
            _ = try YAMLParser.parse(text)
        } catch {
            #expect(error.kind == .aliasBomb)
        }
    }

    @Test func aliasesExpandWithinTheBudget() throws {
        let root = try #require(try YAMLParser.parse("base: &b { x: 1 }\ncopy: *b\n"))
        let copy = try #require(root.pairs?[1].value)
        #expect(copy.pairs?[0].key.scalar?.value == "x")
        #expect(copy.start.line == 2)
    }

    @Test func unknownAliasIsReported() {
        #expect(throws: YAMLError.self) { _ = try YAMLParser.parse("a: *nope\n") }
    }

    @Test func nestingDepthIsBounded() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect {
            _ = try YAMLParser.parse(deep, limits: YAMLLimits(maxDepth: 64))
        } throws: { ($0 as! YAMLError).kind == .tooDeep }
    }

    @Test func sizeIsBounded() {
        #expect {
            _ = try YAMLParser.parse(String(repeating: "#", count: 2000), limits: YAMLLimits(maxBytes: 1000))
        } throws: { ($0 as! YAMLError).kind == .tooLarge }
    }

    @Test func tabIndentationIsReportedWithItsPosition() {
        #expect {
            _ = try YAMLParser.parse("server:\n\tlisten: x\n")
        } throws: { error in
            let e = error as! YAMLError
            return e.kind == .tab && e.mark.line == 2 && e.mark.column == 1
        }
    }

    @Test func invalidUTF8IsReportedWithItsPosition() {
        let bytes: [UInt8] = Array("a: 1\nb: caf".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect {
            _ = try YAMLParser.parse(bytes)
        } throws: { error in
            let e = error as! YAMLError
            return e.kind == .invalidUTF8 && e.mark.line == 2 && e.mark.column == 7
        }
    }

    @Test func syntaxErrorCarriesPositionAndHint() {
        #expect {
            _ = try YAMLParser.parse("a: b: c\n")
        } throws: { error in
            let e = error as! YAMLError
            return e.kind == .syntax && e.mark.line == 1 && e.hint != nil
        }
    }

    @Test func multipleDocumentsAreRejected() {
        #expect(throws: YAMLError.self) { _ = try YAMLParser.parse("a: 1\n---\nb: 2\n") }
    }

    @Test func unicodeColumnsCountCharacters() throws {
        let root = try #require(try YAMLParser.parse("é: ü\nname: x\n"))
        #expect(root.pairs?[0].value.start.column == 4)
        #expect(root.pairs?[0].key.scalar?.value == "é")
    }
}
