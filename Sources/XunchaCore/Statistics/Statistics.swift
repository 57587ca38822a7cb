import Foundation

/// What narrows the statistics (统计口径). Every field is optional: no filter is the reader's whole
/// reach. The period selects each record by the day it came into being: an assignment by its
/// batch's entry day, a finding by its approval, a lead by its registration, a task by its
/// creation, a rule improvement by its adoption day, a round's draw by its planned start.
public struct StatisticsFilter: Sendable, Equatable {
    public var from: CalendarDay?
    public var to: CalendarDay?
    public var roundID: UUID?
    /// The committee whose figures are wanted; the reader's own when absent.
    public var jurisdictionID: UUID?
    /// Include every committee below `jurisdictionID` (a city with its districts and counties).
    /// Honoured only for readers whose reach is the subtree.
    public var rollUp: Bool
    /// One round's group.
    public var groupID: UUID?
    /// A standing group (常设巡察组) across every round it served in: a year's figures per group.
    public var standingGroupID: UUID?
    public var unitID: UUID?
    /// 截至某日: the figures as they stood at the end of this day (today when absent).
    public var asOf: CalendarDay?

    public init(
        from: CalendarDay? = nil, to: CalendarDay? = nil, roundID: UUID? = nil, jurisdictionID: UUID? = nil, rollUp: Bool = false, groupID: UUID? = nil,
        unitID: UUID? = nil, asOf: CalendarDay? = nil, standingGroupID: UUID? = nil
    ) {
        self.from = from
        self.to = to
        self.roundID = roundID
        self.jurisdictionID = jurisdictionID
        self.rollUp = rollUp
        self.groupID = groupID
        self.unitID = unitID
        self.asOf = asOf
        self.standingGroupID = standingGroupID
    }

    /// Refuses a period that ends before it starts.
    public func validated() throws(DomainError) -> StatisticsFilter {
        if let from, let to, to < from {
            throw .invalid("invalid_period", "统计期间的截止日期不能早于起始日期", english: "period ends before it starts", field: "to")
        }
        return self
    }

    /// The period as epoch milliseconds, [start, end): days are counted in Asia/Shanghai, where the
    /// work happens, while timestamps are stored in UTC.
    public var millisecondRange: (start: Int64?, end: Int64?) {
        (from.map(Self.startOfDay), to.map { Self.startOfDay($0.adding(days: 1)) })
    }

    static func startOfDay(_ day: CalendarDay) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
        return date.epochMilliseconds
    }
}

/// One labelled count of a breakdown.
public struct LabelledCount: Sendable, Equatable, Codable {
    public var code: String
    public var title: String
    public var count: Int

    public init(code: String, title: String, count: Int) {
        self.code = code
        self.title = title
        self.count = count
    }
}

/// Findings of one classification family (a scheme such as 六项纪律) with its items. A finding
/// tagged with two items of a family counts once for the family and once for each item.
public struct ClassificationFigures: Sendable, Equatable {
    public var family: LabelledCount
    public var items: [LabelledCount]

    public init(family: LabelledCount, items: [LabelledCount]) {
        self.family = family
        self.items = items
    }
}

/// 问题: approved working papers by disposition.
public struct FindingFigures: Sendable, Equatable {
    /// Approved papers found to be problems (every disposition but 不予认定, untriaged included).
    public var total: Int
    public var immediate: Int
    public var deadline: Int
    public var lead: Int
    /// 不予认定: approved but not recognised as a problem; not in `total`.
    public var notRecognised: Int
    /// Approved, not yet triaged.
    public var untriaged: Int
    public var byClassification: [ClassificationFigures]
    /// 立行立改 notices the group verified and closed (by the as-of day).
    public var immediateCompleted: Int = 0

    public init(total: Int, immediate: Int, deadline: Int, lead: Int, notRecognised: Int, untriaged: Int, byClassification: [ClassificationFigures]) {
        self.total = total
        self.immediate = immediate
        self.deadline = deadline
        self.lead = lead
        self.notRecognised = notRecognised
        self.untriaged = untriaged
        self.byClassification = byClassification
    }
}

/// 问题线索: registered (not dismissed or withdrawn), transferred, by receiver, overdue, by 四种形态.
public struct LeadFigures: Sendable, Equatable {
    public var registered: Int
    public var transferred: Int
    /// Transferred leads by the body that received them.
    public var byReceiver: [LabelledCount]
    /// Transferred, not answered, past the feedback day.
    public var feedbackOverdue: Int
    public var answered: Int
    /// Answered leads by 四种形态 (1 … 4), in order, zeros included.
    public var byForm: [Int]
    /// Registered leads by 问题性质 (违纪违法, 选人用人 …), zeros included.
    public var bySubject: [LabelledCount] = []
    /// Registered leads by the cadre's level (本级管理 / 下级管理 / 非干部), zeros included.
    public var byAuthority: [LabelledCount] = []

    public init(registered: Int, transferred: Int, byReceiver: [LabelledCount], feedbackOverdue: Int, answered: Int, byForm: [Int]) {
        self.registered = registered
        self.transferred = transferred
        self.byReceiver = byReceiver
        self.feedbackOverdue = feedbackOverdue
        self.answered = answered
        self.byForm = byForm
    }

    /// Share of forms one and two among the leads whose form was reported.
    public var formsOneAndTwoShare: Double? { Statistics.share(byForm.prefix(2).reduce(0, +), of: byForm.reduce(0, +)) }
}

/// 整改: tasks of approved plans.
public struct RectificationFigures: Sendable, Equatable {
    public var tasks: Int
    public var open: Int
    public var closed: Int
    /// Open past their deadline.
    public var overdue: Int
    /// Average calendar days from a task's creation to its closure (销号), for closed tasks.
    public var averageDaysToClose: Double?

    public init(tasks: Int, open: Int, closed: Int, overdue: Int, averageDaysToClose: Double?) {
        self.tasks = tasks
        self.open = open
        self.closed = closed
        self.overdue = overdue
        self.averageDaysToClose = averageDaysToClose
    }

    /// 整改率: closed ÷ all tasks.
    public var rate: Double? { Statistics.share(closed, of: tasks) }
}

/// 制度完善.
public struct RuleImprovementFigures: Sendable, Equatable {
    public var total: Int
    public var established: Int
    public var revised: Int

    public init(total: Int, established: Int, revised: Int) {
        self.total = total
        self.established = established
        self.revised = revised
    }
}

/// Inspectors drawn into the groups of one round.
public struct RoundDraw: Sendable, Equatable {
    public var roundID: UUID
    public var title: String
    public var inspectors: Int

    public init(roundID: UUID, title: String, inspectors: Int) {
        self.roundID = roundID
        self.title = title
        self.inspectors = inspectors
    }
}

/// 组长库、人才库 and the draw per round.
public struct PoolFigures: Sendable, Equatable {
    public var leaderPool: Int
    public var talentPool: Int
    public var drawnByRound: [RoundDraw]

    public init(leaderPool: Int, talentPool: Int, drawnByRound: [RoundDraw]) {
        self.leaderPool = leaderPool
        self.talentPool = talentPool
        self.drawnByRound = drawnByRound
    }
}

/// Every figure of the statistics for one filter. A section is nil when the reader may not see it
/// (an inspected unit never gets findings or leads, which could reveal a lead about it).
public struct StatisticsFigures: Sendable, Equatable {
    /// Distinct rounds and batches with assignments in the filter.
    public var rounds: Int?
    public var batches: Int?
    /// Distinct units with assignments in the filter.
    public var unitsInspected: Int?
    /// Units registered in the filter's committees (or the one unit filtered on); nil for a group's reader.
    public var unitsRegistered: Int?
    public var findings: FindingFigures?
    public var leads: LeadFigures?
    public var rectification: RectificationFigures?
    public var ruleImprovements: RuleImprovementFigures?
    public var pools: PoolFigures?

    public init(
        rounds: Int? = nil, batches: Int? = nil, unitsInspected: Int? = nil, unitsRegistered: Int? = nil, findings: FindingFigures? = nil, leads: LeadFigures? = nil,
        rectification: RectificationFigures? = nil, ruleImprovements: RuleImprovementFigures? = nil, pools: PoolFigures? = nil
    ) {
        self.rounds = rounds
        self.batches = batches
        self.unitsInspected = unitsInspected
        self.unitsRegistered = unitsRegistered
        self.findings = findings
        self.leads = leads
        self.rectification = rectification
        self.ruleImprovements = ruleImprovements
        self.pools = pools
    }

    /// 覆盖率: units inspected ÷ units registered.
    public var coverage: Double? {
        guard let unitsInspected, let unitsRegistered else { return nil }
        return Statistics.share(unitsInspected, of: unitsRegistered)
    }
}

/// Pure helpers over the figures: shares, percentages and the year-end summary.
public enum Statistics {
    /// `part ÷ whole`, nil when the whole is zero.
    public static func share(_ part: Int, of whole: Int) -> Double? {
        whole > 0 ? Double(part) / Double(whole) : nil
    }

    /// A share as a percentage with one decimal: 0.9118 → "91.2%". Rounded half away from zero on
    /// the tenth, as a report writer would.
    public static func percent(_ share: Double) -> String {
        let tenths = (share * 1000).rounded(.toNearestOrAwayFromZero)
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
    }

    /// Days with one decimal: 12.25 → "12.3".
    public static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded(.toNearestOrAwayFromZero))
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// The year-end summary in the style of the reports it goes into (哈尔滨市2016年巡察工作):
    /// "共巡察3个党组织（单位），发现问题5个，其中立行立改2件、列入问题清单2个，移交问题线索1条……".
    /// Parts the reader may not see or whose count is zero are left out; a text with nothing to say
    /// says so.
    /// The classification sentence of a year-end report: "按问题类别，违反六项纪律问题N个，其中四风问题N个、
    /// 违规使用财政资金问题N个；三大问题N个。" — each family as the findings tagged with it count, zeros left out.
    public static func classificationSentence(_ families: [ClassificationFigures]) -> String? {
        let count = Dictionary(families.map { ($0.family.code, $0.family.count) }, uniquingKeysWith: +)
        func part(_ code: String, _ title: String) -> String? { count[code].flatMap { $0 > 0 ? "\(title)\($0)个" : nil } }
        let within = [part("four_winds", "四风问题"), part("fiscal_funds", "违规使用财政资金问题")].compactMap { $0 }
        var parts: [String] = []
        if let disciplines = part("six_disciplines", "违反六项纪律问题") {
            parts.append(disciplines + (within.isEmpty ? "" : "，其中" + within.joined(separator: "、")))
        } else if !within.isEmpty {
            parts.append(within.joined(separator: "、"))
        }
        if let major = part("three_major", "三大问题") { parts.append(major) }
        return parts.isEmpty ? nil : "按问题类别，" + parts.joined(separator: "；") + "。"
    }

    public static func summary(_ figures: StatisticsFigures) -> String {
        var sentences: [String] = []

        var work: [String] = []
        if let units = figures.unitsInspected, units > 0 {
            var opening = "共巡察\(units)个党组织（单位）"
            if let batches = figures.batches, batches > 1 { opening = "分\(batches)批次" + opening }
            if let coverage = figures.coverage, let registered = figures.unitsRegistered, units < registered {
                opening += "，占应巡察单位的\(percent(coverage))"
            }
            work.append(opening)
        }
        if let findings = figures.findings, findings.total > 0 {
            var part = "发现问题\(findings.total)个"
            let split = [
                findings.immediate > 0 ? "立行立改\(findings.immediate)件" : nil,
                findings.deadline > 0 ? "列入问题清单\(findings.deadline)个" : nil,
            ].compactMap { $0 }
            if !split.isEmpty { part += "，其中" + split.joined(separator: "、") }
            work.append(part)
        }
        if let leads = figures.leads, leads.transferred > 0 {
            var part = "移交问题线索\(leads.transferred)条"
            let receivers = leads.byReceiver.filter { $0.count > 0 }
            if receivers.count > 1 { part += "（" + receivers.map { "\($0.title)\($0.count)条" }.joined(separator: "、") + "）" }
            work.append(part)
        }
        if !work.isEmpty { sentences.append(work.joined(separator: "，") + "。") }
        if let findings = figures.findings, let sentence = classificationSentence(findings.byClassification) { sentences.append(sentence) }

        if let leads = figures.leads, let share = leads.formsOneAndTwoShare {
            var part = "已反馈办理结果的线索中，运用第一、二种形态处理的占\(percent(share))"
            if leads.feedbackOverdue > 0 { part += "，逾期未反馈\(leads.feedbackOverdue)条" }
            sentences.append(part + "。")
        } else if let leads = figures.leads, leads.feedbackOverdue > 0 {
            sentences.append("移交线索中逾期未反馈\(leads.feedbackOverdue)条。")
        }

        if let tasks = figures.rectification, tasks.tasks > 0 {
            var part = "整改任务\(tasks.tasks)项，已销号\(tasks.closed)项"
            if let rate = tasks.rate { part += "，整改率\(percent(rate))" }
            if tasks.open > 0 { part += "，正在整改\(tasks.open)项" }
            if tasks.overdue > 0 { part += "（其中逾期\(tasks.overdue)项）" }
            if let days = tasks.averageDaysToClose { part += "，平均\(oneDecimal(days))天销号" }
            sentences.append(part + "。")
        }
        if let rules = figures.ruleImprovements, rules.total > 0 {
            var part = "制定完善制度\(rules.total)项"
            if rules.established > 0, rules.revised > 0 { part += "，其中新建\(rules.established)项、修订完善\(rules.revised)项" }
            sentences.append(part + "。")
        }
        return sentences.isEmpty ? "所选范围内暂无巡察工作数据。" : sentences.joined()
    }
}
