import Foundation

/// 巡察规划: the committee's plan for a term (届次) — which units it means to inspect and why —
/// against which full coverage (全覆盖) is measured.
public struct InspectionPlan: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var term: String
    public var termStart: CalendarDay
    public var termEnd: CalendarDay
    public var title: String
    public var targets: [PlanTarget]
    public var createdAt: Date

    public init(id: UUID, jurisdictionID: UUID, term: String, termStart: CalendarDay, termEnd: CalendarDay, title: String, targets: [PlanTarget], createdAt: Date) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.term = term
        self.termStart = termStart
        self.termEnd = termEnd
        self.title = title
        self.targets = targets
        self.createdAt = createdAt
    }
}

/// A unit the plan means to inspect, with why it is a priority (many leads, high risk, long
/// uninspected, poor past rectification …).
public struct PlanTarget: Sendable, Equatable {
    public var unitID: UUID
    public var reason: String?

    public init(unitID: UUID, reason: String?) {
        self.unitID = unitID
        self.reason = reason
    }
}

/// 全覆盖: how much of the register a term's rounds have reached.
public struct Coverage: Sendable, Equatable {
    public var term: String
    /// Units in the committee's register.
    public var total: Int
    /// Units some plan of the term targets.
    public var planned: Int
    /// Units a round of the term has entered (进驻).
    public var inspected: Int
    /// Some of the units not yet inspected, for the office to plan.
    public var remainingSample: [UnitRef]

    public init(term: String, total: Int, planned: Int, inspected: Int, remainingSample: [UnitRef]) {
        self.term = term
        self.total = total
        self.planned = planned
        self.inspected = inspected
        self.remainingSample = remainingSample
    }

    public var remaining: Int { max(0, total - inspected) }

    /// Share inspected, in percent with one decimal (0 when the register is empty).
    public var percent: Double { total == 0 ? 0 : (Double(inspected) * 1000 / Double(total)).rounded() / 10 }
}

extension InspectionPlan {
    /// Validates a plan: a term, its dates in order, a title, and targets without repeats.
    public static func validate(term: String?, termStart: String?, termEnd: String?, title: String?, targets: [PlanTarget]) throws(DomainError)
        -> (term: String, start: CalendarDay, end: CalendarDay, title: String, targets: [PlanTarget])
    {
        let term = try TextRules.requiredLine(term, field: "term", label: "届次", maxLength: 20)
        let title = try TextRules.requiredLine(title, field: "title", label: "规划名称", maxLength: 100)
        guard let startText = termStart, !startText.isEmpty else { throw DomainError.required("term_start", label: "届期开始日期") }
        guard let endText = termEnd, !endText.isEmpty else { throw DomainError.required("term_end", label: "届期结束日期") }
        let start = try CalendarDay(text: startText, field: "term_start", label: "届期开始日期")
        let end = try CalendarDay(text: endText, field: "term_end", label: "届期结束日期")
        guard start < end else { throw .invalid("date_range", "届期结束日期须晚于开始日期", english: "term_end before term_start", field: "term_end") }
        var seen = Set<UUID>()
        var cleaned: [PlanTarget] = []
        for target in targets {
            guard seen.insert(target.unitID).inserted else {
                throw .invalid("duplicate_target", "同一单位在规划中重复出现", english: "a unit is listed twice", field: "targets")
            }
            cleaned.append(PlanTarget(unitID: target.unitID, reason: try TextRules.optionalLine(target.reason, field: "targets", label: "重点理由", maxLength: 200)))
        }
        return (term, start, end, title, cleaned)
    }
}
