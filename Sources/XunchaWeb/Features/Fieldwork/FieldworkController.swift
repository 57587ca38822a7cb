import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

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

struct LeadDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, assignmentId = "assignment_id", unitId = "unit_id", unitName = "unit_name", findingId = "finding_id", number, source, personName = "person_name"
        case personPost = "person_post", authority, subject, content, evidence, status, statusTitle = "status_title", receiver
        case receiverJurisdictionId = "receiver_jurisdiction_id", proposal
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
struct FieldworkController {
    let store: Store
    let settings: WebSettings

    struct RecordInput: Decodable {
        struct Person: Decodable {
            var inspectorId: String?
            var part: String?
        }

        struct Reporter: Decodable {
            var anonymous: Bool?
            var name: String?
            var contact: String?
        }

        var kind: String?
        var subject: String?
        var subjectPost: String?
        var occurredOn: String?
        var place: String?
        var body: String?
        var interviewCategory: String?
        var channel: String?
        var reflectedPerson: String?
        var inScope: Bool?
        var inspectors: [Person]?
        var reporter: Reporter?
    }

    struct FindingInput: Decodable {
        var title: String?
        var manifestation: String?
        var basis: String?
        var evidence: String?
        var responsibility: String?
        var isCommon: Bool?
        var tags: [TagDTO]?
        var version: Int?

        func content() throws -> FindingContent {
            try FindingContent.validate(
                title: title, manifestation: manifestation, basis: basis, evidence: evidence, responsibility: responsibility, isCommon: isCommon)
        }

        var classification: [ClassificationTag] { (tags ?? []).map { ClassificationTag(scheme: $0.scheme, version: $0.version, entry: $0.entry) } }
    }

    struct TriageInput: Decodable {
        var disposition: String?
        var note: String?
        var lead: LeadInput?
        var version: Int?
    }

    struct LeadInput: Decodable {
        var source: String?
        var personName: String?
        var personPost: String?
        var authority: String?
        var subject: String?
        var content: String?
        var evidence: String?

        func details(defaultSource: LeadSource) throws -> LeadDetails {
            var source = defaultSource
            if let text = self.source, !text.isEmpty {
                guard let parsed = LeadSource(code: text) else { throw DomainError.invalid("unknown_source", "未知的线索来源“\(text)”", english: "unknown source", field: "source") }
                source = parsed
            }
            guard let authorityText = authority, !authorityText.isEmpty else { throw DomainError.required("authority", label: "干部管理权限") }
            guard let authority = CadreAuthority(code: authorityText) else {
                throw DomainError.invalid("unknown_authority", "未知的干部管理权限“\(authorityText)”", english: "unknown authority", field: "authority")
            }
            guard let subjectText = subject, !subjectText.isEmpty else { throw DomainError.required("subject", label: "问题性质") }
            guard let subject = LeadSubject(code: subjectText) else {
                throw DomainError.invalid("unknown_subject", "未知的问题性质“\(subjectText)”", english: "unknown subject", field: "subject")
            }
            return LeadDetails(
                source: source, personName: personName ?? "", personPost: personPost, authority: authority, subject: subject, content: content ?? "", evidence: evidence)
        }
    }

    struct LeadStepBody: Decodable {
        struct Answer: Decodable {
            var method: String?
            var form: Int?
            var peopleCount: Int?
            var sanctions: String?
            var judicialTransfer: Bool?
            var result: String?
        }

        var step: String?
        var note: String?
        var receiver: String?
        var receiverJurisdictionId: String?
        var transferSheet: String?
        var disposition: Answer?
        var version: Int?

        func input() throws -> LeadStepInput {
            var receiver: ReceivingBody?
            if let text = self.receiver, !text.isEmpty {
                guard let parsed = ReceivingBody(code: text) else {
                    throw DomainError.invalid("unknown_receiver", "接收单位须为纪委监委或组织部", english: "unknown receiver", field: "receiver")
                }
                receiver = parsed
            }
            var answer: LeadDisposition?
            if let d = disposition {
                guard let text = d.method, let method = DispositionMethod(code: text) else {
                    throw DomainError.invalid("unknown_method", "未知的处置方式“\(d.method ?? "")”", english: "unknown method", field: "method")
                }
                answer = LeadDisposition(
                    method: method, form: d.form, peopleCount: d.peopleCount ?? 0, sanctions: d.sanctions, judicialTransfer: d.judicialTransfer ?? false,
                    result: d.result ?? "")
            }
            return LeadStepInput(
                note: note, receiver: receiver,
                receiverJurisdiction: try FieldworkController.optionalID(receiverJurisdictionId, field: "receiver_jurisdiction_id", label: "接收线索的党委"),
                transferSheet: transferSheet, disposition: answer)
        }
    }

    struct SchemeInput: Decodable {
        struct Entry: Decodable {
            var code: String?
            var title: String?
            var parent: String?
        }

        var code: String?
        var title: String?
        var entries: [Entry]?
    }

    struct ReporterDTO: Encodable {
        let anonymous: Bool
        let name: String?
        let contact: String?
    }

    struct StepDTO: Encodable {
        let step: String
        let from: String
        let to: String
        let note: String?
        let actor: String
        let at: String
    }

    func register(on router: Router<AppRequestContext>) {
        registerLeads(on: router)
        registerImmediate(on: router)
        registerAttachments(on: router)
        router.get("/api/v1/classifications") { request, context -> Response in
            let all = request.queryDictionary["all"] == "true"
            let schemes = try await store.classificationSchemes(latestOnly: !all, for: try context.requireActor())
            return try JSONBody.response(PlanningController.ItemsDTO(items: schemes.map(SchemeDTO.init)))
        }
        router.post("/api/v1/classifications") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(SchemeInput.self, from: request, limit: settings.maxBodyBytes)
            let scheme = ClassificationScheme(
                code: input.code ?? "", title: input.title ?? "", version: 0,
                entries: (input.entries ?? []).map { ClassificationEntry(code: $0.code ?? "", title: $0.title ?? "", parent: $0.parent) })
            return try JSONBody.response(SchemeDTO(try await store.addClassificationVersion(scheme, origin: origin)), status: .created)
        }
        router.get("/api/v1/records") { request, context -> Response in
            let parameters = request.queryDictionary
            var query = RecordQuery(page: try parameters.pageRequest())
            query.assignmentID = try Self.optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务")
            if let text = parameters["kind"], !text.isEmpty {
                guard let kind = RecordKind(code: text) else { throw DomainError.invalid("unknown_kind", "未知的记录类别“\(text)”", english: "unknown record kind", field: "kind") }
                query.kind = kind
            }
            query.search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 60)
            let origin = try context.origin()
            let page = try await store.onSiteRecords(query, for: origin.actor, origin: origin)
            return try JSONBody.response(PageDTO(items: page.items.map(RecordDTO.init), nextCursor: page.nextCursor))
        }
        router.post("/api/v1/assignments/{id}/records") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(RecordInput.self, from: request, limit: settings.maxBodyBytes)
            guard let kindText = input.kind, !kindText.isEmpty else { throw DomainError.required("kind", label: "记录类别") }
            guard let kind = RecordKind(code: kindText) else { throw DomainError.invalid("unknown_kind", "未知的记录类别“\(kindText)”", english: "unknown record kind", field: "kind") }
            guard let dayText = input.occurredOn, !dayText.isEmpty else { throw DomainError.required("occurred_on", label: "日期") }
            var category: InterviewCategory?
            if let text = input.interviewCategory, !text.isEmpty {
                guard let parsed = InterviewCategory(rawValue: text) ?? InterviewCategory.allCases.first(where: { $0.title == text }) else {
                    throw DomainError.invalid("unknown_interview_category", "谈话类别须为必谈或选谈", english: "unknown interview category", field: "interview_category")
                }
                category = parsed
            }
            var channel: PetitionChannel?
            if let text = input.channel, !text.isEmpty {
                guard let parsed = PetitionChannel(code: text) else {
                    throw DomainError.invalid("unknown_channel", "信访渠道须为来信、来电、来访或网络", english: "unknown channel", field: "channel")
                }
                channel = parsed
            }
            let content = RecordContent(
                subject: input.subject ?? "", subjectPost: input.subjectPost, occurredOn: try CalendarDay(text: dayText, field: "occurred_on", label: "日期"),
                place: input.place, body: input.body ?? "", interviewCategory: category, channel: channel, reflectedPerson: input.reflectedPerson,
                inScope: input.inScope)
            let people = try (input.inspectors ?? []).map { person -> (UUID, RecordInspector.Part) in
                guard let part = RecordInspector.Part(rawValue: person.part ?? "lead") else {
                    throw DomainError.invalid("unknown_part", "参与方式须为 lead（承办人）或 recorder（记录人）", english: "unknown part", field: "inspectors")
                }
                return (try PlanningController.id(person.inspectorId, field: "inspectors", label: "巡察人员"), part)
            }
            let reporter = input.reporter.map { PetitionReporter(anonymous: $0.anonymous ?? false, name: $0.name, contact: $0.contact) }
            let record = try await store.recordOnSite(
                kind, content: content, inspectors: people, reporter: reporter, in: try context.parameters.uuid("id"), origin: origin)
            return try JSONBody.response(RecordDTO(record), status: .created)
        }
        router.get("/api/v1/records/{id}") { _, context -> Response in
            try JSONBody.response(RecordDTO(try await store.onSiteRecord(try context.parameters.uuid("id"), origin: try context.origin())))
        }
        router.get("/api/v1/records/{id}/reporter") { _, context -> Response in
            let reporter = try await store.petitionReporter(of: try context.parameters.uuid("id"), origin: try context.origin())
            return try JSONBody.response(ReporterDTO(anonymous: reporter.anonymous, name: reporter.name, contact: reporter.contact))
        }
        router.get("/api/v1/findings") { request, context -> Response in
            let parameters = request.queryDictionary
            var query = FindingQuery(page: try parameters.pageRequest())
            query.assignmentID = try Self.optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务")
            query.roundID = try Self.optionalID(parameters["round_id"], field: "round_id", label: "轮次")
            query.status = try parameters.code(FindingStatus.self, "status", label: "底稿状态")
            if let text = parameters["disposition"], !text.isEmpty {
                guard let disposition = Disposition(code: text) else {
                    throw DomainError.invalid("unknown_disposition", "未知的处置方式“\(text)”", english: "unknown disposition", field: "disposition")
                }
                query.disposition = disposition
            }
            query.search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 60)
            if let format = try ExportFormat.requested(parameters) {
                return LedgerExport.response(try await LedgerTable.findings(store, query, for: try context.requireActor()), format: format, day: CalendarDay(store.clock.now()))
            }
            let page = try await store.findings(query, for: try context.requireActor())
            return try JSONBody.response(PageDTO(items: page.items.map(FindingDTO.init), nextCursor: page.nextCursor))
        }
        router.post("/api/v1/assignments/{id}/findings") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(FindingInput.self, from: request, limit: settings.maxBodyBytes)
            let finding = try await store.draftFinding(in: try context.parameters.uuid("id"), content: try input.content(), tags: input.classification, origin: origin)
            return try JSONBody.response(FindingDTO(finding), status: .created)
        }
        router.get("/api/v1/findings/{id}") { _, context -> Response in
            try JSONBody.response(FindingDTO(try await store.finding(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.get("/api/v1/findings/{id}/steps") { _, context -> Response in
            let steps = try await store.findingSteps(try context.parameters.uuid("id"), for: try context.requireActor())
            return try JSONBody.response(
                PlanningController.ItemsDTO(
                    items: steps.map {
                        StepDTO(step: $0.step, from: $0.from.rawValue, to: $0.to.rawValue, note: $0.note, actor: $0.actorName, at: JSONBody.timestamp($0.at))
                    }))
        }
        router.patch("/api/v1/findings/{id}") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(FindingInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let finding = try await store.editFinding(
                try context.parameters.uuid("id"), content: try input.content(), tags: input.classification, version: version, origin: origin)
            return try JSONBody.response(FindingDTO(finding))
        }
        router.post("/api/v1/findings/{id}/steps") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(StepInput.self, from: request, limit: settings.maxBodyBytes)
            guard let text = input.step, let step = FindingStep(rawValue: text) else {
                throw DomainError.invalid("unknown_step", "未知的流转步骤“\(input.step ?? "")”", english: "unknown step", field: "step")
            }
            let version = try input.version.requiredVersion()
            let finding = try await store.takeFindingStep(step, on: try context.parameters.uuid("id"), note: input.note, version: version, origin: origin)
            return try JSONBody.response(FindingDTO(finding))
        }
        router.post("/api/v1/findings/{id}/triage") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(TriageInput.self, from: request, limit: settings.maxBodyBytes)
            guard let text = input.disposition, let disposition = Disposition(code: text) else {
                throw DomainError.invalid("unknown_disposition", "处置方式须为立行立改、限期整改、移交问题线索或不予认定", english: "unknown disposition", field: "disposition")
            }
            let version = try input.version.requiredVersion()
            let lead = try input.lead.map { try $0.details(defaultSource: .finding) }
            let finding = try await store.triage(try context.parameters.uuid("id"), as: disposition, note: input.note, lead: lead, version: version, origin: origin)
            return try JSONBody.response(FindingDTO(finding))
        }
    }

    func registerLeads(on router: Router<AppRequestContext>) {
        router.get("/api/v1/leads") { request, context -> Response in
            let parameters = request.queryDictionary
            var query = LeadQuery(page: try parameters.pageRequest())
            query.assignmentID = try Self.optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务")
            query.status = try parameters.code(LeadStatus.self, "status", label: "线索状态")
            if let text = parameters["receiver"], !text.isEmpty {
                guard let receiver = ReceivingBody(code: text) else { throw DomainError.invalid("unknown_receiver", "接收单位须为纪委监委或组织部", english: "unknown receiver", field: "receiver") }
                query.receiver = receiver
            }
            query.overdueOnly = parameters["overdue"] == "true"
            query.search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 60)
            if let format = try ExportFormat.requested(parameters) {
                return LedgerExport.response(try await LedgerTable.leads(store, query, origin: try context.origin()), format: format, day: CalendarDay(store.clock.now()))
            }
            let page = try await store.leads(query, origin: try context.origin())
            let today = CalendarDay(store.clock.now())
            return try JSONBody.response(PageDTO(items: page.items.map { LeadDTO($0, today: today) }, nextCursor: page.nextCursor))
        }
        router.post("/api/v1/assignments/{id}/leads") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(LeadInput.self, from: request, limit: settings.maxBodyBytes)
            guard input.source?.isEmpty == false else { throw DomainError.required("source", label: "线索来源") }
            let lead = try await store.registerLead(in: try context.parameters.uuid("id"), details: try input.details(defaultSource: .interview), origin: origin)
            return try JSONBody.response(LeadDTO(lead, today: CalendarDay(store.clock.now())), status: .created)
        }
        router.get("/api/v1/leads/{id}") { _, context -> Response in
            let lead = try await store.lead(try context.parameters.uuid("id"), origin: try context.origin())
            return try JSONBody.response(LeadDTO(lead, today: CalendarDay(store.clock.now())))
        }
        router.get("/api/v1/leads/{id}/steps") { _, context -> Response in
            let steps = try await store.leadSteps(try context.parameters.uuid("id"), for: try context.requireActor())
            return try JSONBody.response(
                PlanningController.ItemsDTO(
                    items: steps.map {
                        StepDTO(step: $0.step, from: $0.from.rawValue, to: $0.to.rawValue, note: $0.note, actor: $0.actorName, at: JSONBody.timestamp($0.at))
                    }))
        }
        router.post("/api/v1/leads/{id}/steps") { request, context -> Response in
            let origin = try context.origin()
            let body = try await JSONBody.decode(LeadStepBody.self, from: request, limit: settings.maxBodyBytes)
            guard let text = body.step, let step = LeadStep(rawValue: text) else {
                throw DomainError.invalid("unknown_step", "未知的流转步骤“\(body.step ?? "")”", english: "unknown step", field: "step")
            }
            let version = try body.version.requiredVersion()
            let lead = try await store.takeLeadStep(step, on: try context.parameters.uuid("id"), input: try body.input(), version: version, origin: origin)
            return try JSONBody.response(LeadDTO(lead, today: CalendarDay(store.clock.now())))
        }
    }

    struct ImmediateStepBody: Decodable {
        var step: String?
        var note: String?
        var problem: String?
        var requirement: String?
        var deadline: String?
        var measures: String?
        var version: Int?
    }

    func registerImmediate(on router: Router<AppRequestContext>) {
        router.get("/api/v1/immediate-rectifications") { request, context -> Response in
            let actor = try context.requireActor()
            let parameters = request.queryDictionary
            let page = try parameters.pageRequest()
            var status: ImmediateStatus?
            status = try parameters.code(ImmediateStatus.self, "status", label: "状态")
            let assignment = try Self.optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务")
            if let format = try ExportFormat.requested(parameters) {
                return LedgerExport.response(try await LedgerTable.immediates(store, assignment: assignment, status: status, for: actor), format: format, day: CalendarDay(store.clock.now()))
            }
            let found = try await store.immediateRectifications(assignment: assignment, status: status, page: page, for: actor)
            return try JSONBody.response(PageDTO(items: found.items.map { ImmediateDTO($0, for: actor) }, nextCursor: found.nextCursor))
        }
        router.get("/api/v1/immediate-rectifications/{id}") { _, context -> Response in
            let actor = try context.requireActor()
            return try JSONBody.response(ImmediateDTO(try await store.immediateRectification(try context.parameters.uuid("id"), for: actor), for: actor))
        }
        router.post("/api/v1/immediate-rectifications/{id}/steps") { request, context -> Response in
            let origin = try context.origin()
            let body = try await JSONBody.decode(ImmediateStepBody.self, from: request, limit: settings.maxBodyBytes)
            guard let text = body.step, let step = ImmediateStep(rawValue: text) else {
                throw DomainError.invalid("unknown_step", "未知的流转步骤“\(body.step ?? "")”", english: "unknown step", field: "step")
            }
            let version = try body.version.requiredVersion()
            let item = try await store.takeImmediateStep(
                step, on: try context.parameters.uuid("id"),
                input: ImmediateStepInput(note: body.note, problem: body.problem, requirement: body.requirement, deadline: body.deadline, measures: body.measures),
                version: version, origin: origin)
            return try JSONBody.response(ImmediateDTO(item, for: origin.actor))
        }
    }

    func registerAttachments(on router: Router<AppRequestContext>) {
        for (path, type) in [("records", "record"), ("findings", "finding"), ("immediate-rectifications", "immediate"), ("rectification-tasks", "task")] {
            @Sendable func owner(_ id: UUID) -> AttachmentOwner { AttachmentOwner(type: type, id: id)! }
            router.get("/api/v1/\(path)/{id}/attachments") { _, context -> Response in
                let items = try await store.attachments(of: owner(try context.parameters.uuid("id")), for: try context.requireActor())
                return try JSONBody.response(PlanningController.ItemsDTO(items: items.map(AttachmentDTO.init)))
            }
            // The file is the body; its name comes in `?filename=` (percent-encoded).
            router.post("/api/v1/\(path)/{id}/attachments") { request, context -> Response in
                let origin = try context.origin()
                let data = try await JSONBody.collect(request, limit: EvidenceRules.maximumBytes + 1)
                let attachment = try await store.attach(
                    data, filename: request.queryDictionary["filename"], to: owner(try context.parameters.uuid("id")), origin: origin)
                return try JSONBody.response(AttachmentDTO(attachment), status: .created)
            }
        }
        router.get("/api/v1/attachments/{id}") { _, context -> Response in
            let (attachment, data) = try await store.attachmentContent(try context.parameters.uuid("id"), origin: try context.origin())
            let encoded = attachment.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
            return Response(
                status: .ok,
                headers: [
                    .contentType: attachment.contentType, .contentDisposition: "attachment; filename*=UTF-8''\(encoded)", .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    static func optionalID(_ text: String?, field: String, label: String) throws -> UUID? {
        guard let text, !text.isEmpty else { return nil }
        return try PlanningController.id(text, field: field, label: label)
    }
}
