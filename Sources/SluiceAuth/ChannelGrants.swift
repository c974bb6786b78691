import SluiceCore
import SluiceJSON

/// The channels an identity may subscribe or publish to, when its rule names a claim that grants them.
public struct ChannelGrants: Sendable {
    /// `nil`: the rule grants by claim nothing in particular, so everything the route allows is allowed.
    public let patterns: [ChannelPattern]?

    public static let unrestricted = ChannelGrants(patterns: nil)

    public init(patterns: [ChannelPattern]?) { self.patterns = patterns }

    /// The grants of `identity` under a rule whose `channelsClaim` is `claim`.
    public init(claim: String?, identity: JSONObject) {
        guard let claim else {
            self.patterns = nil
            return
        }
        self.patterns = Identity.grantedPatterns(claim, in: identity).map(ChannelPattern.init)
    }

    public func permits(_ channel: String) -> Bool {
        guard let patterns else { return true }
        return patterns.contains { $0.matches(channel) }
    }
}
