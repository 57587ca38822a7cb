import Foundation
import SQLKit
import XunchaCore

/// The statistics read from the counters each committee keeps of its papers and their tags, leads,
/// tasks and 立行立改 notices (migrations 41–44): a few rows per committee and month instead of
/// every record of a city or of the country. They answer a committee-wide count (no unit, round or
/// group chosen, no reader kept to their own assignments) as things stand today, over whole months
/// of the period's moment (a paper's approval, a lead's registration, a plan's approval, a notice's
/// opening); anything else reads the records.
struct CommitteeCountersSQL {
    /// The approved papers of the counted committees and months of approval, in a counter table `c`.
    let counted: SQLQueryString
    /// The leads of the counted committees and months of registration, in `lead_committee_counts l`.
    let leadsCounted: SQLQueryString
    /// The tasks of the counted committees whose plan was approved in the counted months, in `task_committee_counts c`.
    let tasksCounted: SQLQueryString
    /// The 立行立改 notices opened in the counted months and closed by now, as `n`.
    let immediateClosed: SQLQueryString
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
        immediateClosed =
            "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) AS n FROM immediate_committee_counts c WHERE " + where_.jurisdictions("c.jurisdiction_id")
            + " AND c.status = 'closed'" + monthsOf("c")
        asOfDay = where_.asOf.day
    }

    /// How many the counter rows `alias` meeting `condition` stand for, an integer on both engines
    /// (PostgreSQL's SUM of BIGINT is NUMERIC), 0 when none.
    static func sum(_ condition: SQLQueryString, of alias: String = "c") -> SQLQueryString {
        "CAST(COALESCE(SUM(CASE WHEN " + condition + " THEN \(unsafeRaw: alias).n END), 0) AS BIGINT)"
    }

    /// The papers' figures, named as `Store.findingFigures` reads them from the records: a problem
    /// is every disposition but 不予认定, or none yet ('').
    var findings: SQLQueryString {
        "SELECT " + Self.sum("c.disposition <> 'dropped'") + " AS total, " + Self.sum("c.disposition = 'immediate'") + " AS immediate, "
            + Self.sum("c.disposition = 'deadline'") + " AS deadline, " + Self.sum("c.disposition = 'lead'") + " AS lead_count, "
            + Self.sum("c.disposition = 'dropped'") + " AS dropped, " + Self.sum("c.disposition = ''") + " AS untriaged "
            + "FROM finding_committee_counts c WHERE " + counted
    }

    /// The tasks' figures, named as `Store.rectificationFigures` reads them from the records.
    var tasks: SQLQueryString {
        "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) AS tasks, " + Self.sum("c.closed = 0") + " AS open_count, " + Self.sum("c.closed = 1") + " AS closed, "
            + Self.sum("c.closed = 0 AND c.due < \(bind: asOfDay)") + " AS overdue, "
            + "CAST(COALESCE(SUM(c.closing_ms), 0) AS BIGINT) AS closing_ms, " + Self.sum("c.closed = 1") + " AS timed, "
            + Self.sum("c.timing = 'on_time'") + " AS on_time, " + Self.sum("c.timing = 'late'") + " AS late FROM task_committee_counts c WHERE " + tasksCounted
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

/// The counts behind the leads' figures, by code, before they are laid out (`Store.leadFigures`).
struct LeadTallies {
    var registered = 0
    var transferred = 0
    var overdue = 0
    var answered = 0
    /// The transferred by receiver; the registered by nature and by the cadre's level; all by 办理情况.
    var receivers: [String: Int] = [:]
    var subjects: [String: Int] = [:]
    var authorities: [String: Int] = [:]
    var handling: [String: Int] = [:]
    /// The answered by form (0: none applied): in all, and by method.
    var forms: [Int: (total: Int, methods: [String: Int])] = [:]

    /// Counted from the leads under the scope, the filter and the as-of day, a GROUP BY per figure.
    static func read(_ where_: StatisticsSQL, on db: any SQLDatabase) async throws -> LeadTallies {
        let asOf = where_.asOf
        let leads: SQLQueryString =
            "FROM leads l WHERE " + where_.on(.init(jurisdiction: "l.jurisdiction_id", unit: "l.unit_id", assignment: "l.assignment_id", group: "l.group_id", millis: "l.created_at"))
        var tallies = LeadTallies()
        if let row = try await db.raw(
            "SELECT COUNT(CASE WHEN " + asOf.leadRegistered + " THEN 1 END) AS registered, COUNT(CASE WHEN " + asOf.leadTransferred + " THEN 1 END) AS transferred, "
                + "COUNT(CASE WHEN " + asOf.leadFeedbackOverdue + " THEN 1 END) AS overdue, COUNT(CASE WHEN " + asOf.leadAnswered + " THEN 1 END) AS answered " + leads
        ).first() {
            (tallies.registered, tallies.transferred) = (try row.int("registered"), try row.int("transferred"))
            (tallies.overdue, tallies.answered) = (try row.int("overdue"), try row.int("answered"))
        }
        func grouped(_ column: String, _ condition: SQLQueryString) async throws -> [String: Int] {
            var found: [String: Int] = [:]
            for row in try await db.raw("SELECT \(unsafeRaw: column) AS code, COUNT(*) AS n " + leads + " AND " + condition + " GROUP BY \(unsafeRaw: column)").all() {
                if let code = try row.optionalString("code") { found[code] = try row.int("n") }
            }
            return found
        }
        tallies.receivers = try await grouped("l.receiver", asOf.leadTransferred)
        tallies.subjects = try await grouped("l.subject", asOf.leadRegistered)
        tallies.authorities = try await grouped("l.authority", asOf.leadRegistered)
        // Grouped outside: PostgreSQL would not match the CASE's parameters in a GROUP BY of its own.
        for row in try await db.raw("SELECT handling, COUNT(*) AS n FROM (SELECT " + asOf.leadHandling + " AS handling " + leads + ") h GROUP BY handling").all() {
            tallies.handling[try row.string("handling")] = try row.int("n")
        }
        for row in try await db.raw("SELECT l.form, l.method, COUNT(*) AS n " + leads + " AND " + asOf.leadAnswered + " GROUP BY l.form, l.method").all() {
            let (form, method, count) = (try row.optionalInt("form") ?? 0, try row.optionalString("method") ?? "", try row.int("n"))
            tallies.forms[form, default: (0, [:])].total += count
            tallies.forms[form, default: (0, [:])].methods[method, default: 0] += count
        }
        return tallies
    }
}

extension CommitteeCountersSQL {
    /// Every count behind the leads' figures in one pass over the committees' counters
    /// (`lead_committee_counts`): their rows first summed by what the figures tell apart (a few
    /// dozen groups for the whole country), then a sum per code of each vocabulary over those,
    /// where the records take a GROUP BY each.
    func leadTallies(on db: any SQLDatabase) async throws -> LeadTallies {
        let registered: SQLQueryString = "l.status NOT IN ('dismissed', 'withdrawn')"
        let transferred: SQLQueryString = "l.status IN (\(unsafeRaw: LeadCountsSQL.transferred))"
        let answered: SQLQueryString = "l.answered = 1"
        var sums: [(condition: SQLQueryString, keep: (inout LeadTallies, Int) -> Void)] = [
            (registered, { $0.registered = $1 }), (transferred, { $0.transferred = $1 }),
            ("l.overdue = 1", { $0.overdue = $1 }), (answered, { $0.answered = $1 }),
        ]
        for code in ReceivingBody.allCases.map(\.rawValue) { sums.append((transferred + " AND l.receiver = \(bind: code)", { $0.receivers[code] = $1 })) }
        for code in LeadSubject.allCases.map(\.rawValue) { sums.append((registered + " AND l.subject = \(bind: code)", { $0.subjects[code] = $1 })) }
        for code in CadreAuthority.allCases.map(\.rawValue) { sums.append((registered + " AND l.authority = \(bind: code)", { $0.authorities[code] = $1 })) }
        for code in LeadHandling.allCases.map(\.rawValue) { sums.append(("l.handling = \(bind: code)", { $0.handling[code] = $1 })) }
        for form in 0...4 {
            let ofForm = answered + " AND l.form = \(bind: form)"
            sums.append((ofForm, { $0.forms[form, default: (0, [:])].total = $1 }))
            for method in DispositionMethod.allCases.map(\.rawValue) {
                sums.append((ofForm + " AND l.method = \(bind: method)", { $0.forms[form, default: (0, [:])].methods[method] = $1 }))
            }
        }
        var sql: SQLQueryString = "SELECT "
        for (index, sum) in sums.enumerated() {
            sql += (index == 0 ? "" : ", ") + Self.sum(sum.condition, of: "l") + " AS \(unsafeRaw: "s\(index)")"
        }
        var tallies = LeadTallies()
        // Grouped by position: PostgreSQL would not take the overdue CASE's parameter for the same twice.
        let grouped: SQLQueryString =
            " FROM (SELECT l.status, l.handling, l.answered, l.receiver, l.subject, l.authority, l.form, l.method, "
            + "CASE WHEN l.due <> '' AND l.due < \(bind: asOfDay) THEN 1 ELSE 0 END AS overdue, SUM(l.n) AS n FROM lead_committee_counts l WHERE " + leadsCounted
            + " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) l"
        guard let row = try await db.raw(sql + grouped).first() else { return tallies }
        for (index, sum) in sums.enumerated() { sum.keep(&tallies, try row.int("s\(index)")) }
        return tallies
    }
}
