import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

// The JSON shapes of fieldwork: records, working papers, leads, 立行立改, attachments, schemes.

struct RecordDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, assignmentId = "assignment_id", unitId = "unit_id", unitName = "unit_name", kind, kindTitle = "kind_title", subject
        case subjectPost = "subject_post", occurredOn = "occurred_on", place, body, interviewCategory = "interview_category", channel
        case reflectedPerson = "reflected_person", inScope = "in_scope", inspectors, createdBy = "created_by", createdAt = "created_at", version
    }

    struct Person: Encodable {
        enum CodingKeys: String, CodingKey {
            case inspectorId = "inspector_id", name, part
        }

        let inspectorId: String
        let name: String
        let part: String
    }

    let id: String
    let assignmentId: String
    let unitId: String
    let unitName: String
    let kind: String
    let kindTitle: String
    let subject: String
    let subjectPost: String?
    let occurredOn: String
    let place: String?
    let body: String
    let interviewCategory: String?
    let channel: String?
    let reflectedPerson: String?
    let inScope: Bool?
    let inspectors: [Person]
    let createdBy: String
    let createdAt: String
    let version: Int

    init(_ r: OnSiteRecord) {
        id = r.id.text
        assignmentId = r.assignmentID.text
        unitId = r.unitID.text
        unitName = r.unitName
        kind = r.kind.rawValue
        kindTitle = r.kind.title
        subject = r.content.subject
        subjectPost = r.content.subjectPost
        occurredOn = r.content.occurredOn.description
        place = r.content.place
        body = r.content.body
        interviewCategory = r.content.interviewCategory?.rawValue
        channel = r.content.channel?.rawValue
        reflectedPerson = r.content.reflectedPerson
        inScope = r.content.inScope
        inspectors = r.inspectors.map { Person(inspectorId: $0.inspectorID.text, name: $0.name, part: $0.part.rawValue) }
        createdBy = r.createdBy
        createdAt = JSONBody.timestamp(r.createdAt)
        version = r.version
    }
}

struct TagDTO: Codable {
    let scheme: String
    let version: Int
    let entry: String
}

struct FindingDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, assignmentId = "assignment_id", roundId = "round_id", groupId = "group_id", unitId = "unit_id", unitName = "unit_name", number
        case title, manifestation, basis, evidence, responsibility, isCommon = "is_common", tags, status, statusTitle = "status_title", disposition
        case dispositionTitle = "disposition_title", dispositionNote = "disposition_note", draftedBy = "drafted_by", meetingOpinion = "meeting_opinion"
        case approvedBy = "approved_by", approvedAt = "approved_at", createdAt = "created_at", updatedAt = "updated_at", version, sealed
    }

    let id: String
    let assignmentId: String
    let roundId: String
    let groupId: String
    let unitId: String
    let unitName: String
    let number: String?
    let title: String
    let manifestation: String
    let basis: String
    let evidence: String?
    let responsibility: String?
    let isCommon: Bool
    let tags: [TagDTO]
    let status: String
    let statusTitle: String
    let disposition: String?
    let dispositionTitle: String?
    let dispositionNote: String?
    let draftedBy: String
    let meetingOpinion: String?
    let approvedBy: String?
    let approvedAt: String?
    let createdAt: String
    let updatedAt: String
    let version: Int
    /// 线索封存: the paper went to a lead the reader may not read; its texts are withheld.
    let sealed: Bool

    init(_ f: Finding) {
        id = f.id.text
        assignmentId = f.assignmentID.text
        roundId = f.roundID.text
        groupId = f.groupID.text
        unitId = f.unitID.text
        unitName = f.unitName
        number = f.number
        title = f.content.title
        manifestation = f.content.manifestation
        basis = f.content.basis
        evidence = f.content.evidence
        responsibility = f.content.responsibility
        isCommon = f.content.isCommon
        tags = f.tags.map { TagDTO(scheme: $0.scheme, version: $0.version, entry: $0.entry) }
        status = f.status.rawValue
        statusTitle = f.status.title
        disposition = f.disposition?.rawValue
        dispositionTitle = f.disposition?.title
        dispositionNote = f.dispositionNote
        draftedBy = f.draftedBy
        meetingOpinion = f.meetingOpinion
        approvedBy = f.approvedBy
        approvedAt = f.approvedAt.map(JSONBody.timestamp)
        createdAt = JSONBody.timestamp(f.createdAt)
        updatedAt = JSONBody.timestamp(f.updatedAt)
        version = f.version
        sealed = f.isSealed
    }
}

/// One paper as a read of it, a step on it or its triage answers: the paper's fields, and what its
/// triage opened — the lead (`lead_id`) or the 立行立改 item (`immediate_id`), null when none. A
/// lead the reader may not read (the paper is sealed) is not named either.
struct FindingDetailDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case leadId = "lead_id", immediateId = "immediate_id"
    }

    let finding: FindingDTO
    let leadId: String?
    let immediateId: String?

    /// Reads the two from the rows the triage wrote.
    init(_ f: Finding, store: Store) async throws {
        let opened = try await store.openedByTriage(of: f)
        finding = FindingDTO(f)
        leadId = f.isSealed ? nil : opened.lead?.id.text
        immediateId = opened.immediate?.id.text
    }

    /// The paper's keys, then the two ids in the same object (null when none).
    func encode(to encoder: any Encoder) throws {
        try finding.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(leadId, forKey: .leadId)
        try container.encode(immediateId, forKey: .immediateId)
    }
}

struct LeadDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, assignmentId = "assignment_id", unitId = "unit_id", unitName = "unit_name", findingId = "finding_id", number, source, personName = "person_name"
        case personPost = "person_post", authority, subject, content, evidence, status, statusTitle = "status_title", receiver
        case receiverJurisdictionId = "receiver_jurisdiction_id", viaStationedBody = "via_stationed_body", proposal
        case transferSheet = "transfer_sheet", transferredAt = "transferred_at", feedbackDue = "feedback_due", overdue, receivedAt = "received_at"
        case method, form, peopleCount = "people_count", sanctions, judicialTransfer = "judicial_transfer", result, closedAt = "closed_at"
        case createdBy = "created_by", createdAt = "created_at", version
    }

    let id: String
    let assignmentId: String
    let unitId: String
    let unitName: String
    let findingId: String?
    let number: String
    let source: String
    let personName: String
    let personPost: String?
    let authority: String
    let subject: String
    let content: String
    let evidence: String?
    let status: String
    let statusTitle: String
    let receiver: String?
    let receiverJurisdictionId: String?
    /// 转派驻纪检监察组.
    let viaStationedBody: Bool
    let proposal: String?
    let transferSheet: String?
    let transferredAt: String?
    let feedbackDue: String?
    let overdue: Bool
    let receivedAt: String?
    let method: String?
    let form: Int?
    let peopleCount: Int?
    let sanctions: String?
    let judicialTransfer: Bool?
    let result: String?
    let closedAt: String?
    let createdBy: String
    let createdAt: String
    let version: Int

    init(_ l: Lead, today: CalendarDay) {
        id = l.id.text
        assignmentId = l.assignmentID.text
        unitId = l.unitID.text
        unitName = l.unitName
        findingId = l.findingID?.text
        number = l.number
        source = l.details.source.rawValue
        personName = l.details.personName
        personPost = l.details.personPost
        authority = l.details.authority.rawValue
        subject = l.details.subject.rawValue
        content = l.details.content
        evidence = l.details.evidence
        status = l.status.rawValue
        statusTitle = l.status.title
        receiver = l.receiver?.rawValue
        receiverJurisdictionId = l.receiverJurisdictionID?.text
        viaStationedBody = l.viaStationedBody
        proposal = l.proposal
        transferSheet = l.transferSheet
        transferredAt = l.transferredAt.map(JSONBody.timestamp)
        feedbackDue = l.feedbackDue?.description
        overdue = l.isOverdue(today: today)
        receivedAt = l.receivedAt.map(JSONBody.timestamp)
        method = l.disposition?.method.rawValue
        form = l.disposition?.form
        peopleCount = l.disposition?.peopleCount
        sanctions = l.disposition?.sanctions
        judicialTransfer = l.disposition?.judicialTransfer
        result = l.disposition?.result
        closedAt = l.closedAt.map(JSONBody.timestamp)
        createdBy = l.createdBy
        createdAt = JSONBody.timestamp(l.createdAt)
        version = l.version
    }
}

struct ImmediateDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, assignmentId = "assignment_id", unitId = "unit_id", unitName = "unit_name", findingId = "finding_id", number, status
        case statusTitle = "status_title", problem, requirement, deadline, issuedAt = "issued_at", signedBy = "signed_by", signedAt = "signed_at", measures
        case reportedAt = "reported_at", verification, closedAt = "closed_at", version
    }

    let id: String
    let assignmentId: String
    let unitId: String
    let unitName: String
    /// Left out for the inspected unit: the paper behind the notice is not theirs to know of.
    let findingId: String?
    let number: String?
    let status: String
    let statusTitle: String
    let problem: String?
    let requirement: String?
    let deadline: String?
    let issuedAt: String?
    let signedBy: String?
    let signedAt: String?
    let measures: String?
    let reportedAt: String?
    let verification: String?
    let closedAt: String?
    let version: Int

    init(_ i: ImmediateRectification, for actor: Actor) {
        id = i.id.text
        assignmentId = i.assignmentID.text
        unitId = i.unitID.text
        unitName = i.unitName
        findingId = actor.unitID == nil ? i.findingID.text : nil
        number = i.number
        status = i.status.rawValue
        statusTitle = i.status.title
        problem = i.problem
        requirement = i.requirement
        deadline = i.deadline?.description
        issuedAt = i.issuedAt.map(JSONBody.timestamp)
        signedBy = i.signedBy
        signedAt = i.signedAt.map(JSONBody.timestamp)
        measures = i.measures
        reportedAt = i.reportedAt.map(JSONBody.timestamp)
        verification = i.verification
        closedAt = i.closedAt.map(JSONBody.timestamp)
        version = i.version
    }
}

struct AttachmentDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, ownerType = "owner_type", ownerId = "owner_id", sha256, filename, contentType = "content_type", size, createdBy = "created_by"
        case createdAt = "created_at", href
    }

    let id: String
    let ownerType: String
    let ownerId: String
    let sha256: String
    let filename: String
    let contentType: String
    let size: Int
    let createdBy: String
    let createdAt: String
    let href: String

    init(_ a: Attachment) {
        id = a.id.text
        ownerType = a.owner.type
        ownerId = a.owner.id.text
        sha256 = a.sha256
        filename = a.filename
        contentType = a.contentType
        size = a.size
        createdBy = a.createdBy
        createdAt = JSONBody.timestamp(a.createdAt)
        href = "/api/v1/attachments/\(a.id.text)"
    }
}

struct SchemeDTO: Encodable {
    struct Entry: Encodable {
        let code: String
        let title: String
        let parent: String?
        let path: String
    }

    let code: String
    let title: String
    let version: Int
    let entries: [Entry]

    init(_ s: ClassificationScheme) {
        code = s.code
        title = s.title
        version = s.version
        entries = s.entries.map { Entry(code: $0.code, title: $0.title, parent: $0.parent, path: s.path(of: $0.code)) }
    }
}

/// 进驻了解与问题底稿 through the API: on-site records, the petitioner's identity, working papers,
/// their review and triage, and the classification schemes.
