import Foundation
import SluiceConfig
import Testing

/// Every invalid fixture produces exactly its `.expected` text, so message quality is reviewed in diffs.
/// Run with `SLUICE_UPDATE_GOLDEN=1` to rewrite the expected files after an intended change.
@Suite struct DiagnosticGoldenTests {
    @Test(arguments: Fixture.all)
    func matchesGoldenText(_ fixture: Fixture) throws {
        let result = fixture.load()
        let text = DiagnosticRenderer(format: .human).render([(result.source, result.diagnostics)])
        let expectedURL = TestPaths.fixtures.appending(path: "invalid/\(fixture.name.dropLast(5)).expected")
        if ProcessInfo.processInfo.environment["SLUICE_UPDATE_GOLDEN"] == "1" {
            try text.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(text == expected)
    }

    @Test(arguments: Fixture.all)
    func reportsTheDeclaredProblemAtItsPosition(_ fixture: Fixture) throws {
        let expectation = try #require(fixture.expectation, "fixture has no '# expect:' line")
        let result = fixture.load()
        let hit = result.diagnostics.first {
            $0.code.rawValue == expectation.code && $0.severity.rawValue == expectation.severity
        }
        let diagnostic = try #require(hit, "no \(expectation.code) in \(result.diagnostics.map(\.code))")
        #expect(diagnostic.span.start.line == expectation.line)
        #expect(diagnostic.span.start.column == expectation.column)
        #expect(result.description == nil || expectation.severity == "warning")
    }

    @Test func everyErrorCodeHasAFixture() {
        let covered = Set(Fixture.all.compactMap { $0.expectation?.code })
        let codes: [DiagnosticCode] = [
            .unknownKey, .missingKey, .typeMismatch, .invalidValue, .outOfRange, .badDuration, .badSize, .badVersion,
            .unsetVariable, .badInterpolation, .badAddress, .badPort, .badRoute, .duplicateRoute, .conflictingRoute,
            .badChannel, .unfillablePlaceholder, .unknownChannel, .unknownHook, .unknownAuthRule, .badOrigin,
            .hookNotFound, .hookNotExecutable, .fileNotFound, .contradictoryLimits, .badAuthRule, .weakSecret,
            .duplicateChannel, .noRoutes, .unused,
        ]
        for code in codes { #expect(covered.contains(code.rawValue), "no fixture for \(code)") }
    }
}
