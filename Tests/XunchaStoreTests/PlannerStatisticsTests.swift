import Foundation
import Logging
import SQLKit
import Testing
import XunchaCore
import XunchaSeed
import XunchaStore
import XunchaTesting

/// SQLite plans with the statistics ANALYZE leaves in `sqlite_stat1`; a register grown through the
/// application, never bulk-loaded, had none, and a page of one unit's papers walked its whole
/// committee newest first (issue 18). The store keeps them current and every reader uses them.
@Suite("规划统计 planner statistics")
struct PlannerStatisticsTests {
    @Test func aRegisterOpenedWithoutStatisticsReadsOneUnitsPapersThroughTheAssignmentIndex() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-stats-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("stats.sqlite").path
        var logger = Logger(label: "xuncha.test")
        logger.logLevel = .warning
        func open() async throws -> Store {
            try await Store.open(.sqliteFile(path), clock: TestClock(), hasher: PasswordHasher(cost: 4), logger: logger)
        }

        // Eight counties of 1,000 papers, 30 assignments each; then the papers' statistics are
        // forgotten, as if the papers had come one by one through the API.
        var store = try await open()
        let counties = try await store.generateSyntheticRegister(jurisdictions: 8, units: 8_000)
        _ = try await store.generateSyntheticFieldwork(counties: counties, findings: 8_000)
        try await store.database.transaction { db in try await db.raw("DELETE FROM sqlite_stat1 WHERE tbl = 'findings'").run() }
        await store.close()

        store = try await open()
        do {
            try await expectOnePlan(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    private func expectOnePlan(_ store: Store) async throws {
        let county = try await store.existingSyntheticTree().counties[0]
        let office = Actor(
            kind: .account(UUID()), name: "stats", jurisdictionID: county.id, jurisdictionPath: county.path, roles: [.officeStaff], unitID: nil)
        let assignment = try #require(
            try await store.database.read { db in
                try await db.raw("SELECT assignment_id FROM findings WHERE jurisdiction_id = \(bind: county.id.text) LIMIT 1").first()?.uuid("assignment_id")
            })

        let statements = try await store.database.recordingStatements {
            _ = try await store.findings(FindingQuery(assignmentID: assignment, status: .approved), for: office)
        }
        let page = try #require(statements.first { $0.sql.contains("FROM findings") })
        // Every reader plans alike; ask each of them.
        for _ in 0..<8 {
            let plan = try await store.database.read { db in
                try await db.raw("EXPLAIN QUERY PLAN \(page)").all().map { try $0.decode(column: "detail", as: String.self) }
            }
            #expect(plan.contains { $0.contains("USING INDEX findings_assignment") }, "\(plan)")
            #expect(!plan.contains { $0.contains("findings_jurisdiction ") || $0.hasSuffix("findings_jurisdiction (jurisdiction_id=?)") }, "\(plan)")
        }
    }
}
