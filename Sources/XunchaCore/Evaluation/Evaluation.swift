import Foundation

/// 整改评估 (domain §2.5, §3.9): after the rectification period the office, or the leading group,
/// evaluates how a unit rectified what one issued feedback named, by one or more methods, and
/// grades it 好 / 较好 / 一般 / 差. 一般 and 差 send the unit into a second rectification
/// (二次整改) with a deadline; the unit reports on it and the office accepts it or returns it
/// with its reasons. The result goes to the unit and to 纪委 / 组织部 (§3.13).
public struct Evaluation: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var feedbackID: UUID
    public var feedbackNumber: String
    public var unitID: UUID
    public var unitName: String
    public var status: EvaluationStatus
    /// 计划评估日期.
    public var plannedOn: CalendarDay
    public var scheduleNote: String?
    public var methods: [EvaluationMethod]
    /// 评估情况.
    public var findings: String?
    public var grade: EvaluationGrade?
    public var evaluatedOn: CalendarDay?
    public var gradedBy: String?
    /// 二次整改时限.
    public var secondDeadline: CalendarDay?
    /// 二次整改情况, as the unit last reported it.
    public var secondReport: String?
    public var secondReportedBy: String?
    public var secondReportedAt: Date?
    /// The office's verdict on closing, or why it returned the report.
    public var reviewNote: String?
    public var closedAt: Date?
    public var createdBy: String
    public var createdAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, feedbackID: UUID, feedbackNumber: String, unitID: UUID, unitName: String, status: EvaluationStatus, plannedOn: CalendarDay,
        scheduleNote: String?, methods: [EvaluationMethod], findings: String?, grade: EvaluationGrade?, evaluatedOn: CalendarDay?, gradedBy: String?,
        secondDeadline: CalendarDay?, secondReport: String?, secondReportedBy: String?, secondReportedAt: Date?, reviewNote: String?, closedAt: Date?,
        createdBy: String, createdAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.feedbackID = feedbackID
        self.feedbackNumber = feedbackNumber
        self.unitID = unitID
        self.unitName = unitName
        self.status = status
        self.plannedOn = plannedOn
        self.scheduleNote = scheduleNote
        self.methods = methods
        self.findings = findings
        self.grade = grade
        self.evaluatedOn = evaluatedOn
        self.gradedBy = gradedBy
        self.secondDeadline = secondDeadline
        self.secondReport = secondReport
        self.secondReportedBy = secondReportedBy
        self.secondReportedAt = secondReportedAt
        self.reviewNote = reviewNote
        self.closedAt = closedAt
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.version = version
    }
}

/// 评估方式 (domain §2.5). `other` covers local practice the list does not name.
public enum EvaluationMethod: String, CaseIterable, Codable, Sendable, CodedTitle {
    case documentReview = "document_review"
    case fieldCheck = "field_check"
    case interview
    case questionnaire
    case massEvaluation = "mass_evaluation"
    case other

    public var title: String {
        switch self {
        case .documentReview: "书面审核"
        case .fieldCheck: "实地抽查"
        case .interview: "个别谈话"
        case .questionnaire: "问卷调查"
        case .massEvaluation: "群众评议"
        case .other: "其他方式"
        }
    }
}

/// 评估等次.
public enum EvaluationGrade: String, CaseIterable, Codable, Sendable, CodedTitle {
    case good
    case fairlyGood = "fairly_good"
    case average
    case poor

    public var title: String {
        switch self {
        case .good: "好"
        case .fairlyGood: "较好"
        case .average: "一般"
        case .poor: "差"
        }
    }

    /// 一般 and 差 must rectify again [S32].
    public var requiresSecondRectification: Bool { self == .average || self == .poor }
}

public enum EvaluationStatus: String, CaseIterable, Codable, Sendable, LifecycleStatus {
    /// 已安排，待评估.
    case scheduled
    /// 评为一般或差，二次整改中（含被退回）.
    case secondRectification = "second_rectification"
    /// 单位已报告二次整改情况，待巡察办审核.
    case secondReported = "second_reported"
    /// 评估完成（好、较好），或二次整改经审核通过.
    case closed

    public var title: String {
        switch self {
        case .scheduled: "待评估"
        case .secondRectification: "二次整改中"
        case .secondReported: "二次整改待审核"
        case .closed: "已完成"
        }
    }

    /// What the unit sees: the result, from grading on.
    public static let visibleToUnit: [EvaluationStatus] = [.secondRectification, .secondReported, .closed]
}

public enum EvaluationStep: String, CaseIterable, Codable, Sendable, TakenStep {
    public typealias Lifecycle = EvaluationLifecycle

    /// 评定等次: the office or the leading group.
    case grade
    /// 报告二次整改情况: the unit.
    case report
    /// 审核通过: the office.
    case accept
    /// 退回: the office, with its reasons.
    case `return`

    public var title: String {
        switch self {
        case .grade: "评定等次"
        case .report: "报告二次整改情况"
        case .accept: "审核通过"
        case .return: "退回重新整改"
        }
    }

    var from: EvaluationStatus {
        switch self {
        case .grade: .scheduled
        case .report: .secondRectification
        case .accept, .return: .secondReported
        }
    }

    public var takenBy: RectificationTaker {
        switch self {
        case .grade: .officeOrLeadingGroup
        case .report: .unit
        case .accept, .return: .office
        }
    }
}

/// What grading carries.
public struct EvaluationGrading: Sendable, Equatable {
    public var methods: [EvaluationMethod]
    public var findings: String
    public var grade: EvaluationGrade
    public var evaluatedOn: CalendarDay
    public var secondDeadline: CalendarDay?

    public init(methods: [EvaluationMethod], findings: String, grade: EvaluationGrade, evaluatedOn: CalendarDay, secondDeadline: CalendarDay? = nil) {
        self.methods = methods
        self.findings = findings
        self.grade = grade
        self.evaluatedOn = evaluatedOn
        self.secondDeadline = secondDeadline
    }

    /// At least one method, the findings written, the evaluation not dated after today; 一般 and
    /// 差 need a second-rectification deadline after the evaluation day and not in the past, the
    /// better grades none.
    public func validated(today: CalendarDay) throws(DomainError) -> EvaluationGrading {
        var valid = self
        var seen = Set<EvaluationMethod>()
        valid.methods = methods.filter { seen.insert($0).inserted }
        guard !valid.methods.isEmpty else {
            throw DomainError.invalid("methods_required", "请至少选择一种评估方式", english: "at least one method", field: "methods")
        }
        let findings = try TextRules.requiredText(findings, field: "findings", label: "评估情况", maxLength: 20_000)
        valid.findings = findings
        guard evaluatedOn <= today else {
            throw DomainError.invalid("evaluated_in_future", "评估日期不能晚于今天", english: "evaluation dated in the future", field: "evaluated_on")
        }
        if grade.requiresSecondRectification {
            guard let deadline = secondDeadline else {
                throw DomainError.invalid(
                    "second_deadline_required", "评为“\(grade.title)”须限期二次整改，请填写二次整改时限", english: "second rectification deadline required",
                    field: "second_deadline")
            }
            guard deadline > evaluatedOn, deadline >= today else {
                throw DomainError.invalid(
                    "second_deadline_order", "二次整改时限须晚于评估日期，且不能早于今天", english: "second deadline must follow the evaluation", field: "second_deadline")
            }
        } else {
            valid.secondDeadline = nil
        }
        return valid
    }
}

/// What a step carries: grading its grading, the unit's report its text, the office's verdict its note.
public struct EvaluationStepInput: Sendable, Equatable {
    public var grading: EvaluationGrading?
    public var report: String?
    public var note: String?

    public init(grading: EvaluationGrading? = nil, report: String? = nil, note: String? = nil) {
        self.grading = grading
        self.report = report
        self.note = note
    }

    public static func grading(_ grading: EvaluationGrading) -> EvaluationStepInput { EvaluationStepInput(grading: grading) }
    public static func report(_ report: String?) -> EvaluationStepInput { EvaluationStepInput(report: report) }
    public static func note(_ note: String?) -> EvaluationStepInput { EvaluationStepInput(note: note) }
}

extension Evaluation: LifecycleRecord {}

/// 整改评估流转: graded, then for 一般 and 差 reported on by the unit and accepted or returned by the office.
public enum EvaluationLifecycle: Lifecycle {
    public typealias Standing = RectificationStanding
    public static let chain = Chain.evaluation

    public static func status(of evaluation: Evaluation) -> EvaluationStatus { evaluation.status }

    public static func sources(of step: EvaluationStep) -> Set<EvaluationStatus> { [step.from] }

    /// Grading goes to 二次整改 for 一般 and 差, else closes; the history keeps the grade, the
    /// unit's report or the office's verdict.
    public static func take(_ step: EvaluationStep, on evaluation: Evaluation, input: EvaluationStepInput, facts: Void, context: StepContext) throws(DomainError)
        -> StepOutcome<Evaluation>
    {
        var after = evaluation
        switch step {
        case .grade:
            guard let grading = input.grading else { throw DomainError.required("grade", label: "评估等次") }
            let valid = try grading.validated(today: context.today)
            after.status = valid.grade.requiresSecondRectification ? .secondRectification : .closed
            after.methods = valid.methods
            after.findings = valid.findings
            after.grade = valid.grade
            after.evaluatedOn = valid.evaluatedOn
            after.gradedBy = context.actorName
            after.secondDeadline = valid.secondDeadline
            if after.status == .closed { after.closedAt = context.at }
            let deadline = valid.secondDeadline.map { "，二次整改时限\($0.chineseText)" } ?? ""
            return StepOutcome(record: after, note: valid.grade.title, detail: "为“\(valid.grade.title)”" + deadline)
        case .report:
            let text = try TextRules.requiredText(input.report, field: "report", label: "二次整改情况", maxLength: 20_000)
            after.status = .secondReported
            after.secondReport = text
            after.secondReportedBy = context.actorName
            after.secondReportedAt = context.at
            return StepOutcome(record: after, note: text)
        case .accept:
            let text = try TextRules.optionalText(input.note, field: "note", label: "审核意见", maxLength: 4_000) ?? "二次整改到位，同意销号。"
            after.status = .closed
            after.reviewNote = text
            after.closedAt = context.at
            return StepOutcome(record: after, note: text)
        case .return:
            let text = try TextRules.requiredText(input.note, field: "note", label: "退回理由", maxLength: 4_000)
            after.status = .secondRectification
            after.reviewNote = text
            return StepOutcome(record: after, note: text)
        }
    }
}

/// Filters of the evaluation list.
public struct EvaluationQuery: Sendable, Equatable {
    public var unitID: UUID?
    public var feedbackID: UUID?
    public var status: EvaluationStatus?
    public var grade: EvaluationGrade?

    public init(unitID: UUID? = nil, feedbackID: UUID? = nil, status: EvaluationStatus? = nil, grade: EvaluationGrade? = nil) {
        self.unitID = unitID
        self.feedbackID = feedbackID
        self.status = status
        self.grade = grade
    }
}
