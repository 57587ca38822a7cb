import Foundation
import SQLKit
import XunchaCore

/// 巡察任务一览: what one assignment holds, as the reader may see it — each kind counted in SQL
/// with the scope of the list it links to, so a count never tells of a record the list would not
/// show. A kind the reader may not see at all is nil (no count, no link), not 0.
public struct AssignmentHub: Sendable, Equatable {
    /// 工作记录 by kind (个别谈话, 信访件 …).
    public var records: [RecordKind: Int]?
    /// 问题底稿 by status.
    public var findings: [FindingStatus: Int]?
    public var leads: Int?
    /// 立行立改 notices (for a unit: the issued ones).
    public var immediates: Int?
    /// 巡察报告.
    public var reports: Int?
    /// 反馈意见, newest first (one as a rule).
    public var feedback: [UUID]?
    /// 整改方案 drafts, newest first.
    public var plans: [UUID]?
}

extension Store {
    /// The counts and links of an assignment's records that `actor` may see.
    public func assignmentHub(_ id: UUID, for actor: Actor) async throws -> AssignmentHub {
        _ = try await assignment(id, for: actor)
        let policy = self.policy
        return try await database.read { db in
            /// `key, COUNT(*)` rows of one table, when the reader may see the kind.
            func counted(_ permission: Permission, _ sql: @autoclosure () -> SQLQueryString) async throws -> [String: Int]? {
                guard policy.allowsAnywhere(actor, permission) else { return nil }
                var result: [String: Int] = [:]
                for row in try await db.raw(sql()).all() { result[try row.string("k")] = try row.int("n") }
                return result
            }
            func ids(_ permission: Permission, _ sql: @autoclosure () -> SQLQueryString) async throws -> [UUID]? {
                guard policy.allowsAnywhere(actor, permission) else { return nil }
                return try await db.raw(sql()).all().map { try $0.uuid("id") }
            }
            func keyed<K: RawRepresentable & Hashable>(_ counts: [String: Int]?) -> [K: Int]? where K.RawValue == String {
                counts.map { Dictionary(uniqueKeysWithValues: $0.compactMap { key, n in K(rawValue: key).map { ($0, n) } }) }
            }
            let a = id.text
            var hub = AssignmentHub()
            hub.records = keyed(
                try await counted(
                    .viewFieldwork,
                    "SELECT r.kind AS k, COUNT(*) AS n FROM onsite_records r WHERE r.assignment_id = \(bind: a) AND "
                        + FieldworkRows.scope(policy.scope(actor, .viewFieldwork)) + " GROUP BY r.kind"))
            hub.findings = keyed(
                try await counted(
                    .viewFieldwork,
                    "SELECT f.status AS k, COUNT(*) AS n FROM findings f WHERE f.assignment_id = \(bind: a) AND "
                        + FindingRows.scope(policy.scope(actor, .viewFieldwork)) + " GROUP BY f.status"))
            hub.leads = try await counted(
                .viewLeads,
                "SELECT 'all' AS k, COUNT(*) AS n FROM leads l WHERE l.assignment_id = \(bind: a) AND " + LeadRows.scope(policy.scope(actor, .viewLeads)))?["all"]
            hub.immediates = try await counted(
                .viewImmediateRectifications,
                "SELECT 'all' AS k, COUNT(*) AS n FROM immediate_rectifications i WHERE i.assignment_id = \(bind: a) AND "
                    + ImmediateRows.scope(policy.scope(actor, .viewImmediateRectifications)))?["all"]
            hub.reports = try await counted(
                .viewReports,
                "SELECT 'all' AS k, COUNT(*) AS n FROM reports r WHERE r.assignment_id = \(bind: a) AND " + ReportRows.scope(policy.scope(actor, .viewReports)))?["all"]
            hub.feedback = try await ids(
                .viewFeedback,
                "SELECT fb.id FROM feedbacks fb WHERE fb.assignment_id = \(bind: a) AND " + FeedbackRows.scope(policy.scope(actor, .viewFeedback))
                    + " ORDER BY fb.created_at DESC, fb.id")
            hub.plans = try await ids(
                .viewRectification,
                "SELECT p.id FROM rectification_plans p WHERE p.assignment_id = \(bind: a) AND "
                    + RectificationRows.planScope(policy.scope(actor, .viewRectification)) + " ORDER BY p.created_at DESC, p.id")
            return hub
        }
    }
}
