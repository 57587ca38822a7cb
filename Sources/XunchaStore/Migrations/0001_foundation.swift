// Adds the committee tree, the unit register, accounts, sessions and the hash-chained audit log: the ground every later table stands on.

extension Migrations {
    static let v0001 = Migration(
        version: 1, name: "jurisdictions, units, users, sessions, audit log",
        statements: [
            """
            CREATE TABLE jurisdictions (
                id TEXT PRIMARY KEY,
                parent_id TEXT REFERENCES jurisdictions(id),
                path TEXT{{C}} NOT NULL UNIQUE,
                name TEXT{{C}} NOT NULL,
                level TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX jurisdictions_sibling_name ON jurisdictions (parent_id, name)",
            """
            CREATE TABLE units (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                name TEXT{{C}} NOT NULL,
                unit_type TEXT NOT NULL,
                party_organisation TEXT NOT NULL,
                parent_unit_id TEXT REFERENCES units(id),
                head_name TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX units_jurisdiction_name ON units (jurisdiction_id, name)",
            "CREATE INDEX units_jurisdiction_type_name ON units (jurisdiction_id, unit_type, name, id)",
            "CREATE INDEX units_jurisdiction_created ON units (jurisdiction_id, created_at, id)",
            """
            CREATE TABLE users (
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                id TEXT PRIMARY KEY,
                username TEXT{{C}} NOT NULL UNIQUE,
                display_name TEXT{{C}} NOT NULL,
                roles TEXT NOT NULL,
                unit_id TEXT REFERENCES units(id),
                password_hash TEXT NOT NULL,
                must_change_password BIGINT NOT NULL,
                failed_sign_ins BIGINT NOT NULL,
                locked_until BIGINT,
                disabled BIGINT NOT NULL,
                password_changed_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX users_jurisdiction_username ON users (jurisdiction_id, username)",
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id),
                kind TEXT NOT NULL,
                csrf_token TEXT NOT NULL,
                client_address TEXT,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            "CREATE INDEX sessions_expires ON sessions (expires_at)",
            """
            CREATE TABLE audit_entries (
                seq BIGINT PRIMARY KEY,
                at BIGINT NOT NULL,
                jurisdiction_id TEXT,
                actor_id TEXT,
                actor_name TEXT NOT NULL,
                client_address TEXT,
                action TEXT NOT NULL,
                target_type TEXT,
                target_id TEXT,
                detail TEXT,
                before_digest TEXT,
                after_digest TEXT,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_entries_jurisdiction_seq ON audit_entries (jurisdiction_id, seq)",
            "CREATE INDEX audit_entries_target ON audit_entries (target_id, seq)",
            "CREATE INDEX audit_entries_action_seq ON audit_entries (action, seq)",
            // The head of the chain: the last sequence number and hash. Kept apart so deleting the
            // newest entries is caught too, and so PostgreSQL writers can lock it to stay in order.
            "CREATE TABLE audit_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
        ])
}
