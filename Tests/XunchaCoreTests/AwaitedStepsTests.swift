import Foundation
import Testing
import XunchaCore

/// 待办 is what a record's state waits for and who may take it — decided by each lifecycle, not
/// by the work centre: steps nobody is expected to take (a reopening, an optional opinion, a
/// triage of a paper still in review) never wait.
@Suite("What waits for whom")
struct AwaitedStepsTests {
    func waits<L: Lifecycle>(_ lifecycle: L.Type, _ standing: L.Standing) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: L.awaiting(standing: standing).map { ($0.status.rawValue, $0.steps.map(\.rawValue)) })
    }

    @Test func aPaperWaitsForItsGroupMeetingThenForItsDisposition() {
        #expect(waits(FindingLifecycle.self, FindingStanding(isMember: true, isLeader: false)) == ["draft": ["submit"], "returned": ["submit"]])
        #expect(waits(FindingLifecycle.self, FindingStanding(isMember: true, isLeader: true))["under_review"] == ["return", "approve"])
        #expect(waits(FindingLifecycle.self, FindingStanding(isMember: false, isLeader: false, mayTriage: true)) == ["approved": ["triage"]])
    }

    @Test func aRoundUnderReviewWaitsForTheLeadingGroupNotTheOffice() {
        let member = Actor(kind: .consoleOperator, name: "x", jurisdictionID: nil, jurisdictionPath: "/", roles: [], unitID: nil)
        var leadingGroup = RoundStanding(actor: member, mayReview: true, mayManage: false)
        leadingGroup.roles = [.leadingGroupMember]
        var office = RoundStanding(actor: member, mayReview: false, mayManage: true)
        office.roles = [.officeStaff]
        #expect(waits(RoundLifecycle.self, leadingGroup) == ["under_review": ["approve", "return"]])
        #expect(waits(RoundLifecycle.self, office)["under_review"] == nil)
        #expect(waits(RoundLifecycle.self, office)["submitted"] == ["record_committee_approval"])
    }

    @Test func aClosedTaskWaitsForNobodyThoughItsReviewerMayReopenIt() {
        #expect(waits(TaskLifecycle.self, TaskStanding(isReviewer: true)) == ["closure_requested": ["close"]])
        #expect(waits(TaskLifecycle.self, TaskStanding(isUnitSide: true)) == ["in_progress": ["progress", "request_closure"]])
        #expect(TaskLifecycle.settledStatuses.contains(.closed))
        #expect(TaskLifecycle.available(on: RectificationLifecycleTests.task(.closed), standing: TaskStanding(isReviewer: true)) == [.reopen])
    }

    @Test func anEndorsedPlanWaitsForTheOfficesDecisionNotForTheOpinionsOfOthers() {
        #expect(waits(PlanLifecycle.self, PlanStanding(reviewBody: .office)) == ["endorsed": ["approve", "return"]])
        #expect(waits(PlanLifecycle.self, PlanStanding(reviewBody: .discipline)).isEmpty)
        #expect(waits(PlanLifecycle.self, PlanStanding(isUnitHead: true)) == ["drafting": ["endorse"], "returned": ["endorse"]])
    }

    @Test func aThematicReportWaitsForTheDepartmentOnceThenForTheOfficeToCloseIt() {
        #expect(waits(ThematicReportLifecycle.self, ThematicReportStanding(mayRecordRuleChange: true)) == ["sent": ["record_rule_change"]])
        #expect(waits(ThematicReportLifecycle.self, ThematicReportStanding(mayManage: true)) == ["draft": ["send"], "answered": ["close"]])
    }

    @Test func onlyAnItemPastItsDeadlineIsRemindedOf() throws {
        let today = CalendarDay(year: 2026, month: 12, day: 6)
        #expect(throws: DomainError.self) { try Reminder.requireOverdue(today, today: today) }
        #expect(throws: DomainError.self) { try Reminder.requireOverdue(nil, today: today) }
        try Reminder.requireOverdue(today.adding(days: -1), today: today)
        #expect(try Reminder.note("  ") == "请抓紧办理")
    }
}
