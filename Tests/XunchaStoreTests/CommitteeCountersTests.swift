import Foundation
import SQLKit
import Testing
import XunchaCore
import XunchaTesting

@testable import XunchaStore

/// The counters each committee keeps of its leads (`lead_committee_counts`), its rectification
/// tasks (`task_committee_counts`) and its 立行立改 notices (`immediate_committee_counts`) always equal a recount of the records one by one
/// in Swift, whatever writes them. (The papers' counters: `FindingCountsTests`, which also holds
/// the statistics read from all of them equal to those read from the records.)
@Suite("党委计数 committee counters")
struct CommitteeCountersTests {
    typealias Counts = FindingCountsTests.Counts
    static func month(_ millis: Int64) -> Int { FindingCountsTests.month(millis) }

    /// What `lead_committee_counts` holds, zeros left out, and the leads counted one by one in Swift
    /// with each key worked out here from the lead's columns as they stand.
    static func leadCounts(_ store: Store) async throws -> (counted: Counts, recounted: Counts) {
        try await store.database.read { db in
            var counted: Counts = [:]
            let columns = LeadCountsSQL.byCommittee.key.components(separatedBy: ", ")
            for row in try await db.raw("SELECT \(unsafeRaw: LeadCountsSQL.byCommittee.key), n FROM lead_committee_counts WHERE n <> 0").all() {
                let key = try columns.map { ["month", "answered", "form"].contains($0) ? String(try row.int($0)) : try row.string($0) }
                counted[key.joined(separator: "|")] = try row.int("n")
            }
            var recounted: Counts = [:]
            for row in try await db.raw("SELECT * FROM leads").all() {
                let status = try row.string("status")
                let (closed, answered, received) = (try row.optionalInt("closed_at") != nil, try row.optionalInt("answered_at") != nil, try row.optionalInt("received_at") != nil)
                let transferred = LeadStatus.transferredOn.map(\.rawValue).contains(status)
                let handling =
                    ["dismissed", "withdrawn"].contains(status) ? status
                    : closed ? "closed" : answered ? "answered" : received ? "received" : transferred ? "transferred" : "pending"
                let due = transferred && !answered ? try row.optionalString("feedback_due") ?? "" : ""
                let key = [
                    try row.string("jurisdiction_id"), String(month(Int64(try row.int("created_at")))), status, handling, answered ? "1" : "0", try row.optionalString("receiver") ?? "", try row.string("subject"), try row.string("authority"),
                    String(try row.optionalInt("form") ?? 0), try row.optionalString("method") ?? "", due,
                ]
                recounted[key.joined(separator: "|"), default: 0] += 1
            }
            return (counted, recounted)
        }
    }

    @Test(arguments: TestEngine.available)
    func theLeadCountersAlwaysEqualARecountOfTheLeads(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            // Leads registered, transferred, received and answered (`StatisticsStoreTests.year`).
            let y = try await CrosstabStoreTests.year(store)
            var (counted, recounted) = try await Self.leadCounts(store)
            #expect(!counted.isEmpty)
            #expect(counted == recounted, "after a year")

            // One more registered and dismissed, one withdrawn with its paper's disposition changed.
            let s = y.t.onSite
            let dismissed = try await store.registerLead(in: s.finance.id, details: Scenario.leadDetails("赵某", subject: .personnel), origin: s.member)
            _ = try await store.take(LeadStep.dismiss, on: dismissed.id, input: LeadStepInput(note: "不属于问题线索"), version: dismissed.version, origin: s.f.origin(.groupLeader))
            (counted, recounted) = try await Self.leadCounts(store)
            #expect(counted == recounted, "after a lead was dismissed")

            // A lead deleted by hand (the counters follow any write) and a feedback's due day moved.
            try await store.database.transaction { db in
                try await db.raw("UPDATE leads SET feedback_due = '2020-01-01' WHERE status = 'transferred'").run()
                try await db.raw("DELETE FROM leads WHERE id = \(bind: dismissed.id.text)").run()
            }
            (counted, recounted) = try await Self.leadCounts(store)
            #expect(counted == recounted, "after a due day moved and a lead was deleted")
        }
    }

    /// What `task_committee_counts` holds (count and summed closing time), zeros left out, and the
    /// tasks counted one by one in Swift with each key worked out here from the task and its plan.
    static func taskCounts(_ store: Store) async throws -> (counted: Counts, recounted: Counts) {
        try await store.database.read { db in
            var counted: Counts = [:]
            for row in try await db.raw("SELECT \(unsafeRaw: TaskCountsSQL.key), n, closing_ms FROM task_committee_counts WHERE n <> 0 OR closing_ms <> 0").all() {
                let key = [try row.string("jurisdiction_id"), String(try row.int("month")), String(try row.int("closed")), try row.string("timing"), try row.string("due")]
                counted[key.joined(separator: "|")] = try row.int("n")
                counted[key.joined(separator: "|") + "|ms"] = try row.int("closing_ms")
            }
            var recounted: Counts = [:]
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            for row in try await db.raw(
                "SELECT t.jurisdiction_id, t.closed_at, t.deadline, p.status AS plan_status, p.approved_at FROM rectification_tasks t JOIN rectification_plans p ON p.id = t.plan_id"
            ).all() {
                let (closedAt, approvedAt) = (try row.optionalInt("closed_at"), try row.optionalInt("approved_at"))
                let deadline = try row.string("deadline")
                let month = try row.string("plan_status") == "approved" ? approvedAt.map { Self.month(Int64($0)) } ?? 0 : 0
                let timing: String
                if let closedAt {
                    let closureDay = (closedAt + 28_800_000) / 86_400_000
                    let parts = deadline.split(separator: "-").map { Int($0)! }
                    let deadlineDay = Int(utc.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!.timeIntervalSince1970 / 86_400)
                    timing = closureDay <= deadlineDay ? "on_time" : "late"
                } else {
                    timing = ""
                }
                let key = [try row.string("jurisdiction_id"), String(month), closedAt == nil ? "0" : "1", timing, closedAt == nil ? deadline : ""].joined(separator: "|")
                recounted[key, default: 0] += 1
                recounted[key + "|ms", default: 0] += closedAt.flatMap { closed in approvedAt.map { closed - $0 } } ?? 0
            }
            return (counted.filter { $0.value != 0 }, recounted.filter { $0.value != 0 })
        }
    }

    @Test(arguments: TestEngine.available)
    func theTaskCountersAlwaysEqualARecountOfTheTasksAndTheirPlans(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            // A plan of three tasks, one closed five days after it was created (`StatisticsStoreTests.year`).
            _ = try await CrosstabStoreTests.year(store)
            var (counted, recounted) = try await Self.taskCounts(store)
            #expect(!counted.isEmpty)
            #expect(counted == recounted, "after a year")

            try await store.database.transaction { db in
                // One closed 90 days after its creation (late), the open ones' deadlines moved: each moves its counter.
                try await db.raw(
                    "UPDATE rectification_tasks SET status = 'closed', closed_at = created_at + 7776000000 WHERE closed_at IS NULL AND deadline = (SELECT MAX(deadline) FROM rectification_tasks)"
                ).run()
                try await db.raw("UPDATE rectification_tasks SET deadline = '2020-01-31' WHERE closed_at IS NULL").run()
            }
            (counted, recounted) = try await Self.taskCounts(store)
            #expect(counted == recounted, "after a closure and a deadline moved")

            // The plan's approval moves every task of the plan with it; a plan no longer approved counts none.
            try await store.database.transaction { db in try await db.raw("UPDATE rectification_plans SET approved_at = approved_at - 3456000000").run() }
            (counted, recounted) = try await Self.taskCounts(store)
            #expect(counted == recounted, "after the plans' approval moved")
            try await store.database.transaction { db in try await db.raw("UPDATE rectification_plans SET status = 'submitted'").run() }
            (counted, recounted) = try await Self.taskCounts(store)
            #expect(counted == recounted, "after the plans went back to review")
        }
    }

    @Test(arguments: TestEngine.available)
    func theImmediateCountersAlwaysEqualARecountOfTheNotices(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            // 立行立改 papers of the year (`StatisticsStoreTests.year`), each with its notice.
            _ = try await CrosstabStoreTests.year(store)
            func counts() async throws -> (counted: Counts, recounted: Counts) {
                try await store.database.read { db in
                    var counted: Counts = [:]
                    for row in try await db.raw("SELECT jurisdiction_id, month, status, n FROM immediate_committee_counts WHERE n <> 0").all() {
                        counted[[try row.string("jurisdiction_id"), String(try row.int("month")), try row.string("status")].joined(separator: "|")] = try row.int("n")
                    }
                    var recounted: Counts = [:]
                    for row in try await db.raw("SELECT jurisdiction_id, created_at, status FROM immediate_rectifications").all() {
                        let key = [try row.string("jurisdiction_id"), String(Self.month(Int64(try row.int("created_at")))), try row.string("status")]
                        recounted[key.joined(separator: "|"), default: 0] += 1
                    }
                    return (counted, recounted)
                }
            }
            var (counted, recounted) = try await counts()
            #expect(!counted.isEmpty)
            #expect(counted == recounted, "after a year")
            try await store.database.transaction { db in
                try await db.raw("UPDATE immediate_rectifications SET status = 'closed', closed_at = created_at, created_at = created_at - 3456000000").run()
            }
            (counted, recounted) = try await counts()
            #expect(counted == recounted, "after the notices were closed and their opening moved")
        }
    }
}
