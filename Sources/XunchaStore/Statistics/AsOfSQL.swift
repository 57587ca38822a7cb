import Foundation
import SQLKit
import XunchaCore

/// 截至某日: the figures as they stood at the end of one day (today unless asked), so that a
/// year's report read as of its 31 December says the same the next March. Each state is read
/// from the business moments the steps recorded (approved, transferred, answered, closed) rather
/// than from the record's state now, so work done after the day does not count on it; for today
/// the two agree. These are the only definitions of open, closed, transferred, answered and
/// overdue the statistics, their breakdowns and their records use.
struct AsOfSQL: Sendable {
    /// The day, `yyyy-MM-dd`.
    let day: String
    /// The first millisecond after it, in Asia/Shanghai.
    let end: Int64

    init(_ day: CalendarDay) {
        self.day = day.description
        end = StatisticsFilter(to: day).millisecondRange.end!
    }

    /// A lead transferred by the day (and not withdrawn since).
    var leadTransferred: SQLQueryString {
        "l.status IN (\(binds: LeadStatus.transferredOn.map(\.rawValue))) AND l.transferred_at < \(bind: end)"
    }

    /// A paper's disposition (`Disposition` code, NULL: not yet triaged) at the end of the day: the
    /// one its last triage gave; none if its first triage came after the day; else the one before
    /// the last (exact for a paper triaged at most twice). Papers triaged before these moments were
    /// recorded read as they stand.
    var findingDisposition: SQLQueryString {
        "(CASE WHEN f.triaged_at IS NULL OR f.triaged_at < \(bind: end) THEN f.disposition WHEN f.first_triaged_at >= \(bind: end) THEN NULL "
            + "ELSE f.prior_disposition END)"
    }

    /// A paper found to be a problem by the end of the day: every disposition but 不予认定, or none yet.
    var findingProblem: SQLQueryString { "(" + findingDisposition + " IS NULL OR " + findingDisposition + " <> 'dropped')" }

    /// A lead set aside by the day: dismissed (不作为线索) or withdrawn on a business day no later
    /// than it — one set aside after the day was still a lead being weighed on it (set aside before
    /// the moment was recorded, it counts as set aside on every day).
    var leadSetAside: SQLQueryString {
        "(l.status IN ('dismissed', 'withdrawn') AND (l.set_aside_at IS NULL OR l.set_aside_at < \(bind: end)))"
    }

    /// A lead registered and not set aside by the day.
    var leadRegistered: SQLQueryString { "NOT " + leadSetAside }

    /// A lead its receiver had answered by the day.
    var leadAnswered: SQLQueryString { "l.answered_at IS NOT NULL AND l.answered_at < \(bind: end)" }

    /// 线索反馈超期: transferred, unanswered at the end of the day, its feedback due before it.
    var leadFeedbackOverdue: SQLQueryString {
        leadTransferred + " AND (l.answered_at IS NULL OR l.answered_at >= \(bind: end)) AND l.feedback_due < \(bind: day)"
    }

    /// A task under way at the end of the day: its plan approved by then (the join's `p`), not closed by then.
    var taskOpen: SQLQueryString { "(t.closed_at IS NULL OR t.closed_at >= \(bind: end))" }

    /// A task closed (销号) by the day.
    var taskClosed: SQLQueryString { "t.closed_at IS NOT NULL AND t.closed_at < \(bind: end)" }

    /// A task past its deadline and still open at the end of the day.
    var taskOverdue: SQLQueryString { taskOpen + " AND t.deadline < \(bind: day)" }

    /// 按期销号: a task closed by the day, on a business day no later than its deadline.
    var taskClosedOnTime: SQLQueryString { taskClosed + " AND " + Self.closureDay + " <= " + Self.epochDay("t.deadline") }

    /// 逾期销号: a task closed by the day, on a business day after its deadline.
    var taskClosedLate: SQLQueryString { taskClosed + " AND " + Self.closureDay + " > " + Self.epochDay("t.deadline") }

    /// The business day of a task's closure as days since 1970-01-01: `closed_at` is the moment the
    /// 销号 step recorded, which falls on its business day.
    static let closureDay: SQLQueryString = "\(unsafeRaw: DaySQL.businessDay("t.closed_at"))"

    /// A `yyyy-MM-dd` column as days since 1970-01-01.
    static func epochDay(_ column: String) -> SQLQueryString { "\(unsafeRaw: DaySQL.epochDay(column))" }

    /// 线索办理情况 (`LeadHandling`) of a lead at the end of the day, as its code.
    var leadHandling: SQLQueryString {
        "CASE WHEN " + leadSetAside + " THEN l.status WHEN l.closed_at IS NOT NULL AND l.closed_at < \(bind: end) THEN 'closed' WHEN "
            + leadAnswered + " THEN 'answered' WHEN l.received_at IS NOT NULL AND l.received_at < \(bind: end) THEN 'received' WHEN " + leadTransferred
            + " THEN 'transferred' ELSE 'pending' END"
    }

    /// A 立行立改 notice the group had verified and closed by the day.
    var immediateClosed: SQLQueryString { "i.status = 'closed' AND i.closed_at < \(bind: end)" }

    /// The tasks counted: those of plans the party committee had approved by the day, counted in
    /// the period of that approval (the day rectification started).
    static let taskJoin: SQLQueryString = "rectification_tasks t JOIN rectification_plans p ON p.id = t.plan_id AND p.status = 'approved'"
}

extension Store {
    /// The day figures stand at: the filter's `as_of`, else the caller's day, else today.
    func asOf(_ filter: StatisticsFilter, today: CalendarDay? = nil) -> AsOfSQL {
        AsOfSQL(filter.asOf ?? today ?? CalendarDay(clock.now()))
    }
}
