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
    /// The actor's standing towards a lead they may see; not found otherwise. Mirrors the
    /// private rule `takeLeadStep` applies.
    public func leadPageStanding(_ lead: Lead, for actor: Actor) async throws -> LeadPageStanding {
        try await database.read { db in
            _ = try await self.visibleLead(lead.id, actor: actor, on: db)
            let inCommittee = actor.jurisdictionID == lead.jurisdictionID
            let standing = LeadStanding(
                isGroupLeader: try await self.standing(actor, in: lead.assignmentID, on: db)?.isLeader == true,
                isLeadingGroup: inCommittee && actor.roles.contains(.leadingGroupMember),
                isCustodian: inCommittee && actor.roles.contains(.leadCustodian),
                isReceiver: inCommittee && lead.receiver.map { actor.roles.contains($0.receiverRole) } == true
                    && LeadStatus.transferredOn.contains(lead.status))
            let months = try await SettingsRows.settings(of: lead.jurisdictionID, on: db).leadFeedbackMonths
            return LeadPageStanding(standing: standing, feedbackMonths: months)
        }
    }

    /// The actor's standing towards an immediate-rectification item they may see; not found
    /// otherwise. Mirrors the private rule `takeImmediateStep` applies.
    public func immediatePageStanding(_ item: ImmediateRectification, for actor: Actor) async throws -> ImmediateStanding {
        try await database.read { db in
            _ = try await self.visibleImmediate(item.id, actor: actor, on: db)
            let inCommittee = actor.jurisdictionID == item.jurisdictionID
            let ofUnit = inCommittee && actor.unitID == item.unitID
            return ImmediateStanding(
                isLeadingGroup: inCommittee && actor.roles.contains(.leadingGroupMember),
                isGroupLeader: try await self.standing(actor, in: item.assignmentID, on: db)?.isLeader == true,
                isUnitHead: ofUnit && actor.roles.contains(.unitHead),
                isUnitUser: ofUnit && (actor.roles.contains(.unitHead) || actor.roles.contains(.unitContact)))
        }
    }
}
