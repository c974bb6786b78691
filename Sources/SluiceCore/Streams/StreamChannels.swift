/// Fills a route's channel templates for one connection.
public enum StreamChannels {
    /// Why a connection's channels cannot be built; each maps to a 400 with this sentence.
    public struct Failure: Error, Sendable, Equatable {
        public var reason: String
    }

    /// - Parameters:
    ///   - parameters: the route's path parameters (decoded).
    ///   - query: query parameters (decoded; the first value of each name).
    ///   - identity: claims of the authenticated identity, looked up by dotted path.
    ///   - maxValueLength: the longest value accepted from the path or query, in bytes.
    /// - Returns: the channel names in template order, duplicates removed.
    public static func resolve(
        _ templates: [ChannelTemplate], parameters: [String: String], query: [String: String],
        identity: (String) -> String? = { _ in nil }, maxValueLength: Int
    ) -> Result<[String], Failure> {
        var names: [String] = []
        for template in templates {
            var failure: Failure?
            let name = template.render { placeholder in
                let value: String?
                let what: String
                switch placeholder {
                case .param(let n):
                    value = parameters[n]
                    what = "path parameter '\(n)'"
                case .query(let n):
                    value = query[n]
                    what = "query parameter '\(n)'"
                case .auth(let path):
                    value = identity(path)
                    what = "identity claim '\(path)'"
                }
                guard let value, !value.isEmpty else {
                    failure = Failure(reason: "The \(what) is missing.")
                    return nil
                }
                if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                    failure = Failure(reason: "The \(what) contains a line break or NUL.")
                    return nil
                }
                if value.utf8.count > maxValueLength {
                    failure = Failure(reason: "The \(what) is longer than \(maxValueLength) bytes.")
                    return nil
                }
                return value
            }
            if let failure { return .failure(failure) }
            guard let name else { return .failure(Failure(reason: "A channel of this route cannot be filled.")) }
            if let problem = ChannelName.problem(name) {
                return .failure(Failure(reason: "The channel name '\(name.prefix(64))' \(problem)."))
            }
            if !names.contains(name) { names.append(name) }
        }
        return .success(names)
    }
}
