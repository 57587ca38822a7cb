import Foundation
import SQLKit
import XunchaCore

/// Writes the rows of a 制度建设台账: the adopter found among the committee's units (else kept as
/// the 制定机关 named), the problems by their numbers in that unit's latest issued feedback, the
/// 立行立改 notices by number; a known 台账编号 replaces the improvement it created.
enum RuleImprovementWriter: LedgerImportWriter {
    typealias Plan = RuleImprovementImport

    static func write(
        _ rows: [ImportingRow<RuleImprovementImport.Draft>], context: ImportContext, problems: inout [ImportProblem], in store: Store, on db: any SQLDatabase
    ) async throws -> [UUID?] {
        let jurisdiction = context.jurisdictionID
        let units = try await UnitRows.namesToIDs(in: jurisdiction, on: db)
        var records: [UUID?] = []
        for row in rows {
            let draft = row.draft
            let unitID = units[draft.adopter]
            var unitOf: [UUID: UUID] = [:]
            var problemIDs: [UUID] = []
            var immediateIDs: [UUID] = []
            var bad = false
            if !draft.problemNumbers.isEmpty {
                if let unitID {
                    let issued = try await latestFeedbackProblems(of: unitID, in: jurisdiction, on: db)
                    for number in draft.problemNumbers {
                        guard let problem = issued[number] else {
                            problems.append(row.problem("problems", in: context.kind, code: "unknown_problem", "“\(draft.adopter)”最近一次已下达的反馈中没有第\(number)个问题"))
                            bad = true
                            continue
                        }
                        problemIDs.append(problem)
                        unitOf[problem] = unitID
                    }
                } else {
                    problems.append(
                        row.problem("problems", in: context.kind, code: "unknown_unit", "“\(draft.adopter)”不是本级被巡察单位，不能按序号关联反馈问题"))
                    bad = true
                }
            }
            if !draft.immediateNumbers.isEmpty {
                var found: [String: (UUID, UUID)] = [:]
                for notice in try await db.raw(
                    """
                    SELECT id, unit_id, number FROM immediate_rectifications
                    WHERE jurisdiction_id = \(bind: jurisdiction.text) AND number IN (\(binds: draft.immediateNumbers))
                        AND status IN (\(binds: RuleImprovementRows.answerableImmediate))
                    """
                ).all() {
                    found[try notice.string("number")] = (try notice.uuid("id"), try notice.uuid("unit_id"))
                }
                for number in draft.immediateNumbers {
                    guard let (id, unit) = found[number] else {
                        problems.append(row.problem("immediates", in: context.kind, code: "unknown_immediate", "没有已下达的立行立改通知书“\(number)”"))
                        bad = true
                        continue
                    }
                    immediateIDs.append(id)
                    unitOf[id] = unit
                }
            }
            guard !bad else {
                records.append(nil)
                continue
            }
            var proposed = RuleImprovementDraft(
                title: draft.title, kind: draft.kind, documentNumber: draft.documentNumber, adoptedOn: draft.adoptedOn, unitID: unitID,
                adoptingBody: unitID == nil ? draft.adopter : nil, description: draft.description, problemIDs: problemIDs, immediateIDs: immediateIDs)
            proposed.scope = draft.scope
            let valid = try proposed.validated(today: CalendarDay(context.now))
            var existing: (id: UUID, version: Int)?
            if let id = row.existing,
                let found = try await db.raw("SELECT version FROM rule_improvements WHERE id = \(bind: id.text) AND jurisdiction_id = \(bind: jurisdiction.text)").first()
            {
                existing = (id, try found.int("version"))
            }
            let id = existing?.id ?? store.ids.next()
            try await store.writeRuleImprovement(
                valid, id: id, existing: existing?.version, in: jurisdiction, unitOf: unitOf, origin: context.origin, now: context.now, note: context.auditNote, on: db)
            records.append(id)
        }
        return records
    }

    /// A row keyed by an improvement's id (an export of one no import keyed) updates it.
    static func carriedOn(_ rows: [ImportingRow<RuleImprovementImport.Draft>], context: ImportContext, on db: any SQLDatabase) async throws -> [String: UUID] {
        try await ImportRows.ownRecords("rule_improvements", keys: rows.map(\.key), in: context.jurisdictionID, on: db)
    }

    /// The problems of the unit's latest issued feedback, by number (序号).
    static func latestFeedbackProblems(of unit: UUID, in jurisdiction: UUID, on db: any SQLDatabase) async throws -> [Int: UUID] {
        var problems: [Int: UUID] = [:]
        for row in try await db.raw(
            """
            SELECT p.id, p.sequence FROM feedback_problems p WHERE p.feedback_id = (
                SELECT fb.id FROM feedbacks fb WHERE fb.jurisdiction_id = \(bind: jurisdiction.text) AND fb.unit_id = \(bind: unit.text) AND fb.status = 'issued'
                ORDER BY fb.issued_at DESC, fb.id DESC LIMIT 1)
            """
        ).all() {
            problems[try row.int("sequence")] = try row.uuid("id")
        }
        return problems
    }
}
