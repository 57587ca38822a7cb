import Foundation
import SQLKit
import XunchaCore

/// Where the signed-in person stands towards one lead, so its page offers only the steps the
/// store would accept. The store still decides every write.
public struct LeadPageStanding: Sendable, Equatable {
    public var standing: LeadStanding
    /// 线索反馈期限 of the lead's committee, in months after the transfer, for the transfer form.
    public var feedbackMonths: Int

    public init(standing: LeadStanding, feedbackMonths: Int) {
        self.standing = standing
        self.feedbackMonths = feedbackMonths
    }
}

extension Store {
    /// The actor's standing towards a lead they may see (not found otherwise): the same rule
    /// `takeLeadStep` applies, so the page offers only what the store would accept.
    public func leadPageStanding(_ lead: Lead, for actor: Actor) async throws -> LeadPageStanding {
        try await database.read { db in
            let current = try await self.visibleLead(lead.id, actor: actor, on: db)
            let months = try await SettingsRows.settings(of: current.jurisdictionID, on: db).leadFeedbackMonths
            return LeadPageStanding(standing: try await self.leadStanding(actor, lead: current, on: db), feedbackMonths: months)
        }
    }

    /// The committees whose body may receive `lead` (its own and those below it), for the
    /// proposal's choice: a cadre managed lower down goes to the committee that manages them.
    public func receivingCommittees(for lead: Lead, actor: Actor) async throws -> [Jurisdiction] {
        try await database.read { db in
            let current = try await self.visibleLead(lead.id, actor: actor, on: db)
            guard let own = try await JurisdictionRows.find(current.jurisdictionID, on: db) else { throw DomainError.notFound }
            return try await db.raw(
                "SELECT * FROM jurisdictions WHERE " + ScopeSQL.within(own.path) + " ORDER BY path LIMIT 500"
            ).all().map(JurisdictionRows.decode)
        }
    }

    /// The actor's standing towards an immediate-rectification item they may see (not found
    /// otherwise): the same rule `takeImmediateStep` applies.
    public func immediatePageStanding(_ item: ImmediateRectification, for actor: Actor) async throws -> ImmediateStanding {
        try await database.read { db in
            try await self.immediateStanding(actor, item: try await self.visibleImmediate(item.id, actor: actor, on: db), on: db)
        }
    }
}
