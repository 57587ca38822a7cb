import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 巡察工作材料 over the API: classification schemes and on-site records here; working papers, leads,
/// 立行立改 and attachments in the `FieldworkController+…` files beside it.
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

    func register(on router: Router<AppRequestContext>) {
        registerFindings(on: router)
        registerLeads(on: router)
        registerImmediate(on: router)
        registerAttachments(on: router)
        router.get("/api/v1/classifications") { request, context -> Response in
            let all = try request.queryDictionary.flag("all", label: "全部版本")
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
            return try JSONBody.response(PageDTO(page, RecordDTO.init))
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
    }

    static func optionalID(_ text: String?, field: String, label: String) throws -> UUID? {
        guard let text, !text.isEmpty else { return nil }
        return try PlanningController.id(text, field: field, label: label)
    }
}
