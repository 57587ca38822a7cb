import Foundation
import SQLKit
import XunchaCore

/// How a kind's rows reach the database. One writer per `LedgerKind`, beside the kind's plan in
/// Core; the framework around it (`Store.importLedger`) does the rest: the mapping, the preview,
/// the permission, the keys, the one transaction, the 补录 marks and the audit summary.
protocol LedgerImportWriter: Sendable {
    associatedtype Plan: LedgerImportPlan

    /// Writes the good rows inside the import's transaction: creates a row without `existing`,
    /// updates the record `existing` names. Answers each row's record, or records a problem that
    /// only the database can tell (an unknown unit, a problem number the feedback lacks) — any
    /// problem rolls the whole import back.
    static func write(_ rows: [ImportingRow<Plan.Draft>], context: ImportContext, problems: inout [ImportProblem], in store: Store, on db: any SQLDatabase) async throws
        -> [UUID?]

    /// The records rows update that no earlier import of this kind made under their keys: what
    /// another ledger's import made and the row carries on (a lead register's row naming the
    /// problem whose triage registered its lead). Key → record; by default none.
    static func carriedOn(_ rows: [ImportingRow<Plan.Draft>], context: ImportContext, on db: any SQLDatabase) async throws -> [String: UUID]
}

extension LedgerImportWriter {
    static func carriedOn(_ rows: [ImportingRow<Plan.Draft>], context: ImportContext, on db: any SQLDatabase) async throws -> [String: UUID] { [:] }
}

/// A good row on its way to the writer.
struct ImportingRow<Draft: Sendable>: Sendable {
    var line: Int
    var key: String?
    var draft: Draft
    /// The record an earlier import made under the same key, if it still exists.
    var existing: UUID?

    /// A problem in this row's cell of column `key`.
    func problem(_ column: String?, in kind: LedgerKind, code: String = "invalid_cell", _ message: String) -> ImportProblem {
        ImportProblem(line: line, column: column.map { column in kind.columns.first { $0.key == column }?.title ?? column }, code: code, message: message)
    }
}

/// What every write of one import shares: where, who, when, and the 补录 note each record's audit
/// entry carries.
struct ImportContext: Sendable {
    var kind: LedgerKind
    var jurisdictionID: UUID
    var origin: RequestOrigin
    /// Recorded now, marked 补录 with the file it came from.
    var time: StepTime
    var fileName: String

    /// An import recorded `now` from the file `fileName`: 补录 “导入自“名册.xlsx””.
    init(kind: LedgerKind, jurisdictionID: UUID, origin: RequestOrigin, now: Date, fileName: String) {
        let name = String(fileName.split(separator: "/").last ?? "").trimmingCharacters(in: .whitespaces)
        self.kind = kind
        self.jurisdictionID = jurisdictionID
        self.origin = origin
        self.time = StepTime(occurredOn: CalendarDay(now), recordedAt: now, backfillReason: "导入自" + (name.isEmpty ? "上传文件" : "“\(name)”"))
        self.fileName = name
    }

    var now: Date { time.recordedAt }
    /// （补录：导入自 名册.xlsx）
    var auditNote: String { "（补录：\(time.backfillReason ?? "")）" }
}

/// How an import reaches the database. The records, their histories and the audit entries are
/// the same either way (a test imports one ledger both ways and compares them); batched is the
/// default, row by row is kept as the yardstick (`xuncha bench-import --row-by-row`).
public enum LedgerImportWriting: Sendable, Equatable {
    /// The audit entries chained in memory and inserted a few hundred binds at a time, the head
    /// moved once (`AuditBatch`); the 补录 marks inserted in batches.
    case batched
    /// Every audit entry and every mark in statements of its own.
    case rowByRow
}

/// The answer of an import, previewed or written.
public struct LedgerImportOutcome: Sendable {
    public enum Action: String, Sendable { case create, update }

    public struct Row: Sendable {
        public var line: Int
        public var fields: [String]
        public var key: String?
        /// What writing would do with the row; nil for a bad row.
        public var action: Action?
        /// The titles of the row's bad columns (“” for the row as a whole).
        public var badColumns: Set<String>
    }

    public var kind: LedgerKind
    public var header: [String]
    public var mapping: ImportMapping
    public var rows: [Row]
    public var problems: [ImportProblem]
    /// Whether the import was written (not a preview, and no problem).
    public var written: Bool

    public var created: Int { problems.isEmpty ? rows.count { $0.action == .create } : 0 }
    public var updated: Int { problems.isEmpty ? rows.count { $0.action == .update } : 0 }
}

extension Store {
    /// The column mapping this committee's last import of `kind` used: file header → column key.
    public func rememberedMapping(_ kind: LedgerKind, in jurisdictionID: UUID, for actor: Actor) async throws -> [String: String] {
        try policy.requireAnywhere(actor, kind.permission)
        return try await database.read { db in try await ImportRows.mapping(kind, in: jurisdictionID, on: db) }
    }

    /// Previews (`dryRun`) or writes an import of `table` into the committee `jurisdictionID`.
    /// The preview runs the very writes the import would make and rolls them back, so it names
    /// the problems only the database can tell and counts what would be created and updated.
    /// Written: one transaction, every record marked 补录 “导入自 fileName” with its importer, the
    /// keys and the mapping remembered.
    public func importLedger(
        _ kind: LedgerKind, table: CSVTable, mapping: ImportMapping?, fileName: String, into jurisdictionID: UUID, dryRun: Bool, origin: RequestOrigin,
        writing: LedgerImportWriting = .batched
    ) async throws -> LedgerImportOutcome {
        let outcome = try await importLedgerRows(
            kind, table: table, mapping: mapping, fileName: fileName, into: jurisdictionID, dryRun: dryRun, origin: origin, writing: writing)
        // A ledger of thousands of rows changes what the planner should pick; refreshed after the commit.
        if !dryRun, table.rows.count >= 1_000 { try await database.refreshPlannerStatistics() }
        return outcome
    }

    private func importLedgerRows(
        _ kind: LedgerKind, table: CSVTable, mapping: ImportMapping?, fileName: String, into jurisdictionID: UUID, dryRun: Bool, origin: RequestOrigin,
        writing: LedgerImportWriting
    ) async throws -> LedgerImportOutcome {
        switch kind {
        case .poolRoster: try await importLedger(PoolRosterWriter.self, table: table, mapping: mapping, fileName: fileName, into: jurisdictionID, dryRun: dryRun, origin: origin, writing: writing)
        case .ruleImprovements:
            try await importLedger(RuleImprovementWriter.self, table: table, mapping: mapping, fileName: fileName, into: jurisdictionID, dryRun: dryRun, origin: origin, writing: writing)
        case .problemList:
            try await importLedger(ProblemListWriter.self, table: table, mapping: mapping, fileName: fileName, into: jurisdictionID, dryRun: dryRun, origin: origin, writing: writing)
        case .leadRegister:
            try await importLedger(LeadRegisterWriter.self, table: table, mapping: mapping, fileName: fileName, into: jurisdictionID, dryRun: dryRun, origin: origin, writing: writing)
        }
    }

    private func importLedger<W: LedgerImportWriter>(
        _ writer: W.Type, table: CSVTable, mapping: ImportMapping?, fileName: String, into jurisdictionID: UUID, dryRun: Bool, origin: RequestOrigin,
        writing: LedgerImportWriting
    ) async throws -> LedgerImportOutcome {
        let kind = W.Plan.kind
        let now = clock.now()
        let context = ImportContext(kind: kind, jurisdictionID: jurisdictionID, origin: origin, now: now, fileName: fileName)
        var chosen = mapping
        if chosen == nil {
            let remembered = try await database.read { db in
                try await self.requireImporter(kind, into: jurisdictionID, actor: origin.actor, on: db)
                return try await ImportRows.mapping(kind, in: jurisdictionID, on: db)
            }
            chosen = ImportMapping.suggested(header: table.header, columns: kind.columns, remembered: remembered)
        }
        let mapping = chosen ?? ImportMapping(keys: [])
        let preview = LedgerImport.preview(W.Plan.self, table: table, mapping: mapping, today: CalendarDay(now))
        func outcome(_ problems: [ImportProblem], actions: [Int: LedgerImportOutcome.Action], written: Bool) -> LedgerImportOutcome {
            var bad: [Int: Set<String>] = [:]
            for problem in problems { if let line = problem.line { bad[line, default: []].insert(problem.column ?? "") } }
            return LedgerImportOutcome(
                kind: kind, header: table.header, mapping: mapping,
                rows: preview.rows.map { row in
                    .init(line: row.line, fields: row.fields, key: row.key, action: bad[row.line] == nil ? actions[row.line] : nil, badColumns: bad[row.line] ?? [])
                },
                problems: problems, written: written)
        }
        guard preview.isGood else {
            try await database.read { db in try await self.requireImporter(kind, into: jurisdictionID, actor: origin.actor, on: db) }
            return outcome(preview.problems, actions: [:], written: false)
        }
        let good = try preview.accepted()
        do {
            let actions = try await database.transaction { db -> [Int: LedgerImportOutcome.Action] in try await self.audit.batching(writing == .batched, on: db) {
                try await self.requireImporter(kind, into: jurisdictionID, actor: origin.actor, on: db)
                let existing = try await ImportRows.records(kind, keys: good.compactMap(\.key), in: jurisdictionID, on: db)
                var rows = good.map { ImportingRow(line: $0.line, key: $0.key, draft: $0.draft, existing: $0.key.flatMap { existing[$0] }) }
                let carried = try await W.carriedOn(rows.filter { $0.existing == nil }, context: context, on: db)
                for index in rows.indices where rows[index].existing == nil { rows[index].existing = rows[index].key.flatMap { carried[$0] } }
                var problems: [ImportProblem] = []
                let records = try await W.write(rows, context: context, problems: &problems, in: self, on: db)
                var actions: [Int: LedgerImportOutcome.Action] = [:]
                for (row, record) in zip(rows, records) where record != nil { actions[row.line] = row.existing == nil ? .create : .update }
                if dryRun || !problems.isEmpty { throw RolledBack(problems: problems, actions: actions) }
                let marked = zip(rows, records).compactMap { row, record in record.map { (record: $0, key: row.key) } }
                switch writing {
                case .batched: try await ImportRows.mark(marked, context: context, on: db)
                case .rowByRow: for (record, key) in marked { try await ImportRows.mark(record, key: key, context: context, on: db) }
                }
                try await ImportRows.remember(mapping, header: table.header, kind: kind, in: jurisdictionID, at: now, on: db)
                let created = actions.values.count { $0 == .create }
                try await self.audit.append(
                    AuditEvent(
                        action: .ledgerImported, targetType: "jurisdiction", targetID: jurisdictionID.text, jurisdictionID: jurisdictionID,
                        detail: "导入\(kind.title)：新增\(created)条，更新\(actions.count - created)条\(context.auditNote)"),
                    origin: origin, at: now, on: db)
                return actions
            } }
            return outcome([], actions: actions, written: true)
        } catch let rolledBack as RolledBack {
            return outcome(rolledBack.problems, actions: rolledBack.actions, written: false)
        }
    }
}

extension Store {
    /// The importer may write the kind into the committee (and so read it back as an export): its
    /// permission there, and the role the kind asks for (the lead register's custodian).
    func requireImporter(_ kind: LedgerKind, into jurisdictionID: UUID, actor: Actor, on db: any SQLDatabase) async throws {
        _ = try await requireLocation(jurisdictionID, actor: actor, permission: kind.permission, on: db)
        guard policy.mayImport(actor, kind) else { throw DomainError.forbidden }
    }
}

/// The keys of one kind's imports into one committee, in the framework's table of imported
/// records: what a ledger's rows name by another ledger's keys (the lead register's 问题编号 are
/// the problem list's 编号) is found where the framework keeps every key. Read and written inside
/// the import's transaction, so a rejected file remembers nothing.
struct ImportedRecordKeys {
    var kind: LedgerKind
    /// The import: the committee, and the 补录 mark `remember` leaves.
    var context: ImportContext

    /// The record each of `keys` was imported as, for those imported before.
    func records(for keys: [String], on db: any SQLDatabase) async throws -> [String: UUID] {
        try await ImportRows.records(kind, keys: keys, in: context.jurisdictionID, on: db)
    }

    /// Remembers records this import wrote under the kind's keys (a paper the lead register brings).
    func remember(_ records: [String: UUID], on db: any SQLDatabase) async throws {
        var context = context
        context.kind = kind
        for (key, record) in records { try await ImportRows.mark(record, key: key, context: context, on: db) }
    }
}

/// Rolls a preview (or a file the database finds bad) back after its writes.
private struct RolledBack: Error {
    var problems: [ImportProblem]
    var actions: [Int: LedgerImportOutcome.Action]
}

/// The tables of migration 28: which record each imported row became (its 补录 mark, and its key
/// for the next import), and the committee's last column mapping per kind.
enum ImportRows {
    static func mapping(_ kind: LedgerKind, in jurisdictionID: UUID, on db: any SQLDatabase) async throws -> [String: String] {
        var mapping: [String: String] = [:]
        for row in try await db.raw(
            "SELECT header, column_key FROM import_mappings WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND kind = \(bind: kind.rawValue)"
        ).all() {
            mapping[try row.string("header")] = try row.string("column_key")
        }
        return mapping
    }

    /// The records earlier imports made under `keys`.
    static func records(_ kind: LedgerKind, keys: [String], in jurisdictionID: UUID, on db: any SQLDatabase) async throws -> [String: UUID] {
        guard !keys.isEmpty else { return [:] }
        var records: [String: UUID] = [:]
        for chunk in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0..<min($0 + 500, keys.count)]) }) {
            for row in try await db.raw(
                """
                SELECT ledger_key, record_id FROM imported_records
                WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND kind = \(bind: kind.rawValue) AND ledger_key IN (\(binds: chunk))
                """
            ).all() {
                records[try row.string("ledger_key")] = try row.uuid("record_id")
            }
        }
        return records
    }

    /// The rows' keys that are the ids of this committee's records in `table`: an export names a
    /// record no import keyed by its id, so importing the export again updates it.
    static func ownRecords(_ table: String, keys: [String?], in jurisdictionID: UUID, on db: any SQLDatabase) async throws -> [String: UUID] {
        let ids = keys.compactMap { $0 }.filter { UUID(uuidString: $0) != nil }
        guard !ids.isEmpty else { return [:] }
        var records: [String: UUID] = [:]
        for row in try await db.raw("SELECT id FROM \(unsafeRaw: table) WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND id IN (\(binds: ids))").all() {
            let id = try row.uuid("id")
            records[id.text] = id
        }
        return records
    }

    /// The rows' keys that number records done in Xuncha (`table`'s `number`, not written by an
    /// import of `kind`): an export names them so, and importing it again must neither add them
    /// twice nor rewrite work that is carried on in Xuncha.
    static func nativeNumbers(_ table: String, kind: LedgerKind, keys: [String], in jurisdictionID: UUID, on db: any SQLDatabase) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return Set(
            try await db.raw(
                """
                SELECT number FROM \(unsafeRaw: table) WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND number IN (\(binds: keys))
                    AND id NOT IN (SELECT record_id FROM imported_records WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND kind = \(bind: kind.rawValue))
                """
            ).all().map { try $0.string("number") })
    }

    /// Marks a record written by an import: 补录, from which file, by whom; under its key.
    static func mark(_ record: UUID, key: String?, context: ImportContext, on db: any SQLDatabase) async throws {
        try await mark([(record, key)], context: context, on: db)
    }

    /// Marks the records an import wrote: a few hundred binds a statement. A record named twice
    /// keeps its last key.
    static func mark(_ marked: [(record: UUID, key: String?)], context: ImportContext, on db: any SQLDatabase) async throws {
        var keys: [UUID: String?] = [:]
        var order: [UUID] = []
        for (record, key) in marked {
            if keys.updateValue(key, forKey: record) == nil { order.append(record) }
        }
        for chunk in stride(from: 0, to: order.count, by: 50).map({ order[$0..<min($0 + 50, order.count)] }) {
            try await db.raw(
                "DELETE FROM imported_records WHERE kind = \(bind: context.kind.rawValue) AND record_id IN (\(binds: chunk.map(\.text)))"
            ).run()
            var values: SQLQueryString?
            for record in chunk {
                let row: SQLQueryString = """
                    (\(bind: context.jurisdictionID.text), \(bind: context.kind.rawValue), \(bind: record.text), \(bind: keys[record] ?? nil), \(bind: context.time.backfillReason ?? ""),
                        \(bind: context.fileName), \(bind: context.origin.actor.userID?.text), \(bind: context.origin.actor.displayName), \(bind: context.now.epochMilliseconds))
                    """
                values = values.map { $0 + ", " + row } ?? row
            }
            guard let values else { continue }
            try await db.raw(
                "INSERT INTO imported_records (jurisdiction_id, kind, record_id, ledger_key, backfill_reason, file_name, importer_id, importer_name, imported_at) VALUES "
                    + values
            ).run()
        }
    }

    /// Remembers the mapping for the committee's next import of the kind: the headers of this
    /// file replace what the same headers meant before; other headers stay remembered.
    static func remember(_ mapping: ImportMapping, header: [String], kind: LedgerKind, in jurisdictionID: UUID, at now: Date, on db: any SQLDatabase) async throws {
        for (name, key) in mapping.remembered(header: header) {
            try await db.raw(
                "DELETE FROM import_mappings WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND kind = \(bind: kind.rawValue) AND header = \(bind: name)"
            ).run()
            try await db.raw(
                """
                INSERT INTO import_mappings (jurisdiction_id, kind, header, column_key, updated_at)
                VALUES (\(bind: jurisdictionID.text), \(bind: kind.rawValue), \(bind: name), \(bind: key), \(bind: now.epochMilliseconds))
                """
            ).run()
        }
    }

    /// The 补录 mark of a record an import wrote, if one did.
    static func mark(of record: UUID, kind: LedgerKind, on db: any SQLDatabase) async throws -> ImportMark? {
        guard let row = try await db.raw("SELECT * FROM imported_records WHERE kind = \(bind: kind.rawValue) AND record_id = \(bind: record.text)").first() else {
            return nil
        }
        return ImportMark(
            backfillReason: try row.string("backfill_reason"), fileName: try row.string("file_name"), importerName: try row.string("importer_name"),
            importedAt: try row.date("imported_at"), key: try row.optionalString("ledger_key"))
    }
}

/// What an import left on a record: 补录, its reason (导入自 file), the importer, and its key.
public struct ImportMark: Sendable, Equatable {
    public var backfillReason: String
    public var fileName: String
    public var importerName: String
    public var importedAt: Date
    public var key: String?

    /// 导入自“名册.xlsx”，导入人 张三（台账编号 P2）.
    public var text: String { backfillReason + "，导入人 " + importerName + (key.map { "（台账编号 \($0)）" } ?? "") }
}

extension Store {
    /// The 补录 mark an import left on a record, for its page and the tests.
    public func importMark(of record: UUID, kind: LedgerKind, for actor: Actor) async throws -> ImportMark? {
        try policy.requireAnywhere(actor, kind.permission)
        return try await database.read { db in try await ImportRows.mark(of: record, kind: kind, on: db) }
    }
}
