// Replaces account-wide locks with sign-in throttling per name and address, and adds two-person password resets (三员分立).

extension Migrations {
    static let v0019 = Migration(
        version: 19, name: "sign-in throttling per name and address instead of account locks; two-person password resets",
        statements: [
            // One row per counter (SignInThrottle): scope pair (username, address), address
            // (username ''), account (address ''). Keyed by the name as typed, so unknown names
            // are counted like accounts.
            """
            CREATE TABLE sign_in_throttles (
                scope TEXT NOT NULL,
                username TEXT{{C}} NOT NULL,
                address TEXT{{C}} NOT NULL,
                failures BIGINT NOT NULL,
                strikes BIGINT NOT NULL,
                blocked_until BIGINT,
                last_failed_at BIGINT NOT NULL,
                PRIMARY KEY (scope, username, address)
            )
            """,
            "CREATE INDEX sign_in_throttles_username ON sign_in_throttles (username)",
            "CREATE INDEX sign_in_throttles_last_failed ON sign_in_throttles (last_failed_at)",
            // A recognised address is one the account signed in from: looked up by both.
            "CREATE INDEX sessions_user_address ON sessions (user_id, client_address, created_at)",
            // Account-wide locks are gone; locked_until now mirrors a throttle in force.
            "UPDATE users SET locked_until = NULL, failed_sign_ins = 0",
            // A reset of a business account waits for the security administrator (PasswordResetRule).
            """
            CREATE TABLE password_reset_requests (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id),
                requested_by_id TEXT,
                requested_by TEXT NOT NULL,
                requested_at BIGINT NOT NULL,
                status TEXT NOT NULL,
                decided_by TEXT,
                decided_at BIGINT,
                reason TEXT,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX password_reset_requests_status ON password_reset_requests (jurisdiction_id, status, requested_at, id)",
            // One open request per account.
            "CREATE UNIQUE INDEX password_reset_requests_pending ON password_reset_requests (user_id) WHERE status = 'pending'",
            "ALTER TABLE users ADD COLUMN reset_notice TEXT",
        ])
}
