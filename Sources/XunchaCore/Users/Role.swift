import Foundation

/// 角色. The full role set of the system; later capabilities fill in what each may do.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable, CodedTitle {
    /// 系统管理员: accounts and jurisdictions; never business content (三员分立).
    case systemAdministrator = "system_admin"
    /// 安全保密管理员: grants roles, unlocks accounts.
    case securityAdministrator = "security_admin"
    /// 安全审计员: reads and verifies the audit log, nothing else.
    case auditAdministrator = "audit_admin"
    /// 巡察办工作人员.
    case officeStaff = "office_staff"
    /// 线索管理员: the office staff designated to keep the lead register and to read who petitioned.
    case leadCustodian = "lead_custodian"
    /// 巡察工作领导小组成员.
    case leadingGroupMember = "leading_group_member"
    /// 巡察组组长.
    case groupLeader = "group_leader"
    /// 巡察组成员.
    case groupMember = "group_member"
    /// 被巡察单位主要负责人.
    case unitHead = "unit_head"
    /// 被巡察单位联络员.
    case unitContact = "unit_contact"
    /// 整改责任人: a cadre of the inspected unit named as the responsible person of tasks; sees and
    /// reports on those tasks only.
    case taskOwner = "task_owner"
    /// 纪委监委承办人 (receives leads transferred to the discipline commission).
    case disciplineReceiver = "discipline_receiver"
    /// 组织部承办人 (receives leads transferred to the organisation department).
    case organisationReceiver = "organisation_receiver"

    /// 中文名称.
    public var title: String {
        switch self {
        case .systemAdministrator: "系统管理员"
        case .securityAdministrator: "安全保密管理员"
        case .auditAdministrator: "安全审计员"
        case .officeStaff: "巡察办工作人员"
        case .leadCustodian: "线索管理员"
        case .leadingGroupMember: "领导小组成员"
        case .groupLeader: "巡察组组长"
        case .groupMember: "巡察组成员"
        case .unitHead: "被巡察单位负责人"
        case .unitContact: "被巡察单位联络员"
        case .taskOwner: "整改责任人"
        case .disciplineReceiver: "纪委监委承办人"
        case .organisationReceiver: "组织部承办人"
        }
    }

    /// The three separated administrator roles (三员).
    public var isAdministrator: Bool {
        switch self {
        case .systemAdministrator, .securityAdministrator, .auditAdministrator: true
        default: false
        }
    }

    /// Roles that act for an inspected unit and therefore need the unit they belong to.
    public var isUnitRole: Bool { self == .unitHead || self == .unitContact || self == .taskOwner }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The roles one account holds, checked against the separation rules.
public struct RoleSet: Sendable, Equatable {
    public let roles: Set<Role>

    /// Validates a role combination:
    /// - at least one role;
    /// - 三员分立: no account holds two of the three administrator roles, and an administrator
    ///   holds no business role, so no one person both administers and reads business records;
    /// - unit roles need the unit the account acts for, and other roles must not name one.
    public init(_ roles: Set<Role>, unitGiven: Bool) throws(DomainError) {
        guard !roles.isEmpty else {
            throw .invalid("roles_required", "至少选择一个角色", english: "at least one role is required", field: "roles")
        }
        let administrators = roles.filter(\.isAdministrator)
        if administrators.count > 1 {
            throw .invalid(
                "separation_of_duties", "三员分立：系统管理员、安全保密管理员、安全审计员不得由同一账号兼任",
                english: "an account may hold only one of the three administrator roles", field: "roles")
        }
        if !administrators.isEmpty && roles.count > 1 {
            throw .invalid(
                "separation_of_duties", "三员分立：管理员账号不得兼任业务角色",
                english: "an administrator account may not hold business roles", field: "roles")
        }
        let needsUnit = roles.contains(where: \.isUnitRole)
        if needsUnit && !roles.allSatisfy(\.isUnitRole) {
            throw .invalid(
                "unit_role_mix", "被巡察单位角色不得与巡察机构角色兼任",
                english: "unit roles cannot be combined with inspection roles", field: "roles")
        }
        if needsUnit && !unitGiven {
            throw .invalid("unit_required", "被巡察单位角色须指定所属单位", english: "unit roles need a unit", field: "unit_id")
        }
        if !needsUnit && unitGiven {
            throw .invalid("unit_not_allowed", "只有被巡察单位角色可以指定所属单位", english: "only unit roles name a unit", field: "unit_id")
        }
        self.roles = roles
    }

    /// Roles in the fixed display order.
    public var sorted: [Role] { roles.sorted() }

    /// The stored form: role codes separated by spaces, in display order.
    public static func storageText(_ roles: Set<Role>) -> String { roles.sorted().map(\.rawValue).joined(separator: " ") }

    /// Reads the stored form without re-validating (the stored value was validated on write).
    public static func fromStorage(_ text: String) -> Set<Role> {
        Set(text.split(separator: " ").compactMap { Role(rawValue: String($0)) })
    }
}
