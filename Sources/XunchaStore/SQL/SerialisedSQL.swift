import SQLKit

/// Work that reads and then writes what it read (the next batch of a round, the next version of
/// a classification scheme, the first administrators of an empty database) must not run twice at
/// once. On SQLite it never does: writes go one at a time through the single writer. On
/// PostgreSQL several connections — and several servers — write at once, so such work first
/// takes a lock named after what it allocates, held until its transaction ends.
enum SerialisedSQL {
    /// PostgreSQL advisory locks are keyed by two numbers; the first names Xuncha's own.
    static let namespace = 7264

    /// Waits until no other transaction holds `key`'s lock, then holds it to the end of this one.
    /// A no-op on SQLite, whose writer is already alone.
    static func lock(_ key: String, on db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql" else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(\(literal: namespace), hashtext(\(bind: key)))").run()
    }
}
