import Foundation
import XunchaCore
import XunchaStore

/// A group at work on one assignment: the fixture's group member drafts and registers, its group
/// leader approves and triages. Web tests whose assignment came through the API make one with the
/// assignment's id.
public struct Inspecting: Sendable {
    public let f: Fixture
    public let assignmentID: UUID

    public init(f: Fixture, assignmentID: UUID) {
        self.f = f
        self.assignmentID = assignmentID
    }

    public var member: RequestOrigin { f.origin(.groupMember) }
    public var leader: RequestOrigin { f.origin(.groupLeader) }
    public var office: RequestOrigin { f.origin(.officeStaff) }
}

extension Scenario {
    /// 廉洁纪律 of the 六项纪律.
    public static let integrity = [ClassificationTag(scheme: "six_disciplines", version: 1, entry: "integrity")]

    /// A working paper's text about 市财政局's allowances, under the given title.
    public static func content(_ title: String = "违规发放津补贴") throws -> FindingContent {
        try FindingContent.validate(
            title: title, manifestation: "2025年以加班费名义向局机关人员发放补贴12.6万元。", basis: "违反《中国共产党纪律处分条例》第一百零三条", evidence: "会计凭证2025-07-031",
            responsibility: "局党组负主体责任", isCommon: false)
    }

    /// A lead's details from an interview, for the committee to deal with.
    public static func leadDetails(_ person: String = "李某", subject: LeadSubject = .discipline) -> LeadDetails {
        LeadDetails(
            source: .interview, personName: person, personPost: "财务科科长", authority: .committee, subject: subject,
            content: "谈话中反映其利用职务便利为亲属承揽工程。", evidence: "谈话记录2026-12-10")
    }

    /// Takes a lead from registration to transfer, each step by the person whose step it is.
    public static func transfer(_ lead: Lead, _ store: Store, _ f: Fixture) async throws -> Lead {
        var lead = try await store.take(LeadStep.screen, on: lead.id, input: LeadStepInput(note: "组务会研判：具体可查"), version: lead.version, origin: f.origin(.groupLeader))
        lead = try await store.take(LeadStep.propose, on: lead.id, input: LeadStepInput(note: "建议移交市纪委监委"), version: lead.version, origin: f.origin(.groupLeader))
        lead = try await store.take(LeadStep.approve, on: lead.id, input: LeadStepInput(), version: lead.version, origin: f.origin(.leadingGroupMember))
        return try await store.take(LeadStep.transfer, on: lead.id, input: LeadStepInput(transferSheet: "江巡移〔2026〕1号"), version: lead.version, origin: f.origin(.leadCustodian))
    }
}

extension Inspecting {
    /// A drafted paper submitted by the member and approved by the leader with `note`.
    public func approve(_ paper: Finding, _ store: Store, note: String = "同意") async throws -> Finding {
        let submitted = try await store.take(FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: member)
        return try await store.take(FindingStep.approve, on: submitted.id, note: note, version: submitted.version, origin: leader)
    }

    /// A working paper drafted by the member and approved by the leader.
    public func approvedPaper(
        _ store: Store, content: FindingContent? = nil, tags: [ClassificationTag] = Scenario.integrity, note: String = "同意"
    ) async throws -> Finding {
        let paper = try await store.draftFinding(in: assignmentID, content: try content ?? Scenario.content(), tags: tags, origin: member)
        return try await approve(paper, store, note: note)
    }

    /// An approved paper triaged by the leader (`lead` names the lead a 线索 paper hands over).
    public func triagedPaper(
        _ store: Store, as disposition: Disposition, content: FindingContent? = nil, tags: [ClassificationTag] = Scenario.integrity, note: String = "同意",
        triageNote: String? = nil, lead: LeadDetails? = nil
    ) async throws -> Finding {
        let paper = try await approvedPaper(store, content: content, tags: tags, note: note)
        return try await store.triage(paper.id, as: disposition, note: triageNote, lead: lead, version: paper.version, origin: leader)
    }

    /// A lead registered by the member.
    public func registeredLead(_ store: Store, _ details: LeadDetails = Scenario.leadDetails()) async throws -> Lead {
        try await store.registerLead(in: assignmentID, details: details, origin: member)
    }
}
