import Foundation
import SQLKit
import XunchaCore

/// 批量导入账号 and 拟授角色: accounts opened from a spreadsheet carry the roles proposed for them,
/// which the security administrator approves (or refuses) once per account. Nothing is granted
/// by the import itself (三员分立: who opens an account does not decide what it may do).
extension Store {
    /// Opens every account of an import in one transaction, each with a one-time password and its
    /// proposed roles, or none: a taken username or an unknown unit rejects the file, naming the
    /// row and column.
    public func importAccounts(_ plan: AccountImportPlan, into jurisdictionID: UUID, origin: RequestOrigin) async throws -> [IssuedPassword] {
        // Checked before hashing a password per row (slow on purpose), and again in the transaction.
        _ = try await database.read { db in try await self.resolveAccountImport(plan, into: jurisdictionID, origin: origin, on: db) }
        let passwordPolicy = PasswordPolicy(settings: security)
        var hashed: [(password: String, hash: String)] = []
        for _ in plan.rows {
            let password = passwordPolicy.generateInitialPassword()
            hashed.append((password, try await hasher.hash(password)))
        }
        let secrets = hashed
        let now = clock.now()
        let newIDs = plan.rows.map { _ in ids.next() }
        return try await database.transaction { db in
            let units = try await self.resolveAccountImport(plan, into: jurisdictionID, origin: origin, on: db)
            var issued: [IssuedPassword] = []
            for ((row, id), secret) in zip(zip(plan.rows, newIDs), secrets) {
                let user = User(
                    id: id, jurisdictionID: jurisdictionID, username: row.username, displayName: row.displayName, roles: [], unitID: nil,
                    mustChangePassword: true, failedSignIns: 0, lockedUntil: nil, disabled: false, createdAt: now, updatedAt: now, version: 1,
                    proposedRoles: row.proposedRoles, proposedUnitID: row.unitName.flatMap { units[$0] })
                try await self.insertAccount(user, passwordHash: secret.hash, origin: origin, now: now, on: db)
                issued.append(IssuedPassword(user: user, oneTimePassword: secret.password))
            }
            try await self.audit.append(
                AuditEvent(action: .usersImported, targetType: "jurisdiction", targetID: jurisdictionID.text, jurisdictionID: jurisdictionID, detail: "CSV导入\(issued.count)个账号"),
                origin: origin, at: now, on: db)
            return issued
        }
    }

    /// Checks the actor may open accounts in the jurisdiction and what only the database knows
    /// (usernames taken, unit names), rejecting the file with every problem; the units by name.
    private func resolveAccountImport(
        _ plan: AccountImportPlan, into jurisdictionID: UUID, origin: RequestOrigin, on db: any SQLDatabase
    ) async throws -> [String: UUID] {
        guard let location = try await location(ofJurisdiction: jurisdictionID, on: db),
            policy.allows(origin.actor, .viewJurisdictions, at: location)
        else { throw DomainError.notFound }
        guard policy.allows(origin.actor, .manageUsers, at: location) else { throw DomainError.forbidden }
        let units = try await UnitRows.namesToIDs(in: jurisdictionID, on: db)
        var problems = plan.problems
        for row in plan.rows {
            if try await UserRows.find(username: row.username, on: db) != nil {
                problems.append(.init(line: row.line, column: "账号", "用户名“\(row.username)”已被使用"))
            }
            if let name = row.unitName, units[name] == nil {
                problems.append(.init(line: row.line, column: "单位", "本党委没有名为“\(name)”的单位"))
            }
        }
        if let rejection = AccountImportPlan.rejection(problems) { throw rejection }
        return units
    }

    /// The security administrator grants the roles proposed for an account, all at once.
    public func approveRoleProposal(_ id: UUID, origin: RequestOrigin) async throws -> User {
        try await changeUser(id, permission: .grantRoles, action: .userRolesChanged, origin: origin) { user, db, _ in
            guard !user.proposedRoles.isEmpty else { throw Self.noRoleProposal }
            try await self.grant(try RoleSet(user.proposedRoles, unitGiven: user.proposedUnitID != nil), unitID: user.proposedUnitID, to: &user, by: origin.actor, on: db)
        }
    }

    /// The security administrator declines the roles proposed for an account; it keeps what it holds.
    public func refuseRoleProposal(_ id: UUID, origin: RequestOrigin) async throws -> User {
        try await changeUser(id, permission: .grantRoles, action: .roleProposalRefused, origin: origin) { user, _, _ in
            guard !user.proposedRoles.isEmpty else { throw Self.noRoleProposal }
            user.proposedRoles = []
            user.proposedUnitID = nil
        }
    }

    static let noRoleProposal = DomainError(.conflict, code: "no_role_proposal", message: "该账号没有待批准的拟授角色", english: "no roles are proposed for this account")
}
