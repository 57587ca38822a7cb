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

    /// Nil when the counters cannot answer: a narrower reader or filter, a day in the past (the
    /// counters hold the dispositions as they stand, and nothing is approved or triaged after
    /// today), or a period that starts or ends inside a month.
    init?(_ where_: StatisticsSQL, today: CalendarDay) {
        switch where_.scope {
        case .subtree, .jurisdiction, .everything: break
        default: return nil
        }
        let filter = where_.filter
        guard filter.unitID == nil, filter.roundID == nil, filter.groupID == nil, filter.standingGroupID == nil, where_.asOf.day >= today.description,
            let months = CountedCrosstabSQL.months(from: filter.from, to: filter.to, today: today)
        else { return nil }
        var sql = where_.jurisdictions("c.jurisdiction_id") + " AND c.status = 'approved'"
        if let first = months.first { sql += " AND c.month >= \(bind: first)" }
        counted = sql + " AND c.month <= \(bind: months.last)"
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
