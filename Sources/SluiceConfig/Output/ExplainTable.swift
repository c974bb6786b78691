import SluiceCore

/// `sluice explain`: each route → channels → auth → hooks → limits, as a Markdown table a reviewer reads in a
/// pull request.
public enum ExplainTable {
    public static func render(_ gateway: GatewayDescription) -> String {
        var out = "listen: \(gateway.server.listen)"
        if let api = gateway.server.apiListen {
            out += "   api: \(api)\n"
        } else {
            out += "   api: \(gateway.server.apiPrefix) on the same listener\n"
        }
        let origins = gateway.origins.patterns.map(\.description).joined(separator: ", ")
        out += "origins: \(origins.isEmpty ? "none" : origins)"
        out += gateway.origins.requireOrigin ? " (Origin required)\n" : "\n"
        let hb = gateway.heartbeat
        out += "heartbeat: every \(Units.format(hb.interval)) as \(hb.event.map { "event '\($0)'" } ?? "a comment")\n\n"
        out += "| route | channels | auth | hooks | limits |\n| --- | --- | --- | --- | --- |\n"
        for route in gateway.routes {
            var channels = route.channels.map { describe($0, gateway) }
            if !route.subscribeAllow.isEmpty {
                channels.append("+ dynamic: " + route.subscribeAllow.map(\.description).joined(separator: ", "))
            }
            var auth = "none"
            if let name = route.auth, let rule = gateway.auth.rules[name] {
                var verifiers: [String] = []
                if !rule.staticTokens.isEmpty { verifiers.append("\(rule.staticTokens.count) static tokens") }
                if let jwt = rule.jwt {
                    verifiers.append("JWT " + jwt.keys.map(\.label).joined(separator: "/"))
                }
                if let hook = rule.hook { verifiers.append("hook \(hook)") }
                if let claim = rule.channelsClaim { verifiers.append("channels granted by claim '\(claim)'") }
                auth = "\(name): \(rule.source) → \(verifiers.joined(separator: " + "))"
            }
            var hooks: [String] = []
            if let h = route.onConnect { hooks.append("onConnect: \(hookLabel(h, gateway))") }
            if let h = route.onSubscribe { hooks.append("onSubscribe: \(hookLabel(h, gateway))") }
            if let h = route.onDisconnect { hooks.append("onDisconnect: \(hookLabel(h, gateway))") }
            let l = gateway.limits
            var limits = ["\(l.maxChannelsPerClient) channels/client"]
            limits.append(l.maxConnectionsPerIP == 0 ? "no per-IP cap" : "\(l.maxConnectionsPerIP)/IP")
            if let lifetime = l.connectionLifetime { limits.append("lifetime \(Units.format(lifetime))") }
            out +=
                "| `\(route.pattern)` | \(cell(channels)) | \(auth) | \(cell(hooks)) | \(limits.joined(separator: ", ")) |\n"
        }
        let l = gateway.limits
        out += "\nlimits: \(l.maxConnections) connections, payload \(Units.format(bytes: l.maxPayload)), "
        out +=
            "slow-client buffer \(Units.format(bytes: l.slowClientBuffer)), history memory \(Units.format(bytes: l.historyMemory))\n"
        if !gateway.states.isEmpty {
            out +=
                "states: "
                + gateway.states.map { s in
                    "\(s.name) → \(s.channel)" + (s.counts.map { " (counts \($0))" } ?? "")
                }.joined(separator: ", ") + "\n"
        }
        out += "publishers: \(gateway.auth.publishers.count), admins: \(gateway.auth.admins.count)\n"
        return out
    }

    private static func describe(_ template: ChannelTemplate, _ gateway: GatewayDescription) -> String {
        var text = "`\(template)`"
        if let state = gateway.states.first(where: { $0.channel == template.source }) {
            text += " (state \(state.name))"
        } else if let spec = gateway.channels.declarations.first(where: {
            $0.template.pattern.overlaps(template.pattern)
        }) {
            var notes: [String] = []
            if spec.history > 0 { notes.append("history \(spec.history)") }
            if let age = spec.historyAge { notes.append("≤ \(Units.format(age))") }
            if let t = spec.emptyTimeout { notes.append("temporary \(Units.format(t))") }
            if !notes.isEmpty { text += " (\(notes.joined(separator: ", ")))" }
        }
        return text
    }

    private static func hookLabel(_ name: String, _ gateway: GatewayDescription) -> String {
        guard let hook = gateway.hooks[name] else { return name }
        return "\(name) (\(hook.mode.rawValue), \(Units.format(hook.timeout)), on error \(hook.onError.rawValue))"
    }

    private static func cell(_ items: [String]) -> String { items.isEmpty ? "—" : items.joined(separator: "<br>") }
}
