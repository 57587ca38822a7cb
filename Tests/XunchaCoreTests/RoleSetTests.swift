import Testing
import XunchaCore

/// 三员分立 and the other rules on which roles one account may hold.
@Suite("角色组合 RoleSet")
struct RoleSetTests {
    static let administrators: [Role] = Role.allCases.filter(\.isAdministrator)
    static let businessRoles: [Role] = Role.allCases.filter { !$0.isAdministrator }
    static let inspectionRoles: [Role] = Role.allCases.filter { !$0.isAdministrator && !$0.isUnitRole }

    @Test func threeAdministratorRolesAndThreeUnitRolesExist() {
        #expect(Set(Self.administrators) == [.systemAdministrator, .securityAdministrator, .auditAdministrator])
        #expect(Set(Role.allCases.filter(\.isUnitRole)) == [.unitHead, .unitContact, .taskOwner])
    }

    @Test func emptyRoleSetIsRejected() {
        let error = #expect(throws: DomainError.self) { try RoleSet([], unitGiven: false) }

        #expect(error?.code == "roles_required")
        #expect(error?.field == "roles")
        #expect(error?.kind == .invalidInput)
    }

    @Test(arguments: RoleSetTests.administrators)
    func eachAdministratorRoleAloneIsAccepted(role: Role) throws {
        let set = try RoleSet([role], unitGiven: false)

        #expect(set.roles == [role])
    }

    @Test(arguments: [
        (Role.systemAdministrator, Role.securityAdministrator),
        (.systemAdministrator, .auditAdministrator),
        (.securityAdministrator, .auditAdministrator),
    ])
    func noAccountHoldsTwoAdministratorRoles(first: Role, second: Role) {
        let error = #expect(throws: DomainError.self) { try RoleSet([first, second], unitGiven: false) }

        #expect(error?.code == "separation_of_duties")
        #expect(error?.field == "roles")
    }

    @Test func noAccountHoldsAllThreeAdministratorRoles() {
        let error = #expect(throws: DomainError.self) { try RoleSet(Set(Self.administrators), unitGiven: false) }

        #expect(error?.code == "separation_of_duties")
    }

    @Test(arguments: RoleSetTests.administrators, RoleSetTests.businessRoles)
    func administratorHoldsNoBusinessRole(administrator: Role, business: Role) {
        let error = #expect(throws: DomainError.self) {
            try RoleSet([administrator, business], unitGiven: business.isUnitRole)
        }

        #expect(error?.code == "separation_of_duties")
    }

    @Test(arguments: RoleSetTests.inspectionRoles)
    func unitRoleCannotBeCombinedWithInspectionRole(inspection: Role) {
        for unitRole in [Role.unitHead, .unitContact] {
            let error = #expect(throws: DomainError.self) { try RoleSet([unitRole, inspection], unitGiven: true) }

            #expect(error?.code == "unit_role_mix")
            #expect(error?.field == "roles")
        }
    }

    @Test func unitHeadAndUnitContactTogetherAreAccepted() throws {
        let set = try RoleSet([.unitHead, .unitContact], unitGiven: true)

        #expect(set.sorted == [.unitHead, .unitContact])
    }

    @Test(arguments: [Role.unitHead, .unitContact])
    func unitRoleNeedsAUnit(role: Role) {
        let error = #expect(throws: DomainError.self) { try RoleSet([role], unitGiven: false) }

        #expect(error?.code == "unit_required")
        #expect(error?.field == "unit_id")
    }

    @Test(arguments: RoleSetTests.inspectionRoles + RoleSetTests.administrators)
    func onlyUnitRolesNameAUnit(role: Role) {
        let error = #expect(throws: DomainError.self) { try RoleSet([role], unitGiven: true) }

        #expect(error?.code == "unit_not_allowed")
        #expect(error?.field == "unit_id")
    }

    @Test func severalInspectionRolesMayBeHeldTogether() throws {
        let set = try RoleSet(Set(Self.inspectionRoles), unitGiven: false)

        #expect(set.roles.count == Self.inspectionRoles.count)
    }

    @Test func sortedFollowsTheDisplayOrder() throws {
        let set = try RoleSet([.groupMember, .officeStaff, .groupLeader], unitGiven: false)

        #expect(set.sorted == [.officeStaff, .groupLeader, .groupMember])
    }

    @Test func storageTextListsCodesInDisplayOrder() {
        #expect(RoleSet.storageText([.groupMember, .officeStaff]) == "office_staff group_member")
        #expect(RoleSet.storageText([]) == "")
    }

    @Test func storageTextRoundTripsEveryRole() {
        for role in Role.allCases {
            #expect(RoleSet.fromStorage(RoleSet.storageText([role])) == [role])
        }
        let business = Set(Self.businessRoles)
        #expect(RoleSet.fromStorage(RoleSet.storageText(business)) == business)
    }

    @Test func fromStorageSkipsUnknownCodesAndExtraSpaces() {
        #expect(RoleSet.fromStorage("  office_staff  retired_role group_leader ") == [.officeStaff, .groupLeader])
    }
}

/// Role codes and Chinese titles.
@Suite("角色 Role")
struct RoleTests {
    @Test func roleParsesFromItsCodeAndItsChineseTitle() {
        for role in Role.allCases {
            #expect(Role(code: role.rawValue) == role)
            #expect(Role(code: role.title) == role)
            #expect(Role(code: "  \(role.title) ") == role)
        }
    }

    @Test func titlesAndCodesAreDistinct() {
        #expect(Set(Role.allCases.map(\.title)).count == Role.allCases.count)
        #expect(Set(Role.allCases.map(\.rawValue)).count == Role.allCases.count)
    }

    @Test(arguments: ["", "admin", "OFFICE_STAFF", "巡察员", "office staff"])
    func unknownRoleCodeIsNotARole(code: String) {
        #expect(Role(code: code) == nil)
    }

    @Test func chineseTitlesNameTheThreeAdministrators() {
        #expect(Role(code: "系统管理员") == .systemAdministrator)
        #expect(Role(code: "安全保密管理员") == .securityAdministrator)
        #expect(Role(code: "安全审计员") == .auditAdministrator)
    }

    @Test func administratorsSortBeforeBusinessRoles() {
        let sorted = Role.allCases.shuffled().sorted()

        #expect(sorted == Role.allCases)
        #expect(sorted.prefix(3).allSatisfy { $0.isAdministrator })
    }
}
