import Foundation

/// 专题报告 on a systemic problem (普遍性、倾向性问题), addressed to the functional department that
/// sets the rules of the field (a unit of the register, e.g. 市财政局). The office drafts it from a
/// selection of recurring classification items and similar findings, sends it, the department
/// records the rules it established or revised in answer (制度完善, counted with every other rule
/// improvement), and the office closes it once satisfied.
///
/// The department reads the report and, for each problem, only the office's own wording of it,
/// with the unit named only where the office chose to name it: never another unit's working-paper
/// text, a paper's id or number, its disposition or anything of the fieldwork behind it. A paper
/// enters a report only once its unit has had the feedback that contains it, so no department
/// learns a unit's problem before the unit itself.
public struct ThematicReport: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var title: String
    /// The office's analysis and recommendations (问题表现、原因分析、意见建议).
    public var body: String
    public var departmentUnitID: UUID
    public var departmentName: String
    /// The round or year the problems were selected in, as the office chose.
    public var roundID: UUID?
    public var year: Int?
    public var status: ThematicReportStatus
    public var items: [ThematicItem]
    public var problems: [ThematicProblem]
    /// Units named by the selection, with how many selected findings each carries.
    public var units: [AffectedUnit]
    public var ruleChanges: [RuleImprovement]
    public var createdBy: String
    public var createdAt: Date
    public var sentAt: Date?
    public var closedAt: Date?
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, title: String, body: String, departmentUnitID: UUID, departmentName: String, roundID: UUID?, year: Int?,
        status: ThematicReportStatus, items: [ThematicItem], problems: [ThematicProblem], units: [AffectedUnit], ruleChanges: [RuleImprovement], createdBy: String,
        createdAt: Date, sentAt: Date?, closedAt: Date?, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.title = title
        self.body = body
        self.departmentUnitID = departmentUnitID
        self.departmentName = departmentName
        self.roundID = roundID
        self.year = year
        self.status = status
        self.items = items
        self.problems = problems
        self.units = units
        self.ruleChanges = ruleChanges
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.closedAt = closedAt
        self.version = version
    }
}

extension ThematicReport {
    /// Sending needs the office's wording of every problem: it is all the department will read of
    /// them, and a problem without it would reach the department as nothing or, worse, as the paper.
    public func requireWorded() throws(DomainError) {
        guard let index = problems.firstIndex(where: { $0.wording == nil }) else { return }
        let name = problems[index].title.map { "“\($0)”" } ?? ""
        throw DomainError(
            .conflict, code: "wording_required", message: "第\(index + 1)个问题\(name)尚未写明送职能部门的表述，请先改写再送出",
            english: "every problem needs the office's wording before sending", field: "problems")
    }
}

/// A selected classification item with the units whose selected findings carry it.
public struct ThematicItem: Sendable, Equatable {
    public var key: ClassificationItemKey
    public var familyTitle: String
    public var title: String
    public var units: [AffectedUnit]

    public init(key: ClassificationItemKey, familyTitle: String, title: String, units: [AffectedUnit]) {
        self.key = key
        self.familyTitle = familyTitle
        self.title = title
        self.units = units
    }
}

/// A problem the report names. The office and the leading group read the paper behind it (id,
/// unit, title, manifestation) to draft; the department reads only `wording`, and `unitName` only
/// when `namesUnit` is set.
public struct ThematicProblem: Sendable, Equatable {
    public var findingID: UUID?
    public var unitName: String?
    public var title: String?
    public var manifestation: String?
    /// The office's own wording for the department (问题表述), required before sending.
    public var wording: String?
    /// Whether the office chose to name the unit to the department.
    public var namesUnit: Bool

    public init(findingID: UUID?, unitName: String?, title: String?, manifestation: String?, wording: String? = nil, namesUnit: Bool = false) {
        self.findingID = findingID
        self.unitName = unitName
        self.title = title
        self.manifestation = manifestation
        self.wording = wording
        self.namesUnit = namesUnit
    }
}

/// The office's wording of one problem of a draft: what the department will read, and whether it
/// names the unit.
public struct ThematicWording: Sendable, Equatable {
    public var findingID: UUID
    public var wording: String?
    public var namesUnit: Bool

    public static let maximumLength = 4_000

    public init(findingID: UUID, wording: String?, namesUnit: Bool = false) {
        self.findingID = findingID
        self.wording = wording
        self.namesUnit = namesUnit
    }

    /// Each problem at most once, its wording bounded text (blank clears it, so the draft cannot be
    /// sent until it is written again).
    public static func validated(_ wordings: [ThematicWording]) throws(DomainError) -> [ThematicWording] {
        guard !wordings.isEmpty else { throw DomainError.required("problems", label: "问题表述") }
        guard wordings.count <= ThematicReportDraft.maximumFindings else {
            throw .invalid("selection_too_large", "一份专题报告最多\(ThematicReportDraft.maximumFindings)个问题", english: "too many problems", field: "problems")
        }
        var seen = Set<UUID>()
        var valid: [ThematicWording] = []
        for item in wordings {
            guard seen.insert(item.findingID).inserted else {
                throw .invalid("duplicate_problem", "同一问题只能改写一次", english: "a problem is worded twice", field: "problems")
            }
            let text = try TextRules.optionalText(item.wording, field: "wording", label: "问题表述", maxLength: maximumLength)
            valid.append(ThematicWording(findingID: item.findingID, wording: text, namesUnit: item.namesUnit))
        }
        return valid
    }
}

public enum ThematicReportStatus: String, CaseIterable, Codable, Sendable, CodedTitle, LifecycleStatus {
    case draft
    /// 已送职能部门: the department can read it and answer.
    case sent
    /// 已反馈制度完善: at least one rule change recorded; the office follows up.
    case answered
    case closed

    public var title: String {
        switch self {
        case .draft: "草稿"
        case .sent: "已送职能部门"
        case .answered: "已反馈制度完善"
        case .closed: "已办结"
        }
    }

    /// What the addressed department sees: everything once sent, never a draft.
    public static let visibleToDepartment: [ThematicReportStatus] = [.sent, .answered, .closed]
}

public enum ThematicReportStep: String, CaseIterable, Codable, Sendable, CodedTitle, LifecycleStep {
    public typealias Lifecycle = ThematicReportLifecycle

    /// The office sends the draft to the department.
    case send
    /// The department (or the office on its behalf) records a rule it established or revised.
    case recordRuleChange = "record_rule_change"
    /// The office closes the follow-up once the rules are in place.
    case close

    public var title: String {
        switch self {
        case .send: "送职能部门"
        case .recordRuleChange: "登记制度完善情况"
        case .close: "跟踪办结"
        }
    }

    /// The statuses the step may be taken from.
    public var from: [ThematicReportStatus] {
        switch self {
        case .send: [.draft]
        case .recordRuleChange: [.sent, .answered]
        case .close: [.answered]
        }
    }

    var takerTitle: String {
        switch self {
        case .send, .close: "巡察办"
        case .recordRuleChange: "收文的职能部门或巡察办"
        }
    }
}

/// Who the actor is for one report, decided by the store from the policy and the report's place.
public struct ThematicReportStanding: Sendable, Equatable {
    /// The office of the report's committee.
    public var mayManage: Bool
    /// The addressed department's own account, or the office recording on its behalf.
    public var mayRecordRuleChange: Bool

    public init(mayManage: Bool = false, mayRecordRuleChange: Bool = false) {
        self.mayManage = mayManage
        self.mayRecordRuleChange = mayRecordRuleChange
    }

    public func mayTake(_ step: ThematicReportStep) -> Bool {
        switch step {
        case .send, .close: mayManage
        case .recordRuleChange: mayRecordRuleChange
        }
    }
}

/// What a step of a 专题报告 carries: a note, and for `recordRuleChange` the rule recorded.
public struct ThematicStepInput: Sendable, Equatable {
    public var note: String?
    public var ruleChange: ThematicRuleChange?

    public init(note: String? = nil, ruleChange: ThematicRuleChange? = nil) {
        self.note = note
        self.ruleChange = ruleChange
    }
}

extension ThematicReport: LifecycleRecord {}

/// 专题报告流转: the office sends it, the department answers with the rules it set (as often as it
/// sets one), the office closes the follow-up.
public enum ThematicReportLifecycle: Lifecycle {
    public static let chain = Chain.thematicReport

    public static func status(of report: ThematicReport) -> ThematicReportStatus { report.status }

    public static func sources(of step: ThematicReportStep) -> Set<ThematicReportStatus> { Set(step.from) }

    /// A sent report waits for the department's rules; once answered, for the office to close it
    /// (further rules may still come, unawaited).
    public static func awaits(_ step: ThematicReportStep, at status: ThematicReportStatus) -> Bool {
        step == .recordRuleChange ? status == .sent : sources(of: step).contains(status)
    }

    public static func refusal(of step: ThematicReportStep, standing: ThematicReportStanding) -> DomainError? {
        standing.mayTake(step) ? nil : notYours(step, takenBy: step.takerTitle)
    }

    /// Closing too early says what it waits for.
    public static func outOfTurn(_ step: ThematicReportStep, at status: ThematicReportStatus) -> DomainError {
        let hint = step == .close ? "，职能部门反馈制度完善情况后才能办结" : ""
        return DomainError(
            .conflict, code: "invalid_transition", message: "专题报告当前为“\(status.title)”，不能“\(step.title)”\(hint)",
            english: "cannot \(step.rawValue) a \(status.rawValue) thematic report")
    }

    /// Sending needs every problem worded and, in `unfedBack`, no paper whose unit has not had its
    /// feedback (the title of the first such paper, read by the store); a rule change is checked
    /// like any rule improvement and named in the history.
    public static func take(
        _ step: ThematicReportStep, on report: ThematicReport, input: ThematicStepInput, facts unfedBack: String?, context: StepContext
    ) throws(DomainError) -> StepOutcome<ThematicReport> {
        var after = report
        let note = try TextRules.optionalText(input.note, field: "note", label: "说明", maxLength: 4_000)
        switch step {
        case .send:
            try report.requireWorded()
            if let unfedBack {
                throw DomainError(
                    .conflict, code: "feedback_not_issued", message: "问题“\(unfedBack)”所在单位的反馈意见尚未印发，暂不能送出",
                    english: "a problem of the report is not in an issued feedback yet", field: "problems")
            }
            after.status = .sent
            after.sentAt = context.at
            return StepOutcome(record: after, note: note, detail: "（\(report.departmentName)）")
        case .recordRuleChange:
            guard let change = try input.ruleChange?.validated(today: context.today) else {
                throw DomainError.invalid("unknown_step", "制度完善情况请通过“登记制度建立完善情况”登记", english: "record a rule change with its own operation", field: "step")
            }
            after.status = .answered
            return StepOutcome(record: after, note: "\(change.kind.title)《\(change.title)》")
        case .close:
            after.status = .closed
            after.closedAt = context.at
            return StepOutcome(record: after, note: note)
        }
    }
}

/// What the office submits to create a report from its selection.
public struct ThematicReportDraft: Sendable, Equatable {
    public var title: String
    public var body: String
    public var departmentUnitID: UUID?
    public var roundID: UUID?
    public var year: Int?
    public var items: [ClassificationItemKey]
    public var findingIDs: [UUID]

    public static let maximumItems = 100
    public static let maximumFindings = 500

    public init(title: String, body: String, departmentUnitID: UUID?, roundID: UUID? = nil, year: Int? = nil, items: [ClassificationItemKey], findingIDs: [UUID]) {
        self.title = title
        self.body = body
        self.departmentUnitID = departmentUnitID
        self.roundID = roundID
        self.year = year
        self.items = items
        self.findingIDs = findingIDs
    }

    /// A title, a body, the department, and a selection of at least one item or finding, each once.
    public func validated() throws(DomainError) -> ThematicReportDraft {
        var valid = self
        valid.title = try TextRules.requiredLine(title, field: "title", label: "报告标题", maxLength: 200)
        let body = try TextRules.requiredText(body, field: "body", label: "报告正文", maxLength: 50_000)
        valid.body = body
        guard departmentUnitID != nil else { throw DomainError.required("department_unit_id", label: "职能部门") }
        var seenItems = Set<ClassificationItemKey>()
        valid.items = items.filter { seenItems.insert($0).inserted }
        var seenFindings = Set<UUID>()
        valid.findingIDs = findingIDs.filter { seenFindings.insert($0).inserted }
        guard !valid.items.isEmpty || !valid.findingIDs.isEmpty else {
            throw DomainError.invalid(
                "selection_required", "请至少勾选一个普遍性问题（分类项目或相似问题）", english: "select at least one item or finding", field: "items")
        }
        guard valid.items.count <= Self.maximumItems, valid.findingIDs.count <= Self.maximumFindings else {
            throw DomainError.invalid(
                "selection_too_large", "一份专题报告最多选\(Self.maximumItems)个分类项目、\(Self.maximumFindings)个问题", english: "selection too large", field: "items")
        }
        if let year, !(2000...2100).contains(year) {
            throw .invalid("invalid_year", "年度须在2000至2100之间", english: "year out of range", field: "year")
        }
        return valid
    }
}

/// A rule the department established or revised in answer to the report.
public struct ThematicRuleChange: Sendable, Equatable {
    public var title: String
    public var kind: RuleImprovementKind
    public var documentNumber: String?
    public var adoptedOn: CalendarDay
    public var description: String

    public init(title: String, kind: RuleImprovementKind, documentNumber: String? = nil, adoptedOn: CalendarDay, description: String) {
        self.title = title
        self.kind = kind
        self.documentNumber = documentNumber
        self.adoptedOn = adoptedOn
        self.description = description
    }

    /// The same rules as any rule improvement: a title, a description, adopted no later than today.
    public func validated(today: CalendarDay) throws(DomainError) -> ThematicRuleChange {
        var valid = self
        (valid.title, valid.documentNumber, valid.description) = try AdoptedRule.text(title: title, documentNumber: documentNumber, description: description)
        try AdoptedRule.check(adoptedOn: adoptedOn, today: today)
        return valid
    }
}

/// Filters of the thematic-report list.
public struct ThematicReportQuery: Sendable, Equatable {
    public var status: ThematicReportStatus?

    public init(status: ThematicReportStatus? = nil) {
        self.status = status
    }
}

/// A row of the thematic-report list.
public struct ThematicReportSummary: Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var departmentName: String
    public var status: ThematicReportStatus
    public var problemCount: Int
    public var unitCount: Int
    public var ruleChangeCount: Int
    public var createdAt: Date
    public var sentAt: Date?

    public init(
        id: UUID, title: String, departmentName: String, status: ThematicReportStatus, problemCount: Int, unitCount: Int, ruleChangeCount: Int, createdAt: Date,
        sentAt: Date?
    ) {
        self.id = id
        self.title = title
        self.departmentName = departmentName
        self.status = status
        self.problemCount = problemCount
        self.unitCount = unitCount
        self.ruleChangeCount = ruleChangeCount
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}
