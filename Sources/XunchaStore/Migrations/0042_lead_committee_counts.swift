// The statistics' leads counted in advance per committee, as they stand today, so that a roll-up
// over a city or the whole country reads a few rows per committee and month instead of every lead.

extension Migrations {
    /// `lead_committee_counts`: leads by committee, the month they were registered in (yyyymm,
    /// Asia/Shanghai), status, 办理情况 as it stands, whether answered, receiver, nature, the
    /// cadre's level, 四种形态 and method, and the feedback's due day while a transferred lead awaits
    /// it ('' otherwise), so that the overdue are those due before the day read. Kept by triggers.
    static let v0042 = Migration(version: 42, name: "lead counts per committee by month registered", each: LeadCountsSQL.byCommittee)
}

/// The counters of leads the database keeps.
enum LeadCountsSQL {
    /// The statuses of a lead transferred and not withdrawn (`LeadStatus.transferredOn`).
    static let transferred = "'transferred', 'received', 'answered', 'closed'"

    static let byCommittee = RowCounters(
        table: "lead_committee_counts", source: "leads",
        key: "jurisdiction_id, month, status, handling, answered, receiver, subject, authority, form, method, due",
        columns: """
            jurisdiction_id TEXT NOT NULL, month BIGINT NOT NULL, status TEXT NOT NULL, handling TEXT NOT NULL, answered BIGINT NOT NULL, receiver TEXT NOT NULL,
            subject TEXT NOT NULL, authority TEXT NOT NULL, form BIGINT NOT NULL, method TEXT NOT NULL, due TEXT NOT NULL,
            """,
        values: { r, month in
            // 办理情况 (`LeadHandling`) as `AsOfSQL.leadHandling` reads it at the end of today.
            let handling =
                "CASE WHEN \(r).status IN ('dismissed', 'withdrawn') THEN \(r).status WHEN \(r).closed_at IS NOT NULL THEN 'closed' "
                + "WHEN \(r).answered_at IS NOT NULL THEN 'answered' WHEN \(r).received_at IS NOT NULL THEN 'received' "
                + "WHEN \(r).status IN (\(transferred)) THEN 'transferred' ELSE 'pending' END"
            let due = "CASE WHEN \(r).status IN (\(transferred)) AND \(r).answered_at IS NULL THEN COALESCE(\(r).feedback_due, '') ELSE '' END"
            return "\(r).jurisdiction_id, \(month(r + ".created_at")), \(r).status, \(handling), CASE WHEN \(r).answered_at IS NULL THEN 0 ELSE 1 END, "
                + "COALESCE(\(r).receiver, ''), \(r).subject, \(r).authority, COALESCE(\(r).form, 0), COALESCE(\(r).method, ''), \(due)"
        },
        keyColumns: ["jurisdiction_id", "created_at", "status", "closed_at", "answered_at", "received_at", "receiver", "subject", "authority", "form", "method", "feedback_due"])
}
