import Foundation
import SQLKit
import Synchronization
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 台账导入: an office's problem list and lead register enter Xuncha through the lifecycles, each step
/// on the ledger's own day marked 补录 with its importer; a bad cell anywhere writes nothing and is
/// named by row and column; importing a key again updates its record.
@Suite("台账导入 store")
struct LedgerImportStoreTests {
    static let problemFile = "2026年问题清单.xlsx"
    static let leadFile = "线索台账.xlsx"

    func day(_ text: String) -> CalendarDay { try! CalendarDay(text: text, field: "d", label: "d") }

    /// Imports `table` as a `kind` of the importer's own committee, through the one import path
    /// the API, the page and the CLI use.
    func importing(
        _ store: Store, _ kind: LedgerKind, _ table: CSVTable, file: String, dryRun: Bool = false, as origin: RequestOrigin
    ) async throws -> LedgerImportOutcome {
        try await store.importLedger(kind, table: table, mapping: nil, fileName: file, into: origin.actor.jurisdictionID!, dryRun: dryRun, origin: origin)
    }

    func importProblems(
        _ store: Store, _ rows: [String] = LedgerSamples.problemListRows, file: String = LedgerImportStoreTests.problemFile, dryRun: Bool = false, as origin: RequestOrigin
    ) async throws -> LedgerImportOutcome {
        try await importing(store, .problemList, LedgerSamples.problemList(rows), file: file, dryRun: dryRun, as: origin)
    }

    func importLeads(_ store: Store, _ rows: [String] = LedgerSamples.leadRegisterRows, as origin: RequestOrigin) async throws -> LedgerImportOutcome {
        try await importing(store, .leadRegister, LedgerSamples.leadRegister(rows), file: Self.leadFile, as: origin)
    }

    /// The record every key of `kind` was imported as.
    func importedRecords(_ store: Store, _ kind: LedgerKind) async throws -> [String: UUID] {
        try await store.database.transaction { db in
            var records: [String: UUID] = [:]
            for row in try await db.raw("SELECT ledger_key, record_id FROM imported_records WHERE kind = \(bind: kind.rawValue) AND ledger_key IS NOT NULL").all() {
                records[try row.decode(column: "ledger_key", as: String.self)] = UUID(uuidString: try row.decode(column: "record_id", as: String.self))!
            }
            return records
        }
    }

    /// One number the database answers.
    func count(_ store: Store, _ sql: String) async throws -> Int {
        try await store.database.transaction { db in try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: sql)").first()!.decode(column: "n", as: Int.self) }
    }

    /// Every table an import writes into, counted.
    func written(_ store: Store) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["findings", "leads", "immediate_rectifications", "feedbacks", "feedback_problems", "rectification_plans", "rectification_tasks", "record_steps"] {
            counts.append(try await count(store, table))
        }
        return counts
    }

    /// The task of each paper: its status, deadline, owners and the day it was closed.
    func tasks(_ store: Store) async throws -> [UUID: (status: String, deadline: String, cadre: String, closedOn: CalendarDay?)] {
        try await store.database.transaction { db in
            var tasks: [UUID: (String, String, String, CalendarDay?)] = [:]
            for row in try await db.raw(
                "SELECT fp.finding_id, t.status, t.deadline, t.responsible_cadre, t.closed_at FROM rectification_tasks t JOIN feedback_problems fp ON fp.id = t.problem_id"
            ).all() {
                let closed = try row.decodeNil(column: "closed_at") ? nil : CalendarDay(Date(timeIntervalSince1970: Double(try row.decode(column: "closed_at", as: Int64.self)) / 1000))
                tasks[UUID(uuidString: try row.decode(column: "finding_id", as: String.self))!] = (
                    try row.decode(column: "status", as: String.self), try row.decode(column: "deadline", as: String.self),
                    try row.decode(column: "responsible_cadre", as: String.self), closed
                )
            }
            return tasks
        }
    }

    /// The problem lines of a rejected import (nothing written).
    func rejection(_ outcome: LedgerImportOutcome, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        #expect(!outcome.written && !outcome.problems.isEmpty, "the import was not rejected", sourceLocation: sourceLocation)
        return outcome.problems.map(\.text)
    }

    @Test(arguments: TestEngine.available)
    func aProblemListBecomesPapersDispositionsAndTasksOnTheLedgersOwnDays(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let result = try await importProblems(store, as: s.office)

            #expect(result.written && result.created == 6 && result.updated == 0)
            let records = try await importedRecords(store, .problemList)
            #expect(Set(records.keys) == ["P-01", "P-02", "P-03", "P-04", "P-05", "P-06"])
            func paper(_ key: String) async throws -> Finding { try await store.finding(records[key]!, for: s.office.actor) }
            let p1 = try await paper("P-01")
            #expect(p1.status == .approved && p1.disposition == .deadline)
            #expect(p1.unitName == "市财政局" && p1.assignmentID == s.finance.id)
            #expect(p1.approvedAt.map(CalendarDay.init) == day("2026-03-20"), "approved on the day the ledger found it")
            #expect(p1.number?.hasPrefix("〔2026〕第1轮第一巡察组底稿") == true)
            #expect(Set(p1.tags) == [ClassificationTag(scheme: "six_disciplines", version: 1, entry: "integrity"), ClassificationTag(scheme: "four_forms", version: 1, entry: "first")])
            #expect(try await paper("P-03").disposition == .immediate)
            #expect(try await paper("P-05").disposition == .dropped)
            #expect(try await paper("P-05").dispositionNote == "经核实不属实")
            #expect(try await paper("P-05").approvedAt.map(CalendarDay.init) == day("2026-04-02"), "a date serial as Excel keeps it")

            let p4 = try await paper("P-04")
            #expect(p4.disposition == .lead)
            let lead = try await store.lead(try #require(try await store.openedByTriage(of: p4).lead?.id), origin: s.f.origin(.leadCustodian))
            #expect(lead.details.personName == "王某" && lead.details.source == .finding && lead.status == .registered)
            #expect(CalendarDay(lead.createdAt) == day("2026-04-01"))

            let immediate = try #require(try await store.openedByTriage(of: try await paper("P-03")).immediate)
            #expect(immediate.status == .closed)

            let tasks = try await tasks(store)
            #expect(tasks.count == 3)
            #expect(tasks[p1.id]?.status == "closed" && tasks[p1.id]?.closedOn == day("2026-05-20") && tasks[p1.id]?.cadre == "李科长")
            #expect(tasks[records["P-02"]!]?.status == "in_progress" && tasks[records["P-02"]!]?.deadline == "2026-09-30")
            #expect(tasks[records["P-06"]!]?.status == "closure_requested")
            #expect(try await count(store, "feedbacks WHERE number = '（台账导入）' AND status = 'issued'") == 2, "市财政局 and 市卫生健康委员会 each get their list")
            #expect(try await count(store, "rectification_plans WHERE status = 'approved' AND endorsed_by IS NULL") == 2, "plans taken from the ledger carry no signature")

            // Every step is on the ledger's day, marked 补录 with the file, and taken by the importer.
            let paperSteps = try await store.history(FindingLifecycle.self, of: p1.id, for: s.office.actor)
            #expect(paperSteps.map(\.step) == [.submit, .approve, .triage])
            #expect(paperSteps.allSatisfy { $0.occurredOn == day("2026-03-20") && $0.backfillReason == "导入自 \(Self.problemFile)" && $0.actorName == s.office.actor.displayName })
            let taskID = try await store.database.transaction { db in
                try await db.raw("SELECT t.id FROM rectification_tasks t JOIN feedback_problems fp ON fp.id = t.problem_id WHERE fp.finding_id = \(bind: p1.id.text)").first()!
                    .decode(column: "id", as: String.self)
            }
            let taskSteps = try await store.history(TaskLifecycle.self, of: UUID(uuidString: taskID)!, for: s.office.actor)
            #expect(taskSteps.map(\.step) == [.start, .requestClosure, .close])
            #expect(taskSteps.map(\.occurredOn) == [day("2026-03-25"), day("2026-05-20"), day("2026-05-20")], "started with the unit's list, on its latest finding's day")
            #expect(taskSteps.allSatisfy { $0.isBackfilled })

            let audit = try await store.auditEntries(AuditQuery(action: AuditAction.ledgerImported.rawValue), origin: s.f.origin(.auditAdministrator))
            #expect(audit.items.map(\.actorName) == [s.office.actor.name])
            #expect(audit.items.first?.event.detail == "导入问题清单/整改台账：新增6条，更新0条（补录：导入自“\(Self.problemFile)”）")
        }
    }

    @Test(arguments: TestEngine.available)
    func theStatisticsCountAnImportedYearAsOfAnyDay(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            #expect(try await importProblems(store, as: s.office).written)
            #expect(try await importLeads(store, as: s.f.origin(.leadCustodian)).written)

            let yearEnd = try await store.statistics(StatisticsFilter(asOf: day("2026-12-01")), for: s.office.actor)
            let findings = try #require(yearEnd.findings)
            #expect(findings.total == 5 && findings.immediate == 1 && findings.deadline == 3 && findings.lead == 1 && findings.notRecognised == 1)
            #expect(findings.immediateCompleted == 1)
            let rectification = try #require(yearEnd.rectification)
            #expect(rectification.tasks == 3 && rectification.closed == 1 && rectification.open == 2)
            #expect(rectification.overdue == 2, "P-02 and P-06 are past their deadlines and not closed")

            let beforeClosure = try await store.statistics(StatisticsFilter(asOf: day("2026-05-19")), for: s.office.actor)
            #expect(beforeClosure.rectification?.closed == 0 && beforeClosure.rectification?.overdue == 0)
            #expect(beforeClosure.findings?.immediateCompleted == 1)
            let beforeNotice = try await store.statistics(StatisticsFilter(asOf: day("2026-04-09")), for: s.office.actor)
            #expect(beforeNotice.findings?.immediateCompleted == 0, "the 立行立改 verified on 2026-04-10 counts from that day")
            let afterClosure = try await store.statistics(StatisticsFilter(asOf: day("2026-05-20")), for: s.office.actor)
            #expect(afterClosure.rectification?.closed == 1)

            let leads = try #require(try await store.statistics(StatisticsFilter(asOf: day("2026-12-01")), for: s.f.actor(.leadingGroupMember)).leads)
            #expect(leads.registered == 4, "the register's four but the one dismissed, and the problem list's one")
            #expect(leads.transferred == 3 && leads.answered == 2 && leads.feedbackOverdue == 1)
            #expect(leads.byForm == [1, 1, 0, 0])
            let midYear = try #require(try await store.statistics(StatisticsFilter(asOf: day("2026-07-31")), for: s.f.actor(.leadingGroupMember)).leads)
            #expect(midYear.answered == 1 && midYear.feedbackOverdue == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func aLeadRegisterBringsEachLeadToItsStateOnItsDays(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let custodian = s.f.origin(.leadCustodian)
            let result = try await importLeads(store, as: custodian)
            #expect(result.written && result.created == 4)
            let records = try await importedRecords(store, .leadRegister)
            func lead(_ key: String) async throws -> Lead { try await store.lead(records[key]!, origin: custodian) }

            let answered = try await lead("L-01")
            #expect(answered.status == .answered)
            #expect(answered.number.hasPrefix("〔2026〕"))
            #expect(answered.transferredAt.map(CalendarDay.init) == day("2026-05-10") && answered.feedbackDue == day("2026-08-10"))
            #expect(answered.answeredAt.map(CalendarDay.init) == day("2026-07-15"))
            #expect(answered.disposition?.method == .talkOrLetter && answered.disposition?.form == 1 && answered.disposition?.result == "诫勉谈话")
            #expect(answered.transferSheet == "江巡移〔2026〕3号")

            let county = try await lead("L-02")
            #expect(county.status == .transferred && county.receiver == .organisation && county.receiverJurisdictionID == s.f.countyA.id)
            #expect(try await lead("L-03").status == .dismissed)
            let stationed = try await lead("L-04")
            #expect(stationed.status == .closed && stationed.viaStationedBody && stationed.receiver == .discipline)
            #expect(stationed.closedAt.map(CalendarDay.init) == day("2026-08-20"))

            let steps = try await store.history(LeadLifecycle.self, of: answered.id, for: custodian.actor)
            #expect(steps.map(\.step) == [.screen, .propose, .approve, .transfer, .receive, .answer])
            #expect(steps.map(\.occurredOn) == [day("2026-04-01")] + Array(repeating: day("2026-05-10"), count: 3) + [day("2026-07-15"), day("2026-07-15")])
            #expect(steps.allSatisfy { $0.backfillReason == "导入自 \(Self.leadFile)" })
        }
    }

    @Test(arguments: TestEngine.available)
    func aLeadOnBothLedgersIsTheOneItsPapersTriageRegistered(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            #expect(try await importProblems(store, as: s.office).written)
            let problems = try await importedRecords(store, .problemList)
            let header = "编号,问题编号,线索内容,被反映人,被巡察单位,巡察轮次,巡察组,干部管理权限,问题性质,接收单位,移交日期,办理状态"
            let rows = [
                "L-09,P-04,为亲属承揽工程提供便利,王某,市教育局,1,第一巡察组,本级管理,违纪,纪委监委,2026-05-06,已移交",
                "L-10,P-05,反映食堂采购不规范,钱某,市教育局,1,第一巡察组,本级管理,违纪,纪委监委,2026-05-06,已移交",
                "L-11,P-99,内容,孙某,市教育局,1,第一巡察组,本级管理,违纪,纪委监委,2026-05-06,已移交",
            ]
            func register(_ rows: [String]) throws -> CSVTable { try CSVTable.parse(Data(([header] + rows).joined(separator: "\n").utf8)) }
            let custodian = s.f.origin(.leadCustodian)
            // The rows' 问题编号 are found among the problem list's imported keys.
            let refused = rejection(try await importing(store, .leadRegister, try register(rows), file: Self.leadFile, as: custodian))
            #expect(refused == ["第3行“问题编号”列：问题“P-05”不是以“移交问题线索”处置的", "第4行“问题编号”列：问题清单中没有编号为“P-99”的问题，请先导入问题清单"])

            let result = try await importing(store, .leadRegister, try register([rows[0]]), file: Self.leadFile, as: custodian)
            #expect(result.written && result.created == 0 && result.updated == 1)
            let leads = try await importedRecords(store, .leadRegister)
            let paper = try await store.finding(problems["P-04"]!, for: custodian.actor)
            #expect(try await store.openedByTriage(of: paper).lead?.id == leads["L-09"])
            let lead = try await store.lead(leads["L-09"]!, origin: custodian)
            #expect(lead.status == .transferred && lead.transferredAt.map(CalendarDay.init) == day("2026-05-06"))
            #expect(try await count(store, "leads") == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func aBadCellAnywhereWritesNothingAndIsNamedByRowAndColumn(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let before = try await written(store)

            var unknown = LedgerSamples.problemListRows
            unknown[2] = unknown[2].replacingOccurrences(of: "市财政局", with: "市不存在局")
            unknown[3] = unknown[3].replacingOccurrences(of: "第一巡察组", with: "第九巡察组")
            let places = rejection(try await importProblems(store, unknown, as: s.office))
            #expect(places == ["第4行“被巡察单位”列：本级没有名为“市不存在局”的被巡察单位", "第5行“巡察组”列：“第1轮”没有“第九巡察组”"])

            // The plan cannot know the unit's list is issued on its latest finding's day (2026-03-25):
            // closing P-01 before it is the task lifecycle's refusal, in the day's column.
            var early = LedgerSamples.problemListRows
            early[0] = early[0].replacingOccurrences(of: "2026/5/20", with: "2026-03-21")
            let order = rejection(try await importProblems(store, early, as: s.office))
            #expect(order == ["第2行“销号日期”列：业务日期不能早于上一步的业务日期（2026-03-25）"])

            // A member does not dispose of problems; the register is the lead custodian's alone.
            await #expect(throws: DomainError.forbidden) { _ = try await importProblems(store, as: s.member) }
            await #expect(throws: DomainError.forbidden) { _ = try await importLeads(store, as: s.office) }

            var lower = LedgerSamples.leadRegisterRows
            lower[1] = lower[1].replacingOccurrences(of: "清河县委", with: "")
            let committee = rejection(try await importLeads(store, lower, as: s.f.origin(.leadCustodian)))
            #expect(committee == ["第3行“接收党委”列：被反映人由下级党组织管理，须选择接收线索的下级党委，或移交本级纪委监委转派驻纪检监察组"])

            let preview = try await importProblems(store, dryRun: true, as: s.office)
            #expect(!preview.written && preview.problems.isEmpty && preview.created == 6, "a preview of a good file says what it would write")

            #expect(try await written(store) == before, "nothing was written")
            #expect(try await count(store, "audit_entries WHERE action = 'ledger.import'") == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func aUnitWhoseFeedbackWasIssuedInXunchaTakesNoImportedDeadlineProblemsButAnImmediateOneUnderWayIsSignedFor(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let issued = try await Scenario.feedbackIssued(store)
            let rows = [
                LedgerSamples.problemListRows[0],
                "P-08,违规发放购物卡,市财政局,十五届第1轮,第1批,第一巡察组,违规发放津补贴或福利,立行立改,,,,,,,整改中,,2026-03-22,,,",
            ]
            let refused = rejection(try await importProblems(store, rows, as: issued.office))
            #expect(refused == ["第2行“处置方式”列：市财政局的反馈意见已在系统中拟制，其限期整改问题请在系统中办理"])

            #expect(try await importProblems(store, [rows[1]], as: issued.office).written)
            let paper = try await store.finding(try await importedRecords(store, .problemList)["P-08"]!, for: issued.office.actor)
            let item = try #require(try await store.openedByTriage(of: paper).immediate)
            #expect(item.status == .signed, "整改中: the notice issued and signed for on the day it was found")
            let notice = try await store.immediateRectification(item.id, for: issued.office.actor)
            #expect(notice.signedAt.map(CalendarDay.init) == day("2026-03-22") && notice.number != nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func importingTheSameKeysAgainUpdatesRatherThanDuplicates(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            #expect(try await importProblems(store, as: s.office).written)
            let first = try await importedRecords(store, .problemList)
            let counts = try await written(store)

            let again = try await importProblems(store, as: s.office)
            #expect(again.written && again.created == 0 && again.updated == 6)
            #expect(try await importedRecords(store, .problemList) == first)
            #expect(try await written(store) == counts, "the same ledger again changes nothing")

            // The ledger moves on: P-02 closed with a new cadre, and a new problem at 市财政局.
            var later = LedgerSamples.problemListRows
            later[1] = later[1].replacingOccurrences(of: "王科长,2026年9月30日,整改中,,", with: "赵科长,2026年9月30日,已销号,2026-11-30,")
            later.append("P-07,公务用车管理不规范,市财政局,十五届第1轮,第1批,第一巡察组,工作纪律,限期整改,,,张局长,办公室,周科长,2026-12-31,整改中,,2026-04-20,,,")
            let moved = try await importProblems(store, later, file: "问题清单（更新）.xlsx", as: s.office)
            #expect(moved.written && moved.created == 1 && moved.updated == 6)
            let movedRecords = try await importedRecords(store, .problemList)
            let tasks = try await tasks(store)
            #expect(tasks.count == 4)
            let p2 = tasks[first["P-02"]!]
            #expect(p2?.status == "closed" && p2?.closedOn == day("2026-11-30") && p2?.cadre == "赵科长")
            #expect(tasks[movedRecords["P-07"]!]?.status == "in_progress")
            #expect(try await count(store, "feedbacks") == 2, "the new problem joins 市财政局's list")
            #expect(try await count(store, "findings") == 7)

            // Nor does a ledger take work back: the first file again would reopen P-01 and P-02.
            var back = LedgerSamples.problemListRows
            back[0] = back[0].replacingOccurrences(of: "已销号,2026/5/20", with: "整改中,")
            let refusal = rejection(try await importProblems(store, back, as: s.office))
            #expect(
                refusal == [
                    "第2行“整改状态”列：整改任务在系统中已为“已销号”，台账记载为“整改中”，导入不能退回", "第3行“整改状态”列：整改任务在系统中已为“已销号”，台账记载为“整改中”，导入不能退回",
                ])

            let custodian = s.f.origin(.leadCustodian)
            #expect(try await importLeads(store, as: custodian).written)
            let leads = try await importedRecords(store, .leadRegister)
            var answered = LedgerSamples.leadRegisterRows
            answered[1] = answered[1].replacingOccurrences(of: "已移交,,,,,,,", with: "已办结,组织处理,第二种形态,1,调整岗位,2026-09-01,,")
            let update = try await importLeads(store, answered, as: custodian)
            #expect(update.written && update.created == 0 && update.updated == 4)
            #expect(try await importedRecords(store, .leadRegister) == leads)
            let lead = try await store.lead(leads["L-02"]!, origin: custodian)
            #expect(lead.status == .answered && lead.disposition?.form == 2 && lead.answeredAt.map(CalendarDay.init) == day("2026-09-01"))
            #expect(try await count(store, "leads") == 5, "the register's four and the problem list's one")
        }
    }

    /// A ledger of many rows (more than one batch of marks): every row is one record marked once
    /// under its key, again after a re-import from another file, and the audit chain holds row by row.
    @Test(arguments: TestEngine.available)
    func aLargeLedgerMarksEachRecordOnceUnderItsKeyAndKeepsTheAuditChain(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let samples = LedgerSamples.problemListRows
            let rows = (0..<120).map { n in
                let sample = samples[n % samples.count]
                return String(format: "L-%03d", n + 1) + sample.drop { $0 != "," }
            }
            let first = try await importProblems(store, rows, as: s.office)
            #expect(first.written && first.created == 120 && first.updated == 0)
            let records = try await importedRecords(store, .problemList)
            #expect(records.count == 120 && Set(records.values).count == 120)
            #expect(try await count(store, "imported_records WHERE kind = 'problem_list'") == 120)
            #expect(try await count(store, "findings") == 120)

            let again = try await importProblems(store, rows, file: "问题清单（再次导入）.xlsx", as: s.office)
            #expect(again.written && again.created == 0 && again.updated == 120)
            #expect(try await importedRecords(store, .problemList) == records)
            #expect(try await count(store, "imported_records WHERE kind = 'problem_list'") == 120, "one mark per record, the latest import's")
            #expect(try await count(store, "imported_records WHERE kind = 'problem_list' AND file_name = '问题清单（再次导入）.xlsx'") == 120)

            let report = try await store.checkAuditChain(publicKey: nil, deep: true, origin: Fixture.console)
            #expect(report.isIntact && report.rowsChecked > 0, "\(report.problems)")
        }
    }

    /// The batched writing (audit entries chained in memory and inserted in batches, marks in
    /// batches) against the row-by-row one: the same ledger, imported and then re-imported with
    /// changes into two stores that make the same ids, leaves the same rows in every table an
    /// import writes and the same audit entries, each chain intact row by row.
    @Test(arguments: TestEngine.available)
    func batchedWritingLeavesWhatRowByRowWritingLeaves(engine: TestEngine) async throws {
        let samples = LedgerSamples.problemListRows
        let rows = (0..<60).map { n in String(format: "W-%03d", n + 1) + samples[n % samples.count].drop { $0 != "," } }
        var moved = rows
        moved[1] = moved[1].replacingOccurrences(of: "王科长,2026年9月30日,整改中,,", with: "赵科长,2026年9月30日,已销号,2026-11-30,")
        moved.append("W-999,公务用车管理不规范,市财政局,十五届第1轮,第1批,第一巡察组,工作纪律,限期整改,,,张局长,办公室,周科长,2026-12-31,整改中,,2026-04-20,,,")

        func imported(_ writing: LedgerImportWriting) async throws -> [String: [String]] {
            try await withTestStore(engine) { base in
                let store = Store(database: base.database, clock: base.clock, ids: CountingIDs(), hasher: PasswordHasher(cost: 4))
                let s = try await Scenario.onSite(store)
                let head = try await count(store, "audit_entries")
                for (ledger, file) in [(rows, Self.problemFile), (moved, "问题清单（更新）.xlsx")] {
                    let outcome = try await store.importLedger(
                        .problemList, table: LedgerSamples.problemList(ledger), mapping: nil, fileName: file, into: s.office.actor.jurisdictionID!, dryRun: false,
                        origin: s.office, writing: writing)
                    #expect(outcome.written, "\(outcome.problems.map(\.text))")
                }
                let report = try await store.checkAuditChain(publicKey: nil, deep: true, origin: Fixture.console)
                #expect(report.isIntact, "\(report.problems)")
                var tables: [String: [String]] = [:]
                for table in [
                    "findings", "finding_tags", "record_steps", "leads", "immediate_rectifications", "feedbacks", "feedback_problems", "rectification_plans",
                    "rectification_tasks", "imported_records", "import_mappings",
                ] {
                    tables[table] = try await dump(store, "SELECT * FROM \(table)")
                }
                // The chain before the import was made by each store's own setup; the import's entries are compared whole but for their links.
                tables["audit_entries"] = try await dump(store, "SELECT * FROM audit_entries WHERE seq > \(head)", leaving: ["prev_hash", "hash"])
                return tables
            }
        }
        let batched = try await imported(.batched)
        let rowByRow = try await imported(.rowByRow)
        #expect(batched["findings"]?.count == 61 && (batched["audit_entries"]?.count ?? 0) > 61 * 4)
        #expect(Set(batched["findings"] ?? []).count == 61 && Set(batched["audit_entries"] ?? []).count == batched["audit_entries"]?.count, "the dump reads the values")
        for (table, rows) in rowByRow { #expect(batched[table] == rows, "\(table) differs") }
    }

    /// Every row of `sql`, each as its columns in name order, the rows sorted.
    func dump(_ store: Store, _ sql: String, leaving: Set<String> = []) async throws -> [String] {
        try await store.database.transaction { db in
            try await db.raw("\(unsafeRaw: sql)").all().map { row in
                row.allColumns.sorted().filter { !leaving.contains($0) }.map { column in
                    let value = (try? row.decode(column: column, as: String?.self)).flatMap { $0 } ?? (try? row.decode(column: column, as: Int64?.self)).flatMap { $0 }.map(String.init)
                    return column + "=" + (value ?? "~")
                }.joined(separator: "|")
            }.sorted()
        }
    }
}

/// Ids counted from one: two stores that take the same steps make the same records.
final class CountingIDs: IDGenerator {
    private let count = Mutex<UInt64>(0)

    func next() -> UUID {
        let n = count.withLock { n in
            n += 1
            return n
        }
        return UUID(uuidString: String(format: "00000000-0000-7000-8000-%012llx", n))!
    }
}
