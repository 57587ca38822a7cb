import Foundation

/// 回头看 (domain §3.9): the office schedules a follow-up inspection of a unit for a quarter or a
/// day, with its reason, often because an evaluation graded it 差; afterwards it records that the
/// follow-up was done, or cancels it, with a note either way.
public struct FollowUp: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var unitID: UUID
    public var unitName: String
    public var evaluationID: UUID?
    public var plan: FollowUpPlan
    public var reason: String
    public var status: FollowUpStatus
    public var outcome: String?
    public var scheduledBy: String
    public var createdAt: Date
    public var settledAt: Date?
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, unitID: UUID, unitName: String, evaluationID: UUID?, plan: FollowUpPlan, reason: String, status: FollowUpStatus,
        outcome: String?, scheduledBy: String, createdAt: Date, settledAt: Date?, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.unitID = unitID
        self.unitName = unitName
        self.evaluationID = evaluationID
        self.plan = plan
        self.reason = reason
        self.status = status
        self.outcome = outcome
        self.scheduledBy = scheduledBy
        self.createdAt = createdAt
        self.settledAt = settledAt
        self.version = version
    }
}

/// When the follow-up is planned: a quarter of a year, or a day (whose quarter is then kept too,
/// so lists filter and count by year and quarter alike).
public struct FollowUpPlan: Sendable, Equatable {
    public var year: Int
    public var quarter: Int
    public var day: CalendarDay?

    public init(year: Int, quarter: Int, day: CalendarDay? = nil) {
        self.year = year
        self.quarter = quarter
        self.day = day
    }

    /// A day, or a year and quarter; never in the past.
    public static func validate(year: Int?, quarter: Int?, day: CalendarDay?, today: CalendarDay) throws(DomainError) -> FollowUpPlan {
        if let day {
            guard day >= today else {
                throw DomainError.invalid("planned_in_past", "计划日期不能早于今天", english: "planned day in the past", field: "planned_on")
            }
            return FollowUpPlan(year: day.year, quarter: (day.month - 1) / 3 + 1, day: day)
        }
        guard let year, let quarter else {
            throw DomainError.invalid("plan_required", "请填写计划日期，或计划年度和季度", english: "a day or a year and quarter", field: "planned_on")
        }
        guard (1...4).contains(quarter) else {
            throw DomainError.invalid("invalid_quarter", "季度须为1至4", english: "quarter must be 1-4", field: "planned_quarter")
        }
        guard (year, quarter) >= (today.year, (today.month - 1) / 3 + 1), year <= today.year + 10 else {
            throw DomainError.invalid("planned_in_past", "计划季度不能早于本季度", english: "planned quarter in the past", field: "planned_quarter")
        }
        return FollowUpPlan(year: year, quarter: quarter)
    }

    /// 2027年第2季度, or the day.
    public var text: String { day?.chineseText ?? "\(year)年第\(quarter)季度" }
}

public enum FollowUpStatus: String, CaseIterable, Codable, Sendable {
    case scheduled
    case done
    case cancelled

    public var title: String {
        switch self {
        case .scheduled: "已安排"
        case .done: "已开展"
        case .cancelled: "已取消"
        }
    }
}

/// Filters of the follow-up list.
public struct FollowUpQuery: Sendable, Equatable {
    public var unitID: UUID?
    public var status: FollowUpStatus?
    public var year: Int?

    public init(unitID: UUID? = nil, status: FollowUpStatus? = nil, year: Int? = nil) {
        self.unitID = unitID
        self.status = status
        self.year = year
    }
}
