import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 问题线索 over the API: the register, registration and the steps of the lead's chain.
extension FieldworkController {
    struct LeadInput: Decodable {
        var source: String?
        var personName: String?
        var personPost: String?
        var authority: String?
        var subject: String?
        var content: String?
        var evidence: String?
        /// 业务日期: the day the lead was found (registering one found before today).
        var occurredOn: String?
        var backfillReason: String?

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

    struct LeadStepBody: StepBody {
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
        var viaStationedBody: Bool?
        var transferSheet: String?
        var disposition: Answer?
        var version: Int?

        func input(today _: CalendarDay) throws -> LeadStepInput {
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
            var input = LeadStepInput(
                note: note, receiver: receiver,
                receiverJurisdiction: try FieldworkController.optionalID(receiverJurisdictionId, field: "receiver_jurisdiction_id", label: "接收线索的党委"),
                transferSheet: transferSheet, disposition: answer)
            input.viaStationedBody = viaStationedBody ?? false
            return input
        }
    }

    /// The filters of the leads' list (`assignment_id`, `status`, `receiver`, `overdue`, `as_of`, `q`) and
    /// the page asked for, the same for the API and the page.
    static func leadQuery(_ parameters: [String: String]) throws -> LeadQuery {
        var query = LeadQuery(page: try parameters.pageRequest())
        query.assignmentID = try optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务")
        query.status = try parameters.code(LeadStatus.self, "status", label: "线索状态")
        if let text = parameters["receiver"], !text.isEmpty {
            guard let receiver = ReceivingBody(code: text) else {
                throw DomainError.invalid("unknown_receiver", "接收单位须为纪委监委或组织部", english: "unknown receiver", field: "receiver")
            }
            query.receiver = receiver
        }
        // The API says `true`, the page's checkbox `1`.
        query.overdueOnly = try parameters.flag("overdue", label: "只看逾期")
        query.asOf = try RectificationController.asOf(parameters)
        query.search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 60)
        return query
    }

    func registerLeads(on router: Router<AppRequestContext>) {
        router.get("/api/v1/leads") { request, context -> Response in
            let parameters = request.queryDictionary
            let query = try Self.leadQuery(parameters)
            if let file = try await LedgerExport.requested(parameters, store: store, { try await LedgerTable.leads(store, query, origin: try context.origin()) }) { return file }
            let page = try await store.leads(query, origin: try context.origin())
            let today = query.asOf ?? CalendarDay(store.clock.now())
            return try JSONBody.response(PageDTO(page) { LeadDTO($0, today: today) })
        }
        router.post("/api/v1/assignments/{id}/leads") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(LeadInput.self, from: request, limit: settings.maxBodyBytes)
            guard input.source?.isEmpty == false else { throw DomainError.required("source", label: "线索来源") }
            let lead = try await store.registerLead(
                in: try context.parameters.uuid("id"), details: try input.details(defaultSource: .interview), origin: origin,
                dated: try BusinessDate(text: input.occurredOn, reason: input.backfillReason))
            return try JSONBody.response(LeadDTO(lead, today: CalendarDay(store.clock.now())), status: .created)
        }
        router.get("/api/v1/leads/{id}") { _, context -> Response in
            let lead = try await store.lead(try context.parameters.uuid("id"), origin: try context.origin())
            return try JSONBody.response(LeadDTO(lead, today: CalendarDay(store.clock.now())))
        }
        router.steps(of: LeadStep.self, at: "/api/v1/leads/{id}", body: LeadStepBody.self, store: store, settings: settings) { [store] lead, _ in
            LeadDTO(lead, today: CalendarDay(store.clock.now()))
        }
    }
}
