import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 反馈意见: after the approved report, with the problem list from the 限期整改 papers, worded for
/// the unit, which reads it only once issued.
@Suite("反馈意见 store")
struct FeedbackStoreTests {
    static func document(planDue: String = "2027-01-20", reportDue: String = "2027-02-28") throws -> FeedbackDocument {
        FeedbackDocument(
            number: "江巡反〔2026〕1号", title: "关于巡察市财政局党组的反馈意见", mainRecipient: "市财政局党组", copyRecipients: ["市纪委监委", "市委组织部", " "],
            body: "根据市委统一部署……", planDue: try CalendarDay(text: planDue, field: "d", label: "d"), reportDue: try CalendarDay(text: reportDue, field: "d", label: "d"))
    }

    /// Two approved papers about 市财政局 (one 限期整改, one 立行立改).
    static func papers(_ store: Store, _ s: FieldworkStoreTests.Setup) async throws -> (deadline: Finding, immediate: Finding) {
        var made: [Finding] = []
        for (title, disposition) in [("三重一大事项未经集体决策", Disposition.deadline), ("违规发放津补贴", .immediate)] {
            var paper = try await store.draftFinding(in: s.finance.id, content: try FieldworkStoreTests.content(title), tags: FieldworkStoreTests.integrity, origin: s.member)
            paper = try await store.take(FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: s.member)
            paper = try await store.take(FindingStep.approve, on: paper.id, note: "同意", version: paper.version, origin: s.leader)
            made.append(try await store.triage(paper.id, as: disposition, note: nil, version: paper.version, origin: s.leader))
        }
        return (made[0], made[1])
    }

    static func approveReport(_ store: Store, _ s: FieldworkStoreTests.Setup, findings: [UUID]) async throws {
        _ = try await store.changeSettings(
            of: s.f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, reportChain: [ReportStage(name: "常委会", role: .officeStaff)], version: 0, origin: s.office)
        var report = try await store.draftReport(in: s.finance.id, kind: .inspection, title: "巡察报告", body: "正文", findings: findings, origin: s.leader)
        report = try await store.take(ReportStep.submit, on: report.id, note: nil, version: report.version, origin: s.leader)
        _ = try await store.take(ReportStep.approve, on: report.id, note: nil, version: report.version, origin: s.office)
    }

    @Test(arguments: TestEngine.available)
    func feedbackFollowsTheApprovedReportAndTheUnitReadsItsProblemsOnlyOnceIssued(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await FieldworkStoreTests.setUp(store)
            let (deadline, immediate) = try await Self.papers(store, s)
            let early = await #expect(throws: DomainError.self) { _ = try await store.draftFeedback(for: s.finance.id, document: try Self.document(), origin: s.office) }
            #expect(early?.code == "report_not_approved")
            try await Self.approveReport(store, s, findings: [deadline.id, immediate.id])
            let past = await #expect(throws: DomainError.self) {
                _ = try await store.draftFeedback(for: s.finance.id, document: try Self.document(planDue: "2026-01-01"), origin: s.office)
            }
            #expect(past?.code == "deadline_before_feedback")
            let order = await #expect(throws: DomainError.self) {
                _ = try await store.draftFeedback(for: s.finance.id, document: try Self.document(reportDue: "2027-01-10"), origin: s.office)
            }
            #expect(order?.code == "deadline_order")
            await #expect(throws: DomainError.forbidden) { _ = try await store.draftFeedback(for: s.finance.id, document: try Self.document(), origin: s.leader) }

            var feedback = try await store.draftFeedback(for: s.finance.id, document: try Self.document(), origin: s.office)
            #expect(feedback.problems.map(\.text) == ["三重一大事项未经集体决策"], "only the 限期整改 papers")
            #expect(feedback.problems.first?.findingID == deadline.id)
            #expect(feedback.document.copyRecipients == ["市纪委监委", "市委组织部"])
            let head = s.f.actor(.unitHead)
            #expect(try await store.feedbacks(for: head).items.isEmpty, "a draft stays with the office")
            await #expect(throws: DomainError.notFound) { _ = try await store.feedback(feedback.id, for: head) }
            let twice = await #expect(throws: DomainError.self) { _ = try await store.draftFeedback(for: s.finance.id, document: try Self.document(), origin: s.office) }
            #expect(twice?.code == "feedback_exists")

            let problem = try #require(feedback.problems.first)
            let stale = await #expect(throws: DomainError.self) {
                _ = try await store.wordProblem(problem.id, of: feedback.id, as: "x", version: feedback.version + 1, origin: s.office)
            }
            #expect(stale?.code == "stale_version")
            feedback = try await store.wordProblem(
                problem.id, of: feedback.id, as: "党组落实“三重一大”集体决策制度不到位，部分大额资金使用未经集体研究", version: feedback.version, origin: s.office)
            feedback = try await store.take(FeedbackStep.issue, on: feedback.id, note: nil, version: feedback.version, origin: s.office)
            #expect(feedback.status == .issued)
            let history = try await store.history(FeedbackLifecycle.self, of: feedback.id, for: s.office.actor)
            #expect(history.map(\.step) == [.issue] && history.map(\.to) == [.issued], "印发 is kept in the feedback's history")
            let again = await #expect(throws: DomainError.self) {
                _ = try await store.take(FeedbackStep.issue, on: feedback.id, note: nil, version: feedback.version, origin: s.office)
            }
            #expect(again?.kind == .conflict, "issued once")
            let seen = try #require(try await store.feedbacks(for: head).items.first)
            #expect(seen.problems.map(\.text) == ["党组落实“三重一大”集体决策制度不到位，部分大额资金使用未经集体研究"])
            await #expect(throws: DomainError.notFound, "the paper behind the problem stays hidden") { _ = try await store.finding(deadline.id, for: head) }
            let frozen = await #expect(throws: DomainError.self) {
                _ = try await store.wordProblem(problem.id, of: feedback.id, as: "改", version: feedback.version, origin: s.office)
            }
            #expect(frozen?.code == "feedback_issued")

            let other = try await store.createUser(
                UserDraft(username: "t.other.head", displayName: "教育局书记", jurisdictionID: s.f.city.id, roles: try RoleSet([.unitHead], unitGiven: true), unitID: s.t.s.units[1].id),
                origin: Fixture.console)
            #expect(try await store.feedbacks(for: .account(other.user, jurisdictionPath: s.f.city.path)).items.isEmpty, "another unit sees nothing of it")
            for role in [Role.disciplineReceiver, .organisationReceiver, .leadCustodian, .systemAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.feedbacks(for: s.f.actor(role)) }
            }
        }
    }
}
