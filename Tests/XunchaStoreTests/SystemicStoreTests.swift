import Foundation
import SQLKit
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 普遍性问题 and 专题报告 on both engines: items recurring at the threshold of distinct units,
/// similar texts across units, a report from a selection sent to 市财政局 as the functional
/// department, answered with a rule change and closed; bad selections write nothing.
@Suite("普遍性问题 store")
struct SystemicStoreTests {
    struct Setup {
        let s: RoundOnSite
        var f: Fixture { s.f }
        var office: RequestOrigin { s.office }
        var finance: UUID { s.finance.unitID }
        var education: UUID { s.education.unitID }
        var health: UUID { s.planned.units[2].id }
        let papers: [String: UUID]
        var year: Int { CalendarDay(Date(timeIntervalSince1970: 1_798_000_000)).year }
    }

    static let integrity = ClassificationTag(scheme: "six_disciplines", version: 1, entry: "integrity")
    static let mass = ClassificationTag(scheme: "six_disciplines", version: 1, entry: "mass")
    static let work = ClassificationTag(scheme: "six_disciplines", version: 1, entry: "work")
    static let integrityKey = ClassificationItemKey(schemeID: "six_disciplines@1", entryCode: "integrity")
    static let massKey = ClassificationItemKey(schemeID: "six_disciplines@1", entryCode: "mass")

    /// 廉洁纪律 at three units (市财政局 twice), 群众纪律 at two, a lead paper and similar texts:
    /// 津补贴 at all three units, 公车私用 at two (twice at 市教育局).
    static func setUp(_ store: Store) async throws -> Setup {
        let s = try await Scenario.onSite(store)
        var papers: [String: UUID] = [:]
        func approve(_ key: String, in assignment: Assignment, _ title: String, _ manifestation: String, _ tags: [ClassificationTag], _ disposition: Disposition) async throws {
            let content = try FindingContent.validate(
                title: title, manifestation: manifestation, basis: "违反《中国共产党纪律处分条例》", evidence: nil, responsibility: nil, isCommon: true)
            let paper = try await Inspecting(f: s.f, assignmentID: assignment.id).triagedPaper(store, as: disposition, content: content, tags: tags, lead: disposition == .lead ? Scenario.leadDetails("王某") : nil)
            papers[key] = paper.id
        }
        try await approve("finance.allowance", in: s.finance, "违规发放津补贴", "以加班费名义向机关人员发放补贴12.6万元。", [integrity, mass], .deadline)
        try await approve("finance.allowance2", in: s.finance, "违规发放津贴补贴", "以值班费名义向机关人员发放补贴2万元。", [integrity], .immediate)
        try await approve("finance.lead", in: s.finance, "领导干部亲属承揽工程", "局长亲属承揽局属单位工程。", [work], .lead)
        try await approve("education.allowance", in: s.education, "违规发放津补贴", "以课时费名义向机关人员发放补贴8万元。", [integrity, mass], .deadline)
        try await approve("education.car", in: s.education, "公车私用", "周末驾驶公务用车前往景区。", [work], .deadline)
        try await approve("education.car2", in: s.education, "公车私用", "节假日驾驶公务用车办私事。", [work], .immediate)
        // The second group of the shared setup has no members to write papers, so 市卫健委's approved
        // paper is stored as the leader's approval and triage would leave it.
        let health = try #require(s.staffed.second.assignments.first)
        let now = store.clock.now().epochMilliseconds
        for (key, title, manifestation, tags) in [
            ("health.allowance", "违规发放津补贴", "以绩效名义向机关人员发放补贴3万元。", ["integrity"]),
            ("health.car", "公车私用问题", "驾驶公务用车接送子女。", ["work"]),
        ] {
            let id = UUID()
            try await store.database.transaction { db in
                try await db.raw(
                    """
                    INSERT INTO findings (jurisdiction_id, id, assignment_id, round_id, group_id, unit_id, status, number, title, manifestation, basis, is_common,
                        disposition, drafted_by, approved_by, approved_at, created_at, updated_at, version)
                    VALUES (\(bind: s.f.city.id.text), \(bind: id.text), \(bind: health.id.text), \(bind: health.roundID.text), \(bind: health.groupID.text),
                        \(bind: health.unitID.text), 'approved', \(bind: "[test]" + key), \(bind: title), \(bind: manifestation), '违反规定', 1, 'deadline', '测试', '测试',
                        \(bind: now), \(bind: now), \(bind: now), 3)
                    """
                ).run()
                for tag in tags {
                    try await db.raw("INSERT INTO finding_tags (finding_id, scheme_id, entry_code) VALUES (\(bind: id.text), 'six_disciplines@1', \(bind: tag))").run()
                }
            }
            papers[key] = id
        }
        return Setup(s: s, papers: papers)
    }

    /// The three units' feedback issued, so their papers may enter a report.
    static func feedBack(_ store: Store, _ t: Setup) async throws {
        for assignment in [t.s.finance.id, t.s.education.id, try #require(t.s.staffed.second.assignments.first).id] {
            try await FeedbackShortcut.issue(store, assignment: assignment)
        }
    }

    /// The office words every problem; `naming` lists the units it chooses to name.
    static func word(_ store: Store, _ report: ThematicReport, _ t: Setup, naming: Set<String> = []) async throws -> ThematicReport {
        let wordings = report.problems.map { problem in
            ThematicWording(findingID: problem.findingID!, wording: "巡察办表述：有的单位存在\(problem.title!)问题", namesUnit: naming.contains(problem.unitName!))
        }
        return try await store.wordThematicProblems(wordings, on: report.id, version: report.version, origin: t.office)
    }

    static func reportCount(_ store: Store) async throws -> Int {
        try await store.database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM thematic_reports").first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test(arguments: TestEngine.available)
    func anItemAtThreeUnitsIsListedWithThemAndOneAtTwoOnlyOnceTheThresholdIsTwo(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Self.setUp(store)
            let office = t.f.actor(.officeStaff)

            let found = try await store.systemicProblems(for: office)
            #expect(found.unitThreshold == 3)
            #expect(found.recurringItems.map(\.key) == [Self.integrityKey], "群众纪律 is at two units only")
            let integrity = try #require(found.recurringItems.first)
            #expect(integrity.title == "廉洁纪律")
            #expect(integrity.familyTitle == "六项纪律")
            #expect(integrity.findings == 4)
            #expect(Set(integrity.units.map(\.unitID)) == [t.finance, t.education, t.health])
            #expect(integrity.units.first { $0.unitID == t.finance }?.findings == 2)

            let settings = try await store.settings(of: t.f.city.id, for: office)
            _ = try await store.changeSettings(of: t.f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, systemicUnitThreshold: 2, version: settings.version, origin: t.office)
            let atTwo = try await store.systemicProblems(for: office)
            #expect(atTwo.unitThreshold == 2)
            #expect(Set(atTwo.recurringItems.map(\.key.entryCode)) == ["integrity", "mass", "work"])
            #expect(Set(try #require(atTwo.recurringItems.first { $0.key == Self.massKey }).units.map(\.unitName)) == ["市财政局", "市教育局"])
            #expect(atTwo.recurringItems.first { $0.key.entryCode == "work" }?.findings == 3, "two 公车私用 papers and 市卫健委's; the lead paper is left out")

            #expect(try await store.systemicProblems(SystemicQuery(roundID: t.s.round.id, year: t.year), for: office).recurringItems.count == 3)
            #expect(try await store.systemicProblems(SystemicQuery(year: t.year + 1), for: office).recurringItems.isEmpty, "the year selects papers by approval")
            #expect(try await store.systemicProblems(SystemicQuery(roundID: UUID()), for: office).recurringItems.isEmpty)
            #expect(try await store.systemicProblems(for: t.f.actor(.leadingGroupMember)) == atTwo, "the leading group reads what the office reads")
            let county = try await store.systemicProblems(for: t.f.countyAOffice)
            #expect(county.recurringItems.isEmpty && county.similarGroups.isEmpty, "another committee's findings are out of reach")
        }
    }

    @Test(arguments: TestEngine.available)
    func similarTextsAtThreeUnitsAreGroupedAndAUnitsOwnDuplicatesDoNotCount(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Self.setUp(store)
            let found = try await store.systemicProblems(for: t.f.actor(.officeStaff))

            #expect(found.textsCompared == 7, "the lead paper is never compared")
            #expect(!found.capped)
            #expect(found.similarGroups.count == 1, "公车私用 reads alike at two units only")
            let allowance = try #require(found.similarGroups.first)
            #expect(Set(allowance.texts.map(\.findingID)) == Set(["finance.allowance", "finance.allowance2", "education.allowance", "health.allowance"].map { t.papers[$0]! }))
            #expect(allowance.units.map(\.unitName) == ["市卫生健康委员会", "市教育局", "市财政局"])
            #expect(allowance.units.last?.findings == 2)

            let settings = try await store.settings(of: t.f.city.id, for: t.f.actor(.officeStaff))
            _ = try await store.changeSettings(of: t.f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, systemicUnitThreshold: 2, version: settings.version, origin: t.office)
            let atTwo = try await store.systemicProblems(for: t.f.actor(.officeStaff))
            let cars = try #require(atTwo.similarGroups.first { $0.texts.contains { $0.title.hasPrefix("公车私用") } })
            #expect(Set(cars.units.map(\.unitID)) == [t.education, t.health])

            let capped = try await store.systemicProblems(textLimit: 2, for: t.f.actor(.officeStaff))
            #expect(capped.capped && capped.textsCompared == 2, "the page says the comparison was capped")
            #expect(capped.recurringItems.count == 3, "items are counted in SQL whatever the cap")
        }
    }

    @Test(arguments: TestEngine.available)
    func noUnitGroupOrReceiverSeesSystemicProblems(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Self.setUp(store)
            for role in [Role.unitHead, .unitContact, .groupLeader, .groupMember, .leadCustodian, .disciplineReceiver, .taskOwner, .systemAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.systemicProblems(for: t.f.actor(role)) }
            }
            await #expect(throws: DomainError.forbidden) { _ = try await store.thematicReports(for: t.f.actor(.groupLeader)) }
        }
    }

    @Test(arguments: TestEngine.available)
    func aReportFromASelectionIsSentAnsweredWithARuleChangeAndClosed(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Self.setUp(store)
            try await Self.feedBack(store, t)
            let department = t.f.actor(.unitContact)  // 市财政局, which sets the rules on 津补贴
            let car = try #require(t.papers["education.car"])
            var report = try await store.createThematicReport(
                ThematicReportDraft(
                    title: "关于违规发放津补贴问题的专题报告", body: "三个单位以各种名义发放津补贴，建议市财政局完善津补贴管理制度。", departmentUnitID: t.finance, year: t.year,
                    items: [Self.integrityKey], findingIDs: [car, t.papers["finance.allowance"]!]),
                origin: t.office)

            #expect(report.status == .draft)
            #expect(report.departmentName == "市财政局")
            #expect(report.problems.count == 5, "the four 廉洁纪律 papers and the 公车私用 one selected by its text")
            #expect(report.problems.allSatisfy { $0.findingID != nil }, "the office sees which papers")
            #expect(report.units.map(\.unitName) == ["市卫生健康委员会", "市教育局", "市财政局"])
            #expect(report.items.map(\.title) == ["廉洁纪律"])
            #expect(report.items.first?.units.count == 3)

            await #expect(throws: DomainError.notFound, "a draft is the office's own") { _ = try await store.thematicReport(report.id, for: department) }
            #expect(try await store.thematicReports(for: department).items.isEmpty)
            let early = await #expect(throws: DomainError.self) {
                _ = try await store.take(
                    ThematicReportStep.recordRuleChange, on: report.id, input: ThematicStepInput(ruleChange: Self.change(t)), version: report.version, origin: t.office)
            }
            #expect(early?.code == "invalid_transition")

            report = try await Self.word(store, report, t)
            report = try await store.take(ThematicReportStep.send, on: report.id, input: ThematicStepInput(), version: report.version, origin: t.office)
            #expect(report.status == .sent)
            let read = try await store.thematicReport(report.id, for: department)
            #expect(read.problems.count == 5)
            #expect(read.problems.allSatisfy { $0.findingID == nil }, "the department never learns which papers")
            #expect(try await store.thematicReports(for: department).items.map(\.id) == [report.id])

            let closing = await #expect(throws: DomainError.self) {
                _ = try await store.take(ThematicReportStep.close, on: report.id, input: ThematicStepInput(), version: report.version, origin: t.office)
            }
            #expect(closing?.code == "invalid_transition", "closing waits for the department's answer")
            let bySending = await #expect(throws: DomainError.self) {
                _ = try await store.take(ThematicReportStep.close, on: report.id, input: ThematicStepInput(), version: report.version, origin: t.f.origin(.unitContact))
            }
            #expect(bySending?.code == "step_not_allowed")

            report = try await store.take(
                ThematicReportStep.recordRuleChange, on: report.id, input: ThematicStepInput(ruleChange: Self.change(t)), version: report.version, origin: t.f.origin(.unitContact))
            #expect(report.status == .answered)
            #expect(report.ruleChanges.map(\.title) == ["市财政局机关津补贴发放管理办法（修订）"])
            #expect(report.ruleChanges.first?.unitID == t.finance, "adopted by the department")
            #expect(try await store.ruleImprovements(for: department).items.map(\.title).contains("市财政局机关津补贴发放管理办法（修订）"))
            #expect(try await store.statistics(for: t.f.actor(.officeStaff)).ruleImprovements?.total == 1, "counted with every other rule improvement")

            report = try await store.take(ThematicReportStep.close, on: report.id, input: ThematicStepInput(note: "制度已印发施行"), version: report.version, origin: t.office)
            #expect(report.status == .closed)
            let history = try await store.history(ThematicReportLifecycle.self, of: report.id, for: t.f.actor(.officeStaff))
            #expect(history.map(\.step) == [.send, .recordRuleChange, .close])
            let summary = try #require(try await store.thematicReports(for: t.f.actor(.leadingGroupMember)).items.first)
            #expect([Int](arrayLiteral: summary.problemCount, summary.unitCount, summary.ruleChangeCount) == [5, 3, 1])
        }
    }

    static func change(_ t: Setup) -> ThematicRuleChange {
        ThematicRuleChange(
            title: "市财政局机关津补贴发放管理办法（修订）", kind: .revised, documentNumber: "江财〔2027〕3号", adoptedOn: CalendarDay(Date(timeIntervalSince1970: 1_798_000_000)),
            description: "明确津补贴项目、标准和审批程序。")
    }

    @Test(arguments: TestEngine.available)
    func anotherUnitsAccountSeesNoReportNotEvenASentOne(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Self.setUp(store)
            try await Self.feedBack(store, t)
            var report = try await store.createThematicReport(
                ThematicReportDraft(title: "关于公车私用问题的专题报告", body: "建议完善公车管理。", departmentUnitID: t.finance, items: [], findingIDs: [t.papers["education.car"]!]),
                origin: t.office)
            report = try await Self.word(store, report, t, naming: ["市教育局"])
            report = try await store.take(ThematicReportStep.send, on: report.id, input: ThematicStepInput(), version: report.version, origin: t.office)
            let educationHead = try await Scenario.unitHead(of: t.education, username: "edu.head", displayName: "教育局负责人", store, t.f).actor

            await #expect(throws: DomainError.notFound) { _ = try await store.thematicReport(report.id, for: educationHead) }
            #expect(try await store.thematicReports(for: educationHead).items.isEmpty)
            await #expect(throws: DomainError.notFound) {
                _ = try await store.take(
                    ThematicReportStep.recordRuleChange, on: report.id, input: ThematicStepInput(ruleChange: Self.change(t)), version: report.version, origin: RequestOrigin(actor: educationHead))
            }
            await #expect(throws: DomainError.notFound) { _ = try await store.thematicReport(report.id, for: t.f.countyAOffice) }
        }
    }

    @Test(arguments: TestEngine.available)
    func aBadSelectionIsRefusedAndWritesNothing(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Self.setUp(store)
            func draft(items: [ClassificationItemKey] = [], findings: [UUID] = [], department: UUID? = nil, round: UUID? = nil) -> ThematicReportDraft {
                ThematicReportDraft(title: "专题报告", body: "正文", departmentUnitID: department ?? t.finance, roundID: round, items: items, findingIDs: findings)
            }
            try await Self.feedBack(store, t)
            let cases: [(ThematicReportDraft, String)] = [
                (draft(), "selection_required"),
                (draft(findings: [UUID()]), "finding_out_of_reach"),
                (draft(findings: [t.papers["finance.lead"]!]), "finding_out_of_reach"),
                (draft(items: [ClassificationItemKey(schemeID: "six_disciplines@1", entryCode: "political")]), "unknown_item"),
                (draft(items: [ClassificationItemKey(schemeID: "nope@1", entryCode: "integrity")]), "unknown_item"),
                (draft(findings: [t.papers["education.car"]!], department: t.f.countyAUnit.id), "unknown_department"),
                (draft(findings: [t.papers["education.car"]!], round: UUID()), "unknown_round"),
                (draft(items: [Self.integrityKey], findings: [UUID()]), "finding_out_of_reach"),
            ]
            for (bad, code) in cases {
                let error = await #expect(throws: DomainError.self) { _ = try await store.createThematicReport(bad, origin: t.office) }
                #expect(error?.code == code)
                #expect(error?.kind == .invalidInput)
            }
            await #expect(throws: DomainError.forbidden) { _ = try await store.createThematicReport(draft(items: [Self.integrityKey]), origin: t.f.origin(.leadingGroupMember)) }
            await #expect(throws: DomainError.forbidden) { _ = try await store.createThematicReport(draft(items: [Self.integrityKey]), origin: t.f.origin(.unitContact)) }
            let other = await #expect(throws: DomainError.self) {
                _ = try await store.createThematicReport(
                    ThematicReportDraft(title: "专题报告", body: "正文", departmentUnitID: t.f.countyAUnit.id, items: [Self.integrityKey], findingIDs: []), origin: RequestOrigin(actor: t.f.countyAOffice))
            }
            #expect(other?.code == "unknown_item", "another committee's office cannot reach the city's findings")
            #expect(try await Self.reportCount(store) == 0)
        }
    }
}
