import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 组建巡察组建议: the office picks a batch and the units, the system proposes groups from the
/// pools (with its reasons and what it could not satisfy), the office edits them and forms them
/// all at once. The proposal is a read, so it is asked for with GET and can be bookmarked or
/// reloaded; accepting posts the edited groups.
extension PlanningPages {
    /// One proposed group as the office has edited it so far.
    struct EditedGroup {
        var name: String
        var authorisation: String
        var include: Bool
        var leader: String
        var members: [(id: String, role: String)]
        var units: Set<String>
        var reasons: [String]
        var shortfalls: [String]
        var overrideReason: String

        /// The group as the store forms it.
        func plan() throws -> GroupPlan {
            var people: [PlannedMember] = []
            if !leader.isEmpty { people.append(PlannedMember(inspectorID: try PlanningController.id(leader, field: "leader", label: "组长"), role: .leader)) }
            for member in members where !member.id.isEmpty {
                people.append(
                    PlannedMember(inspectorID: try PlanningController.id(member.id, field: "members", label: "成员"), role: GroupRole(code: member.role) ?? .member))
            }
            let reason = overrideReason.trimmingCharacters(in: .whitespacesAndNewlines)
            return GroupPlan(
                name: name, authorisation: authorisation.isEmpty ? nil : authorisation, members: people,
                unitIDs: try units.sorted().map { try PlanningController.id($0, field: "unit_ids", label: "被巡察单位") }, overrideReason: reason.isEmpty ? nil : reason)
        }

        /// The groups a submitted proposal form carries (fields `g0_name`, `g0_member` …).
        static func parse(_ form: FormInput) -> [EditedGroup] {
            let count = min(form["groups"].flatMap(Int.init) ?? 0, 100)
            return (0..<count).map { index in
                let prefix = "g\(index)_"
                let ids = form.all(prefix + "member")
                let roles = form.all(prefix + "role")
                return EditedGroup(
                    name: form[prefix + "name"] ?? "", authorisation: form[prefix + "authorisation"] ?? "", include: form[prefix + "include"] != nil,
                    leader: form[prefix + "leader"] ?? "",
                    members: ids.enumerated().map { (id: $0.element, role: $0.offset < roles.count ? roles[$0.offset] : GroupRole.member.rawValue) },
                    units: Set(form.all(prefix + "unit")), reasons: form.all(prefix + "reason"), shortfalls: form.all(prefix + "shortfall"),
                    overrideReason: form[prefix + "override_reason"] ?? "")
            }
        }
    }

    struct MemberSlot {
        let people: [Option]
        let roles: [Option]
    }

    struct ProposedGroupView {
        let prefix: String
        let number: Int
        let name: String
        let authorisation: String
        let include: Bool
        let summary: String
        let leaders: [Option]
        let slots: [MemberSlot]
        let unitChecks: [Check]
        let reasons: [String]
        let shortfalls: [String]
        let overrideField: OverrideField?
    }

    struct ProposalView {
        let batchID: String
        let batchLabel: String
        let unitIDs: [String]
        let membersPerGroup: Int
        let count: Int
        let groups: [ProposedGroupView]
        let avoided: Int?
        /// Each conflict between the free cadres and the units, by name: what the proposal avoided.
        let conflicts: [String]
        let acceptError: String?
        let conflict: Bool
    }

    struct UnitChoice {
        let id: String
        let name: String
        let checked: Bool
        let taken: Bool
    }

    struct ProposalPage {
        let chrome: Chrome
        let roundID: String
        let roundTitle: String
        let maxUnitsPerGroup: Int
        let batches: [Option]
        let units: [UnitChoice]
        let defaultNote: String?
        let membersPerGroup: Int
        let notStaffable: String?
        let proposal: ProposalView?
        let selectionError: String?
    }

    /// The page. `accepted` is a refused acceptance to show again as the office left it.
    func proposalPage(_ request: Request, context: AppRequestContext, accepted: (FormInput, DomainError)? = nil) async throws -> Response {
        let actor = try context.requireActor()
        let roundID = try context.parameters.uuid("id")
        let round = try await store.round(roundID, for: actor)
        guard let location = try await location(of: round.jurisdictionID, for: actor), store.policy.allows(actor, .manageRounds, at: location),
            store.policy.allows(actor, .viewPools, at: location)
        else { throw DomainError.forbidden }
        let chrome = Chrome.make(title: "组建巡察组建议", active: .rounds, context: context, policy: store.policy)
        guard round.status.allowsStaffing else {
            return pages.render(
                "proposal",
                ProposalPage(
                    chrome: chrome, roundID: round.id.text, roundTitle: round.title, maxUnitsPerGroup: round.maxUnitsPerGroup, batches: [], units: [], defaultNote: nil,
                    membersPerGroup: 4, notStaffable: "轮次处于“\(round.status.title)”状态：党委批准后、动员部署前才能组建巡察组。", proposal: nil, selectionError: nil))
        }
        let input = try accepted?.0 ?? FormInput(values: FormInput.decode(request.uri.query ?? ""))
        let batches = try await store.batches(of: roundID, for: actor)
        let groups = try await store.groups(of: roundID, for: actor)
        let batch = batches.first { $0.id.text == input["batch_id"] } ?? batches.first
        let taken = Set(groups.flatMap(\.assignments).filter { $0.batchID == batch?.id }.map(\.unitID))
        let register = try await unitRegister(of: round.jurisdictionID, for: actor)
        let pool = try await pool(of: round.jurisdictionID, availableOnly: true, for: actor)
        let perGroup = input["members_per_group"].flatMap(Int.init) ?? 4

        // Which units start ticked: what the office asked for; else the plan's targets of the
        // term that no round has reached yet; else every unit this round has not yet assigned.
        var chosen = Set(input.all("unit_ids"))
        var defaultNote: String?
        if chosen.isEmpty {
            let pending = try await store.pendingTargets(term: round.term, in: round.jurisdictionID, for: actor).map(\.id.text)
            let free = Set(register.map(\.id.text)).subtracting(groups.flatMap(\.assignments).map(\.unitID.text))
            let planned = Set(pending).intersection(free)
            if !planned.isEmpty {
                chosen = planned
                defaultNote = "已默认勾选\(round.term)规划中尚未巡察、本轮也尚未派驻的\(planned.count)家单位。"
            } else {
                chosen = free
                defaultNote = "\(round.term)规划中没有待巡察的单位，已默认勾选本轮尚未派驻的全部单位。"
            }
        }

        var proposal: ProposalView?
        var selectionError: String?
        if let batch {
            let universe = register.filter { chosen.contains($0.id.text) && !taken.contains($0.id) }
            var edited: [EditedGroup]?
            var avoided: Int?
            if let (form, _) = accepted {
                edited = EditedGroup.parse(form)
            } else if input["run"] != nil {
                do {
                    guard !universe.isEmpty else { throw DomainError.required("unit_ids", label: "被巡察单位") }
                    guard (1...12).contains(perGroup) else {
                        throw DomainError.invalid("invalid_members_per_group", "每组成员数须在1至12之间", english: "members_per_group out of range", field: "members_per_group")
                    }
                    let proposed = try await store.proposeTeams(roundID: roundID, batchID: batch.id, unitIDs: universe.map(\.id), membersPerGroup: perGroup, for: actor)
                    avoided = proposed.avoided
                    edited = proposed.groups.enumerated().map { index, group in
                        EditedGroup(
                            name: "第\(ChineseNumber.text(groups.count + index + 1))巡察组", authorisation: "", include: true, leader: group.leader?.text ?? "",
                            members: group.members.map { (id: $0.text, role: GroupRole.member.rawValue) }, units: Set(group.units.map(\.id.text)),
                            reasons: group.reasons, shortfalls: group.shortfalls, overrideReason: "")
                    }
                } catch let error as DomainError where error.isShownOnForm {
                    selectionError = error.message
                }
            }
            if let edited {
                let error = accepted?.1
                let conflict = error?.code == "conflict_of_interest"
                let universeIDs = accepted.map { Set($0.0.all("unit_ids")) } ?? Set(universe.map(\.id.text))
                let units = register.filter { universeIDs.contains($0.id.text) }
                let names = Dictionary(pool.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
                let conflicts = try await store.poolConflicts(roundID: roundID, unitIDs: units.map(\.id), for: actor).map {
                    "\(names[$0.inspectorID] ?? "")：\($0.kind.title)（\($0.detail)）"
                }
                proposal = ProposalView(
                    batchID: batch.id.text, batchLabel: "第\(batch.sequence)批（\(batch.entryDate)至\(batch.exitDate)）", unitIDs: units.map(\.id.text),
                    membersPerGroup: perGroup, count: edited.count,
                    groups: edited.enumerated().map { index, group in
                        Self.view(of: group, index: index, pool: pool, units: units, conflict: conflict)
                    },
                    avoided: avoided, conflicts: conflicts, acceptError: error?.message, conflict: conflict)
            }
        }
        let model = ProposalPage(
            chrome: chrome, roundID: round.id.text, roundTitle: round.title, maxUnitsPerGroup: round.maxUnitsPerGroup,
            batches: batches.map { Option(value: $0.id.text, label: "第\($0.sequence)批（\($0.entryDate)至\($0.exitDate)）", selected: $0.id == batch?.id) },
            units: register.map { UnitChoice(id: $0.id.text, name: $0.name, checked: chosen.contains($0.id.text) && !taken.contains($0.id), taken: taken.contains($0.id)) },
            defaultNote: defaultNote, membersPerGroup: perGroup, notStaffable: nil, proposal: proposal, selectionError: selectionError)
        return pages.render("proposal", model, refused: accepted?.1)
    }

    static func view(of group: EditedGroup, index: Int, pool: [Inspector], units: [InspectedUnit], conflict: Bool) -> ProposedGroupView {
        let byID = Dictionary(pool.map { ($0.id.text, $0) }, uniquingKeysWith: { first, _ in first })
        func people(_ selected: String, leadersOnly: Bool, none: String) -> [Option] {
            [Option(value: "", label: none, selected: selected.isEmpty)]
                + pool.filter { !leadersOnly || $0.inLeaderPool }.map { Option(value: $0.id.text, label: describe($0), selected: $0.id.text == selected) }
        }
        // Every proposed member keeps a row, and two more rows let the office add people.
        let rows = group.members + [(id: "", role: GroupRole.member.rawValue), (id: "", role: GroupRole.member.rawValue)]
        let roles = GroupRole.allCases.filter { $0 != .leader }
        var summary = "组长：" + (byID[group.leader].map { "\($0.name)（\($0.category.title)）" } ?? "未指定")
        let named = group.members.compactMap { byID[$0.id].map { "\($0.name)（\($0.category.title)）" } }
        summary += "；成员：" + (named.isEmpty ? "无" : named.joined(separator: "、"))
        return ProposedGroupView(
            prefix: "g\(index)", number: index + 1, name: group.name, authorisation: group.authorisation, include: group.include, summary: summary,
            leaders: people(group.leader, leadersOnly: true, none: "（暂不指定组长）"),
            slots: rows.map { row in
                MemberSlot(
                    people: people(row.id, leadersOnly: false, none: "（不安排）"),
                    roles: roles.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == row.role) })
            },
            unitChecks: units.map { Check(value: $0.id.text, label: $0.name, checked: group.units.contains($0.id.text)) },
            reasons: group.reasons, shortfalls: group.shortfalls,
            overrideField: conflict || !group.overrideReason.isEmpty ? OverrideField(value: group.overrideReason) : nil)
    }

    func acceptProposal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        let roundID = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let batchID = try PlanningController.id(form["batch_id"], field: "batch_id", label: "批次")
            let plans = try EditedGroup.parse(form).filter(\.include).map { try $0.plan() }
            guard !plans.isEmpty else {
                throw DomainError.invalid("no_groups", "没有勾选要组建的巡察组", english: "no group chosen", field: "groups")
            }
            _ = try await store.acceptProposal(roundID: roundID, batchID: batchID, groups: plans, origin: origin)
            return Self.redirect("/rounds/\(roundID.text)", notice: .groupsFormed, anchor: "groups")
        } reshow: { form, error in
            try await proposalPage(request, context: context, accepted: (form, error))
        }
    }
}
