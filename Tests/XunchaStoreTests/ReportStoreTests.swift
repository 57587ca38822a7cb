import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 巡察报告: from approved findings up the committee's chain, returned with comments, filed.
@Suite("巡察报告 store")
struct ReportStoreTests {
    @Test(arguments: TestEngine.available)
    func aReportClimbsEveryStageOfTheChainAndAnyStageMayReturnIt(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let draft = try await store.draftFinding(in: s.finance.id, content: try Scenario.content("未审定"), tags: Scenario.integrity, origin: s.member)
            let unapproved = await #expect(throws: DomainError.self) {
                _ = try await store.draftReport(in: s.finance.id, kind: .inspection, title: "关于巡察市财政局党组的情况报告", body: "……", findings: [draft.id], origin: s.member)
            }
            #expect(unapproved?.code == "finding_not_approved")
            let paper = try await s.atFinance.approvedPaper(store)
            var report = try await store.draftReport(
                in: s.finance.id, kind: .inspection, title: "关于巡察市财政局党组的情况报告", body: "一、基本情况……", findings: [paper.id], origin: s.member)
            #expect(report.status == .draft)
            let byMember = await #expect(throws: DomainError.self) {
                _ = try await store.take(ReportStep.submit, on: report.id, note: nil, version: report.version, origin: s.member)
            }
            #expect(byMember?.code == "step_not_allowed")
            report = try await store.take(ReportStep.submit, on: report.id, note: nil, version: report.version, origin: s.leader)
            #expect(report.pendingStage?.name == "巡察办审核")
            let wrongStage = await #expect(throws: DomainError.self) {
                _ = try await store.take(ReportStep.approve, on: report.id, note: nil, version: report.version, origin: s.f.origin(.leadingGroupMember))
            }
            #expect(wrongStage?.code == "step_not_allowed", "the office's stage is the office's")
            report = try await store.take(ReportStep.approve, on: report.id, note: nil, version: report.version, origin: s.office)
            #expect(report.pendingStage?.name == "巡察工作领导小组会议")
            let bare = await #expect(throws: DomainError.self) {
                _ = try await store.take(ReportStep.returnForRevision, on: report.id, note: " ", version: report.version, origin: s.f.origin(.leadingGroupMember))
            }
            #expect(bare?.code == "required")
            report = try await store.take(
                ReportStep.returnForRevision, on: report.id, note: "补充选人用人方面的问题", version: report.version, origin: s.f.origin(.leadingGroupMember))
            #expect(report.status == .returned)
            report = try await store.editReport(report.id, title: report.title, body: "一、基本情况……二、选人用人……", findings: [paper.id], version: report.version, origin: s.member)
            report = try await store.take(ReportStep.submit, on: report.id, note: nil, version: report.version, origin: s.leader)
            #expect(report.stageIndex == 0, "a returned report climbs from the first stage again")
            for origin in [s.office, s.f.origin(.leadingGroupMember), s.office, s.office] {
                report = try await store.take(ReportStep.approve, on: report.id, note: nil, version: report.version, origin: origin)
            }
            #expect(report.status == .approved)
            let frozen = await #expect(throws: DomainError.self) {
                _ = try await store.editReport(report.id, title: "x", body: "y", findings: [paper.id], version: report.version, origin: s.member)
            }
            #expect(frozen?.code == "report_not_editable")
            let history = try await store.history(ReportLifecycle.self, of: report.id, for: s.office.actor)
            #expect(history.compactMap(\.stage) == ["巡察办审核", "巡察工作领导小组会议", "巡察办审核", "巡察工作领导小组会议", "书记专题会", "常委会"])
        }
    }

    @Test(arguments: TestEngine.available)
    func anApprovedReportIsFiledWithEachBodyOnceAndNeverShownToTheUnit(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let office = s.office
            _ = try await store.changeSettings(
                of: s.f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, reportChain: [ReportStage(name: "领导小组会议", role: .leadingGroupMember)], version: 0,
                origin: office)
            let paper = try await s.atFinance.approvedPaper(store)
            var report = try await store.draftReport(in: s.finance.id, kind: .inspection, title: "巡察报告", body: "正文", findings: [paper.id], origin: s.leader)
            let early = await #expect(throws: DomainError.self) { _ = try await store.fileReport(report.id, with: "市委", origin: office) }
            #expect(early?.code == "report_not_approved")
            report = try await store.take(ReportStep.submit, on: report.id, note: nil, version: report.version, origin: s.leader)
            report = try await store.take(ReportStep.approve, on: report.id, note: nil, version: report.version, origin: s.f.origin(.leadingGroupMember))
            #expect(report.status == .approved, "the committee's own one-stage chain")
            report = try await store.fileReport(report.id, with: "市委", origin: office)
            report = try await store.fileReport(report.id, with: "省委巡视办", origin: office)
            #expect(report.filings.map(\.recipient) == ["市委", "省委巡视办"], "一巡双报告")
            let twice = await #expect(throws: DomainError.self) { _ = try await store.fileReport(report.id, with: "市委", origin: office) }
            #expect(twice?.code == "already_filed")
            await #expect(throws: DomainError.forbidden) { _ = try await store.fileReport(report.id, with: "市纪委", origin: s.leader) }
            for role in [Role.unitHead, .unitContact, .disciplineReceiver, .organisationReceiver, .leadCustodian, .systemAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.reports(for: s.f.actor(role)) }
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.report(report.id, for: s.f.actor(role)) }
            }
            #expect(try await store.reports(for: s.f.countyAOffice).items.isEmpty)
            #expect(try await store.reports(for: s.member.actor).items.map(\.id) == [report.id])
            let badChain = await #expect(throws: DomainError.self) {
                _ = try await store.changeSettings(
                    of: s.f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, reportChain: [ReportStage(name: "组务会", role: .groupLeader)], version: 1, origin: office)
            }
            #expect(badChain?.code == "invalid_report_chain")
        }
    }
}
