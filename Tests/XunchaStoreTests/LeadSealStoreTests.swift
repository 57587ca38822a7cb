import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 线索封存: once a working paper is handed over as a lead, its text, people, classification and
/// evidence are read only by those who may read the lead; the office sees number and state.
@Suite("线索封存 store")
struct LeadSealStoreTests {
    /// A paper with evidence attached, approved and triaged as a lead by the group leader.
    static func paperHandedOverAsALead(_ s: RoundOnSite, _ store: Store) async throws -> Finding {
        let content = try FindingContent.validate(
            title: "王某某为亲属承揽工程", manifestation: "财务科科长王某某利用职务便利为其妻弟承揽办公楼维修工程。", basis: "违反廉洁纪律",
            evidence: "合同2025-031", responsibility: "王某某直接责任", isCommon: false)
        var paper = try await store.draftFinding(in: s.finance.id, content: content, tags: Scenario.integrity, origin: s.member)
        _ = try await store.attach(EvidenceStoreTests.pdf, filename: "合同.pdf", to: .finding(paper.id), origin: s.member)
        paper = try await s.atFinance.approve(paper, store, note: "组务会认为事实清楚，涉及王某某")
        return try await store.triage(
            paper.id, as: .lead, note: "涉嫌违纪", lead: Scenario.leadDetails("王某某"), version: paper.version, origin: s.leader)
    }

    static func isWhole(_ finding: Finding) -> Bool {
        !finding.isSealed && finding.content.title == "王某某为亲属承揽工程" && finding.content.manifestation.contains("妻弟") && !finding.tags.isEmpty
    }

    static func isSealed(_ finding: Finding) -> Bool {
        finding.isSealed && finding.content.title == Finding.sealedTitle && finding.content.manifestation.isEmpty && finding.content.basis.isEmpty
            && finding.content.evidence == nil && finding.content.responsibility == nil && finding.tags.isEmpty && finding.dispositionNote == nil
            && finding.meetingOpinion == nil && finding.number != nil && finding.disposition == .lead
    }

    @Test(arguments: TestEngine.available)
    func theOfficeSeesALeadPapersNumberAndStateButNeverItsSubstance(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let paper = try await Self.paperHandedOverAsALead(s, store)
            let office = s.f.actor(.officeStaff)

            let listed = try await store.findings(FindingQuery(disposition: .lead), for: office).items
            #expect(listed.count == 1)
            #expect(listed.allSatisfy(Self.isSealed), "the list")
            #expect(Self.isSealed(try await store.finding(paper.id, for: office)), "the single read")
            #expect(try await store.history(FindingLifecycle.self, of: paper.id, for: office).allSatisfy { $0.note == nil }, "the history keeps its steps, not their notes")
            #expect(try await store.findings(FindingQuery(search: "妻弟"), for: office).items.isEmpty, "a search must not tell what a sealed paper says")
            #expect(try await store.findings(FindingQuery(search: "王某某"), for: office).items.isEmpty)
            await #expect(throws: DomainError.notFound, "its evidence is the lead's") {
                _ = try await store.attachments(of: .finding(paper.id), for: office)
            }
            let (records, total) = try await store.statisticsRecords(.findings(.lead), origin: s.office)
            #expect(total == 1, "the figure still counts it")
            #expect(records.items.map(\.title) == [Finding.sealedTitle], "the drill-down lists it without its title")
        }
    }

    @Test(arguments: TestEngine.available)
    func whoeverMayReadTheLeadReadsThePaperWhole(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let paper = try await Self.paperHandedOverAsALead(s, store)
            for origin in [s.leader, s.member, s.f.origin(.leadCustodian), s.f.origin(.leadingGroupMember)] {
                let actor = origin.actor
                #expect(Self.isWhole(try await store.finding(paper.id, for: actor)), "\(actor.roles)")
                #expect(try await store.findings(FindingQuery(search: "妻弟"), for: actor).items.map(\.id) == [paper.id], "\(actor.roles)")
                #expect(try await store.history(FindingLifecycle.self, of: paper.id, for: actor).contains { $0.note?.contains("王某某") == true })
                #expect(try await store.attachments(of: .finding(paper.id), for: actor).count == 1)
            }
            let (records, _) = try await store.statisticsRecords(.findings(.lead), origin: s.f.origin(.leadingGroupMember))
            #expect(records.items.map(\.title) == ["王某某为亲属承揽工程"])
        }
    }

    @Test(arguments: TestEngine.available)
    func theOfficeCannotUnsealAPaperByChangingItsDispositionBlind(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let paper = try await Self.paperHandedOverAsALead(s, store)
            let refused = await #expect(throws: DomainError.self) {
                _ = try await store.triage(paper.id, as: .deadline, note: nil, version: paper.version, origin: s.office)
            }
            #expect(refused?.code == "lead_sealed")
            #expect(try await store.leads(LeadQuery(), origin: s.leader).items.map(\.status) == [.registered], "the lead stands")
            #expect(Self.isSealed(try await store.finding(paper.id, for: s.f.actor(.officeStaff))))
            // The group's leader, who may read the lead, still may change it while nothing was done under it.
            let changed = try await store.triage(paper.id, as: .deadline, note: nil, version: paper.version, origin: s.leader)
            #expect(changed.disposition == .deadline)
            #expect(!(try await store.finding(paper.id, for: s.f.actor(.officeStaff))).isSealed, "a paper no longer a lead is the office's again")
        }
    }
}
