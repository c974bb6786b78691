import Foundation
import SluiceCore
import SluiceJSON

extension GatewayCompiler {
    mutating func compileAuth(
        _ r: ConfigRecord, channels table: ChannelTable, states: [Located<StateSpec>]
    ) -> AuthSettings {
        let publishers = credentials(r["publishers"]?.list ?? [], kind: "publisher", channels: table, states: states)
        let admins = credentials(r["admins"]?.list ?? [], kind: "admin", channels: table, states: states)
        var rules: [String: AuthRuleSpec] = [:]
        for entry in r["rules"]?.entries ?? [] {
            if let rule = authRule(entry) { rules[entry.key] = rule }
        }
        return AuthSettings(publishers: publishers, admins: admins, rules: rules)
    }

    private mutating func credentials(
        _ items: [ConfigValue], kind: String, channels: ChannelTable, states: [Located<StateSpec>]
    ) -> [APICredential] {
        var out: [APICredential] = []
        for (index, item) in items.enumerated() {
            guard let r = item.record, let token = r["token"]?.string else { continue }
            if token.isEmpty, let value = r["token"] {
                context.error(
                    .invalidValue, "the token of \(kind) \(index + 1) is empty", value.span,
                    hint: "check that the environment variable it names is set to a value")
                continue
            }
            let patterns = patternList(
                r["channels"], path: "auth.\(kind)s[\(index)].channels", channels: channels, states: states)
            out.append(
                APICredential(
                    name: r["name"]?.string ?? "\(kind)-\(index + 1)", token: Secret(token), channels: patterns))
        }
        return out
    }

    /// Parses a list of channel patterns, warning about any that match no declared channel or state.
    mutating func patternList(
        _ value: ConfigValue?, path: String, channels: ChannelTable, states: [Located<StateSpec>]
    ) -> [ChannelPattern] {
        var out: [ChannelPattern] = []
        for item in value?.list ?? [] {
            guard let text = item.string else { continue }
            if text.isEmpty
                || text.contains(where: {
                    $0.isWhitespace || $0.unicodeScalars.first!.properties.generalCategory == .control
                })
            {
                context.error(
                    .badPattern, "'\(path)' holds '\(text)', which is not a channel pattern", item.span,
                    hint: "a pattern is a channel name where '*' matches any text, as in 'room:*'")
                continue
            }
            let pattern = ChannelPattern(text)
            let covered =
                channels.covers(pattern) || states.contains { pattern.matches($0.spec.channel) }
            if !covered {
                context.warning(
                    .unmatchedPattern, "'\(text)' in '\(path)' matches no declared channel or state", item.span,
                    hint: "declare the channels it should match under 'channels:'")
            }
            out.append(pattern)
        }
        return out
    }

    private mutating func authRule(_ entry: ConfigEntry) -> AuthRuleSpec? {
        guard let r = entry.value.record else { return nil }
        let path = "auth.rules.\(entry.key)"
        let sourceRecord = r["token"]?.record ?? ConfigRecord()
        var sources: [TokenSource] = []
        if let name = sourceRecord["query"]?.string { sources.append(.query(name)) }
        if let name = sourceRecord["header"]?.string {
            sources.append(.header(name, scheme: sourceRecord["scheme"]?.string))
        } else if let value = sourceRecord["scheme"] {
            context.error(.badAuthRule, "'\(path).token.scheme' only goes with 'header'", value.span)
        }
        if let name = sourceRecord["cookie"]?.string { sources.append(.cookie(name)) }
        let sourceSpan = r["token"]?.span ?? entry.keySpan
        guard sources.count == 1, let source = sources.first else {
            context.error(
                .badAuthRule,
                "'\(path).token' must name exactly one of query, header or cookie (it names \(sources.count))",
                sourceSpan, hint: "for example 'token: { header: Authorization, scheme: Bearer }'")
            return nil
        }
        var staticTokens: [(Secret, JSONObject)] = []
        for item in r["static"]?.list ?? [] {
            guard let t = item.record, let token = t["token"]?.string else { continue }
            let identity = t["identity"]?.json ?? .object(JSONObject())
            guard case .object(let object) = identity else {
                context.error(
                    .typeMismatch, "'\(path).static[].identity' must be a mapping of claims", t["identity"]!.span)
                continue
            }
            staticTokens.append((Secret(token), object))
        }
        let jwt = r["jwt"]?.record.flatMap { jwtSpec($0, path: "\(path).jwt", span: r["jwt"]!.span) }
        var hook: String?
        if let value = r["hook"], let name = value.string {
            hook = name
            if !declaredHooks.contains(name) { unknownHook(name, value.span, user: "auth rule '\(entry.key)'") }
        }
        if r["static"] == nil && r["jwt"] == nil && r["hook"] == nil {
            context.error(
                .badAuthRule, "auth rule '\(entry.key)' has no verifier", entry.keySpan,
                hint: "add 'static', 'jwt' or 'hook' to say which tokens are valid")
        }
        return AuthRuleSpec(name: entry.key, source: source, staticTokens: staticTokens, jwt: jwt, hook: hook)
    }

    private mutating func jwtSpec(_ r: ConfigRecord, path: String, span: SourceSpan) -> JWTSpec? {
        var keys: [JWTSpec.Key] = []
        for algorithm in ["hs256", "hs384", "hs512"] {
            guard let value = r[algorithm], let secret = value.string else { continue }
            if secret.utf8.count < 32 {
                context.error(
                    .weakSecret, "'\(path).\(algorithm)' is shorter than 32 bytes", value.span,
                    hint: "use a random secret of 32 bytes or more, e.g. from 'openssl rand -base64 48'")
                continue
            }
            keys.append(.hmac(algorithm: algorithm.uppercased(), secret: Secret(secret)))
        }
        for algorithm in ["rs256", "es256"] {
            guard let value = r[algorithm], let file = value.string else { continue }
            guard let text = readKeyFile(file, value, "\(path).\(algorithm)") else { continue }
            if !text.contains("-----BEGIN") || !text.contains("KEY-----") {
                context.error(
                    .invalidValue, "'\(path).\(algorithm)' file \(file) holds no PEM key", value.span,
                    hint: "expected a '-----BEGIN PUBLIC KEY-----' block")
                continue
            }
            keys.append(.publicKeyFile(algorithm: algorithm.uppercased(), path: absolute(file)))
        }
        if let value = r["jwks"], let file = value.string, let text = readKeyFile(file, value, "\(path).jwks") {
            if case .array? = (try? JSONValue.parse(text))?["keys"] {
                keys.append(.jwksFile(path: absolute(file)))
            } else {
                context.error(
                    .invalidValue, "'\(path).jwks' file \(file) is not a JWKS document", value.span,
                    hint: "expected a JSON object with a 'keys' array")
            }
        }
        if keys.isEmpty && !["hs256", "hs384", "hs512", "rs256", "es256", "jwks"].contains(where: { r[$0] != nil }) {
            context.error(
                .badAuthRule, "'\(path)' has no key", span,
                hint: "add one of hs256, hs384, hs512 (a secret), rs256, es256 (a PEM file) or jwks (a file)")
            return nil
        }
        return JWTSpec(
            keys: keys, issuer: r["issuer"]?.string, audience: r["audience"]?.string,
            leeway: r["leeway"]?.duration ?? .seconds(30),
            requiredClaims: r["required"]?.list?.compactMap(\.string) ?? [])
    }

    private mutating func readKeyFile(_ file: String, _ value: ConfigValue, _ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: absolute(file)) else {
            context.error(
                .fileNotFound, "'\(path)' names \(file), which cannot be read", value.span,
                hint: "paths are relative to the configuration file's directory")
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Every hook name the file declares, including hooks whose own declaration has errors.
    var declaredHooks: [String] { (root["hooks"]?.entries ?? []).map(\.key) }

    mutating func unknownHook(_ name: String, _ span: SourceSpan, user: String) {
        let known = declaredHooks
        var hint = "declare it under 'hooks:' (known: \(Suggestion.list(known)))"
        if let guess = Suggestion.closest(to: name, in: known) { hint = "did you mean '\(guess)'? or " + hint }
        context.error(.unknownHook, "\(user) uses hook '\(name)', which is not declared", span, hint: hint)
    }
}
