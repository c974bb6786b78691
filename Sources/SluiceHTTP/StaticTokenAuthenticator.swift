import NIOHTTP1
import SluiceCore
import SluiceJSON

/// Reads a client's token from where its auth rule says and checks it against the rule's static tokens.
///
/// JWT and hook verifiers are the auth issue's work; a rule that relies only on them refuses with 503 so that
/// nothing is let in unverified.
enum StaticTokenAuthenticator {
    struct Failure: Error {
        var status: Int
        var reason: String
    }

    static func authenticate(_ rule: AuthRuleSpec, head: HTTPRequestHead, query: [String: String]) -> Result<
        JSONObject, Failure
    > {
        guard let token = token(rule.source, head: head, query: query), !token.isEmpty else {
            return .failure(Failure(status: 401, reason: "This route needs a token in the \(rule.source)."))
        }
        var identity: JSONObject?
        for entry in rule.staticTokens where entry.token.matches(token) && identity == nil {
            identity = entry.identity
        }
        if let identity { return .success(identity) }
        if rule.staticTokens.isEmpty {
            return .failure(Failure(status: 503, reason: "This route's token verifier is not available."))
        }
        return .failure(Failure(status: 401, reason: "The token is not valid."))
    }

    static func token(_ source: TokenSource, head: HTTPRequestHead, query: [String: String]) -> String? {
        switch source {
        case .query(let name):
            return query[name]
        case .header(let name, let scheme):
            guard let value = head.headers.first(name: name) else { return nil }
            guard let scheme else { return value }
            let prefix = scheme + " "
            guard value.count > prefix.count, value.prefix(prefix.count).lowercased() == prefix.lowercased() else {
                return nil
            }
            return String(value.dropFirst(prefix.count))
        case .cookie(let name):
            for header in head.headers[canonicalForm: "cookie"] {
                for pair in header.split(separator: ";") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    if parts.count == 2, parts[0].trimmed() == name { return parts[1].trimmed() }
                }
            }
            return nil
        }
    }
}
