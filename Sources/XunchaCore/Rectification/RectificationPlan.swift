import Foundation

/// 整改方案 (domain §2.5, §3.7): the unit answers its issued feedback with a plan in which every
/// problem of the list gets one or more tasks under "三个一" ownership. The unit head endorses the
/// plan (承诺背书) with their own account; the office, with the committee's 纪委 and 组织部, reviews
/// it in writing and approves it or returns it. Approval sets the tasks running.
public struct RectificationPlan: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var feedbackID: UUID
    public var assignmentID: UUID
    public var unitID: UUID
    public var unitName: String
    public var feedbackNumber: String
    public var content: PlanContent
    public var status: PlanStatus
    /// 第几稿: raised each time a returned plan is endorsed again.
    public var revision: Int
    public var endorsement: PlanEndorsement?
    public var reviews: [PlanReview]
    public var approvedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, feedbackID: UUID, assignmentID: UUID, unitID: UUID, unitName: String, feedbackNumber: String, content: PlanContent,
        status: PlanStatus, revision: Int, endorsement: PlanEndorsement?, reviews: [PlanReview], approvedAt: Date?, createdAt: Date, updatedAt: Date,
        version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.feedbackID = feedbackID
        self.assignmentID = assignmentID
        self.unitID = unitID
        self.unitName = unitName
        self.feedbackNumber = feedbackNumber
        self.content = content
        self.status = status
        self.revision = revision
        self.endorsement = endorsement
        self.reviews = reviews
        self.approvedAt = approvedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// What the unit writes besides its tasks.
public struct PlanContent: Sendable, Equatable {
    public var title: String
    /// 党组（党委）会议研究情况: the plan is drawn up by the unit's Party organisation.
    public var meeting: String
    /// 总体要求、组织领导等.
    public var body: String

    public init(title: String, meeting: String, body: String) {
        self.title = title
        self.meeting = meeting
        self.body = body
    }

    public func validated() throws(DomainError) -> PlanContent {
        var valid = self
        valid.title = try TextRules.requiredLine(title, field: "title", label: "方案标题", maxLength: 120)
        let meeting = try TextRules.requiredText(meeting, field: "meeting", label: "党组（党委）会议研究情况", maxLength: 2_000)
        valid.meeting = meeting
        valid.body = try TextRules.optionalText(body, field: "body", label: "方案正文", maxLength: 100_000) ?? ""
        return valid
    }
}

public enum PlanStatus: String, CaseIterable, Codable, Sendable, LifecycleStatus {
    /// 拟定中 (the unit writes tasks).
    case drafting
    /// 已签字背书并报送，待审核.
    case endorsed
    /// 退回修改.
    case returned
    /// 审核通过，任务开始整改.
    case approved

    public var title: String {
        switch self {
        case .drafting: "拟定中"
        case .endorsed: "已背书报送，待审核"
        case .returned: "已退回修改"
        case .approved: "已审核通过"
        }
    }

    /// The unit may change the plan and its tasks only before endorsing it or after a return.
    public var isEditable: Bool { self == .drafting || self == .returned }
}

/// 承诺背书: who signed, when, and the digest of exactly the text they signed.
public struct PlanEndorsement: Sendable, Equatable {
    public var accountID: UUID
    public var name: String
    public var at: Date
    /// SHA-256 (hex) of `signedText`.
    public var digest: String
    public var signedText: String

    public init(accountID: UUID, name: String, at: Date, digest: String, signedText: String) {
        self.accountID = accountID
        self.name = name
        self.at = at
        self.digest = digest
        self.signedText = signedText
    }

    /// The canonical text of a plan as it is signed: the content and every task, in order, one
    /// field per line, so the digest changes when any word of it does.
    public static func signedText(unit: String, feedbackNumber: String, revision: Int, content: PlanContent, tasks: [RectificationTask]) -> String {
        var lines = [
            "被巡察单位：\(unit)", "反馈意见：\(feedbackNumber)", "方案第\(revision)稿", "标题：\(content.title)", "会议研究：\(content.meeting)", "正文：\(content.body)",
        ]
        for task in tasks.sorted(by: { ($0.problemSequence, $0.sequence) < ($1.problemSequence, $1.sequence) }) {
            lines.append(
                """
                任务\(task.problemSequence)-\(task.sequence)｜问题：\(task.problemText)｜目标：\(task.content.target)｜措施：\(task.content.measures)｜\
                时限：\(task.content.deadline)｜类别：\(task.content.kind.title)｜责任领导：\(task.content.owners.leader)｜\
                责任部门：\(task.content.owners.department)｜责任人：\(task.content.owners.cadre)
                """)
        }
        return lines.joined(separator: "\n")
    }
}

/// Where a review opinion comes from.
public enum ReviewBody: String, CaseIterable, Codable, Sendable, CodedTitle {
    case office
    case discipline
    case organisation

    public var title: String {
        switch self {
        case .office: "巡察办"
        case .discipline: "纪委监委"
        case .organisation: "组织部"
        }
    }

    /// The body an account speaks for, by its roles (the office first).
    public static func of(_ roles: Set<Role>) -> ReviewBody? {
        if roles.contains(.officeStaff) { return .office }
        if roles.contains(.disciplineReceiver) { return .discipline }
        if roles.contains(.organisationReceiver) { return .organisation }
        return nil
    }
}

public enum ReviewDecision: String, CaseIterable, Codable, Sendable {
    /// 书面意见 (纪委、组织部 or the office, without deciding).
    case comment
    /// 审核通过 (the office).
    case approve
    /// 退回修改 (the office).
    case returnForRevision = "return"

    public var title: String {
        switch self {
        case .comment: "审核意见"
        case .approve: "审核通过"
        case .returnForRevision: "退回修改"
        }
    }
}

/// One written opinion on one revision of a plan.
public struct PlanReview: Sendable, Equatable {
    public var id: UUID
    public var body: ReviewBody
    public var decision: ReviewDecision
    public var comment: String
    public var reviewerName: String
    public var revision: Int
    public var at: Date

    public init(id: UUID, body: ReviewBody, decision: ReviewDecision, comment: String, reviewerName: String, revision: Int, at: Date) {
        self.id = id
        self.body = body
        self.decision = decision
        self.comment = comment
        self.reviewerName = reviewerName
        self.revision = revision
        self.at = at
    }
}

/// A step of a plan's life after the unit has written it.
public enum PlanStep: String, CaseIterable, Sendable, LifecycleStep {
    public typealias Lifecycle = PlanLifecycle

    /// 承诺背书: the unit head signs exactly the plan as it stands and sends it to the office.
    case endorse
    /// 审核通过 (the office): the plan's tasks start.
    case approve
    /// 退回修改 (the office), with the reasons; the next endorsement signs the next revision.
    case returnForRevision = "return"
    /// 书面意见 (纪委、组织部 or the office): the plan stays under review.
    case comment

    /// The step a review decision takes.
    public init(_ decision: ReviewDecision) {
        switch decision {
        case .approve: self = .approve
        case .returnForRevision: self = .returnForRevision
        case .comment: self = .comment
        }
    }

    /// The decision a review step records (nil: the endorsement).
    public var decision: ReviewDecision? {
        switch self {
        case .endorse: nil
        case .approve: .approve
        case .returnForRevision: .returnForRevision
        case .comment: .comment
        }
    }

    public var title: String { decision?.title ?? "签字背书" }
}

/// Where a person stands towards one plan.
public struct PlanStanding: Sendable, Equatable {
    /// The head of the plan's own unit, signing with their own account.
    public var isUnitHead: Bool
    /// The body the person reviews the plan for, if they may review it.
    public var reviewBody: ReviewBody?

    public init(isUnitHead: Bool = false, reviewBody: ReviewBody? = nil) {
        self.isUnitHead = isUnitHead
        self.reviewBody = reviewBody
    }
}

/// What a plan's steps need read: the feedback's problems and the plan's tasks (what the head
/// signs, and what approval starts), and who takes the step.
public struct PlanFacts: Sendable {
    public var problems: [FeedbackProblem]
    public var tasks: [RectificationTask]
    /// The account that signs, and its name as signed.
    public var signer: (id: UUID, name: String)?
    /// The body whose opinion a review is.
    public var reviewBody: ReviewBody?
    /// SHA-256 (hex) of a text; the core does no cryptography, the store hands in its own.
    public var digest: @Sendable (String) -> String

    public init(
        problems: [FeedbackProblem] = [], tasks: [RectificationTask] = [], signer: (id: UUID, name: String)?, reviewBody: ReviewBody?,
        digest: @escaping @Sendable (String) -> String
    ) {
        self.problems = problems
        self.tasks = tasks
        self.signer = signer
        self.reviewBody = reviewBody
        self.digest = digest
    }
}

extension RectificationPlan: LifecycleRecord {}

/// 整改方案流转: the unit head endorses the plan; the office approves or returns it, 纪委 and 组织部
/// (and the office) write opinions on it; approval starts every task of the plan.
public enum PlanLifecycle: Lifecycle {
    public static let chain = Chain.plan

    public static func status(of plan: RectificationPlan) -> PlanStatus { plan.status }

    public static func sources(of step: PlanStep) -> Set<PlanStatus> {
        step == .endorse ? [.drafting, .returned] : [.endorsed]
    }

    /// An endorsed plan waits for the office's decision; 纪委's and 组织部's opinions are theirs to give.
    public static func awaits(_ step: PlanStep, at status: PlanStatus) -> Bool { step != .comment && sources(of: step).contains(status) }

    /// Only the unit head endorses; the office decides; 纪委 and 组织部 write opinions.
    public static func refusal(of step: PlanStep, standing: PlanStanding) -> DomainError? {
        switch step {
        case .endorse:
            guard standing.isUnitHead else {
                return DomainError(.forbidden, code: "not_unit_head", message: "整改方案须由本单位主要负责人本人签字背书", english: "only the unit head endorses the plan")
            }
            return nil
        case .comment:
            return standing.reviewBody == nil ? .forbidden : nil
        case .approve, .returnForRevision:
            guard let body = standing.reviewBody else { return .forbidden }
            guard body == .office else {
                return DomainError(.forbidden, code: "step_not_allowed", message: "整改方案由巡察办审核通过或退回，纪委监委、组织部提出书面意见", english: "only the office decides")
            }
            return nil
        }
    }

    /// Endorsing needs a task for every problem and keeps the signed text with its digest;
    /// approving starts the tasks; a return or an opinion needs its text.
    public static func take(
        _ step: PlanStep, on plan: RectificationPlan, input: StepNote, facts: PlanFacts, context: StepContext
    ) throws(DomainError) -> StepOutcome<RectificationPlan> {
        var after = plan
        guard let decision = step.decision else {
            guard let signer = facts.signer else { throw .forbidden }
            let covered = Set(facts.tasks.map(\.problemID))
            let missing = facts.problems.filter { !covered.contains($0.id) }.map { "第\($0.sequence)项" }
            guard missing.isEmpty else {
                throw .invalid(
                    "problem_without_task", "问题清单\(missing.joined(separator: "、"))还没有整改任务，每个问题至少要有一项任务",
                    english: "every problem needs a task", field: "tasks")
            }
            let text = PlanEndorsement.signedText(
                unit: plan.unitName, feedbackNumber: plan.feedbackNumber, revision: plan.revision, content: plan.content, tasks: facts.tasks)
            let digest = facts.digest(text)
            after.status = .endorsed
            after.endorsement = PlanEndorsement(accountID: signer.id, name: signer.name, at: context.at, digest: digest, signedText: text)
            return StepOutcome(record: after, note: nil, detail: "，摘要SHA-256 \(digest)")
        }
        let text = try TextRules.optionalText(input.note, field: "comment", label: "审核意见", maxLength: 4_000)
        let detail = facts.reviewBody.map { "（\($0.title)）" } ?? ""
        switch decision {
        case .approve:
            after.status = .approved
            after.approvedAt = context.at
            let effects = facts.tasks.map { ChainEffect(chain: .task, recordID: $0.id, step: TaskStep.start.rawValue, note: nil) }
            return StepOutcome(record: after, note: text ?? "同意该整改方案。", detail: detail, effects: effects)
        case .returnForRevision:
            guard let text else { throw DomainError.required("comment", label: "退回意见") }
            after.status = .returned
            after.revision += 1
            return StepOutcome(record: after, note: text, detail: detail)
        case .comment:
            guard let text else { throw DomainError.required("comment", label: "审核意见") }
            return StepOutcome(record: after, note: text, detail: detail)
        }
    }
}
