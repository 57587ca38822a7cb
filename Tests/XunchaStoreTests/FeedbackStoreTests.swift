import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 反馈意见: after the approved report, with the problem list from the 限期整改 papers, worded for
/// the unit, which reads it only once issued.
@Suite("反馈意见 store")
struct FeedbackStoreTests {
    @Test(arguments: TestEngine.available)
    func feedbackFollowsTheApprovedReportAndTheUnitReadsItsProblemsOnlyOnceIssued(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let (deadline, immediate) = try await s.atFinance.papersForFeedback(store)
            let early = await #expect(throws: DomainError.self) { _ = try await store.draftFeedback(for: s.finance.id, document: try Scenario.feedbackDocument(), origin: s.office) }
            #expect(early?.code == "report_not_approved")
            try await Scenario.shortReportChain(store, s.f)
            _ = try await s.atFinance.approvedReport(store, findings: [deadline.id, immediate.id])
            let order = await #expect(throws: DomainError.self) {
                _ = try await store.draftFeedback(for: s.finance.id, document: try Scenario.feedbackDocument(reportDue: "2027-01-10"), origin: s.office)
            }
            #expect(order?.code == "deadline_order")
            await #expect(throws: DomainError.forbidden) { _ = try await store.draftFeedback(for: s.finance.id, document: try Scenario.feedbackDocument(), origin: s.leader) }

            var feedback = try await store.draftFeedback(for: s.finance.id, document: try Scenario.feedbackDocument(), origin: s.office)
            #expect(feedback.problems.map(\.text) == ["三重一大事项未经集体决策"], "only the 限期整改 papers")
            #expect(feedback.problems.first?.findingID == deadline.id)
            #expect(feedback.document.copyRecipients == ["市纪委监委", "市委组织部"])
            let head = s.f.actor(.unitHead)
            #expect(try await store.feedbacks(for: head).items.isEmpty, "a draft stays with the office")
            await #expect(throws: DomainError.notFound) { _ = try await store.feedback(feedback.id, for: head) }
            let twice = await #expect(throws: DomainError.self) { _ = try await store.draftFeedback(for: s.finance.id, document: try Scenario.feedbackDocument(), origin: s.office) }
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

            let otherHead = try await Scenario.unitHead(of: s.planned.units[1].id, username: "t.other.head", displayName: "教育局书记", store, s.f).actor
            #expect(try await store.feedbacks(for: otherHead).items.isEmpty, "another unit sees nothing of it")
            for role in [Role.disciplineReceiver, .organisationReceiver, .leadCustodian, .systemAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.feedbacks(for: s.f.actor(role)) }
            }
        }
    }
}
