import Foundation
import XunchaCore
import XunchaStore

/// Scenarios the Store and Web tests start from, built through the store's public operations by
/// the fixture's accounts, each step by the person whose step it is. A stage builds on the one
/// before: a planned round, staffed, on site; then papers, leads, reports and feedback.
public enum Scenario {
    /// The 巡察工作领导小组办公室 of the fixture city.
    static func office(_ f: Fixture) -> RequestOrigin { f.origin(.officeStaff) }

    /// A unit head's account at another unit of the fixture city, made by the console.
    public static func unitHead(of unitID: UUID, username: String, displayName: String, _ store: Store, _ f: Fixture) async throws -> RequestOrigin {
        let issued = try await store.createUser(
            UserDraft(username: username, displayName: displayName, jurisdictionID: f.city.id, roles: try RoleSet([.unitHead], unitGiven: true), unitID: unitID),
            origin: Fixture.console)
        return RequestOrigin(actor: .account(issued.user, jurisdictionPath: f.city.path))
    }
}

/// An approved round of 十五届 with one batch, three units to inspect (市财政局 = the fixture's
/// city unit, 市教育局, 市卫生健康委员会) and a small pool in which 钱财政 works at 市财政局 (a
/// planted conflict).
public struct PlannedRound: Sendable {
    public let f: Fixture
    public let round: Round
    public let batch: Batch
    public let units: [InspectedUnit]
    /// 张组长, in the leader pool.
    public let leader: Inspector
    /// 周审计.
    public let auditor: Inspector
    /// 孙纪检.
    public let discipline: Inspector
    /// 钱财政, who works at 市财政局.
    public let conflicted: Inspector
    public var office: RequestOrigin { f.origin(.officeStaff) }
}

/// The planned round staffed: 第一巡察组 (张组长 leading, 周审计 serving, both linked to the
/// fixture's group-leader and group-member accounts) inspects 市财政局 and 市教育局; 第二巡察组,
/// with no members, inspects 市卫生健康委员会.
public struct StaffedRound: Sendable {
    public let planned: PlannedRound
    public let first: InspectionGroup
    public let second: InspectionGroup
    public var f: Fixture { planned.f }
    public var round: Round { planned.round }
    public var units: [InspectedUnit] { planned.units }
    public var member: Actor { f.actor(.groupMember) }
    public var leader: Actor { f.actor(.groupLeader) }
}

/// The staffed round on site (unless asked to stay approved), both linked cadres pledged.
public struct RoundOnSite: Sendable {
    public let staffed: StaffedRound
    /// 第一巡察组 at 市财政局.
    public let finance: Assignment
    /// 第一巡察组 at 市教育局.
    public let education: Assignment
    public var f: Fixture { staffed.f }
    public var planned: PlannedRound { staffed.planned }
    public var round: Round { staffed.round }
    public var leader: RequestOrigin { f.origin(.groupLeader) }
    public var member: RequestOrigin { f.origin(.groupMember) }
    public var office: RequestOrigin { f.origin(.officeStaff) }
    /// 张组长's and 周审计's inspector ids.
    public var leaderID: UUID { planned.leader.id }
    public var memberID: UUID { planned.auditor.id }
    /// The group at 市财政局 and at 市教育局.
    public var atFinance: Inspecting { Inspecting(f: f, assignmentID: finance.id) }
    public var atEducation: Inspecting { Inspecting(f: f, assignmentID: education.id) }
}

extension Scenario {
    /// The approved round, its batch, units and pool, on a fresh fixture unless one is given.
    public static func planned(_ store: Store, _ fixture: Fixture? = nil, theme: String? = nil) async throws -> PlannedRound {
        let f = if let fixture { fixture } else { try await Fixture.make(store) }
        let office = Self.office(f)
        let (round, batch) = try await approvedRound(store, f, theme: theme)
        var units = [f.cityUnit]
        for name in ["市教育局", "市卫生健康委员会"] {
            units.append(try await store.createUnit(UnitDraft(name: name, type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: f.city.id, origin: office))
        }
        func add(_ draft: InspectorDraft) async throws -> Inspector { try await store.createInspector(draft, in: f.city.id, origin: office) }
        return PlannedRound(
            f: f, round: round, batch: batch, units: units,
            leader: try await add(
                InspectorDraft(name: "张组长", homeUnitName: "市委组织部", category: .organisation, rank: .divisionChief, inLeaderPool: true, inTalentPool: false)),
            auditor: try await add(InspectorDraft(name: "周审计", homeUnitName: "市审计局", category: .audit, inLeaderPool: false, inTalentPool: true)),
            discipline: try await add(InspectorDraft(name: "孙纪检", homeUnitName: "市纪委监委", category: .discipline, inLeaderPool: false, inTalentPool: true)),
            conflicted: try await add(
                InspectorDraft(name: "钱财政", homeUnitID: f.cityUnit.id, homeUnitName: "市财政局", category: .finance, inLeaderPool: false, inTalentPool: true)))
    }

    /// A round of 十五届 (一托二) with one batch, reviewed by the leading group and approved by the
    /// committee under `approval`.
    public static func approvedRound(
        _ store: Store, _ f: Fixture, sequence: Int = 1, theme: String? = nil, planned: (start: String, end: String) = ("2026-03-01", "2026-06-30"),
        batch: (entry: String, exit: String) = ("2026-03-10", "2026-04-30"), approval: String = "江委〔2026〕1号"
    ) async throws -> (round: Round, batch: Batch) {
        let office = Self.office(f)
        var round = try await store.createRound(
            try RoundDraft.validate(
                term: "十五届", sequence: sequence, kind: "routine", theme: theme, plannedStart: planned.start, plannedEnd: planned.end, maxUnitsPerGroup: 2,
                defaultMaxUnitsPerGroup: 3),
            in: f.city.id, origin: office)
        let added = try await store.addBatch(to: round.id, entry: batch.entry, exit: batch.exit, origin: office)
        round = try await store.take(RoundStep.submitForReview, on: round.id, note: nil, version: round.version, origin: office)
        round = try await store.take(RoundStep.approveByLeadingGroup, on: round.id, note: nil, version: round.version, origin: f.origin(.leadingGroupMember))
        round = try await store.take(RoundStep.recordCommitteeApproval, on: round.id, note: approval, version: round.version, origin: office)
        return (round, added)
    }

    /// Links a cadre of the pool to the fixture account of `role`, as the office does.
    public static func link(_ inspector: Inspector, to role: Role, _ store: Store, _ f: Fixture) async throws {
        let draft = InspectorDraft(
            name: inspector.name, homeUnitID: inspector.homeUnitID, homeUnitName: inspector.homeUnitName, category: inspector.category, rank: inspector.rank,
            inLeaderPool: inspector.inLeaderPool, inTalentPool: inspector.inTalentPool)
        _ = try await store.updateInspector(
            inspector.id, draft, records: InspectorRecords(training: nil, evaluation: nil, accountUsername: f.users[role]!.username), version: inspector.version,
            origin: office(f))
    }

    /// The planned round with its two groups accepted (nobody has pledged yet).
    public static func staffed(_ store: Store, _ fixture: Fixture? = nil) async throws -> StaffedRound {
        let p = try await planned(store, fixture)
        try await link(p.leader, to: .groupLeader, store, p.f)
        try await link(p.auditor, to: .groupMember, store, p.f)
        let groups = try await store.acceptProposal(
            roundID: p.round.id, batchID: p.batch.id,
            groups: [
                GroupPlan(
                    name: "第一巡察组", members: [PlannedMember(inspectorID: p.leader.id, role: .leader), PlannedMember(inspectorID: p.auditor.id, role: .member)],
                    unitIDs: [p.units[0].id, p.units[1].id]),
                GroupPlan(name: "第二巡察组", members: [], unitIDs: [p.units[2].id]),
            ],
            origin: p.office)
        return StaffedRound(planned: p, first: groups[0], second: groups[1])
    }

    /// Takes a round from 已批准 to 进驻 as the office.
    public static func enter(_ roundID: UUID, _ store: Store, _ f: Fixture) async throws {
        var round = try await store.round(roundID, for: f.actor(.officeStaff))
        for step in [RoundStep.startPreparing, .mobilise, .enter] {
            round = try await store.take(step, on: round.id, note: nil, version: round.version, origin: office(f))
        }
    }

    /// The staffed round entered (unless `onSite` is false) and pledged by 张组长 and 周审计.
    public static func onSite(_ store: Store, _ fixture: Fixture? = nil, onSite: Bool = true) async throws -> RoundOnSite {
        let t = try await staffed(store, fixture)
        if onSite { try await enter(t.round.id, store, t.f) }
        _ = try await store.signPledge(round: t.round.id, origin: t.f.origin(.groupLeader))
        _ = try await store.signPledge(round: t.round.id, origin: t.f.origin(.groupMember))
        func at(_ unit: InspectedUnit) throws -> Assignment {
            guard let found = t.first.assignments.first(where: { $0.unitID == unit.id }) else {
                throw TestSetupError(description: "第一巡察组 has no assignment at \(unit.name)")
            }
            return found
        }
        return RoundOnSite(staffed: t, finance: try at(t.units[0]), education: try at(t.units[1]))
    }
}
