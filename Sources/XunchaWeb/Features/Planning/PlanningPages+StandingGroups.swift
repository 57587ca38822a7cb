import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 巡察组: the standing groups, each with the rounds it served in and its year's figures one click away.
extension PlanningPages {
    struct StandingGroupsPage {
        let chrome: Chrome
        let rows: [StandingGroupRow]
        let canManage: Bool
    }

    struct StandingGroupRow {
        let id: String
        let name: String
        let rounds: Int
        let latestRound: String
        let latestRoundHref: String?
        let statisticsHref: String
    }

    struct StandingGroupPage {
        let chrome: Chrome
        let name: String
        let statisticsHref: String
        let terms: [Term]
    }

    struct Term {
        let roundTitle: String
        let roundHref: String
        let dates: String
        let authorisation: String
        let members: [String]
        let units: String
    }

    func standingGroupsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let listed = try await store.standingGroups(for: actor)
        let latest = try await store.rounds(for: actor).reduce(into: [UUID: Round]()) { $0[$1.id] = $1 }
        let year = CalendarDay(store.clock.now()).year
        let model = StandingGroupsPage(
            chrome: pages.chrome(title: "巡察组", active: .standingGroups, request: request, context: context),
            rows: listed.map { group in
                let round = group.latestRoundID.flatMap { latest[$0] }
                return StandingGroupRow(
                    id: group.id.text, name: group.name, rounds: group.rounds, latestRound: round?.title ?? "—", latestRoundHref: round.map { "/rounds/\($0.id.text)" },
                    statisticsHref: Self.yearFigures(of: group.id, year: year))
            },
            canManage: store.policy.allowsAnywhere(actor, .manageRounds))
        return pages.render("standing_groups", model)
    }

    func standingGroupPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let group = try await store.standingGroup(try context.parameters.uuid("id"), for: actor)
        let model = StandingGroupPage(
            chrome: pages.chrome(title: group.name, active: .standingGroups, request: request, context: context),
            name: group.name, statisticsHref: Self.yearFigures(of: group.id, year: CalendarDay(store.clock.now()).year),
            terms: group.terms.map { term in
                Term(
                    roundTitle: term.round.title, roundHref: "/rounds/\(term.round.id.text)", dates: "\(term.round.plannedStart) 至 \(term.round.plannedEnd)",
                    authorisation: term.group.authorisation ?? "—",
                    members: term.group.members.map { "\($0.role.title) \($0.name)" },
                    units: term.group.assignments.isEmpty ? "—" : term.group.assignments.map(\.unitName).joined(separator: "、"))
            })
        return pages.render("standing_group", model)
    }

    /// The dashboard narrowed to one standing group over a calendar year.
    static func yearFigures(of id: UUID, year: Int) -> String {
        ListLink.make("/statistics", [:], ["standing_group_id": id.text, "from": "\(year)-01-01", "to": "\(year)-12-31"])
    }
}
