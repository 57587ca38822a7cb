// Counts of working papers kept by the database itself, in the same transaction as every write,
// so a cross table (交叉统计) reads a few hundred counter rows instead of every paper and its tags.

extension Migrations {
    /// `finding_counts`: papers by committee, assignment (with its unit, round and group), the month
    /// they were drafted in (yyyymm, Asia/Shanghai), status and disposition ('' before triage).
    /// `finding_tag_counts`: the same by classification scheme and item; the row with item '' counts
    /// the papers carrying any item of the scheme, so that 未分类 is the rest. Triggers follow every
    /// insert, update and delete of `findings` and `finding_tags` (a tag row is replaced, never
    /// updated: an update is refused); the migration counts what is already there.
    static let v0040 = Migration(version: 40, name: "finding counts kept by triggers", each: FindingCountsSQL.byAssignment)
}

/// The counters of papers the database keeps (`PaperCounters`).
enum FindingCountsSQL {
    /// Migration 40's, for the cross table: by assignment and the month a paper was drafted in.
    static let byAssignment = PaperCounters(
        papers: "finding_counts", tags: "finding_tag_counts",
        key: "jurisdiction_id, assignment_id, unit_id, round_id, group_id, month, status, disposition",
        // A family's items of a committee, each item's rows (and the scheme's '' row) together.
        tagKey: "scheme_id, jurisdiction_id, entry_code, assignment_id, unit_id, round_id, group_id, month, status, disposition",
        columns: """
            jurisdiction_id TEXT NOT NULL, assignment_id TEXT NOT NULL, unit_id TEXT NOT NULL, round_id TEXT NOT NULL, group_id TEXT NOT NULL,
            month BIGINT NOT NULL, status TEXT NOT NULL, disposition TEXT NOT NULL,
            """,
        values: { r, month in
            "\(r).jurisdiction_id, \(r).assignment_id, \(r).unit_id, \(r).round_id, \(r).group_id, \(month(r + ".created_at")), \(r).status, COALESCE(\(r).disposition, '')"
        },
        keyColumns: ["jurisdiction_id", "assignment_id", "unit_id", "round_id", "group_id", "created_at", "status", "disposition"],
        refusesTagUpdates: true)
}
