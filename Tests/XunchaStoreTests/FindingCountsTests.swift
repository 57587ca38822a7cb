import Foundation
import SQLKit
import Testing
import XunchaCore
import XunchaTesting

@testable import XunchaStore

/// The counters the database keeps of the papers (`finding_counts`, `finding_tag_counts`) always
/// equal a recount of the papers and their tags, and a cross table read from them equals one read
/// from the records, whatever the reader and the filter.
@Suite("底稿计数 finding counts")
struct FindingCountsTests {
    /// A counter's key and count, as text, for comparing sets of rows.
    typealias Counts = [String: Int]

    /// The month a moment falls in, in Asia/Shanghai, as yyyymm — computed here with Foundation's
    /// calendar, apart from the engines' date functions the triggers use.
    static func month(_ millis: Int64) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let parts = calendar.dateComponents([.year, .month], from: Date(epochMilliseconds: millis))
        return parts.year! * 100 + parts.month!
    }

    /// The two pairs of counters, each with its key computed in Swift from a paper's row, in the
    /// key's column order.
    static let kept: [(counters: PaperCounters, key: @Sendable (any SQLRow) throws -> [String])] = [
        (FindingCountsSQL.byAssignment, { row in
            try ["jurisdiction_id", "assignment_id", "unit_id", "round_id", "group_id"].map { try row.string($0) }
                + [String(month(try row.int64("created_at"))), try row.string("status"), try row.string("disposition")]
        }),
        (FindingCountsSQL.byCommittee, { row in
            [try row.string("jurisdiction_id"), try row.string("status"), String(try row.optionalInt("approved_at").map { month(Int64($0)) } ?? 0), try row.string("disposition")]
        }),
    ]

    /// What a pair of counters holds, zeros left out, keyed as `recount` keys.
    static func counters(_ counters: PaperCounters, _ store: Store) async throws -> (papers: Counts, tags: Counts) {
        let columns = counters.key.components(separatedBy: ", ")
        let key: @Sendable (any SQLRow) throws -> String = { row in
            try columns.map { $0 == "month" ? String(try row.int("month")) : try row.string($0) }.joined(separator: "|")
        }
        return try await store.database.read { db in
            var papers: Counts = [:]
            for row in try await db.raw("SELECT \(unsafeRaw: counters.key), n FROM \(unsafeRaw: counters.papers) WHERE n <> 0").all() {
                papers[try key(row)] = try row.int("n")
            }
            var tags: Counts = [:]
            for row in try await db.raw("SELECT \(unsafeRaw: counters.key), scheme_id, entry_code, n FROM \(unsafeRaw: counters.tags) WHERE n <> 0").all() {
                tags[try key(row) + "|" + (try row.string("scheme_id")) + "|" + (try row.string("entry_code"))] = try row.int("n")
            }
            return (papers, tags)
        }
    }

    /// The papers and tags counted one by one in Swift, each paper under `key`.
    static func recount(_ key: @escaping @Sendable (any SQLRow) throws -> [String], _ store: Store) async throws -> (papers: Counts, tags: Counts) {
        try await store.database.read { db in
            var keys: [String: String] = [:]
            var papers: Counts = [:]
            for row in try await db.raw(
                """
                SELECT id, jurisdiction_id, assignment_id, unit_id, round_id, group_id, created_at, approved_at, status, COALESCE(disposition, '') AS disposition
                FROM findings
                """
            ).all() {
                let paper = try key(row).joined(separator: "|")
                keys[try row.string("id")] = paper
                papers[paper, default: 0] += 1
            }
            var tags: Counts = [:]
            var schemes: Set<String> = []
            for row in try await db.raw("SELECT finding_id, scheme_id, entry_code FROM finding_tags").all() {
                let paper = try row.string("finding_id"), scheme = try row.string("scheme_id")
                let key = keys[paper]! + "|" + scheme
                tags[key + "|" + (try row.string("entry_code")), default: 0] += 1
                if schemes.insert(paper + "|" + scheme).inserted { tags[key + "|", default: 0] += 1 }
            }
            return (papers, tags)
        }
    }

    /// Every pair of counters equals its recount.
    static func expectCountersEqualARecount(_ store: Store, _ moment: String) async throws {
        for (counters, key) in kept {
            let (counted, recounted) = (try await Self.counters(counters, store), try await Self.recount(key, store))
            #expect(!counted.papers.isEmpty && !counted.tags.isEmpty, "\(counters.papers) \(moment)")
            #expect(counted.papers == recounted.papers, "\(counters.papers) \(moment)")
            #expect(counted.tags == recounted.tags, "\(counters.tags) \(moment)")
        }
    }

    @Test(arguments: TestEngine.available)
    func theCountersAlwaysEqualARecountOfThePapersAndTheirTags(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            // A year's papers: drafted, submitted, approved, triaged every way, tagged in two families.
            let y = try await CrosstabStoreTests.year(store)
            try await Self.expectCountersEqualARecount(store, "after a year")

            // Tags replaced on a draft: items dropped and added, a family emptied, one of two kept.
            let s = y.t.onSite
            let draft = try await store.draftFinding(
                in: s.finance.id, content: try Scenario.content("差旅费超标"),
                tags: Scenario.integrity + [ClassificationTag(scheme: "six_disciplines", version: 1, entry: "work"), ClassificationTag(scheme: "three_major", version: 1, entry: "leadership_weakened")],
                origin: s.member)
            let edited = try await store.editFinding(draft.id, content: try Scenario.content("差旅费超标"), tags: [ClassificationTag(scheme: "six_disciplines", version: 1, entry: "work")], version: draft.version, origin: s.member)
            try await Self.expectCountersEqualARecount(store, "after tags were replaced")

            // A paper moving through its chain moves its tags' counters with it.
            let submitted = try await store.take(FindingStep.submit, on: edited.id, note: nil, version: edited.version, origin: s.member)
            _ = try await store.take(FindingStep.returnForRevision, on: submitted.id, note: "补充证据", version: submitted.version, origin: s.f.origin(.groupLeader))
            try await Self.expectCountersEqualARecount(store, "after the paper was submitted and returned")

            // Approved and triaged again: its month of approval and its disposition move it.
            let approved = try await s.atEducation.triagedPaper(store, as: .deadline, content: try Scenario.content("专项资金拨付滞后"), tags: Scenario.integrity)
            _ = try await store.triage(approved.id, as: .dropped, note: "查无实据", version: approved.version, origin: s.atEducation.leader)
            try await Self.expectCountersEqualARecount(store, "after a paper was approved, triaged and triaged again")

            // A tag row is replaced, never updated: the database refuses an update that would miscount.
            let before = try await Self.counters(FindingCountsSQL.byAssignment, store).tags
            await #expect(throws: (any Error).self) {
                try await store.database.transaction { db in try await db.raw("UPDATE finding_tags SET entry_code = 'conduct' WHERE finding_id = \(bind: edited.id.text)").run() }
            }
            #expect(try await Self.counters(FindingCountsSQL.byAssignment, store).tags == before)
        }
    }

    @Test(arguments: TestEngine.available)
    func aCrossTableFromTheCountersEqualsOneFromThePapersForEveryReaderAndPeriod(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await CrosstabStoreTests.year(store)
            let today = CalendarDay(store.clock.now())
            let month = CalendarDay(year: today.year, month: today.month, day: 1)
            let periods: [(String, StatisticsFilter)] = [
                ("open", .init()),
                ("this year", .init(from: CalendarDay(year: today.year, month: 1, day: 1), to: CalendarDay(year: today.year, month: 12, day: 31))),
                ("this month", .init(from: month, to: month.adding(months: 1).adding(days: -1))),
                ("last month", .init(from: month.adding(months: -1), to: month.adding(days: -1))),
                ("from mid-month (read from the papers)", .init(from: today.adding(days: -3))),
                ("the city rolled up", .init(rollUp: true)),
                ("one unit", .init(unitID: y.t.onSite.finance.unitID)),
            ]
            let readers = [y.f.actor(.officeStaff), y.f.actor(.groupMember), y.f.actor(.groupLeader)]
            for reader in readers {
                for (name, filter) in periods {
                    for (rows, columns) in [("category", "disposition"), ("disposition", "category"), ("status", "unit"), ("form", "category"), ("unit", "disposition")] {
                        for family in [nil, "three_major"] {
                            let request = try CrosstabRequest(of: "findings", rows: rows, columns: columns, family: family)
                            let counted = try await store.crosstab(request, filter: filter, for: reader, fromCounters: true)
                            let read = try await store.crosstab(request, filter: filter, for: reader, fromCounters: false)
                            #expect(counted == read, "\(reader.displayName): \(name), \(rows) × \(columns), \(family ?? "six_disciplines")")
                        }
                    }
                }
            }
            // The table is read from the counters: one changed by hand shows in it, not in the papers'.
            let office = y.f.actor(.officeStaff)
            let request = try CrosstabRequest(of: "findings", rows: "status", columns: "unit", family: nil)
            let before = try await store.crosstab(request, for: office)
            try await store.database.transaction { db in try await db.raw("UPDATE finding_counts SET n = n + 1 WHERE status = 'draft'").run() }
            #expect(try await store.crosstab(request, for: office) != before)
            #expect(try await store.crosstab(request, filter: .init(), for: office, fromCounters: false) == before)
        }
    }

    @Test(arguments: TestEngine.available)
    func theStatisticsFromTheCommitteesCountersEqualThoseFromThePapersForEveryReaderAndFilter(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStore(engine, clock: clock) { store in
            let y = try await CrosstabStoreTests.year(store)
            // One more paper triaged twice, and one of last month, so that months and dispositions differ.
            let s = y.t.onSite
            let twice = try await s.atEducation.triagedPaper(store, as: .deadline, content: try Scenario.content("专项资金拨付滞后"), tags: Scenario.integrity)
            _ = try await store.triage(twice.id, as: .immediate, note: nil, version: twice.version, origin: s.atEducation.leader)
            // The year's task closed by hand five days after its creation: read when that has happened.
            clock.advance(by: 15 * 86_400)
            let today = CalendarDay(store.clock.now())
            let month = CalendarDay(year: today.year, month: today.month, day: 1)
            try await store.database.transaction { db in
                let lastMonth = StatisticsFilter(from: month.adding(months: -1)).millisecondRange.start!
                try await db.raw("UPDATE findings SET approved_at = \(bind: lastMonth + 3_600_000) WHERE id = \(bind: twice.id.text)").run()
            }
            let filters: [(String, StatisticsFilter)] = [
                ("open", .init()),
                ("this year", .init(from: CalendarDay(year: today.year, month: 1, day: 1), to: CalendarDay(year: today.year, month: 12, day: 31))),
                ("this month", .init(from: month, to: month.adding(months: 1).adding(days: -1))),
                ("last month", .init(from: month.adding(months: -1), to: month.adding(days: -1))),
                ("from mid-month (read from the papers)", .init(from: today.adding(days: -3))),
                ("as of yesterday (read from the papers)", .init(asOf: today.adding(days: -1))),
                ("the city rolled up", .init(rollUp: true)),
                ("one unit (read from the papers)", .init(unitID: s.finance.unitID)),
            ]
            let readers = [Role.officeStaff, .leadingGroupMember, .groupMember, .groupLeader, .unitHead].map { y.f.actor($0) }
            for reader in readers {
                for (name, filter) in filters {
                    let counted = try await store.statistics(filter, today: nil, for: reader, fromCounters: true)
                    let read = try await store.statistics(filter, today: nil, for: reader, fromCounters: false)
                    #expect(counted == read, "\(reader.displayName): \(name)")
                }
            }
            // The figures are read from the counters: one changed by hand shows in them, not in the papers'.
            let office = y.f.actor(.officeStaff)
            let before = try await store.statistics(for: office)
            let figures = try #require(before.findings)
            #expect(figures.immediate > 0 && !figures.byClassification.isEmpty)
            try await store.database.transaction { db in
                try await db.raw("UPDATE finding_committee_counts SET n = n + 1 WHERE status = 'approved' AND disposition = 'immediate'").run()
                try await db.raw("UPDATE finding_tag_committee_counts SET n = n + 1 WHERE status = 'approved' AND entry_code = ''").run()
                try await db.raw("UPDATE lead_committee_counts SET n = n + 1 WHERE answered = 1").run()
                try await db.raw("UPDATE task_committee_counts SET n = n + 1 WHERE closed = 1").run()
                try await db.raw(
                    """
                    INSERT INTO immediate_committee_counts (jurisdiction_id, month, status, n) SELECT jurisdiction_id, month, 'closed', 1 FROM immediate_committee_counts
                    WHERE true GROUP BY jurisdiction_id, month ON CONFLICT (jurisdiction_id, month, status) DO UPDATE SET n = immediate_committee_counts.n + 1
                    """
                ).run()
            }
            let after = try await store.statistics(for: office)
            #expect(after.findings?.immediate ?? 0 > figures.immediate)
            #expect(after.leads?.answered ?? 0 > before.leads?.answered ?? 0)
            #expect(after.rectification?.closed ?? 0 > before.rectification?.closed ?? 0)
            #expect(after.findings?.immediateCompleted ?? 0 > figures.immediateCompleted)
            #expect(after.findings?.byClassification.map(\.family.count) != figures.byClassification.map(\.family.count))
            #expect(try await store.statistics(.init(), today: nil, for: office, fromCounters: false) == before)
        }
    }

    @Test func onlyWholeMonthsAreReadFromTheCounters() {
        let today = CalendarDay(year: 2026, month: 12, day: 7)
        func months(_ from: CalendarDay?, _ to: CalendarDay?) -> [Int?]? {
            CountedCrosstabSQL.months(from: from, to: to, today: today).map { [$0.first, $0.last] }
        }
        #expect(months(nil, nil) == [nil, 202612], "open: every month to today's")
        #expect(months(CalendarDay(year: 2026, month: 1, day: 1), CalendarDay(year: 2026, month: 12, day: 31)) == [202601, 202612], "the year, ending after today")
        #expect(months(CalendarDay(year: 2026, month: 2, day: 1), CalendarDay(year: 2026, month: 2, day: 28)) == [202602, 202602])
        #expect(months(CalendarDay(year: 2024, month: 2, day: 1), CalendarDay(year: 2024, month: 2, day: 29)) == [202402, 202402], "a leap February")
        #expect(months(nil, today) == [nil, 202612], "to today")
        #expect(months(CalendarDay(year: 2026, month: 3, day: 2), nil) == nil, "from inside a month")
        #expect(months(nil, CalendarDay(year: 2026, month: 3, day: 30)) == nil, "to inside a month")
        #expect(months(nil, CalendarDay(year: 2026, month: 12, day: 6)) == nil, "to yesterday")
    }
}
