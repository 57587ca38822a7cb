import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

struct RectificationReportDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, feedbackId = "feedback_id", feedbackNumber = "feedback_number", unitId = "unit_id", unitName = "unit_name", kind, kindTitle = "kind_title"
        case title, body, status, statusTitle = "status_title", due, overdue, signature, submittedAt = "submitted_at", reviewNote = "review_note"
        case reviewedAt = "reviewed_at", createdBy = "created_by", createdAt = "created_at", version
    }

    struct Signature: Encodable {
        enum CodingKeys: String, CodingKey {
            case signerId = "signer_id", signerName = "signer_name", signedAt = "signed_at", sha256
        }

        let signerId: String
        let signerName: String
        let signedAt: String
        let sha256: String
    }

    let id: String
    let feedbackId: String
    let feedbackNumber: String
    let unitId: String
    let unitName: String
    let kind: String
    let kindTitle: String
    let title: String
    let body: String
    let status: String
    let statusTitle: String
    let due: String
    let overdue: Bool
    let signature: Signature?
    let submittedAt: String?
    let reviewNote: String?
    let reviewedAt: String?
    let createdBy: String
    let createdAt: String
    let version: Int

    init(_ r: RectificationReport, today: CalendarDay) {
        id = r.id.text
        feedbackId = r.feedbackID.text
        feedbackNumber = r.feedbackNumber
        unitId = r.unitID.text
        unitName = r.unitName
        kind = r.kind.rawValue
        kindTitle = r.kind.title
        title = r.title
        body = r.body
        status = r.status.rawValue
        statusTitle = r.status.title
        due = r.due.description
        overdue = r.isOverdue(today: today)
        signature = r.signature.map {
            Signature(signerId: $0.signerID.text, signerName: $0.signerName, signedAt: JSONBody.timestamp($0.signedAt), sha256: $0.digest)
        }
        submittedAt = r.submittedAt.map(JSONBody.timestamp)
        reviewNote = r.reviewNote
        reviewedAt = r.reviewedAt.map(JSONBody.timestamp)
        createdBy = r.createdBy
        createdAt = JSONBody.timestamp(r.createdAt)
        version = r.version
    }
}

struct DisclosureDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, reportId = "report_id", unitId = "unit_id", unitName = "unit_name", title, text, exemptions, channel, channelTitle = "channel_title"
        case status, statusTitle = "status_title", reviewNote = "review_note", publishedOn = "published_on", circulation, createdBy = "created_by"
        case createdAt = "created_at", version
    }

    struct Circulation: Encodable {
        let number: String
        let scope: String
        let date: String
    }

    let id: String
    let reportId: String
    let unitId: String
    let unitName: String
    let title: String
    let text: String
    let exemptions: [String]
    let channel: String
    let channelTitle: String
    let status: String
    let statusTitle: String
    let reviewNote: String?
    let publishedOn: String?
    let circulation: Circulation?
    let createdBy: String
    let createdAt: String
    let version: Int

    init(_ d: Disclosure) {
        id = d.id.text
        reportId = d.reportID.text
        unitId = d.unitID.text
        unitName = d.unitName
        title = d.title
        text = d.text
        exemptions = d.exemptions.map(\.rawValue)
        channel = d.channel.rawValue
        channelTitle = d.channel.title
        status = d.status.rawValue
        statusTitle = d.status.title
        reviewNote = d.reviewNote
        publishedOn = d.publishedOn?.description
        circulation = d.circulation.map { Circulation(number: $0.number, scope: $0.scope, date: $0.date.description) }
        createdBy = d.createdBy
        createdAt = JSONBody.timestamp(d.createdAt)
        version = d.version
    }
}

/// 整改报告 and 整改公开 through the API: the unit's reports to issued feedback with the head's
/// signature, the office's review, the disclosure with its exemptions, approval, publication and
/// the internal circulation.
struct RectificationReportsController {
    let store: Store
    let settings: WebSettings

    struct ReportInput: Decodable {
        var kind: String?
        var title: String?
        var body: String?
        var version: Int?
    }

    struct DisclosureInput: Decodable {
        var title: String?
        var text: String?
        var exemptions: [String]?
        var channel: String?
        var version: Int?

        func parsedChannel() throws -> DisclosureChannel {
            guard let text = channel, !text.isEmpty else { throw DomainError.required("channel", label: "公开方式") }
            guard let found = DisclosureChannel(code: text) else {
                throw DomainError.invalid("unknown_channel", "公开方式须为社会公开或单位内部公开", english: "unknown channel", field: "channel")
            }
            return found
        }
    }

    struct CirculationInput: Decodable {
        var number: String?
        var scope: String?
        var date: String?
        var version: Int?
    }

    var today: CalendarDay { CalendarDay(store.clock.now()) }

    static func kind(_ text: String?) throws -> RectificationReportKind {
        guard let text, !text.isEmpty else { throw DomainError.required("kind", label: "报告类别") }
        guard let kind = RectificationReportKind(code: text) else {
            throw DomainError.invalid(
                "unknown_report_kind", "报告类别须为整改情况报告、主要负责人组织落实整改情况报告或整改进展情况报告", english: "unknown report kind", field: "kind")
        }
        return kind
    }

    static func reportStatus(_ text: String?) throws -> RectificationReportStatus? {
        guard let text, !text.isEmpty else { return nil }
        guard let status = RectificationReportStatus(rawValue: text) else {
            throw DomainError.invalid("unknown_status", "状态“\(text)”不存在", english: "unknown status", field: "status")
        }
        return status
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/feedback/{id}/rectification-reports") { request, context -> Response in
            let parameters = request.queryDictionary
            let page = try await store.rectificationReports(
                feedback: try context.parameters.uuid("id"), page: try parameters.pageRequest(),
                for: try context.requireActor())
            return try JSONBody.response(PageDTO(page) { RectificationReportDTO($0, today: today) })
        }
        router.post("/api/v1/feedback/{id}/rectification-reports") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(ReportInput.self, from: request, limit: settings.maxBodyBytes)
            let report = try await store.draftRectificationReport(
                for: try context.parameters.uuid("id"), kind: try Self.kind(input.kind), title: input.title, body: input.body, origin: origin)
            return try JSONBody.response(RectificationReportDTO(report, today: today), status: .created)
        }
        router.get("/api/v1/rectification-reports") { request, context -> Response in
            let parameters = request.queryDictionary
            let page = try await store.rectificationReports(
                feedback: try FieldworkController.optionalID(parameters["feedback_id"], field: "feedback_id", label: "反馈意见"),
                status: try Self.reportStatus(parameters["status"]), page: try parameters.pageRequest(),
                for: try context.requireActor())
            return try JSONBody.response(PageDTO(page) { RectificationReportDTO($0, today: today) })
        }
        router.get("/api/v1/rectification-reports/{id}") { _, context -> Response in
            let report = try await store.rectificationReport(try context.parameters.uuid("id"), for: try context.requireActor())
            return try JSONBody.response(RectificationReportDTO(report, today: today))
        }
        router.patch("/api/v1/rectification-reports/{id}") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(ReportInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let report = try await store.editRectificationReport(
                try context.parameters.uuid("id"), title: input.title, body: input.body, version: version, origin: origin)
            return try JSONBody.response(RectificationReportDTO(report, today: today))
        }
        router.steps(
            of: RectificationReportStep.self, at: "/api/v1/rectification-reports/{id}", body: NoteStepBody<StepNote>.self, store: store, settings: settings
        ) { report, _ in RectificationReportDTO(report, today: today) }
        registerDisclosures(on: router)
    }

    func registerDisclosures(on router: Router<AppRequestContext>) {
        router.post("/api/v1/rectification-reports/{id}/disclosures") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(DisclosureInput.self, from: request, limit: settings.maxBodyBytes)
            let disclosure = try await store.draftDisclosure(
                from: try context.parameters.uuid("id"), title: input.title, text: input.text, exemptions: input.exemptions ?? [],
                channel: try input.parsedChannel(), origin: origin)
            return try JSONBody.response(DisclosureDTO(disclosure), status: .created)
        }
        router.get("/api/v1/disclosures") { request, context -> Response in
            let parameters = request.queryDictionary
            var status: DisclosureStatus?
            status = try parameters.code(DisclosureStatus.self, "status", label: "状态")
            let page = try await store.disclosures(
                status: status, page: try parameters.pageRequest(), for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, DisclosureDTO.init))
        }
        router.get("/api/v1/disclosures/{id}") { _, context -> Response in
            try JSONBody.response(DisclosureDTO(try await store.disclosure(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.patch("/api/v1/disclosures/{id}") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(DisclosureInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let disclosure = try await store.editDisclosure(
                try context.parameters.uuid("id"), title: input.title, text: input.text, exemptions: input.exemptions ?? [], channel: try input.parsedChannel(),
                version: version, origin: origin)
            return try JSONBody.response(DisclosureDTO(disclosure))
        }
        router.steps(of: DisclosureStep.self, at: "/api/v1/disclosures/{id}", body: NoteStepBody<StepNote>.self, store: store, settings: settings) { disclosure, _ in
            DisclosureDTO(disclosure)
        }
        router.post("/api/v1/disclosures/{id}/circulation") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(CirculationInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let circulation = try InternalCirculation.validate(number: input.number, scope: input.scope, date: input.date)
            let disclosure = try await store.recordCirculation(of: try context.parameters.uuid("id"), circulation, version: version, origin: origin)
            return try JSONBody.response(DisclosureDTO(disclosure))
        }
    }
}
