import Foundation

/// One number of the statistics whose records can be listed (穿透查询): the dashboard links every
/// figure to the rows it counted, under the same filter. The code travels in URLs
/// (`findings.immediate`, `classification.six_disciplines.integrity`, `leads.form.1`).
public enum StatisticsMeasure: Sendable, Hashable {
    /// 已巡察单位: listed as the assignments that inspected them.
    case unitsInspected
    case findings(FindingSlice)
    /// Problems tagged with a family (a scheme such as 六项纪律) or with one item of it.
    case classified(family: String, item: String?)
    case leads(LeadSlice)
    case tasks(TaskSlice)
    case rules(RuleSlice)

    public enum FindingSlice: String, Sendable, CaseIterable {
        case total, immediate, deadline, lead, untriaged
        case notRecognised = "not_recognised"
    }

    public enum LeadSlice: Sendable, Hashable {
        case registered, transferred, overdue, answered
        case receiver(ReceivingBody)
        /// 四种形态, 1 … 4.
        case form(Int)
        /// 线索办理情况 at the end of the as-of day.
        case handling(LeadHandling)
    }

    public enum TaskSlice: String, Sendable, CaseIterable {
        case all, open, closed, overdue
        case closedOnTime = "closed_on_time"
        case closedLate = "closed_late"
    }

    public enum RuleSlice: String, Sendable, CaseIterable {
        case all, established, revised
    }

    /// The kind of record the measure lists, which decides the permission that opens it.
    public var recordKind: StatisticsRecordKind {
        switch self {
        case .unitsInspected: .assignment
        case .findings, .classified: .finding
        case .leads: .lead
        case .tasks: .task
        case .rules: .rule
        }
    }

    public var code: String {
        switch self {
        case .unitsInspected: "units"
        case .findings(let slice): "findings.\(slice.rawValue)"
        case .classified(let family, let item): "classification.\(family)" + (item.map { ".\($0)" } ?? "")
        case .leads(.receiver(let body)): "leads.receiver.\(body.rawValue)"
        case .leads(.form(let form)): "leads.form.\(form)"
        case .leads(.handling(let state)): "leads.handling.\(state.rawValue)"
        case .leads(.registered): "leads.registered"
        case .leads(.transferred): "leads.transferred"
        case .leads(.overdue): "leads.overdue"
        case .leads(.answered): "leads.answered"
        case .tasks(let slice): "tasks.\(slice.rawValue)"
        case .rules(let slice): "rules.\(slice.rawValue)"
        }
    }

    /// Parses a code; anything else is a 400 naming the parameter.
    public init(code: String) throws(DomainError) {
        let parts = code.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let measure: StatisticsMeasure? =
            switch (parts.first, parts.count) {
            case ("units", 1): .unitsInspected
            case ("findings", 2): FindingSlice(rawValue: parts[1]).map { .findings($0) }
            case ("classification", 2) where Self.isCode(parts[1]): .classified(family: parts[1], item: nil)
            case ("classification", 3) where Self.isCode(parts[1]) && Self.isCode(parts[2]): .classified(family: parts[1], item: parts[2])
            case ("leads", 2): ["registered": .registered, "transferred": .transferred, "overdue": .overdue, "answered": .answered][parts[1]].map { .leads($0) }
            case ("leads", 3) where parts[1] == "receiver": ReceivingBody(rawValue: parts[2]).map { .leads(.receiver($0)) }
            case ("leads", 3) where parts[1] == "handling": LeadHandling(rawValue: parts[2]).map { .leads(.handling($0)) }
            case ("leads", 3) where parts[1] == "form": Int(parts[2]).flatMap { (1...4).contains($0) ? .leads(.form($0)) : nil }
            case ("tasks", 2): TaskSlice(rawValue: parts[1]).map { .tasks($0) }
            case ("rules", 2): RuleSlice(rawValue: parts[1]).map { .rules($0) }
            default: nil
            }
        guard let measure else {
            throw .invalid("unknown_measure", "无法识别要查看明细的统计项", english: "unknown measure \(code)", field: "measure")
        }
        self = measure
    }

    /// Classification codes are short identifiers; anything else cannot name a family or an item.
    static func isCode(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// The heading of the drill-down page; a classification is named by its title when known.
    public func title(classification: String? = nil) -> String {
        switch self {
        case .unitsInspected: "已巡察单位（按巡察任务列出）"
        case .findings(.total): "发现问题"
        case .findings(.immediate): "立行立改的问题"
        case .findings(.deadline): "列入问题清单（限期整改）的问题"
        case .findings(.lead): "移交问题线索的问题"
        case .findings(.untriaged): "待确定处置方式的问题"
        case .findings(.notRecognised): "不予认定的底稿"
        case .classified: "分类为“\(classification ?? code)”的问题"
        case .leads(.registered): "登记的问题线索"
        case .leads(.transferred): "已移交的问题线索"
        case .leads(.receiver(let body)): "移交\(body.title)的问题线索"
        case .leads(.overdue): "逾期未反馈的问题线索"
        case .leads(.answered): "已反馈办理结果的问题线索"
        case .leads(.form(let form)): "按\(LeadDisposition.formTitle(form))处理的问题线索"
        case .leads(.handling(let state)): "办理情况为“\(state.title)”的问题线索"
        case .tasks(.all): "整改任务"
        case .tasks(.open): "正在整改的任务"
        case .tasks(.closed): "已销号的任务"
        case .tasks(.overdue): "逾期未完成的整改任务"
        case .tasks(.closedOnTime): "按期销号的整改任务"
        case .tasks(.closedLate): "逾期销号的整改任务"
        case .rules(.all): "建立完善的制度"
        case .rules(.established): "新建的制度"
        case .rules(.revised): "修订完善的制度"
        }
    }
}

/// The records a measure lists.
public enum StatisticsRecordKind: String, Sendable, CaseIterable {
    case assignment, finding, lead, task, rule

    /// The page that opens one record; the page applies the policy again.
    public func path(_ id: UUID) -> String {
        switch self {
        case .assignment: "/assignments/\(id.text)"
        case .finding: "/findings/\(id.text)"
        case .lead: "/leads/\(id.text)"
        case .task: "/rectification-tasks/\(id.text)"
        case .rule: "/rule-improvements/\(id.text)"
        }
    }
}

/// One row behind a figure, described the same way whatever its kind.
public struct StatisticsRecord: Sendable, Equatable {
    public var kind: StatisticsRecordKind
    public var id: UUID
    /// 编号 (a paper's or lead's number, a task's 问题-任务 label), when it has one.
    public var number: String?
    public var title: String
    public var unitName: String
    /// The day that put the record in the period (approval, registration, creation, adoption, entry).
    public var day: CalendarDay?
    /// Its state in words (处置方式, 状态).
    public var state: String

    public init(kind: StatisticsRecordKind, id: UUID, number: String?, title: String, unitName: String, day: CalendarDay?, state: String) {
        self.kind = kind
        self.id = id
        self.number = number
        self.title = title
        self.unitName = unitName
        self.day = day
        self.state = state
    }
}

/// 分单位、分党委统计: the main figures side by side for each unit (or each committee of a
/// roll-up), as the annex of a year-end report lists them.
public enum StatisticsBreakdownKind: String, Sendable, CaseIterable {
    /// 分巡察组: by standing group (常设巡察组), every round it served in.
    case unit, committee, group

    public var title: String {
        switch self {
        case .unit: "分单位统计"
        case .committee: "分党委统计"
        case .group: "分巡察组统计"
        }
    }

    /// The header of the rows' name column.
    public var nameHeader: String {
        switch self {
        case .unit: "单位"
        case .committee: "党委"
        case .group: "巡察组"
        }
    }
}

public struct StatisticsBreakdownRow: Sendable, Equatable {
    public var id: UUID
    public var name: String
    /// Units inspected (committees and groups only).
    public var unitsInspected: Int?
    public var findings: Int
    public var immediate: Int
    public var deadline: Int
    public var leadsTransferred: Int
    public var tasks: Int
    public var closed: Int
    public var overdue: Int

    public init(
        id: UUID, name: String, unitsInspected: Int? = nil, findings: Int = 0, immediate: Int = 0, deadline: Int = 0, leadsTransferred: Int = 0, tasks: Int = 0, closed: Int = 0,
        overdue: Int = 0
    ) {
        self.id = id
        self.name = name
        self.unitsInspected = unitsInspected
        self.findings = findings
        self.immediate = immediate
        self.deadline = deadline
        self.leadsTransferred = leadsTransferred
        self.tasks = tasks
        self.closed = closed
        self.overdue = overdue
    }

    /// 整改率 of the row.
    public var rate: Double? { Statistics.share(closed, of: tasks) }
}
