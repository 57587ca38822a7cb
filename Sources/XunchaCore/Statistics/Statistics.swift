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

extension LabelledCount {
    /// Every value of a vocabulary with its count among `counts` (by code), zeros included, in the
    /// vocabulary's order: how every count grouped by a dimension is listed.
    public static func every<Code: CodedTitle>(_ type: Code.Type, in counts: [String: Int]) -> [LabelledCount] {
        Code.allCases.map { LabelledCount(code: $0.rawValue, title: $0.title, count: counts[$0.rawValue] ?? 0) }
    }
}

/// One row of a cross table (交叉统计): the row's own count and its count in each column, every
/// column listed in a fixed order, zeros included, so that the columns add up to the row.
public struct CrossCount: Sendable, Equatable {
    public var row: LabelledCount
    public var columns: [LabelledCount]

    public init(row: LabelledCount, columns: [LabelledCount]) {
        self.row = row
        self.columns = columns
    }
}

/// Findings of one classification family (a scheme such as 六项纪律) with its items. A finding
/// tagged with two items of a family counts once for the family and once for each item.
public struct ClassificationFigures: Sendable, Equatable {
    public var family: LabelledCount
    public var items: [LabelledCount]
    /// 问题类别 × 处置方式: the family's approved papers by disposition (`FindingDisposition`:
    /// 立行立改, 限期整改, 移交问题线索, 待确定处置方式, and 不予认定, which `family.count` leaves out).
    public var byDisposition: [LabelledCount] = []
    /// The same for each item, in the order of `items`.
    public var itemsByDisposition: [CrossCount] = []

    public init(family: LabelledCount, items: [LabelledCount]) {
        self.family = family
        self.items = items
    }
}

/// The columns of 问题类别 × 处置方式: an approved paper's disposition, or none yet.
public enum FindingDisposition: String, CaseIterable, Sendable, CodedTitle {
    case immediate, deadline, lead
    case notRecognised = "not_recognised"
    case untriaged

    public var title: String {
        switch self {
        case .immediate: "立行立改"
        case .deadline: "限期整改"
        case .lead: "移交问题线索"
        case .notRecognised: "不予认定"
        case .untriaged: "待确定处置方式"
        }
    }

    /// The column of a paper's `disposition` (nil: not yet triaged).
    public init(_ disposition: Disposition?) {
        switch disposition {
        case .immediate: self = .immediate
        case .deadline: self = .deadline
        case .lead: self = .lead
        case .dropped: self = .notRecognised
        case nil: self = .untriaged
        }
    }
}

/// 线索办理情况: where a lead stood at the end of the as-of day. The steps after the transfer are
/// read from the moments they recorded (transferred, received, answered, closed), so a past day
/// reads as it stood; the steps before the transfer record no moment of their own, so a lead not
/// yet transferred by the day is counted as 未移交 whatever its stage of 研判 and 审批, and 不作为线索
/// and 已撤回 are read from the lead's status now.
public enum LeadHandling: String, CaseIterable, Sendable, CodedTitle {
    case pending, transferred, received, answered, closed, dismissed, withdrawn

    public var title: String {
        switch self {
        case .pending: "未移交（研判、审批中）"
        case .transferred: "已移交待签收"
        case .received: "已签收待反馈"
        case .answered: "已反馈"
        case .closed: "已销号"
        case .dismissed: "不作为线索"
        case .withdrawn: "已撤回"
        }
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
    /// 线索办理情况: every lead registered in the period (dismissed and withdrawn ones too) by where
    /// it stood at the end of the as-of day (`LeadHandling`), zeros included.
    public var byHandling: [LabelledCount] = []
    /// 四种形态 × 处置方式. Only a lead's answer carries a form: a finding's disposition (立行立改,
    /// 限期整改, 移交线索) is decided before any person is dealt with, so a cross with it would put
    /// every form under 移交线索. The cross a report reads is therefore the receiving body's own
    /// disposition of each answered lead (谈话函询, 初步核实 … 组织处理, `DispositionMethod`) against
    /// the form it applied: one row per form (1 … 4) and a last row 未运用“四种形态” for answers
    /// without one; every method a column, zeros included.
    public var byFormAndMethod: [CrossCount] = []

    public init(registered: Int, transferred: Int, byReceiver: [LabelledCount], feedbackOverdue: Int, answered: Int, byForm: [Int]) {
        self.registered = registered
        self.transferred = transferred
        self.byReceiver = byReceiver
        self.feedbackOverdue = feedbackOverdue
        self.answered = answered
        self.byForm = byForm
    }

    /// Answered leads dealt with under the first or second form.
    public var formsOneAndTwo: Int { byForm.prefix(2).reduce(0, +) }

    /// 第一、二种形态占运用“四种形态”处理的比例: forms one and two among the answered leads whose
    /// answer applied a form (every lead handled under 四种形态).
    public var formsOneAndTwoShare: Double? { Statistics.share(formsOneAndTwo, of: byForm.reduce(0, +)) }

    /// 第一、二种形态占已反馈线索的比例: forms one and two among every answered lead, those whose
    /// answer applied no form (予以了结, 暂存待查 …) included.
    public var formsOneAndTwoShareOfAnswered: Double? { Statistics.share(formsOneAndTwo, of: answered) }
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
    /// 按期销号: closed by the as-of day, on a business day no later than its deadline.
    public var closedOnTime: Int = 0
    /// 逾期销号: closed by the as-of day, on a business day after its deadline.
    public var closedLate: Int = 0

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
    /// 制度 and 流程, zeros included.
    public var byScope: [LabelledCount]

    public init(total: Int, established: Int, revised: Int) {
        self.total = total
        self.established = established
        self.revised = revised
        byScope = Self.byScope(processes: 0, of: total)
    }

    /// 制度 and 流程 when `processes` of `total` are processes.
    public static func byScope(processes: Int, of total: Int) -> [LabelledCount] {
        LabelledCount.every(RuleImprovementScope.self, in: [RuleImprovementScope.rule.rawValue: total - processes, RuleImprovementScope.process.rawValue: processes])
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

/// 队伍: the people drawn in the period and the make-up of the pools (read with `PoolFigures`).
public struct StaffingFigures: Sendable, Equatable {
    /// 抽调巡察干部: distinct inspectors in a group of a round of the period (planned start, as
    /// `PoolFigures.drawnByRound`), each counted once however many rounds drew them.
    public var drawn: Int
    /// The same by 组内职务 (组长, 副组长, 组员, 联络员), zeros included: an inspector who held two
    /// roles in the period's rounds counts once in each.
    public var drawnByRole: [LabelledCount]
    /// 组长库 by 职级, most senior first, zeros included; `unranked` (未填写职级) last.
    public var leaderPoolByRank: [LabelledCount]
    /// Inspectors in either pool by 部门类别, zeros included.
    public var byCategory: [LabelledCount]

    public init(drawn: Int, drawnByRole: [LabelledCount], leaderPoolByRank: [LabelledCount], byCategory: [LabelledCount]) {
        self.drawn = drawn
        self.drawnByRole = drawnByRole
        self.leaderPoolByRank = leaderPoolByRank
        self.byCategory = byCategory
    }
}

/// 一托N: how many units one group inspected in one batch.
public enum GroupLoad {
    /// "一托一" … "一托十", then "一托11".
    public static func title(_ units: Int) -> String {
        let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        return "一托" + ((1...10).contains(units) ? numerals[units - 1] : String(units))
    }
}

/// 下级党委 of a rolled-up city: what each lower committee ran in the period.
///
/// Whether a committee has a leading group (巡察工作领导小组) or an office (巡察办) is not recorded:
/// a jurisdiction is a name, a level and its place in the tree, so those two counts are not given
/// rather than guessed from the accounts that happen to exist.
public struct LowerCommitteeFigures: Sendable, Equatable {
    /// Committees below the one counted.
    public var committees: Int
    /// Of them, those with a round they approved planned to start in the period (up to the as-of day).
    public var withRounds: Int
    /// 巡察组 of their rounds in the period (a group belongs to one round: group-rounds).
    public var groups: Int
    /// Their rounds in the period by 巡察方式 (常规、专项、机动 …), zeros included.
    public var roundsByKind: [LabelledCount]
    /// Of them, those that record a 巡察工作领导小组 and a 巡察机构 (巡察办) set up.
    public var withLeadingGroup = 0
    public var withOffice = 0

    public init(committees: Int, withRounds: Int, groups: Int, roundsByKind: [LabelledCount]) {
        self.committees = committees
        self.withRounds = withRounds
        self.groups = groups
        self.roundsByKind = roundsByKind
    }

    public var rounds: Int { roundsByKind.reduce(0) { $0 + $1.count } }
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
    /// 组次: distinct groups with assignments in the filter (a group belongs to one round, so each
    /// is one group-round).
    public var groupRounds: Int?
    /// 一托N: the (group, batch) pairs of those assignments by how many units the group inspected
    /// in the batch, 一托一 to 一托三 always listed, larger loads when they occur.
    public var groupsByLoad: [LabelledCount]?
    /// Only when rolled up (and not narrowed to a round, group or unit).
    public var lowerCommittees: LowerCommitteeFigures?
    /// With `pools`: the people drawn and the pools' make-up.
    public var staffing: StaffingFigures?
    /// With `ruleImprovements`: distinct registered units that adopted at least one (a rule adopted
    /// by a body outside the register, such as the committee or a department, names no unit).
    public var unitsImprovingRules: Int?

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
                findings.immediate > 0 ? "立行立改\(findings.immediate)件" + (findings.immediateCompleted > 0 ? "（已完成\(findings.immediateCompleted)件）" : "") : nil,
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

        if let leads = figures.leads, let share = leads.formsOneAndTwoShare, let ofAnswered = leads.formsOneAndTwoShareOfAnswered {
            var part = "已反馈办理结果的线索中，运用第一、二种形态处理的占\(percent(ofAnswered))"
            if leads.byForm.reduce(0, +) < leads.answered { part += "，占运用“四种形态”处理的\(percent(share))" }
            if leads.feedbackOverdue > 0 { part += "，逾期未反馈\(leads.feedbackOverdue)条" }
            sentences.append(part + "。")
        } else if let leads = figures.leads, leads.feedbackOverdue > 0 {
            sentences.append("移交线索中逾期未反馈\(leads.feedbackOverdue)条。")
        }

        if let tasks = figures.rectification, tasks.tasks > 0 {
            var part = "整改任务\(tasks.tasks)项，已销号\(tasks.closed)项"
            if tasks.closedLate > 0 { part += "（其中逾期销号\(tasks.closedLate)项）" }
            if let rate = tasks.rate { part += "，整改率\(percent(rate))" }
            if tasks.open > 0 { part += "，正在整改\(tasks.open)项" }
            if tasks.overdue > 0 { part += "（其中逾期\(tasks.overdue)项）" }
            if let days = tasks.averageDaysToClose { part += "，平均\(oneDecimal(days))天销号" }
            sentences.append(part + "。")
        }
        if let rules = figures.ruleImprovements, rules.total > 0 {
            let processes = rules.byScope.first { $0.code == RuleImprovementScope.process.rawValue }?.count ?? 0
            var part = processes > 0 ? "建立完善制度\(rules.total - processes)项、流程\(processes)项" : "制定完善制度\(rules.total)项"
            if rules.established > 0, rules.revised > 0 { part += "，其中新建\(rules.established)项、修订完善\(rules.revised)项" }
            sentences.append(part + "。")
        }
        if let lower = figures.lowerCommittees, lower.committees > 0 {
            var part = "下级党委\(lower.committees)个"
            if lower.withLeadingGroup > 0 || lower.withOffice > 0 {
                part += "，成立巡察工作领导小组\(lower.withLeadingGroup)个、设立巡察机构\(lower.withOffice)个"
            }
            if lower.rounds > 0 {
                part += "，其中\(lower.withRounds)个开展巡察\(lower.rounds)轮"
                let kinds = lower.roundsByKind.filter { $0.count > 0 }
                if kinds.count > 1 { part += "（" + kinds.map { "\($0.title)\($0.count)轮" }.joined(separator: "、") + "）" }
                part += "，派出巡察组\(lower.groups)个"
            }
            sentences.append(part + "。")
        }
        return sentences.isEmpty ? nothingToSay : sentences.joined()
    }

    /// The summary as the dashboard and the export print it: the opening (`summary`) and, run on,
    /// its details.
    public static func printedSummary(_ figures: StatisticsFigures) -> String {
        let opening = summary(figures)
        guard let details = summaryDetails(figures) else { return opening }
        return opening == nothingToSay ? details : opening + details
    }

    /// The summary of a range with no work in it.
    static let nothingToSay = "所选范围内暂无巡察工作数据。"

    /// The summary's details, on the people and the rules (队伍建设、制度建设): the groups
    /// sent and their 一托N, the inspectors drawn and their roles, the pools, and how many units
    /// improved their rules. Nil when none of it is the reader's or all of it is zero.
    public static func summaryDetails(_ figures: StatisticsFigures) -> String? {
        var sentences: [String] = []
        if let groups = figures.groupRounds, groups > 0 {
            var part = "派出巡察组\(groups)个（组次）"
            let loads = (figures.groupsByLoad ?? []).filter { $0.count > 0 && $0.code != "1" }
            if !loads.isEmpty { part += "，其中" + loads.map { "\($0.title)\($0.count)个" }.joined(separator: "、") }
            sentences.append(part + "。")
        }
        if let pools = figures.pools {
            var parts: [String] = []
            if let staffing = figures.staffing, staffing.drawn > 0 {
                let roles = staffing.drawnByRole.filter { $0.count > 0 }
                parts.append("抽调巡察干部\(staffing.drawn)人" + (roles.isEmpty ? "" : "（" + roles.map { "\($0.title)\($0.count)人" }.joined(separator: "、") + "）"))
            }
            if pools.leaderPool > 0 || pools.talentPool > 0 { parts.append("组长库\(pools.leaderPool)人、人才库\(pools.talentPool)人") }
            if !parts.isEmpty { sentences.append(parts.joined(separator: "；") + "。") }
        }
        if let units = figures.unitsImprovingRules, units > 0 {
            sentences.append("\(units)个被巡察单位建立完善制度。")
        }
        return sentences.isEmpty ? nil : sentences.joined()
    }
}
