import Foundation

/// 组建巡察组建议: proposes groups for one batch from the pools. It covers every target unit,
/// keeps 一托N, gives each group a leader from the leader pool and, where the pool allows, at
/// least one discipline (纪检) and one audit/finance specialist, and never places anyone on a unit
/// they conflict with or inspected in the previous round. It says why it chose each person and
/// what it could not satisfy; the office edits and accepts.
public struct TeamProposal: Sendable, Equatable {
    public struct ProposedGroup: Sendable, Equatable {
        public var units: [UnitRef]
        public var leader: UUID?
        public var members: [UUID]
        /// Why each person was chosen, in Chinese.
        public var reasons: [String]
        /// What could not be satisfied for this group.
        public var shortfalls: [String]
    }

    public var groups: [ProposedGroup]
    /// Conflicts the proposal steered around, for the record.
    public var avoided: Int
}

/// The inputs and the algorithm. Runs in O(units × pool) with conflicts looked up per unit, so a
/// pool of thousands and a round of a hundred units answer in milliseconds.
public struct TeamProposer: Sendable {
    public var rules: ConflictRules
    public var maxUnitsPerGroup: Int
    /// People per group besides the leader (巡察组 usually 5–7 people).
    public var membersPerGroup: Int

    public init(rules: ConflictRules = .init(), maxUnitsPerGroup: Int = 3, membersPerGroup: Int = 4) {
        self.rules = rules
        self.maxUnitsPerGroup = maxUnitsPerGroup
        self.membersPerGroup = membersPerGroup
    }

    public func propose(
        units: [UnitRef], pool: [Inspector], year: Int, previous: PreviousPairings, declarations: [ConflictDeclaration],
        alreadyServing: Set<UUID> = []
    ) -> TeamProposal {
        let available = pool.filter { $0.available && !alreadyServing.contains($0.id) }
        // Bundle units into groups of at most N, keeping the order the office gave (it usually
        // lists related units together, e.g. a township and its villages).
        let groupCount = max(1, Int((Double(units.count) / Double(max(1, maxUnitsPerGroup))).rounded(.up)))
        var bundles = Array(repeating: [UnitRef](), count: units.isEmpty ? 0 : groupCount)
        for (index, unit) in units.enumerated() { bundles[index % groupCount].append(unit) }

        var used = Set<UUID>()
        var avoided = 0
        var groups: [TeamProposal.ProposedGroup] = []
        let byID = Dictionary(available.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        func clear(_ inspector: Inspector, for bundle: [UnitRef]) -> Bool {
            for unit in bundle where !rules.conflicts(inspector, unit, year: year, previous: previous, declarations: declarations).isEmpty {
                avoided += 1
                return false
            }
            return true
        }

        // Leaders: most senior first, then by name so the proposal is stable.
        let leaders = available.filter { $0.inLeaderPool }.sorted {
            ($0.rank ?? .sectionChief, $0.name) < ($1.rank ?? .sectionChief, $1.name)
        }
        let talent = available.filter { $0.inTalentPool }.sorted { $0.name < $1.name }

        groups = bundles.map { TeamProposal.ProposedGroup(units: $0, leader: nil, members: [], reasons: [], shortfalls: []) }

        func pick(_ label: String, for index: Int, where matches: (Inspector) -> Bool) -> Bool {
            let bundle = groups[index].units
            guard let person = talent.first(where: { !used.contains($0.id) && matches($0) && clear($0, for: bundle) }) else { return false }
            used.insert(person.id)
            groups[index].members.append(person.id)
            groups[index].reasons.append("\(label)\(person.name)（\(person.category.title)，\(person.homeUnitName)）：与所巡单位无回避情形")
            return true
        }

        // Phase by phase across all groups, so scarce people (leaders, then the specialists each
        // group must have) are shared out before anyone fills a group up.
        for index in groups.indices {
            let bundle = groups[index].units
            let names = bundle.map(\.name).joined(separator: "、")
            if let leader = leaders.first(where: { !used.contains($0.id) && clear($0, for: bundle) }) {
                used.insert(leader.id)
                groups[index].leader = leader.id
                groups[index].reasons.append("组长\(leader.name)：\(leader.rank?.title ?? "组长库")，与\(names)均无回避情形，上一轮未巡察这些单位")
            } else {
                groups[index].shortfalls.append("组长库中没有可用且与\(names)无回避情形的组长")
            }
        }
        for index in groups.indices where !pick("纪检人员", for: index, where: { $0.category == .discipline }) {
            groups[index].shortfalls.append("人才库中没有可用且无回避情形的纪检监察人员")
        }
        for index in groups.indices where !pick("审计/财务人员", for: index, where: { $0.category.readsAccounts }) {
            groups[index].shortfalls.append("人才库中没有可用且无回避情形的审计或财务人员")
        }
        // Fill up one seat per group per pass, preferring a category the group lacks.
        var open = Set(groups.indices)
        while !open.isEmpty {
            for index in groups.indices where open.contains(index) {
                if groups[index].members.count >= membersPerGroup {
                    open.remove(index)
                    continue
                }
                let present = Set(groups[index].members.compactMap { byID[$0]?.category })
                if pick("成员", for: index, where: { !present.contains($0.category) }) || pick("成员", for: index, where: { _ in true }) { continue }
                groups[index].shortfalls.append("人才库可用人员不足，本组只有\(groups[index].members.count)名成员（建议\(membersPerGroup)名）")
                open.remove(index)
            }
        }
        return TeamProposal(groups: groups, avoided: avoided)
    }
}
