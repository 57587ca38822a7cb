import Foundation
import SQLKit
import XunchaCore

/// An account created at first start, with its one-time password (printed once, never stored).
public struct InitialAccount: Sendable {
    public var username: String
    public var role: Role
    public var password: String
}

/// First start: an empty database gets a root jurisdiction and the three separated
/// administrators (三员), each with a one-time password to change at first sign-in.
extension Store {
    public static let administratorUsernames: [(String, Role)] = [
        ("sysadmin", .systemAdministrator), ("secadmin", .securityAdministrator), ("auditadmin", .auditAdministrator),
    ]

    /// Does nothing when any account exists. Otherwise creates the root jurisdiction (named
    /// `rootName`) when there is none, and the three administrators, in one transaction.
    public func bootstrapIfEmpty(rootName: String, passwords: [String]? = nil, mustChange: Bool = true) async throws -> [InitialAccount] {
        let hasUsers = try await database.read { db in try await db.raw("SELECT id FROM users LIMIT 1").first() != nil }
        if hasUsers { return [] }
        let generator = PasswordPolicy(settings: security)
        var accounts: [InitialAccount] = []
        var hashes: [String] = []
        for (index, (username, role)) in Self.administratorUsernames.enumerated() {
            let password = passwords?[index] ?? generator.generateInitialPassword()
            accounts.append(InitialAccount(username: username, role: role, password: password))
            hashes.append(try await hasher.hash(password))
        }
        let now = clock.now()
        let rootID = ids.next()
        let userIDs = accounts.map { _ in ids.next() }
        let created = accounts
        let passwordHashes = hashes
        let origin = RequestOrigin(actor: .console(ProcessInfo.processInfo.userName))
        return try await database.transaction { db in
            // Two servers starting at once on an empty database: the second waits, then finds the accounts.
            try await SerialisedSQL.lock("bootstrap", on: db)
            if try await db.raw("SELECT id FROM users LIMIT 1").first() != nil { return [] }
            var root = try await JurisdictionRows.root(on: db)
            if root == nil {
                let jurisdiction = Jurisdiction(
                    id: rootID, parentID: nil, path: Jurisdiction.path(for: rootID, under: nil), name: rootName, level: .city,
                    createdAt: now, updatedAt: now, version: 1)
                try await JurisdictionRows.insert(jurisdiction, on: db)
                root = jurisdiction
            }
            for ((account, hash), id) in zip(zip(created, passwordHashes), userIDs) {
                let user = User(
                    id: id, jurisdictionID: root!.id, username: account.username, displayName: account.role.title, roles: [account.role],
                    unitID: nil, mustChangePassword: mustChange, failedSignIns: 0, lockedUntil: nil, disabled: false, createdAt: now,
                    updatedAt: now, version: 1)
                try await UserRows.insert(user, passwordHash: hash, on: db)
            }
            try await self.audit.append(
                AuditEvent(action: .administratorsBootstrapped, targetType: "jurisdiction", targetID: root!.id.text, jurisdictionID: root!.id, detail: created.map(\.username).joined(separator: ",")),
                origin: origin, at: now, on: db)
            return created
        }
    }
}
