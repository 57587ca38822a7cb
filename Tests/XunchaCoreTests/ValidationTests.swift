import Foundation
import Testing
import XunchaCore

/// Free text typed by people.
@Suite("文本规则 TextRules")
struct TextRulesTests {
    @Test func requiredLineTrimsSurroundingWhitespace() throws {
        let line = try TextRules.requiredLine("  某某县财政局\n", field: "name", label: "单位名称", maxLength: 100)

        #expect(line == "某某县财政局")
    }

    @Test(arguments: [nil, "", "   ", "\n\t　"] as [String?])
    func requiredLineRejectsMissingOrBlank(value: String?) {
        let error = #expect(throws: DomainError.self) {
            try TextRules.requiredLine(value, field: "name", label: "单位名称", maxLength: 100)
        }

        #expect(error?.code == "required")
        #expect(error?.field == "name")
        #expect(error?.message.contains("单位名称") == true)
    }

    @Test(arguments: [nil, "", "  \n "] as [String?])
    func optionalLineTurnsBlankIntoNil(value: String?) throws {
        #expect(try TextRules.optionalLine(value, field: "head_name", label: "主要负责人", maxLength: 40) == nil)
    }

    @Test func lengthLimitCountsChineseCharactersNotBytes() throws {
        let sixty = String(repeating: "巡", count: 60)

        let line = try TextRules.requiredLine(sixty, field: "name", label: "名称", maxLength: 60)

        #expect(line == sixty)
    }

    @Test func lineOneCharacterTooLongIsRejected() {
        let error = #expect(throws: DomainError.self) {
            try TextRules.requiredLine(String(repeating: "巡", count: 61), field: "name", label: "名称", maxLength: 60)
        }

        #expect(error?.code == "too_long")
        #expect(error?.field == "name")
        #expect(error?.message.contains("60") == true)
    }

    @Test func surroundingWhitespaceDoesNotCountTowardsTheLimit() throws {
        let line = try TextRules.requiredLine("  " + String(repeating: "巡", count: 60) + "  ", field: "name", label: "名称", maxLength: 60)

        #expect(line.count == 60)
    }

    @Test(arguments: ["财政\u{0}局", "财政\u{7}局", "第一行\n第二行", "财政\t局", "财政\r局", "财政\u{1B}[31m局", "财政\u{7F}局"])
    func controlCharactersInsideALineAreRejected(value: String) {
        let error = #expect(throws: DomainError.self) {
            try TextRules.optionalLine(value, field: "name", label: "单位名称", maxLength: 100)
        }

        #expect(error?.code == "control_characters")
        #expect(error?.field == "name")
    }

    @Test func punctuationAndFullWidthCharactersAreAccepted() throws {
        let name = "中共某某县委员会（县委办公室）·“清廉”工作组—第1组"

        #expect(try TextRules.requiredLine(name, field: "name", label: "名称", maxLength: 100) == name)
    }

    @Test(arguments: ["\u{200B}", "\u{202E}", "\u{2028}", "\u{FEFF}"])
    func invisibleCharactersThatCouldDisguiseANameAreRefused(character: String) {
        let error = #expect(throws: DomainError.self) {
            try TextRules.requiredLine("市财\(character)政局", field: "name", label: "单位名称", maxLength: 100)
        }
        #expect(error?.code == "control_characters")
    }

}

/// 党委（辖区） input.
@Suite("党委 JurisdictionDraft")
struct JurisdictionDraftTests {
    @Test func chineseNameAndLevelCodeAreAccepted() throws {
        let draft = try JurisdictionDraft.validate(name: " 中共某某市委 ", level: "city")

        #expect(draft == JurisdictionDraft(name: "中共某某市委", level: .city))
    }

    @Test(arguments: [("county", JurisdictionLevel.county), ("县级", .county), ("县", .county), ("区级", .district), ("省", .province)])
    func levelParsesFromCodeTitleOrShortTitle(text: String, level: JurisdictionLevel) throws {
        #expect(try JurisdictionDraft.validate(name: "某某", level: text).level == level)
    }

    @Test func missingLevelIsRequired() {
        let error = #expect(throws: DomainError.self) { try JurisdictionDraft.validate(name: "某某县委", level: nil) }

        #expect(error?.code == "required")
        #expect(error?.field == "level")
    }

    @Test(arguments: ["town", "乡级", "County"])
    func unknownLevelIsRejected(text: String) {
        let error = #expect(throws: DomainError.self) { try JurisdictionDraft.validate(name: "某某县委", level: text) }

        #expect(error?.code == "unknown_level")
        #expect(error?.field == "level")
        #expect(error?.message.contains(text) == true)
    }

    @Test func missingNameIsReportedBeforeTheLevel() {
        let error = #expect(throws: DomainError.self) { try JurisdictionDraft.validate(name: " ", level: "bogus") }

        #expect(error?.code == "required")
        #expect(error?.field == "name")
    }

    @Test func nameLongerThanSixtyCharactersIsRejected() {
        let error = #expect(throws: DomainError.self) {
            try JurisdictionDraft.validate(name: String(repeating: "委", count: 61), level: "city")
        }

        #expect(error?.code == "too_long")
        #expect(error?.field == "name")
    }
}

/// 被巡察单位 input.
@Suite("被巡察单位 UnitDraft")
struct UnitDraftTests {
    func validate(
        name: String? = "某某县财政局", type: String? = "党政机关部门", party: String? = "党组", parent: String? = nil, head: String? = nil
    ) throws(DomainError) -> UnitDraft {
        try UnitDraft.validate(name: name, type: type, partyOrganisation: party, parentUnitID: parent, headName: head)
    }

    @Test func chineseTitlesAreAccepted() throws {
        let draft = try validate(head: " 张三 ")

        #expect(draft == UnitDraft(name: "某某县财政局", type: .municipalDepartment, partyOrganisation: .leadershipGroup, headName: "张三"))
    }

    @Test func codesAreAccepted() throws {
        let draft = try validate(type: "village", party: "general_branch")

        #expect(draft.type == .village)
        #expect(draft.partyOrganisation == .generalBranch)
    }

    @Test func everyUnitTypeParsesFromCodeAndTitle() {
        for type in UnitType.allCases {
            #expect(UnitType(code: type.rawValue) == type)
            #expect(UnitType(code: " \(type.title) ") == type)
        }
    }

    @Test func everyPartyOrganisationKindParsesFromCodeAndTitle() {
        for kind in PartyOrganisationKind.allCases {
            #expect(PartyOrganisationKind(code: kind.rawValue) == kind)
            #expect(PartyOrganisationKind(code: kind.title) == kind)
        }
    }

    @Test func blankHeadNameBecomesNil() throws {
        #expect(try validate(head: "  ").headName == nil)
    }

    @Test func parentUnitIdIsParsed() throws {
        let draft = try validate(parent: " \(Tree.unitA.uuidString) ")

        #expect(draft.parentUnitID == Tree.unitA)
    }

    @Test(arguments: [nil, "", "   "] as [String?])
    func missingNameIsRequired(name: String?) {
        let error = #expect(throws: DomainError.self) { try validate(name: name) }

        #expect(error?.code == "required")
        #expect(error?.field == "name")
    }

    @Test func nameLongerThanOneHundredCharactersIsRejected() throws {
        _ = try validate(name: String(repeating: "局", count: 100))

        let error = #expect(throws: DomainError.self) { try validate(name: String(repeating: "局", count: 101)) }

        #expect(error?.code == "too_long")
        #expect(error?.field == "name")
    }

    @Test func nameWithControlCharactersIsRejected() {
        let error = #expect(throws: DomainError.self) { try validate(name: "某某\u{8}局") }

        #expect(error?.code == "control_characters")
        #expect(error?.field == "name")
    }

    @Test func missingTypeIsRequired() {
        let error = #expect(throws: DomainError.self) { try validate(type: " ") }

        #expect(error?.code == "required")
        #expect(error?.field == "type")
    }

    @Test(arguments: ["bureau", "局", "Department", "党政机关"])
    func unknownUnitTypeIsRejectedNamingTheValue(type: String) {
        let error = #expect(throws: DomainError.self) { try validate(type: type) }

        #expect(error?.code == "unknown_unit_type")
        #expect(error?.field == "type")
        #expect(error?.message.contains(type) == true)
    }

    @Test func missingPartyOrganisationIsRequired() {
        let error = #expect(throws: DomainError.self) { try validate(party: nil) }

        #expect(error?.code == "required")
        #expect(error?.field == "party_organisation")
    }

    @Test func unknownPartyOrganisationIsRejected() {
        let error = #expect(throws: DomainError.self) { try validate(party: "党小组") }

        #expect(error?.code == "unknown_party_organisation")
        #expect(error?.field == "party_organisation")
    }

    @Test func malformedParentIdIsRejected() {
        let error = #expect(throws: DomainError.self) { try validate(parent: "42") }

        #expect(error?.code == "invalid_id")
        #expect(error?.field == "parent_unit_id")
    }

    @Test func headNameLongerThanFortyCharactersIsRejected() {
        let error = #expect(throws: DomainError.self) { try validate(head: String(repeating: "张", count: 41)) }

        #expect(error?.code == "too_long")
        #expect(error?.field == "head_name")
    }

    @Test func firstBadFieldIsReported() {
        let error = #expect(throws: DomainError.self) { try validate(name: nil, type: "bogus", party: "bogus") }

        #expect(error?.field == "name")
    }
}

/// Account input.
@Suite("账号 UserDraft")
struct UserDraftTests {
    func validate(
        username: String? = "zhangsan", displayName: String? = "张三", jurisdiction: String? = Tree.countyA.id.uuidString,
        roles: [String] = ["office_staff"], unit: String? = nil
    ) throws(DomainError) -> UserDraft {
        try UserDraft.validate(username: username, displayName: displayName, jurisdictionID: jurisdiction, roles: roles, unitID: unit)
    }

    @Test func validDraftKeepsChineseDisplayNameAndParsesRoleTitles() throws {
        let draft = try validate(displayName: " 张三 ", roles: ["巡察组组长", "group_member"])

        #expect(draft.username == "zhangsan")
        #expect(draft.displayName == "张三")
        #expect(draft.jurisdictionID == Tree.countyA.id)
        #expect(draft.roles?.roles == [.groupLeader, .groupMember])
        #expect(draft.unitID == nil)
    }

    @Test func unitRoleDraftCarriesTheUnit() throws {
        let draft = try validate(roles: ["被巡察单位联络员"], unit: Tree.unitA.uuidString)

        #expect(draft.unitID == Tree.unitA)
        #expect(draft.roles?.roles == [.unitContact])
    }

    @Test func usernameIsTrimmedAndLowerCased() throws {
        #expect(try UserDraft.validUsername("  Zhang.San_01 ") == "zhang.san_01")
    }

    @Test(arguments: ["abc", "a-b", String(repeating: "x", count: 32)])
    func usernameOfThreeToThirtyTwoAllowedCharactersIsAccepted(name: String) throws {
        #expect(try UserDraft.validUsername(name) == name)
    }

    @Test(arguments: ["ab", String(repeating: "x", count: 33), "张三", "zhang san", "zhang@san", "li/si", "wang;--"])
    func usernameOutsideTheRulesIsRejected(name: String) {
        let error = #expect(throws: DomainError.self) { try UserDraft.validUsername(name) }

        #expect(error?.code == "invalid_username")
        #expect(error?.field == "username")
    }

    @Test(arguments: [nil, "", "   "] as [String?])
    func missingUsernameIsRequired(name: String?) {
        let error = #expect(throws: DomainError.self) { try validate(username: name) }

        #expect(error?.code == "required")
        #expect(error?.field == "username")
    }

    @Test func missingDisplayNameIsRequired() {
        let error = #expect(throws: DomainError.self) { try validate(displayName: " ") }

        #expect(error?.code == "required")
        #expect(error?.field == "display_name")
    }

    @Test func displayNameLongerThanFortyCharactersIsRejected() {
        let error = #expect(throws: DomainError.self) { try validate(displayName: String(repeating: "张", count: 41)) }

        #expect(error?.code == "too_long")
        #expect(error?.field == "display_name")
    }

    @Test func missingJurisdictionIsRequired() {
        let error = #expect(throws: DomainError.self) { try validate(jurisdiction: "") }

        #expect(error?.code == "required")
        #expect(error?.field == "jurisdiction_id")
    }

    @Test func malformedJurisdictionIdIsRejected() {
        let error = #expect(throws: DomainError.self) { try validate(jurisdiction: "某某县") }

        #expect(error?.code == "invalid_id")
        #expect(error?.field == "jurisdiction_id")
    }

    @Test func unknownRoleIsRejectedNamingIt() {
        let error = #expect(throws: DomainError.self) { try validate(roles: ["office_staff", "超级管理员"]) }

        #expect(error?.code == "unknown_role")
        #expect(error?.field == "roles")
        #expect(error?.message.contains("超级管理员") == true)
    }

    /// 三员分立: an account may be opened with no roles, for the security administrator to grant.
    @Test func blankRoleCodesAreSkippedSoTheAccountWaitsForItsRoles() throws {
        let draft = try validate(roles: ["", ""])

        #expect(draft.roles == nil)
    }

    @Test func anAccountWithoutRolesNamesNoUnit() {
        let error = #expect(throws: DomainError.self) { try validate(roles: [], unit: UUID().uuidString) }

        #expect(error?.code == "unit_not_allowed")
    }

    @Test func malformedUnitIdIsRejected() {
        let error = #expect(throws: DomainError.self) { try validate(roles: ["unit_head"], unit: "unit-1") }

        #expect(error?.code == "invalid_id")
        #expect(error?.field == "unit_id")
    }

    @Test func draftEnforcesSeparationOfDuties() {
        let error = #expect(throws: DomainError.self) { try validate(roles: ["system_admin", "office_staff"]) }

        #expect(error?.code == "separation_of_duties")
    }

    @Test func draftEnforcesThatUnitRolesNameAUnit() {
        let error = #expect(throws: DomainError.self) { try validate(roles: ["unit_head"], unit: " ") }

        #expect(error?.code == "unit_required")
        #expect(error?.field == "unit_id")
    }
}

/// Account lock-out.
@Suite("账号锁定 User.isLocked")
struct UserLockTests {
    func user(lockedUntil: Date?) -> User {
        User(
            id: Tree.unitA, jurisdictionID: Tree.city.id, username: "zhangsan", displayName: "张三", roles: [.officeStaff],
            unitID: nil, mustChangePassword: false, failedSignIns: 5, lockedUntil: lockedUntil, disabled: false,
            createdAt: Date(epochMilliseconds: 0), updatedAt: Date(epochMilliseconds: 0), version: 1)
    }

    let now = Date(epochMilliseconds: 1_767_225_600_000)

    @Test func accountIsLockedUntilTheLockEnds() {
        #expect(user(lockedUntil: now.addingTimeInterval(1)).isLocked(at: now))
        #expect(!user(lockedUntil: now).isLocked(at: now))
        #expect(!user(lockedUntil: now.addingTimeInterval(-1)).isLocked(at: now))
    }

    @Test func accountWithoutALockIsNotLocked() {
        #expect(!user(lockedUntil: nil).isLocked(at: now))
    }
}
