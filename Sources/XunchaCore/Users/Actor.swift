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
    /// The person's name as documents carry it (起草人、签字人、办理人): the 姓名, followed by the
    /// account in brackets only when another account has the same 姓名 ("张伟（zhangwei2）");
    /// the username when there is no person. Every record that names who acted stores this.
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

    /// A signed-in account; `shownName` is the 姓名 as documents carry it when the store decided it
    /// (told apart from a namesake's), else the 姓名 alone.
    public static func account(_ user: User, jurisdictionPath: String, shownName: String? = nil) -> Actor {
        Actor(
            kind: .account(user.id), name: user.username, displayName: shownName ?? user.displayName, jurisdictionID: user.jurisdictionID,
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
