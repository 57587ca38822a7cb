import Foundation

/// 重置密码的双人控制 (三员分立 against password resets).
///
/// Whoever holds an account's password reads what the account may read, so a reset is a way to a
/// business record. The system administrator therefore never resets an account that holds a
/// business role alone: it only *requests* the reset; the account stays as it was (its password
/// still works, no one-time password exists) until the security administrator confirms or refuses.
///
/// The one-time password is issued on confirmation and shown to the **confirming security
/// administrator** only, who hands it to the owner after checking who they are. So the
/// administrator who can start a reset never holds its result, and the one who holds the result
/// cannot start one: neither alone can sign in as the account. The owner learns of every reset
/// (when, requested and confirmed by whom) at the next sign-in, and a one-time password used by
/// anyone else first no longer works for the owner, who must change it at first sign-in.
///
/// Accounts without roles (待授权) reach nothing, and administrator accounts are managed at the
/// console only, so both keep the single-step reset; so does the console operator, who holds the
/// database anyway. Residual risk, by design: the two administrators acting together, or the
/// system administrator resetting a roleless account (learning its password) that the security
/// administrator then grants a business role — also two people, each act audited.
public enum PasswordResetRule {
    /// Whether a reset of `account` by `actor` needs the security administrator's confirmation.
    public static func needsConfirmation(of account: User, by actor: Actor) -> Bool {
        actor.kind != .consoleOperator && account.roles.contains(where: { !$0.isAdministrator })
    }
}

/// Where a reset request stands.
public enum PasswordResetStatus: String, Sendable, Codable, CaseIterable {
    case pending
    case confirmed
    case refused

    public var title: String {
        switch self {
        case .pending: "待确认"
        case .confirmed: "已确认"
        case .refused: "已拒绝"
        }
    }
}

/// A system administrator's request to reset a business account's password.
public struct PasswordResetRequest: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var userID: UUID
    /// The account's username and name, for the lists.
    public var username: String
    public var displayName: String
    public var requestedByID: UUID?
    public var requestedBy: String
    public var requestedAt: Date
    public var status: PasswordResetStatus
    public var decidedBy: String?
    public var decidedAt: Date?
    public var reason: String?
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, userID: UUID, username: String, displayName: String, requestedByID: UUID?, requestedBy: String,
        requestedAt: Date, status: PasswordResetStatus, decidedBy: String?, decidedAt: Date?, reason: String?, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.userID = userID
        self.username = username
        self.displayName = displayName
        self.requestedByID = requestedByID
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.reason = reason
        self.version = version
    }
}
