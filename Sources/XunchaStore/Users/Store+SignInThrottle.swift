import Foundation
import SQLKit
import XunchaCore

/// The counters of `SignInThrottle`, kept in the database: several server processes share it, a
/// restart must not reset a guesser's pause, and the counters are one primary-key row each, read
/// in one query and bumped by an atomic upsert, so the fast path costs a read.
enum ThrottleRows {
    /// The three counters of one attempt.
    struct Counters {
        var pair: SignInThrottle.Counter?
        var address: SignInThrottle.Counter?
        var account: SignInThrottle.Counter?
    }

    static func read(name: String, address: String, on db: any SQLDatabase) async throws -> Counters {
        let rows = try await db.raw(
            """
            SELECT scope, failures, strikes, blocked_until, last_failed_at FROM sign_in_throttles
            WHERE (scope = 'pair' AND username = \(bind: name) AND address = \(bind: address))
               OR (scope = 'address' AND username = '' AND address = \(bind: address))
               OR (scope = 'account' AND username = \(bind: name) AND address = '')
            """
        ).all()
        var counters = Counters()
        for row in rows {
            let counter = try decode(row)
            switch SignInThrottle.Scope(rawValue: try row.string("scope")) {
            case .pair: counters.pair = counter
            case .address: counters.address = counter
            case .account: counters.account = counter
            case nil: break
            }
        }
        return counters
    }

    /// Counts one failure atomically (parallel guesses all count) and returns the counter; a
    /// counter idle for `SignInThrottle.memory` starts afresh.
    static func countFailure(
        _ scope: SignInThrottle.Scope, name: String, address: String, at now: Date, on db: any SQLDatabase
    ) async throws -> SignInThrottle.Counter {
        let at = now.epochMilliseconds
        let forgotten = now.addingTimeInterval(-SignInThrottle.memory).epochMilliseconds
        let idle: SQLQueryString = "(sign_in_throttles.last_failed_at < \(bind: forgotten) AND COALESCE(sign_in_throttles.blocked_until, 0) <= \(bind: at))"
        var sql: SQLQueryString = """
            INSERT INTO sign_in_throttles (scope, username, address, failures, strikes, blocked_until, last_failed_at)
            VALUES (\(bind: scope.rawValue), \(bind: name), \(bind: address), 1, 0, NULL, \(bind: at))
            ON CONFLICT (scope, username, address) DO UPDATE SET
            """
        sql += " failures = CASE WHEN " + idle + " THEN 1 ELSE sign_in_throttles.failures + 1 END,"
        sql += " strikes = CASE WHEN " + idle + " THEN 0 ELSE sign_in_throttles.strikes END,"
        sql += " last_failed_at = \(bind: at) RETURNING failures, strikes, blocked_until, last_failed_at"
        guard let row = try await db.raw(sql).first() else { throw DomainError(.internalFailure, code: "internal_error", message: "系统内部错误", english: "throttle upsert returned nothing") }
        return try decode(row)
    }

    static func store(_ counter: SignInThrottle.Counter, _ scope: SignInThrottle.Scope, name: String, address: String, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE sign_in_throttles SET failures = \(bind: counter.failures), strikes = \(bind: counter.strikes),
                blocked_until = \(bind: counter.blockedUntil?.epochMilliseconds), last_failed_at = \(bind: counter.lastFailedAt.epochMilliseconds)
            WHERE scope = \(bind: scope.rawValue) AND username = \(bind: name) AND address = \(bind: address)
            """
        ).run()
    }

    /// Whether the account signed in from this address within the session retention.
    static func recognises(_ userID: UUID, address: String, since: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw(
            """
            SELECT 1 AS one FROM sessions WHERE user_id = \(bind: userID.text) AND client_address = \(bind: address)
                AND created_at >= \(bind: since.epochMilliseconds) LIMIT 1
            """
        ).first() != nil
    }

    /// Clears every counter of a name (unlock), or only the one of a name and address (a success).
    static func clear(name: String, address: String? = nil, on db: any SQLDatabase) async throws {
        if let address {
            try await db.raw("DELETE FROM sign_in_throttles WHERE scope = 'pair' AND username = \(bind: name) AND address = \(bind: address)").run()
        } else {
            try await db.raw("DELETE FROM sign_in_throttles WHERE username = \(bind: name)").run()
        }
    }

    /// Forgets counters idle long past their memory and not in force.
    static func prune(at now: Date, on db: any SQLDatabase) async throws {
        let before = now.addingTimeInterval(-2 * SignInThrottle.memory).epochMilliseconds
        try await db.raw(
            "DELETE FROM sign_in_throttles WHERE last_failed_at < \(bind: before) AND COALESCE(blocked_until, 0) < \(bind: now.epochMilliseconds)"
        ).run()
    }

    static func decode(_ row: any SQLRow) throws -> SignInThrottle.Counter {
        SignInThrottle.Counter(
            failures: try row.int("failures"), strikes: try row.int("strikes"), blockedUntil: try row.optionalDate("blocked_until"),
            lastFailedAt: try row.date("last_failed_at"))
    }
}
