import Foundation
import Testing
import XunchaCore

@Suite("轮次与批次 Round and Batch")
struct RoundTests {
    static let round = Round(
        id: UUID(), jurisdictionID: UUID(), term: "十五届", sequence: 3, kind: .routine, theme: nil,
        plannedStart: CalendarDay(year: 2026, month: 3, day: 1), plannedEnd: CalendarDay(year: 2026, month: 6, day: 30),
        status: .draft, maxUnitsPerGroup: 3, createdAt: Date(), updatedAt: Date(), version: 1)

    @Test func aValidRoundDraftTakesTheJurisdictionsDefaultOneToN() throws {
        let draft = try RoundDraft.validate(
            term: "十五届", sequence: 3, kind: "常规巡察", theme: "聚焦乡村振兴", plannedStart: "2026-03-01", plannedEnd: "2026-06-30",
            maxUnitsPerGroup: nil, defaultMaxUnitsPerGroup: 3)
        #expect(draft.kind == .routine)
        #expect(draft.maxUnitsPerGroup == 3)
    }

    @Test func impossibleDatesAndReversedRangesAreRefused() {
        let impossible = #expect(throws: DomainError.self) {
            try RoundDraft.validate(term: "十五届", sequence: 1, kind: "routine", theme: nil, plannedStart: "2026-02-30", plannedEnd: "2026-03-01", maxUnitsPerGroup: nil, defaultMaxUnitsPerGroup: 3)
        }
        #expect(impossible?.code == "invalid_date")
        #expect(impossible?.field == "planned_start")
        let reversed = #expect(throws: DomainError.self) {
            try RoundDraft.validate(term: "十五届", sequence: 1, kind: "routine", theme: nil, plannedStart: "2026-05-01", plannedEnd: "2026-03-01", maxUnitsPerGroup: nil, defaultMaxUnitsPerGroup: 3)
        }
        #expect(reversed?.code == "date_range")
        let unknownKind = #expect(throws: DomainError.self) {
            try RoundDraft.validate(term: "十五届", sequence: 1, kind: "突击", theme: nil, plannedStart: "2026-03-01", plannedEnd: "2026-03-02", maxUnitsPerGroup: nil, defaultMaxUnitsPerGroup: 3)
        }
        #expect(unknownKind?.code == "unknown_round_kind")
        let tooMany = #expect(throws: DomainError.self) {
            try RoundDraft.validate(term: "十五届", sequence: 1, kind: "routine", theme: nil, plannedStart: "2026-03-01", plannedEnd: "2026-03-02", maxUnitsPerGroup: 9, defaultMaxUnitsPerGroup: 3)
        }
        #expect(tooMany?.code == "invalid_units_per_group")
    }

    @Test func leapDaysAreRealDates() throws {
        #expect(try CalendarDay(text: "2028-02-29", field: "d", label: "日期") == CalendarDay(year: 2028, month: 2, day: 29))
        #expect(throws: DomainError.self) { try CalendarDay(text: "2027-02-29", field: "d", label: "日期") }
        #expect(throws: DomainError.self) { try CalendarDay(text: "2027-2-1", field: "d", label: "日期") }
    }

    @Test func batchDatesMustLieInsideTheRound() throws {
        let (entry, exit) = try Batch.validateDates(entry: "2026-03-10", exit: "2026-04-10", within: Self.round)
        #expect(entry < exit)
        let early = #expect(throws: DomainError.self) { try Batch.validateDates(entry: "2026-02-20", exit: "2026-04-10", within: Self.round) }
        #expect(early?.code == "batch_outside_round")
        #expect(early?.field == "entry_date")
        let late = #expect(throws: DomainError.self) { try Batch.validateDates(entry: "2026-06-01", exit: "2026-07-10", within: Self.round) }
        #expect(late?.field == "exit_date")
    }
}

@Suite("轮次流转 RoundLifecycle")
struct RoundLifecycleTests {
    let office = Actor(kind: .account(UUID()), name: "office", jurisdictionID: UUID(), jurisdictionPath: "/a/", roles: [.officeStaff], unitID: nil)
    let leadingGroup = Actor(kind: .account(UUID()), name: "lg", jurisdictionID: UUID(), jurisdictionPath: "/a/", roles: [.leadingGroupMember], unitID: nil)

    func round(_ status: RoundStatus) -> Round {
        let day = CalendarDay(year: 2026, month: 3, day: 1)
        return Round(
            id: UUID(), jurisdictionID: UUID(), term: "十五届", sequence: 1, kind: .routine, theme: nil, plannedStart: day, plannedEnd: day, status: status,
            maxUnitsPerGroup: 3, createdAt: Date(), updatedAt: Date(), version: 1)
    }

    func apply(_ step: RoundStep, to status: RoundStatus, by actor: Actor, note: String?) throws(DomainError) -> RoundStatus {
        try RoundLifecycle.decide(
            step, on: round(status), standing: RoundStanding(actor: actor), input: StepNote(note), context: StepContext(actorName: actor.name, at: Date())
        ).record.status
    }

    @Test func aRoundClimbsFromDraftToOnSiteWithEachStepTakenByItsOwner() throws {
        var status = RoundStatus.draft
        status = try apply(.submitForReview, to: status, by: office, note: nil)
        status = try apply(.approveByLeadingGroup, to: status, by: leadingGroup, note: nil)
        status = try apply(.recordCommitteeApproval, to: status, by: office, note: "江委〔2026〕12号")
        status = try apply(.startPreparing, to: status, by: office, note: nil)
        status = try apply(.mobilise, to: status, by: office, note: nil)
        status = try apply(.enter, to: status, by: office, note: nil)
        #expect(status == .onSite)
    }

    @Test func theOfficeCannotApproveItsOwnPlan() {
        let error = #expect(throws: DomainError.self) { try apply(.approveByLeadingGroup, to: .underReview, by: office, note: nil) }
        #expect(error?.code == "step_not_allowed")
    }

    @Test func stepsOutOfOrderAreRefused() {
        let error = #expect(throws: DomainError.self) { try apply(.mobilise, to: .draft, by: office, note: nil) }
        #expect(error?.code == "invalid_transition")
    }

    @Test func aReturnNeedsReasonsAndAnApprovalItsDocumentNumber() {
        let noReasons = #expect(throws: DomainError.self) { try apply(.returnForRevision, to: .underReview, by: leadingGroup, note: "  ") }
        #expect(noReasons?.field == "note")
        let noNumber = #expect(throws: DomainError.self) { try apply(.recordCommitteeApproval, to: .submitted, by: office, note: nil) }
        #expect(noNumber?.field == "note")
    }

    @Test func eachActorIsOfferedOnlyItsOwnSteps() {
        #expect(RoundLifecycle.available(on: round(.underReview), standing: RoundStanding(actor: office)).isEmpty)
        #expect(RoundLifecycle.available(on: round(.underReview), standing: RoundStanding(actor: leadingGroup)) == [.approveByLeadingGroup, .returnForRevision])
    }
}

/// Builders for pool tests.
enum Pool {
    static func inspector(
        _ name: String, _ category: DepartmentCategory, leader: LeaderRank? = nil, home: UnitRef? = nil, worked: [(UnitRef, Int, Int?)] = [],
        relatives: [UnitRef] = [], available: Bool = true
    ) -> Inspector {
        Inspector(
            id: UUID(), jurisdictionID: UUID(), name: name, homeUnitID: home?.id, homeUnitName: home?.name ?? "市直机关", post: nil, category: category,
            rank: leader, inLeaderPool: leader != nil, inTalentPool: leader == nil, skills: [], available: available,
            workHistory: worked.map { WorkRecord(unitID: $0.0.id, unitName: $0.0.name, fromYear: $0.1, toYear: $0.2) },
            relations: relatives.map { FamilyRelation(unitID: $0.id, unitName: $0.name, relation: "配偶", personName: "某某") },
            training: nil, evaluation: nil, createdAt: Date(), updatedAt: Date(), version: 1)
    }
}

@Suite("回避 ConflictRules")
struct ConflictTests {
    let finance = UnitRef(id: UUID(), name: "市财政局")
    let rules = ConflictRules(recentWorkYears: 3)

    @Test func byDefaultAFormerPostInTheUnitIsFlaggedHoweverLongAgo() throws {
        let longAgo = Pool.inspector("丙", .audit, worked: [(finance, 1998, 2005)])
        #expect(ConflictRules().conflicts(longAgo, finance, year: 2026, previous: .init(), declarations: []).map(\.kind) == [.recentWork])
        #expect(JurisdictionSettings.defaults.conflictRules == ConflictRules(recentWorkYears: ConflictRules.anyTime))
        #expect(try JurisdictionSettings.defaults.changed(maxUnitsPerGroup: nil, recentWorkYears: 3).conflictRules.recentWorkYears == 3)
        #expect(throws: DomainError.self) { try JurisdictionSettings.defaults.changed(maxUnitsPerGroup: nil, recentWorkYears: -1) }
    }

    @Test func ranksReachDownToTheClerkAndUnitTypesNameMassOrganisations() {
        #expect(LeaderRank(code: "副科级") == .deputySectionChief)
        #expect(LeaderRank(code: "科员") == .clerk)
        #expect(LeaderRank.sectionChief < .deputySectionChief && LeaderRank.deputySectionChief < .clerk, "most senior first")
        #expect(UnitType(code: "群团组织") == .massOrganisation)
        #expect(UnitType(code: "乡镇（街道）") != UnitType(code: "村（社区）"), "乡镇、街道 and 村、社区 are kinds apart")
    }

    @Test func eachKindOfConflictIsFoundAndExplained() {
        let home = Pool.inspector("甲", .audit, home: finance)
        #expect(rules.conflicts(home, finance, year: 2026, previous: .init(), declarations: []).map(\.kind) == [.homeUnit])
        let recent = Pool.inspector("乙", .audit, worked: [(finance, 2018, 2024)])
        #expect(rules.conflicts(recent, finance, year: 2026, previous: .init(), declarations: []).map(\.kind) == [.recentWork])
        let longAgo = Pool.inspector("丙", .audit, worked: [(finance, 2010, 2020)])
        #expect(rules.conflicts(longAgo, finance, year: 2026, previous: .init(), declarations: []).isEmpty)
        let relative = Pool.inspector("丁", .audit, relatives: [finance])
        let found = rules.conflicts(relative, finance, year: 2026, previous: .init(), declarations: [])
        #expect(found.map(\.kind) == [.familyRelation])
        #expect(found.first?.detail.contains("配偶") == true)
        let previous = Pool.inspector("戊", .discipline)
        let pairings = PreviousPairings(byUnit: [finance.id: [previous.id: true]])
        #expect(rules.conflicts(previous, finance, year: 2026, previous: pairings, declarations: []).map(\.kind) == [.previousRound])
        let declared = Pool.inspector("己", .discipline)
        let declaration = ConflictDeclaration(inspectorID: declared.id, unitID: finance.id, kind: .unitRequest, reason: "单位申请回避")
        #expect(rules.conflicts(declared, finance, year: 2026, previous: .init(), declarations: [declaration]).map(\.kind) == [.unitRequest])
    }
}

@Suite("组建建议 TeamProposer")
struct TeamProposalTests {
    static let units = (1...7).map { UnitRef(id: UUID(), name: "单位\($0)") }

    static func pool() -> [Inspector] {
        var pool = (1...4).map { Pool.inspector("组长\($0)", .organisation, leader: $0 == 1 ? .divisionChief : .deputyDivisionChief) }
        pool += (1...4).map { Pool.inspector("纪检\($0)", .discipline) }
        pool += (1...4).map { Pool.inspector("审计\($0)", .audit) }
        pool += (1...8).map { Pool.inspector("组织\($0)", .organisation) }
        return pool
    }

    @Test func everyUnitIsCoveredWithinOneToNAndEveryGroupIsBalanced() {
        let proposal = TeamProposer(maxUnitsPerGroup: 3, membersPerGroup: 4).propose(units: Self.units, pool: Self.pool(), year: 2026, previous: .init(), declarations: [])
        #expect(proposal.groups.count == 3)
        #expect(Set(proposal.groups.flatMap(\.units)) == Set(Self.units))
        #expect(proposal.groups.allSatisfy { $0.units.count <= 3 })
        for group in proposal.groups {
            #expect(group.leader != nil)
            #expect(group.shortfalls.isEmpty, "\(group.shortfalls)")
            #expect(group.members.count == 4)
        }
        let everyone = proposal.groups.flatMap { [$0.leader!] + $0.members }
        #expect(Set(everyone).count == everyone.count, "nobody serves twice in one batch")
    }

    @Test func aPlantedConflictIsSteeredAroundAndExplained() {
        var pool = Self.pool()
        // The senior leader works at unit 1: he must not lead the group that inspects it.
        pool[0].homeUnitID = Self.units[0].id
        pool[0].homeUnitName = Self.units[0].name
        let proposal = TeamProposer(maxUnitsPerGroup: 3).propose(units: Self.units, pool: pool, year: 2026, previous: .init(), declarations: [])
        let groupWithUnit1 = proposal.groups.first { $0.units.contains(Self.units[0]) }!
        #expect(groupWithUnit1.leader != pool[0].id)
        #expect(proposal.avoided > 0)
        #expect(groupWithUnit1.reasons.first?.contains("无回避情形") == true)
    }

    @Test func lastRoundsLeaderIsNotSentBackToTheSameUnit() {
        let pool = Self.pool()
        let previous = PreviousPairings(byUnit: [Self.units[0].id: [pool[0].id: true]])
        let proposal = TeamProposer().propose(units: Self.units, pool: pool, year: 2026, previous: previous, declarations: [])
        let group = proposal.groups.first { $0.units.contains(Self.units[0]) }!
        #expect(group.leader != pool[0].id)
        #expect(group.members.contains(pool[0].id) == false)
    }

    @Test func whatCannotBeSatisfiedIsSaidNotHidden() {
        let thin = [Pool.inspector("组长", .organisation, leader: .divisionChief), Pool.inspector("组织", .organisation)]
        let proposal = TeamProposer(maxUnitsPerGroup: 3, membersPerGroup: 4).propose(units: Array(Self.units.prefix(5)), pool: thin, year: 2026, previous: .init(), declarations: [])
        #expect(proposal.groups.count == 2)
        #expect(proposal.groups[1].leader == nil)
        #expect(proposal.groups[1].shortfalls.contains { $0.contains("组长库") })
        #expect(proposal.groups[0].shortfalls.contains { $0.contains("纪检") })
        #expect(proposal.groups[0].shortfalls.contains { $0.contains("审计或财务") })
    }

    @Test func unavailableAndAlreadyServingPeopleAreNotProposed() {
        var pool = Self.pool()
        pool[0].available = false
        let serving: Set<UUID> = [pool[1].id]
        let proposal = TeamProposer().propose(units: Self.units, pool: pool, year: 2026, previous: .init(), declarations: [], alreadyServing: serving)
        let chosen = Set(proposal.groups.flatMap { [$0.leader].compactMap { $0 } + $0.members })
        #expect(!chosen.contains(pool[0].id))
        #expect(!chosen.contains(pool[1].id))
    }

    @Test func aHundredUnitsAndThreeThousandCadresAnswerQuickly() {
        let units = (1...100).map { UnitRef(id: UUID(), name: "乡镇\($0)") }
        var pool: [Inspector] = (1...300).map { Pool.inspector("组长\($0)", .organisation, leader: .divisionChief, worked: [(units[$0 % 100], 2024, nil)]) }
        let categories = DepartmentCategory.allCases
        pool += (1...2700).map { Pool.inspector("干部\($0)", categories[$0 % categories.count], home: units[$0 % 100]) }
        let started = Date()
        let proposal = TeamProposer(maxUnitsPerGroup: 3).propose(units: units, pool: pool, year: 2026, previous: .init(), declarations: [])
        #expect(Date().timeIntervalSince(started) < 5, "generous bound for a debug build on a busy machine")
        #expect(proposal.groups.count == 34)
        #expect(proposal.groups.allSatisfy { $0.shortfalls.isEmpty })
    }
}

@Suite("入库 InspectorDraft")
struct InspectorDraftTests {
    @Test func theLeaderPoolNeedsARankAndEveryEntryAPool() {
        let noRank = #expect(throws: DomainError.self) {
            try InspectorDraft(name: "甲", homeUnitName: "某局", category: .organisation, inLeaderPool: true, inTalentPool: false).validated(currentYear: 2026)
        }
        #expect(noRank?.code == "rank_required")
        let noPool = #expect(throws: DomainError.self) {
            try InspectorDraft(name: "甲", homeUnitName: "某局", category: .organisation, inLeaderPool: false, inTalentPool: false).validated(currentYear: 2026)
        }
        #expect(noPool?.code == "pool_required")
    }

    @Test func implausibleWorkYearsAreRefused() {
        let future = #expect(throws: DomainError.self) {
            try InspectorDraft(
                name: "甲", homeUnitName: "某局", category: .audit, inLeaderPool: false, inTalentPool: true,
                workHistory: [WorkRecord(unitID: nil, unitName: "市财政局", fromYear: 2024, toYear: 2020)]
            ).validated(currentYear: 2026)
        }
        #expect(future?.code == "invalid_years")
    }

    @Test func aRosterNamesEveryBadRowAndColumn() {
        let csv = "姓名,工作单位,部门类别,职级,入库类别,可抽调\n甲,某局,魔法,,人才库,是\n乙,某局,审计,,人才库,也许\n丙,某局,组织,,组长库,是\n"
        let error = #expect(throws: DomainError.self) { _ = try InspectorImportPlan.plan(try CSVTable.parse(Data(csv.utf8)), currentYear: 2026) }
        #expect(error?.code == "import_rejected")
        #expect(error?.message.contains("第2行“部门类别”列") == true)
        #expect(error?.message.contains("第3行“可抽调”列") == true)
        #expect(error?.message.contains("第4行“职级”列") == true)
    }
}

@Suite("常设巡察组 StandingGroup")
struct StandingGroupTests {
    @Test func groupsListInTheOrderOfTheirNumbers() {
        #expect(["第一巡察组", "第十巡察组", "第二十三巡察组", "第十二巡察组", "第3巡察组", "第二巡察组"].map(StandingGroup.ordinal(of:)) == [1, 10, 23, 12, 3, 2])
        #expect(StandingGroup.ordinal(of: "专项巡察组") == nil)
        #expect(StandingGroup.ordinal(of: "第一百零五巡察组") == 105)
        let names = ["专项巡察组", "第十巡察组", "第二巡察组", "第一巡察组", "机动巡察组", "第三巡察组"]
        #expect(names.sorted(by: StandingGroup.precedes) == ["第一巡察组", "第二巡察组", "第三巡察组", "第十巡察组", "专项巡察组", "机动巡察组"])
    }
}
