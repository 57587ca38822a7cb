import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 问题线索 pages: the register (a receiving body's inbox, 待办线索, for its 承办人), the group
/// member's registration form, and one lead with its history and the forms of the steps the
/// person may take now. Every opening of a lead, and every page of the list, is logged by the store.
struct LeadPages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/leads") { request, context in try await leadsPage(request, context: context) }
        router.get("/assignments/{id}/leads/new") { _, context in try await newLeadPage(context: context, form: nil, error: nil) }
        router.post("/assignments/{id}/leads") { request, context in try await registerLead(request, context: context) }
        router.get("/leads/{id}") { request, context in try await leadPage(request, context: context, form: nil, error: nil) }
        router.post("/leads/{id}/steps") { request, context in try await takeStep(request, context: context) }
    }

    // MARK: 线索台账

    struct LeadRow {
        let href: String
        let number: String
        let person: String
        let unitName: String
        let subject: String
        let status: String
        let statusClass: String
        let receiver: String
        let feedbackDue: String
        let overdue: Bool
        let createdAt: String
        /// The 移交函 and 移交清单 of a transferred lead's sheet.
        let letterHref: String?
        let sheetHref: String?
    }

    struct LeadsPage {
        let chrome: Chrome
        let heading: String
        let lead: String
        let isInbox: Bool
        /// The assignment the list is narrowed to, kept by the filter form.
        let assignment: AssignmentFilter?
        let rows: [LeadRow]
        let statuses: [Option]
        let receivers: [Option]
        let overdueOnly: Bool
        /// 数据截至 for the overdue marks and filter; empty for today.
        let asOf: String
        let q: String
        let filtered: Bool
        let clearHref: String
        let nextHref: String?
        let firstHref: String?
        let registerHref: String?
        let exports: ExportLinks
        let sortNumber: SortHeader
        let sortUnit: SortHeader
        let sortStatus: SortHeader
        let sortDue: SortHeader
        /// The title line, 制表单位 and 制表日期 the register prints with.
        let printed: PrintedTable
    }

    func leadsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        let actor = origin.actor
        try store.policy.requireAnywhere(actor, .viewLeads)
        let list = try ListAddress("/leads", request)
        let parameters = list.parameters
        let query = try FieldworkController.leadQuery(parameters)
        if let file = try await LedgerExport.requested(parameters, store: store, { try await LedgerTable.leads(store, query, origin: origin) }) { return file }
        let page = try await store.leads(query, origin: origin)
        let today = query.asOf ?? CalendarDay(store.clock.now())
        let isInbox = store.policy.reach(actor, .viewLeads) == .inbox
        var registerHref: String?
        if let assignment = query.assignmentID, store.policy.allowsAnywhere(actor, .registerLeads),
            try await store.fieldworkStanding(assignment, for: actor).mayRecord
        {
            registerHref = "/assignments/\(assignment.text)/leads/new"
        }
        let current = list.sorted(by: "created", .descending)
        let model = LeadsPage(
            chrome: pages.chrome(title: isInbox ? "待办线索" : "问题线索", active: .leads, request: request, context: context),
            heading: isInbox ? "待办线索" : "问题线索",
            lead: isInbox
                ? "移交本单位的问题线索。请及时签收，并在反馈期限内反馈处置方式和办理结果。"
                : "问题线索台账，最新在前。线索属于巡察工作秘密，每次查看均记入审计日志。",
            isInbox: isInbox, assignment: query.assignmentID.map { AssignmentFilter(id: $0.text) },
            rows: page.items.map { Self.row($0, today: today) },
            statuses: LeadStatus.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == query.status) },
            receivers: ReceivingBody.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == query.receiver) },
            overdueOnly: query.overdueOnly, asOf: query.asOf?.description ?? "", q: query.search ?? "",
            filtered: query.status != nil || query.receiver != nil || query.overdueOnly || query.search != nil || query.asOf != nil,
            clearHref: ListLink.make("/leads", ["assignment_id": query.assignmentID?.text ?? ""]),
            nextHref: list.next(page.nextCursor), firstHref: list.first,
            registerHref: registerHref, exports: ExportLinks("/leads", parameters),
            sortNumber: list.sortHeader("number", "线索编号", current: current), sortUnit: list.sortHeader("unit", "被巡察单位", current: current),
            sortStatus: list.sortHeader("status", "状态", current: current), sortDue: list.sortHeader("due", "反馈期限", current: current),
            printed: try await PrintedTable.make(isInbox ? "待办线索" : "问题线索台账", asOf: query.asOf, store: store, actor: actor))
        return pages.render("leads", model)
    }

    struct AssignmentFilter {
        let id: String
    }

    static func row(_ lead: Lead, today: CalendarDay) -> LeadRow {
        LeadRow(
            href: "/leads/\(lead.id.text)", number: lead.number, person: lead.details.personName + (lead.details.personPost.map { "（\($0)）" } ?? ""),
            unitName: lead.unitName, subject: lead.details.subject.title, status: lead.status.title, statusClass: statusClass(lead.status),
            receiver: lead.receiver?.title ?? "—", feedbackDue: lead.feedbackDue?.description ?? "—", overdue: lead.isOverdue(today: today),
            createdAt: Display.time(lead.createdAt), letterHref: transferDocument(lead, "transfer-letter"), sheetHref: transferDocument(lead, "transfer-list"))
    }

    /// A transferred lead's 移交函 or 移交清单 (`document` is its path); nil before the transfer.
    static func transferDocument(_ lead: Lead, _ document: String) -> String? {
        lead.transferredAt != nil && lead.transferSheet != nil ? "/leads/\(lead.id.text)/\(document).docx" : nil
    }

    static func statusClass(_ status: LeadStatus) -> String {
        switch status {
        case .registered, .screened: ""
        case .proposed, .approved, .transferred, .received: "warn"
        case .answered, .closed: "ok"
        case .dismissed, .withdrawn: "bad"
        }
    }

    // MARK: 登记线索

    struct LeadForm {
        let chrome: Chrome
        let heading: FieldworkPages.Heading
        let action: String
        let sources: [FieldworkPages.Choice]
        let personName: String
        let personPost: String
        let authorities: [Option]
        let subjects: [Option]
        let content: String
        let evidence: String
        /// 业务日期 and 补录原因, as typed.
        let occurredOn: String
        let backfillReason: String
        let error: String?
        let cancelHref: String
    }

    /// The sources a group registers from; a working paper's lead comes from its triage.
    static let registrableSources: [LeadSource] = [.interview, .petition, .document, .check]

    func newLeadPage(context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .registerLeads)
        let standing = try await store.fieldworkStanding(try context.parameters.uuid("id"), for: actor)
        try FieldworkPages.requireRecorder(standing)
        let id = standing.assignment.id.text
        let source = form?["source"] ?? LeadSource.interview.rawValue
        let authority = form?["authority"] ?? ""
        let subject = form?["subject"] ?? ""
        let model = LeadForm(
            chrome: Chrome.make(title: "登记问题线索", active: .leads, context: context, policy: store.policy),
            heading: FieldworkPages(store: store, pages: pages).heading(standing, actor: actor), action: "/assignments/\(id)/leads",
            sources: Self.registrableSources.map { FieldworkPages.Choice(value: $0.rawValue, label: $0.title, checked: $0.rawValue == source) },
            personName: form?["person_name"] ?? "", personPost: form?["person_post"] ?? "",
            authorities: CadreAuthority.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == authority) },
            subjects: LeadSubject.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == subject) },
            content: form?["content"] ?? "", evidence: form?["evidence"] ?? "", occurredOn: form?["occurred_on"] ?? "",
            backfillReason: form?["backfill_reason"] ?? "", error: error?.message,
            cancelHref: ListLink.make("/leads", ["assignment_id": id]))
        return pages.render("lead_form", model, refused: error)
    }

    func registerLead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let assignmentID = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            guard let source = form["source"].flatMap(LeadSource.init(code:)), source != .finding else {
                throw DomainError.required("source", label: "线索来源")
            }
            guard let authority = form["authority"].flatMap(CadreAuthority.init(code:)) else { throw DomainError.required("authority", label: "干部管理权限") }
            guard let subject = form["subject"].flatMap(LeadSubject.init(code:)) else { throw DomainError.required("subject", label: "问题性质") }
            let details = LeadDetails(
                source: source, personName: form["person_name"] ?? "", personPost: form["person_post"], authority: authority, subject: subject,
                content: form["content"] ?? "", evidence: form["evidence"])
            let lead = try await store.registerLead(in: assignmentID, details: details, origin: try context.origin(), dated: try form.businessDate())
            return PageRenderer.redirect("/leads/\(lead.id.text)", notice: .leadRegistered, about: NoticeSaid.object(LeadLifecycle.self, lead))
        } reshow: { form, error in
            try await newLeadPage(context: context, form: form, error: error)
        }
    }

    // MARK: 单条线索


    struct LeadPage {
        let chrome: Chrome
        let id: String
        let number: String
        let status: String
        let statusClass: String
        let overdue: Bool
        let fields: [FieldworkPages.Field]
        let content: String
        let evidenceText: String?
        let findingHref: String?
        let recordsHref: String?
        let listHref: String
        /// 移交函 and 移交清单 of the sheet it was transferred under, once transferred.
        let transferLetterHref: String?
        let transferListHref: String?
        let history: [HistoryRow]
        let reminders: [WorkController.ReminderView]
        let actions: [StepForm]
        let version: Int
        let error: String?
    }

    func leadPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let origin = try context.origin()
        let actor = origin.actor
        let lead = try await store.lead(try context.parameters.uuid("id"), origin: origin)
        let history = try await store.history(LeadLifecycle.self, of: lead.id, for: actor)
        let standing = try await store.leadPageStanding(lead, for: actor)
        let today = CalendarDay(store.clock.now())
        let d = lead.details
        var fields = [
            FieldworkPages.Field(label: "被巡察单位", value: lead.unitName), FieldworkPages.Field(label: "线索来源", value: d.source.title),
            FieldworkPages.Field(label: "被反映人", value: d.personName),
        ]
        if let post = d.personPost { fields.append(.init(label: "职务", value: post)) }
        fields.append(.init(label: "干部管理权限", value: d.authority.title))
        fields.append(.init(label: "问题性质", value: d.subject.title))
        fields.append(.init(label: "登记人", value: "\(lead.createdBy)（\(Display.prose(lead.createdAt))）"))
        if let receiver = lead.receiver { fields.append(.init(label: "接收单位", value: receiver.title + (lead.viaStationedBody ? "（转派驻纪检监察组）" : ""))) }
        if let proposal = lead.proposal { fields.append(.init(label: "移交意见", value: proposal)) }
        if let sheet = lead.transferSheet { fields.append(.init(label: "移交单编号", value: sheet)) }
        if let at = lead.transferredAt { fields.append(.init(label: "移交时间", value: Display.prose(at))) }
        if let due = lead.feedbackDue { fields.append(.init(label: "反馈期限", value: Display.prose(due) + (lead.isOverdue(today: today) ? "（已逾期）" : ""))) }
        if let at = lead.receivedAt { fields.append(.init(label: "签收时间", value: Display.prose(at))) }
        if let answer = lead.disposition {
            fields.append(.init(label: "处置方式", value: answer.method.title))
            if let form = answer.form { fields.append(.init(label: "四种形态", value: Self.formTitle(form))) }
            fields.append(.init(label: "涉及人数", value: "\(answer.peopleCount)人"))
            if let sanctions = answer.sanctions { fields.append(.init(label: "处分或处理", value: sanctions)) }
            fields.append(.init(label: "移送司法机关", value: answer.judicialTransfer ? "是" : "否"))
            fields.append(.init(label: "办理结果", value: answer.result))
        }
        if let at = lead.closedAt { fields.append(.init(label: "销号时间", value: Display.prose(at))) }
        let seesFieldwork = store.policy.allowsAnywhere(actor, .viewFieldwork)
        let forms = StepForms(action: "/leads/\(lead.id.text)/steps", version: lead.version, posted: form, error: error)
        let available = LeadLifecycle.available(on: lead, standing: standing.standing)
        // A cadre managed lower down goes to the committee that manages them (or the stationed group).
        let committees = available.contains(.propose) && d.authority == .lower ? try await store.receivingCommittees(for: lead, actor: actor) : []
        let actions = available.compactMap { step in
            stepForm(step, lead: lead, months: standing.feedbackMonths, today: today, committees: committees, forms: forms)
        }
        let model = LeadPage(
            chrome: pages.chrome(title: lead.number, active: .leads, request: request, context: context),
            id: lead.id.text, number: lead.number, status: lead.status.title, statusClass: Self.statusClass(lead.status), overdue: lead.isOverdue(today: today),
            fields: fields, content: d.content, evidenceText: d.evidence,
            findingHref: seesFieldwork ? lead.findingID.map { "/findings/\($0.text)" } : nil,
            recordsHref: seesFieldwork ? "/assignments/\(lead.assignmentID.text)/records" : nil,
            listHref: "/leads",
            transferLetterHref: Self.transferDocument(lead, "transfer-letter"), transferListHref: Self.transferDocument(lead, "transfer-list"),
            history: history.map(HistoryRow.init),
            reminders: try await store.reminders(LeadLifecycle.self, of: lead.id, for: actor).map(WorkController.ReminderView.init),
            actions: actions, version: lead.version, error: error?.message)
        return pages.render("lead", model, refused: error)
    }

    static func formTitle(_ form: Int) -> String {
        LeadDisposition.formTitle(form)
    }

    func stepForm(_ step: LeadStep, lead: Lead, months: Int, today: CalendarDay, committees: [Jurisdiction], forms: StepForms) -> StepForm? {
        let receiver = lead.receiver?.title
        switch step {
        case .screen:
            return forms.form(step, title: "确认为线索（组务会研判）", [.note("组务会研判意见", required: true)])
        case .dismiss:
            return forms.form(step, confirm: "确定不作为线索处理？此操作不能撤销。", danger: true, [.note("不作为线索的理由", required: true)])
        case .propose:
            let suggested = lead.details.suggestedReceiver
            var fields: [StepField] = [
                .select(
                    "receiver", label: "接收单位", perStep: true,
                    options: ReceivingBody.allCases.map { ($0.rawValue, $0.title + ($0 == suggested ? "（按问题性质建议）" : "")) },
                    chosen: (lead.receiver ?? suggested).rawValue)
            ]
            if lead.details.authority == .lower {
                fields += [
                    .select(
                        "receiver_jurisdiction_id", label: "接收线索的党委（被反映人的干部管理权限所在）",
                        options: committees.filter { $0.id != lead.jurisdictionID }.map { ($0.id.text, $0.name) }, chosen: lead.receiverJurisdictionID?.text,
                        empty: "本级（须转派驻纪检监察组）"),
                    .check("via_stationed_body", label: "移交本级纪委监委，转派驻纪检监察组办理", checked: lead.viaStationedBody),
                ]
            }
            fields.append(.note("移交意见", required: true))
            return forms.form(step, fields)
        case .approve:
            return forms.form(
                step, confirm: "批准后由线索管理员移交\(receiver ?? "接收单位")，底稿处置方式不能再调整。确定批准移交？", [.note("审批意见")])
        case .returnProposal:
            return forms.form(step, danger: true, [.note("退回理由", required: true)])
        case .transfer:
            let due = LeadLifecycle.feedbackDue(transferredOn: today, months: months)
            return forms.form(
                step, title: "移交\(receiver ?? "")", confirm: "移交后线索即送达\(receiver ?? "接收单位")，不能撤回。确定移交？",
                [
                    .input("transfer_sheet", label: "移交单编号", maxLength: 60, required: true),
                    .hint("今天移交的，\(receiver ?? "接收单位")应于\(months)个月内、即\(Display.prose(due))前反馈办理情况。", id: "feedback-due-hint"),
                ])
        case .receive:
            return forms.form(step, confirm: "确定签收此线索？签收时间记入台账。")
        case .answer:
            return forms.form(
                step, confirm: "反馈后办理结果即报巡察办，不能修改。确定反馈？",
                [
                    .select("method", label: "处置方式", options: DispositionMethod.allCases.map { ($0.rawValue, $0.title) }, empty: "请选择", required: true),
                    .select("form", label: "四种形态", options: (1...4).map { (String($0), Self.formTitle($0)) }, empty: "不涉及"),
                    .input("people_count", label: "涉及人数", type: "number", min: "0", max: "1000"),
                    .textarea(
                        "sanctions", label: "处分或处理", rows: 2, maxLength: 2000, hint: "党纪处分、政务处分或组织处理的种类，如“党内严重警告”“诫勉”。"),
                    .check("judicial_transfer", label: "已移送司法机关"),
                    .textarea("result", label: "办理结果", rows: 4, maxLength: 10000, required: true),
                ])
        case .close:
            return forms.form(step, confirm: "销号后线索办结，不再跟踪。确定销号？")
        case .withdraw:
            // Taken only by the paper's triage, never offered on this page.
            return nil
        }
    }

    func takeStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            LeadStep.self, request, context: context, store: store,
            input: { form, step in
                var input = LeadStepInput(note: form["note"], transferSheet: form["transfer_sheet"])
                input.receiverJurisdiction = try FieldworkController.optionalID(form["receiver_jurisdiction_id"], field: "receiver_jurisdiction_id", label: "接收线索的党委")
                input.viaStationedBody = form["via_stationed_body"] == "yes"
                if let text = form["receiver"], !text.isEmpty {
                    guard let receiver = ReceivingBody(code: text) else {
                        throw DomainError.invalid("unknown_receiver", "接收单位须为纪委监委或组织部", english: "unknown receiver", field: "receiver")
                    }
                    input.receiver = receiver
                }
                if step == .answer { input.disposition = try Self.disposition(form) }
                return input
            },
            done: { id, _ in PageRenderer.redirect("/leads/\(id.text)", notice: .leadStepTaken) },
            reshow: { form, error in try await leadPage(request, context: context, form: form, error: error) })
    }

    /// The receiving body's answer as the form states it.
    static func disposition(_ form: FormInput) throws -> LeadDisposition {
        guard let method = form["method"].flatMap(DispositionMethod.init(code:)) else { throw DomainError.required("method", label: "处置方式") }
        var level: Int?
        if let text = form["form"], !text.isEmpty {
            guard let value = Int(text) else {
                throw DomainError.invalid("invalid_form", "四种形态须为第一至第四种形态", english: "form must be 1-4", field: "form")
            }
            level = value
        }
        var people = 0
        if let text = form["people_count"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let value = Int(text) else {
                throw DomainError.invalid("invalid_people_count", "涉及人数须为整数", english: "people_count must be a number", field: "people_count")
            }
            people = value
        }
        return LeadDisposition(
            method: method, form: level, peopleCount: people, sanctions: form["sanctions"], judicialTransfer: form["judicial_transfer"] == "yes",
            result: form["result"] ?? "")
    }
}
