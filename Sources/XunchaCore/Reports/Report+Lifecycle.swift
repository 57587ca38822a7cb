import Foundation

/// 巡察报告、专题报告、问题线索报告 (domain §1.5, §3.4): drafted by the group from approved
/// findings only, then climbing the committee's approval chain; any stage approves or returns it
/// with comments. The committee's decision (the last stage) opens feedback to the unit.
public struct Report: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var roundID: UUID
    public var assignmentID: UUID
    public var groupID: UUID
    public var unitName: String
    public var kind: ReportKind
    public var title: String
    public var body: String
    /// The approved findings the report rests on.
    public var findingIDs: [UUID]
    public var status: ReportStatus
    /// The chain as it stood when the report was first submitted: a later change of the
    /// committee's chain does not move a report already on its way.
    public var chain: [ReportStage]
    /// The stage waiting to decide, while in review.
    public var stageIndex: Int
    /// 报送: the bodies the approved report was filed with (一巡双报告).
    public var filings: [ReportFiling]
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, roundID: UUID, assignmentID: UUID, groupID: UUID, unitName: String, kind: ReportKind, title: String, body: String,
        findingIDs: [UUID], status: ReportStatus, chain: [ReportStage], stageIndex: Int, filings: [ReportFiling], createdBy: String, createdAt: Date,
        updatedAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.roundID = roundID
        self.assignmentID = assignmentID
        self.groupID = groupID
        self.unitName = unitName
        self.kind = kind
        self.title = title
        self.body = body
        self.findingIDs = findingIDs
        self.status = status
        self.chain = chain
        self.stageIndex = stageIndex
        self.filings = filings
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// The stage that decides now, while the report is in review.
    public var pendingStage: ReportStage? { status == .inReview && chain.indices.contains(stageIndex) ? chain[stageIndex] : nil }
}

public enum ReportKind: String, CaseIterable, Codable, Sendable, CodedTitle {
    case inspection, thematic, lead

    public var title: String {
        switch self {
        case .inspection: "巡察报告"
        case .thematic: "专题报告"
        case .lead: "问题线索报告"
        }
    }
}

public enum ReportStatus: String, CaseIterable, Codable, Sendable, LifecycleStatus {
    case draft
    case inReview = "in_review"
    case returned
    case approved

    public var title: String {
        switch self {
        case .draft: "起草中"
        case .inReview: "审议中"
        case .returned: "已退回修改"
        case .approved: "已审定"
        }
    }

    public var isEditable: Bool { self == .draft || self == .returned }
}

/// One stage of a committee's report chain: the body that decides and the role whose accounts
/// record its decision (the office records the meetings of the secretary and the standing committee).
public struct ReportStage: Sendable, Equatable, Codable {
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}

/// 报送记录.
public struct ReportFiling: Sendable, Equatable {
    public var recipient: String
    public var filedBy: String
    public var filedAt: Date

    public init(recipient: String, filedBy: String, filedAt: Date) {
        self.recipient = recipient
        self.filedBy = filedBy
        self.filedAt = filedAt
    }
}

/// The committee's report chain (a setting).
public enum ReportChain {
    public static let standard = [
        ReportStage(name: "巡察办审核", role: .officeStaff),
        ReportStage(name: "巡察工作领导小组会议", role: .leadingGroupMember),
        ReportStage(name: "书记专题会", role: .officeStaff),
        ReportStage(name: "常委会", role: .officeStaff),
    ]

    /// Who records a stage's decision: the office or the leading group.
    public static let stageRoles: [Role] = [.officeStaff, .leadingGroupMember]

    /// Checks a chain the office sets: one to six named stages, each recorded by the office or
    /// the leading group.
    public static func validate(_ stages: [ReportStage]) throws(DomainError) -> [ReportStage] {
        guard (1...6).contains(stages.count) else {
            throw .invalid("invalid_report_chain", "报告审议流程须有1至6个环节", english: "a chain has 1-6 stages", field: "report_chain")
        }
        var valid: [ReportStage] = []
        for stage in stages {
            let name = try TextRules.requiredLine(stage.name, field: "report_chain", label: "审议环节名称", maxLength: 30)
            guard stageRoles.contains(stage.role) else {
                throw .invalid("invalid_report_chain", "审议环节只能由巡察办或领导小组成员登记", english: "stages are recorded by the office or the leading group", field: "report_chain")
            }
            valid.append(ReportStage(name: name, role: stage.role))
        }
        return valid
    }
}

public enum ReportStep: String, CaseIterable, Codable, Sendable, LifecycleStep {
    public typealias Lifecycle = ReportLifecycle

    /// 提交审议: the group's leader.
    case submit
    /// 审议通过（本环节）.
    case approve
    /// 退回修改, with the comments.
    case returnForRevision = "return"

    public var title: String {
        switch self {
        case .submit: "提交审议"
        case .approve: "审议通过"
        case .returnForRevision: "退回修改"
        }
    }
}

/// Where a person stands towards one report.
public struct ReportStanding: Sendable, Equatable {
    /// Whether the person leads the report's group (who submits it).
    public var leadsGroup: Bool
    /// The person's roles in the report's committee (none in another committee).
    public var roles: Set<Role>
    /// The stage deciding now, whose holder records its decision.
    public var pendingStage: ReportStage?

    public init(leadsGroup: Bool, roles: Set<Role>, pendingStage: ReportStage?) {
        self.leadsGroup = leadsGroup
        self.roles = roles
        self.pendingStage = pendingStage
    }
}

extension Report: LifecycleRecord {}

/// 报告审议: the group's leader submits; each stage of the committee's chain approves (on to the
/// next stage, or approved at the last) or returns it with comments (back to the first stage).
public enum ReportLifecycle: Lifecycle {
    public static let chain = Chain.report

    public static func status(of report: Report) -> ReportStatus { report.status }

    public static func sources(of step: ReportStep) -> Set<ReportStatus> {
        step == .submit ? [.draft, .returned] : [.inReview]
    }

    public static func refusal(of step: ReportStep, standing: ReportStanding) -> DomainError? {
        if step == .submit {
            return standing.leadsGroup ? nil : DomainError(.forbidden, code: "step_not_allowed", message: "报告由本组组长提交审议", english: "the group leader submits")
        }
        // With no stage pending the state refuses the step.
        guard let stage = standing.pendingStage, !standing.roles.contains(stage.role) else { return nil }
        return DomainError(.forbidden, code: "step_not_allowed", message: "“\(stage.name)”的审议结果由\(stage.role.title)登记", english: "not this stage's holder")
    }

    /// A submission rests on approved findings and follows the committee's chain as it stands now
    /// (`facts`); a return needs the comments. The history names the stage that decided.
    public static func take(
        _ step: ReportStep, on report: Report, input: StepNote, facts chain: [ReportStage], context: StepContext
    ) throws(DomainError) -> StepOutcome<Report> {
        var after = report
        let note = try TextRules.optionalText(input.note, field: "note", label: step == .returnForRevision ? "退回意见" : "意见", maxLength: 4_000)
        guard step != .submit else {
            guard !report.findingIDs.isEmpty else {
                throw DomainError.invalid("report_without_findings", "报告须依据已审定的问题底稿", english: "a report rests on approved findings", field: "finding_ids")
            }
            after.chain = chain
            after.status = .inReview
            after.stageIndex = 0
            return StepOutcome(record: after, note: note)
        }
        guard let stage = report.pendingStage else {
            throw DomainError(
                .conflict, code: "invalid_transition", message: "报告当前为“\(report.status.title)”，不能“\(step.title)”",
                english: "cannot \(step.rawValue) a \(report.status.rawValue) report")
        }
        if step == .returnForRevision {
            guard note != nil else { throw DomainError.required("note", label: "退回意见") }
            after.status = .returned
            after.stageIndex = 0
        } else {
            after.stageIndex = report.stageIndex + 1
            after.status = after.stageIndex < report.chain.count ? .inReview : .approved
        }
        return StepOutcome(record: after, note: note, detail: "（\(stage.name)）", stage: stage.name)
    }
}
