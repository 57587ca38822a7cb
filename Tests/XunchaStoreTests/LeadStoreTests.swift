import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 问题线索: from the group to the leading group, the custodian, the receiving body and back.
@Suite("问题线索 store")
struct LeadStoreTests {
    @Test(arguments: TestEngine.available)
    func aLeadTravelsFromTheGroupToItsReceiverAndIsClosedEachStepByItsOwner(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            var lead = try await store.registerLead(in: s.finance.id, details: Scenario.leadDetails(), origin: s.member)
            #expect(lead.number == "〔2026〕江城市委巡察线索第001号")
            #expect(lead.status == .registered)
            let byMember = await #expect(throws: DomainError.self) {
                _ = try await store.take(LeadStep.screen, on: lead.id, input: LeadStepInput(note: "可查"), version: lead.version, origin: s.member)
            }
            #expect(byMember?.code == "step_not_allowed")
            let unstudied = await #expect(throws: DomainError.self) {
                _ = try await store.take(LeadStep.screen, on: lead.id, input: LeadStepInput(), version: lead.version, origin: s.leader)
            }
            #expect(unstudied?.code == "required")
            lead = try await store.take(LeadStep.screen, on: lead.id, input: LeadStepInput(note: "组务会研判：具体可查"), version: lead.version, origin: s.leader)
            lead = try await store.take(LeadStep.propose, on: lead.id, input: LeadStepInput(note: "涉嫌违纪，建议移交"), version: lead.version, origin: s.leader)
            #expect(lead.receiver == .discipline, "the subject suggests the discipline commission")
            let early = await #expect(throws: DomainError.self) {
                _ = try await store.take(LeadStep.transfer, on: lead.id, input: LeadStepInput(transferSheet: "江巡移〔2026〕1号"), version: lead.version, origin: s.f.origin(.leadCustodian))
            }
            #expect(early?.code == "invalid_transition", "no transfer without the leading group's approval")
            #expect(try await store.leads(LeadQuery(), origin: s.f.origin(.disciplineReceiver)).items.isEmpty, "nothing reaches the receiver before transfer")
            lead = try await store.take(LeadStep.approve, on: lead.id, input: LeadStepInput(), version: lead.version, origin: s.f.origin(.leadingGroupMember))
            let noSheet = await #expect(throws: DomainError.self) {
                _ = try await store.take(LeadStep.transfer, on: lead.id, input: LeadStepInput(), version: lead.version, origin: s.f.origin(.leadCustodian))
            }
            #expect(noSheet?.code == "required")
            lead = try await store.take(LeadStep.transfer, on: lead.id, input: LeadStepInput(transferSheet: "江巡移〔2026〕1号"), version: lead.version, origin: s.f.origin(.leadCustodian))
            #expect(lead.status == .transferred)
            #expect(lead.feedbackDue == LeadLifecycle.feedbackDue(transferredOn: CalendarDay(store.clock.now()), months: 3))
            let again = await #expect(throws: DomainError.self) {
                _ = try await store.take(LeadStep.transfer, on: lead.id, input: LeadStepInput(transferSheet: "江巡移〔2026〕2号"), version: lead.version, origin: s.f.origin(.leadCustodian))
            }
            #expect(again?.code == "invalid_transition", "a lead is transferred once")

            #expect(try await store.leads(LeadQuery(), origin: s.f.origin(.organisationReceiver)).items.isEmpty, "the organisation department sees what was sent to it only")
            await #expect(throws: DomainError.notFound) {
                _ = try await store.take(LeadStep.receive, on: lead.id, input: LeadStepInput(), version: lead.version, origin: s.f.origin(.organisationReceiver))
            }
            let receiver = s.f.origin(.disciplineReceiver)
            #expect(try await store.leads(LeadQuery(), origin: receiver).items.map(\.id) == [lead.id])
            lead = try await store.take(LeadStep.receive, on: lead.id, input: LeadStepInput(), version: lead.version, origin: receiver)
            let badForm = await #expect(throws: DomainError.self) {
                _ = try await store.take(
                    LeadStep.answer, on: lead.id,
                    input: LeadStepInput(disposition: LeadDisposition(method: .caseFiled, form: 5, peopleCount: 1, sanctions: nil, judicialTransfer: false, result: "立案")),
                    version: lead.version, origin: receiver)
            }
            #expect(badForm?.code == "invalid_form")
            lead = try await store.take(
                LeadStep.answer, on: lead.id,
                input: LeadStepInput(
                    disposition: LeadDisposition(method: .caseFiled, form: 3, peopleCount: 1, sanctions: "撤销党内职务", judicialTransfer: false, result: "经审查，给予撤销党内职务处分。")),
                version: lead.version, origin: receiver)
            #expect(lead.disposition?.method == .caseFiled)
            await #expect(throws: DomainError.self, "the receiver does not close") {
                _ = try await store.take(LeadStep.close, on: lead.id, input: LeadStepInput(), version: lead.version, origin: receiver)
            }
            lead = try await store.take(LeadStep.close, on: lead.id, input: LeadStepInput(), version: lead.version, origin: s.f.origin(.leadCustodian))
            #expect(lead.status == .closed)
            #expect(try await store.history(LeadLifecycle.self, of: lead.id, for: s.f.actor(.leadCustodian)).map(\.step.rawValue) == ["screen", "propose", "approve", "transfer", "receive", "answer", "close"])
        }
    }

    @Test(arguments: TestEngine.available)
    func leadsAreSeenOnlyByTheGroupTheCustodiansTheLeadingGroupAndTheirReceiverAndEveryReadIsLogged(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let lead = try await Scenario.transfer(try await store.registerLead(in: s.finance.id, details: Scenario.leadDetails(), origin: s.member), store, s.f)
            let readers: Set<Role> = [.leadCustodian, .leadingGroupMember, .groupLeader, .groupMember, .disciplineReceiver]
            for role in Role.allCases {
                if readers.contains(role) {
                    #expect(try await store.lead(lead.id, origin: s.f.origin(role)).number == lead.number, "\(role)")
                } else {
                    await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.lead(lead.id, origin: s.f.origin(role)) }
                    if role != .organisationReceiver {
                        await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.leads(LeadQuery(), origin: s.f.origin(role)) }
                    }
                }
            }
            let log = try await store.auditEntries(AuditQuery(action: AuditAction.leadViewed.rawValue), origin: s.f.origin(.auditAdministrator))
            let readersLogged = Set(log.items.map(\.actorName))
            for role in readers { #expect(readersLogged.contains(s.f.users[role]!.username), "\(role)'s read is logged") }
            try await store.declareOwnConflict(unit: s.planned.units[0].id, reason: "配偶在该局工作", origin: s.member)
            await #expect(throws: DomainError.notFound, "a recused member loses the unit's leads") { _ = try await store.lead(lead.id, origin: s.member) }
        }
    }

    @Test(arguments: TestEngine.available)
    func overdueFeedbackIsFlaggedUntilTheReceiverAnswers(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStore(engine, clock: clock) { store in
            let s = try await Scenario.onSite(store)
            var lead = try await Scenario.transfer(try await store.registerLead(in: s.finance.id, details: Scenario.leadDetails(), origin: s.member), store, s.f)
            let custodian = s.f.origin(.leadCustodian)
            #expect(try await store.leads(LeadQuery(overdueOnly: true), origin: custodian).items.isEmpty)
            clock.advance(by: 95 * 86_400)
            #expect(try await store.leads(LeadQuery(overdueOnly: true), origin: custodian).items.map(\.id) == [lead.id])
            #expect(lead.isOverdue(today: CalendarDay(clock.now())))
            lead = try await store.take(
                LeadStep.answer, on: lead.id,
                input: LeadStepInput(disposition: LeadDisposition(method: .talkOrLetter, form: 1, peopleCount: 1, sanctions: nil, judicialTransfer: false, result: "已谈话函询，予以了结。")),
                version: lead.version, origin: s.f.origin(.disciplineReceiver))
            #expect(try await store.leads(LeadQuery(overdueOnly: true), origin: custodian).items.isEmpty)

            // As of a day after the due day and before the answer, it was overdue; before its due day, not.
            let due = try #require(lead.feedbackDue)
            #expect(try await store.leads(LeadQuery(overdueOnly: true, asOf: due.adding(days: 1)), origin: custodian).items.map(\.id) == [lead.id])
            #expect(try await store.leads(LeadQuery(overdueOnly: true, asOf: due), origin: custodian).items.isEmpty)
            #expect(lead.isOverdue(today: due.adding(days: 1)) && !lead.isOverdue(today: CalendarDay(clock.now())))
        }
    }

    @Test(arguments: TestEngine.available)
    func triagingAPaperAsALeadRegistersItAndApprovalLocksTheDisposition(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            var paper = try await s.atFinance.approvedPaper(store)
            let bare = await #expect(throws: DomainError.self) { _ = try await store.triage(paper.id, as: .lead, note: nil, version: paper.version, origin: s.leader) }
            #expect(bare?.code == "lead_details_required")
            var details = Scenario.leadDetails("王某")
            details.content = ""
            paper = try await store.triage(paper.id, as: .lead, note: nil, lead: details, version: paper.version, origin: s.leader)
            var leads = try await store.leads(LeadQuery(), origin: s.leader).items
            #expect(leads.count == 1)
            #expect(leads.first?.findingID == paper.id)
            #expect(leads.first?.details.source == .finding)
            #expect(leads.first?.details.content == paper.content.manifestation, "the paper's text stands in for an empty lead text")

            paper = try await store.triage(paper.id, as: .deadline, note: nil, version: paper.version, origin: s.leader)
            #expect(try await store.lead(leads[0].id, origin: s.leader).status == .withdrawn)
            paper = try await store.triage(paper.id, as: .lead, note: nil, lead: Scenario.leadDetails("王某"), version: paper.version, origin: s.leader)
            leads = try await store.leads(LeadQuery(status: .registered), origin: s.leader).items
            #expect(leads.count == 1)
            var lead = leads[0]
            #expect(lead.number.hasSuffix("第002号"), "numbers are never reused")
            lead = try await store.take(LeadStep.screen, on: lead.id, input: LeadStepInput(note: "可查"), version: lead.version, origin: s.leader)
            lead = try await store.take(LeadStep.propose, on: lead.id, input: LeadStepInput(note: "移交"), version: lead.version, origin: s.leader)
            lead = try await store.take(LeadStep.approve, on: lead.id, input: LeadStepInput(), version: lead.version, origin: s.f.origin(.leadingGroupMember))
            let locked = await #expect(throws: DomainError.self) { _ = try await store.triage(paper.id, as: .immediate, note: nil, version: paper.version, origin: s.f.origin(.officeStaff)) }
            #expect(locked?.code == "disposition_locked")
        }
    }

    @Test(arguments: TestEngine.available)
    func aLeadOnACadreManagedLowerDownGoesToThatCommitteesReceiverOnly(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            var details = Scenario.leadDetails("赵某")
            details.authority = .lower
            var lead = try await store.registerLead(in: s.finance.id, details: details, origin: s.member)
            lead = try await store.take(LeadStep.screen, on: lead.id, input: LeadStepInput(note: "可查"), version: lead.version, origin: s.leader)
            let unnamed = await #expect(throws: DomainError.self) {
                _ = try await store.take(LeadStep.propose, on: lead.id, input: LeadStepInput(note: "移交"), version: lead.version, origin: s.leader)
            }
            #expect(unnamed?.code == "receiving_committee_required")
            let stranger = await #expect(throws: DomainError.self) {
                _ = try await store.take(LeadStep.propose, on: lead.id, input: LeadStepInput(note: "移交", receiverJurisdiction: UUID()), version: lead.version, origin: s.leader)
            }
            #expect(stranger?.code == "unknown_receiving_committee")
            lead = try await store.take(
                LeadStep.propose, on: lead.id, input: LeadStepInput(note: "由清河县纪委监委办理", receiverJurisdiction: s.f.countyA.id), version: lead.version, origin: s.leader)
            #expect(lead.receiverJurisdictionID == s.f.countyA.id)
            lead = try await store.take(LeadStep.approve, on: lead.id, input: LeadStepInput(), version: lead.version, origin: s.f.origin(.leadingGroupMember))
            lead = try await store.take(LeadStep.transfer, on: lead.id, input: LeadStepInput(transferSheet: "江巡移〔2026〕3号"), version: lead.version, origin: s.f.origin(.leadCustodian))
            let county = try await store.createUser(
                UserDraft(username: "t.qinghe.jiwei", displayName: "清河县纪委承办人", jurisdictionID: s.f.countyA.id, roles: try RoleSet([.disciplineReceiver], unitGiven: false), unitID: nil),
                origin: Fixture.console)
            let countyReceiver = RequestOrigin(actor: .account(county.user, jurisdictionPath: s.f.countyA.path))
            #expect(try await store.leads(LeadQuery(), origin: countyReceiver).items.map(\.id) == [lead.id])
            #expect(try await store.leads(LeadQuery(), origin: s.f.origin(.disciplineReceiver)).items.isEmpty, "the city's receiver does not see it")
            lead = try await store.take(LeadStep.receive, on: lead.id, input: LeadStepInput(), version: lead.version, origin: countyReceiver)
            #expect(lead.status == .received)
        }
    }

    /// 派驻纪检监察组: a cadre the committee does not manage may be reached through its own 纪委监委,
    /// which passes the lead to the discipline group stationed in the cadre's unit.
    @Test(arguments: TestEngine.available)
    func aLeadOnACadreManagedLowerDownMayGoToTheOwnDisciplineBodyForTheStationedGroup(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            var details = Scenario.leadDetails("钱某")
            details.authority = .lower
            var lead = try await store.registerLead(in: s.finance.id, details: details, origin: s.member)
            lead = try await store.take(LeadStep.screen, on: lead.id, input: LeadStepInput(note: "可查"), version: lead.version, origin: s.leader)
            #expect(try await store.receivingCommittees(for: lead, actor: s.leader.actor).map(\.id).contains(s.f.countyA.id), "the committees below are offered")
            for role in [Role.unitHead, .officeStaff] {
                await #expect(throws: DomainError.notFound, "\(role) may not see the lead, nor where it may go") {
                    _ = try await store.receivingCommittees(for: lead, actor: s.f.actor(role))
                }
            }
            func propose(_ input: LeadStepInput) async throws -> Lead {
                try await store.take(LeadStep.propose, on: lead.id, input: input, version: lead.version, origin: s.leader)
            }
            var toOrganisation = LeadStepInput(note: "移交", receiver: .organisation)
            toOrganisation.viaStationedBody = true
            let notDiscipline = await #expect(throws: DomainError.self) { _ = try await propose(toOrganisation) }
            #expect(notDiscipline?.code == "stationed_body_is_discipline")
            var throughCounty = LeadStepInput(note: "移交", receiver: .discipline, receiverJurisdiction: s.f.countyA.id)
            throughCounty.viaStationedBody = true
            let twoWays = await #expect(throws: DomainError.self) { _ = try await propose(throughCounty) }
            #expect(twoWays?.code == "stationed_body_is_own")
            #expect(try await store.lead(lead.id, origin: s.leader).status == .screened, "nothing was written")

            var stationed = LeadStepInput(note: "由市纪委监委转驻市财政局纪检监察组办理", receiver: .discipline)
            stationed.viaStationedBody = true
            lead = try await propose(stationed)
            #expect(lead.status == .proposed)
            #expect(lead.viaStationedBody)
            #expect(lead.receiverJurisdictionID == s.f.city.id, "the city's own 纪委监委 receives it")
            lead = try await store.take(LeadStep.approve, on: lead.id, input: LeadStepInput(), version: lead.version, origin: s.f.origin(.leadingGroupMember))
            lead = try await store.take(LeadStep.transfer, on: lead.id, input: LeadStepInput(transferSheet: "江巡移〔2026〕4号"), version: lead.version, origin: s.f.origin(.leadCustodian))
            #expect(try await store.leads(LeadQuery(), origin: s.f.origin(.disciplineReceiver)).items.map(\.id).contains(lead.id))
        }
    }
}
