import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

struct ReportDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, roundId = "round_id", assignmentId = "assignment_id", groupId = "group_id", unitName = "unit_name", kind, kindTitle = "kind_title"
        case title, body, findingIds = "finding_ids", status, statusTitle = "status_title", chain, pendingStage = "pending_stage", filings
        case createdBy = "created_by", createdAt = "created_at", version
    }

    struct Stage: Encodable {
        let name: String
        let role: String
    }

    struct Filing: Encodable {
        enum CodingKeys: String, CodingKey {
            case recipient, filedBy = "filed_by", filedAt = "filed_at"
        }

        let recipient: String
        let filedBy: String
        let filedAt: String
    }

    let id: String
    let roundId: String
    let assignmentId: String
    let groupId: String
    let unitName: String
    let kind: String
    let kindTitle: String
    let title: String
    let body: String
    let findingIds: [String]
    let status: String
    let statusTitle: String
    let chain: [Stage]
    let pendingStage: String?
    let filings: [Filing]
    let createdBy: String
    let createdAt: String
    let version: Int

    init(_ r: Report) {
        id = r.id.text
        roundId = r.roundID.text
        assignmentId = r.assignmentID.text
        groupId = r.groupID.text
        unitName = r.unitName
        kind = r.kind.rawValue
        kindTitle = r.kind.title
        title = r.title
        body = r.body
        findingIds = r.findingIDs.map(\.text)
        status = r.status.rawValue
        statusTitle = r.status.title
        chain = r.chain.map { Stage(name: $0.name, role: $0.role.rawValue) }
        pendingStage = r.pendingStage?.name
        filings = r.filings.map { Filing(recipient: $0.recipient, filedBy: $0.filedBy, filedAt: JSONBody.timestamp($0.filedAt)) }
        createdBy = r.createdBy
        createdAt = JSONBody.timestamp(r.createdAt)
        version = r.version
    }
}

/// 巡察报告 through the API: drafting from approved findings, the committee's chain, filing.
struct ReportsController {
    let store: Store
    let settings: WebSettings

    struct ReportInput: Decodable {
        var kind: String?
        var title: String?
        var body: String?
        var findingIds: [String]?
        var version: Int?

        func findings() throws -> [UUID] {
            try (findingIds ?? []).map { try PlanningController.id($0, field: "finding_ids", label: "问题底稿") }
        }
    }

    struct StepInput: Decodable {
        var step: String?
        var note: String?
        var version: Int?
    }

    struct FilingInput: Decodable {
        var recipient: String?
    }

    struct StepDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case step, stage, from, to, note, actor, at
        }

        let step: String
        let stage: String?
        let from: String
        let to: String
        let note: String?
        let actor: String
        let at: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/reports") { request, context -> Response in
            let parameters = request.queryDictionary
            let page = try PageRequest.validate(limit: parameters["limit"], cursor: parameters["cursor"])
            let found = try await store.reports(
                assignment: try FieldworkController.optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务"), page: page,
                for: try context.requireActor())
            return try JSONBody.response(PageDTO(items: found.items.map(ReportDTO.init), nextCursor: found.nextCursor))
        }
        router.post("/api/v1/assignments/{id}/reports") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(ReportInput.self, from: request, limit: settings.maxBodyBytes)
            guard let text = input.kind, !text.isEmpty else { throw DomainError.required("kind", label: "报告类别") }
            guard let kind = ReportKind(code: text) else {
                throw DomainError.invalid("unknown_report_kind", "报告类别须为巡察报告、专题报告或问题线索报告", english: "unknown report kind", field: "kind")
            }
            let report = try await store.draftReport(
                in: try context.parameters.uuid("id"), kind: kind, title: input.title, body: input.body, findings: try input.findings(), origin: origin)
            return try JSONBody.response(ReportDTO(report), status: .created)
        }
        router.get("/api/v1/reports/{id}") { _, context -> Response in
            try JSONBody.response(ReportDTO(try await store.report(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.patch("/api/v1/reports/{id}") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(ReportInput.self, from: request, limit: settings.maxBodyBytes)
            guard let version = input.version else { throw DomainError.required("version", label: "版本号") }
            let report = try await store.editReport(
                try context.parameters.uuid("id"), title: input.title, body: input.body, findings: try input.findings(), version: version, origin: origin)
            return try JSONBody.response(ReportDTO(report))
        }
        router.get("/api/v1/reports/{id}/steps") { _, context -> Response in
            let steps = try await store.reportSteps(try context.parameters.uuid("id"), for: try context.requireActor())
            return try JSONBody.response(
                PlanningController.ItemsDTO(
                    items: steps.map {
                        StepDTO(
                            step: $0.step, stage: $0.stageName, from: $0.from.rawValue, to: $0.to.rawValue, note: $0.note, actor: $0.actorName,
                            at: JSONBody.timestamp($0.at))
                    }))
        }
        router.post("/api/v1/reports/{id}/steps") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(StepInput.self, from: request, limit: settings.maxBodyBytes)
            guard let text = input.step, let step = ReportStep(rawValue: text) else {
                throw DomainError.invalid("unknown_step", "未知的流转步骤“\(input.step ?? "")”", english: "unknown step", field: "step")
            }
            guard let version = input.version else { throw DomainError.required("version", label: "版本号") }
            let report = try await store.takeReportStep(step, on: try context.parameters.uuid("id"), note: input.note, version: version, origin: origin)
            return try JSONBody.response(ReportDTO(report))
        }
        router.post("/api/v1/reports/{id}/filings") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(FilingInput.self, from: request, limit: settings.maxBodyBytes)
            let report = try await store.fileReport(try context.parameters.uuid("id"), with: input.recipient, origin: origin)
            return try JSONBody.response(ReportDTO(report), status: .created)
        }
    }
}
