import Foundation
import SQLKit
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 交叉统计: every cell is what counting the records one by one gives, within the reader's scope.
@Suite("交叉统计 store")
struct CrosstabStoreTests {
    /// The statistics' year, with a paper left as a draft and one submitted, so that the status has
    /// more than one value.
    static func year(_ store: Store) async throws -> StatisticsStoreTests.Year {
        let y = try await StatisticsStoreTests.year(store)
        let s = y.t.onSite
        _ = try await store.draftFinding(in: s.finance.id, content: try Scenario.content("会议费报销手续不全"), tags: Scenario.integrity, origin: s.member)
        let submitted = try await store.draftFinding(
            in: s.education.id, content: try Scenario.content("公务接待超标准"),
            tags: [ClassificationTag(scheme: "six_disciplines", version: 1, entry: "conduct"), ClassificationTag(scheme: "six_disciplines", version: 1, entry: "work")],
            origin: s.member)
        _ = try await store.take(FindingStep.submit, on: submitted.id, note: nil, version: submitted.version, origin: s.member)
        return y
    }

    /// One counted record: its value in each dimension (a category per item of 六项纪律, 未分类 when none).
    struct Record {
        var values: [CrosstabDimension: [String]]
    }

    /// The committee's papers and tasks read one row at a time, each given its values in Swift.
    static func records(_ of: CrosstabRecords, committee: UUID, store: Store) async throws -> [Record] {
        try await store.database.read { db in
            var tags: [String: [String]] = [:]
            for row in try await db.raw("SELECT finding_id, entry_code FROM finding_tags WHERE scheme_id = 'six_disciplines@1'").all() {
                tags[try row.decode(column: "finding_id", as: String.self), default: []].append(try row.decode(column: "entry_code", as: String.self))
            }
            func text(_ row: any SQLRow, _ column: String) throws -> String { try row.decode(column: column, as: String.self) }
            switch of {
            case .findings:
                return try await db.raw(
                    "SELECT f.id, f.status, f.disposition, f.unit_id, r.kind FROM findings f JOIN rounds r ON r.id = f.round_id WHERE f.jurisdiction_id = \(bind: committee.text)"
                ).all().map { row in
                    let status = try text(row, "status")
                    let disposition = try row.decode(column: "disposition", as: String?.self)
                    let shown = status != "approved" ? "unapproved" : disposition.map { $0 == "dropped" ? "not_recognised" : $0 } ?? "untriaged"
                    return Record(values: [
                        .status: [status], .disposition: [shown], .unit: [try text(row, "unit_id")], .form: [try text(row, "kind")],
                        .category: tags[try text(row, "id")] ?? ["none"],
                    ])
                }
            case .tasks:
                return try await db.raw(
                    """
                    SELECT t.status, t.unit_id, r.kind, fp.finding_id FROM rectification_tasks t JOIN rectification_plans p ON p.id = t.plan_id AND p.status = 'approved'
                    JOIN assignments a ON a.id = t.assignment_id JOIN rounds r ON r.id = a.round_id LEFT JOIN feedback_problems fp ON fp.id = t.problem_id
                    WHERE t.jurisdiction_id = \(bind: committee.text)
                    """
                ).all().map { row in
                    let paper = try row.decode(column: "finding_id", as: String?.self)
                    return Record(values: [
                        .status: [try text(row, "status")], .unit: [try text(row, "unit_id")], .form: [try text(row, "kind")],
                        .category: paper.flatMap { tags[$0] } ?? ["none"],
                    ])
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func everyCellIsTheCountOfItsRecordsOneByOne(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await Self.year(store)
            let office = y.f.actor(.officeStaff)
            for of in CrosstabRecords.allCases {
                let records = try await Self.records(of, committee: y.f.city.id, store: store)
                #expect(!records.isEmpty)
                for rows in of.dimensions {
                    for columns in of.dimensions where columns != rows {
                        let table = try await store.crosstab(try CrosstabRequest(of: of.rawValue, rows: rows.rawValue, columns: columns.rawValue, family: nil), for: office)
                        var expected: [String: [String: Int]] = [:]
                        for record in records {
                            for r in record.values[rows]! { for c in record.values[columns]! { expected[r, default: [:]][c, default: 0] += 1 } }
                        }
                        for (r, row) in table.rows.enumerated() {
                            for (c, column) in table.columns.enumerated() {
                                #expect(table.cells[r][c] == expected[row.code]?[column.code] ?? 0, "\(of) \(rows)=\(row.code) × \(columns)=\(column.code)")
                            }
                            #expect(row.count == table.cells[r].reduce(0, +))
                        }
                        // Nothing counted falls outside the table's rows and columns.
                        let listed = expected.flatMap { r, cells in cells.map { (r, $0.key, $0.value) } }
                        for (r, c, n) in listed {
                            #expect(table.rows.contains { $0.code == r } && table.columns.contains { $0.code == c }, "\(of) \(r) × \(c) (\(n)) is in the table")
                        }
                        #expect(table.total == listed.reduce(0) { $0 + $1.2 })
                        #expect(table.columns.map(\.count).reduce(0, +) == table.total)
                    }
                }
            }
            // The fixed vocabularies list every value, zeros included, in their order.
            let byStatus = try await store.crosstab(try CrosstabRequest(of: "findings", rows: "unit", columns: "status", family: nil), for: office)
            #expect(byStatus.columns.map(\.code) == ["draft", "under_review", "returned", "approved"])
            #expect(byStatus.columns.map(\.count).prefix(2) == [1, 1], "the draft and the submitted paper")
            let byForm = try await store.crosstab(try CrosstabRequest(of: "tasks", rows: "status", columns: "form", family: nil), for: office)
            #expect(byForm.columns.map(\.code) == RoundKind.allCases.map(\.rawValue))
            #expect(byForm.rows.map(\.code) == TaskStatus.allCases.map(\.rawValue))
            // Another family: 三大问题's items, and the papers without one under 未分类.
            let threeMajor = try await store.crosstab(try CrosstabRequest(of: "findings", rows: "category", columns: "status", family: "three_major"), for: office)
            #expect(threeMajor.rows.first { $0.code == "leadership_weakened" }?.count == 1)
            #expect(threeMajor.rows.last?.title == "未分类")
        }
    }

    @Test(arguments: TestEngine.available)
    func aReaderCountsOnlyWhatTheirScopeCovers(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await Self.year(store)
            let request = try CrosstabRequest(of: "findings", rows: "unit", columns: "disposition", family: nil)
            let office = try await store.crosstab(request, for: y.f.actor(.officeStaff))
            let city = try await Self.records(.findings, committee: y.f.city.id, store: store)
            #expect(office.total == city.count, "every paper of the city, whatever its status")

            // A group member counts their own group's papers (those the statistics give them, and the
            // draft and the submitted one), not the other group's.
            let member = try await store.crosstab(request, for: y.f.actor(.groupMember))
            let figures = try await store.statistics(today: y.today, for: y.f.actor(.groupMember))
            let approved = member.columns.filter { $0.code != CrosstabDimension.unapproved }.map(\.count).reduce(0, +)
            #expect(approved == (figures.findings?.total ?? -1) + (figures.findings?.notRecognised ?? 0))
            let ownAssignments = try await store.database.read { db in
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM findings f WHERE f.group_id IN (
                        SELECT gm.group_id FROM group_members gm JOIN inspectors i ON i.id = gm.inspector_id WHERE i.account_id = \(bind: y.f.actor(.groupMember).userID!.text))
                    """
                ).first()!.decode(column: "n", as: Int.self)
            }
            #expect(member.total == ownAssignments)

            // An inspected unit counts its own tasks, never a paper; another committee counts nothing of the city.
            let head = y.f.actor(.unitHead)
            await #expect(throws: DomainError.forbidden) { _ = try await store.crosstab(request, for: head) }
            let tasks = try await store.crosstab(try CrosstabRequest(of: "tasks", rows: "status", columns: "unit", family: nil), for: head)
            #expect(tasks.total == (try await store.statistics(today: y.today, for: head)).rectification?.tasks)
            #expect(tasks.columns.map(\.code) == [y.t.onSite.finance.unitID.text])
            #expect(try await store.crosstab(request, for: y.f.countyAOffice).total == 0)
            await #expect(throws: DomainError.forbidden) { _ = try await store.crosstab(request, for: y.f.actor(.leadCustodian)) }
        }
    }

    @Test
    func aDimensionTheRecordsLackOrTheSameTwiceIsRefusedNamingWhatMayBeAsked() throws {
        func refusal(_ body: () throws -> Void) -> DomainError? {
            do { try body() } catch let error as DomainError { return error } catch { return nil }
            return nil
        }
        let unknown = refusal { _ = try CrosstabRequest(of: "findings", rows: "colour", columns: "status", family: nil) }
        #expect(unknown?.code == "unknown_dimension" && unknown?.field == "rows")
        #expect(unknown?.message.contains("category（问题类别）") == true)
        #expect(refusal { _ = try CrosstabRequest(of: "tasks", rows: "disposition", columns: "status", family: nil) }?.code == "unknown_dimension")
        #expect(refusal { _ = try CrosstabRequest(of: "findings", rows: "status", columns: "status", family: nil) }?.code == "same_dimension")
        #expect(refusal { _ = try CrosstabRequest(of: "leads", rows: "status", columns: "unit", family: nil) }?.code == "unknown_records")
        #expect(refusal { _ = try CrosstabRequest(of: nil, rows: nil, columns: "unit", family: nil) }?.field == "rows")
        #expect(refusal { _ = try CrosstabRequest(of: nil, rows: "unit", columns: "status", family: "x y") }?.code == "unknown_family")
    }
}
