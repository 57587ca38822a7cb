import Foundation

/// 反馈意见 (domain §2.5, §3.2): after the committee approves the inspection report, the office
/// feeds back to the unit: a numbered document with its recipients and deadlines, and the problem
/// list built from the assignment's 限期整改 findings. The unit reads the problems as written for
/// it, never the working papers behind them.
public struct Feedback: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var assignmentID: UUID
    public var unitID: UUID
    public var unitName: String
    public var document: FeedbackDocument
    public var status: FeedbackStatus
    public var problems: [FeedbackProblem]
    public var issuedAt: Date?
    public var createdAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, assignmentID: UUID, unitID: UUID, unitName: String, document: FeedbackDocument, status: FeedbackStatus,
        problems: [FeedbackProblem], issuedAt: Date?, createdAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.assignmentID = assignmentID
        self.unitID = unitID
        self.unitName = unitName
        self.document = document
        self.status = status
        self.problems = problems
        self.issuedAt = issuedAt
        self.createdAt = createdAt
        self.version = version
    }
}

/// What the feedback document says besides its problems.
public struct FeedbackDocument: Sendable, Equatable {
    /// 文号.
    public var number: String
    public var title: String
    /// 主送.
    public var mainRecipient: String
    /// 抄送.
    public var copyRecipients: [String]
    public var body: String
    /// 整改方案报送时限.
    public var planDue: CalendarDay
    /// 整改情况报告报送时限 (two months after feedback under the older rules).
    public var reportDue: CalendarDay

    public init(
        number: String, title: String, mainRecipient: String, copyRecipients: [String], body: String, planDue: CalendarDay, reportDue: CalendarDay
    ) {
        self.number = number
        self.title = title
        self.mainRecipient = mainRecipient
        self.copyRecipients = copyRecipients
        self.body = body
        self.planDue = planDue
        self.reportDue = reportDue
    }

    /// Checks what the office typed: every field, the plan before the report. That the plan's
    /// deadline follows the feedback is checked on the day it is issued (its business day), which
    /// for feedback entered after the fact lies before the day it is drafted.
    public func validated() throws(DomainError) -> FeedbackDocument {
        var valid = self
        valid.number = try TextRules.requiredLine(number, field: "number", label: "文号", maxLength: 60)
        valid.title = try TextRules.requiredLine(title, field: "title", label: "标题", maxLength: 120)
        valid.mainRecipient = try TextRules.requiredLine(mainRecipient, field: "main_recipient", label: "主送", maxLength: 100)
        var copies: [String] = []
        for copy in copyRecipients {
            if let line = try TextRules.optionalLine(copy, field: "copy_recipients", label: "抄送", maxLength: 100) { copies.append(line) }
        }
        valid.copyRecipients = copies
        let body = try TextRules.requiredText(body, field: "body", label: "反馈意见正文", maxLength: 100_000)
        valid.body = body
        guard reportDue > planDue else {
            throw .invalid("deadline_order", "整改情况报告时限须晚于整改方案时限", english: "report due before plan due", field: "report_due")
        }
        return valid
    }
}

public enum FeedbackStatus: String, CaseIterable, Codable, Sendable, LifecycleStatus {
    case draft
    case issued

    public var title: String {
        switch self {
        case .draft: "拟稿中"
        case .issued: "已反馈"
        }
    }
}

/// 问题清单的一项. `findingID` is internal: never shown to the unit.
public struct FeedbackProblem: Sendable, Equatable {
    public var id: UUID
    public var sequence: Int
    /// The problem as the unit reads it.
    public var text: String
    public var findingID: UUID

    public init(id: UUID, sequence: Int, text: String, findingID: UUID) {
        self.id = id
        self.sequence = sequence
        self.text = text
        self.findingID = findingID
    }
}

/// A step of a feedback's life: the office issues it (印发).
public enum FeedbackStep: String, CaseIterable, Sendable, LifecycleStep {
    public typealias Lifecycle = FeedbackLifecycle

    case issue

    public var title: String {
        switch self {
        case .issue: "印发"
        }
    }
}

extension Feedback: LifecycleRecord {}

/// 反馈意见印发: the office issues its draft, and from then on the unit reads it. `Standing` is
/// whether the person manages the committee's rounds (the office).
public enum FeedbackLifecycle: Lifecycle {
    public static let chain = Chain.feedback

    public static func status(of feedback: Feedback) -> FeedbackStatus { feedback.status }

    public static func sources(of step: FeedbackStep) -> Set<FeedbackStatus> { [.draft] }

    public static func refusal(of step: FeedbackStep, standing mayManage: Bool) -> DomainError? { mayManage ? nil : .forbidden }

    /// Issued feedback is issued once; it is refused as any change to it is.
    public static func outOfTurn(_ step: FeedbackStep, at status: FeedbackStatus) -> DomainError {
        DomainError(.conflict, code: "feedback_issued", message: "反馈意见已印发，不能再修改", english: "feedback already issued")
    }

    /// The plan's deadline must lie after the day of issue (the step's business day).
    public static func take(_ step: FeedbackStep, on feedback: Feedback, input: StepNote, facts: Void, context: StepContext) throws(DomainError) -> StepOutcome<Feedback> {
        guard feedback.document.planDue > context.today else {
            throw DomainError.invalid(
                "deadline_before_feedback", "整改方案报送时限须晚于反馈之日（\(context.today)），请先修改", english: "plan due is not after the day of issue", field: "plan_due")
        }
        var after = feedback
        after.status = .issued
        after.issuedAt = context.at
        return StepOutcome(record: after, note: nil, detail: "（向\(feedback.unitName)反馈）")
    }
}
