import Foundation
import XunchaCore

/// 审计日志 as the audit administrator reads it.
extension Store {
    /// A page of the log within the actor's scope, newest first. Browsing the log is itself logged.
    public func auditEntries(_ query: AuditQuery, origin: RequestOrigin) async throws -> Page<AuditEntry> {
        let actor = origin.actor
        try policy.requireAnywhere(actor, .viewAuditLog)
        let rows = try await audit.list(scope: policy.scope(actor, .viewAuditLog), includeUnattributed: actor.isAtRoot, query: query, database: database)
        try await record(AuditEvent(action: .auditViewed, jurisdictionID: actor.jurisdictionID), origin: origin)
        let items = Array(rows.prefix(query.limit))
        let next = rows.count > query.limit ? items.last.map { String($0.sequence) } : nil
        return Page(items: items, nextCursor: next)
    }

    /// Walks the whole chain, then records that it was checked: the walk reads only, and its entry
    /// is appended after it (the web page's 核验). `checkAuditChain` checks without recording.
    /// Only the audit administrator or the console may ask.
    public func verifyAuditChain(origin: RequestOrigin) async throws -> AuditVerification {
        try policy.requireAnywhere(origin.actor, .viewAuditLog)
        let result = try await audit.verify(database: database)
        let detail: String
        switch result {
        case .intact(let count): detail = "完整，共\(count)条"
        case .broken(let sequence, let reason): detail = "第\(sequence)条起断裂：\(reason)"
        }
        try await record(AuditEvent(action: .auditVerified, jurisdictionID: origin.actor.jurisdictionID, detail: detail), origin: origin)
        return result
    }
}
