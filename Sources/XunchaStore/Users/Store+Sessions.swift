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
    /// Checks a username and password. Every attempt, good or bad, is audited. The answer never
    /// tells a stranger whether a name exists (the password is always checked, against a decoy
    /// for unknown names, and unknown names are throttled like accounts), nor whether a password
    /// was right: a disabled account answers like a wrong password, and while an attempt is
    /// throttled (`SignInThrottle`) the password is not checked at all.
    public func signIn(username: String, password: String, kind: SessionKind, clientAddress: String?) async throws -> SignIn {
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        let key = SignInThrottle.nameKey(name)
        let address = clientAddress ?? ""
        let now = clock.now()
        let throttle = SignInThrottle(settings: security)
        let (found, counters, recognised) = try await database.read { db in
            let found = try await UserRows.find(username: name, on: db)
            let counters = try await ThrottleRows.read(name: key, address: address, on: db)
            // Only looked up when it matters, so the usual sign-in costs no extra query.
            let matters = (counters.account?.isBlocked(at: now) ?? false) || (counters.address?.isBlocked(at: now) ?? false)
            var recognised = false
            if matters, let user = found?.0 {
                recognised = try await ThrottleRows.recognises(user.id, address: address, since: now.addingTimeInterval(-Self.sessionRetention), on: db)
            }
            return (found, counters, recognised)
        }
        let user = found?.0
        let origin = RequestOrigin(
            actor: user.map { .account($0, jurisdictionPath: "") } ?? .anonymous("（未知）" + Self.maskedTypedName(name)), clientAddress: clientAddress)
        let target = (type: user == nil ? nil : "user", id: user?.id.text, jurisdiction: user?.jurisdictionID)
        if let until = throttle.refusal(pair: counters.pair, address: counters.address, recognised: recognised, at: now) {
            try await record(
                AuditEvent(action: .signInFailed, targetType: target.type, targetID: target.id, jurisdictionID: target.jurisdiction, detail: "登录受限中，未核对密码"),
                origin: origin)
            throw Self.throttled(until: until)
        }
        let stored: String
        if let hash = found?.1 { stored = hash } else { stored = try await decoyHash() }
        let matches = try await hasher.verify(password, hash: stored)
        guard let user, matches, !user.disabled else {
            let detail = user == nil ? "未知用户名" : (user!.disabled ? (matches ? "账号已停用（密码正确）" : "账号已停用") : "密码错误")
            let underAttack = counters.account?.isBlocked(at: now) ?? false
            try await database.transaction { db in
                var blocks: [String] = []
                for scope in SignInThrottle.Scope.allCases {
                    let counterName = scope == .address ? "" : key
                    let counterAddress = scope == .account ? "" : address
                    let counted = try await ThrottleRows.countFailure(scope, name: counterName, address: counterAddress, at: now, on: db)
                    let limit = throttle.limit(scope, accountUnderAttack: underAttack, recognised: recognised)
                    guard let blocked = throttle.block(counted, limit: limit, at: now), let until = blocked.blockedUntil else { continue }
                    try await ThrottleRows.store(blocked, scope, name: counterName, address: counterAddress, on: db)
                    let time = DateText.prose(until)
                    switch scope {
                    case .pair:
                        blocks.append("来源\(address.isEmpty ? "（未知）" : address)连续\(counted.failures)次失败，暂停其登录该账号至\(time)")
                        // Shown on the users page as 登录受限 until the pause ends or is cleared.
                        try await db.raw(
                            "UPDATE users SET locked_until = \(bind: until.epochMilliseconds) WHERE username = \(bind: name) AND COALESCE(locked_until, 0) < \(bind: until.epochMilliseconds)"
                        ).run()
                    case .address: blocks.append("来源\(address.isEmpty ? "（未知）" : address)累计\(counted.failures)次失败，暂停其登录未曾成功登录过的账号至\(time)")
                    case .account: blocks.append("该用户名累计\(counted.failures)次失败，至\(time)前陌生来源每次暂停前只能尝试一次")
                    }
                }
                try await self.audit.append(
                    AuditEvent(action: .signInFailed, targetType: target.type, targetID: target.id, jurisdictionID: target.jurisdiction, detail: detail),
                    origin: origin, at: now, on: db)
                for block in blocks {
                    try await self.audit.append(
                        AuditEvent(action: .accountLocked, targetType: target.type, targetID: target.id, jurisdictionID: target.jurisdiction, detail: block),
                        origin: origin, at: now, on: db)
                }
            }
            throw Self.badCredentials
        }
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let expires = now.addingTimeInterval(security.sessionAbsoluteTimeout)
        let (path, shownName) = try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO sessions (token_hash, user_id, kind, csrf_token, client_address, created_at, last_seen_at, expires_at)
                VALUES (\(bind: Self.tokenHash(token)), \(bind: user.id.text), \(bind: kind.rawValue), \(bind: csrf), \(bind: clientAddress),
                    \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), \(bind: expires.epochMilliseconds))
                """
            ).run()
            // The owner proved themselves from this address: its pause (if any) is over. The
            // address's and the account's counters stay: an attack elsewhere goes on.
            try await ThrottleRows.clear(name: key, address: address, on: db)
            try await ThrottleRows.prune(at: now, on: db)
            // Sessions long past their end are of no use; sign-ins themselves stay in the audit log.
            let stale = now.addingTimeInterval(-Self.sessionRetention).epochMilliseconds
            try await db.raw("DELETE FROM sessions WHERE expires_at < \(bind: stale)").run()
            try await self.audit.append(
                AuditEvent(action: kind == .web ? .signInSucceeded : .tokenIssued, targetType: "user", targetID: user.id.text, jurisdictionID: user.jurisdictionID),
                origin: origin, at: now, on: db)
            return (try await JurisdictionRows.find(user.jurisdictionID, on: db)?.path ?? "", try await PersonNames.shown(of: user.id, on: db))
        }
        let signedIn = user
        return SignIn(
            token: token,
            session: AuthenticatedSession(
                user: signedIn, actor: .account(signedIn, jurisdictionPath: path, shownName: shownName), kind: kind, csrfToken: csrf, expiresAt: expires))
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
                SELECT s.kind, s.csrf_token, s.last_seen_at, s.expires_at, s.revoked_at, j.path AS jurisdiction_path,
                    \(unsafeRaw: PersonNames.shown("u")) AS shown_name, u.*
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
            user: user, actor: .account(user, jurisdictionPath: try row.string("jurisdiction_path"), shownName: try row.string("shown_name")), kind: kind,
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

    /// The answer while an attempt is throttled. It depends only on earlier failures, never on
    /// the password given now, nor on whether the name exists.
    static func throttled(until: Date) -> DomainError {
        DomainError(
            .locked, code: "sign_in_throttled",
            message: "登录失败次数过多，请于 \(DateText.prose(until)) 后再试；如需立即登录，请联系安全保密管理员解除限制",
            english: "too many failed sign-ins; try again later")
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
