import Logging
import SluiceAuth
import SluiceCore

/// The loaded verifiers of a gateway's auth settings: one per client rule, and one per API role.
struct AuthVerifiers: Sendable {
    let rules: [String: RuleVerifier]
    let publishers: CredentialVerifier
    let admins: CredentialVerifier

    /// Loads every key. The configuration loader has loaded the same keys already, so a failure here means the
    /// description was built by hand; the affected rule or role then refuses everyone (and the reason is logged).
    init(_ settings: AuthSettings, logger: Logger) {
        var rules: [String: RuleVerifier] = [:]
        for (name, spec) in settings.rules {
            do {
                rules[name] = try RuleVerifier(spec)
            } catch {
                logger.error("auth rule '\(name)' cannot be used: \(error.message)")
            }
        }
        self.rules = rules
        func load(_ credentials: [APICredential], _ role: String) -> CredentialVerifier {
            do {
                return try CredentialVerifier(credentials, role: role)
            } catch {
                logger.error("\(role) credentials cannot be used: \(error.message)")
                return try! CredentialVerifier([], role: role)
            }
        }
        publishers = load(settings.publishers, "publisher")
        admins = load(settings.admins, "admin")
    }
}
