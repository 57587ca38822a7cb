import Foundation
import SQLKit
import XunchaCore

/// 重置密码的双人控制: the system administrator requests, the security administrator confirms
/// (and alone receives the one-time password) or refuses. See `PasswordResetRule` for why.
extension Store {
    /// Files a reset request for a business account; nothing about the account changes.
    func requestPasswordReset(of id: UUID, origin: RequestOrigin) async throws -> PasswordResetRequest {
        let now = clock.now()
        let actor = origin.actor
        return try await database.transaction { db in
            guard let user = try await UserRows.find(id, on: db), let location = try await self.location(ofJurisdiction: user.jurisdictionID, on: db)
            else { throw DomainError.notFound }
            try self.policy.requireVisible(actor, .viewUsers, at: location)
            guard self.policy.allows(actor, .manageUsers, at: location) else { throw DomainError.forbidden }
            let request = PasswordResetRequest(
                id: self.ids.next(), jurisdictionID: user.jurisdictionID, userID: user.id, username: user.username, displayName: user.displayName,
                requestedByID: actor.userID, requestedBy: actor.name, requestedAt: now, status: .pending, decidedBy: nil, decidedAt: nil, reason: nil,
                version: 1)
            do {
                try await db.raw(
                    """
                    INSERT INTO password_reset_requests (jurisdiction_id, id, user_id, requested_by_id, requested_by, requested_at, status, version)
                    VALUES (\(bind: request.jurisdictionID.text), \(bind: request.id.text), \(bind: user.id.text), \(bind: actor.userID?.text),
                        \(bind: actor.name), \(bind: now.epochMilliseconds), 'pending', 1)
                    """
                ).run()
            } catch where Database.isUniqueViolation(error) {
                throw DomainError(
                    .conflict, code: "reset_already_requested", message: "该账号已有待安全保密管理员确认的重置密码申请",
                    english: "a reset of this account already waits for confirmation")
            }
            try await self.audit.append(
                AuditEvent(
                    action: .userPasswordResetRequested, targetType: "user", targetID: user.id.text, jurisdictionID: user.jurisdictionID,
                    detail: "\(user.username)（待安全保密管理员确认，申请编号\(request.id.text)）"),
                origin: origin, at: now, on: db)
            return request
        }
    }

    /// Reset requests still waiting, oldest first, within the actor's reach over accounts.
    public func pendingPasswordResets(for actor: Actor) async throws -> [PasswordResetRequest] {
        try policy.requireAnywhere(actor, .viewUsers)
        var sql: SQLQueryString = """
            SELECT r.*, u.username, u.display_name FROM password_reset_requests r JOIN users u ON u.id = r.user_id
            WHERE r.status = 'pending' AND
            """
        sql += " " + ScopeSQL.filter(policy.scope(actor, .viewUsers), jurisdictionColumn: "r.jurisdiction_id")
        sql += " ORDER BY r.requested_at, r.id LIMIT 200"
        let final = sql
        return try await database.read { db in try await db.raw(final).all().map(ResetRows.decode) }
    }

    /// The security administrator confirms a request: the account gets a one-time password, shown
    /// to the confirming administrator only, its sessions end and its owner is told at next sign-in.
    public func confirmPasswordReset(_ requestID: UUID, origin: RequestOrigin) async throws -> IssuedPassword {
        let request = try await visibleReset(requestID, actor: origin.actor)
        let password = PasswordPolicy(settings: security).generateInitialPassword()
        let hash = try await hasher.hash(password)
        let actor = origin.actor
        let user = try await changeUser(request.userID, permission: .grantRoles, action: .userPasswordResetConfirmed, origin: origin) { user, db, now in
            try await ResetRows.decide(request, as: .confirmed, by: actor, reason: nil, at: now, on: db)
            let notice = Self.resetNotice(at: now, by: request.requestedBy, confirmedBy: actor.name)
            try await self.applyReset(to: &user, hash: hash, notice: notice, at: now, on: db)
        }
        return IssuedPassword(user: user, oneTimePassword: password)
    }

    /// The security administrator refuses a request; the account stays as it was.
    public func refusePasswordReset(_ requestID: UUID, reason: String?, origin: RequestOrigin) async throws -> PasswordResetRequest {
        let reason = try TextRules.optionalLine(reason, field: "reason", label: "拒绝理由", maxLength: 200)
        let request = try await visibleReset(requestID, actor: origin.actor)
        let now = clock.now()
        let actor = origin.actor
        return try await database.transaction { db in
            guard let location = try await self.location(ofJurisdiction: request.jurisdictionID, on: db) else { throw DomainError.notFound }
            guard self.policy.allows(actor, .grantRoles, at: location) else { throw DomainError.forbidden }
            try await ResetRows.decide(request, as: .refused, by: actor, reason: reason, at: now, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: .userPasswordResetRefused, targetType: "user", targetID: request.userID.text, jurisdictionID: request.jurisdictionID,
                    detail: "\(request.username)（\(request.requestedBy)的申请\(reason.map { "，理由：\($0)" } ?? "")）"),
                origin: origin, at: now, on: db)
            var refused = request
            refused.status = .refused
            refused.decidedBy = actor.name
            refused.decidedAt = now
            refused.reason = reason
            refused.version += 1
            return refused
        }
    }

    /// The owner has read the notice of a reset of their password.
    public func acknowledgeResetNotice(origin: RequestOrigin) async throws {
        guard let id = origin.actor.userID else { throw DomainError.forbidden }
        let now = clock.now()
        try await database.transaction { db in
            let cleared = try await db.raw("UPDATE users SET reset_notice = NULL WHERE id = \(bind: id.text) AND reset_notice IS NOT NULL RETURNING jurisdiction_id").first()
            guard let cleared else { return }
            try await self.audit.append(
                AuditEvent(action: .resetNoticeAcknowledged, targetType: "user", targetID: id.text, jurisdictionID: try cleared.uuid("jurisdiction_id"), detail: origin.actor.name),
                origin: origin, at: now, on: db)
        }
    }

    /// The changes of a reset, inside the caller's account change: the new hash, a forced change
    /// at next sign-in, every session and sign-in pause ended, and the notice for the owner.
    func applyReset(to user: inout User, hash: String, notice: String, at now: Date, on db: any SQLDatabase) async throws {
        user.mustChangePassword = true
        user.lockedUntil = nil
        user.failedSignIns = 0
        user.resetNotice = notice
        try await db.raw(
            """
            UPDATE users SET password_hash = \(bind: hash), password_changed_at = \(bind: now.epochMilliseconds), reset_notice = \(bind: notice)
            WHERE id = \(bind: user.id.text)
            """
        ).run()
        try await db.raw("UPDATE sessions SET revoked_at = \(bind: now.epochMilliseconds) WHERE user_id = \(bind: user.id.text) AND revoked_at IS NULL").run()
        try await ThrottleRows.clear(name: user.username, on: db)
    }

    static func resetNotice(at date: Date, by requester: String, confirmedBy confirmer: String?) -> String {
        let confirmation = confirmer.map { "申请、经安全保密管理员 \($0) 确认" } ?? ""
        return "您的密码已于\(DateText.prose(date))由 \(requester) \(confirmation)重置。如非您本人申请，请立即修改密码并报告安全保密管理员。"
    }

    private func visibleReset(_ id: UUID, actor: Actor) async throws -> PasswordResetRequest {
        let found: (PasswordResetRequest, RecordLocation)? = try await database.read { db in
            guard let row = try await db.raw(
                "SELECT r.*, u.username, u.display_name FROM password_reset_requests r JOIN users u ON u.id = r.user_id WHERE r.id = \(bind: id.text)"
            ).first() else { return nil }
            let request = try ResetRows.decode(row)
            guard let location = try await self.location(ofJurisdiction: request.jurisdictionID, on: db) else { return nil }
            return (request, location)
        }
        guard let (request, location) = found else { throw DomainError.notFound }
        try policy.requireVisible(actor, .viewUsers, at: location)
        return request
    }
}

/// The SQL of reset requests.
enum ResetRows {
    /// Records the decision if the request is still pending; a decided one answers 409.
    static func decide(_ request: PasswordResetRequest, as status: PasswordResetStatus, by actor: Actor, reason: String?, at now: Date, on db: any SQLDatabase) async throws {
        let changed = try await db.raw(
            """
            UPDATE password_reset_requests SET status = \(bind: status.rawValue), decided_by = \(bind: actor.name), decided_at = \(bind: now.epochMilliseconds),
                reason = \(bind: reason), version = version + 1
            WHERE id = \(bind: request.id.text) AND status = 'pending' RETURNING id
            """
        ).all()
        guard changed.count == 1 else {
            throw DomainError(.conflict, code: "reset_not_pending", message: "该重置密码申请已处理", english: "the reset request was already decided")
        }
    }

    static func decode(_ row: any SQLRow) throws -> PasswordResetRequest {
        PasswordResetRequest(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), userID: try row.uuid("user_id"), username: try row.string("username"),
            displayName: try row.string("display_name"), requestedByID: try row.optionalUUID("requested_by_id"), requestedBy: try row.string("requested_by"),
            requestedAt: try row.date("requested_at"), status: try row.code("status", or: .pending),
            decidedBy: try row.optionalString("decided_by"), decidedAt: try row.optionalDate("decided_at"), reason: try row.optionalString("reason"),
            version: try row.int("version"))
    }
}
