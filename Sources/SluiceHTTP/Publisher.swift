import NIOCore
import SluiceAuth
import SluiceCore
import SluiceHistory
import SluiceJSON

/// Publishes validated events: checks the credential's scope and the channels' declarations, then hands them to
/// the hub, which numbers, encodes (once) and retains them.
struct Publisher {
    let runtime: GatewayRuntime
    let credential: CredentialVerifier.Grant

    /// Publishes one JSON event.
    /// - Returns: the event's id and reach, or the status and reason of a refusal.
    func publish(_ json: JSONValue) -> Result<Published, PublishError> {
        let request: PublishRequest
        switch PublishRequest.parse(json, maxPayload: runtime.gateway.limits.maxPayload) {
        case .success(let r): request = r
        case .failure(let e): return .failure(e)
        }
        switch request.target {
        case .channels(let names):
            for name in names {
                guard runtime.isDeclared(name) else {
                    return .failure(
                        PublishError(404, "The channel '\(name.prefix(64))' matches no declared channel or state."))
                }
                guard credential.permits(name) else {
                    return .failure(PublishError(403, "This token may not publish to '\(name.prefix(64))'."))
                }
            }
        case .client, .all:
            guard !credential.isScoped else {
                return .failure(
                    PublishError(403, "This token is limited to channel patterns and may not publish to clients."))
            }
        }
        let id: EventID
        let delivered: Int
        switch request.target {
        case .channels(let names):
            // Publishers hold no lock: this loop's own subscribers may get the event at once.
            (id, delivered) = runtime.hub.publish(event: request.event, data: request.data, to: names, inline: true)
        case .client(let clientID):
            guard let session = runtime.registry.session(clientID) else {
                return .failure(PublishError(404, "No client with this id is connected."))
            }
            id = runtime.hub.send(event: request.event, data: request.data, to: session)
            delivered = 1
        case .all:
            delivered = runtime.registry.count
            id = runtime.hub.broadcast(event: request.event, data: request.data)
        }
        runtime.metrics.eventsPublished.add(1, ordering: .relaxed)
        return .success(Published(id: id, delivered: delivered))
    }
}
