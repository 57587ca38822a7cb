import Foundation
import Testing
import XunchaCore

/// The access matrix, role by role. Each test names the rule it guards; the records sit in the
/// fixed tree of `Tree` (city → countyA → townA, and countyB beside countyA).
@Suite("访问控制 AccessPolicy")
struct AccessPolicyTests {
    let policy = AccessPolicy()

    /// Roles that do inspection work (not administrators, not the inspected unit).
    static let inspectionRoles: [Role] = [
        .officeStaff, .leadingGroupMember, .groupLeader, .groupMember, .disciplineReceiver, .organisationReceiver,
    ]
    static let unitRoles: [Role] = [.unitHead, .unitContact]
    static let administratorRoles: [Role] = [.systemAdministrator, .securityAdministrator, .auditAdministrator]
    static let accountPermissions: [Permission] = [.viewUsers, .manageUsers, .grantRoles, .unlockUsers]

    /// The permissions the actor holds anywhere at all.
    func permissionsHeld(by actor: Actor) -> Set<Permission> {
        Set(Permission.allCases.filter { policy.allowsAnywhere(actor, $0) })
    }

    // MARK: - The matrix is complete

    @Test func everyPermissionHasARowInTheMatrix() {
        for permission in Permission.allCases {
            let row = AccessPolicy.matrix[permission]
            #expect(row != nil, "no matrix row for \(permission)")
            #expect(row?.isEmpty == false, "matrix row for \(permission) grants nobody")
        }
    }

    @Test func everyRoleAppearsInAtLeastOneRow() {
        let granted = Set(AccessPolicy.matrix.values.flatMap(\.keys))
        for role in Role.allCases {
            #expect(granted.contains(role), "\(role) is in no matrix row and so can do nothing")
        }
    }

    @Test func matrixNeverGrantsEverythingToAnAccount() {
        for (permission, row) in AccessPolicy.matrix {
            for (role, reach) in row {
                #expect(reach != .everything, "\(role) reaches everything for \(permission); only the console may")
            }
        }
    }

    // MARK: - 被巡察单位 roles

    @Test(arguments: AccessPolicyTests.unitRoles)
    func unitRoleSeesOnlyOwnUnit(role: Role) {
        let actor = account([role], in: Tree.countyA, unit: Tree.unitA)

        #expect(policy.scope(actor, .viewUnits) == .unit(jurisdiction: Tree.countyA.id, unit: Tree.unitA))
        #expect(policy.allows(actor, .viewUnits, at: Tree.countyA.record(of: Tree.unitA)))
        #expect(!policy.allows(actor, .viewUnits, at: Tree.countyA.record(of: Tree.otherUnitA)))
        #expect(!policy.allows(actor, .viewUnits, at: Tree.countyA.record))
        #expect(!policy.allows(actor, .viewUnits, at: Tree.countyB.record(of: Tree.unitB)))
        #expect(!policy.allows(actor, .viewUnits, at: Tree.townA.record(of: Tree.unitA)))
    }

    @Test func unitHeadSeesOnlyOwnUnit() {
        let head = account([.unitHead], in: Tree.countyA, unit: Tree.unitA)

        let visible = [Tree.unitA, Tree.otherUnitA].filter { policy.allows(head, .viewUnits, at: Tree.countyA.record(of: $0)) }

        #expect(visible == [Tree.unitA])
    }

    @Test func unitContactCannotListUsers() throws {
        let contact = account([.unitContact], in: Tree.countyA, unit: Tree.unitA)

        #expect(policy.scope(contact, .viewUsers) == .nothing)
        #expect(!policy.allowsAnywhere(contact, .viewUsers))
        let error = #expect(throws: DomainError.self) { try policy.requireAnywhere(contact, .viewUsers) }
        #expect(error?.code == "forbidden")
        #expect(error?.kind == .forbidden)
    }

    @Test(arguments: AccessPolicyTests.unitRoles)
    func unitRoleSeesOnlyItsUnitItsNoticesAndWhatIsAddressedToIt(role: Role) {
        let actor = account([role], in: Tree.countyA, unit: Tree.unitA)
        let requestsRecusal: Set<Permission> = role == .unitHead ? [.requestRecusal] : []
        // After feedback: its own plan, tasks and reports, its rule improvements and evaluations, and
        // the report on a second rectification; never reviewing, grading or the 回头看 schedule.
        let rectification: Set<Permission> = [
            .viewRectification, .draftRectificationPlans, .reportRectificationProgress, .viewRectificationReports, .writeRectificationReports,
            .viewRuleImprovements, .recordRuleImprovements, .viewEvaluations, .reportSecondRectification,
            // Its own ledger's figures; the store leaves out every finding and lead count.
            .viewStatistics,
            // As a functional department: the thematic reports sent to it, and its rule changes.
            .viewThematicReports, .recordThematicRuleChanges,
        ]

        #expect(
            permissionsHeld(by: actor)
                == Set<Permission>([.viewJurisdictions, .viewUnits, .viewNotices, .viewImmediateRectifications, .viewFeedback, .viewRecusalRequests])
                .union(requestsRecusal).union(rectification),
            "a unit never holds fieldwork, leads, pools, rounds, reports or unpublished disclosures")
        for permission in rectification {
            #expect(policy.scope(actor, permission) == .unit(jurisdiction: Tree.countyA.id, unit: Tree.unitA), "\(permission): its own unit only")
        }
        #expect(policy.scope(actor, .viewNotices) == .unit(jurisdiction: Tree.countyA.id, unit: Tree.unitA))
    }

    @Test func systemicProblemsAreTheCommitteesOfficeAndLeadingGroupsAndNeverAUnitsOrAGroups() {
        for role in [Role.officeStaff, .leadingGroupMember] {
            #expect(policy.scope(account([role], in: Tree.countyA), .viewSystemicProblems) == .jurisdiction(Tree.countyA.id))
        }
        #expect(policy.scope(account([.officeStaff], in: Tree.countyA), .manageThematicReports) == .jurisdiction(Tree.countyA.id))
        #expect(!policy.allowsAnywhere(account([.leadingGroupMember], in: Tree.countyA), .manageThematicReports), "the office drafts and sends")
        for role in AccessPolicyTests.unitRoles + [.groupLeader, .groupMember, .leadCustodian, .disciplineReceiver, .organisationReceiver, .taskOwner] {
            let actor = account([role], in: Tree.countyA, unit: role.isUnitRole ? Tree.unitA : nil)
            #expect(!policy.allowsAnywhere(actor, .viewSystemicProblems), "\(role) must not compare units")
            #expect(!policy.allowsAnywhere(actor, .manageThematicReports), "\(role) must not draft thematic reports")
        }
        for role in AccessPolicyTests.unitRoles {
            let department = account([role], in: Tree.countyA, unit: Tree.unitA)
            #expect(policy.scope(department, .viewThematicReports) == .unit(jurisdiction: Tree.countyA.id, unit: Tree.unitA), "only what is addressed to its unit")
        }
    }

    @Test func onlyTheOfficeDecidesAUnitsRecusalRequestAndAUnitReadsOnlyItsOwn() {
        #expect(policy.scope(account([.officeStaff], in: Tree.countyA), .decideRecusalRequests) == .jurisdiction(Tree.countyA.id))
        for role in AccessPolicyTests.unitRoles {
            let unit = account([role], in: Tree.countyA, unit: Tree.unitA)
            #expect(!policy.allowsAnywhere(unit, .decideRecusalRequests), "\(role) must not decide its own request")
            #expect(policy.scope(unit, .viewRecusalRequests) == .unit(jurisdiction: Tree.countyA.id, unit: Tree.unitA), "\(role) reads only its own")
        }
        for role in [Role.leadingGroupMember, .groupLeader, .groupMember, .leadCustodian, .disciplineReceiver, .organisationReceiver, .taskOwner]
            + AccessPolicyTests.administratorRoles
        {
            let actor = account([role], in: Tree.countyA)
            #expect(!policy.allowsAnywhere(actor, .decideRecusalRequests), "\(role)")
            #expect(!policy.allowsAnywhere(actor, .viewRecusalRequests), "\(role)")
        }
    }

    @Test func aResponsibleCadreReachesOnlyTheirOwnTasks() {
        let cadre = account([.taskOwner], in: Tree.countyA, unit: Tree.unitA)

        #expect(permissionsHeld(by: cadre) == [.viewJurisdictions, .viewRectification, .reportRectificationProgress])
        #expect(policy.scope(cadre, .viewRectification) == .ownTasks(account: cadre.userID!, jurisdiction: Tree.countyA.id))
        #expect(!policy.allows(cadre, .viewRectification, at: Tree.countyA.record), "ownership is decided in SQL, never by location")
    }

    @Test(arguments: [Role.disciplineReceiver, .organisationReceiver])
    func disciplineAndOrganisationSuperviseTheLedgersOfTheirCommitteesUnits(role: Role) {
        let receiver = account([role], in: Tree.countyA)

        #expect(policy.scope(receiver, .viewRectification) == .jurisdiction(Tree.countyA.id))
        #expect(policy.allowsAnywhere(receiver, .superviseRectification) && policy.allowsAnywhere(receiver, .reviewRectificationPlans))
        #expect(!policy.allowsAnywhere(receiver, .reviewTaskClosure) && !policy.allowsAnywhere(receiver, .draftRectificationPlans))
        #expect(!policy.allowsAnywhere(receiver, .viewFeedback) && !policy.allowsAnywhere(receiver, .viewFieldwork))
    }

    // MARK: - 整改评估、制度建设、回头看

    @Test func evaluationsAreGradedByTheOfficeAndTheLeadingGroupAndReadByTheReceiversOfTheirCommittee() {
        let office = account([.officeStaff], in: Tree.countyA)
        let leadingGroup = account([.leadingGroupMember], in: Tree.countyA)
        for actor in [office, leadingGroup] {
            #expect(policy.scope(actor, .gradeEvaluations) == .jurisdiction(Tree.countyA.id))
            #expect(policy.scope(actor, .viewFollowUps) == .jurisdiction(Tree.countyA.id))
        }
        #expect(policy.allowsAnywhere(office, .manageEvaluations))
        #expect(!policy.allowsAnywhere(leadingGroup, .manageEvaluations), "the office schedules and reviews; the leading group grades")
        for role in [Role.disciplineReceiver, .organisationReceiver] {
            let receiver = account([role], in: Tree.countyA)
            #expect(policy.scope(receiver, .viewEvaluations) == .jurisdiction(Tree.countyA.id))
            #expect(!policy.allows(receiver, .viewEvaluations, at: Tree.countyB.record))
            for permission in [Permission.gradeEvaluations, .manageEvaluations, .viewFollowUps, .viewRuleImprovements, .recordRuleImprovements] {
                #expect(!policy.allowsAnywhere(receiver, permission), "\(role) must not hold \(permission)")
            }
        }
        for role in [Role.groupLeader, .groupMember, .leadCustodian, .systemAdministrator] {
            let actor = account([role], in: Tree.countyA)
            for permission in [Permission.viewEvaluations, .viewRuleImprovements, .viewFollowUps, .gradeEvaluations] {
                #expect(!policy.allowsAnywhere(actor, permission), "\(role) must not hold \(permission)")
            }
        }
    }

    // MARK: - 巡察组

    @Test(arguments: [Role.groupLeader, .groupMember])
    func groupRolesReachOnlyTheirOwnAssignmentsAndNeitherRoundsNorPools(role: Role) {
        let actor = account([role], in: Tree.countyA)

        #expect(policy.scope(actor, .viewAssignments) == .ownAssignments(account: actor.userID!, jurisdiction: Tree.countyA.id))
        #expect(!policy.allows(actor, .viewAssignments, at: Tree.countyA.record), "membership is decided in SQL, never by location")
        for permission in [Permission.viewRounds, .manageRounds, .viewPools, .managePools, .viewNotices, .manageSettings] {
            #expect(!policy.allowsAnywhere(actor, permission), "\(role) must not hold \(permission)")
        }
        #expect(policy.allowsAnywhere(actor, .actAsInspector))
    }

    @Test func officeAndLeadingGroupSeeEveryAssignmentOfTheirOwnCommitteeOnly() {
        for role in [Role.officeStaff, .leadingGroupMember] {
            let actor = account([role], in: Tree.countyA)
            #expect(policy.scope(actor, .viewAssignments) == .jurisdiction(Tree.countyA.id))
            #expect(!policy.allows(actor, .viewAssignments, at: Tree.countyB.record))
        }
        #expect(policy.allowsAnywhere(account([.officeStaff], in: Tree.countyA), .manageSettings))
        #expect(!policy.allowsAnywhere(account([.leadingGroupMember], in: Tree.countyA), .manageSettings))
    }

    @Test(arguments: [Role.disciplineReceiver, .organisationReceiver, .systemAdministrator, .securityAdministrator, .auditAdministrator])
    func nobodyElseSeesAssignmentsOrNotices(role: Role) {
        let actor = account([role], in: Tree.city)
        #expect(!policy.allowsAnywhere(actor, .viewAssignments))
        #expect(!policy.allowsAnywhere(actor, .viewNotices))
        #expect(!policy.allowsAnywhere(actor, .actAsInspector))
    }

    @Test(arguments: [Role.disciplineReceiver, .organisationReceiver])
    func receiversSuperviseRectificationByReadingTheCommitteesReportsOnly(role: Role) {
        let actor = account([role], in: Tree.city)
        #expect(policy.scope(actor, .viewRectificationReports) == .jurisdiction(Tree.city.id))
        for permission in [Permission.writeRectificationReports, .reviewRectificationReports, .viewDisclosures, .prepareDisclosures, .approveDisclosures] {
            #expect(!policy.allowsAnywhere(actor, permission), "\(permission)")
        }
    }

    @Test(arguments: AccessPolicyTests.unitRoles)
    func unitRoleWithoutAUnitSeesNoUnit(role: Role) {
        let actor = account([role], in: Tree.countyA, unit: nil)

        #expect(policy.scope(actor, .viewUnits) == .nothing)
    }

    @Test(arguments: AccessPolicyTests.unitRoles)
    func unitRoleSeesOnlyItsOwnJurisdictionInTheTree(role: Role) {
        let actor = account([role], in: Tree.countyA, unit: Tree.unitA)

        #expect(policy.scope(actor, .viewJurisdictions) == .jurisdiction(Tree.countyA.id))
        #expect(!policy.allows(actor, .viewJurisdictions, at: Tree.townA.record))
        #expect(!policy.allows(actor, .viewJurisdictions, at: Tree.city.record))
    }

    // MARK: - 巡察办 and inspection roles

    @Test func officeStaffOfCountyASeeNothingOfCountyB() {
        let staff = account([.officeStaff], in: Tree.countyA)
        let countyBRecords = [Tree.countyB.record, Tree.countyB.record(of: Tree.unitB)]

        for permission in Permission.allCases {
            for record in countyBRecords {
                #expect(!policy.scope(staff, permission).contains(record), "\(permission) reaches into countyB")
                #expect(!policy.allows(staff, permission, at: record), "\(permission) reaches into countyB")
            }
        }
    }

    @Test func officeStaffReadsAndManagesEveryUnitOfOwnJurisdiction() {
        let staff = account([.officeStaff], in: Tree.countyA)

        for unit in [Tree.unitA, Tree.otherUnitA] {
            #expect(policy.allows(staff, .viewUnits, at: Tree.countyA.record(of: unit)))
            #expect(policy.allows(staff, .manageUnits, at: Tree.countyA.record(of: unit)))
        }
        #expect(policy.scope(staff, .manageUnits) == .jurisdiction(Tree.countyA.id))
    }

    @Test func officeStaffUnitScopeStopsAtOwnJurisdiction() {
        let cityStaff = account([.officeStaff], in: Tree.city)

        #expect(!policy.allows(cityStaff, .viewUnits, at: Tree.countyA.record(of: Tree.unitA)))
        #expect(!policy.allows(cityStaff, .manageUnits, at: Tree.countyA.record(of: Tree.unitA)))
    }

    @Test func officeStaffSeesTheJurisdictionSubtreeButManagesNoJurisdiction() {
        let staff = account([.officeStaff], in: Tree.countyA)

        #expect(policy.scope(staff, .viewJurisdictions) == .subtree(path: Tree.countyA.path))
        #expect(policy.allows(staff, .viewJurisdictions, at: Tree.townA.record))
        #expect(!policy.allows(staff, .viewJurisdictions, at: Tree.city.record))
        #expect(!policy.allowsAnywhere(staff, .manageJurisdictions))
    }

    @Test(arguments: AccessPolicyTests.inspectionRoles)
    func inspectionRoleSeesNoAccountsAndNoAuditLog(role: Role) {
        let actor = account([role], in: Tree.countyA)

        for permission in Self.accountPermissions + [.viewAuditLog, .viewUnitDirectory] {
            #expect(policy.scope(actor, permission) == .nothing, "\(role) holds \(permission)")
        }
    }

    @Test(arguments: AccessPolicyTests.inspectionRoles)
    func inspectionRoleReadsUnitsOfOwnJurisdictionOnly(role: Role) {
        let actor = account([role], in: Tree.countyA)

        #expect(policy.scope(actor, .viewUnits) == .jurisdiction(Tree.countyA.id))
        #expect(policy.allows(actor, .viewUnits, at: Tree.countyA.record(of: Tree.otherUnitA)))
        #expect(!policy.allows(actor, .viewUnits, at: Tree.townA.record(of: Tree.unitA)))
        #expect(!policy.allows(actor, .viewUnits, at: Tree.countyB.record(of: Tree.unitB)))
    }

    @Test(arguments: [Role.leadingGroupMember, .groupLeader, .groupMember, .disciplineReceiver, .organisationReceiver])
    func onlyOfficeStaffManagesUnits(role: Role) {
        let actor = account([role], in: Tree.countyA)

        #expect(policy.scope(actor, .manageUnits) == .nothing)
        #expect(policy.scope(actor, .manageJurisdictions) == .nothing)
    }

    @Test func leadingGroupSeesTheSubtreeWhileInspectionGroupsSeeOnlyTheirJurisdiction() {
        let leadingGroup = account([.leadingGroupMember], in: Tree.countyA)
        let groupLeader = account([.groupLeader], in: Tree.countyA)

        #expect(policy.allows(leadingGroup, .viewJurisdictions, at: Tree.townA.record))
        #expect(!policy.allows(groupLeader, .viewJurisdictions, at: Tree.townA.record))
        #expect(policy.allows(groupLeader, .viewJurisdictions, at: Tree.countyA.record))
    }

    @Test func ownJurisdictionRoleWithoutJurisdictionReachesNothing() {
        var staff = account([.officeStaff], in: Tree.countyA)
        staff.jurisdictionID = nil

        #expect(policy.scope(staff, .viewUnits) == .nothing)
        #expect(policy.scope(staff, .manageUnits) == .nothing)
    }

    /// Fail closed: an account whose jurisdiction path is unknown (empty) must not fall back to a
    /// subtree that matches every path, just as an unknown jurisdiction id reaches nothing.
    @Test func accountWithoutAJurisdictionPathReachesNoSubtree() {
        var admin = account([.systemAdministrator], in: Tree.countyA)
        admin.jurisdictionPath = ""

        #expect(policy.scope(admin, .manageUsers) == .nothing)
        #expect(!policy.allows(admin, .manageUsers, at: Tree.countyB.record))
    }

    // MARK: - 三员

    @Test func auditAdministratorReadsAuditLogAndManagesNothing() {
        let auditor = account([.auditAdministrator], in: Tree.city)

        for permission in Permission.allCases {
            let held = policy.allowsAnywhere(auditor, permission)
            switch permission {
            case .viewAuditLog, .viewJurisdictions:
                #expect(held, "the audit administrator needs \(permission)")
            default:
                #expect(!held, "the audit administrator must not hold \(permission)")
            }
        }
        #expect(policy.scope(auditor, .viewAuditLog) == .subtree(path: Tree.city.path))
    }

    @Test func systemAdministratorCannotReadBusinessRecords() {
        let admin = account([.systemAdministrator], in: Tree.city)

        #expect(policy.scope(admin, .viewUnits) == .nothing)
        #expect(policy.scope(admin, .manageUnits) == .nothing)
        #expect(policy.scope(admin, .viewAuditLog) == .nothing)
        #expect(!policy.allows(admin, .viewUnits, at: Tree.countyA.record(of: Tree.unitA)))
        let error = #expect(throws: DomainError.self) {
            try policy.requireVisible(admin, .viewUnits, at: Tree.countyA.record(of: Tree.unitA))
        }
        #expect(error?.code == "not_found")
    }

    @Test func systemAdministratorRunsAccountsAndJurisdictionsButGrantsNoRoles() {
        let admin = account([.systemAdministrator], in: Tree.city)

        #expect(permissionsHeld(by: admin) == [.viewJurisdictions, .manageJurisdictions, .viewUnitDirectory, .viewUsers, .manageUsers])
        #expect(policy.allows(admin, .manageUsers, at: Tree.townA.record))
    }

    @Test func securityAdministratorGrantsRolesAndUnlocksButOpensNoAccounts() {
        let security = account([.securityAdministrator], in: Tree.city)

        #expect(permissionsHeld(by: security) == [.viewJurisdictions, .viewUnitDirectory, .viewUsers, .grantRoles, .unlockUsers])
        #expect(!policy.allowsAnywhere(security, .viewUnits))
        #expect(!policy.allowsAnywhere(security, .viewAuditLog))
    }

    @Test(arguments: AccessPolicyTests.administratorRoles)
    func administratorOfCountyAReachesNothingOfCountyB(role: Role) {
        let admin = account([role], in: Tree.countyA)

        for permission in Permission.allCases {
            #expect(!policy.allows(admin, permission, at: Tree.countyB.record), "\(role) reaches countyB for \(permission)")
            #expect(!policy.allows(admin, permission, at: Tree.city.record), "\(role) reaches the parent for \(permission)")
        }
    }

    @Test(arguments: AccessPolicyTests.administratorRoles)
    func adminRolesAreGrantedOnlyAtConsole(role: Role) {
        let security = account([.securityAdministrator], in: Tree.city)
        let console = Actor.console("root")

        #expect(!policy.mayGrant(security, roles: [role]))
        #expect(!policy.mayGrant(security, roles: [role, .officeStaff]))
        #expect(policy.mayGrant(console, roles: [role]))
    }

    @Test func securityAdministratorMayGrantBusinessRoles() {
        let security = account([.securityAdministrator], in: Tree.city)
        let businessRoles = Set(Role.allCases.filter { !$0.isAdministrator })

        #expect(policy.mayGrant(security, roles: businessRoles))
    }

    // MARK: - Console, anonymous, several roles

    @Test func consoleOperatorReachesEverything() {
        let console = Actor.console("root")

        for permission in Permission.allCases {
            #expect(policy.reach(console, permission) == .everything)
            #expect(policy.scope(console, permission) == .everything)
            for place in Tree.all {
                #expect(policy.allows(console, permission, at: place.record(of: Tree.unitB)))
            }
        }
    }

    @Test func anonymousReachesNothing() {
        let anonymous = Actor.anonymous("somebody")

        for permission in Permission.allCases {
            #expect(policy.scope(anonymous, permission) == .nothing)
            for place in Tree.all {
                #expect(!policy.allows(anonymous, permission, at: place.record))
            }
            let error = #expect(throws: DomainError.self) { try policy.requireAnywhere(anonymous, permission) }
            #expect(error?.code == "forbidden")
        }
        #expect(!policy.mayGrant(anonymous, roles: [.auditAdministrator]))
    }

    @Test func accountWithoutRolesReachesNothing() {
        let nobody = account([], in: Tree.city)

        #expect(permissionsHeld(by: nobody).isEmpty)
    }

    @Test func widestRoleWins() {
        let member = account([.groupMember], in: Tree.countyA)
        let memberAndLeadingGroup = account([.groupMember, .leadingGroupMember], in: Tree.countyA)
        let leaderAndStaff = account([.groupLeader, .officeStaff], in: Tree.countyA)

        #expect(policy.reach(member, .viewJurisdictions) == .ownJurisdiction)
        #expect(policy.reach(memberAndLeadingGroup, .viewJurisdictions) == .subtree)
        #expect(policy.allows(memberAndLeadingGroup, .viewJurisdictions, at: Tree.townA.record))
        #expect(policy.scope(leaderAndStaff, .manageUnits) == .jurisdiction(Tree.countyA.id))
    }

    @Test func statisticsReachTheCommitteeTreeForTheOfficeTheGroupsAssignmentsAndTheUnitsOwnLedger() {
        for role in [Role.officeStaff, .leadingGroupMember] {
            #expect(policy.scope(account([role], in: Tree.countyA), .viewStatistics) == .subtree(path: Tree.countyA.path), "\(role) may roll up the committees below")
        }
        for role in [Role.groupLeader, .groupMember] {
            let actor = account([role], in: Tree.countyA)
            #expect(policy.scope(actor, .viewStatistics) == .ownAssignments(account: actor.userID!, jurisdiction: Tree.countyA.id))
        }
        for role in AccessPolicyTests.unitRoles {
            #expect(policy.scope(account([role], in: Tree.countyA, unit: Tree.unitA), .viewStatistics) == .unit(jurisdiction: Tree.countyA.id, unit: Tree.unitA))
        }
        for role in AccessPolicyTests.administratorRoles + [.leadCustodian, .disciplineReceiver, .organisationReceiver, .taskOwner] {
            #expect(!policy.allowsAnywhere(account([role], in: Tree.countyA, unit: role.isUnitRole ? Tree.unitA : nil), .viewStatistics), "\(role) sees no statistics")
        }
    }

    @Test func unitHeadAndContactTogetherStillSeeOnlyOwnUnit() {
        let both = account([.unitHead, .unitContact], in: Tree.countyA, unit: Tree.unitA)

        #expect(policy.reach(both, .viewUnits) == .ownUnit)
        #expect(!policy.allows(both, .viewUnits, at: Tree.countyA.record(of: Tree.otherUnitA)))
    }

    // MARK: - Denials

    @Test func deniedSingleReadAnswersNotFoundNotForbidden() {
        let staff = account([.officeStaff], in: Tree.countyA)

        let error = #expect(throws: DomainError.self) {
            try policy.requireVisible(staff, .viewUnits, at: Tree.countyB.record(of: Tree.unitB))
        }

        #expect(error == DomainError.notFound)
        #expect(error?.kind == .notFound)
    }

    @Test func anAllowedSingleReadPassesWhileTheSameReadOneStepAwayIsRefused() {
        let staff = account([.officeStaff], in: Tree.countyA)
        let ownUnit = Tree.countyA.record(of: Tree.unitA)
        let townUnit = Tree.townA.record(of: Tree.unitA)
        let member = account([.groupMember], in: Tree.countyA)

        #expect(throws: Never.self) { try policy.requireVisible(staff, .viewUnits, at: ownUnit) }
        #expect(throws: Never.self) { try policy.requireAnywhere(staff, .manageUnits) }
        #expect(policy.scope(staff, .viewUnits) == .jurisdiction(Tree.countyA.id))
        #expect(policy.scope(staff, .manageUnits) == .jurisdiction(Tree.countyA.id))
        #expect(throws: DomainError.notFound) { try policy.requireVisible(staff, .viewUnits, at: townUnit) }
        #expect(throws: DomainError.forbidden) { try policy.requireAnywhere(member, .manageUnits) }
    }

    // MARK: - Scope

    @Test func subtreeScopeIncludesDescendantsButNotSiblingsOrTheParent() {
        let scope = Scope.subtree(path: Tree.countyA.path)

        #expect(scope.contains(Tree.countyA.record))
        #expect(scope.contains(Tree.townA.record))
        #expect(scope.contains(Tree.townA.record(of: Tree.unitA)))
        #expect(!scope.contains(Tree.countyB.record))
        #expect(!scope.contains(Tree.city.record))
    }

    @Test func jurisdictionScopeIncludesEveryUnitOfThatJurisdictionOnly() {
        let scope = Scope.jurisdiction(Tree.countyA.id)

        #expect(scope.contains(Tree.countyA.record))
        #expect(scope.contains(Tree.countyA.record(of: Tree.otherUnitA)))
        #expect(!scope.contains(Tree.townA.record))
        #expect(!scope.contains(Tree.city.record))
    }

    @Test func unitScopeNeedsBothTheJurisdictionAndTheUnit() {
        let scope = Scope.unit(jurisdiction: Tree.countyA.id, unit: Tree.unitA)

        #expect(scope.contains(Tree.countyA.record(of: Tree.unitA)))
        #expect(!scope.contains(Tree.countyB.record(of: Tree.unitA)))
        #expect(!scope.contains(Tree.countyA.record))
    }

    @Test func nothingContainsNothingAndEverythingContainsEverything() {
        for place in Tree.all {
            #expect(!Scope.nothing.contains(place.record(of: Tree.unitA)))
            #expect(Scope.everything.contains(place.record(of: Tree.unitA)))
        }
        #expect(Scope.nothing.isNothing)
        #expect(!Scope.everything.isNothing)
    }

    @Test func reachIsOrderedFromNothingToEverything() {
        #expect(Reach.allCases == Reach.allCases.sorted())
        #expect(Reach.allCases.first == .nothing)
        #expect(Reach.allCases.last == .everything)
    }
}

/// The materialised jurisdiction path that subtree scopes match on.
@Suite("党委树 Jurisdiction path")
struct JurisdictionPathTests {
    @Test func rootPathIsItsIdBetweenSlashes() {
        let id = UUID(uuidString: "0198A000-0000-7000-8000-000000000001")!

        #expect(Jurisdiction.path(for: id, under: nil) == "/0198a000-0000-7000-8000-000000000001/")
    }

    @Test func childPathExtendsTheParentPath() {
        #expect(Tree.townA.path == Tree.countyA.path + Tree.townA.id.text + "/")
        #expect(Tree.townA.path.hasPrefix(Tree.city.path))
    }

    @Test func jurisdictionContainsItselfAndDescendantsOnly() {
        let countyA = Jurisdiction(
            id: Tree.countyA.id, parentID: Tree.city.id, path: Tree.countyA.path, name: "甲县", level: .county,
            createdAt: Date(epochMilliseconds: 0), updatedAt: Date(epochMilliseconds: 0), version: 1)

        #expect(countyA.contains(path: Tree.countyA.path))
        #expect(countyA.contains(path: Tree.townA.path))
        #expect(!countyA.contains(path: Tree.countyB.path))
        #expect(!countyA.contains(path: Tree.city.path))
    }
}

/// Who is acting.
@Suite("操作人 Actor")
struct ActorTests {
    @Test func accountActorCarriesTheUsersPlaceAndRoles() {
        let user = User(
            id: Tree.unitA, jurisdictionID: Tree.countyA.id, username: "lisi", displayName: "李四", roles: [.unitContact],
            unitID: Tree.otherUnitA, mustChangePassword: false, failedSignIns: 0, lockedUntil: nil, disabled: false,
            createdAt: Date(epochMilliseconds: 0), updatedAt: Date(epochMilliseconds: 0), version: 1)

        let actor = Actor.account(user, jurisdictionPath: Tree.countyA.path)

        #expect(actor.userID == user.id)
        #expect(actor.name == "lisi")
        #expect(actor.jurisdictionID == Tree.countyA.id)
        #expect(actor.roles == [.unitContact])
        #expect(actor.unitID == Tree.otherUnitA)
    }

    @Test func consoleAndAnonymousAreNoAccount() {
        #expect(Actor.console("root").userID == nil)
        #expect(Actor.anonymous("zhangsan").userID == nil)
        #expect(Actor.console("root").name == "console:root")
    }

    @Test func onlyRootJurisdictionAndConsoleAreAtRoot() {
        #expect(account([.auditAdministrator], in: Tree.city).isAtRoot)
        #expect(Actor.console("root").isAtRoot)
        #expect(!account([.auditAdministrator], in: Tree.countyA).isAtRoot)
        #expect(!account([.auditAdministrator], in: Tree.townA).isAtRoot)
    }
}
