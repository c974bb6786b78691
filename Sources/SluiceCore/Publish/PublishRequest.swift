import SluiceJSON

/// One event to publish, validated: `{"channel": "news", "event": "update", "data": {…}}`, or `channels: […]`,
/// `client: "id"` or `all: true` as the target.
public struct PublishRequest: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        case channels([String])
        case client(String)
        case all
    }

    public var target: Target
    /// The `event:` name; `nil` sends a default `message` event.
    public var event: String?
    /// The data as sent on `data:` lines: a string as is, any other JSON value serialized compactly.
    public var data: String

    public init(target: Target, event: String?, data: String) {
        self.target = target
        self.event = event
        self.data = data
    }

    /// Validates a parsed JSON body.
    /// - Returns: the request, or the HTTP status and one-sentence reason to refuse it with.
    public static func parse(_ json: JSONValue, maxPayload: Int) -> Result<PublishRequest, PublishError> {
        guard case .object(let o) = json else {
            return .failure(
                PublishError(400, "The body must be a JSON object such as {\"channel\": \"news\", \"data\": …}."))
        }
        if o["id"] != nil {
            return .failure(
                PublishError(400, "Event ids are assigned by the gateway (that keeps resume exact); remove 'id'."))
        }
        if let unknown = o.keys.first(where: { !isKnownField($0) }) {
            return .failure(
                PublishError(
                    400,
                    "Unknown field '\(unknown.prefix(64))'; use channel, channels, client, all, event and data."))
        }
        // At most one target is allowed; the second one found is only counted (no list per event).
        var target: Target?
        var targetCount = 0
        func found(_ t: Target) {
            if target == nil { target = t }
            targetCount += 1
        }
        if let value = o["channel"] {
            guard let name = value.stringValue else {
                return .failure(PublishError(400, "'channel' must be a string."))
            }
            found(.channels([name]))
        }
        if let value = o["channels"] {
            guard let list = value.arrayValue, !list.isEmpty, list.allSatisfy({ $0.stringValue != nil }) else {
                return .failure(PublishError(400, "'channels' must be a non-empty list of channel names."))
            }
            var names: [String] = []
            for name in list.compactMap(\.stringValue) where !names.contains(name) { names.append(name) }
            found(.channels(names))
        }
        if let value = o["client"] {
            guard let id = value.stringValue, !id.isEmpty else {
                return .failure(PublishError(400, "'client' must be a client id."))
            }
            found(.client(id))
        }
        if let value = o["all"] {
            guard value == .bool(true) else { return .failure(PublishError(400, "'all' can only be true.")) }
            found(.all)
        }
        guard targetCount == 1, let target else {
            return .failure(PublishError(400, "Name exactly one target: 'channel', 'channels', 'client' or 'all'."))
        }
        if case .channels(let names) = target {
            for name in names {
                if let problem = ChannelName.problem(name) {
                    return .failure(PublishError(400, "The channel name '\(name.prefix(64))' \(problem)."))
                }
            }
        }
        var event: String?
        if let value = o["event"] {
            guard let name = value.stringValue else { return .failure(PublishError(400, "'event' must be a string.")) }
            if let problem = EventName.problem(name) {
                return .failure(PublishError(400, "The event name \(problem)."))
            }
            event = name
        }
        guard let dataValue = o["data"] else {
            return .failure(PublishError(400, "The event has no 'data' (any JSON value or a string)."))
        }
        let data = dataValue.stringValue ?? dataValue.serialized()
        if data.utf8.count > maxPayload {
            return .failure(
                PublishError(413, "The data is \(data.utf8.count) bytes, more than the \(maxPayload) allowed."))
        }
        return .success(PublishRequest(target: target, event: event, data: data))
    }
}

extension PublishRequest {
    /// Compared, not hashed: this runs on every key of every published event.
    fileprivate static func isKnownField(_ key: String) -> Bool {
        switch key {
        case "channel", "channels", "client", "all", "event", "data": true
        default: false
        }
    }
}

/// A refused publish: the HTTP status and a one-sentence reason.
public struct PublishError: Error, Sendable, Equatable {
    public var status: Int
    public var reason: String

    public init(_ status: Int, _ reason: String) {
        self.status = status
        self.reason = reason
    }
}
