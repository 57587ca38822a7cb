import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 问题底稿 over the API: list, draft, edit, steps and triage.
extension FieldworkController {
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
        /// 业务日期 and 补录原因 of the triage, as every step carries them.
        var occurredOn: String?
        var backfillReason: String?
    }

    /// The filters of the papers' list (`assignment_id`, `round_id`, `status`, `disposition`, `q`)
    /// and the page asked for, the same for the API and the page.
    static func findingQuery(_ parameters: [String: String]) throws -> FindingQuery {
        var query = FindingQuery(page: try parameters.pageRequest())
        query.assignmentID = try optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务")
        query.roundID = try optionalID(parameters["round_id"], field: "round_id", label: "轮次")
        query.status = try parameters.code(FindingStatus.self, "status", label: "底稿状态")
        if let text = parameters["disposition"], !text.isEmpty {
            guard let disposition = Disposition(code: text) else {
                throw DomainError.invalid("unknown_disposition", "未知的处置方式“\(text)”", english: "unknown disposition", field: "disposition")
            }
            query.disposition = disposition
        }
        query.search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 60)
        return query
    }

    func registerFindings(on router: Router<AppRequestContext>) {
        router.get("/api/v1/findings") { request, context -> Response in
            let parameters = request.queryDictionary
            let query = try Self.findingQuery(parameters)
            if let file = try await LedgerExport.requested(parameters, store: store, {
                try await LedgerTable.findings(store, query, for: try context.requireActor())
            }) {
                return file
            }
            let page = try await store.findings(query, for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, FindingDTO.init))
        }
        router.post("/api/v1/assignments/{id}/findings") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(FindingInput.self, from: request, limit: settings.maxBodyBytes)
            let finding = try await store.draftFinding(in: try context.parameters.uuid("id"), content: try input.content(), tags: input.classification, origin: origin)
            return try JSONBody.response(FindingDTO(finding), status: .created)
        }
        router.get("/api/v1/findings/{id}") { _, context -> Response in
            let finding = try await store.finding(try context.parameters.uuid("id"), for: try context.requireActor())
            return try JSONBody.response(try await FindingDetailDTO(finding, store: store))
        }
        router.patch("/api/v1/findings/{id}") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(FindingInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let finding = try await store.editFinding(
                try context.parameters.uuid("id"), content: try input.content(), tags: input.classification, version: version, origin: origin)
            return try JSONBody.response(FindingDTO(finding))
        }
        router.steps(of: FindingStep.self, at: "/api/v1/findings/{id}", body: NoteStepBody<FindingStepInput>.self, store: store, settings: settings) { finding, _ in
            try await FindingDetailDTO(finding, store: store)
        }
        router.post("/api/v1/findings/{id}/triage") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(TriageInput.self, from: request, limit: settings.maxBodyBytes)
            guard let text = input.disposition, let disposition = Disposition(code: text) else {
                throw DomainError.invalid("unknown_disposition", "处置方式须为立行立改、限期整改、移交问题线索或不予认定", english: "unknown disposition", field: "disposition")
            }
            let version = try input.version.requiredVersion()
            let lead = try input.lead.map { try $0.details(defaultSource: .finding) }
            let finding = try await store.triage(
                try context.parameters.uuid("id"), as: disposition, note: input.note, lead: lead, version: version, origin: origin,
                dated: try BusinessDate(text: input.occurredOn, reason: input.backfillReason))
            return try JSONBody.response(try await FindingDetailDTO(finding, store: store))
        }
    }
}
