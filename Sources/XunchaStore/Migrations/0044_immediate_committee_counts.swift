// The statistics' 立行立改 notices counted in advance per committee, so that a roll-up reads a
// few rows per committee and month instead of every notice.

extension Migrations {
    /// `immediate_committee_counts`: 立行立改 notices by committee, the month they were opened in
    /// (yyyymm, Asia/Shanghai) and status. Kept by triggers.
    static let v0044 = Migration(version: 44, name: "immediate rectification counts per committee by month opened", each: ImmediateCountsSQL.byCommittee)
}

/// The counters of 立行立改 notices the database keeps.
enum ImmediateCountsSQL {
    static let byCommittee = RowCounters(
        table: "immediate_committee_counts", source: "immediate_rectifications",
        key: "jurisdiction_id, month, status",
        columns: "jurisdiction_id TEXT NOT NULL, month BIGINT NOT NULL, status TEXT NOT NULL,",
        values: { r, month in "\(r).jurisdiction_id, \(month(r + ".created_at")), \(r).status" },
        keyColumns: ["jurisdiction_id", "created_at", "status"])
}
