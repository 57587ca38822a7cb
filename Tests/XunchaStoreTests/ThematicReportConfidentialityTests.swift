import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// A 专题报告 never shows a unit another unit's findings: the addressed department reads only the
/// office's wording of each problem, a unit's name only where the office chose to name it, and
/// nothing from a paper not yet in its own unit's issued feedback. Role by role: the department's
/// head and contact (市财政局), the head of an affected unit (市教育局), the leading group, the office.
@Suite("专题报告的知悉范围 store")
struct ThematicReportConfidentialityTests {
    typealias S = SystemicStoreTests

    /// The other units' working-paper texts in the report.
    static let otherUnitsTexts = ["以课时费名义向机关人员发放补贴8万元。", "以绩效名义向机关人员发放补贴3万元。", "周末驾驶公务用车前往景区。"]

    static func educationHead(_ store: Store, _ t: S.Setup) async throws -> Actor {
        try await Scenario.unitHead(of: t.education, username: "edu.head", displayName: "教育局负责人", store, t.f).actor
    }

    @Test(arguments: TestEngine.available)
    func theDepartmentReadsOnlyTheOfficesWordingOfAThematicReport(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await S.setUp(store)
            try await S.feedBack(store, t)
            var report = try await store.createThematicReport(
                ThematicReportDraft(
                    title: "关于违规发放津补贴问题的专题报告", body: "建议市财政局完善津补贴管理制度。", departmentUnitID: t.finance, items: [S.integrityKey],
                    findingIDs: [t.papers["education.car"]!]),
                origin: t.office)
            report = try await S.word(store, report, t, naming: ["市财政局"])
            report = try await store.take(ThematicReportStep.send, on: report.id, input: ThematicStepInput(), version: report.version, origin: t.office)

            for role in [Role.unitContact, .unitHead] {
                let read = try await store.thematicReport(report.id, for: t.f.actor(role))
                #expect(read.problems.count == 5, "\(role)")
                #expect(read.problems.allSatisfy { $0.wording?.hasPrefix("巡察办表述：") == true }, "\(role) reads the office's wording")
                #expect(read.problems.allSatisfy { $0.title == nil && $0.manifestation == nil && $0.findingID == nil }, "\(role) reads no paper text or id")
                #expect(read.problems.compactMap(\.unitName) == ["市财政局", "市财政局"], "\(role): only the unit the office named")
                #expect(read.units.map(\.unitName) == ["市财政局"], "\(role): the other units stay unnamed")
                #expect(read.items.flatMap(\.units).map(\.unitName) == ["市财政局"], "\(role): an item names only the named unit")
                let everything = String(describing: read)
                for text in Self.otherUnitsTexts {
                    #expect(!everything.contains(text), "\(role) must not read “\(text)”")
                }
                for unit in ["市教育局", "市卫生健康委员会"] {
                    #expect(!everything.contains(unit), "\(role) must not learn of \(unit)")
                }
            }

            let affected = try await Self.educationHead(store, t)
            await #expect(throws: DomainError.notFound, "an affected unit never reads a report addressed to another") {
                _ = try await store.thematicReport(report.id, for: affected)
            }
            #expect(try await store.thematicReports(for: affected).items.isEmpty)

            for role in [Role.officeStaff, .leadingGroupMember] {
                let read = try await store.thematicReport(report.id, for: t.f.actor(role))
                #expect(read.problems.allSatisfy { $0.findingID != nil && $0.title != nil && $0.manifestation != nil && $0.unitName != nil }, "\(role) reads the sources")
                #expect(read.problems.contains { $0.manifestation == "以课时费名义向机关人员发放补贴8万元。" }, "\(role)")
                #expect(read.units.count == 3, "\(role)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aPaperNotYetInItsUnitsIssuedFeedbackNeverEntersAThematicReport(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await S.setUp(store)
            func draft(items: [ClassificationItemKey] = [], findings: [UUID] = []) -> ThematicReportDraft {
                ThematicReportDraft(title: "专题报告", body: "正文", departmentUnitID: t.finance, items: items, findingIDs: findings)
            }
            for bad in [draft(findings: [t.papers["education.car"]!]), draft(items: [S.integrityKey])] {
                let error = await #expect(throws: DomainError.self) { _ = try await store.createThematicReport(bad, origin: t.office) }
                #expect(error?.code == "feedback_not_issued")
                #expect(error?.kind == .invalidInput)
            }
            #expect(try await S.reportCount(store) == 0)

            // Only 市财政局 has had its feedback: its 限期整改 paper (in the list) and its 立行立改 one.
            try await FeedbackShortcut.issue(store, assignment: t.s.finance.id)
            let report = try await store.createThematicReport(draft(items: [S.integrityKey]), origin: t.office)
            #expect(Set(report.problems.compactMap(\.findingID)) == [t.papers["finance.allowance"]!, t.papers["finance.allowance2"]!])
            #expect(report.units.map(\.unitName) == ["市财政局"], "the other units' papers wait for their own feedback")
            let early = await #expect(throws: DomainError.self) {
                _ = try await store.createThematicReport(draft(findings: [t.papers["finance.allowance"]!, t.papers["education.allowance"]!]), origin: t.office)
            }
            #expect(early?.code == "feedback_not_issued")
            #expect(try await S.reportCount(store) == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func onlyTheOfficeWordsADraftAndSendingNeedsEveryProblemWorded(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await S.setUp(store)
            try await S.feedBack(store, t)
            var report = try await store.createThematicReport(
                ThematicReportDraft(title: "专题报告", body: "正文", departmentUnitID: t.finance, items: [], findingIDs: [t.papers["education.car"]!, t.papers["health.car"]!]),
                origin: t.office)
            let car = t.papers["education.car"]!

            let unworded = await #expect(throws: DomainError.self) {
                _ = try await store.take(ThematicReportStep.send, on: report.id, input: ThematicStepInput(), version: report.version, origin: t.office)
            }
            #expect(unworded?.code == "wording_required")
            report = try await store.wordThematicProblems([ThematicWording(findingID: car, wording: "个别单位公车私用")], on: report.id, version: report.version, origin: t.office)
            let half = await #expect(throws: DomainError.self) {
                _ = try await store.take(ThematicReportStep.send, on: report.id, input: ThematicStepInput(), version: report.version, origin: t.office)
            }
            #expect(half?.code == "wording_required", "every problem, not just some")

            let wording = [ThematicWording(findingID: car, wording: "改写")]
            for role in [Role.leadingGroupMember] {
                await #expect(throws: DomainError.forbidden, "\(role)") {
                    _ = try await store.wordThematicProblems(wording, on: report.id, version: report.version, origin: t.f.origin(role))
                }
            }
            for role in [Role.unitContact, .unitHead, .groupLeader] {
                await #expect(throws: DomainError.notFound, "\(role) does not see a draft") {
                    _ = try await store.wordThematicProblems(wording, on: report.id, version: report.version, origin: t.f.origin(role))
                }
            }
            let cases: [([ThematicWording], Int, String)] = [
                ([], report.version, "required"),
                ([ThematicWording(findingID: t.papers["finance.allowance"]!, wording: "x")], report.version, "unknown_problem"),
                ([ThematicWording(findingID: car, wording: "a"), ThematicWording(findingID: car, wording: "b")], report.version, "duplicate_problem"),
                ([ThematicWording(findingID: car, wording: String(repeating: "字", count: 4_001))], report.version, "too_long"),
                (wording, report.version + 1, "stale_version"),
            ]
            for (bad, version, code) in cases {
                let error = await #expect(throws: DomainError.self) { _ = try await store.wordThematicProblems(bad, on: report.id, version: version, origin: t.office) }
                #expect(error?.code == code)
            }
            #expect(try await store.thematicReport(report.id, for: t.f.actor(.officeStaff)) == report, "a refused wording writes nothing")

            report = try await S.word(store, report, t)
            report = try await store.take(ThematicReportStep.send, on: report.id, input: ThematicStepInput(), version: report.version, origin: t.office)
            let sent = await #expect(throws: DomainError.self) {
                _ = try await store.wordThematicProblems(wording, on: report.id, version: report.version, origin: t.office)
            }
            #expect(sent?.code == "thematic_report_sent", "what was sent stays as sent")
        }
    }
}
