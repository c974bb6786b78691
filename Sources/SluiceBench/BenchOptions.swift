/// What `sluice bench` does: how many streams to open where, and how to publish.
public struct BenchOptions: Sendable {
    /// Which server's publish API to speak.
    public enum Target: String, Sendable, CaseIterable {
        /// `POST {prefix}/publish` with a bearer token; batches as NDJSON.
        case sluice
        /// Nchan's `nchan_publisher` location: the body is the event data; no batches.
        case nchan
        /// Pushpin's GRIP publish endpoint: `{"items": [...]}`, batches as several items.
        case pushpin
    }

    public var host = "127.0.0.1"
    public var port = 8080
    /// The stream path; `{i}` becomes the connection's index.
    public var path = "/events/news"
    public var headers: [(String, String)] = []
    public var connections = 100
    /// New connections per second; 0 opens them as fast as possible.
    public var ramp = 0
    public var target = Target.sluice
    public var publishHost = "127.0.0.1"
    public var publishPort = 8080
    /// The publish path; `{channel}` becomes the channel (Nchan: `/pub?id={channel}`).
    public var publishPath = "/_sluice/publish"
    public var token: String?
    /// The channel to publish to; `{r}` becomes a random number below `channelCount`.
    public var channel = "news"
    public var channelCount = 1
    /// Events per second in all; 0 publishes as fast as the server answers.
    public var rate = 0
    /// Events per publish request.
    public var batch = 1
    /// Concurrent publisher connections.
    public var publishers = 2
    public var duration: Duration = .seconds(10)
    /// Time to wait for the last events after publishing stops.
    public var drain: Duration = .seconds(1)
    /// Only open the streams and hold them this long (idle-memory measurements); no publishing.
    public var idle = false
    public var threads = 1

    public init() {}
}
