import Foundation
import SQLKit
import XunchaCore

/// Writes the rows of a pool roster: a new cadre per new row; under a known 台账编号, the roster's
/// fields of the cadre that key created (work history, relations, training, evaluation and the
/// linked account stay as the office recorded them).
enum PoolRosterWriter: LedgerImportWriter {
    typealias Plan = PoolRosterImport

    static func write(
        _ rows: [ImportingRow<InspectorDraft>], context: ImportContext, problems: inout [ImportProblem], in store: Store, on db: any SQLDatabase
    ) async throws -> [UUID?] {
        let units = try await UnitRows.namesToIDs(in: context.jurisdictionID, on: db)
        var records: [UUID?] = []
        for row in rows {
            var draft = row.draft
            // A home unit in the register is linked, for recusal.
            draft.homeUnitID = units[draft.homeUnitName]
            if let id = row.existing, let before = try? await InspectorRows.find(id, on: db), before.jurisdictionID == context.jurisdictionID {
                try await store.updateRoster(of: before, to: draft, context: context, on: db)
                records.append(id)
            } else {
                records.append(try await store.addImportedInspector(draft, context: context, on: db))
            }
        }
        return records
    }

    /// A row keyed by a cadre's id (an export of a cadre no import keyed) updates that cadre.
    static func carriedOn(_ rows: [ImportingRow<InspectorDraft>], context: ImportContext, on db: any SQLDatabase) async throws -> [String: UUID] {
        try await ImportRows.ownRecords("inspectors", keys: rows.map(\.key), in: context.jurisdictionID, on: db)
    }
}

extension Store {
    /// A new pool entry from an import, its audit entry marked 补录.
    func addImportedInspector(_ draft: InspectorDraft, context: ImportContext, on db: any SQLDatabase) async throws -> UUID {
        let id = ids.next()
        _ = try await addInspector(draft, id: id, in: context.jurisdictionID, origin: context.origin, now: context.now, note: context.auditNote, on: db)
        return id
    }

    /// A re-imported row over the entry its key created: the roster's fields replaced, what the
    /// office recorded beside them kept.
    func updateRoster(of before: Inspector, to draft: InspectorDraft, context: ImportContext, on db: any SQLDatabase) async throws {
        try await InspectorRows.requireHomeUnit(draft.homeUnitID, in: before.jurisdictionID, on: db)
        var after = draft.inspector(id: before.id, jurisdictionID: before.jurisdictionID, at: before.createdAt)
        (after.workHistory, after.relations, after.training, after.evaluation, after.accountID) =
            (before.workHistory, before.relations, before.training, before.evaluation, before.accountID)
        after.updatedAt = context.now
        after.version = before.version + 1
        try await InspectorRows.replace(before, with: after, on: db)
        try await audit.append(
            AuditEvent(
                action: .inspectorChanged, targetType: "inspector", targetID: before.id.text, jurisdictionID: before.jurisdictionID,
                detail: after.name + context.auditNote, before: AuditEvent.canonical(before), after: AuditEvent.canonical(after)),
            origin: context.origin, at: context.now, on: db)
    }
}
