import Glibc
import Logging
import SluiceJSON

/// Writes log lines to standard error as text (`LEVEL message key=value …`) or as one JSON object per line.
public struct SluiceLogHandler: LogHandler {
    public enum Format: String, Sendable { case text, json }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let format: Format

    public init(label: String, level: Logger.Level, format: Format) {
        self.label = label
        logLevel = level
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let line: String
        switch format {
        case .text:
            let pairs = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line =
                "\(Self.timestamp()) \(event.level.rawValue.uppercased()) \(event.message)\(pairs.isEmpty ? "" : " " + pairs)\n"
        case .json:
            var object = JSONObject()
            object["time"] = .string(Self.timestamp())
            object["level"] = .string(event.level.rawValue)
            object["message"] = .string("\(event.message)")
            for (key, value) in all.sorted(by: { $0.key < $1.key }) { object[key] = .string("\(value)") }
            line = JSONValue.object(object).serialized() + "\n"
        }
        var text = line
        text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }

    private static func timestamp() -> String {
        let now = WallClock.now()
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ n: Int32, _ width: Int = 2) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}
