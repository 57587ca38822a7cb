import Foundation

/// 巡察任务的状态 (domain §3.2). Planning takes an assignment from planned to notified; the
/// on-site phase and what follows add their states with the work that moves them.
public enum AssignmentStatus: String, CaseIterable, Codable, Sendable {
    /// 已派驻: the office assigned the group.
    case planned
    /// 已通知: the written notice went to the unit (about 10 working days before entry).
    case notified

    public var title: String {
        switch self {
        case .planned: "已派驻"
        case .notified: "已通知"
        }
    }
}

/// 巡察通知: the written notice to an inspected unit. The unit sees it, the group that will
/// come, and nothing else of the round.
public struct InspectionNotice: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var assignmentID: UUID
    public var unitID: UUID
    public var unitName: String
    public var groupName: String
    /// 文号.
    public var number: String?
    public var body: String
    public var entryDate: CalendarDay
    public var exitDate: CalendarDay
    public var sentAt: Date
    /// The group as announced, so the unit can name a member whose recusal it requests.
    public var members: [GroupMember]

    public init(
        id: UUID, jurisdictionID: UUID, assignmentID: UUID, unitID: UUID, unitName: String, groupName: String, number: String?, body: String,
        entryDate: CalendarDay, exitDate: CalendarDay, sentAt: Date, members: [GroupMember]
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.assignmentID = assignmentID
        self.unitID = unitID
        self.unitName = unitName
        self.groupName = groupName
        self.number = number
        self.body = body
        self.entryDate = entryDate
        self.exitDate = exitDate
        self.sentAt = sentAt
        self.members = members
    }

    /// The customary wording, used when the office writes none of its own.
    public static func standardBody(committee: String, kindTitle: String, groupName: String, unitName: String, entry: CalendarDay, exit: CalendarDay) -> String {
        """
        \(unitName)党组织：
        根据\(committee)巡察工作安排，\(committee)\(groupName)将于\(entry.chineseText)至\(exit.chineseText)对你单位开展\(kindTitle)。\
        请你单位做好准备：确定联络人员，准备工作汇报，提供必要的工作场所，并按要求设置意见箱、公布举报电话和邮箱。
        巡察期间，请积极支持配合巡察组工作，如实提供情况。
        """
    }
}

/// An assignment as people read it: which group inspects which unit, in which round and batch.
public struct AssignmentDetail: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var roundID: UUID
    public var roundTitle: String
    public var groupID: UUID
    public var groupName: String
    public var unitID: UUID
    public var unitName: String
    public var batchSequence: Int
    public var entryDate: CalendarDay
    public var exitDate: CalendarDay
    public var status: AssignmentStatus
    public var createdAt: Date

    public init(
        id: UUID, jurisdictionID: UUID, roundID: UUID, roundTitle: String, groupID: UUID, groupName: String, unitID: UUID, unitName: String,
        batchSequence: Int, entryDate: CalendarDay, exitDate: CalendarDay, status: AssignmentStatus, createdAt: Date
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.roundID = roundID
        self.roundTitle = roundTitle
        self.groupID = groupID
        self.groupName = groupName
        self.unitID = unitID
        self.unitName = unitName
        self.batchSequence = batchSequence
        self.entryDate = entryDate
        self.exitDate = exitDate
        self.status = status
        self.createdAt = createdAt
    }
}

/// A group the signed-in cadre serves in, and whether the round's pledge is signed: what a
/// member sees before the assignments open.
public struct Membership: Sendable, Equatable {
    public var groupID: UUID
    public var groupName: String
    public var roundID: UUID
    public var roundTitle: String
    public var role: GroupRole
    public var pledgedAt: Date?

    public init(groupID: UUID, groupName: String, roundID: UUID, roundTitle: String, role: GroupRole, pledgedAt: Date?) {
        self.groupID = groupID
        self.groupName = groupName
        self.roundID = roundID
        self.roundTitle = roundTitle
        self.role = role
        self.pledgedAt = pledgedAt
    }
}
