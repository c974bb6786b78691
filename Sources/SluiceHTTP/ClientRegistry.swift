import NIOCore
import SluiceJSON
import Synchronization

/// Every open stream, for admission limits, the admin API and publishing to one client.
final class ClientRegistry: Sendable {
    /// What the admin API shows of a client.
    struct Info: Sendable {
        var id: String
        var ip: String
        var route: String
        var channels: [String]
        /// Unix time in seconds.
        var since: Int64
        /// The claims the client authenticated with (empty on open routes).
        var identity: JSONObject
    }

    /// The verdict on a new connection.
    enum Admission: Equatable {
        case admitted
        case gatewayFull
        case perIPLimit
    }

    private struct Entry {
        var info: Info
        var session: StreamSession
    }

    private struct State {
        var reserved = 0
        var perIP: [String: Int] = [:]
        var clients: [String: Entry] = [:]
    }

    private let state = Mutex(State())

    /// Reserves a slot for a connection from `ip`, or says why not. A reservation is given back with
    /// ``release(ip:)``.
    func admit(ip: String, maxConnections: Int, maxPerIP: Int) -> Admission {
        state.withLock { s in
            if s.reserved >= maxConnections { return .gatewayFull }
            let fromIP = s.perIP[ip] ?? 0
            if maxPerIP > 0 && fromIP >= maxPerIP { return .perIPLimit }
            s.reserved += 1
            s.perIP[ip] = fromIP + 1
            return .admitted
        }
    }

    func release(ip: String) {
        state.withLock { s in
            s.reserved -= 1
            let n = (s.perIP[ip] ?? 1) - 1
            s.perIP[ip] = n == 0 ? nil : n
        }
    }

    func register(_ session: StreamSession, info: Info) {
        state.withLock { $0.clients[info.id] = Entry(info: info, session: session) }
    }

    func updateChannels(_ id: String, _ channels: [String]) {
        state.withLock { $0.clients[id]?.info.channels = channels }
    }

    func unregister(_ id: String) {
        _ = state.withLock { $0.clients.removeValue(forKey: id) }
    }

    func list() -> [Info] {
        state.withLock { s in s.clients.values.map(\.info) }.sorted { ($0.since, $0.id) < ($1.since, $1.id) }
    }

    /// The session of a client, to be used on its own event loop only.
    func session(_ id: String) -> StreamSession? {
        state.withLock { $0.clients[id]?.session }
    }

    var count: Int { state.withLock { $0.clients.count } }
    var reservedCount: Int { state.withLock { $0.reserved } }
}
