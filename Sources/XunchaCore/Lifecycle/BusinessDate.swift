import Foundation

/// 业务日期: the day a step happened as the office dates its work, which may lie before the day it
/// is recorded (补录: a round approved in March entered in June). Left out, it is the day of
/// recording. A day older than the office's setting (`JurisdictionSettings.backfillDays`) must say
/// why, so an auditor reading the history sees which entries were made after the fact and on
/// whose word.
public struct BusinessDate: Sendable, Equatable {
    /// The day the step happened; nil: the day it is recorded.
    public var day: CalendarDay?
    /// 补录原因.
    public var reason: String?

    public static let today = BusinessDate()

    public static let reasonLimit = 500

    public init(day: CalendarDay? = nil, reason: String? = nil) {
        self.day = day
        self.reason = reason
    }

    /// Reads the two fields a step form or body carries (`occurred_on`, `backfill_reason`).
    public init(text: String?, reason: String?) throws(DomainError) {
        let text = text?.trimmingCharacters(in: .whitespaces) ?? ""
        self.init(day: text.isEmpty ? nil : try CalendarDay(text: text, field: "occurred_on", label: "业务日期"), reason: reason)
    }

    /// Checks the day against the day of recording, the step before it and the office's setting,
    /// and answers when the step counts as taken.
    /// - Parameters:
    ///   - now: when the step is recorded.
    ///   - previous: the business day of the record's latest step, if any; a step cannot precede it.
    ///   - backfillDays: how many days back a step may be dated without a reason.
    public func resolved(recordedAt now: Date, after previous: CalendarDay?, backfillDays: Int) throws(DomainError) -> StepTime {
        let today = CalendarDay(now)
        let day = day ?? today
        guard day <= today else {
            throw .invalid("future_business_date", "业务日期不能晚于今天（\(today)）", english: "occurred_on is in the future", field: "occurred_on")
        }
        if let previous, day < previous {
            throw .invalid(
                "business_date_before_previous", "业务日期不能早于上一步的业务日期（\(previous)）", english: "occurred_on precedes the previous step",
                field: "occurred_on")
        }
        let reason = try TextRules.optionalText(reason, field: "backfill_reason", label: "补录原因", maxLength: Self.reasonLimit)
        if day.days(until: today) > backfillDays, reason == nil {
            throw .invalid(
                "backfill_reason_required", "业务日期早于今天\(backfillDays)天以上，须填写补录原因", english: "a step dated more than \(backfillDays) days back needs a reason",
                field: "backfill_reason")
        }
        return StepTime(occurredOn: day, recordedAt: now, backfillReason: day < today ? reason : nil)
    }

    /// Whether checking the day needs the record's history and the office's setting: only a day
    /// before today can precede a step or need a reason.
    public func isBefore(_ now: Date) -> Bool {
        guard let day else { return false }
        return day < CalendarDay(now)
    }
}

/// When a step counts as taken (its business day) and when it was recorded.
public struct StepTime: Sendable, Equatable {
    public var occurredOn: CalendarDay
    public var recordedAt: Date
    /// 补录原因, for a step dated before the day it was recorded.
    public var backfillReason: String?

    public init(occurredOn: CalendarDay, recordedAt: Date, backfillReason: String? = nil) {
        self.occurredOn = occurredOn
        self.recordedAt = recordedAt
        self.backfillReason = backfillReason
    }

    /// A step recorded on the day it happens.
    public init(recordedAt now: Date) {
        self.init(occurredOn: CalendarDay(now), recordedAt: now)
    }

    /// Entered after the fact (补录).
    public var isBackfilled: Bool { occurredOn < CalendarDay(recordedAt) }

    /// The moment the fields a step sets (approved at, closed at …) record: the business day at
    /// the time of day it was recorded, so steps entered in one sitting keep their order and every
    /// count by day, month or year falls on the business day. China keeps no daylight saving, so
    /// whole days of 86 400 s move the day and keep the time.
    public var at: Date {
        recordedAt.addingTimeInterval(-Double(occurredOn.days(until: CalendarDay(recordedAt))) * 86_400)
    }

    /// What the audit entry adds for a step entered after the fact.
    public var auditNote: String {
        guard isBackfilled else { return "" }
        return "（业务日期\(occurredOn)，补录" + (backfillReason.map { "：\($0)" } ?? "") + "）"
    }
}
