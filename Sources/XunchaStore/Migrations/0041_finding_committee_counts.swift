// The statistics' papers counted in advance per committee, so that a roll-up over a city or the
// whole country reads a few rows per committee and month instead of every paper and tag in it.

extension Migrations {
    /// `finding_committee_counts`: papers by committee, status, the month they were approved in
    /// (yyyymm, Asia/Shanghai; 0 before approval) and disposition ('' before triage);
    /// `finding_tag_committee_counts` the same by classification scheme and item, item '' counting
    /// the papers with any item of the scheme. Kept by triggers like migration 40's counters.
    static let v0041 = Migration(version: 41, name: "finding counts per committee by month approved", each: FindingCountsSQL.byCommittee)
}

extension FindingCountsSQL {
    /// Migration 41's, for the statistics' figures on papers and their classification: by committee
    /// and the month a paper was approved in, its disposition as it stands.
    static let byCommittee = PaperCounters(
        papers: "finding_committee_counts", tags: "finding_tag_committee_counts",
        key: "jurisdiction_id, status, month, disposition",
        tagKey: "jurisdiction_id, scheme_id, entry_code, status, month, disposition",
        columns: "jurisdiction_id TEXT NOT NULL, status TEXT NOT NULL, month BIGINT NOT NULL, disposition TEXT NOT NULL,",
        values: { r, month in "\(r).jurisdiction_id, \(r).status, COALESCE(\(month(r + ".approved_at")), 0), COALESCE(\(r).disposition, '')" },
        keyColumns: ["jurisdiction_id", "status", "approved_at", "disposition"])
}
