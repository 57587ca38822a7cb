import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 立行立改 pages: the list (for an inspected unit, its 立行立改通知 from the notice on) and one
/// item with the forms of the steps the person may take now: the leading group's consent, the
/// leader's notice, the unit head's signature, the unit's report with its evidence, and the
/// leader's verification. A unit reads the notice's own text, never the working paper behind it.
struct ImmediatePages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/immediate-rectifications") { request, context in try await listPage(request, context: context) }
        router.get("/immediate-rectifications/{id}") { request, context in try await itemPage(request, context: context, form: nil, error: nil, uploadError: nil) }
        router.post("/immediate-rectifications/{id}/steps") { request, context in try await takeStep(request, context: context) }
        router.post("/immediate-rectifications/{id}/report") { request, context in try await report(request, context: context) }
        router.post("/immediate-rectifications/{id}/attachments") { request, context -> Response in
            let id = try context.parameters.uuid("id")
            return try await EvidenceBlock.upload(request, context: context, store: store, owner: .immediate(id), page: "/immediate-rectifications/\(id.text)") { error in
                try await itemPage(request, context: context, form: nil, error: nil, uploadError: error)
            }
        }
    }

    /// Whether the actor reads as the inspected unit: the notice only.
    func readsAsUnit(_ actor: Actor) -> Bool { store.policy.reach(actor, .viewImmediateRectifications) == .ownUnit }

    // MARK: 列表

    struct Row {
        let href: String
        let number: String
        let unitName: String
        let problem: String
        let deadline: String
        let status: String
        let statusClass: String
    }

    struct ListPage {
        let chrome: Chrome
        let heading: String
        let lead: String
        let isUnit: Bool
        let rows: [Row]
        let statuses: [Option]
        let filtered: Bool
        let nextHref: String?
        let firstHref: String?
        let exports: ExportLinks
    }

    func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewImmediateRectifications)
        let list = try ListAddress("/immediate-rectifications", request)
        let parameters = list.parameters
        let isUnit = readsAsUnit(actor)
        var status: ImmediateStatus?
        status = try parameters.code(ImmediateStatus.self, "status", label: "状态")
        let assignment = try parameters["assignment_id"].flatMap { $0.isEmpty ? nil : try PlanningController.id($0, field: "assignment_id", label: "巡察任务") }
        if let file = try await LedgerExport.requested(parameters, store: store, {
            try await LedgerTable.immediates(store, assignment: assignment, status: status, for: actor)
        }) {
            return file
        }
        let page = try await store.immediateRectifications(assignment: assignment, status: status, page: list.page, for: actor)
        let title = isUnit ? "立行立改通知" : "立行立改"
        let model = ListPage(
            chrome: pages.chrome(title: title, active: .immediate, request: request, context: context),
            heading: title,
            lead: isUnit
                ? "巡察组下达本单位的立行立改通知。请单位主要负责人签收（签字背书），立即整改，并上传佐证材料报告整改情况。"
                : "进驻期间确定为立行立改的问题：领导小组同意后由巡察组下达通知书，被巡察单位签收、整改、报告，巡察组核实销号。",
            isUnit: isUnit,
            rows: page.items.map { item in
                Row(
                    href: "/immediate-rectifications/\(item.id.text)", number: item.number ?? "（待下达）", unitName: item.unitName,
                    problem: item.problem ?? "（待下达通知书）", deadline: item.deadline?.description ?? "—", status: item.status.title,
                    statusClass: Self.statusClass(item.status))
            },
            statuses: (isUnit ? ImmediateStatus.visibleToUnit : ImmediateStatus.allCases).map { Option(value: $0.rawValue, label: $0.title, selected: $0 == status) },
            filtered: status != nil,
            nextHref: list.next(page.nextCursor),
            firstHref: list.first,
            exports: ExportLinks("/immediate-rectifications", parameters))
        return pages.render("immediates", model)
    }

    static func statusClass(_ status: ImmediateStatus) -> String {
        switch status {
        case .proposed, .approved, .issued: "warn"
        case .signed, .reported: ""
        case .closed: "ok"
        case .withdrawn: "bad"
        }
    }

    // MARK: 单项

    struct ItemPage {
        let chrome: Chrome
        let id: String
        let heading: String
        let isUnit: Bool
        let number: String
        let unitName: String
        let status: String
        let statusClass: String
        let problem: String?
        let requirement: String?
        let deadline: String?
        let fields: [FieldworkPages.Field]
        let measures: String?
        let findingHref: String?
        let findingTitle: String?
        /// The 立行立改通知书 as .docx, once issued.
        let documentHref: String?
        let actions: [StepForm]
        let version: Int
        let error: String?
        let evidence: EvidenceBlock
        let reminders: [WorkController.ReminderView]
        /// How the page prints as a 公文.
        let paper: PrintedDocument
    }

    func itemPage(_ request: Request, context: AppRequestContext, form: MultipartOrURLForm?, error: DomainError?, uploadError: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let item = try await store.immediateRectification(try context.parameters.uuid("id"), for: actor)
        let standing = try await store.immediatePageStanding(item, for: actor)
        let isUnit = readsAsUnit(actor)
        // The paper behind the item, for those who may read fieldwork; never for the unit.
        var finding: Finding?
        if !isUnit, store.policy.allowsAnywhere(actor, .viewFieldwork) { finding = try? await store.finding(item.findingID, for: actor) }
        var fields: [FieldworkPages.Field] = []
        if let at = item.issuedAt { fields.append(.init(label: "下达时间", value: Display.prose(at))) }
        if let by = item.signedBy, let at = item.signedAt {
            fields.append(.init(label: "签收（签字背书）", value: "\(by)（\(Display.prose(at))）"))
        }
        if let at = item.reportedAt { fields.append(.init(label: "报告整改时间", value: Display.prose(at))) }
        if let verification = item.verification {
            fields.append(.init(label: item.status == .closed ? "巡察组核实意见" : "巡察组退回理由", value: verification))
        }
        if let at = item.closedAt { fields.append(.init(label: "销号时间", value: Display.prose(at))) }
        let forms = StepForms(action: "/immediate-rectifications/\(item.id.text)/steps", version: item.version, posted: form, error: error)
        let actions = ImmediateLifecycle.available(on: item, standing: standing).compactMap { step in
            stepForm(step, item: item, finding: finding, forms: forms)
        }
        let mayAttach = standing.isUnitUser && item.status == .signed
        let evidence = try await EvidenceBlock.make(
            store, owner: .immediate(item.id), actor: actor, uploadAction: mayAttach ? "/immediate-rectifications/\(item.id.text)/attachments" : nil,
            error: uploadError)
        let heading = isUnit ? "立行立改通知" : "立行立改事项"
        let signed = try await store.templateSignature(.immediate, jurisdictionID: item.jurisdictionID, record: item.id, issued: item.issuedAt != nil)
        let issuer = if let signed { signed } else { await PrintedDocument.group(of: item.assignmentID, store: store, actor: actor) }
        let model = ItemPage(
            chrome: pages.chrome(title: heading, active: .immediate, request: request, context: context),
            id: item.id.text, heading: heading, isUnit: isUnit, number: item.number ?? "（下达通知书时编号）", unitName: item.unitName, status: item.status.title,
            statusClass: Self.statusClass(item.status), problem: item.problem, requirement: item.requirement, deadline: item.deadline.map(Display.prose),
            fields: fields, measures: item.measures, findingHref: finding.map { "/findings/\($0.id.text)" }, findingTitle: finding?.content.title,
            documentHref: item.issuedAt == nil ? nil : "/immediate-rectifications/\(item.id.text)/document.docx", actions: actions, version: item.version, error: error?.message, evidence: evidence,
            reminders: try await store.reminders(ImmediateLifecycle.self, of: item.id, for: actor).map(WorkController.ReminderView.init),
            paper: PrintedDocument(number: item.number, title: "立行立改通知书", addressee: item.unitName, issuer: issuer, dated: item.issuedAt))
        return pages.render("immediate", model, refused: error ?? uploadError)
    }

    func stepForm(_ step: ImmediateStep, item: ImmediateRectification, finding: Finding?, forms: StepForms) -> StepForm? {
        switch step {
        case .approve:
            return forms.form(step, title: "同意立行立改", confirm: "同意后由巡察组组长向被巡察单位下达立行立改通知书。确定同意？")
        case .issue:
            return forms.form(
                step, title: "下达立行立改通知书", confirm: "下达后通知书即送被巡察单位，内容不能再改。确定下达？",
                [
                    .textarea(
                        "problem", label: "通知书所列问题", rows: 4, maxLength: 4000, required: true, value: finding?.content.manifestation ?? "",
                        hint: "写明被巡察单位应当知道的问题事实；不得写入谈话、信访等巡察工作秘密。"),
                    .textarea("requirement", label: "整改要求", rows: 3, maxLength: 4000, required: true),
                    .input("deadline", label: "整改时限", type: "date", min: CalendarDay(store.clock.now()).description),
                ])
        case .sign:
            return forms.form(
                step, title: "签字背书，签收通知书", confirm: "签收即由您本人以单位主要负责人身份签字背书，承诺立行立改，记入审计日志。确定签收？",
                [
                    .hint("签收立行立改通知书须由单位主要负责人本人签字背书，表明已阅知通知书所列问题和整改要求，并对整改负第一责任。"),
                    .check("endorse", label: "本人已阅知通知书内容，签字背书，承诺立行立改", required: true, keepsTyped: false),
                ])
        case .report:
            // The report carries a file: it posts to its own address as multipart.
            return forms.form(
                step, title: "报告整改情况", action: "/immediate-rectifications/\(item.id.text)/report", multipart: true,
                confirm: "报告后由巡察组核实，整改情况不能再修改。确定报告？",
                [
                    .textarea("measures", label: "整改措施及成效", rows: 5, maxLength: 10000, required: true),
                    .input(
                        "file", label: "佐证材料", type: "file", id: "report-file",
                        hint: "可附一个文件（PDF、Word、Excel、OFD、JPG/PNG 或纯文本，不超过20MB）；更多材料可在下方“证据材料”中上传。"),
                ])
        case .verify:
            return forms.form(step, confirm: "确定整改到位、核实销号？", [.note("核实意见")])
        case .reject:
            return forms.form(step, confirm: "确定退回被巡察单位重新整改？", danger: true, [.note("退回理由", required: true)])
        case .withdraw:
            // Taken only by the paper's triage, never offered on this page.
            return nil
        }
    }

    func takeStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            ImmediateStep.self, request, context: context, store: store,
            input: { form, step in
                // The unit's report carries files: it has its own multipart form.
                guard step != .report else { throw DomainError.required("step", label: "办理事项") }
                if step == .sign, form["endorse"] != "yes" {
                    throw DomainError.invalid("endorsement_required", "签收须勾选“本人已阅知并签字背书”", english: "the head must endorse", field: "endorse")
                }
                return ImmediateStepInput(note: form["note"], problem: form["problem"], requirement: form["requirement"], deadline: form["deadline"])
            },
            done: { id, _ in PageRenderer.redirect("/immediate-rectifications/\(id.text)", notice: .immediateStepTaken) },
            reshow: { form, error in try await itemPage(request, context: context, form: .url(form), error: error, uploadError: nil) })
    }

    /// The unit's report: what it did, with a file of evidence if chosen. The file is checked
    /// and attached first, so a refused file leaves the item as it was.
    func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        var parsed: MultipartForm?
        do {
            let form = try await MultipartForm.parse(request, context: context, limit: EvidenceBlock.uploadLimit)
            parsed = form
            let version = try form.version()
            guard let measures = form["measures"], !measures.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DomainError.required("measures", label: "整改措施及成效")
            }
            let origin = try context.origin()
            let dated = try form.businessDate()
            if let file = form.file("file") { _ = try await store.attach(file.data, filename: file.filename, to: .immediate(id), origin: origin) }
            let record = try await store.take(
                ImmediateStep.report, on: id, input: ImmediateStepInput(measures: measures), version: version, origin: origin, dated: dated)
            return NoticeSaid.saying(
                NoticeSaid.object(of: ImmediateStep.report, record), act: NoticeSaid.act(of: ImmediateStep.report),
                PageRenderer.redirect("/immediate-rectifications/\(id.text)", notice: .immediateStepTaken))
        } catch let error as DomainError where EvidenceBlock.isShownOnPage(error) {
            return try await PageAddress.refused(parsed?[FormInput.pageField], request, context: context) {
                try await itemPage(request, context: context, form: parsed.map(MultipartOrURLForm.multipart), error: error, uploadError: nil)
            }
        }
    }
}

/// The text fields of a refused form, whichever way it was posted, to show them again.
enum MultipartOrURLForm: FormFields {
    case url(FormInput)
    case multipart(MultipartForm)

    subscript(_ name: String) -> String? {
        switch self {
        case .url(let form): form[name]
        case .multipart(let form): form[name]
        }
    }

    func all(_ name: String) -> [String] {
        switch self {
        case .url(let form): form.all(name)
        case .multipart(let form): form.all(name)
        }
    }
}
