import NIOCore
import NIOHTTP1
import SluiceAuth
import SluiceCore
import SluiceJSON

extension APIRouter {
    /// `GET/PUT/PATCH/DELETE /states/NAME`, `POST /states/NAME/increment`, `POST /states` (create), `GET /states`.
    func states(_ method: HTTPMethod, _ segments: [String], headers: HTTPHeaders, body: ByteBuffer?) -> HTTPResponse {
        let credential: CredentialVerifier.Grant
        switch publisher(headers) {
        case .success(let c): credential = c
        case .failure(let refusal): return refusal.response
        }
        let store = runtime.states
        if segments.count == 1 {
            switch method {
            case .GET:
                let visible = store.all.filter { credential.permits($0.channel) }
                return .json(200, ["states": .array(visible.map(Self.describe))])
            case .POST:
                return create(credential, body: body)
            default:
                return .error(405, "This endpoint answers GET and POST only.", headers: [("Allow", "GET, POST")])
            }
        }
        let name = segments[1]
        guard let entry = store.get(name) else { return .error(404, "No state is named '\(name.prefix(64))'.") }
        guard credential.permits(entry.channel) else {
            return .error(403, "This token may not change states on '\(entry.channel.prefix(64))'.")
        }
        var ifMatch: Int64?
        if let value = headers.first(name: "if-match") {
            guard let version = Int64(value.trimmed(of: "\" W/")) else {
                return .error(400, "If-Match must be a state version such as \"3\".")
            }
            ifMatch = version
        }
        let isIncrement = segments.count == 3 && segments[2] == "increment"
        guard segments.count == 2 || isIncrement else { return .error(404, "No API endpoint has this path.") }
        if isIncrement {
            guard method == .POST else {
                return .error(405, "This endpoint answers POST only.", headers: [("Allow", "POST")])
            }
            let by: JSONValue
            switch parse(body, allowEmpty: true) {
            case .failure(let refusal): return refusal.response
            case .success(nil): by = 1
            case .success(let json?): by = json["by"] ?? json
            }
            guard by.doubleValue != nil else { return .error(400, "Send a number to add, as {\"by\": 2}.") }
            return answer(store.update(name, ifMatch: ifMatch) { current in Self.add(by, to: current) })
        }
        switch method {
        case .GET, .HEAD:
            return .json(200, Self.describe(entry), headers: [("ETag", "\"\(entry.version)\"")])
        case .PUT, .PATCH:
            let json: JSONValue
            switch parse(body, allowEmpty: false) {
            case .failure(let refusal): return refusal.response
            case .success(let value): json = value ?? .null
            }
            if method == .PUT { return answer(store.update(name, ifMatch: ifMatch) { _ in .success(json) }) }
            return answer(store.update(name, ifMatch: ifMatch) { .success(JSONMergePatch.apply(json, to: $0)) })
        case .DELETE:
            return store.delete(name)
                ? HTTPResponse(status: 204) : .error(404, "No state is named '\(name.prefix(64))'.")
        default:
            let allow = "GET, HEAD, PUT, PATCH, DELETE"
            return .error(405, "This endpoint answers \(allow) only.", headers: [("Allow", allow)])
        }
    }

    private func create(_ credential: CredentialVerifier.Grant, body: ByteBuffer?) -> HTTPResponse {
        guard case .success(let json?) = parse(body, allowEmpty: false), case .object = json,
            let name = json["name"]?.stringValue, let channel = json["channel"]?.stringValue
        else { return .error(400, "Send {\"name\": …, \"channel\": …, \"initial\": any JSON, \"key\"?: …}.") }
        if let problem = EventName.problem(name) { return .error(400, "The state name \(problem).") }
        if let problem = ChannelName.problem(channel) {
            return .error(400, "The channel name '\(channel.prefix(64))' \(problem).")
        }
        guard credential.permits(channel) else {
            return .error(403, "This token may not create states on '\(channel.prefix(64))'.")
        }
        let key = json["key"]?.stringValue ?? "value"
        let entry = StateStore.Entry(
            name: name, channel: channel, key: key, counts: nil, value: json["initial"] ?? .null, version: 1)
        switch runtime.states.create(entry) {
        case .success(let created): return .json(201, Self.describe(created), headers: [("ETag", "\"1\"")])
        case .failure(let f): return .error(f.status, f.reason)
        }
    }

    private func parse(_ body: ByteBuffer?, allowEmpty: Bool) -> Result<JSONValue?, Refusal> {
        let bytes = body.map { Array($0.readableBytesView) } ?? []
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return allowEmpty
                ? .success(nil) : .failure(Refusal(response: .error(400, "The body must be a JSON value.")))
        }
        return parseJSON(body).map { $0 }
    }

    private func answer(_ result: Result<(entry: StateStore.Entry, changed: Bool), StateStore.Failure>) -> HTTPResponse
    {
        switch result {
        case .success(let (entry, changed)):
            var description = Self.describe(entry)
            if case .object(var o) = description {
                o["changed"] = .bool(changed)
                description = .object(o)
            }
            return .json(200, description, headers: [("ETag", "\"\(entry.version)\"")])
        case .failure(let f):
            return .error(f.status, f.reason)
        }
    }

    static func describe(_ entry: StateStore.Entry) -> JSONValue {
        [
            "name": .string(entry.name), "channel": .string(entry.channel), "value": entry.value,
            "version": .integer(entry.version),
        ]
    }

    /// Adds a number to a number state, keeping integers integral.
    static func add(_ by: JSONValue, to current: JSONValue) -> Result<JSONValue, StateStore.Failure> {
        switch (current, by) {
        case (.integer(let a), .integer(let b)):
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow
                ? .failure(.init(status: 409, reason: "The increment would overflow.")) : .success(.integer(sum))
        case (.integer, _), (.number, _):
            return .success(.number((current.doubleValue ?? 0) + (by.doubleValue ?? 0)))
        default:
            return .failure(.init(status: 409, reason: "The state holds \(current.typeName), not a number."))
        }
    }
}
