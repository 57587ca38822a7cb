import Crypto
import Foundation
import SQLKit
import XunchaCore

/// Who an audit entry names and where the request came from.
public struct RequestOrigin: Sendable, Equatable {
    public var actor: Actor
    public var clientAddress: String?

    public init(actor: Actor, clientAddress: String? = nil) {
        self.actor = actor
        self.clientAddress = clientAddress
    }
}

/// 审计日志: append-only and hash-chained. Entries are written inside the caller's transaction,
/// so a change and its entry commit together or not at all.
public struct AuditLog: Sendable {
    let engine: DatabaseEngine

    /// Appends one entry, chained to the current head. An entry whose target is a covered business
    /// row (`AuditedRows`) carries the row's digest: the row is read in the same statement as the
    /// head, so the digest costs no extra round trip.
    @discardableResult
    package func append(_ event: AuditEvent, origin: RequestOrigin, at now: Date, on db: any SQLDatabase) async throws -> AuditEntry {
        let batch = AuditBatch.current
        // PostgreSQL: lock the head so concurrent writers chain one after another. SQLite writers
        // are already serialised by the single writer connection.
        let table = event.targetType.flatMap { AuditedRows.tables[$0] }
        if let batch, table == nil, let head = batch.head {
            // Nothing to read: the head is the batch's, and no row is digested.
            return try await batch.add(makeEntry(event, origin: origin, at: now, sequence: head.sequence + 1, previousHash: head.hash, rowTable: nil, rowDigest: nil), on: db)
        }
        let sequence = AuditedRows.headSequence, hash = AuditedRows.headHash
        var sql: SQLQueryString = "SELECT h.seq AS \(unsafeRaw: sequence), h.hash AS \(unsafeRaw: hash)"
        if let table, let id = event.targetID {
            sql += ", t.* FROM audit_head h LEFT JOIN \(unsafeRaw: table) t ON t.id = \(bind: id) WHERE h.id = 1"
        } else {
            sql += " FROM audit_head h WHERE h.id = 1"
        }
        if engine == .postgres { sql += " FOR UPDATE OF h" }
        guard let head = try await db.raw(sql).first() else {
            throw DomainError(.internalFailure, code: "audit_head_missing", message: "审计日志链头缺失", english: "audit head row missing")
        }
        // A row gone (a task deleted with its plan's edit) leaves the entry without a digest.
        var rowDigest: String?
        if table != nil, head.contains(column: "id"), try !head.decodeNil(column: "id") {
            rowDigest = try AuditedRows.digest(of: head, skipping: [sequence, hash])
        }
        // In a batch the head read first stands for the chain until the batch is written.
        let chained = try batch?.head ?? (sequence: head.int64(sequence), hash: head.string(hash))
        let entry = makeEntry(
            event, origin: origin, at: now, sequence: chained.sequence + 1, previousHash: chained.hash, rowTable: rowDigest == nil ? nil : table, rowDigest: rowDigest)
        if let batch { return try await batch.add(entry, on: db) }
        try await Self.insert([entry], on: db)
        try await Self.moveHead(to: (entry.sequence, entry.hash), on: db)
        return entry
    }

    /// The entry chained after `sequence - 1`, its hash computed.
    private func makeEntry(
        _ event: AuditEvent, origin: RequestOrigin, at now: Date, sequence: Int64, previousHash: String, rowTable: String?, rowDigest: String?
    ) -> AuditEntry {
        var entry = AuditEntry(
            sequence: sequence, at: now, actorID: origin.actor.userID, actorName: origin.actor.name,
            clientAddress: origin.clientAddress, event: event, beforeDigest: event.before.map(Self.digest),
            afterDigest: event.after.map(Self.digest), previousHash: previousHash, hash: "", rowTable: rowTable, rowDigest: rowDigest)
        entry.hash = Self.digest(entry.chainText)
        return entry
    }

    /// The chain's head is now `head`, the last entry written.
    static func moveHead(to head: (sequence: Int64, hash: String), on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE audit_head SET seq = \(bind: head.sequence), hash = \(bind: head.hash) WHERE id = 1").run()
    }

    /// Inserts entries in one statement.
    static func insert(_ entries: [AuditEntry], on db: any SQLDatabase) async throws {
        var values: SQLQueryString?
        for entry in entries {
            let event = entry.event
            let row: SQLQueryString = """
                (\(bind: entry.sequence), \(bind: entry.at.epochMilliseconds), \(bind: event.jurisdictionID?.text), \(bind: entry.actorID?.text),
                    \(bind: entry.actorName), \(bind: entry.clientAddress), \(bind: event.action.rawValue), \(bind: event.targetType),
                    \(bind: event.targetID), \(bind: event.detail), \(bind: entry.beforeDigest), \(bind: entry.afterDigest),
                    \(bind: entry.previousHash), \(bind: entry.hash), \(bind: entry.rowTable), \(bind: entry.rowDigest))
                """
            values = values.map { $0 + ", " + row } ?? row
        }
        guard let values else { return }
        let insert: SQLQueryString = """
            INSERT INTO audit_entries (seq, at, jurisdiction_id, actor_id, actor_name, client_address, action, target_type, target_id,
                detail, before_digest, after_digest, prev_hash, hash, row_table, row_digest) VALUES
            """
        try await db.raw(insert + " " + values).run()
    }

    /// Runs `body` (one bulk write inside a transaction, such as a ledger import) with its entries
    /// batched (`AuditBatch`), and writes what remains of them and the head before it returns, so
    /// whatever follows in the transaction chains on as before.
    func batching<R>(_ batched: Bool = true, on db: any SQLDatabase, _ body: () async throws -> R) async throws -> R {
        guard batched else { return try await body() }
        let batch = AuditBatch()
        let result = try await AuditBatch.$current.withValue(batch) { try await body() }
        try await batch.finish(on: db)
        return result
    }

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexadecimal
    }

    static func decode(_ row: any SQLRow) throws -> AuditEntry {
        let event = AuditEvent(
            action: AuditAction(rawValue: try row.string("action")), targetType: try row.optionalString("target_type"),
            targetID: try row.optionalString("target_id"), jurisdictionID: try row.optionalUUID("jurisdiction_id"),
            detail: try row.optionalString("detail"))
        return AuditEntry(
            sequence: try row.int64("seq"), at: try row.date("at"), actorID: try row.optionalUUID("actor_id"),
            actorName: try row.string("actor_name"), clientAddress: try row.optionalString("client_address"), event: event,
            beforeDigest: try row.optionalString("before_digest"), afterDigest: try row.optionalString("after_digest"),
            previousHash: try row.string("prev_hash"), hash: try row.string("hash"), rowTable: try row.optionalString("row_table"),
            rowDigest: try row.optionalString("row_digest"))
    }
}

/// The entries of one bulk write, appended as one by one — the same sequence, hashes and row
/// digests (each row still read when its entry is appended) — but chained in memory from the head
/// read once, inserted a few hundred binds at a time, and the head moved once at the end. Only the
/// writer that opened it appends while it is open (its transaction holds the head: SQLite's one
/// writer; on PostgreSQL the first read locks the head row until the commit).
final class AuditBatch: @unchecked Sendable {
    @TaskLocal static var current: AuditBatch?

    /// The last entry chained so far; nil until the first append reads the head.
    private(set) var head: (sequence: Int64, hash: String)?
    private var pending: [AuditEntry] = []
    /// 16 binds an entry.
    static let entriesPerStatement = 40

    func add(_ entry: AuditEntry, on db: any SQLDatabase) async throws -> AuditEntry {
        head = (entry.sequence, entry.hash)
        pending.append(entry)
        if pending.count >= Self.entriesPerStatement { try await flush(on: db) }
        return entry
    }

    private func flush(on db: any SQLDatabase) async throws {
        let entries = pending
        pending = []
        try await AuditLog.insert(entries, on: db)
    }

    func finish(on db: any SQLDatabase) async throws {
        try await flush(on: db)
        if let head { try await AuditLog.moveHead(to: head, on: db) }
    }
}

/// The outcome of walking the chain.
public enum AuditVerification: Sendable, Equatable {
    case intact(entries: Int64)
    /// The first entry at which the chain no longer holds, and why.
    case broken(sequence: Int64, reason: String)
}

extension AuditLog {
    /// Walks the chain in sequence order up to the head as it stood when the walk began,
    /// recomputing every hash; entries appended meanwhile by a live server are left for the next
    /// walk. Reads in batches so a chain of millions needs constant memory.
    func verify(database: Database) async throws -> AuditVerification {
        try await walk(database: database).verification
    }

    /// The walk `verify` makes, handing each entry that holds to `visit` in sequence order;
    /// `head` is the sequence number the walk went up to (as the head stood when it began).
    func walk(database: Database, visit: (AuditEntry) -> Void = { _ in }) async throws -> (verification: AuditVerification, head: Int64) {
        let head = try await database.read { db in try await db.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first() }
        guard let head else { return (.broken(sequence: 1, reason: "审计日志链头缺失"), 0) }
        let headSequence = try head.int64("seq")
        let headHash = try head.string("hash")
        var expected: Int64 = 1
        var previousHash = AuditEntry.genesisHash
        let batch: Int64 = 5_000
        while expected <= headSequence {
            let after = expected - 1
            let last = min(headSequence, after + batch)
            let entries = try await database.readAtLength { db in
                try await db.raw("SELECT * FROM audit_entries WHERE seq > \(bind: after) AND seq <= \(bind: last) ORDER BY seq").all()
                    .map(AuditLog.decode)
            }
            for entry in entries {
                if entry.sequence != expected {
                    return (.broken(sequence: expected, reason: "第\(expected)条缺失（下一条为第\(entry.sequence)条）：记录被删除或重排"), headSequence)
                }
                if entry.previousHash != previousHash {
                    return (.broken(sequence: entry.sequence, reason: "第\(entry.sequence)条的前序哈希与上一条不符：记录被改动、删除或重排"), headSequence)
                }
                if Self.digest(entry.chainText) != entry.hash {
                    return (.broken(sequence: entry.sequence, reason: "第\(entry.sequence)条内容与其哈希不符：记录被改动"), headSequence)
                }
                visit(entry)
                previousHash = entry.hash
                expected += 1
            }
            if expected <= last {
                return (.broken(sequence: expected, reason: "第\(expected)条起缺失：末尾记录被删除或链头被改动"), headSequence)
            }
        }
        guard previousHash == headHash else {
            return (.broken(sequence: headSequence, reason: "链头与最后一条记录不符：链头被改动"), headSequence)
        }
        return (.intact(entries: headSequence), headSequence)
    }

    /// A page of entries within `scope`, newest first.
    func list(scope: Scope, includeUnattributed: Bool, query: AuditQuery, database: Database) async throws -> [AuditEntry] {
        var sql: SQLQueryString = "SELECT * FROM audit_entries WHERE ("
        sql += ScopeSQL.filter(scope, jurisdictionColumn: "jurisdiction_id")
        if includeUnattributed { sql += " OR jurisdiction_id IS NULL" }
        sql += ")"
        if let action = query.action { sql += " AND action = \(bind: action)" }
        // The page shows 姓名 beside the account, so either finds the person's entries.
        if let actor = query.actorName {
            sql += " AND (actor_name = \(bind: actor) OR actor_id IN (SELECT id FROM users WHERE display_name = \(bind: actor)))"
        }
        if let target = query.targetID { sql += " AND target_id = \(bind: target)" }
        if let from = query.from { sql += " AND at >= \(bind: from.epochMilliseconds)" }
        if let to = query.to { sql += " AND at < \(bind: to.epochMilliseconds)" }
        if let before = query.beforeSequence { sql += " AND seq < \(bind: before)" }
        sql += " ORDER BY seq DESC LIMIT \(literal: query.limit + 1)"
        let final = sql
        return try await database.read { db in try await db.raw(final).all().map(AuditLog.decode) }
    }
}
