import Foundation

/// Who is acting: a signed-in account, or the operator at the server console (the CLI), who
/// already holds the database and so is trusted with everything the CLI offers.
public struct Actor: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case account(UUID)
        case consoleOperator
        /// Someone not signed in, named only by what they typed (failed sign-ins).
        case anonymous
    }

    public var kind: Kind
    /// The username (or console operator), as the audit log names the actor.
    public var name: String
    /// The person's name as documents carry it (签字人、办理人); the username when there is none.
    public var displayName: String
    public var jurisdictionID: UUID?
    public var jurisdictionPath: String
    public var roles: Set<Role>
    public var unitID: UUID?

    public init(kind: Kind, name: String, displayName: String? = nil, jurisdictionID: UUID?, jurisdictionPath: String, roles: Set<Role>, unitID: UUID?) {
        self.kind = kind
        self.name = name
        self.displayName = displayName ?? name
        self.jurisdictionID = jurisdictionID
        self.jurisdictionPath = jurisdictionPath
        self.roles = roles
        self.unitID = unitID
    }

    /// A signed-in account.
    public static func account(_ user: User, jurisdictionPath: String) -> Actor {
        Actor(
            kind: .account(user.id), name: user.username, displayName: user.displayName, jurisdictionID: user.jurisdictionID,
            jurisdictionPath: jurisdictionPath, roles: user.roles, unitID: user.unitID)
    }

    /// The operator running `xuncha` on the server itself.
    public static func console(_ osUser: String) -> Actor {
        Actor(kind: .consoleOperator, name: "console:\(osUser)", jurisdictionID: nil, jurisdictionPath: "/", roles: [], unitID: nil)
    }

    /// Someone not signed in; reaches nothing.
    public static func anonymous(_ typedName: String) -> Actor {
        Actor(kind: .anonymous, name: typedName, jurisdictionID: nil, jurisdictionPath: "", roles: [], unitID: nil)
    }

    /// The account id, when the actor is an account.
    public var userID: UUID? {
        if case .account(let id) = kind { return id }
        return nil
    }

    /// True for an actor whose jurisdiction has no parent (or the console), who also sees audit
    /// entries that belong to no jurisdiction, such as failed sign-ins with an unknown name.
    public var isAtRoot: Bool {
        if kind == .consoleOperator { return true }
        return kind != .anonymous && jurisdictionPath.hasPrefix("/") && jurisdictionPath.split(separator: "/").count == 1
    }
}
