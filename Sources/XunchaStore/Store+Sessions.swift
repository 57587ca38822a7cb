import Crypto
import Foundation
import SQLKit
import XunchaCore

/// How a session is carried: a browser cookie (with a CSRF token for forms) or an API bearer token.
public enum SessionKind: String, Sendable {
    case web
    case api
}

/// A signed-in session as the web layer sees it.
public struct AuthenticatedSession: Sendable {
    public var user: User
    public var actor: Actor
    public var kind: SessionKind
    /// The token forms must echo back (web sessions).
    public var csrfToken: String
    public var expiresAt: Date
}

/// What a successful sign-in hands back. The token is shown once; only its hash is stored.
public struct SignIn: Sendable {
    public var token: String
    public var session: AuthenticatedSession

    public init(token: String, session: AuthenticatedSession) {
        self.token = token
        self.session = session
    }
}

/// 登录、会话、修改密码.
extension Store {
    /// Checks a username and password. Failures are counted atomically; after too many in a row
    /// the account locks for a while. Every attempt, good or bad, is audited. The answer never
    /// tells a stranger whether a name exists (the password is always checked, against a decoy
    /// for unknown names), nor whether a password was right while the account cannot sign in.
    public func signIn(username: String, password: String, kind: SessionKind, clientAddress: String?) async throws -> SignIn {
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        let now = clock.now()
        let found = try await database.read { db in try await UserRows.find(username: name, on: db) }
        guard let (user, hash) = found else {
            _ = try await hasher.verify(password, hash: await decoyHash())
            try await record(
                AuditEvent(action: .signInFailed, detail: "未知用户名"),
                origin: RequestOrigin(actor: .anonymous("（未知）" + Self.maskedTypedName(name)), clientAddress: clientAddress))
            throw Self.badCredentials
        }
        let matches = try await hasher.verify(password, hash: hash)
        let origin = RequestOrigin(actor: .account(user, jurisdictionPath: ""), clientAddress: clientAddress)
        func refuse(_ detail: String, _ error: DomainError) async throws -> Never {
            try await record(
                AuditEvent(action: .signInFailed, targetType: "user", targetID: user.id.text, jurisdictionID: user.jurisdictionID, detail: detail),
                origin: origin)
            throw error
        }
        // While locked or disabled the answer is the same whatever the password, so it never
        // tells a guesser that a guess was right. A disabled account answers like a wrong password.
        if user.isLocked(at: now) {
            try await refuse(matches ? "账号锁定中（密码正确）" : "账号锁定中", Self.locked(until: user.lockedUntil!))
        }
        if user.disabled {
            try await refuse(matches ? "账号已停用（密码正确）" : "账号已停用", Self.badCredentials)
        }
        guard matches else {
            let limit = security.maxFailedSignIns
            let lockUntil = now.addingTimeInterval(security.lockDuration).epochMilliseconds
            try await database.transaction { db in
                // Counted in the database, not from what was read, so parallel guesses all count.
                let row = try await db.raw(
                    "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = \(bind: user.id.text) RETURNING failed_sign_ins"
                ).first()
                let failures = try row?.int("failed_sign_ins") ?? limit
                try await self.audit.append(
                    AuditEvent(action: .signInFailed, targetType: "user", targetID: user.id.text, jurisdictionID: user.jurisdictionID, detail: "密码错误（连续第\(failures)次）"),
                    origin: origin, at: now, on: db)
                if failures >= limit {
                    try await db.raw("UPDATE users SET failed_sign_ins = 0, locked_until = \(bind: lockUntil) WHERE id = \(bind: user.id.text)").run()
                    try await self.audit.append(
                        AuditEvent(action: .accountLocked, targetType: "user", targetID: user.id.text, jurisdictionID: user.jurisdictionID, detail: "连续\(failures)次密码错误"),
                        origin: origin, at: now, on: db)
                }
            }
            throw Self.badCredentials
        }
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let expires = now.addingTimeInterval(security.sessionAbsoluteTimeout)
        let path = try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO sessions (token_hash, user_id, kind, csrf_token, client_address, created_at, last_seen_at, expires_at)
                VALUES (\(bind: Self.tokenHash(token)), \(bind: user.id.text), \(bind: kind.rawValue), \(bind: csrf), \(bind: clientAddress),
                    \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), \(bind: expires.epochMilliseconds))
                """
            ).run()
            try await db.raw("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = \(bind: user.id.text)").run()
            // Sessions long past their end are of no use; sign-ins themselves stay in the audit log.
            let stale = now.addingTimeInterval(-Self.sessionRetention).epochMilliseconds
            try await db.raw("DELETE FROM sessions WHERE expires_at < \(bind: stale)").run()
            try await self.audit.append(
                AuditEvent(action: kind == .web ? .signInSucceeded : .tokenIssued, targetType: "user", targetID: user.id.text, jurisdictionID: user.jurisdictionID),
                origin: origin, at: now, on: db)
            return try await JurisdictionRows.find(user.jurisdictionID, on: db)?.path ?? ""
        }
        var signedIn = user
        signedIn.failedSignIns = 0
        signedIn.lockedUntil = nil
        return SignIn(
            token: token,
            session: AuthenticatedSession(user: signedIn, actor: .account(signedIn, jurisdictionPath: path), kind: kind, csrfToken: csrf, expiresAt: expires))
    }

    /// Resolves a session token. Expired (idle or absolute), revoked and disabled-account
    /// sessions are refused. `last_seen_at` is written at most once a minute per session.
    public func authenticate(token: String) async throws -> AuthenticatedSession? {
        guard !token.isEmpty, token.count <= 128 else { return nil }
        let now = clock.now()
        let hash = Self.tokenHash(token)
        let row = try await database.read { db in
            try await db.raw(
                """
                SELECT s.kind, s.csrf_token, s.last_seen_at, s.expires_at, s.revoked_at, j.path AS jurisdiction_path, u.*
                FROM sessions s JOIN users u ON u.id = s.user_id JOIN jurisdictions j ON j.id = u.jurisdiction_id
                WHERE s.token_hash = \(bind: hash)
                """
            ).first()
        }
        guard let row else { return nil }
        let user = try UserRows.decode(row)
        let lastSeen = try row.date("last_seen_at")
        let expires = try row.date("expires_at")
        guard try row.optionalDate("revoked_at") == nil, !user.disabled, expires > now,
            now.timeIntervalSince(lastSeen) < security.sessionIdleTimeout
        else { return nil }
        if now.timeIntervalSince(lastSeen) > 60 {
            try await database.transaction { db in
                try await db.raw("UPDATE sessions SET last_seen_at = \(bind: now.epochMilliseconds) WHERE token_hash = \(bind: hash)").run()
            }
        }
        let kind = SessionKind(rawValue: try row.string("kind")) ?? .web
        return AuthenticatedSession(
            user: user, actor: .account(user, jurisdictionPath: try row.string("jurisdiction_path")), kind: kind,
            csrfToken: try row.string("csrf_token"), expiresAt: expires)
    }

    /// Ends a session.
    public func signOut(token: String, origin: RequestOrigin) async throws {
        let now = clock.now()
        try await database.transaction { db in
            try await db.raw("UPDATE sessions SET revoked_at = \(bind: now.epochMilliseconds) WHERE token_hash = \(bind: Self.tokenHash(token)) AND revoked_at IS NULL").run()
            try await self.audit.append(AuditEvent(action: .signOut, targetType: "user", targetID: origin.actor.userID?.text, jurisdictionID: origin.actor.jurisdictionID), origin: origin, at: now, on: db)
        }
    }

    /// Changes one's own password after checking the current one and the password policy.
    /// Other sessions of the account end; the current one stays.
    public func changePassword(current: String, new: String, keepingSession token: String?, origin: RequestOrigin) async throws {
        guard let id = origin.actor.userID else { throw DomainError.forbidden }
        let found = try await database.read { db in try await UserRows.find(id, on: db) }
        guard let user = found else { throw DomainError.notFound }
        let stored = try await database.read { db in try await UserRows.find(username: user.username, on: db)?.1 }
        guard let stored, try await hasher.verify(current, hash: stored) else {
            throw DomainError.invalid("wrong_current_password", "当前密码不正确", english: "current password is wrong", field: "current_password")
        }
        try PasswordPolicy(settings: security).check(new, username: user.username)
        if new == current {
            throw DomainError.invalid("password_unchanged", "新密码不能与当前密码相同", english: "new password equals the current one", field: "new_password")
        }
        let hash = try await hasher.hash(new)
        let now = clock.now()
        let keep = token.map(Self.tokenHash) ?? ""
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE users SET password_hash = \(bind: hash), must_change_password = 0, password_changed_at = \(bind: now.epochMilliseconds),
                    updated_at = \(bind: now.epochMilliseconds), version = version + 1 WHERE id = \(bind: id.text)
                """
            ).run()
            try await db.raw(
                "UPDATE sessions SET revoked_at = \(bind: now.epochMilliseconds) WHERE user_id = \(bind: id.text) AND token_hash <> \(bind: keep) AND revoked_at IS NULL"
            ).run()
            try await self.audit.append(
                AuditEvent(action: .passwordChanged, targetType: "user", targetID: id.text, jurisdictionID: user.jurisdictionID, detail: user.username),
                origin: origin, at: now, on: db)
        }
    }

    /// How long an ended session's row is kept.
    static let sessionRetention: TimeInterval = 30 * 86_400

    static let badCredentials = DomainError(.unauthenticated, code: "invalid_credentials", message: "用户名或密码不正确", english: "wrong username or password")

    static func locked(until: Date) -> DomainError {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "HH:mm"
        return DomainError(.locked, code: "account_locked", message: "连续登录失败次数过多，账号已锁定至 \(formatter.string(from: until))，请稍后再试或联系安全保密管理员解锁", english: "account locked")
    }

    /// A hash of a random secret at the configured cost, verified against when the name is
    /// unknown so that answer takes as long as a wrong password.
    func decoyHash() async throws -> String {
        if let hash = decoy.withLock({ $0 }) { return hash }
        let hash = try await hasher.hash(Self.randomToken())
        decoy.withLock { $0 = hash }
        return hash
    }

    /// What the log keeps of a name that matched no account: a plausible username as typed, but
    /// never free text, which may be a password typed into the wrong box.
    static func maskedTypedName(_ name: String) -> String {
        if name.isEmpty { return "（空）" }
        if (try? UserDraft.validUsername(name)) != nil { return name }
        return "（非用户名格式，\(name.count)个字符）"
    }

    static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func tokenHash(_ token: String) -> String { AuditLog.digest(token) }
}
