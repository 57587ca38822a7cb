import Foundation
import SQLKit
import XunchaCore
import XunchaStore

/// Issued 反馈意见 written straight into the tables, for tests whose subject comes after feedback
/// (thematic reports) and whose setups have no approved inspection report to draft it from: the
/// assignment's approved 限期整改 papers become its problem list, as `draftFeedback` makes it.
public enum FeedbackShortcut {
    public static func issue(_ store: Store, assignment assignmentID: UUID) async throws {
        let now = store.clock.now().epochMilliseconds
        let id = UUID()
        try await store.database.transaction { db in
            guard let row = try await db.raw("SELECT jurisdiction_id, unit_id FROM assignments WHERE id = \(bind: assignmentID.text)").first() else {
                throw TestSetupError(description: "no assignment \(assignmentID)")
            }
            let jurisdiction = try row.decode(column: "jurisdiction_id", as: String.self)
            let unit = try row.decode(column: "unit_id", as: String.self)
            try await db.raw(
                """
                INSERT INTO feedbacks (jurisdiction_id, id, assignment_id, unit_id, number, title, main_recipient, copy_recipients, body, plan_due, report_due,
                    status, issued_at, created_at, updated_at, version)
                VALUES (\(bind: jurisdiction), \(bind: id.text), \(bind: assignmentID.text), \(bind: unit), '测试〔2026〕1号', '反馈意见', '党组', '[]', '正文',
                    '2027-01-20', '2027-02-28', 'issued', \(bind: now), \(bind: now), \(bind: now), 2)
                """
            ).run()
            let papers = try await db.raw(
                "SELECT id, title FROM findings WHERE assignment_id = \(bind: assignmentID.text) AND status = 'approved' AND disposition = 'deadline' ORDER BY id"
            ).all()
            for (index, paper) in papers.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO feedback_problems (feedback_id, id, sequence, text, finding_id)
                    VALUES (\(bind: id.text), \(bind: UUID().text), \(bind: index + 1), \(bind: try paper.decode(column: "title", as: String.self)),
                        \(bind: try paper.decode(column: "id", as: String.self)))
                    """
                ).run()
            }
        }
    }
}
