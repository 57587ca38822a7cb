import Foundation

/// 轮次: a planned wave of inspections by one committee, in one term, of one kind.
public struct Round: Sendable, Equatable, Codable {
    public var id: UUID
    public var jurisdictionID: UUID
    /// 届次, e.g. "十五届" — coverage is counted per term.
    public var term: String
    /// 第N轮 within the term.
    public var sequence: Int
    public var kind: RoundKind
    public var theme: String?
    public var plannedStart: CalendarDay
    public var plannedEnd: CalendarDay
    public var status: RoundStatus
    /// 一托N: the most units one group inspects in one batch of this round.
    public var maxUnitsPerGroup: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, term: String, sequence: Int, kind: RoundKind, theme: String?, plannedStart: CalendarDay,
        plannedEnd: CalendarDay, status: RoundStatus, maxUnitsPerGroup: Int, createdAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.term = term
        self.sequence = sequence
        self.kind = kind
        self.theme = theme
        self.plannedStart = plannedStart
        self.plannedEnd = plannedEnd
        self.status = status
        self.maxUnitsPerGroup = maxUnitsPerGroup
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// "十五届第3轮（常规巡察）".
    public var title: String { "\(term)第\(sequence)轮（\(kind.title)）" }
}

/// 巡察方式.
public enum RoundKind: String, CaseIterable, Codable, Sendable, CodedTitle {
    case routine, special, mobile, followUp = "follow_up", escalated, cross

    public var title: String {
        switch self {
        case .routine: "常规巡察"
        case .special: "专项巡察"
        case .mobile: "机动巡察"
        case .followUp: "巡察“回头看”"
        case .escalated: "提级巡察"
        case .cross: "交叉巡察"
        }
    }

    /// "常规" for 常规巡察: a beginning of two characters or more.
    public func isShortTitle(_ text: String) -> Bool { title.hasPrefix(text) && text.count >= 2 }
}

/// What the office submits to open a round, validated.
public struct RoundDraft: Sendable, Equatable {
    public var term: String
    public var sequence: Int
    public var kind: RoundKind
    public var theme: String?
    public var plannedStart: CalendarDay
    public var plannedEnd: CalendarDay
    public var maxUnitsPerGroup: Int

    public init(term: String, sequence: Int, kind: RoundKind, theme: String?, plannedStart: CalendarDay, plannedEnd: CalendarDay, maxUnitsPerGroup: Int) {
        self.term = term
        self.sequence = sequence
        self.kind = kind
        self.theme = theme
        self.plannedStart = plannedStart
        self.plannedEnd = plannedEnd
        self.maxUnitsPerGroup = maxUnitsPerGroup
    }

    /// The largest 一托N a jurisdiction may set; one group cannot inspect more at once in practice.
    public static let maximumUnitsPerGroup = 5

    public static func validate(
        term: String?, sequence: Int?, kind: String?, theme: String?, plannedStart: String?, plannedEnd: String?, maxUnitsPerGroup: Int?,
        defaultMaxUnitsPerGroup: Int
    ) throws(DomainError) -> RoundDraft {
        let term = try TextRules.requiredLine(term, field: "term", label: "届次", maxLength: 20)
        guard let sequence else { throw DomainError.required("sequence", label: "轮次序号") }
        guard (1...99).contains(sequence) else {
            throw .invalid("invalid_sequence", "轮次序号须在1至99之间", english: "sequence must be 1-99", field: "sequence")
        }
        guard let kindText = kind, !kindText.isEmpty else { throw DomainError.required("kind", label: "巡察方式") }
        guard let roundKind = RoundKind(code: kindText) else {
            throw .invalid("unknown_round_kind", "未知的巡察方式“\(kindText)”", english: "unknown round kind", field: "kind")
        }
        let theme = try TextRules.optionalLine(theme, field: "theme", label: "巡察主题", maxLength: 200)
        guard let startText = plannedStart, !startText.isEmpty else { throw DomainError.required("planned_start", label: "计划开始日期") }
        guard let endText = plannedEnd, !endText.isEmpty else { throw DomainError.required("planned_end", label: "计划结束日期") }
        let start = try CalendarDay(text: startText, field: "planned_start", label: "计划开始日期")
        let end = try CalendarDay(text: endText, field: "planned_end", label: "计划结束日期")
        guard start <= end else {
            throw .invalid("date_range", "计划结束日期不能早于开始日期", english: "planned_end before planned_start", field: "planned_end")
        }
        let perGroup = maxUnitsPerGroup ?? defaultMaxUnitsPerGroup
        guard (1...maximumUnitsPerGroup).contains(perGroup) else {
            throw .invalid(
                "invalid_units_per_group", "每组每批最多巡察单位数须在1至\(maximumUnitsPerGroup)之间", english: "max units per group out of range",
                field: "max_units_per_group")
        }
        return RoundDraft(term: term, sequence: sequence, kind: roundKind, theme: theme, plannedStart: start, plannedEnd: end, maxUnitsPerGroup: perGroup)
    }
}

/// 批次: a sub-division of a round with its own entry and exit dates.
public struct Batch: Sendable, Equatable, Codable {
    public var id: UUID
    public var roundID: UUID
    public var jurisdictionID: UUID
    public var sequence: Int
    /// 进驻 and 撤离 dates.
    public var entryDate: CalendarDay
    public var exitDate: CalendarDay

    public init(id: UUID, roundID: UUID, jurisdictionID: UUID, sequence: Int, entryDate: CalendarDay, exitDate: CalendarDay) {
        self.id = id
        self.roundID = roundID
        self.jurisdictionID = jurisdictionID
        self.sequence = sequence
        self.entryDate = entryDate
        self.exitDate = exitDate
    }

    /// Validates a batch's dates: in order, and inside the round's planned dates.
    public static func validateDates(entry: String?, exit: String?, within round: Round) throws(DomainError) -> (CalendarDay, CalendarDay) {
        guard let entry, !entry.isEmpty else { throw DomainError.required("entry_date", label: "进驻日期") }
        guard let exit, !exit.isEmpty else { throw DomainError.required("exit_date", label: "撤离日期") }
        let start = try CalendarDay(text: entry, field: "entry_date", label: "进驻日期")
        let end = try CalendarDay(text: exit, field: "exit_date", label: "撤离日期")
        guard start <= end else {
            throw .invalid("date_range", "撤离日期不能早于进驻日期", english: "exit before entry", field: "exit_date")
        }
        guard round.plannedStart <= start, end <= round.plannedEnd else {
            throw .invalid(
                "batch_outside_round", "批次日期须在本轮计划时间（\(round.plannedStart) 至 \(round.plannedEnd)）之内",
                english: "batch dates outside the round", field: start < round.plannedStart ? "entry_date" : "exit_date")
        }
        return (start, end)
    }
}
