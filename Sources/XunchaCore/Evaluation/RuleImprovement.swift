import Foundation

/// 制度、流程建立或完善 (domain §2.4 SystemicIssue, §5): a rule or process a unit (or, for a
/// cross-unit systemic problem, the committee or a functional department) established or revised
/// because of problems the feedback named or a 立行立改 notice raised. Linked to one or more such
/// problems, and thereby to their units, in tables of their own so that statistics count them in SQL.
public struct RuleImprovement: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    /// The unit that adopted it; nil when a body outside the register did (`adoptingBody`).
    public var unitID: UUID?
    public var unitName: String?
    public var adoptingBody: String?
    public var title: String
    public var kind: RuleImprovementKind
    /// 制度 or 流程.
    public var scope: RuleImprovementScope = .rule
    /// 文号, when the rule was issued as a document.
    public var documentNumber: String?
    public var adoptedOn: CalendarDay
    public var description: String
    public var problems: [LinkedProblem]
    /// 立行立改 notices it answers.
    public var immediates: [LinkedImmediate] = []
    public var recordedBy: String
    public var createdAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, unitID: UUID?, unitName: String?, adoptingBody: String?, title: String, kind: RuleImprovementKind,
        documentNumber: String?, adoptedOn: CalendarDay, description: String, problems: [LinkedProblem], recordedBy: String, createdAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.unitID = unitID
        self.unitName = unitName
        self.adoptingBody = adoptingBody
        self.title = title
        self.kind = kind
        self.documentNumber = documentNumber
        self.adoptedOn = adoptedOn
        self.description = description
        self.problems = problems
        self.recordedBy = recordedBy
        self.createdAt = createdAt
        self.version = version
    }

    /// Who adopted it, as people read it.
    public var adopterName: String { unitName ?? adoptingBody ?? "" }
}

/// 建立 (a new rule) or 完善 (a revised one).
/// What was established or revised: a rule (制度) or a process (流程) — a year-end report counts
/// "建立完善制度N项、流程M项".
public enum RuleImprovementScope: String, CaseIterable, Codable, Sendable, CodedTitle {
    case rule
    case process

    public var title: String {
        switch self {
        case .rule: "制度"
        case .process: "流程"
        }
    }
}

public enum RuleImprovementKind: String, CaseIterable, Codable, Sendable, CodedTitle {
    case established
    case revised

    public var title: String {
        switch self {
        case .established: "建立"
        case .revised: "完善"
        }
    }
}

/// A 立行立改 notice a rule improvement answers: a problem fixed at once often shows a rule missing.
public struct LinkedImmediate: Sendable, Equatable {
    public var immediateID: UUID
    public var unitID: UUID
    public var unitName: String
    /// 立行立改通知书编号.
    public var number: String
    /// The problem as the notice states it.
    public var text: String

    public init(immediateID: UUID, unitID: UUID, unitName: String, number: String, text: String) {
        self.immediateID = immediateID
        self.unitID = unitID
        self.unitName = unitName
        self.number = number
        self.text = text
    }
}

/// A feedback problem a rule improvement answers, with the unit it belongs to.
public struct LinkedProblem: Sendable, Equatable {
    public var problemID: UUID
    public var feedbackID: UUID
    public var unitID: UUID
    public var unitName: String
    public var sequence: Int
    public var text: String

    public init(problemID: UUID, feedbackID: UUID, unitID: UUID, unitName: String, sequence: Int, text: String) {
        self.problemID = problemID
        self.feedbackID = feedbackID
        self.unitID = unitID
        self.unitName = unitName
        self.sequence = sequence
        self.text = text
    }
}

/// What the office or the unit types when recording a rule improvement.
public struct RuleImprovementDraft: Sendable, Equatable {
    public var title: String
    public var kind: RuleImprovementKind
    /// 制度 or 流程.
    public var scope: RuleImprovementScope = .rule
    public var documentNumber: String?
    public var adoptedOn: CalendarDay
    public var unitID: UUID?
    public var adoptingBody: String?
    public var description: String
    public var problemIDs: [UUID]
    /// 立行立改 notices (issued) it answers.
    public var immediateIDs: [UUID]

    public init(
        title: String, kind: RuleImprovementKind, documentNumber: String? = nil, adoptedOn: CalendarDay, unitID: UUID? = nil, adoptingBody: String? = nil,
        description: String, problemIDs: [UUID], immediateIDs: [UUID] = []
    ) {
        self.title = title
        self.kind = kind
        self.documentNumber = documentNumber
        self.adoptedOn = adoptedOn
        self.unitID = unitID
        self.adoptingBody = adoptingBody
        self.description = description
        self.problemIDs = problemIDs
        self.immediateIDs = immediateIDs
    }

    /// Checks the fields: a title, a description, an adopter (a unit or a named body), an adoption
    /// day not after today, at least one problem (a feedback problem or a 立行立改 notice), each once.
    public func validated(today: CalendarDay) throws(DomainError) -> RuleImprovementDraft {
        var valid = self
        valid.adoptingBody = try TextRules.optionalLine(adoptingBody, field: "adopting_body", label: "制定机关", maxLength: 100)
        (valid.title, valid.documentNumber, valid.description) = try AdoptedRule.text(title: title, documentNumber: documentNumber, description: description)
        if unitID != nil { valid.adoptingBody = nil }
        guard unitID != nil || valid.adoptingBody != nil else {
            throw DomainError.invalid("adopter_required", "请选择制定单位，或填写制定机关（如市委、职能部门）", english: "a unit or an adopting body is required", field: "unit_id")
        }
        try AdoptedRule.check(adoptedOn: adoptedOn, today: today)
        var seen = Set<UUID>()
        valid.problemIDs = problemIDs.filter { seen.insert($0).inserted }
        valid.immediateIDs = immediateIDs.filter { seen.insert($0).inserted }
        guard !valid.problemIDs.isEmpty || !valid.immediateIDs.isEmpty else {
            throw DomainError.invalid(
                "problems_required", "请至少关联一个反馈问题或立行立改事项", english: "at least one feedback problem or immediate notice", field: "problem_ids")
        }
        guard valid.problemIDs.count + valid.immediateIDs.count <= 200 else {
            throw DomainError.invalid("too_many_problems", "一项制度最多关联200个问题", english: "too many problems", field: "problem_ids")
        }
        return valid
    }
}

/// Filters of the rule-improvement list.
public struct RuleImprovementQuery: Sendable, Equatable {
    /// Improvements linked to a problem of this unit.
    public var unitID: UUID?
    public var kind: RuleImprovementKind?
    /// Adopted in this year.
    public var year: Int?

    public init(unitID: UUID? = nil, kind: RuleImprovementKind? = nil, year: Int? = nil) {
        self.unitID = unitID
        self.kind = kind
        self.year = year
    }
}

/// What every adopted rule carries (制度名称、文号、主要内容、印发日期), checked alike for a rule
/// improvement and a 专题报告's rule change.
enum AdoptedRule {
    static func text(title: String, documentNumber: String?, description: String) throws(DomainError) -> (title: String, documentNumber: String?, description: String) {
        (
            try TextRules.requiredLine(title, field: "title", label: "制度名称", maxLength: 200),
            try TextRules.optionalLine(documentNumber, field: "document_number", label: "文号", maxLength: 60),
            try TextRules.requiredText(description, field: "description", label: "主要内容", maxLength: 20_000)
        )
    }

    /// A rule is recorded once adopted: its day is not after today.
    static func check(adoptedOn: CalendarDay, today: CalendarDay) throws(DomainError) {
        guard adoptedOn <= today else {
            throw DomainError.invalid("adopted_in_future", "印发（施行）日期不能晚于今天", english: "adopted date in the future", field: "adopted_on")
        }
    }
}
