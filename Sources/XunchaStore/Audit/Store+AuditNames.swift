import Foundation
import SQLKit
import XunchaCore

/// The audit page names people and objects in words (`AuditNames`), looked up for the entries shown.
extension Store {
    /// The 姓名 of the entries' actors and the names of their objects: one query per kind of
    /// object on the page. For the audit log's readers only, who read these entries already.
    public func auditNames(of entries: [AuditEntry], for actor: Actor) async throws -> AuditNames {
        try policy.requireAnywhere(actor, .viewAuditLog)
        let wanted = entries.reduce(into: [String: Set<String>]()) { wanted, entry in
            if let type = entry.event.targetType, let id = entry.event.targetID, AuditObjectNames.sql[type] != nil { wanted[type, default: []].insert(id) }
        }
        let people = Set(entries.compactMap(\.actorID))
        return try await database.read { db in
            var names = AuditNames()
            if !people.isEmpty {
                for row in try await db.raw("SELECT id, display_name FROM users WHERE id IN (\(binds: people.map(\.text)))").all() {
                    names.people[try row.uuid("id")] = try row.string("display_name")
                }
            }
            for (type, ids) in wanted {
                guard let source = AuditObjectNames.sql[type] else { continue }
                let rows = try await db.raw(
                    "SELECT t.id AS id, \(unsafeRaw: source.name) AS name FROM \(unsafeRaw: source.from) WHERE t.id IN (\(binds: ids.sorted()))"
                ).all()
                for row in rows {
                    guard let name = try row.optionalString("name") else { continue }
                    names.objects[type, default: [:]][try row.string("id")] = name
                }
            }
            return names
        }
    }
}

/// How each kind of audited object is named, as the pages name it: a unit's, a group's or a
/// person's name, a document's number or title, a task's label with its unit. The object's
/// row is aliased `t`. Kinds not listed (a round, settings, a pledge) are named by their kind
/// alone; the entry's detail names them.
enum AuditObjectNames {
    static let sql: [String: (from: String, name: String)] = {
        let task = (from: "rectification_tasks t JOIN feedback_problems p ON p.id = t.problem_id JOIN units n ON n.id = t.unit_id",
                    name: "p.sequence || '-' || t.sequence || ' ' || n.name")
        return [
            "user": ("users t", PersonNames.shown("t")),
            "inspector": ("inspectors t", "t.name"),
            "unit": ("units t", "t.name"),
            "jurisdiction": ("jurisdictions t", "t.name"),
            "group": ("inspection_groups t", "t.name"),
            "standing_group": ("standing_groups t", "t.name"),
            "plan": ("inspection_plans t", "t.title"),
            "batch": ("batches t", "'第' || t.sequence || '批'"),
            "assignment": ("assignments t JOIN units n ON n.id = t.unit_id", "n.name"),
            "notice": ("notices t", "t.number"),
            "record": ("onsite_records t JOIN units n ON n.id = t.unit_id", "n.name"),
            "recusal_request": ("recusal_requests t JOIN units n ON n.id = t.unit_id", "n.name"),
            "rule_improvement": ("rule_improvements t", "t.title"),
            "follow_up": ("follow_ups t JOIN units n ON n.id = t.unit_id", "n.name"),
            Chain.finding.rawValue: ("findings t JOIN units n ON n.id = t.unit_id", "COALESCE(t.number || ' ', '') || n.name"),
            Chain.lead.rawValue: ("leads t", "t.number"),
            Chain.immediate.rawValue: ("immediate_rectifications t JOIN units n ON n.id = t.unit_id", "COALESCE(t.number || ' ', '') || n.name"),
            Chain.report.rawValue: ("reports t", "t.title"),
            Chain.feedback.rawValue: ("feedbacks t", "t.number"),
            Chain.plan.rawValue: ("rectification_plans t JOIN units n ON n.id = t.unit_id", "n.name || '第' || t.revision || '稿'"),
            Chain.task.rawValue: task,
            "task": task,
            Chain.rectificationReport.rawValue: ("rectification_reports t JOIN units n ON n.id = t.unit_id", "n.name"),
            Chain.disclosure.rawValue: ("disclosures t JOIN units n ON n.id = t.unit_id", "n.name"),
            Chain.evaluation.rawValue: ("evaluations t JOIN units n ON n.id = t.unit_id", "n.name"),
            Chain.thematicReport.rawValue: ("thematic_reports t", "'《' || t.title || '》'"),
        ]
    }()
}
