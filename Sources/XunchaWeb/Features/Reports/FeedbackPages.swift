import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 反馈意见 pages: the list, drafting for an assignment whose inspection report the committee
/// approved (the deadlines default to 15 days and two months from today), and one feedback with
/// its problem list, which the office rewords while it is a draft and then issues. The unit reads
/// its issued feedback without any link to the papers behind the problems, and drafts its
/// rectification reports from there.
struct FeedbackPages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/feedback") { request, context in try await listPage(request, context: context) }
        router.get("/assignments/{id}/feedback/new") { request, context in try await newPage(request, context: context, form: nil, error: nil) }
        router.post("/assignments/{id}/feedback") { request, context in try await create(request, context: context) }
        router.get("/feedback/{id}") { request, context in try await itemPage(request, context: context, form: nil, error: nil) }
        router.post("/feedback/{id}/problems/{problem}") { request, context in try await word(request, context: context) }
        router.post("/feedback/{id}/issue") { request, context in try await issue(request, context: context) }
        router.post("/feedback/{id}/rectification-reports") { request, context in try await draftReport(request, context: context) }
    }

    func readsAsUnit(_ actor: Actor) -> Bool { store.policy.reach(actor, .viewFeedback) == .ownUnit }

    // MARK: 列表

    struct Row {
        let href: String
        let number: String
        let title: String
        let unitName: String
        let reportDue: String
        let status: String
        let statusClass: String
    }

    struct ListPage {
        let chrome: Chrome
        let isUnit: Bool
        let rows: [Row]
        let nextHref: String?
        let firstHref: String?
    }

    func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewFeedback)
        let list = try ListAddress("/feedback", request)
        let page = try await store.feedbacks(page: list.page, for: actor)
        let model = ListPage(
            chrome: pages.chrome(title: "反馈意见", active: .feedback, request: request, context: context),
            isUnit: readsAsUnit(actor),
            rows: page.items.map { f in
                Row(
                    href: "/feedback/\(f.id.text)", number: f.document.number, title: f.document.title, unitName: f.unitName,
                    reportDue: f.document.reportDue.description, status: f.status.title, statusClass: f.status == .issued ? "ok" : "warn")
            },
            nextHref: list.next(page.nextCursor),
            firstHref: list.first)
        return pages.render("feedbacks", model)
    }

    // MARK: 拟制

    struct NewPage {
        let chrome: Chrome
        let assignmentID: String
        let unitName: String
        let number: String
        let title: String
        let mainRecipient: String
        let copyRecipients: String
        let body: String
        let planDue: String
        let reportDue: String
        let today: String
        let error: String?
    }

    func newPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let assignment = try await store.assignment(try context.parameters.uuid("id"), for: actor)
        let today = CalendarDay(store.clock.now())
        // The report is due the committee's set number of months after feedback (2 by default).
        let months = try await store.settings(of: assignment.jurisdictionID, for: actor).rectificationReportMonths
        // The committee's 发文字号格式, if it set one, suggests the number.
        let suggested = form == nil ? try await store.suggestedNumber(.feedback, of: assignment.jurisdictionID) : nil
        let model = NewPage(
            chrome: Chrome.make(title: "拟制反馈意见", active: .feedback, context: context, policy: store.policy),
            assignmentID: assignment.id.text, unitName: assignment.unitName,
            number: form?["number"] ?? suggested ?? "",
            title: form?["title"] ?? "关于巡察\(assignment.unitName)的反馈意见", mainRecipient: form?["main_recipient"] ?? "\(assignment.unitName)党组织",
            copyRecipients: form?["copy_recipients"] ?? "", body: form?["body"] ?? "",
            planDue: form?["plan_due"] ?? today.adding(days: 15).description, reportDue: form?["report_due"] ?? today.adding(months: months).description,
            today: today.description, error: error?.message)
        return pages.render("feedback_form", model, refused: error)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageForm.submit(request, context: context) { form in
            func day(_ field: String, _ label: String) throws -> CalendarDay {
                guard let text = form[field], !text.isEmpty else { throw DomainError.required(field, label: label) }
                return try CalendarDay(text: text, field: field, label: label)
            }
            let copies = (form["copy_recipients"] ?? "").split(whereSeparator: { $0.isNewline || "、,，".contains($0) }).map(String.init)
            let document = FeedbackDocument(
                number: form["number"] ?? "", title: form["title"] ?? "", mainRecipient: form["main_recipient"] ?? "", copyRecipients: copies,
                body: form["body"] ?? "", planDue: try day("plan_due", "整改方案报送时限"), reportDue: try day("report_due", "整改情况报告时限"))
            let feedback = try await store.draftFeedback(for: try context.parameters.uuid("id"), document: document, origin: try context.origin())
            return PageRenderer.redirect("/feedback/\(feedback.id.text)", notice: .created, about: NoticeSaid.object(FeedbackLifecycle.self, feedback))
        } reshow: { form, error in
            try await newPage(request, context: context, form: form, error: error)
        }
    }

    // MARK: 单项

    struct ProblemRow {
        let problemID: String
        let sequence: Int
        let text: String
        /// Only for those who may read fieldwork; never for the unit.
        let findingHref: String?
    }

    struct ReportRow {
        let href: String
        let kind: String
        let title: String
        let status: String
        let overdue: Bool
    }

    struct PlanLink {
        let href: String
        let title: String
        let status: String
    }

    struct ItemPage {
        let chrome: Chrome
        let id: String
        let isUnit: Bool
        let number: String
        let title: String
        let unitName: String
        let mainRecipient: String
        let copyRecipients: String
        let body: String
        let planDue: String
        let reportDue: String
        let status: String
        let isDraft: Bool
        let mayEdit: Bool
        let issuedAt: String?
        let problems: [ProblemRow]
        /// 整改方案 answering this feedback, when the unit has begun one and the reader may open it.
        let plan: PlanLink?
        let reports: [ReportRow]
        let showReports: Bool
        let mayDraftReport: Bool
        let reportKinds: [Option]
        let version: Int
        let error: String?
        /// How the page prints as a 公文.
        let paper: PrintedDocument
    }

    func itemPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let feedback = try await store.feedback(try context.parameters.uuid("id"), for: actor)
        let isUnit = readsAsUnit(actor)
        let location = RecordLocation(jurisdictionID: feedback.jurisdictionID, jurisdictionPath: actor.jurisdictionPath, unitID: feedback.unitID)
        let mayEdit = feedback.status == .draft && store.policy.allows(actor, .manageRounds, at: location)
        let linksPapers = !isUnit && store.policy.allowsAnywhere(actor, .viewFieldwork)
        let showReports = feedback.status == .issued && store.policy.allows(actor, .viewRectificationReports, at: location)
        let reports = showReports ? try await store.rectificationReports(feedback: feedback.id, page: PageRequest(limit: PageRequest.maximumLimit), for: actor).items : []
        let today = CalendarDay(store.clock.now())
        let kind = form?["kind"]
        var plan: PlanLink?
        if store.policy.allows(actor, .viewRectification, at: location), let found = try await store.rectificationPlan(forFeedback: feedback.id, for: actor) {
            plan = PlanLink(href: "/rectification-plans/\(found.id.text)", title: found.content.title, status: found.status.title)
        }
        let signed = try await store.templateSignature(.feedback, jurisdictionID: feedback.jurisdictionID, record: feedback.id, issued: feedback.issuedAt != nil)
        let issuer = if let signed { signed } else { await PrintedDocument.group(of: feedback.assignmentID, store: store, actor: actor) }
        let model = ItemPage(
            chrome: pages.chrome(title: feedback.document.title, active: .feedback, request: request, context: context),
            id: feedback.id.text, isUnit: isUnit, number: feedback.document.number, title: feedback.document.title, unitName: feedback.unitName,
            mainRecipient: feedback.document.mainRecipient, copyRecipients: feedback.document.copyRecipients.joined(separator: "、"), body: feedback.document.body,
            planDue: Display.prose(feedback.document.planDue), reportDue: Display.prose(feedback.document.reportDue), status: feedback.status.title,
            isDraft: feedback.status == .draft, mayEdit: mayEdit, issuedAt: feedback.issuedAt.map(Display.prose),
            problems: feedback.problems.map { p in
                ProblemRow(problemID: p.id.text, sequence: p.sequence, text: p.text, findingHref: linksPapers ? "/findings/\(p.findingID.text)" : nil)
            },
            plan: plan,
            reports: reports.map { r in
                ReportRow(href: "/rectification-reports/\(r.id.text)", kind: r.kind.title, title: r.title, status: r.status.title, overdue: r.isOverdue(today: today))
            },
            showReports: showReports,
            mayDraftReport: feedback.status == .issued && store.policy.allows(actor, .writeRectificationReports, at: location),
            reportKinds: RectificationReportKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == kind) },
            version: feedback.version, error: error?.message,
            paper: PrintedDocument(
                number: feedback.document.number, title: feedback.document.title, addressee: feedback.document.mainRecipient, issuer: issuer, dated: feedback.issuedAt))
        return pages.render("feedback", model, refused: error)
    }

    func word(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            _ = try await store.wordProblem(try context.parameters.uuid("problem"), of: id, as: form["text"], version: version, origin: try context.origin())
            return PageRenderer.redirect("/feedback/\(id.text)", notice: .saved)
        } reshow: { form, error in
            try await itemPage(request, context: context, form: form, error: error)
        }
    }

    func issue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            FeedbackStep.self, request, context: context, store: store, step: { _ in .issue }, input: { _, _ in StepNote() },
            done: { id, _ in PageRenderer.redirect("/feedback/\(id.text)", notice: .feedbackIssued) },
            reshow: { form, error in try await itemPage(request, context: context, form: form, error: error) })
    }

    func draftReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let report = try await store.draftRectificationReport(
                for: id, kind: try RectificationReportsController.kind(form["kind"]), title: form["title"], body: form["body"], origin: try context.origin())
            return PageRenderer.redirect("/rectification-reports/\(report.id.text)", notice: .created, about: NoticeSaid.object(RectificationReportLifecycle.self, report))
        } reshow: { form, error in
            try await itemPage(request, context: context, form: form, error: error)
        }
    }
}
