import SQLKit
import XunchaCore

/// 线索封存 as SQL. Once a working paper is triaged as 移交问题线索 its substance belongs to the
/// lead, so whoever may not read that lead (the office above all, which reads fieldwork but no
/// lead) sees the paper's number and state only. The condition comes from the same `viewLeads`
/// scope that lists leads, so a paper is open exactly to those its lead is open to.
enum LeadSealSQL {
    /// True (never NULL, and parenthesised, so `NOT` may stand before it) for the rows of
    /// `findings` (aliased `alias`) whose substance the actor may not read.
    static func sealed(for actor: Actor, policy: AccessPolicy, alias: String = "f") -> SQLQueryString {
        let isLead: SQLQueryString = "\(unsafeRaw: alias).disposition IS NOT NULL AND \(unsafeRaw: alias).disposition = 'lead'"
        switch policy.scope(actor, .viewLeads) {
        case .everything:
            return "(1 = 0)"
        case .nothing:
            return "(" + isLead + ")"
        case let scope:
            return "(" + isLead + " AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.finding_id = \(unsafeRaw: alias).id AND " + LeadRows.scope(scope) + "))"
        }
    }

    /// The condition as a 0/1 column named `sealed`, for a select list.
    static func column(for actor: Actor, policy: AccessPolicy, alias: String = "f") -> SQLQueryString {
        "CASE WHEN " + sealed(for: actor, policy: policy, alias: alias) + " THEN 1 ELSE 0 END AS sealed"
    }
}
