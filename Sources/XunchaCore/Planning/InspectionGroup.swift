import Foundation

/// 巡察组: a team authorised for one round (一次一授权), inspecting one to N units per batch.
public struct InspectionGroup: Sendable, Equatable {
    public var id: UUID
    public var roundID: UUID
    public var jurisdictionID: UUID
    /// "第一巡察组".
    public var name: String
    /// The standing group (常设巡察组) this round's group is: the same name in the same committee
    /// is the same group from round to round.
    public var standingGroupID: UUID
    /// 授权文件 (the decision that authorises the group for this task).
    public var authorisation: String?
    public var members: [GroupMember]
    public var assignments: [Assignment]

    public init(
        id: UUID, roundID: UUID, jurisdictionID: UUID, name: String, standingGroupID: UUID, authorisation: String?, members: [GroupMember], assignments: [Assignment]
    ) {
        self.id = id
        self.roundID = roundID
        self.jurisdictionID = jurisdictionID
        self.name = name
        self.standingGroupID = standingGroupID
        self.authorisation = authorisation
        self.members = members
        self.assignments = assignments
    }

    public var leader: GroupMember? { members.first { $0.role == .leader } }
}

/// A cadre's place in a group.
public struct GroupMember: Sendable, Equatable {
    public var inspectorID: UUID
    public var name: String
    public var role: GroupRole

    public init(inspectorID: UUID, name: String, role: GroupRole) {
        self.inspectorID = inspectorID
        self.name = name
        self.role = role
    }
}

/// 组内职务.
public enum GroupRole: String, CaseIterable, Codable, Sendable, CodedTitle {
    case leader, deputyLeader = "deputy_leader", member, liaison

    public var title: String {
        switch self {
        case .leader: "组长"
        case .deputyLeader: "副组长"
        case .member: "组员"
        case .liaison: "联络员"
        }
    }

}

/// 巡察任务: one group inspecting one unit in one batch.
public struct Assignment: Sendable, Equatable {
    public var id: UUID
    public var roundID: UUID
    public var batchID: UUID
    public var groupID: UUID
    public var unitID: UUID
    public var unitName: String

    public init(id: UUID, roundID: UUID, batchID: UUID, groupID: UUID, unitID: UUID, unitName: String) {
        self.id = id
        self.roundID = roundID
        self.batchID = batchID
        self.groupID = groupID
        self.unitID = unitID
        self.unitName = unitName
    }
}

/// The refusals staffing can meet, worded for the office.
public enum StaffingRules {
    /// 一托N: a group may take one more unit in a batch only below the round's limit.
    public static func checkCapacity(assignedInBatch: Int, limit: Int) throws(DomainError) {
        guard assignedInBatch < limit else {
            throw DomainError(
                .conflict, code: "over_units_per_group", message: "一托\(limit)：该组本批次已巡察\(assignedInBatch)个单位，达到上限",
                english: "group already has \(assignedInBatch) units in this batch (limit \(limit))")
        }
    }

    /// Conflicts block unless the office writes down why it accepts them.
    public static func checkConflicts(_ conflicts: [Conflict], overrideReason: String?) throws(DomainError) -> String? {
        guard !conflicts.isEmpty else { return nil }
        let reason = try TextRules.optionalLine(overrideReason, field: "override_reason", label: "坚持安排的理由", maxLength: 500)
        guard let reason else {
            throw DomainError(
                .conflict, code: "conflict_of_interest",
                message: "存在回避情形：" + conflicts.map { "\($0.kind.title)（\($0.detail)）" }.joined(separator: "；") + "。如确需安排，须由巡察办写明理由",
                english: "\(conflicts.count) conflict(s) of interest", field: "override_reason")
        }
        return reason
    }
}

/// One group of a team proposal as the office accepts it, after editing.
public struct GroupPlan: Sendable, Equatable {
    public var name: String
    public var authorisation: String?
    public var members: [PlannedMember]
    public var unitIDs: [UUID]
    /// The office's written reason for keeping a flagged conflict; nil refuses any conflict.
    public var overrideReason: String?

    public init(name: String, authorisation: String? = nil, members: [PlannedMember], unitIDs: [UUID], overrideReason: String? = nil) {
        self.name = name
        self.authorisation = authorisation
        self.members = members
        self.unitIDs = unitIDs
        self.overrideReason = overrideReason
    }
}

/// A person in an accepted group, with their role.
public struct PlannedMember: Sendable, Equatable {
    public var inspectorID: UUID
    public var role: GroupRole

    public init(inspectorID: UUID, role: GroupRole) {
        self.inspectorID = inspectorID
        self.role = role
    }
}

/// 常设巡察组: 第一巡察组 … as the office knows it from round to round. Each round authorises it
/// afresh (一次一授权) with its own members and units; those are its terms.
public struct StandingGroup: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var name: String
    /// The rounds it served in, newest first, with that round's composition.
    public var terms: [Term]

    public struct Term: Sendable, Equatable {
        public var round: Round
        public var group: InspectionGroup

        public init(round: Round, group: InspectionGroup) {
            self.round = round
            self.group = group
        }
    }

    public init(id: UUID, jurisdictionID: UUID, name: String, terms: [Term]) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.name = name
        self.terms = terms
    }
}

extension StandingGroup {
    /// The number in “第十二巡察组”, so groups list in the office's order rather than by the
    /// characters' code points (which put 第三 after 第二 after 第十); nil for other names.
    public static func ordinal(of name: String) -> Int? {
        guard name.hasPrefix("第") else { return nil }
        let numeral = String(name.dropFirst().prefix(while: ChineseNumber.isNumeral))
        return numeral.isEmpty ? nil : ChineseNumber.value(numeral)
    }

    /// The office's order: numbered groups by number, then the others by name.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        switch (ordinal(of: a), ordinal(of: b)) {
        case let (x?, y?) where x != y: x < y
        case (.some, nil): true
        case (nil, .some): false
        default: a < b
        }
    }
}

/// A standing group in a list: how many rounds it served in and its latest.
public struct StandingGroupListing: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var rounds: Int
    public var latestRoundID: UUID?

    public init(id: UUID, name: String, rounds: Int, latestRoundID: UUID?) {
        self.id = id
        self.name = name
        self.rounds = rounds
        self.latestRoundID = latestRoundID
    }
}
