import Foundation
import SQLKit
import XunchaCore

/// An account as administrators see it, with the jurisdiction it belongs to.
public struct UserQuery: Sendable, Equatable {
    public var search: String?
    public var role: Role?
    public var jurisdictionID: UUID?
    public var page: PageRequest

    public init(search: String? = nil, role: Role? = nil, jurisdictionID: UUID? = nil, page: PageRequest = .init()) {
        self.search = search
        self.role = role
        self.jurisdictionID = jurisdictionID
        self.page = page
    }

    public static func validate(_ parameters: [String: String]) throws(DomainError) -> UserQuery {
        var query = UserQuery()
        query.search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 60)
        query.role = try QueryParameters.value(parameters, "role", as: Role.init(code:)) { text in
            .invalid("unknown_role", "未知的角色“\(text)”", english: "unknown role", field: "role")
        }
        query.jurisdictionID = try QueryParameters.jurisdictionID(parameters)
        query.page = try PageRequest.validate(limit: parameters["limit"], cursor: parameters["cursor"])
        return query
    }
}

/// A new account or a reset password: the one-time password is shown once and never stored.
public struct IssuedPassword: Sendable {
    public var user: User
    public var oneTimePassword: String
}

/// What a reset did: issued a one-time password at once, or filed a request that waits for the
/// security administrator.
public enum PasswordReset: Sendable {
    case issued(IssuedPassword)
    case requested(PasswordResetRequest)

    /// The one-time password, when one was issued.
    public var issued: IssuedPassword? {
        if case .issued(let issued) = self { return issued }
        return nil
    }
}

/// 账号: opening, listing and administering accounts.
extension Store {
    /// Opens an account with a one-time password the person must change at first sign-in. Roles
    /// given at opening need the right to grant them: the system administrator opens accounts
    /// without roles and the security administrator grants them; the console may do both.
    public func createUser(_ draft: UserDraft, origin: RequestOrigin) async throws -> IssuedPassword {
        let actor = origin.actor
        let roles = draft.roles?.roles ?? []
        guard policy.mayGrant(actor, roles: roles) else {
            throw DomainError(.forbidden, code: "administrator_roles_console_only", message: "三员角色只能在服务器控制台授予", english: "administrator roles are granted at the console only")
        }
        let password = PasswordPolicy(settings: security).generateInitialPassword()
        let hash = try await hasher.hash(password)
        let now = clock.now()
        let id = ids.next()
        let user = User(
            id: id, jurisdictionID: draft.jurisdictionID, username: draft.username, displayName: draft.displayName, roles: roles,
            unitID: draft.unitID, mustChangePassword: true, failedSignIns: 0, lockedUntil: nil, disabled: false, createdAt: now,
            updatedAt: now, version: 1)
        try await database.transaction { db in
            guard let location = try await self.location(ofJurisdiction: draft.jurisdictionID, on: db) else {
                throw DomainError.invalid("unknown_jurisdiction", "所属党委不存在", english: "jurisdiction not found", field: "jurisdiction_id")
            }
            guard self.policy.allows(actor, .manageUsers, at: location) else { throw DomainError.forbidden }
            if !roles.isEmpty && !self.policy.allows(actor, .grantRoles, at: location) {
                throw DomainError(
                    .forbidden, code: "roles_granted_by_security_administrator", message: "三员分立：账号开设后，由安全保密管理员授予角色",
                    english: "roles are granted by the security administrator", field: "roles")
            }
            if let unitID = draft.unitID {
                guard let unit = try await UnitRows.find(unitID, on: db), unit.jurisdictionID == draft.jurisdictionID else {
                    throw DomainError.invalid("unknown_unit", "所属单位不存在或不属于该党委", english: "unit not found in jurisdiction", field: "unit_id")
                }
            }
            try await self.insertAccount(user, passwordHash: hash, origin: origin, now: now, on: db)
        }
        return IssuedPassword(user: user, oneTimePassword: password)
    }

    /// Writes a new account with its audit entry (开设账号), naming its roles or what waits.
    func insertAccount(_ user: User, passwordHash: String, origin: RequestOrigin, now: Date, on db: any SQLDatabase) async throws {
        try await UserRows.insert(user, passwordHash: passwordHash, on: db)
        let titles = { (roles: Set<Role>) in roles.sorted().map(\.title).joined(separator: "、") }
        let state =
            !user.roles.isEmpty ? titles(user.roles) : user.proposedRoles.isEmpty ? "待授权" : "待授权，拟授\(titles(user.proposedRoles))"
        try await audit.append(
            AuditEvent(
                action: .userCreated, targetType: "user", targetID: user.id.text, jurisdictionID: user.jurisdictionID,
                detail: "\(user.username)（\(state)）", after: AuditEvent.canonical(user)),
            origin: origin, at: now, on: db)
    }

    /// A page of accounts within the actor's scope, by username.
    public func users(_ query: UserQuery, for actor: Actor) async throws -> Page<User> {
        try policy.requireAnywhere(actor, .viewUsers)
        var sql: SQLQueryString = "SELECT * FROM users WHERE "
        sql += ScopeSQL.filter(policy.scope(actor, .viewUsers), jurisdictionColumn: "jurisdiction_id")
        if let jurisdiction = query.jurisdictionID { sql += " AND jurisdiction_id = \(bind: jurisdiction.text)" }
        if let role = query.role { sql += " AND (' ' || roles || ' ') LIKE \(bind: "% \(role.rawValue) %")" }
        if let search = query.search {
            let pattern = ScopeSQL.likeContains(search.lowercased())
            sql += " AND (username LIKE \(bind: pattern) ESCAPE '!' OR display_name LIKE \(bind: ScopeSQL.likeContains(search)) ESCAPE '!')"
        }
        if let after = query.page.after { sql += " AND username > \(bind: after.key)" }
        sql += " ORDER BY username LIMIT \(literal: query.page.limit + 1)"
        let final = sql
        let rows = try await database.read { db in try await db.raw(final).all().map(UserRows.decode) }
        return KeysetSQL.page(rows, query.page) { Cursor(key: $0.username, id: $0.id.text) }
    }

    /// One account. Reading an account's record is logged: it holds personal data.
    public func user(_ id: UUID, origin: RequestOrigin) async throws -> User {
        let user = try await visibleUser(id, actor: origin.actor)
        try await record(
            AuditEvent(action: .userViewed, targetType: "user", targetID: id.text, jurisdictionID: user.jurisdictionID, detail: user.username),
            origin: origin)
        return user
    }

    /// Stops an account from signing in and ends its sessions. No one disables themselves.
    public func disableUser(_ id: UUID, origin: RequestOrigin) async throws -> User {
        if origin.actor.userID == id {
            throw DomainError(.conflict, code: "cannot_disable_self", message: "不能停用自己的账号", english: "cannot disable your own account")
        }
        return try await changeUser(id, permission: .manageUsers, action: .userDisabled, origin: origin) { user, db, now in
            user.disabled = true
            try await db.raw("UPDATE sessions SET revoked_at = \(bind: now.epochMilliseconds) WHERE user_id = \(bind: id.text) AND revoked_at IS NULL").run()
        }
    }

    /// Lets a disabled account sign in again.
    public func enableUser(_ id: UUID, origin: RequestOrigin) async throws -> User {
        try await changeUser(id, permission: .manageUsers, action: .userEnabled, origin: origin) { user, _, _ in user.disabled = false }
    }

    /// Clears every sign-in pause of an account (`SignInThrottle`: each source address's and the
    /// account-wide one), so its owner may try again at once from anywhere.
    public func unlockUser(_ id: UUID, origin: RequestOrigin) async throws -> User {
        try await changeUser(id, permission: .unlockUsers, action: .userUnlocked, origin: origin) { user, db, _ in
            try await ThrottleRows.clear(name: user.username, on: db)
            user.lockedUntil = nil
            user.failedSignIns = 0
        }
    }

    /// Replaces an account's roles (授权). Administrator roles stay at the console.
    public func setRoles(_ id: UUID, roles: Set<Role>, unitID: UUID?, origin: RequestOrigin) async throws -> User {
        let roleSet = try RoleSet(roles, unitGiven: unitID != nil)
        return try await changeUser(id, permission: .grantRoles, action: .userRolesChanged, origin: origin) { user, db, _ in
            try await self.grant(roleSet, unitID: unitID, to: &user, by: origin.actor, on: db)
        }
    }

    /// Gives `user` exactly these roles (and unit), which decides on whatever was proposed.
    func grant(_ roleSet: RoleSet, unitID: UUID?, to user: inout User, by actor: Actor, on db: any SQLDatabase) async throws {
        guard policy.mayGrant(actor, roles: roleSet.roles.union(user.roles)) else {
            throw DomainError(.forbidden, code: "administrator_roles_console_only", message: "三员角色只能在服务器控制台授予或调整", english: "administrator roles are managed at the console only")
        }
        if let unitID {
            guard let unit = try await UnitRows.find(unitID, on: db), unit.jurisdictionID == user.jurisdictionID else {
                throw DomainError.invalid("unknown_unit", "所属单位不存在或不属于该党委", english: "unit not found in jurisdiction", field: "unit_id")
            }
        }
        user.roles = roleSet.roles
        user.unitID = unitID
        user.proposedRoles = []
        user.proposedUnitID = nil
    }

    /// Resets an account's password. For an account holding a business role this only files a
    /// request that the security administrator confirms or refuses (`PasswordResetRule`); the
    /// account stays as it was meanwhile. Otherwise a new one-time password is issued at once,
    /// which the person must change at next sign-in, and they are told of the reset.
    public func resetPassword(_ id: UUID, origin: RequestOrigin) async throws -> PasswordReset {
        if origin.actor.userID == id {
            throw DomainError(.conflict, code: "cannot_reset_self", message: "不能重置自己的密码，请使用“修改密码”", english: "use change password for your own account")
        }
        let target = try await visibleUser(id, actor: origin.actor)
        if PasswordResetRule.needsConfirmation(of: target, by: origin.actor) {
            return .requested(try await requestPasswordReset(of: id, origin: origin))
        }
        let password = PasswordPolicy(settings: security).generateInitialPassword()
        let hash = try await hasher.hash(password)
        let actor = origin.actor
        let user = try await changeUser(id, permission: .manageUsers, action: .userPasswordReset, origin: origin) { user, db, now in
            // Roles granted since the check above make it a two-person reset.
            guard !PasswordResetRule.needsConfirmation(of: user, by: actor) else { throw DomainError.staleVersion }
            try await self.applyReset(to: &user, hash: hash, notice: Self.resetNotice(at: now, by: actor.name, confirmedBy: nil), at: now, on: db)
        }
        return .issued(IssuedPassword(user: user, oneTimePassword: password))
    }

    /// Finds an account by username, for the console.
    public func userID(username: String) async throws -> UUID? {
        let name = username.lowercased()
        return try await database.read { db in
            try await db.raw("SELECT id FROM users WHERE username = \(bind: name)").first().map { try $0.uuid("id") }
        }
    }

    func visibleUser(_ id: UUID, actor: Actor) async throws -> User {
        let found: (User, RecordLocation)? = try await database.read { db in
            guard let user = try await UserRows.find(id, on: db), let location = try await self.location(ofJurisdiction: user.jurisdictionID, on: db)
            else { return nil }
            return (user, location)
        }
        guard let (user, location) = found else { throw DomainError.notFound }
        try policy.requireVisible(actor, .viewUsers, at: location)
        return user
    }

    /// Loads, checks, changes and stores one account in one transaction with its audit entry.
    func changeUser(
        _ id: UUID, permission: Permission, action: AuditAction, origin: RequestOrigin,
        _ change: @escaping @Sendable (inout User, any SQLDatabase, Date) async throws -> Void
    ) async throws -> User {
        let now = clock.now()
        let actor = origin.actor
        return try await database.transaction { db in
            guard let before = try await UserRows.find(id, on: db),
                let location = try await self.location(ofJurisdiction: before.jurisdictionID, on: db)
            else { throw DomainError.notFound }
            try self.policy.requireVisible(actor, .viewUsers, at: location)
            guard self.policy.allows(actor, permission, at: location) else { throw DomainError.forbidden }
            if before.roles.contains(where: \.isAdministrator) && actor.kind != .consoleOperator && permission != .unlockUsers {
                throw DomainError(.forbidden, code: "administrator_console_only", message: "三员账号只能在服务器控制台管理", english: "administrator accounts are managed at the console")
            }
            var after = before
            try await change(&after, db, now)
            after.updatedAt = now
            after.version += 1
            try await UserRows.update(after, expectedVersion: before.version, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: action, targetType: "user", targetID: id.text, jurisdictionID: after.jurisdictionID, detail: after.username,
                    before: AuditEvent.canonical(before), after: AuditEvent.canonical(after)),
                origin: origin, at: now, on: db)
            return after
        }
    }
}

/// The SQL of the users table.
enum UserRows {
    static func find(_ id: UUID, on db: any SQLDatabase) async throws -> User? {
        try await db.raw("SELECT * FROM users WHERE id = \(bind: id.text)").first().map(decode)
    }

    static func find(username: String, on db: any SQLDatabase) async throws -> (User, String)? {
        guard let row = try await db.raw("SELECT * FROM users WHERE username = \(bind: username)").first() else { return nil }
        return (try decode(row), try row.string("password_hash"))
    }

    static func insert(_ user: User, passwordHash: String, on db: any SQLDatabase) async throws {
        do {
            try await db.raw(
                """
                INSERT INTO users (jurisdiction_id, id, username, display_name, roles, unit_id, password_hash, must_change_password,
                    failed_sign_ins, locked_until, disabled, password_changed_at, created_at, updated_at, version, proposed_roles, proposed_unit_id)
                VALUES (\(bind: user.jurisdictionID.text), \(bind: user.id.text), \(bind: user.username), \(bind: user.displayName),
                    \(bind: RoleSet.storageText(user.roles)), \(bind: user.unitID?.text), \(bind: passwordHash), \(bind: user.mustChangePassword ? 1 : 0),
                    0, NULL, \(bind: user.disabled ? 1 : 0), \(bind: user.createdAt.epochMilliseconds), \(bind: user.createdAt.epochMilliseconds),
                    \(bind: user.updatedAt.epochMilliseconds), \(bind: user.version), \(bind: RoleSet.storageText(user.proposedRoles)),
                    \(bind: user.proposedUnitID?.text))
                """
            ).run()
        } catch where Database.isUniqueViolation(error) {
            throw duplicateUsername(user.username)
        }
    }

    /// Writes the account if it is still at `expectedVersion`; a concurrent change answers 409.
    static func update(_ user: User, expectedVersion: Int, on db: any SQLDatabase) async throws {
        let changed = try await db.raw(
            """
            UPDATE users SET display_name = \(bind: user.displayName), roles = \(bind: RoleSet.storageText(user.roles)), unit_id = \(bind: user.unitID?.text),
                must_change_password = \(bind: user.mustChangePassword ? 1 : 0), failed_sign_ins = \(bind: user.failedSignIns),
                locked_until = \(bind: user.lockedUntil?.epochMilliseconds), disabled = \(bind: user.disabled ? 1 : 0),
                updated_at = \(bind: user.updatedAt.epochMilliseconds), version = \(bind: user.version),
                proposed_roles = \(bind: RoleSet.storageText(user.proposedRoles)), proposed_unit_id = \(bind: user.proposedUnitID?.text)
            WHERE id = \(bind: user.id.text) AND version = \(bind: expectedVersion) RETURNING id
            """
        ).all()
        guard changed.count == 1 else { throw DomainError.staleVersion }
    }

    static func duplicateUsername(_ name: String) -> DomainError {
        DomainError(.conflict, code: "duplicate_username", message: "用户名“\(name)”已被使用", english: "username already taken", field: "username")
    }

    static func decode(_ row: any SQLRow) throws -> User {
        User(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), username: try row.string("username"),
            displayName: try row.string("display_name"), roles: RoleSet.fromStorage(try row.string("roles")), unitID: try row.optionalUUID("unit_id"),
            mustChangePassword: try row.flag("must_change_password"), failedSignIns: try row.int("failed_sign_ins"),
            lockedUntil: try row.optionalDate("locked_until"), disabled: try row.flag("disabled"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"), version: try row.int("version"), resetNotice: try row.optionalString("reset_notice"),
            proposedRoles: RoleSet.fromStorage(try row.string("proposed_roles")), proposedUnitID: try row.optionalUUID("proposed_unit_id"))
    }
}
