import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 巡察报告 pages: the list with kind and status filters, drafting from the assignment's approved
/// papers, and one report with the committee's chain, each stage's decision, the form of the step
/// the reader may take now and the filings (一巡双报告). Never shown to a unit or a receiver.
struct ReportPages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/reports") { request, context in try await listPage(request, context: context) }
        router.get("/assignments/{id}/reports/new") { request, context in try await newPage(request, context: context, form: nil, error: nil) }
        router.post("/assignments/{id}/reports") { request, context in try await create(request, context: context) }
        router.get("/reports/{id}") { request, context in try await itemPage(request, context: context, form: nil, error: nil) }
        router.post("/reports/{id}") { request, context in try await edit(request, context: context) }
        router.post("/reports/{id}/steps") { request, context in try await takeStep(request, context: context) }
        router.post("/reports/{id}/filings") { request, context in try await file(request, context: context) }
    }

    // MARK: 列表

    struct Row {
        let href: String
        let title: String
        let kind: String
        let unitName: String
        let status: String
        let statusClass: String
        let stage: String
        let createdAt: String
    }

    struct ListPage {
        let chrome: Chrome
        let rows: [Row]
        let kinds: [Option]
        let statuses: [Option]
        let filtered: Bool
        let nextHref: String?
        let firstHref: String?
    }

    func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewReports)
        let list = try ListAddress("/reports", request)
        let parameters = list.parameters
        var kind: ReportKind?
        if let text = parameters["kind"], !text.isEmpty {
            guard let parsed = ReportKind(rawValue: text) else {
                throw DomainError.invalid("unknown_report_kind", "报告类别“\(text)”不存在", english: "unknown report kind", field: "kind")
            }
            kind = parsed
        }
        var status: ReportStatus?
        status = try parameters.code(ReportStatus.self, "status", label: "状态")
        let page = try await store.reports(kind: kind, status: status, page: list.page, for: actor)
        let model = ListPage(
            chrome: pages.chrome(title: "巡察报告", active: .reports, request: request, context: context),
            rows: page.items.map { r in
                Row(
                    href: "/reports/\(r.id.text)", title: r.title, kind: r.kind.title, unitName: r.unitName, status: r.status.title,
                    statusClass: Self.statusClass(r.status), stage: r.pendingStage?.name ?? "—", createdAt: Display.time(r.createdAt))
            },
            kinds: ReportKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == kind) },
            statuses: ReportStatus.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == status) },
            filtered: kind != nil || status != nil,
            nextHref: list.next(page.nextCursor),
            firstHref: list.first)
        return pages.render("reports", model)
    }

    static func statusClass(_ status: ReportStatus) -> String {
        switch status {
        case .draft, .inReview: "warn"
        case .returned: "bad"
        case .approved: "ok"
        }
    }

    // MARK: 起草

    struct FindingChoice {
        let id: String
        let label: String
        let checked: Bool
    }

    struct NewPage {
        let chrome: Chrome
        let assignmentID: String
        let unitName: String
        let kinds: [Option]
        let titleText: String
        let bodyText: String
        let findings: [FindingChoice]
        let error: String?
    }

    func newPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let assignment = try await store.assignment(try context.parameters.uuid("id"), for: actor)
        let approved = try await store.findings(FindingQuery(assignmentID: assignment.id, status: .approved, page: PageRequest(limit: PageRequest.maximumLimit)), for: actor)
        let picked = Set(form?.all("finding_ids") ?? [])
        let kind = form?["kind"] ?? ReportKind.inspection.rawValue
        let model = NewPage(
            chrome: Chrome.make(title: "起草报告", active: .reports, context: context, policy: store.policy),
            assignmentID: assignment.id.text, unitName: assignment.unitName,
            kinds: ReportKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == kind) },
            titleText: form?["title"] ?? "关于巡察\(assignment.unitName)的报告", bodyText: form?["body"] ?? "",
            findings: approved.items.map { f in
                FindingChoice(id: f.id.text, label: "\(f.number ?? "")　\(f.content.title)", checked: picked.contains(f.id.text))
            },
            error: error?.message)
        return pages.render("report_form", model, refused: error)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageForm.submit(request, context: context) { form in
            guard let text = form["kind"], let kind = ReportKind(rawValue: text) else { throw DomainError.required("kind", label: "报告类别") }
            let findings = try form.all("finding_ids").map { try PlanningController.id($0, field: "finding_ids", label: "问题底稿") }
            let report = try await store.draftReport(
                in: try context.parameters.uuid("id"), kind: kind, title: form["title"], body: form["body"], findings: findings, origin: try context.origin())
            return PageRenderer.redirect("/reports/\(report.id.text)", notice: .created, about: NoticeSaid.object(ReportLifecycle.self, report))
        } reshow: { form, error in
            try await newPage(request, context: context, form: form, error: error)
        }
    }

    // MARK: 单项

    struct StageRow {
        let name: String
        let role: String
        let state: String
        let stateClass: String
    }


    struct Link {
        let href: String
        let title: String
    }

    struct ItemPage {
        let chrome: Chrome
        let id: String
        let title: String
        let kind: String
        let unitName: String
        let status: String
        let statusClass: String
        let body: String
        let stages: [StageRow]
        let history: [HistoryRow]
        let findingLinks: [Link]
        let actions: [StepForm]
        let filings: [FieldworkPages.Field]
        let mayFile: Bool
        let feedbackHref: String?
        /// The group's own edit form while the report is a draft or was returned.
        let editForm: EditForm?
        let version: Int
        let error: String?
        /// 下载公文: the record's .docx, once it is one.
        let documentHref: String?
        /// How the page prints as a 公文.
        let paper: PrintedDocument
    }

    struct EditForm {
        let titleText: String
        let bodyText: String
        let findings: [FindingChoice]
    }

    func itemPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.uuid("id")
        let report = try await store.report(id, for: actor)
        let steps = try await store.history(ReportLifecycle.self, of: id, for: actor)
        // Each stage's latest decision since the last submission.
        let since = steps.lastIndex { $0.step == .submit } ?? steps.endIndex
        let decisions = since < steps.endIndex ? Array(steps[since...]) : []
        let stages = report.chain.enumerated().map { index, stage -> StageRow in
            if let decided = decisions.last(where: { $0.stage == stage.name }) {
                let returned = decided.step == .returnForRevision
                return StageRow(
                    name: stage.name, role: stage.role.title, state: "\(returned ? "退回" : "通过")（\(decided.actorName)，\(Display.time(decided.at))）",
                    stateClass: returned ? "bad" : "ok")
            }
            let pending = report.status == .inReview && index == report.stageIndex
            return StageRow(name: stage.name, role: stage.role.title, state: pending ? "审议中" : "—", stateClass: pending ? "warn" : "")
        }
        let stageName = report.pendingStage?.name ?? ""
        let forms = StepForms(action: "/reports/\(report.id.text)/steps", version: report.version, posted: form, error: error)
        let actions = try await store.availableSteps(ReportLifecycle.self, on: report, for: actor).map { step in
            switch step {
            case .submit: forms.form(step, confirm: "提交后报告按本级审议流程逐级审议。确定提交？")
            case .approve: forms.form(step, title: "\(stageName)审议通过", confirm: "确定登记“\(stageName)”审议通过？", [.note("审议意见")])
            case .returnForRevision: forms.form(step, confirm: "确定退回巡察组修改？", danger: true, [.note("退回意见", required: true)])
            }
        }
        var findingLinks: [Link] = []
        if store.policy.allowsAnywhere(actor, .viewFieldwork) {
            for findingID in report.findingIDs {
                if let finding = try? await store.finding(findingID, for: actor) {
                    findingLinks.append(Link(href: "/findings/\(finding.id.text)", title: "\(finding.number ?? "")　\(finding.content.title)"))
                }
            }
        }
        var editForm: EditForm?
        if report.status.isEditable, store.policy.allowsAnywhere(actor, .recordFieldwork) {
            let approved = try await store.findings(
                FindingQuery(assignmentID: report.assignmentID, status: .approved, page: PageRequest(limit: PageRequest.maximumLimit)), for: actor)
            // A refused step shows its own form again; the edit form keeps what is stored.
            let edited = form?["step"] == nil ? form : nil
            let picked = edited.map { Set($0.all("finding_ids")) } ?? Set(report.findingIDs.map(\.text))
            editForm = EditForm(
                titleText: edited?["title"] ?? report.title, bodyText: edited?["body"] ?? report.body,
                findings: approved.items.map { FindingChoice(id: $0.id.text, label: "\($0.number ?? "")　\($0.content.title)", checked: picked.contains($0.id.text)) })
        }
        let location = RecordLocation(jurisdictionID: report.jurisdictionID, jurisdictionPath: actor.jurisdictionPath)
        let mayFile = report.status == .approved && store.policy.allows(actor, .fileReports, at: location)
        let mayFeedback = report.status == .approved && report.kind == .inspection && store.policy.allows(actor, .manageRounds, at: location)
        let issuer = await PrintedDocument.group(of: report.assignmentID, store: store, actor: actor)
        let model = ItemPage(
            chrome: pages.chrome(title: report.title, active: .reports, request: request, context: context),
            id: report.id.text, title: report.title, kind: report.kind.title, unitName: report.unitName, status: report.status.title,
            statusClass: Self.statusClass(report.status), body: report.body, stages: stages,
            history: steps.map(HistoryRow.init),
            findingLinks: findingLinks, actions: actions,
            filings: report.filings.map { .init(label: $0.recipient, value: "\($0.filedBy)，\(Display.prose($0.filedAt))") }, mayFile: mayFile,
            feedbackHref: mayFeedback ? "/assignments/\(report.assignmentID.text)/feedback/new" : nil, editForm: editForm, version: report.version,
            error: error?.message,
            documentHref: report.documentDay(history: steps) == nil || report.kind.documentKind == nil ? nil : "/reports/\(report.id.text)/document.docx",
            paper: PrintedDocument(
                number: nil, title: report.title, addressee: try await PrintedDocument.leadingGroup(of: report.jurisdictionID, store: store, actor: actor),
                issuer: issuer, dated: report.status == .approved ? decisions.last?.at : nil))
        return pages.render("report", model, refused: error)
    }

    func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            let findings = try form.all("finding_ids").map { try PlanningController.id($0, field: "finding_ids", label: "问题底稿") }
            let saved = try await store.editReport(id, title: form["title"], body: form["body"], findings: findings, version: version, origin: try context.origin())
            return PageRenderer.redirect("/reports/\(id.text)", notice: .saved, about: NoticeSaid.object(ReportLifecycle.self, saved))
        } reshow: { form, error in
            try await itemPage(request, context: context, form: form, error: error)
        }
    }

    func takeStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            ReportStep.self, request, context: context, store: store, input: { form, _ in StepNote(form["note"]) },
            done: { id, _ in PageRenderer.redirect("/reports/\(id.text)", notice: .done) },
            reshow: { form, error in try await itemPage(request, context: context, form: form, error: error) })
    }

    func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            _ = try await store.fileReport(id, with: form["recipient"], origin: try context.origin())
            return PageRenderer.redirect("/reports/\(id.text)", notice: .saved)
        } reshow: { form, error in
            try await itemPage(request, context: context, form: form, error: error)
        }
    }
}
