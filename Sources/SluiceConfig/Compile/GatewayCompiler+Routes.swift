import SluiceCore

extension GatewayCompiler {
    mutating func compileRoutes(
        _ items: [ConfigValue], server: ServerSettings?, channels: [Located<ChannelSpec>], table: ChannelTable,
        states: [Located<StateSpec>]
    ) -> [Located<RouteSpec>] {
        if items.isEmpty {
            context.warning(
                .noRoutes, "the configuration declares no routes: no client can connect",
                root["routes"]?.span ?? .fileStart,
                hint: "add one, as in 'routes: [{ path: /events, channels: [news] }]'")
        }
        var out: [Located<RouteSpec>] = []
        var byPattern: [String: SourceSpan] = [:]
        var byShape: [String: (String, SourceSpan)] = [:]
        let stateChannels = states.map(\.spec.channel)
        for (index, item) in items.enumerated() {
            guard let r = item.record, let pathValue = r["path"], let path = pathValue.string else { continue }
            let pattern: RoutePattern
            do {
                pattern = try RoutePattern(parsing: path)
            } catch {
                context.error(
                    .badRoute, "route '\(path)' is not a valid path pattern: \(error.message)",
                    CompileContext.span(in: pathValue, offset: error.offset, length: 1),
                    hint: "use segments such as /events/users/:id or a final catch-all such as /files/*path")
                continue
            }
            let label = "route '\(pattern)'"
            if let server, server.apiListen == nil {
                let prefix = server.apiPrefix
                let canonical = pattern.description
                if canonical == prefix || canonical.hasPrefix(prefix == "/" ? "/" : prefix + "/") {
                    context.error(
                        .conflictingRoute, "\(label) lies under the API prefix '\(prefix)'", pathValue.span,
                        hint: "move the route, or change 'server.api.prefix'")
                }
            }
            if let first = byPattern[pattern.description] {
                context.error(
                    .duplicateRoute, "\(label) is declared twice (first at line \(first.start.line))", pathValue.span,
                    hint: "merge the two routes' channels into one")
                continue
            }
            if let (other, first) = byShape[pattern.shape] {
                context.error(
                    .conflictingRoute,
                    "\(label) conflicts with route '\(other)' (line \(first.start.line)): the same paths match both",
                    pathValue.span,
                    hint: "parameter names do not tell routes apart; give one a distinct literal segment")
                continue
            }
            byPattern[pattern.description] = pathValue.span
            byShape[pattern.shape] = (pattern.description, pathValue.span)

            var ruleName: String?
            if let value = r["auth"], let name = value.string {
                let declared = (root["auth"]?.record?["rules"]?.entries ?? []).map(\.key)
                if declared.contains(name) {
                    ruleName = name  // a rule with its own errors was reported there, not again here
                } else {
                    let known = declared
                    var hint = "declare it under 'auth.rules:' (known: \(Suggestion.list(known)))"
                    if let guess = Suggestion.closest(to: name, in: known) {
                        hint = "did you mean '\(guess)'? or " + hint
                    }
                    context.error(
                        .unknownAuthRule, "\(label) uses auth rule '\(name)', which is not declared", value.span,
                        hint: hint)
                    ruleName = name  // placeholders from identity stay fillable: report one problem, not two
                }
            }
            let templates = routeChannels(
                r["channels"], route: pattern, hasAuth: ruleName != nil, label: label, channels: channels, table: table,
                stateChannels: stateChannels)
            let subscribe = r["subscribe"]?.record ?? ConfigRecord()
            let allow = patternList(
                subscribe["allow"], path: "routes[\(index)].subscribe.allow", channels: table, states: states)
            let spec = RouteSpec(
                pattern: pattern, channels: templates, auth: ruleName,
                onConnect: hookReference(r["onConnect"], label: label),
                onDisconnect: hookReference(r["onDisconnect"], label: label),
                subscribeAllow: allow, onSubscribe: hookReference(subscribe["onSubscribe"], label: label))
            out.append(Located(spec: spec, span: pathValue.span))
        }
        return out
    }

    private mutating func routeChannels(
        _ value: ConfigValue?, route: RoutePattern, hasAuth: Bool, label: String, channels: [Located<ChannelSpec>],
        table: ChannelTable, stateChannels: [String]
    ) -> [ChannelTemplate] {
        var out: [ChannelTemplate] = []
        let parameters = route.parameterNames
        for item in value?.list ?? [] {
            guard let text = item.string else { continue }
            let template: ChannelTemplate
            do {
                template = try ChannelTemplate(parsing: text)
            } catch {
                context.error(
                    .badChannel, "\(label) has channel '\(text)', which is not a valid template: \(error.message)",
                    CompileContext.span(in: item, offset: error.offset, length: 1),
                    hint: "placeholders look like {id}, {query.name} or {auth.sub}")
                continue
            }
            var fillable = true
            var offset = 0
            for part in template.parts {
                defer {
                    switch part {
                    case .literal(let s): offset += s.count
                    case .placeholder(let p): offset += p.description.count
                    }
                }
                guard case .placeholder(let p) = part else { continue }
                let span = CompileContext.span(in: item, offset: offset, length: p.description.count)
                switch p {
                case .param(let name) where !parameters.contains(name):
                    fillable = false
                    let hint =
                        parameters.isEmpty
                        ? "add ':\(name)' to the path, or use {query.\(name)}"
                        : "the path's parameters are \(parameters.joined(separator: ", ")); or use {query.\(name)}"
                    context.error(
                        .unfillablePlaceholder, "\(label) has no path parameter '\(name)' to fill \(p)", span,
                        hint: hint)
                case .auth where !hasAuth:
                    fillable = false
                    context.error(
                        .unfillablePlaceholder, "\(label) fills \(p) from the identity but has no 'auth' rule", span,
                        hint: "add 'auth: RULE' to the route")
                default:
                    break
                }
            }
            let pattern = template.pattern
            let covered =
                table.covers(pattern) || stateChannels.contains { pattern.matches($0) }
            if fillable && !covered {
                context.error(
                    .unknownChannel, "\(label) uses channel '\(text)', which matches no declared channel or state",
                    item.span, hint: knownChannelsHint(text, channels: channels, stateChannels: stateChannels))
            }
            out.append(template)
        }
        return out
    }

    private mutating func hookReference(_ value: ConfigValue?, label: String) -> String? {
        guard let value, let name = value.string else { return nil }
        if !declaredHooks.contains(name) { unknownHook(name, value.span, user: label) }
        return name
    }

    mutating func reportUnused(hooks: [Located<HookSpec>], auth: AuthSettings, routes: [Located<RouteSpec>]) {
        var usedHooks = Set(
            routes.flatMap { [$0.spec.onConnect, $0.spec.onDisconnect, $0.spec.onSubscribe] }.compactMap { $0 })
        usedHooks.formUnion(auth.rules.values.compactMap(\.hook))
        for hook in hooks where !usedHooks.contains(hook.spec.name) {
            context.warning(
                .unused, "hook '\(hook.spec.name)' is declared but no route or auth rule uses it", hook.span,
                hint:
                    "reference it with onConnect, onDisconnect, subscribe.onSubscribe or an auth rule's 'hook', or remove it"
            )
        }
        let usedRules = Set(routes.compactMap(\.spec.auth))
        for entry in root["auth"]?.record?["rules"]?.entries ?? [] where !usedRules.contains(entry.key) {
            context.warning(
                .unused, "auth rule '\(entry.key)' is declared but no route uses it", entry.keySpan,
                hint: "reference it from a route with 'auth: \(entry.key)', or remove it")
        }
    }
}
