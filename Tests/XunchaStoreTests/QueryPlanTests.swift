import Foundation
import SQLKit
import Testing
import XunchaCore
import XunchaSeed
import XunchaStore
import XunchaTesting

/// The hot pages read through their indexes, on both engines, so that dropping or reshaping an
/// index fails here rather than in a benchmark. Each test runs the real store call, records the
/// statements it sends (`Database.recordingStatements`), and asks the engine for the plan of that
/// same text with the same values: `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL, whose
/// planner is left to choose freely after `VACUUM ANALYZE` on enough rows that an index pays.
@Suite("查询计划 query plans")
struct QueryPlanTests {
    @Test(arguments: TestEngine.available)
    func aCountyOfficesUnitPageReadsThroughTheJurisdictionIndex(engine: TestEngine) async throws {
        try await withSample(engine) { store, sample in
            let firstPage = try await plans(store) { _ = try await store.units(UnitQuery(), for: sample.office) }
            let byType = try await plans(store) { _ = try await store.units(UnitQuery(type: .school), for: sample.office) }
            let search = try await plans(store) { _ = try await store.units(UnitQuery(search: "村"), for: sample.office) }

            #expect(firstPage.reads("units", through: "units_jurisdiction_name"), "\(firstPage)")
            #expect(byType.reads("units", through: "units_jurisdiction_type_name"), "\(byType)")
            #expect(search.reads("units", through: "units_jurisdiction_name"), "\(search)")
            for plan in [firstPage, byType, search] { #expect(plan.fullScans.isEmpty, "\(plan)") }
        }
    }

    @Test(arguments: TestEngine.available)
    func anOfficesWorkingPaperListReadsNewestFirstThroughTheJurisdictionIndex(engine: TestEngine) async throws {
        try await withSample(engine, fieldwork: true) { store, sample in
            let page = try await plans(store) { _ = try await store.findings(FindingQuery(), for: sample.office) }

            #expect(page.reads("findings", through: "findings_jurisdiction"), "\(page)")
            #expect(page.fullScans.isEmpty, "\(page)")
        }
    }

    @Test(arguments: TestEngine.available)
    func theCustodiansLeadListReadsNewestFirstThroughTheJurisdictionIndex(engine: TestEngine) async throws {
        try await withSample(engine, fieldwork: true) { store, sample in
            let custodian = RequestOrigin(actor: sample.actor(.leadCustodian))
            let page = try await plans(store) { _ = try await store.leads(LeadQuery(), origin: custodian) }

            #expect(page.reads("leads", through: "leads_jurisdiction"), "\(page)")
            #expect(page.fullScans.isEmpty, "\(page)")
        }
    }

    @Test(arguments: TestEngine.available)
    func aRecordsHistoryReadsItsStepsInOrderThroughTheRecordIndex(engine: TestEngine) async throws {
        try await withSample(engine, fieldwork: true) { store, sample in
            try await appendHistory(stepsPerFinding: 3, to: store)
            let paper = try #require(try await store.findings(FindingQuery(), for: sample.office).items.first)

            let history = try await plans(store) { _ = try await store.history(FindingLifecycle.self, of: paper.id, for: sample.office) }

            #expect(history.reads("record_steps", through: "record_steps_record"), "\(history)")
            #expect(!history.sorts("record_steps"), "the index gives the steps in their order: \(history)")
            #expect(history.fullScans.isEmpty, "\(history)")
        }
    }

    @Test(arguments: TestEngine.available)
    func aCountyOfficesWorkCentreReadsEveryChainThroughItsCommitteesIndexes(engine: TestEngine) async throws {
        try await withSample(engine, fieldwork: true, rectification: true) { store, sample in
            let count = try await plans(store) { _ = try await store.waitingCount(for: sample.office, atMost: 100) }
            let page = try await plans(store) { _ = try await store.workCentre(.waiting, for: sample.office) }
            let overdue = try await plans(store) { _ = try await store.workCentre(.overdue, for: sample.office) }

            #expect(count.reads("findings", throughAnyOf: ["findings_jurisdiction_disposition"]), "untriaged papers are one range: \(count)")
            // The records' tables and what names them; feedback itself is a few rows per committee here,
            // which PostgreSQL rightly reads whole.
            for plan in [count, page, overdue] { #expect(plan.fullScans.filter { $0.table != "feedbacks" }.isEmpty, "\(plan)") }
        }
    }

    @Test(arguments: TestEngine.available)
    func theTaskLedgerAndItsOverdueFilterReadInDeadlineOrderThroughTheDeadlineIndex(engine: TestEngine) async throws {
        try await withSample(engine, fieldwork: true, rectification: true) { store, sample in
            let page = try await plans(store) { _ = try await store.rectificationTasks(for: sample.office) }
            let overdue = try await plans(store) { _ = try await store.rectificationTasks(TaskFilter(warning: .red), for: sample.office) }

            #expect(page.reads("rectification_tasks", through: "rectification_tasks_deadline"), "\(page)")
            #expect(overdue.reads("rectification_tasks", through: "rectification_tasks_deadline"), "\(overdue)")
            for plan in [page, overdue] { #expect(plan.fullScans.isEmpty, "\(plan)") }
        }
    }

    @Test(arguments: TestEngine.available)
    func theAuditLogPageReadsNewestFirstThroughTheSequenceKeyOrTheActionIndex(engine: TestEngine) async throws {
        try await withSample(engine, auditEntries: 20_000) { store, sample in
            let auditor = RequestOrigin(actor: sample.actor(.auditAdministrator, at: sample.root))
            let page = try await plans(store) { _ = try await store.auditEntries(AuditQuery(), origin: auditor) }
            let byAction = try await plans(store) {
                _ = try await store.auditEntries(AuditQuery(action: AuditAction.unitCreated.rawValue), origin: auditor)
            }

            let primaryKey = engine == .sqlite ? "sqlite_autoindex_audit_entries_1" : "audit_entries_pkey"
            #expect(page.reads("audit_entries", through: primaryKey), "\(page)")
            #expect(byAction.reads("audit_entries", through: "audit_entries_action_seq"), "\(byAction)")
            for plan in [page, byAction] { #expect(plan.fullScans.isEmpty, "\(plan)") }
        }
    }

    @Test(arguments: TestEngine.available)
    func aCountysStatisticsCountFromTheStatisticsIndexesWithoutVisitingATableRow(engine: TestEngine) async throws {
        try await withSample(engine, .dashboards, fieldwork: true, rectification: true) { store, sample in
            let year = StatisticsFilter(from: try CalendarDay(text: "2026-01-01", field: "from", label: "起"), to: try CalendarDay(text: "2026-12-31", field: "to", label: "止"))
            let whole = try await plans(store) { _ = try await store.statistics(for: sample.office) }
            let ofTheYear = try await plans(store) { _ = try await store.statistics(year, for: sample.office) }

            // The papers, their classification, the leads, the tasks and the 立行立改 come from the committee's counters, by
            // their keys (SQLite keeps them WITHOUT ROWID: the primary key is the table).
            func key(_ table: String) -> String { engine == .sqlite ? "primary key" : table + "_pkey" }
            for plan in [whole, ofTheYear] {
                #expect(plan.reads("assignments", through: "assignments_statistics"), "\(plan)")
                for counters in ["finding_committee_counts", "finding_tag_committee_counts", "lead_committee_counts", "task_committee_counts", "immediate_committee_counts"] {
                    #expect(plan.reads(counters, through: key(counters)), "\(plan)")
                }
                #expect(
                    !plan.statements.contains { $0.steps.contains { ["findings", "finding_tags", "leads", "rectification_tasks", "rectification_plans", "immediate_rectifications"].contains($0.table) } },
                    "\(plan)")
                #expect(plan.reads("rule_improvements", through: "rule_improvements_adopted"), "\(plan)")
                #expect(plan.rowVisits(of: countedTables).isEmpty, "every figure is counted in an index alone: \(plan)")
                #expect(plan.fullScans.isEmpty, "\(plan)")
            }
            // The breakdown that lists the units with nothing to count reads the county's units through its index.
            let byUnit = try await plans(store) { _ = try await store.statisticsBreakdown(.unit, filter: year, zeros: true, for: sample.office) }
            // Either index led by the committee serves (SQLite takes the name index, PostgreSQL may cover it with the type-and-name one).
            #expect(byUnit.reads("units", through: "units_jurisdiction_name") || byUnit.reads("units", through: "units_jurisdiction_type_name"), "\(byUnit)")
            #expect(byUnit.fullScans.isEmpty, "\(byUnit)")
        }
    }

    @Test(arguments: TestEngine.available)
    func aCountysCrossTableReadsItsCountersOrItsRecordsThroughTheCommitteesIndexes(engine: TestEngine) async throws {
        try await withSample(engine, .dashboards, fieldwork: true, rectification: true) { store, sample in
            let byCategory = try CrosstabRequest(of: "findings", rows: "category", columns: "status", family: nil)
            let byForm = try CrosstabRequest(of: "findings", rows: "unit", columns: "form", family: nil)
            let tasks = try CrosstabRequest(of: "tasks", rows: "category", columns: "status", family: nil)
            // The papers' tables come from the counters the database keeps, by their keys.
            let countedCategories = try await plans(store) { _ = try await store.crosstab(byCategory, for: sample.office) }
            let countedForms = try await plans(store) { _ = try await store.crosstab(byForm, for: sample.office) }
            // SQLite keeps them WITHOUT ROWID: the primary key is the table.
            let (paperKey, tagKey) = engine == .sqlite ? ("primary key", "primary key") : ("finding_counts_pkey", "finding_tag_counts_pkey")
            #expect(countedCategories.reads("finding_counts", through: paperKey), "\(countedCategories)")
            #expect(countedCategories.reads("finding_tag_counts", through: tagKey), "\(countedCategories)")
            #expect(countedForms.reads("finding_counts", through: paperKey), "\(countedForms)")
            for plan in [countedCategories, countedForms] {
                #expect(!plan.statements.contains { $0.steps.contains { $0.table == "findings" || $0.table == "finding_tags" } }, "\(plan)")
                #expect(plan.fullScans.isEmpty, "\(plan)")
            }

            // A period that is not whole months reads the records, one query.
            let partial = StatisticsFilter(from: CalendarDay(year: 2026, month: 3, day: 15))
            let categories = try await plans(store) { _ = try await store.crosstab(byCategory, filter: partial, for: sample.office) }
            let forms = try await plans(store) { _ = try await store.crosstab(byForm, filter: partial, for: sample.office) }
            let taskCategories = try await plans(store) { _ = try await store.crosstab(tasks, for: sample.office) }

            let committeesFindings = ["findings_jurisdiction", "findings_statistics", "findings_jurisdiction_status_unit", "findings_jurisdiction_disposition"]
            for plan in [categories, forms] { #expect(plan.reads("findings", throughAnyOf: committeesFindings), "\(plan)") }
            let paperTagKey = engine == .sqlite ? "sqlite_autoindex_finding_tags_1" : "finding_tags_pkey"
            #expect(categories.reads("finding_tags", throughAnyOf: [paperTagKey, "finding_tags_entry"]), "\(categories)")
            #expect(taskCategories.reads("rectification_tasks", throughAnyOf: ["rectification_tasks_statistics", "rectification_tasks_deadline", "rectification_tasks_unit"]), "\(taskCategories)")
            for plan in [categories, forms, taskCategories] { #expect(plan.fullScans.isEmpty, "\(plan)") }
        }
    }

    @Test(arguments: TestEngine.available)
    func aCountysStatisticsAsOfAPastDayCountFromTheSameCoveringIndexes(engine: TestEngine) async throws {
        try await withSample(engine, .groups, fieldwork: true, rectification: true) { store, sample in
            // The year-end report read as of a past day: every figure, the cross tables and the year-end
            // counts, from the covering indexes that serve today's figures.
            let year = StatisticsFilter(from: CalendarDay(year: 2026, month: 1, day: 1), to: CalendarDay(year: 2026, month: 12, day: 31), asOf: pastDay)
            let plan = try await plans(store) { _ = try await store.statistics(year, for: sample.office) }

            #expect(plan.reads("findings", through: "findings_statistics"), "\(plan)")
            #expect(plan.reads("leads", through: "leads_statistics"), "\(plan)")
            #expect(plan.reads("rectification_tasks", through: "rectification_tasks_statistics"), "\(plan)")
            #expect(plan.reads("immediate_rectifications", through: "immediate_rectifications_statistics"), "\(plan)")
            #expect(plan.rowVisits(of: countedTables).isEmpty, "every figure as of the day is counted in an index alone: \(plan)")
            #expect(plan.wholeReads.isEmpty, "\(plan)")
        }
    }

    @Test(arguments: TestEngine.available)
    func aPastDaysTaskLedgerProblemListAndOverdueCountsReadTheCommitteesTasksThroughItsIndexes(engine: TestEngine) async throws {
        try await withSample(engine, .groups, fieldwork: true, rectification: true) { store, sample in
            let page = try await plans(store) { _ = try await store.rectificationTasks(TaskFilter(asOf: pastDay), for: sample.office) }
            let overdue = try await plans(store) { _ = try await store.rectificationTasks(TaskFilter(warning: .red, asOf: pastDay), for: sample.office) }
            let problems = try await plans(store) { _ = try await store.problemLedger(today: pastDay, for: sample.office) }
            let byUnit = try await plans(store) { _ = try await store.overdueCounts(byPerson: false, today: pastDay, for: sample.office) }
            let byPerson = try await plans(store) { _ = try await store.overdueCounts(byPerson: true, today: pastDay, for: sample.office) }

            // The lists read the committee's tasks in deadline order; whether a task's plan was
            // approved by the day is asked of that one plan, never of every plan in the country.
            for plan in [page, overdue] {
                #expect(plan.reads("rectification_tasks", through: "rectification_tasks_deadline"), "\(plan)")
                #expect(!plan.sorts("rectification_tasks"), "the index gives the tasks in deadline order: \(plan)")
            }
            let planKey = engine == .sqlite ? "sqlite_autoindex_rectification_plans_1" : "rectification_plans_pkey"
            for plan in [page, overdue, byUnit, byPerson] {
                #expect(
                    plan.reads("rectification_plans", through: "rectification_plans_status") || plan.reads("rectification_plans", through: planKey), "\(plan)")
            }
            #expect(problems.reads("feedbacks", through: "feedbacks_jurisdiction"), "\(problems)")
            #expect(problems.reads("rectification_tasks", through: "rectification_tasks_problem"), "\(problems)")
            // Counted by unit, the committee's tasks may come in deadline order or unit by unit.
            for plan in [byUnit, byPerson] {
                #expect(plan.reads("rectification_tasks", throughAnyOf: ["rectification_tasks_deadline", "rectification_tasks_unit"]), "\(plan)")
            }
            for plan in [page, overdue, problems, byUnit, byPerson] { #expect(plan.wholeReads.isEmpty, "\(plan)") }
        }
    }

    @Test(arguments: TestEngine.available)
    func theCustodiansOverdueLeadsAsOfAPastDayReadNewestFirstThroughTheJurisdictionIndex(engine: TestEngine) async throws {
        try await withSample(engine, fieldwork: true) { store, sample in
            let custodian = RequestOrigin(actor: sample.actor(.leadCustodian))
            let page = try await plans(store) { _ = try await store.leads(LeadQuery(overdueOnly: true, asOf: pastDay), origin: custodian) }

            #expect(page.reads("leads", throughAnyOf: committeesLeads), "\(page)")
            // SQLite walks the committee's leads newest first; PostgreSQL may instead gather the few overdue
            // ones from the statistics index (which carries every column the filter asks) and sort those.
            if engine == .sqlite { #expect(!page.sorts("leads"), "the index gives the leads newest first: \(page)") }
            #expect(page.wholeReads.isEmpty, "\(page)")
        }
    }

    @Test(arguments: TestEngine.available)
    func aCountysStandingGroupsTheirBreakdownAndTheFiguresOfOneReadThroughTheCommitteesIndexes(engine: TestEngine) async throws {
        try await withSample(engine, .groups, fieldwork: true, rectification: true) { store, sample in
            let standing = try #require(sample.standingGroup)
            let year = StatisticsFilter(from: CalendarDay(year: 2026, month: 1, day: 1), to: CalendarDay(year: 2026, month: 12, day: 31), asOf: pastDay)
            var ofOne = year
            ofOne.standingGroupID = standing
            let list = try await plans(store) { _ = try await store.standingGroups(for: sample.office) }
            let byGroup = try await plans(store) { _ = try await store.statisticsBreakdown(.group, filter: year, zeros: true, for: sample.office) }
            let figures = try await plans(store) { _ = try await store.statistics(ofOne, for: sample.office) }

            #expect(list.reads("standing_groups", through: "standing_groups_name"), "\(list)")
            #expect(list.reads("inspection_groups", through: "inspection_groups_standing"), "\(list)")
            // The breakdown counts the committee's rows through an index led by the committee (the
            // statistics' covering ones carry no group, so a row is read for it) and finds each row's
            // standing group by its round group's key; assignments may be reached from the groups.
            #expect(byGroup.reads("findings", through: "findings_statistics"), "\(byGroup)")
            #expect(byGroup.reads("leads", throughAnyOf: committeesLeads), "\(byGroup)")
            #expect(byGroup.reads("rectification_tasks", throughAnyOf: ["rectification_tasks_statistics", "rectification_tasks_deadline"]), "\(byGroup)")
            #expect(byGroup.reads("assignments", throughAnyOf: ["assignments_statistics", "assignments_group_batch"]), "\(byGroup)")
            #expect(byGroup.reads("standing_groups", through: "standing_groups_name"), "the groups with nothing to count: \(byGroup)")
            // One standing group's figures: its round groups through their index, the committee's rows through theirs.
            #expect(figures.reads("inspection_groups", through: "inspection_groups_standing"), "\(figures)")
            #expect(figures.reads("findings", through: "findings_statistics"), "\(figures)")
            #expect(figures.reads("leads", throughAnyOf: committeesLeads), "\(figures)")
            #expect(figures.reads("assignments", throughAnyOf: ["assignments_statistics", "assignments_group_batch"]), "\(figures)")
            // On PostgreSQL the sample's 2,000 round groups are cheaper to hash whole than to look up
            // row by row; with a country's groups the planner takes their key, so only that small
            // register may be read whole here.
            for plan in [list, byGroup, figures] {
                #expect(plan.wholeReads.filter { engine == .sqlite || $0.table != "inspection_groups" }.isEmpty, "\(plan)")
            }
        }
    }
}

/// The indexes of leads led by the committee and the moment of registration, either of which serves a count that needs a lead's group.
private let committeesLeads = ["leads_statistics", "leads_jurisdiction"]

/// A past day for the as-of reads: the sample's work spreads over the year before the test clock's day (2026-12-23).
private let pastDay = CalendarDay(year: 2026, month: 9, day: 30)

// MARK: - The sample

/// A national register in miniature, in one of three shapes, because the planners weigh two
/// different things. A page stops after 26 rows, so it pays to read it in index order when a
/// county holds many rows (the benchmark's counties hold about 1,000 of each); an aggregate reads
/// every row of one county, so it pays to reach them through an index when the county is a small
/// share of the table (the benchmark's is one in 1,000).
private enum SampleShape {
    /// 8 counties of 1,000 units, papers and tasks each.
    case pages
    /// 200 counties of 40 units, papers and tasks each, six assignments per county.
    case dashboards
    /// 200 counties of 40 units, papers and tasks each, ten groups (standing groups) of three
    /// assignments per county: 2,000 groups and 6,000 plans, enough that either planner indexes them.
    case groups

    var counties: Int { self == .pages ? 8 : 200 }
    var groupsPerCounty: Int { self == .dashboards ? 2 : 10 }
}

private struct PlanSample {
    var root: SyntheticTree.Committee
    var county: SyntheticTree.Committee
    /// One of the county's standing groups, with fieldwork.
    var standingGroup: UUID?

    var office: Actor { actor(.officeStaff) }

    func actor(_ role: Role, at committee: SyntheticTree.Committee? = nil) -> Actor {
        let committee = committee ?? county
        return Actor(kind: .account(UUID()), name: "plan", jurisdictionID: committee.id, jurisdictionPath: committee.path, roles: [role], unitID: nil)
    }
}

/// 8,000 units, and with `fieldwork` 8,000 approved papers (a fifth of them leads), with
/// `rectification` 8,000 tasks, spread over the counties of `shape`; the planners' statistics
/// refreshed after each load, as the generators do.
private func withSample(
    _ engine: TestEngine, _ shape: SampleShape = .pages, fieldwork: Bool = false, rectification: Bool = false, auditEntries: Int = 0,
    _ body: (Store, PlanSample) async throws -> Void
) async throws {
    try await withTestStore(engine) { store in
        let counties = try await store.generateSyntheticRegister(jurisdictions: shape.counties, units: 8_000)
        if fieldwork { _ = try await store.generateSyntheticFieldwork(counties: counties, groupsPerCounty: shape.groupsPerCounty, findings: 8_000) }
        if rectification { _ = try await store.generateSyntheticRectification(counties: counties, tasks: 8_000) }
        if auditEntries > 0 { try await appendAuditEntries(auditEntries, over: counties, to: store) }
        if engine == .postgres { try await settleVisibility(of: store) }
        let tree = try await store.existingSyntheticTree()
        let county = tree.counties[0]
        let standing = try await store.database.read { db in
            try await db.raw("SELECT id FROM standing_groups WHERE jurisdiction_id = \(bind: county.id.text) ORDER BY name LIMIT 1").first()?.uuid("id")
        }
        try await body(store, PlanSample(root: tree.root, county: county, standingGroup: standing))
    }
}

/// PostgreSQL marks a page all-visible only once no running transaction might still not see its
/// rows, and backends starting up for any database count: under a whole test run, other tests'
/// new connections held that horizon back, VACUUM left fresh pages unmarked, and the planner
/// priced index-only scans dearer than on a settled database (a sequential scan of a small table
/// then won, in one run out of a few). VACUUM again, as autovacuum would in time, until every
/// page is marked or ten seconds have passed.
private func settleVisibility(of store: Store) async throws {
    for _ in 0..<100 {
        let unsettled = try await store.database.read { db in
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM pg_class
                WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relpages > 0 AND relallvisible < relpages
                """
            ).first()!.decode(column: "n", as: Int.self)
        }
        if unsettled == 0 { return }
        try await Task.sleep(for: .milliseconds(100))
        try await store.database.read { db in try await db.raw("VACUUM").run() }
    }
}

/// Bulk audit rows spread over the counties, every tenth a unit's creation: only their shape
/// matters to the planner, so they are not chained (no test here verifies the chain).
private func appendAuditEntries(_ count: Int, over counties: [UUID], to store: Store) async throws {
    let perCounty = count / counties.count
    try await store.database.transaction { db in
        let head = try await db.raw("SELECT seq FROM audit_head WHERE id = 1").first()!.decode(column: "seq", as: Int64.self)
        for (offset, county) in counties.enumerated() {
            let first = head + Int64(offset * perCounty)
            try await db.raw(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(literal: perCounty))
                INSERT INTO audit_entries (seq, at, jurisdiction_id, actor_id, actor_name, client_address, action, target_type, target_id, detail,
                    before_digest, after_digest, prev_hash, hash)
                SELECT \(literal: first) + i, \(literal: first) + i, \(bind: county.text), NULL, 'plan', NULL,
                    CASE WHEN i % 10 = 0 THEN 'unit.create' ELSE 'unit.update' END, 'unit', NULL, NULL, NULL, NULL, '-', '-' FROM n
                """
            ).run()
        }
        try await db.raw("UPDATE audit_head SET seq = \(bind: head + Int64(perCounty * counties.count)) WHERE id = 1").run()
    }
    try await store.database.refreshPlannerStatistics(full: true)
}

/// Every paper's history in record_steps, `stepsPerFinding` rows each (24,000 over the sample's
/// 8,000 papers), as the step writer leaves them; only their shape matters to the planner.
private func appendHistory(stepsPerFinding: Int, to store: Store) async throws {
    try await store.database.transaction { db in
        try await db.raw(
            """
            WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < \(literal: stepsPerFinding))
            INSERT INTO record_steps (jurisdiction_id, id, chain, record_id, step, from_status, to_status, note, actor_name, at)
            SELECT f.jurisdiction_id, f.id || '-' || CAST(n.k AS TEXT), 'finding', f.id, 'submit', 'draft', 'submitted', NULL, 'plan', f.created_at + n.k
            FROM findings f CROSS JOIN n
            """
        ).run()
    }
    try await store.database.refreshPlannerStatistics(full: true)
}

// MARK: - Plans

/// The tables the hot pages and figures read that grow with the country; a plan that reads one
/// of them whole, without an index, is what these tests exist to catch.
private let growingTables: Set<String> = [
    "units", "findings", "finding_tags", "leads", "assignments", "feedbacks", "feedback_problems", "rectification_plans", "rectification_tasks",
    "rule_improvements", "audit_entries", "record_steps", "finding_counts", "finding_tag_counts",
]

/// Tables that grow with the country too, small in the older samples (where PostgreSQL rightly
/// reads them whole): the newer tests check them with `wholeReads` on samples large enough.
private let growingToo: Set<String> = ["immediate_rectifications", "standing_groups", "inspection_groups"]

/// The tables the statistics count, each read through a covering index (migrations 18, 23, 26, 30).
private let countedTables: Set<String> = [
    "units", "assignments", "findings", "leads", "rectification_tasks", "rectification_plans", "rule_improvements", "immediate_rectifications",
]

/// Where one plan step reads: a table, through an index or not at all, and whether the index
/// alone answers (SQLite's `COVERING INDEX`, PostgreSQL's `Index Only Scan`).
private struct PlanStep: CustomStringConvertible {
    var table: String
    var index: String?
    var covering = false
    /// Reads the table or index whole, from its first entry to its last (SQLite's `SCAN`, PostgreSQL's `Seq Scan`).
    var whole = false
    var description: String
}

/// The plans of every SELECT a store call sent.
private struct Plans: CustomStringConvertible {
    /// Each SELECT, where it reads, and whether it sorts its rows itself rather than reading them
    /// in an index's order (SQLite's `USE TEMP B-TREE FOR ORDER BY`, PostgreSQL's `Sort`).
    var statements: [(sql: String, steps: [PlanStep], sorts: Bool)]

    /// Whether some statement reads `table` through `index`.
    func reads(_ table: String, through index: String) -> Bool {
        statements.contains { $0.steps.contains { $0.table == table && $0.index == index } }
    }

    /// Whether some statement reads `table` through one of `indexes`.
    func reads(_ table: String, throughAnyOf indexes: [String]) -> Bool {
        indexes.contains { reads(table, through: $0) }
    }

    /// Whether a statement that reads `table` sorts its rows itself.
    func sorts(_ table: String) -> Bool {
        statements.contains { $0.sorts && $0.steps.contains { $0.table == table } }
    }

    /// Steps that read rows of these tables, not only an index.
    func rowVisits(of tables: Set<String>) -> [PlanStep] {
        statements.flatMap(\.steps).filter { tables.contains($0.table) && !$0.covering }
    }

    /// Steps that read a growing table whole, without an index.
    var fullScans: [PlanStep] {
        statements.flatMap(\.steps).filter { $0.index == nil && growingTables.contains($0.table) }
    }

    /// Steps that read a growing table whole, or one of its indexes whole (SQLite's `SCAN … USING
    /// INDEX`, which an `IN (SELECT …)` over the whole country asks for): the same cost in rows.
    var wholeReads: [PlanStep] {
        statements.flatMap(\.steps).filter { ($0.index == nil || $0.whole) && (growingTables.contains($0.table) || growingToo.contains($0.table)) }
    }

    var description: String {
        statements.map { "\n\($0.sql)\n" + $0.steps.map { "  → \($0)" }.joined(separator: "\n") }.joined(separator: "\n")
    }
}

/// Runs `call`, then asks the engine how it plans each SELECT the call sent.
private func plans(_ store: Store, _ call: () async throws -> Void) async throws -> Plans {
    let statements = try await store.database.recordingStatements(call).filter {
        let head = $0.sql.drop { $0.isWhitespace }.prefix(6).uppercased()
        return head == "SELECT" || head.hasPrefix("WITH")
    }
    var explained: [(sql: String, steps: [PlanStep], sorts: Bool)] = []
    for statement in statements {
        let lines = try await planLines(of: statement, on: store.database)
        let steps = store.database.engine == .sqlite ? sqliteSteps(lines, aliases: aliases(in: statement.sql)) : postgresSteps(lines)
        explained.append((statement.sql, steps, lines.contains { $0.contains("USE TEMP B-TREE FOR ORDER BY") || $0.contains("Sort  (") }))
    }
    return Plans(statements: explained)
}

/// The engine's plan of a statement, a line a step.
private func planLines(of statement: RecordedStatement, on database: Database) async throws -> [String] {
    let engine = database.engine
    let explain: SQLQueryString = engine == .sqlite ? "EXPLAIN QUERY PLAN \(statement)" : "EXPLAIN \(statement)"
    return try await database.read { db in
        // EXPLAIN alone does not notice a schema changed by another connection; reading the
        // schema first does, so the plan is that of the schema as it now is.
        if engine == .sqlite { _ = try await db.raw("SELECT COUNT(*) AS n FROM sqlite_schema").first() }
        return try await db.raw(explain).all().map { try $0.decode(column: engine == .sqlite ? "detail" : "QUERY PLAN", as: String.self) }
    }
}

/// `FROM findings f JOIN units u …` → ["f": "findings", "u": "units", "findings": "findings", …].
private func aliases(in sql: String) -> [String: String] {
    let keywords: Set<String> = ["WHERE", "JOIN", "ON", "LEFT", "INNER", "ORDER", "GROUP", "LIMIT", "AND", "OR", "AS", "USING", "CROSS"]
    var map: [String: String] = [:]
    let words = sql.split(whereSeparator: { $0.isWhitespace || $0 == "(" || $0 == ")" || $0 == "," }).map(String.init)
    for (i, word) in words.enumerated() where (word == "FROM" || word == "JOIN") && i + 1 < words.count {
        let table = words[i + 1]
        guard table.allSatisfy({ $0.isLetter || $0 == "_" }), table.first?.isLowercase == true else { continue }
        map[table] = table
        var next = i + 2
        if next < words.count, words[next] == "AS" { next += 1 }
        if next < words.count, !keywords.contains(words[next]), words[next].allSatisfy({ $0.isLetter || $0 == "_" }) {
            map[words[next]] = table
        }
    }
    return map
}

/// SQLite: `SEARCH f USING COVERING INDEX findings_statistics (…)`, `SCAN units`,
/// `SEARCH u USING INTEGER PRIMARY KEY (rowid=?)`.
private func sqliteSteps(_ lines: [String], aliases: [String: String]) -> [PlanStep] {
    lines.compactMap { line in
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 2, words[0] == "SCAN" || words[0] == "SEARCH" else { return nil }
        let table = aliases[words[1]] ?? words[1]
        var index: String?
        if let using = words.firstIndex(of: "INDEX"), using + 1 < words.count {
            index = words[using + 1]
        } else if line.contains("PRIMARY KEY") {
            index = "primary key"
        }
        return PlanStep(table: table, index: index, covering: line.contains("COVERING INDEX"), whole: words[0] == "SCAN", description: line)
    }
}

/// PostgreSQL: `Index Only Scan using findings_statistics on findings f`, `Seq Scan on units`,
/// `Bitmap Heap Scan on findings f` with its `Bitmap Index Scan on findings_statistics` below.
private func postgresSteps(_ lines: [String]) -> [PlanStep] {
    var steps: [PlanStep] = []
    var pendingBitmapIndexes: [String] = []
    for line in lines.reversed() {
        let text = line.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "->  ", with: "")
        let words = text.split(separator: " ").map(String.init)
        if let scan = words.firstIndex(of: "Scan"), let on = words.firstIndex(of: "on"), on + 1 < words.count, on > scan {
            let table = words[on + 1]
            if text.hasPrefix("Bitmap Index Scan") {
                pendingBitmapIndexes.append(table)
            } else if text.hasPrefix("Bitmap Heap Scan") {
                for index in pendingBitmapIndexes { steps.append(PlanStep(table: table, index: index, description: text + " ← Bitmap Index Scan on " + index)) }
                pendingBitmapIndexes = []
            } else if let using = words.firstIndex(of: "using"), using + 1 < words.count, using < on {
                steps.append(PlanStep(table: table, index: words[using + 1], covering: text.hasPrefix("Index Only Scan"), description: text))
            } else if text.hasPrefix("Seq Scan") || text.hasPrefix("Parallel Seq Scan") {
                steps.append(PlanStep(table: table, index: nil, whole: true, description: text))
            }
        }
    }
    return steps.reversed()
}
