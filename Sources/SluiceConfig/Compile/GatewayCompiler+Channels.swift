import SluiceCore
import SluiceJSON

/// A compiled declaration and where it was written.
struct Located<Spec> {
    var spec: Spec
    var span: SourceSpan
}

extension GatewayCompiler {
    mutating func compileChannels(_ entries: [ConfigEntry], limits: LimitSettings?) -> [Located<ChannelSpec>] {
        var out: [Located<ChannelSpec>] = []
        var byPattern: [String: SourceSpan] = [:]
        for entry in entries {
            let template: ChannelTemplate
            do {
                template = try ChannelTemplate(parsing: entry.key)
            } catch {
                context.error(
                    .badChannel, "channel '\(entry.key)' is not a valid name or template: \(error.message)",
                    CompileContext.span(in: entry.keySpan, text: entry.key, offset: error.offset, length: 1),
                    hint: "placeholders look like {id}, {query.name} or {auth.sub}")
                continue
            }
            let shape = template.pattern.description
            if let first = byPattern[shape] {
                context.error(
                    .duplicateChannel,
                    "channel '\(entry.key)' describes the same channels as the declaration at line \(first.start.line)",
                    entry.keySpan, hint: "placeholder names do not make templates different; keep one")
                continue
            }
            byPattern[shape] = entry.keySpan
            let r = entry.value.record ?? ConfigRecord()
            let age = r["historyAge"]?.duration ?? .zero
            let spec = ChannelSpec(
                template: template, history: r["history"]?.integer ?? 0, historyAge: age == .zero ? nil : age,
                maxSubscribers: r["maxSubscribers"]?.integer ?? 0, emptyTimeout: r["emptyTimeout"]?.duration)
            if let value = r["emptyTimeout"], spec.emptyTimeout == .zero {
                context.error(
                    .outOfRange, "'channels.\(entry.key).emptyTimeout' must be longer than 0", value.span,
                    hint: "remove it to keep the channel for good")
            }
            if let limits, limits.maxSubscribersPerChannel > 0, spec.maxSubscribers > limits.maxSubscribersPerChannel,
                let value = r["maxSubscribers"]
            {
                context.warning(
                    .contradictoryLimits,
                    "'channels.\(entry.key).maxSubscribers' (\(spec.maxSubscribers)) exceeds "
                        + "'limits.maxSubscribersPerChannel' (\(limits.maxSubscribersPerChannel)), which wins",
                    value.span)
            }
            out.append(Located(spec: spec, span: entry.keySpan))
        }
        return out
    }

    mutating func compileStates(
        _ entries: [ConfigEntry], channels: [Located<ChannelSpec>], table: ChannelTable
    ) -> [Located<StateSpec>] {
        var out: [Located<StateSpec>] = []
        let stateChannels = entries.compactMap { $0.value.record?["channel"]?.string }
        for entry in entries {
            guard let r = entry.value.record, let channelValue = r["channel"], let channel = channelValue.string else {
                continue
            }
            if !literalChannel(channel, channelValue, "'states.\(entry.key).channel'") { continue }
            var counts: String?
            if let countsValue = r["counts"], let name = countsValue.string {
                if literalChannel(name, countsValue, "'states.\(entry.key).counts'") {
                    let covered =
                        stateChannels.contains(name) || table.declaration(for: name) != nil
                    if covered {
                        counts = name
                    } else {
                        context.error(
                            .unknownChannel, "state '\(entry.key)' counts channel '\(name)', which is not declared",
                            countsValue.span,
                            hint: knownChannelsHint(name, channels: channels, stateChannels: stateChannels))
                    }
                }
            }
            if r["persist"]?.bool == true, let value = r["persist"] {
                context.warning(
                    .notSupported,
                    "'states.\(entry.key).persist' is not supported yet: the state restarts from 'initial'",
                    value.span, hint: "remove it, or keep the value elsewhere and PUT it after a restart")
            }
            let key = r["key"]?.string ?? "value"
            if key.isEmpty, let value = r["key"] {
                context.error(.invalidValue, "'states.\(entry.key).key' cannot be empty", value.span)
            }
            let spec = StateSpec(
                name: entry.key, channel: channel, initial: r["initial"]?.json ?? .null, key: key, counts: counts,
                persist: r["persist"]?.bool ?? false)
            out.append(Located(spec: spec, span: entry.keySpan))
        }
        return out
    }

    /// Checks that a state's channel is one concrete, valid channel name.
    private mutating func literalChannel(_ name: String, _ value: ConfigValue, _ path: String) -> Bool {
        do {
            let template = try ChannelTemplate(parsing: name)
            if !template.isLiteral {
                context.error(
                    .badChannel, "\(path) must name one channel, not a template", value.span,
                    hint: "a state lives on a single channel such as 'score'")
                return false
            }
            return true
        } catch {
            context.error(
                .badChannel, "\(path) is not a valid channel name: \(error.message)",
                CompileContext.span(in: value, offset: error.offset, length: 1))
            return false
        }
    }

    func knownChannelsHint(_ name: String, channels: [Located<ChannelSpec>], stateChannels: [String]) -> String {
        let known = channels.map(\.spec.template.source) + stateChannels
        var hint = "declare it under 'channels:' (known: \(Suggestion.list(known)))"
        if let guess = Suggestion.closest(to: name, in: known) { hint = "did you mean '\(guess)'? or " + hint }
        return hint
    }
}
