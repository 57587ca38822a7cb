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

struct FeedbackDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, assignmentId = "assignment_id", unitId = "unit_id", unitName = "unit_name", number, title, mainRecipient = "main_recipient"
        case copyRecipients = "copy_recipients", body, planDue = "plan_due", reportDue = "report_due", status, statusTitle = "status_title", problems
        case issuedAt = "issued_at", version
    }

    struct Problem: Encodable {
        enum CodingKeys: String, CodingKey {
            case id, sequence, text, findingId = "finding_id"
        }

        let id: String
        let sequence: Int
        let text: String
        /// Left out for the inspected unit: the paper behind a problem is not theirs to know of.
        let findingId: String?
    }

    let id: String
    let assignmentId: String
    let unitId: String
    let unitName: String
    let number: String
    let title: String
    let mainRecipient: String
    let copyRecipients: [String]
    let body: String
    let planDue: String
    let reportDue: String
    let status: String
    let statusTitle: String
    let problems: [Problem]
    let issuedAt: String?
    let version: Int

    init(_ f: Feedback, for actor: Actor) {
        id = f.id.text
        assignmentId = f.assignmentID.text
        unitId = f.unitID.text
        unitName = f.unitName
        number = f.document.number
        title = f.document.title
        mainRecipient = f.document.mainRecipient
        copyRecipients = f.document.copyRecipients
        body = f.document.body
        planDue = f.document.planDue.description
        reportDue = f.document.reportDue.description
        status = f.status.rawValue
        statusTitle = f.status.title
        problems = f.problems.map { Problem(id: $0.id.text, sequence: $0.sequence, text: $0.text, findingId: actor.unitID == nil ? $0.findingID.text : nil) }
        issuedAt = f.issuedAt.map(JSONBody.timestamp)
        version = f.version
    }
}

/// 巡察报告 and 反馈意见 through the API: drafting from approved findings, the committee's chain,
/// filing, and the feedback with its problem list.
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

    struct FilingInput: Decodable {
        var recipient: String?
    }

    struct FeedbackInput: Decodable {
        var number: String?
        var title: String?
        var mainRecipient: String?
        var copyRecipients: [String]?
        var body: String?
        var planDue: String?
        var reportDue: String?

        func document() throws -> FeedbackDocument {
            func day(_ text: String?, _ field: String, _ label: String) throws -> CalendarDay {
                guard let text, !text.isEmpty else { throw DomainError.required(field, label: label) }
                return try CalendarDay(text: text, field: field, label: label)
            }
            return FeedbackDocument(
                number: number ?? "", title: title ?? "", mainRecipient: mainRecipient ?? "", copyRecipients: copyRecipients ?? [], body: body ?? "",
                planDue: try day(planDue, "plan_due", "整改方案报送时限"), reportDue: try day(reportDue, "report_due", "整改情况报告时限"))
        }
    }

    struct ProblemInput: Decodable {
        var text: String?
        var version: Int?
    }

    func register(on router: Router<AppRequestContext>) {
        registerFeedback(on: router)
        router.get("/api/v1/reports") { request, context -> Response in
            let parameters = request.queryDictionary
            let page = try parameters.pageRequest()
            let found = try await store.reports(
                assignment: try FieldworkController.optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务"), page: page,
                for: try context.requireActor())
            return try JSONBody.response(PageDTO(found, ReportDTO.init))
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
            let version = try input.version.requiredVersion()
            let report = try await store.editReport(
                try context.parameters.uuid("id"), title: input.title, body: input.body, findings: try input.findings(), version: version, origin: origin)
            return try JSONBody.response(ReportDTO(report))
        }
        router.steps(of: ReportStep.self, at: "/api/v1/reports/{id}", body: NoteStepBody<StepNote>.self, store: store, settings: settings) { report, _ in
            ReportDTO(report)
        }
        router.post("/api/v1/reports/{id}/filings") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(FilingInput.self, from: request, limit: settings.maxBodyBytes)
            let report = try await store.fileReport(try context.parameters.uuid("id"), with: input.recipient, origin: origin)
            return try JSONBody.response(ReportDTO(report), status: .created)
        }
    }

    func registerFeedback(on router: Router<AppRequestContext>) {
        router.post("/api/v1/assignments/{id}/feedback") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(FeedbackInput.self, from: request, limit: settings.maxBodyBytes)
            let feedback = try await store.draftFeedback(for: try context.parameters.uuid("id"), document: try input.document(), origin: origin)
            return try JSONBody.response(FeedbackDTO(feedback, for: origin.actor), status: .created)
        }
        router.get("/api/v1/feedback") { request, context -> Response in
            let actor = try context.requireActor()
            let parameters = request.queryDictionary
            let page = try await store.feedbacks(page: try parameters.pageRequest(), for: actor)
            return try JSONBody.response(PageDTO(page) { FeedbackDTO($0, for: actor) })
        }
        router.get("/api/v1/feedback/{id}") { _, context -> Response in
            let actor = try context.requireActor()
            return try JSONBody.response(FeedbackDTO(try await store.feedback(try context.parameters.uuid("id"), for: actor), for: actor))
        }
        router.patch("/api/v1/feedback/{id}/problems/{problem}") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(ProblemInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let feedback = try await store.wordProblem(
                try context.parameters.uuid("problem"), of: try context.parameters.uuid("id"), as: input.text, version: version, origin: origin)
            return try JSONBody.response(FeedbackDTO(feedback, for: origin.actor))
        }
        router.steps(of: FeedbackStep.self, at: "/api/v1/feedback/{id}", body: NoteStepBody<StepNote>.self, store: store, settings: settings) { feedback, origin in
            FeedbackDTO(feedback, for: origin.actor)
        }
        router.post("/api/v1/feedback/{id}/issue") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(VersionInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let feedback = try await store.take(FeedbackStep.issue, on: try context.parameters.uuid("id"), note: nil, version: version, origin: origin)
            return try JSONBody.response(FeedbackDTO(feedback, for: origin.actor))
        }
    }
}
