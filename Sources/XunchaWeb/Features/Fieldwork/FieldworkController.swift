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
        case approvedBy = "approved_by", approvedAt = "approved_at", createdAt = "created_at", updatedAt = "updated_at", version
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

    struct StepInput: Decodable {
        var step: String?
        var note: String?
        var version: Int?
    }

    struct TriageInput: Decodable {
        var disposition: String?
        var note: String?
        var version: Int?
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
            var query = RecordQuery(page: try PageRequest.validate(limit: parameters["limit"], cursor: parameters["cursor"]))
            query.assignmentID = try Self.optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务")
            if let text = parameters["kind"], !text.isEmpty {
                guard let kind = RecordKind(code: text) else { throw DomainError.invalid("unknown_kind", "未知的记录类别“\(text)”", english: "unknown record kind", field: "kind") }
                query.kind = kind
            }
            query.search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 60)
            let page = try await store.onSiteRecords(query, for: try context.requireActor())
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
            var query = FindingQuery(page: try PageRequest.validate(limit: parameters["limit"], cursor: parameters["cursor"]))
            query.assignmentID = try Self.optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务")
            query.roundID = try Self.optionalID(parameters["round_id"], field: "round_id", label: "轮次")
            if let text = parameters["status"], !text.isEmpty {
                guard let status = FindingStatus(rawValue: text) else { throw DomainError.invalid("unknown_status", "未知的底稿状态“\(text)”", english: "unknown status", field: "status") }
                query.status = status
            }
            if let text = parameters["disposition"], !text.isEmpty {
                guard let disposition = Disposition(code: text) else {
                    throw DomainError.invalid("unknown_disposition", "未知的处置方式“\(text)”", english: "unknown disposition", field: "disposition")
                }
                query.disposition = disposition
            }
            query.search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 60)
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
            guard let version = input.version else { throw DomainError.required("version", label: "版本号") }
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
            guard let version = input.version else { throw DomainError.required("version", label: "版本号") }
            let finding = try await store.takeFindingStep(step, on: try context.parameters.uuid("id"), note: input.note, version: version, origin: origin)
            return try JSONBody.response(FindingDTO(finding))
        }
        router.post("/api/v1/findings/{id}/triage") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(TriageInput.self, from: request, limit: settings.maxBodyBytes)
            guard let text = input.disposition, let disposition = Disposition(code: text) else {
                throw DomainError.invalid("unknown_disposition", "处置方式须为立行立改、限期整改、移交问题线索或不予认定", english: "unknown disposition", field: "disposition")
            }
            guard let version = input.version else { throw DomainError.required("version", label: "版本号") }
            let finding = try await store.triage(try context.parameters.uuid("id"), as: disposition, note: input.note, version: version, origin: origin)
            return try JSONBody.response(FindingDTO(finding))
        }
    }

    static func optionalID(_ text: String?, field: String, label: String) throws -> UUID? {
        guard let text, !text.isEmpty else { return nil }
        return try PlanningController.id(text, field: field, label: label)
    }
}
