import Foundation
import SQLKit
import XunchaCore

/// 常设巡察组: the groups as the office knows them across rounds. A round's group joins the standing
/// group of its name when it is formed, so the identity needs no separate upkeep.
extension Store {
    /// The committee's standing groups the reader may see, 第一 to 第N, then any others by name.
    public func standingGroups(for actor: Actor) async throws -> [StandingGroupListing] {
        try policy.requireAnywhere(actor, .viewRounds)
        let scope = ScopeSQL.filter(policy.scope(actor, .viewRounds), jurisdictionColumn: "s.jurisdiction_id")
        return try await database.read { db in
            try await db.raw(
                """
                SELECT s.id, s.name, COUNT(g.id) AS rounds,
                    (SELECT g2.round_id FROM inspection_groups g2 JOIN rounds r ON r.id = g2.round_id WHERE g2.standing_group_id = s.id
                     ORDER BY r.planned_start DESC, r.id DESC LIMIT 1) AS latest_round_id
                FROM standing_groups s LEFT JOIN inspection_groups g ON g.standing_group_id = s.id WHERE
                """ + " " + scope + " GROUP BY s.id, s.name LIMIT 500"
            ).all().map { row in
                StandingGroupListing(
                    id: try row.uuid("id"), name: try row.string("name"), rounds: try row.int("rounds"), latestRoundID: try row.optionalUUID("latest_round_id"))
            }
            // A committee has a few dozen groups at most: the order of their numbers is kept here.
            .sorted { StandingGroup.precedes($0.name, $1.name) }
        }
    }

    /// One standing group with every round it served in and its members and units there.
    public func standingGroup(_ id: UUID, for actor: Actor) async throws -> StandingGroup {
        try policy.requireAnywhere(actor, .viewRounds)
        let scope = ScopeSQL.filter(policy.scope(actor, .viewRounds), jurisdictionColumn: "jurisdiction_id")
        return try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM standing_groups WHERE id = \(bind: id.text) AND " + scope).first() else { throw DomainError.notFound }
            let rounds = try await db.raw(
                "SELECT r.* FROM rounds r JOIN inspection_groups g ON g.round_id = r.id WHERE g.standing_group_id = \(bind: id.text) ORDER BY r.planned_start DESC, r.id DESC"
            ).all().map(RoundRows.decode)
            let groups = try await GroupRows.all(ofStandingGroup: id, on: db)
            return StandingGroup(
                id: id, jurisdictionID: try row.uuid("jurisdiction_id"), name: try row.string("name"),
                terms: rounds.compactMap { round in groups.first { $0.roundID == round.id }.map { StandingGroup.Term(round: round, group: $0) } })
        }
    }
}

/// The SQL of standing groups.
enum StandingGroupRows {
    /// The standing group of `name` in the committee, made on first use: a new round's 第一巡察组
    /// is the same group as last round's.
    static func named(_ name: String, in jurisdictionID: UUID, newID: UUID, now: Date, on db: any SQLDatabase) async throws -> UUID {
        if let found = try await db.raw(
            "SELECT id FROM standing_groups WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND name = \(bind: name)"
        ).first() {
            return try found.uuid("id")
        }
        try await db.raw(
            """
            INSERT INTO standing_groups (jurisdiction_id, id, name, created_at)
            VALUES (\(bind: jurisdictionID.text), \(bind: newID.text), \(bind: name), \(bind: now.epochMilliseconds))
            """
        ).run()
        return newID
    }
}
