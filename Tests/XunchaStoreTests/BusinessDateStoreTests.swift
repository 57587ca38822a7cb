import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 业务日期: a step keeps the day it happened beside when it was recorded, so an office can enter
/// work done before it moved in; the day is checked against today, the step before and the
/// office's 补录 setting, and everything a step sets falls on that day.
@Suite("业务日期 store")
struct BusinessDateStoreTests {
    func day(_ text: String) throws -> CalendarDay { try CalendarDay(text: text, field: "d", label: "d") }

    @Test(arguments: TestEngine.available)
    func aStepEnteredAfterTheFactFallsOnItsBusinessDayAndSaysSoInTheHistoryAndTheAuditLog(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let today = CalendarDay(store.clock.now())
            let paper = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            let lastYear = CalendarDay(year: today.year - 1, month: 12, day: 30)
            let submitted = try await store.take(
                FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: s.member, dated: BusinessDate(day: lastYear.adding(days: -1), reason: "纸质底稿"))
            let approved = try await store.take(
                FindingStep.approve, on: paper.id, note: "同意", version: submitted.version, origin: s.leader,
                dated: BusinessDate(day: lastYear, reason: "启用系统前已审批，据纸质底稿补录"))

            #expect(approved.approvedAt.map(CalendarDay.init) == lastYear, "the approval counts on its business day")
            #expect(approved.number?.hasPrefix("〔\(lastYear.year)〕") == true, "and is numbered in its business year")

            let history = try await store.history(FindingLifecycle.self, of: paper.id, for: s.leader.actor)
            #expect(history.map(\.occurredOn) == [lastYear.adding(days: -1), lastYear])
            #expect(history.allSatisfy { CalendarDay($0.at) == today }, "beside the day each was recorded")
            #expect(history.allSatisfy { $0.isBackfilled })
            #expect(history.first { $0.step == .approve }?.backfillReason == "启用系统前已审批，据纸质底稿补录")

            let audit = try await store.auditEntries(AuditQuery(targetID: paper.id.text), origin: s.f.origin(.auditAdministrator))
            #expect(audit.items.contains { $0.event.detail?.hasSuffix("（业务日期\(lastYear)，补录：启用系统前已审批，据纸质底稿补录）") == true })
            #expect(audit.items.contains { $0.event.detail?.hasSuffix("（业务日期\(lastYear.adding(days: -1))，补录：纸质底稿）") == true })
        }
    }

    @Test(arguments: TestEngine.available)
    func aStepDatedInTheFutureBeforeTheStepBeforeItOrLongAgoWithoutAReasonIsRefusedWithNothingWritten(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let today = CalendarDay(store.clock.now())
            let paper = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            let submitted = try await store.take(
                FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: s.member, dated: BusinessDate(day: today.adding(days: -2)))

            let refusals: [(BusinessDate, String)] = [
                (BusinessDate(day: today.adding(days: 1)), "future_business_date"),
                (BusinessDate(day: today.adding(days: -3)), "business_date_before_previous"),
            ]
            for (dated, code) in refusals {
                let error = await #expect(throws: DomainError.self) {
                    _ = try await store.take(FindingStep.approve, on: paper.id, note: "同意", version: submitted.version, origin: s.leader, dated: dated)
                }
                #expect(error?.code == code)
                #expect(error?.field == "occurred_on")
            }
            // A fresh paper has no step before it: a day long ago needs only its reason.
            let other = try await store.draftFinding(in: s.finance.id, content: try Scenario.content("违规公款吃喝"), tags: Scenario.integrity, origin: s.member)
            let unexplained = await #expect(throws: DomainError.self) {
                _ = try await store.take(FindingStep.submit, on: other.id, note: nil, version: other.version, origin: s.member, dated: BusinessDate(day: today.adding(days: -8)))
            }
            #expect(unexplained?.code == "backfill_reason_required")
            #expect(unexplained?.field == "backfill_reason")

            #expect(try await store.finding(paper.id, for: s.leader.actor).version == submitted.version, "nothing was written")
            #expect(try await store.history(FindingLifecycle.self, of: paper.id, for: s.leader.actor).count == 1)
            #expect(try await store.history(FindingLifecycle.self, of: other.id, for: s.leader.actor).isEmpty)

            let sameDay = try await store.take(
                FindingStep.approve, on: paper.id, note: "同意", version: submitted.version, origin: s.leader, dated: BusinessDate(day: today.adding(days: -2)))
            #expect(sameDay.status == .approved, "a step may share the day of the step before it")
        }
    }

    @Test(arguments: TestEngine.available)
    func theOfficeSetsHowFarBackAStepMayBeDatedWithoutAReason(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let today = CalendarDay(store.clock.now())
            #expect(try await store.settings(of: s.f.city.id, for: s.office.actor).backfillDays == 7, "a week by default")
            let settings = try await store.changeSettings(
                of: s.f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, backfillDays: 30, version: 0, origin: s.office)
            #expect(settings.backfillDays == 30)
            let paper = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            let submitted = try await store.take(
                FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: s.member, dated: BusinessDate(day: today.adding(days: -20)))
            #expect(submitted.status == .underReview)

            _ = try await store.changeSettings(of: s.f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, backfillDays: 0, version: settings.version, origin: s.office)
            let error = await #expect(throws: DomainError.self, "with 0 days every earlier day needs a reason") {
                _ = try await store.take(
                    FindingStep.approve, on: paper.id, note: "同意", version: submitted.version, origin: s.leader, dated: BusinessDate(day: today.adding(days: -1)))
            }
            #expect(error?.code == "backfill_reason_required")
            let refused = await #expect(throws: DomainError.self) {
                _ = try await store.changeSettings(
                    of: s.f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, backfillDays: 400, version: settings.version + 1, origin: s.office)
            }
            #expect(refused?.code == "invalid_backfill_days")
        }
    }

    /// Feedback entered after the fact carries deadlines that have passed today; they must follow the
    /// day it was issued, not the day it is entered.
    @Test(arguments: TestEngine.available)
    func feedbackDeadlinesFollowTheDayOfIssueNotTheDayOfEntry(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let (deadline, immediate) = try await s.atFinance.papersForFeedback(store)
            try await Scenario.shortReportChain(store, s.f)
            _ = try await s.atFinance.approvedReport(store, findings: [deadline.id, immediate.id])
            let today = CalendarDay(store.clock.now())
            let planDue = today.adding(days: -30)
            let feedback = try await store.draftFeedback(
                for: s.finance.id, document: try Scenario.feedbackDocument(planDue: planDue.description, reportDue: today.adding(days: -1).description), origin: s.office)

            let late = await #expect(throws: DomainError.self, "issued today, the plan's deadline would already have passed") {
                _ = try await store.take(FeedbackStep.issue, on: feedback.id, note: nil, version: feedback.version, origin: s.office)
            }
            #expect(late?.code == "deadline_before_feedback")
            let onTheDay = try await store.take(
                FeedbackStep.issue, on: feedback.id, note: nil, version: feedback.version, origin: s.office,
                dated: BusinessDate(day: planDue.adding(days: -20), reason: "据印发的反馈意见补录"))
            #expect(onTheDay.status == .issued)
            #expect(onTheDay.issuedAt.map(CalendarDay.init) == planDue.adding(days: -20))
        }
    }

    @Test(arguments: TestEngine.available)
    func aStepSetOffByAnotherFallsOnTheSameBusinessDay(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let today = CalendarDay(store.clock.now())
            let threeDaysAgo = BusinessDate(day: today.adding(days: -3))
            var paper = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            paper = try await store.take(FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: s.member, dated: threeDaysAgo)
            paper = try await store.take(FindingStep.approve, on: paper.id, note: "同意", version: paper.version, origin: s.leader, dated: threeDaysAgo)
            paper = try await store.triage(paper.id, as: .immediate, note: nil, version: paper.version, origin: s.leader, dated: threeDaysAgo)
            let item = try #require(try await store.immediateRectifications(assignment: s.finance.id, for: s.office.actor).items.first { $0.findingID == paper.id })
            let earlier = BusinessDate(day: today.adding(days: -1))
            let retriaged = try await store.triage(paper.id, as: .deadline, note: "改为限期整改", lead: nil, version: paper.version, origin: s.leader, dated: earlier)
            #expect(retriaged.disposition == .deadline)
            let withdrawn = try await store.history(ImmediateLifecycle.self, of: item.id, for: s.office.actor).last
            #expect(withdrawn?.step == .withdraw)
            #expect(withdrawn?.occurredOn == today.adding(days: -1))
            #expect(CalendarDay(item.createdAt) == today.adding(days: -3), "the notice triage opened dates from its triage")
        }
    }

    @Test(arguments: TestEngine.available)
    func aLeadFoundBeforeItIsEnteredIsNumberedAndCountedOnItsOwnDay(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let today = CalendarDay(store.clock.now())
            let lastYear = CalendarDay(year: today.year - 1, month: 11, day: 20)
            let unexplained = await #expect(throws: DomainError.self) {
                _ = try await store.registerLead(in: s.finance.id, details: Scenario.leadDetails(), origin: s.member, dated: BusinessDate(day: lastYear))
            }
            #expect(unexplained?.code == "backfill_reason_required")
            #expect(try await store.leads(LeadQuery(), origin: s.f.origin(.leadCustodian)).items.isEmpty, "nothing was written")
            let lead = try await store.registerLead(
                in: s.finance.id, details: Scenario.leadDetails(), origin: s.member, dated: BusinessDate(day: lastYear, reason: "据线索登记簿补录"))
            #expect(lead.number.hasPrefix("〔\(lastYear.year)〕"))
            #expect(CalendarDay(lead.createdAt) == lastYear)
            let audit = try await store.auditEntries(AuditQuery(targetID: lead.id.text), origin: s.f.origin(.auditAdministrator))
            let registered = try #require(audit.items.first { $0.event.action == .leadRegistered })
            #expect(CalendarDay(registered.at) == today, "the audit log keeps when it was entered")
            #expect(registered.event.detail?.hasSuffix("（业务日期\(lastYear)，补录：据线索登记簿补录）") == true)
        }
    }
}
