import Foundation
import SQLKit
import XunchaCore

/// 归档锁定: once an assignment is in an archive, no row of its records changes. Every table that
/// holds an assignment's records says here how a row reaches its assignment; the one versioned
/// update every edit and every lifecycle step goes through (`VersionedRow.update`), the fieldwork
/// recorder's gate and each creation path under an assignment ask `refuse` before writing.
enum ArchiveLock {
    /// How a row of `table` (aliased `t`) reaches its assignment: through `joins`, in `assignment`.
    struct Reach: Sendable {
        let table: String
        let joins: String
        let assignment: String

        static func direct(_ table: String) -> Reach { Reach(table: table, joins: "", assignment: "t.assignment_id") }
        static func viaFeedback(_ table: String) -> Reach {
            Reach(table: table, joins: "JOIN feedbacks f ON f.id = t.feedback_id", assignment: "f.assignment_id")
        }
    }

    /// Every table of an assignment's records.
    static let reaches: [Reach] = [
        Reach(table: "assignments", joins: "", assignment: "t.id"),
        .direct("notices"), .direct("recusal_requests"), .direct("onsite_records"), .direct("findings"), .direct("leads"),
        .direct("immediate_rectifications"), .direct("reports"), .direct("feedbacks"), .direct("rectification_plans"), .direct("rectification_tasks"),
        .direct("supervision_checks"), .viaFeedback("rectification_reports"), .viaFeedback("evaluations"),
        Reach(
            table: "disclosures", joins: "JOIN rectification_reports r ON r.id = t.report_id JOIN feedbacks f ON f.id = r.feedback_id",
            assignment: "f.assignment_id"),
    ]

    /// The tables evidence is attached to, by the attachment's owner type.
    static let attachmentOwners: [String: String] = [
        "record": "onsite_records", "finding": "findings", "immediate": "immediate_rectifications", "task": "rectification_tasks",
    ]

    static func reach(_ table: String) -> Reach? { reaches.first { $0.table == table } }

    /// Throws `archived` when the row `id` of `table` belongs to an archived assignment; a table
    /// that holds no assignment's records passes.
    static func refuse(_ table: String, _ id: UUID, on db: any SQLDatabase) async throws {
        guard let reach = reach(table) else { return }
        let sql: SQLQueryString = """
            SELECT 1 AS one FROM archive_assignments WHERE assignment_id IN (
                SELECT \(unsafeRaw: reach.assignment) FROM \(unsafeRaw: reach.table) t \(unsafeRaw: reach.joins) WHERE t.id = \(bind: id.text))
            """
        if try await db.raw(sql).first() != nil { throw DomainError.archived }
    }

    /// Throws `archived` when the assignment is in an archive.
    static func refuse(assignment id: UUID, on db: any SQLDatabase) async throws {
        try await refuse("assignments", id, on: db)
    }

    /// Throws `archived` when the owner of an attachment belongs to an archived assignment.
    static func refuse(attachmentTo owner: AttachmentOwner, on db: any SQLDatabase) async throws {
        guard let table = attachmentOwners[owner.type] else { return }
        try await refuse(table, owner.id, on: db)
    }

    /// Whether the assignment is in an archive, and which.
    static func archive(of assignment: UUID, on db: any SQLDatabase) async throws -> UUID? {
        try await db.raw("SELECT archive_id FROM archive_assignments WHERE assignment_id = \(bind: assignment.text) ORDER BY archive_id LIMIT 1")
            .first()?.uuid("archive_id")
    }
}
