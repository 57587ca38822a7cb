import Foundation
import Testing
import XunchaCore

/// 整改评估 lifecycle and the checks on grading, 回头看 plans and rule improvements, without a database.
@Suite("整改评估、回头看与制度建设 core")
struct EvaluationTests {
    static func day(_ text: String) throws -> CalendarDay { try CalendarDay(text: text, field: "d", label: "d") }

    static func evaluation(_ status: EvaluationStatus) -> Evaluation {
        Evaluation(
            id: UUID(), jurisdictionID: UUID(), feedbackID: UUID(), feedbackNumber: "1", unitID: UUID(), unitName: "市财政局", status: status,
            plannedOn: CalendarDay(year: 2026, month: 12, day: 1), scheduleNote: nil, methods: [], findings: nil, grade: nil, evaluatedOn: nil, gradedBy: nil,
            secondDeadline: nil, secondReport: nil, secondReportedBy: nil, secondReportedAt: nil, reviewNote: nil, closedAt: nil, createdBy: "office",
            createdAt: Date(), version: 1)
    }

    /// The state `step` leads to from `status`; grading carries `grade` (a worse one with a deadline), the others a note.
    static func apply(_ step: EvaluationStep, to status: EvaluationStatus, grade: EvaluationGrade?, standing: RectificationStanding) throws(DomainError)
        -> EvaluationStatus
    {
        let now = Date()
        let grading = grade.map {
            EvaluationGrading(
                methods: [.fieldCheck], findings: "情况", grade: $0, evaluatedOn: CalendarDay(now),
                secondDeadline: $0.requiresSecondRectification ? CalendarDay(now.addingTimeInterval(30 * 86_400)) : nil)
        }
        return try EvaluationLifecycle.decide(
            step, on: evaluation(status), standing: standing, input: EvaluationStepInput(grading: grading, report: "已整改", note: "理由"),
            context: StepContext(actorName: "office", at: now)
        ).record.status
    }

    @Test func averageAndPoorOpenASecondRectificationTheBetterGradesClose() throws {
        let office: RectificationStanding = [.officeOrLeadingGroup, .office]
        for grade in EvaluationGrade.allCases {
            let to = try Self.apply(.grade, to: .scheduled, grade: grade, standing: office)
            #expect(to == (grade.requiresSecondRectification ? .secondRectification : .closed), "\(grade)")
        }
        #expect(EvaluationGrade.allCases.filter(\.requiresSecondRectification) == [.average, .poor])
    }

    @Test func eachStepBelongsToItsTaker() throws {
        let unit: RectificationStanding = [.unit]
        let leadingGroup: RectificationStanding = [.officeOrLeadingGroup]
        let office: RectificationStanding = [.officeOrLeadingGroup, .office]
        let unitGrades = #expect(throws: DomainError.self) { _ = try Self.apply(.grade, to: .scheduled, grade: .good, standing: unit) }
        #expect(unitGrades?.code == "step_not_allowed")
        #expect(EvaluationLifecycle.available(on: Self.evaluation(.secondRectification), standing: unit) == [.report])
        #expect(EvaluationLifecycle.available(on: Self.evaluation(.secondReported), standing: leadingGroup).isEmpty, "the leading group grades but does not review")
        #expect(EvaluationLifecycle.available(on: Self.evaluation(.secondReported), standing: office) == [.accept, .return])
        #expect(try Self.apply(.return, to: .secondReported, grade: nil, standing: office) == .secondRectification)
        let closed = #expect(throws: DomainError.self) { _ = try Self.apply(.report, to: .closed, grade: nil, standing: unit) }
        #expect(closed?.code == "invalid_transition")
    }

    @Test func gradingChecksMethodsFindingsAndTheSecondDeadline() throws {
        let today = try Self.day("2026-12-20")
        func grading(_ grade: EvaluationGrade, deadline: String? = nil, on day: String = "2026-12-18") throws -> EvaluationGrading {
            EvaluationGrading(methods: [.fieldCheck, .fieldCheck], findings: " 整改情况 ", grade: grade, evaluatedOn: try Self.day(day), secondDeadline: try deadline.map(Self.day))
        }
        let valid = try grading(.poor, deadline: "2027-03-31").validated(today: today)
        #expect(valid.methods == [.fieldCheck])
        #expect(try grading(.good, deadline: "2027-03-31").validated(today: today).secondDeadline == nil)
        #expect(throws: DomainError.self) { _ = try grading(.average).validated(today: today) }
        let before = #expect(throws: DomainError.self) { _ = try grading(.poor, deadline: "2026-12-18").validated(today: today) }
        #expect(before?.code == "second_deadline_order", "the deadline must follow the evaluation day")
        let future = #expect(throws: DomainError.self) { _ = try grading(.good, on: "2026-12-21").validated(today: today) }
        #expect(future?.code == "evaluated_in_future")
        #expect(EvaluationGrade(code: "较好") == .fairlyGood)
        #expect(EvaluationGrade(code: "优秀") == nil)
    }

    @Test func aFollowUpIsPlannedForAQuarterOrADayNeverInThePast() throws {
        let today = try Self.day("2026-12-20")
        #expect(try FollowUpPlan.validate(year: nil, quarter: nil, day: try Self.day("2027-05-02"), today: today) == FollowUpPlan(year: 2027, quarter: 2, day: try Self.day("2027-05-02")))
        #expect(try FollowUpPlan.validate(year: 2026, quarter: 4, day: nil, today: today).text == "2026年第4季度", "the current quarter is allowed")
        for (year, quarter, code) in [(2026, 3, "planned_in_past"), (2027, 5, "invalid_quarter")] {
            let error = #expect(throws: DomainError.self) { _ = try FollowUpPlan.validate(year: year, quarter: quarter, day: nil, today: today) }
            #expect(error?.code == code)
        }
    }

    @Test func aRuleImprovementNeedsAnAdopterAndAProblem() throws {
        let today = try Self.day("2026-12-20")
        let problem = UUID()
        let draft = RuleImprovementDraft(
            title: "议事规则", kind: .revised, adoptedOn: today, unitID: UUID(), adoptingBody: "市委办公室", description: "内容", problemIDs: [problem, problem])
        let valid = try draft.validated(today: today)
        #expect(valid.adoptingBody == nil, "a unit from the register wins over the typed body")
        #expect(valid.problemIDs == [problem])
        var noAdopter = draft
        noAdopter.unitID = nil
        noAdopter.adoptingBody = " "
        #expect(throws: DomainError.self) { _ = try noAdopter.validated(today: today) }
        var later = draft
        later.adoptedOn = try Self.day("2026-12-21")
        #expect(throws: DomainError.self) { _ = try later.validated(today: today) }
    }
}
