import SluiceCore
import Testing

@testable import SluiceConfig

@Suite struct UnitsAndInterpolationTests {
    @Test func durations() {
        #expect(Units.duration("500ms") == .milliseconds(500))
        #expect(Units.duration("15s") == .seconds(15))
        #expect(Units.duration("10m") == .seconds(600))
        #expect(Units.duration("12h") == .seconds(43200))
        #expect(Units.duration("1d") == .seconds(86400))
        #expect(Units.duration("1m30s") == .seconds(90))
        #expect(Units.duration("0") == .zero)
        for bad in ["", "15", "s", "1.5s", "15 s", "15sec", "-1s", "9999999999s"] {
            #expect(Units.duration(bad) == nil, "\(bad)")
        }
        #expect(Units.format(.seconds(90)) == "90s")
        #expect(Units.format(.milliseconds(2500)) == "2500ms")
        #expect(Units.format(.seconds(7200)) == "2h")
    }

    @Test func sizes() {
        #expect(Units.size("64KiB") == 65536)
        #expect(Units.size("1MiB") == 1 << 20)
        #expect(Units.size("2GB") == 2_000_000_000)
        #expect(Units.size("100") == 100)
        #expect(Units.size("100B") == 100)
        for bad in ["", "KiB", "1.5MiB", "64 KiB", "64kib", "1TiB"] { #expect(Units.size(bad) == nil, "\(bad)") }
        #expect(Units.format(bytes: 65536) == "64KiB")
    }

    @Test func interpolation() throws {
        let env = ["HOST": "example.org", "EMPTY": ""]
        #expect(try Interpolation.expand("${HOST}:80", environment: env).get() == "example.org:80")
        #expect(try Interpolation.expand("${PORT:-8080}", environment: env).get() == "8080")
        #expect(try Interpolation.expand("${EMPTY:-fallback}", environment: env).get() == "fallback")
        #expect(try Interpolation.expand("$$HOME and $5", environment: env).get() == "$HOME and $5")
        #expect(try Interpolation.expand("${A:-}x", environment: env).get() == "x")
        #expect(Interpolation.expand("${MISSING}", environment: env) == .failure(.unset("MISSING")))
        guard case .failure(.malformed) = Interpolation.expand("${HOST", environment: env) else {
            Issue.record("an unclosed ${ must fail")
            return
        }
        guard case .failure(.malformed) = Interpolation.expand("${1X}", environment: env) else {
            Issue.record("a bad name must fail")
            return
        }
    }

    @Test func didYouMean() {
        #expect(Suggestion.closest(to: "chanels", in: ["path", "channels"]) == "channels")
        #expect(Suggestion.closest(to: "retyr", in: ["retry", "listen"]) == "retry")
        #expect(Suggestion.closest(to: "xyz", in: ["channels", "path"]) == nil)
    }
}
