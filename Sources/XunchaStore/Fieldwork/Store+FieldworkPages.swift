import Foundation
import SQLKit
import XunchaCore

/// A member of an assignment's group who may work on its unit (not recused), as a form lists them.
public struct FieldworkInspector: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var role: GroupRole

    public init(id: UUID, name: String, role: GroupRole) {
        self.id = id
        self.name = name
        self.role = role
    }
}

/// Where the signed-in person stands towards one assignment's fieldwork, so a page offers only
/// the forms and buttons the store would accept. The store still decides every write.
public struct FieldworkStanding: Sendable, Equatable {
    public var assignment: AssignmentDetail
    /// Serves in the assignment's group (pledge signed, not recused).
    public var isMember: Bool
    /// Leads the assignment's group.
    public var isLeader: Bool
    /// The round is on site: records are made and working papers drafted and edited only then.
    public var isOnSite: Bool
    /// May give the assignment's approved papers their disposition (the office, or the leader).
    public var mayTriage: Bool
    /// May read who petitioned (the leader, or a designated custodian).
    public var mayViewReporters: Bool
    /// The group's members who may be named on a record, leader first; empty unless the person
    /// may record.
    public var inspectors: [FieldworkInspector]

    /// May record interviews, petitions, reviews and visits, and draft or edit working papers.
    public var mayRecord: Bool { isMember && isOnSite }

}

extension Store {
    /// The actor's standing towards an assignment whose fieldwork they may see; not found otherwise.
    public func fieldworkStanding(_ assignmentID: UUID, for actor: Actor) async throws -> FieldworkStanding {
        try policy.requireAnywhere(actor, .viewFieldwork)
        return try await database.read { db in
            guard let standing = try await self.standing(actor, in: assignmentID, on: db) else { throw DomainError.notFound }
            let a = standing.assignment
            guard let location = try await self.location(ofJurisdiction: a.jurisdictionID, on: db) else { throw DomainError.notFound }
            let round = try await RoundRows.find(a.roundID, on: db)
            let mayTriage = self.policy.scope(actor, .triageFindings).contains(location)
                || (self.policy.allowsAnywhere(actor, .triageFindings) && standing.isLeader)
            let mayViewReporters = self.policy.scope(actor, .viewReporterIdentity).contains(location)
                || (self.policy.allowsAnywhere(actor, .viewReporterIdentity) && standing.isLeader)
            var inspectors: [FieldworkInspector] = []
            if standing.isMember {
                let serving = try await FieldworkRows.groupInspectors(a, on: db)
                for row in try await db.raw("SELECT inspector_id, role FROM group_members WHERE group_id = \(bind: a.groupID.text)").all() {
                    let id = try row.uuid("inspector_id")
                    guard let name = serving[id] else { continue }
                    inspectors.append(FieldworkInspector(id: id, name: name, role: try row.code("role", or: .member)))
                }
                let rank: [GroupRole: Int] = [.leader: 0, .deputyLeader: 1, .member: 2, .liaison: 3]
                inspectors.sort { (rank[$0.role] ?? 9, $0.name) < (rank[$1.role] ?? 9, $1.name) }
            }
            return FieldworkStanding(
                assignment: a, isMember: standing.isMember, isLeader: standing.isLeader, isOnSite: round?.status == .onSite, mayTriage: mayTriage,
                mayViewReporters: mayViewReporters, inspectors: inspectors)
        }
    }
}
