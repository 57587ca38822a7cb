import Foundation
import SQLKit
import XunchaCore

/// The statistics' papers read from the counters each committee keeps (`finding_committee_counts`,
/// `finding_tag_committee_counts`, migration 41): a few rows per committee and month instead of
/// every paper and tag of a city or of the country. They answer a committee-wide count (no unit,
/// round or group chosen, no reader kept to their own assignments) as the papers stand today, over
/// whole months of approval; anything else reads the records.
struct CommitteeCountersSQL {
    /// The approved papers of the counted committees and months of approval, in a counter table `c`.
    let counted: SQLQueryString
    /// The leads of the counted committees and months of registration, in `lead_committee_counts l`.
    let leadsCounted: SQLQueryString
    /// The tasks of the counted committees whose plan was approved in the counted months, in `task_committee_counts c`.
    let tasksCounted: SQLQueryString
    /// The as-of day, `yyyy-MM-dd`: a feedback due before it is overdue.
    let asOfDay: String

    /// Nil when the counters cannot answer: a narrower reader or filter, figures as of another day
    /// than today (the counters hold how things stand now, and nothing is recorded as happening
    /// after today), or a period that starts or ends inside a month.
    init?(_ where_: StatisticsSQL, today: CalendarDay) {
        switch where_.scope {
        case .subtree, .jurisdiction, .everything: break
        default: return nil
        }
        let filter = where_.filter
        guard filter.unitID == nil, filter.roundID == nil, filter.groupID == nil, filter.standingGroupID == nil, where_.asOf.day == today.description,
            let months = CountedCrosstabSQL.months(from: filter.from, to: filter.to, today: today)
        else { return nil }
        func monthsOf(_ alias: String) -> SQLQueryString {
            var sql: SQLQueryString = ""
            if let first = months.first { sql += " AND \(unsafeRaw: alias).month >= \(bind: first)" }
            return sql + " AND \(unsafeRaw: alias).month <= \(bind: months.last)"
        }
        counted = where_.jurisdictions("c.jurisdiction_id") + " AND c.status = 'approved'" + monthsOf("c")
        leadsCounted = where_.jurisdictions("l.jurisdiction_id") + monthsOf("l")
        // Month 0: the plan is not approved, its tasks not yet counted.
        tasksCounted = where_.jurisdictions("c.jurisdiction_id") + " AND c.month > 0" + monthsOf("c")
        asOfDay = where_.asOf.day
    }

    /// The papers' figures, named as `Store.findingFigures` reads them from the records: a problem
    /// is every disposition but 不予认定, or none yet ('').
    var findings: SQLQueryString {
        func sum(_ condition: String) -> String { "CAST(COALESCE(SUM(CASE WHEN \(condition) THEN c.n END), 0) AS BIGINT)" }
        return "SELECT \(unsafeRaw: sum("c.disposition <> 'dropped'")) AS total, \(unsafeRaw: sum("c.disposition = 'immediate'")) AS immediate, "
            + "\(unsafeRaw: sum("c.disposition = 'deadline'")) AS deadline, \(unsafeRaw: sum("c.disposition = 'lead'")) AS lead_count, "
            + "\(unsafeRaw: sum("c.disposition = 'dropped'")) AS dropped, \(unsafeRaw: sum("c.disposition = ''")) AS untriaged "
            + "FROM finding_committee_counts c WHERE " + counted
    }

    /// The tasks' figures, named as `Store.rectificationFigures` reads them from the records.
    var tasks: SQLQueryString {
        func sum(_ condition: String) -> String { "CAST(COALESCE(SUM(CASE WHEN \(condition) THEN c.n END), 0) AS BIGINT)" }
        return "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) AS tasks, \(unsafeRaw: sum("c.closed = 0")) AS open_count, \(unsafeRaw: sum("c.closed = 1")) AS closed, "
            + "CAST(COALESCE(SUM(CASE WHEN c.closed = 0 AND c.due < \(bind: asOfDay) THEN c.n END), 0) AS BIGINT) AS overdue, "
            + "CAST(COALESCE(SUM(c.closing_ms), 0) AS BIGINT) AS closing_ms, \(unsafeRaw: sum("c.closed = 1")) AS timed, "
            + "\(unsafeRaw: sum("c.timing = 'on_time'")) AS on_time, \(unsafeRaw: sum("c.timing = 'late'")) AS late FROM task_committee_counts c WHERE " + tasksCounted
    }

    /// The tags' counts by scheme, item ('' for the scheme's papers) and disposition (NULL before
    /// triage), summed before they meet the schemes and entries, as `t` with `scheme_id`,
    /// `entry_code`, `disposition` and `n`.
    var tags: SQLQueryString {
        "(SELECT c.scheme_id, c.entry_code, NULLIF(c.disposition, '') AS disposition, CAST(SUM(c.n) AS BIGINT) AS n FROM finding_tag_committee_counts c WHERE "
            + counted + " GROUP BY c.scheme_id, c.entry_code, c.disposition HAVING SUM(c.n) <> 0) t"
    }

    /// Whether a family has more than one version: a paper tagged in two of them counts once in
    /// the records, which the counters (by scheme) cannot tell.
    static func familiesVersioned(on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT code FROM classification_schemes GROUP BY code HAVING COUNT(*) > 1").first() != nil
    }
}

/// Where the leads' figures are counted, `l`: the leads themselves under the scope, the filter and
/// the as-of day, or the committees' counters (`lead_committee_counts`, migration 42), whose rows
/// say how each lead stands today, each row counting `n` leads.
struct LeadCountSource {
    /// `FROM … WHERE` the counted rows.
    let rows: SQLQueryString
    /// How many leads the grouped rows stand for, and one row.
    let count: SQLQueryString
    let weight: SQLQueryString
    let registered: SQLQueryString
    let transferred: SQLQueryString
    let overdue: SQLQueryString
    let answered: SQLQueryString
    /// 办理情况 (`LeadHandling`) code.
    let handling: SQLQueryString
    /// The receiver's code, NULL when none.
    let receiver: SQLQueryString
    private let counted: Bool

    /// The records.
    init(_ where_: StatisticsSQL) {
        let asOf = where_.asOf
        rows = "FROM leads l WHERE " + where_.on(.init(jurisdiction: "l.jurisdiction_id", unit: "l.unit_id", assignment: "l.assignment_id", group: "l.group_id", millis: "l.created_at"))
        (count, weight, counted) = ("COUNT(*)", "1", false)
        (registered, transferred, overdue, answered) = (asOf.leadRegistered, asOf.leadTransferred, asOf.leadFeedbackOverdue, asOf.leadAnswered)
        (handling, receiver) = (asOf.leadHandling, "l.receiver")
    }

    /// The committees' counters.
    init(_ counters: CommitteeCountersSQL) {
        rows = "FROM lead_committee_counts l WHERE " + counters.leadsCounted
        (count, weight, counted) = ("CAST(SUM(l.n) AS BIGINT)", "l.n", true)
        registered = "l.status NOT IN ('dismissed', 'withdrawn')"
        transferred = "l.status IN (\(unsafeRaw: LeadCountsSQL.transferred))"
        overdue = "l.due <> '' AND l.due < \(bind: counters.asOfDay)"
        answered = "l.answered = 1"
        (handling, receiver) = ("l.handling", "NULLIF(l.receiver, '')")
    }

    /// The leads meeting `condition`.
    func tally(_ condition: SQLQueryString) -> SQLQueryString {
        counted ? "CAST(COALESCE(SUM(CASE WHEN " + condition + " THEN l.n END), 0) AS BIGINT)" : "COUNT(CASE WHEN " + condition + " THEN 1 END)"
    }
}
