import Foundation
import SQLKit
import XunchaCore

/// Writes the rows of a 问题清单/整改台账 through the lifecycles (`Store.writeProblemList`); a
/// known 编号 brings the paper and its task up to the ledger.
enum ProblemListWriter: LedgerImportWriter {
    typealias Plan = ProblemListImportPlan

    static func write(
        _ rows: [ImportingRow<ProblemListImportPlan.Row>], context: ImportContext, problems: inout [ImportProblem], in store: Store, on db: any SQLDatabase
    ) async throws -> [UUID?] {
        let rows = try await LedgerImportRun.refusingNative(rows, table: "findings", what: "问题", context: context, problems: &problems, on: db)
        return try await LedgerImportRun.writing(rows, context: context, problems: &problems) { run, known in
            try await store.writeProblemList(rows.compactMap(\.self).map(\.draft), known: known, run: &run, on: db)
        }
    }
}

/// Writes the rows of a 问题线索台账 through the lead's lifecycle (`Store.writeLeadRegister`); a
/// row's 问题编号 names a problem this committee's problem-list imports made.
enum LeadRegisterWriter: LedgerImportWriter {
    typealias Plan = LeadRegisterImportPlan

    static func write(
        _ rows: [ImportingRow<LeadRegisterImportPlan.Row>], context: ImportContext, problems: inout [ImportProblem], in store: Store, on db: any SQLDatabase
    ) async throws -> [UUID?] {
        let rows = try await LedgerImportRun.refusingNative(rows, table: "leads", what: "线索", context: context, problems: &problems, on: db)
        return try await LedgerImportRun.writing(rows, context: context, problems: &problems) { run, known in
            try await store.writeLeadRegister(rows.compactMap(\.self).map(\.draft), known: known, problemKeys: problemKeys(context), run: &run, on: db)
        }
    }

    /// A row whose 问题编号 names a paper handed over as a lead carries that lead on: it is
    /// updated, not created (the writer refuses a 问题编号 that names no such paper).
    static func carriedOn(_ rows: [ImportingRow<LeadRegisterImportPlan.Row>], context: ImportContext, on db: any SQLDatabase) async throws -> [String: UUID] {
        let papers = try await problemKeys(context).records(for: rows.compactMap(\.draft.problemKey), on: db)
        var carried: [String: UUID] = [:]
        for row in rows {
            guard let paper = row.draft.problemKey.flatMap({ papers[$0] }) else { continue }
            carried[row.draft.key] = try await FindingRows.opened(by: paper, on: db).lead?.id
        }
        return carried
    }

    /// The lead register's 问题编号 are the keys of this committee's problem-list imports.
    static func problemKeys(_ context: ImportContext) -> ImportedRecordKeys { ImportedRecordKeys(kind: .problemList, context: context) }
}

extension LedgerImportRun {
    /// A ledger written through the lifecycles inside the framework's transaction: `write` takes
    /// the run and the records the rows' keys name, and answers the record each key became; its
    /// problems join the import's.
    static func writing<Draft>(
        _ rows: [ImportingRow<Draft>?], context: ImportContext, problems: inout [ImportProblem],
        _ write: (inout LedgerImportRun, [String: UUID]) async throws -> [String: UUID]
    ) async throws -> [UUID?] {
        var run = LedgerImportRun(context)
        let known = Dictionary(rows.compactMap { row in row?.key.flatMap { key in row?.existing.map { (key, $0) } } }, uniquingKeysWith: { first, _ in first })
        let records = try await write(&run, known)
        problems += run.problems
        return rows.map { $0?.key.flatMap { records[$0] } }
    }

    /// The rows, each refused (nil, with its problem) whose new key is the number of a record done
    /// in Xuncha: a ledger exported here names such work by its number, and importing it again
    /// must neither add it twice nor rewrite what goes on in Xuncha.
    static func refusingNative<Draft>(
        _ rows: [ImportingRow<Draft>], table: String, what: String, context: ImportContext, problems: inout [ImportProblem], on db: any SQLDatabase
    ) async throws -> [ImportingRow<Draft>?] {
        let keys = rows.filter { $0.existing == nil }.compactMap(\.key)
        let native = try await ImportRows.nativeNumbers(table, kind: context.kind, keys: keys, in: context.jurisdictionID, on: db)
        return rows.map { row in
            guard row.existing == nil, let key = row.key, native.contains(key) else { return row }
            problems.append(row.problem("key", in: context.kind, code: "native_record", "“\(key)”是在本系统中办理的\(what)，其内容和进展请在系统中修改，不能再由台账导入"))
            return nil
        }
    }
}
