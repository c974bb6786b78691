import Foundation
import SluiceAuth
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
            guard let r = item.record else { continue }
            let path = "auth.\(kind)s[\(index)]"
            let verifier: APICredential.Verifier
            switch (r["token"], r["jwt"]) {
            case (let value?, nil):
                guard let token = value.string else { continue }
                if token.isEmpty {
                    context.error(
                        .invalidValue, "the token of \(kind) \(index + 1) is empty", value.span,
                        hint: "check that the environment variable it names is set to a value")
                    continue
                }
                verifier = .token(Secret(token))
            case (nil, let value?):
                guard let record = value.record, let spec = jwtSpec(record, path: "\(path).jwt", span: value.span)
                else {
                    continue
                }
                verifier = .jwt(spec)
            default:
                // A key that is written but invalid has been reported already.
                let written = ["token", "jwt"].filter { r.keySpans[$0] != nil }.count
                if written == 1 { continue }
                context.error(
                    .badAuthRule, "\(kind) \(index + 1) needs exactly one of 'token' or 'jwt'", item.span,
                    hint: "for example 'token: \"${SLUICE_\(kind.uppercased())_TOKEN}\"'")
                continue
            }
            if let value = r["channelsClaim"], r["jwt"] == nil {
                context.error(.badAuthRule, "'\(path).channelsClaim' only goes with 'jwt'", value.span)
            }
            let patterns = patternList(r["channels"], path: "\(path).channels", channels: channels, states: states)
            out.append(
                APICredential(
                    name: r["name"]?.string ?? "\(kind)-\(index + 1)", verifier: verifier, channels: patterns,
                    channelsClaim: r["channelsClaim"]?.string))
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
            let onError = root["hooks"]?.entries?.first { $0.key == name }?.value.record?["onError"]?.string
            if r["static"] == nil && r["jwt"] == nil && onError == "allow" {
                context.warning(
                    .failOpen,
                    "auth rule '\(entry.key)' is verified only by hook '\(name)', whose onError is allow: when the hook "
                        + "fails, any token is accepted", value.span,
                    hint: "set 'onError: deny' on the hook, or verify with 'jwt' or 'static' before it")
            }
        }
        if r["static"] == nil && r["jwt"] == nil && r["hook"] == nil {
            context.error(
                .badAuthRule, "auth rule '\(entry.key)' has no verifier", entry.keySpan,
                hint: "add 'static', 'jwt' or 'hook' to say which tokens are valid")
        }
        return AuthRuleSpec(
            name: entry.key, source: source, staticTokens: staticTokens, jwt: jwt, hook: hook,
            channelsClaim: r["channelsClaim"]?.string)
    }

    private mutating func jwtSpec(_ r: ConfigRecord, path: String, span: SourceSpan) -> JWTSpec? {
        var keys: [JWTSpec.Key] = []
        var failed = false
        for algorithm in [JWTAlgorithm.hs256, .hs384, .hs512] {
            let field = algorithm.rawValue.lowercased()
            guard let value = r[field], let secret = value.string else { continue }
            // Checked here, with a hint, before any crypto library sees (and asserts on) a short key.
            if secret.utf8.count < algorithm.minimumSecretBytes {
                context.error(
                    .weakSecret,
                    "'\(path).\(field)' is \(secret.utf8.count) bytes; \(algorithm.rawValue) needs at least "
                        + "\(algorithm.minimumSecretBytes)", value.span,
                    hint: "use a random secret, e.g. from 'openssl rand -base64 \(algorithm.minimumSecretBytes)'")
                failed = true
                continue
            }
            keys.append(.hmac(algorithm: algorithm.rawValue, secret: Secret(secret)))
        }
        for algorithm in [JWTAlgorithm.rs256, .es256] {
            let field = algorithm.rawValue.lowercased()
            guard let value = r[field], let text = value.string else { continue }
            let inline = text.hasPrefix("-----BEGIN")
            guard let pem = inline ? text : readKeyFile(text, value, "\(path).\(field)") else {
                failed = true
                continue
            }
            let origin = inline ? "'\(path).\(field)'" : "file \(text)"
            do {
                _ = try JWTKey.publicKey(algorithm, pem: pem)
                keys.append(.publicKey(algorithm: algorithm.rawValue, pem: pem, origin: origin))
            } catch {
                failed = true
                context.error(
                    .invalidValue, "'\(path).\(field)': \(origin) cannot be used: \(error.message)", value.span,
                    hint: error.hint)
            }
        }
        if let value = r["jwks"], let file = value.string {
            if let text = readKeyFile(file, value, "\(path).jwks") {
                do {
                    _ = try JWTKey.jwks(text)
                    keys.append(.jwks(json: text, origin: "file \(file)"))
                } catch {
                    failed = true
                    context.error(
                        .invalidValue, "'\(path).jwks': file \(file) cannot be used: \(error.message)", value.span,
                        hint: error.hint)
                }
            } else {
                failed = true
            }
        }
        if keys.isEmpty && !failed {
            context.error(
                .badAuthRule, "'\(path)' has no key", span,
                hint: "add one of hs256, hs384, hs512 (a secret), rs256, es256 (a PEM public key) or jwks (a file)")
        }
        if keys.isEmpty { return nil }
        return JWTSpec(
            keys: keys, issuer: r["issuer"]?.string, audience: r["audience"]?.string,
            leeway: r["leeway"]?.duration ?? .seconds(30),
            requiredClaims: r["required"]?.list?.compactMap(\.string) ?? [])
    }

    private mutating func readKeyFile(_ file: String, _ value: ConfigValue, _ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: absolute(file)) else {
            context.error(
                .fileNotFound, "'\(path)' names \(file), which cannot be read", value.span,
                hint: "paths are relative to the configuration file's directory; or write the PEM text itself")
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
