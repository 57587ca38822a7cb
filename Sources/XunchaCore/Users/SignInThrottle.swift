import Foundation

/// 登录限速: keeps password guessing slow without letting a stranger keep anyone out.
///
/// Three counters, each a row the store keeps per key:
/// - **pair** (typed name, source address): after `maxFailedSignIns` failures in a row from one
///   address, that address may not try that name for `lockDuration`, doubled at each further block
///   (at most a day). The owner signing in from another address is not affected, so a stranger's
///   guesses from their own machine never lock the owner out.
/// - **address** (any name): an address that fails `4 × maxFailedSignIns` times (spraying many
///   names) is refused for every name it has not signed in to successfully before.
/// - **account** (typed name, every address): `4 × maxFailedSignIns` failures put the account "under
///   attack" for a growing while. That slows rather than blocks: an address the account has signed
///   in from recently keeps its full allowance, and any other address still gets one attempt per
///   pause, so the owner's right password from an address that has not been failing still works,
///   while guessing from many addresses drops to one guess per address per pause.
///
/// While refused, the password is not checked at all, so the answer is the same whatever the
/// password. Counters are keyed by the name as typed, so an unknown name is throttled exactly like
/// an account and the throttle never tells whether a name exists. A counter idle for a day starts
/// afresh. Pure: the store reads and writes the counters.
public struct SignInThrottle: Sendable {
    public enum Scope: String, Sendable, CaseIterable {
        case pair, address, account
    }

    /// One counter as stored.
    public struct Counter: Sendable, Equatable {
        public var failures: Int
        /// Blocks so far; each doubles the next pause.
        public var strikes: Int
        public var blockedUntil: Date?
        public var lastFailedAt: Date

        public init(failures: Int, strikes: Int, blockedUntil: Date?, lastFailedAt: Date) {
            self.failures = failures
            self.strikes = strikes
            self.blockedUntil = blockedUntil
            self.lastFailedAt = lastFailedAt
        }

        public func isBlocked(at now: Date) -> Bool { (blockedUntil ?? .distantPast) > now }
    }

    /// A counter idle this long is forgotten: a typo a week is not an attack.
    public static let memory: TimeInterval = 24 * 60 * 60

    public let settings: SecuritySettings

    public init(settings: SecuritySettings) {
        self.settings = settings
    }

    /// Failures that block one scope. During an attack an unrecognised address gets one attempt.
    public func limit(_ scope: Scope, accountUnderAttack: Bool, recognised: Bool) -> Int {
        switch scope {
        case .pair: accountUnderAttack && !recognised ? 1 : settings.maxFailedSignIns
        case .address, .account: settings.maxFailedSignIns * 4
        }
    }

    /// The pause of a block after `strikes` earlier ones: the lock duration doubled each time,
    /// at most a day (or the lock duration, if that is set longer).
    public func pause(afterStrikes strikes: Int) -> TimeInterval {
        let cap = max(settings.lockDuration, Self.memory)
        return min(cap, settings.lockDuration * pow(2, Double(min(max(strikes, 0), 16))))
    }

    /// Until when this attempt is refused without checking the password, or nil to check it.
    /// `recognised`: the name has signed in successfully from this address recently.
    public func refusal(pair: Counter?, address: Counter?, recognised: Bool, at now: Date) -> Date? {
        if let pair, pair.isBlocked(at: now) { return pair.blockedUntil }
        if !recognised, let address, address.isBlocked(at: now) { return address.blockedUntil }
        return nil
    }

    /// The counter after a failure was counted (`failures` already includes it): a new block when
    /// the limit is reached and none is in force, else nil.
    public func block(_ counter: Counter, limit: Int, at now: Date) -> Counter? {
        guard counter.failures >= limit, !counter.isBlocked(at: now) else { return nil }
        return Counter(failures: 0, strikes: counter.strikes + 1, blockedUntil: now.addingTimeInterval(pause(afterStrikes: counter.strikes)), lastFailedAt: now)
    }

    /// The key a typed name is counted under: the name itself when it could be a username, one
    /// shared key otherwise (free text may be a password typed into the wrong box).
    public static func nameKey(_ typed: String) -> String {
        (try? UserDraft.validUsername(typed)) ?? "（非用户名格式）"
    }
}
