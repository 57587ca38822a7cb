import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 整改方案 pages: the unit writes its plan problem by problem with "三个一" owners, the head
/// signs it, the office decides with the opinions of 纪委 and 组织部.
struct RectificationPages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/rectification-plans") { request, context in try await listPage(request, context: context) }
        router.get("/rectification-plans/new") { request, context in try await planForm(request, context: context, plan: nil, form: nil, error: nil) }
        router.post("/rectification-plans") { request, context in try await createPlan(request, context: context) }
        router.get("/rectification-plans/{id}") { request, context in try await planPage(request, context: context, form: nil, error: nil) }
        router.get("/rectification-plans/{id}/edit") { request, context in
            let plan = try await store.rectificationPlan(try context.parameters.uuid("id"), for: try context.requireActor())
            return try await planForm(request, context: context, plan: plan, form: nil, error: nil)
        }
        router.post("/rectification-plans/{id}/edit") { request, context in try await editPlan(request, context: context) }
        router.post("/rectification-plans/{id}/tasks") { request, context in try await addTask(request, context: context) }
        router.post("/rectification-plans/{id}/endorsement") { request, context in try await endorse(request, context: context) }
        router.post("/rectification-plans/{id}/reviews") { request, context in try await review(request, context: context) }
        router.get("/rectification-tasks/{id}/edit") { request, context in try await taskForm(request, context: context, form: nil, error: nil) }
        router.post("/rectification-tasks/{id}/edit") { request, context in try await changeTask(request, context: context) }
        router.post("/rectification-tasks/{id}/delete") { request, context in try await removeTask(request, context: context) }
    }

    // MARK: 列表

    struct PlanRow {
        let href: String
        let unitName: String
        let feedbackNumber: String
        let title: String
        let status: String
        let statusClass: String
        let revision: Int
        let updated: String
    }

    struct AwaitingRow {
        let href: String
        let number: String
        let title: String
        let planDue: String
    }

    struct ListPage {
        let chrome: Chrome
        let awaiting: [AwaitingRow]
        let rows: [PlanRow]
        let statuses: [Option]
        let filtered: Bool
        let nextHref: String?
        let firstHref: String?
    }

    static func statusClass(_ status: PlanStatus) -> String {
        switch status {
        case .drafting: ""
        case .endorsed: "warn"
        case .returned: "bad"
        case .approved: "ok"
        }
    }

    func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewRectification)
        let list = try ListAddress("/rectification-plans", request)
        let parameters = list.parameters
        var status: PlanStatus?
        status = try parameters.code(PlanStatus.self, "status", label: "状态")
        let page = try await store.rectificationPlans(status: status, page: list.page, for: actor)
        let awaiting = try await store.feedbackAwaitingPlan(for: actor)
        let model = ListPage(
            chrome: pages.chrome(title: "整改方案", active: .plansOfUnits, request: request, context: context),
            awaiting: awaiting.map {
                AwaitingRow(href: "/rectification-plans/new?feedback=\($0.id.text)", number: $0.document.number, title: $0.document.title, planDue: Display.prose($0.document.planDue))
            },
            rows: page.items.map {
                PlanRow(
                    href: "/rectification-plans/\($0.id.text)", unitName: $0.unitName, feedbackNumber: $0.feedbackNumber, title: $0.content.title,
                    status: $0.status.title, statusClass: Self.statusClass($0.status), revision: $0.revision, updated: Display.time($0.updatedAt))
            },
            statuses: PlanStatus.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == status) }, filtered: status != nil,
            nextHref: list.next(page.nextCursor),
            firstHref: list.first)
        return pages.render("rectification_plans", model)
    }

    // MARK: 方案表单

    struct PlanFormPage {
        let chrome: Chrome
        let heading: String
        let action: String
        let feedbackID: String?
        let feedbackNumber: String
        let titleText: String
        let meetingText: String
        let bodyText: String
        let version: Int
        let error: String?
    }

    func planForm(_ request: Request, context: AppRequestContext, plan: RectificationPlan?, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .draftRectificationPlans)
        var feedbackNumber = plan?.feedbackNumber ?? ""
        var feedbackID: String?
        if plan == nil {
            guard let text = form?["feedback_id"] ?? request.queryDictionary["feedback"], let id = UUID(text: text) else {
                throw DomainError.required("feedback", label: "反馈意见")
            }
            let feedback = try await store.feedback(id, for: actor)
            feedbackNumber = feedback.document.number
            feedbackID = id.text
        }
        let heading = plan == nil ? "拟定整改方案" : "修改整改方案"
        let model = PlanFormPage(
            chrome: Chrome.make(title: heading, active: .plansOfUnits, context: context, policy: store.policy),
            heading: heading, action: plan.map { "/rectification-plans/\($0.id.text)/edit" } ?? "/rectification-plans", feedbackID: feedbackID,
            feedbackNumber: feedbackNumber,
            titleText: form?["title"] ?? plan?.content.title ?? "关于巡察反馈意见的整改方案",
            meetingText: form?["meeting"] ?? plan?.content.meeting ?? "", bodyText: form?["body"] ?? plan?.content.body ?? "",
            version: plan?.version ?? 0, error: error?.message)
        return pages.render("rectification_plan_form", model, refused: error)
    }

    static func content(_ form: FormInput) -> PlanContent {
        PlanContent(title: form["title"] ?? "", meeting: form["meeting"] ?? "", body: form["body"] ?? "")
    }

    func createPlan(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageForm.submit(request, context: context) { form in
            guard let id = form["feedback_id"].flatMap(UUID.init(text:)) else { throw DomainError.required("feedback_id", label: "反馈意见") }
            let plan = try await store.draftRectificationPlan(for: id, content: Self.content(form), origin: try context.origin())
            return PageRenderer.redirect("/rectification-plans/\(plan.id.text)", notice: .created, about: NoticeSaid.object(PlanLifecycle.self, plan))
        } reshow: { form, error in
            try await planForm(request, context: context, plan: nil, form: form, error: error)
        }
    }

    func editPlan(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            let saved = try await store.editRectificationPlan(id, content: Self.content(form), version: version, origin: try context.origin())
            return PageRenderer.redirect("/rectification-plans/\(id.text)", notice: .saved, about: NoticeSaid.object(PlanLifecycle.self, saved))
        } reshow: { form, error in
            let plan = try await store.rectificationPlan(id, for: try context.requireActor())
            return try await planForm(request, context: context, plan: plan, form: form, error: error)
        }
    }

    // MARK: 方案

    struct TaskRow {
        let id: String
        let href: String
        let label: String
        let target: String
        let measures: String
        let deadline: String
        let kind: String
        let leader: String
        let department: String
        let cadre: String
        let status: String
    }

    struct ProblemBlock {
        let problemID: String
        let sequence: Int
        let text: String
        let tasks: [TaskRow]
        let open: Bool
        let taskForm: TaskFields?
    }

    /// The fields of a task form, with what was typed.
    struct TaskFields {
        let formID: String
        let targetText: String
        let measuresText: String
        let deadlineText: String
        let longTerm: Bool
        let everyText: String
        let leaderText: String
        let departmentText: String
        let cadreText: String
        let accounts: [Option]
        let minDeadline: String
    }

    struct Review {
        let body: String
        let decision: String
        let comment: String
        let reviewer: String
        let revision: Int
        let at: String
    }

    struct ReviewForm {
        let decisions: [Option]
        let commentText: String
    }

    struct PlanPage {
        let chrome: Chrome
        let id: String
        let unitName: String
        let feedbackNumber: String
        /// The feedback the plan answers, for readers who may open it (纪委 and 组织部 supervise the plan, not the feedback).
        let feedbackHref: String?
        let title: String
        let meeting: String
        let body: String
        let status: String
        let statusClass: String
        let revision: Int
        let problems: [ProblemBlock]
        let editable: Bool
        let mayEdit: Bool
        let mayEndorse: Bool
        let endorsement: PlanEndorsement?
        let endorsedAt: String?
        let reviews: [Review]
        let reviewForm: ReviewForm?
        let ledgerHref: String?
        let version: Int
        let error: String?
        /// 下载公文: the record's .docx, once it is one.
        let documentHref: String?
        /// How the page prints as a 公文.
        let paper: PrintedDocument
    }

    func planPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let plan = try await store.rectificationPlan(try context.parameters.uuid("id"), for: actor)
        let tasks = try await store.tasks(ofPlan: plan.id, for: actor)
        let problems = try await store.problems(ofPlan: plan.id, for: actor)
        let writer = actor.unitID == plan.unitID && store.policy.allowsAnywhere(actor, .draftRectificationPlans)
        let mayEdit = writer && plan.status.isEditable
        var accounts: [Option] = []
        if mayEdit {
            accounts = try await store.taskOwnerAccounts(ofUnit: plan.unitID, for: actor).map { Option(value: $0.id.text, label: $0.name, selected: false) }
        }
        let feedbackDay = try await minimumDeadline(plan, actor: actor)
        let typedProblem = form?["problem_id"]
        let blocks = problems.map { problem in
            let own = tasks.filter { $0.problemID == problem.id }
            let typed = typedProblem == problem.id.text ? form : nil
            return ProblemBlock(
                problemID: problem.id.text, sequence: problem.sequence, text: problem.text,
                tasks: own.map { task in
                    TaskRow(
                        id: task.id.text, href: plan.status == .approved ? "/rectification-tasks/\(task.id.text)" : "/rectification-tasks/\(task.id.text)/edit",
                        label: task.label, target: task.content.target, measures: task.content.measures, deadline: task.content.deadline.description,
                        kind: task.content.kind.title, leader: task.content.owners.leader, department: task.content.owners.department,
                        cadre: task.content.owners.cadre, status: task.status.title)
                },
                open: typed != nil || (mayEdit && own.isEmpty),
                taskForm: mayEdit ? Self.taskFields(typed, task: nil, accounts: accounts, minimum: feedbackDay, formID: "p\(problem.sequence)") : nil)
        }
        let steps = try await store.availableSteps(PlanLifecycle.self, on: plan, for: actor)
        var reviewForm: ReviewForm?
        let choices = steps.compactMap(\.decision)
        if !choices.isEmpty {
            reviewForm = ReviewForm(
                decisions: choices.map { Option(value: $0.rawValue, label: $0.title, selected: form?["decision"] == $0.rawValue) },
                commentText: form?["comment"] ?? "")
        }
        let model = PlanPage(
            chrome: pages.chrome(title: "整改方案", active: .plansOfUnits, request: request, context: context),
            id: plan.id.text, unitName: plan.unitName, feedbackNumber: plan.feedbackNumber,
            feedbackHref: store.policy.allowsAnywhere(actor, .viewFeedback) ? "/feedback/\(plan.feedbackID.text)" : nil, title: plan.content.title, meeting: plan.content.meeting,
            body: plan.content.body, status: plan.status.title, statusClass: Self.statusClass(plan.status), revision: plan.revision, problems: blocks,
            editable: plan.status.isEditable, mayEdit: mayEdit,
            mayEndorse: steps.contains(.endorse),
            endorsement: plan.endorsement, endorsedAt: plan.endorsement.map { Display.prose($0.at) },
            reviews: plan.reviews.map {
                Review(body: $0.body.title, decision: $0.decision.title, comment: $0.comment, reviewer: $0.reviewerName, revision: $0.revision, at: Display.time($0.at))
            },
            reviewForm: reviewForm, ledgerHref: plan.status == .approved ? "/ledger?list=tasks&plan_id=\(plan.id.text)" : nil, version: plan.version,
            error: error?.message, documentHref: plan.isIssuable ? "/rectification-plans/\(plan.id.text)/document.docx" : nil,
            paper: PrintedDocument(
                number: nil, title: plan.content.title, addressee: try await PrintedDocument.office(of: plan.jurisdictionID, store: store, actor: actor),
                issuer: plan.unitName, dated: plan.endorsement?.at))
        return pages.render("rectification_plan", model, refused: error)
    }

    /// The earliest deadline a task may have: the day after the feedback was issued.
    private func minimumDeadline(_ plan: RectificationPlan, actor: Actor) async throws -> String {
        guard let feedback = try? await store.feedback(plan.feedbackID, for: actor), let issued = feedback.issuedAt else { return "" }
        return CalendarDay(issued).adding(days: 1).description
    }

    static func taskFields(_ form: FormInput?, task: RectificationTask?, accounts: [Option], minimum: String, formID: String) -> TaskFields {
        let account = form?["cadre_account_id"] ?? task?.content.owners.cadreAccountID?.text
        let kind = form?["kind"] ?? task?.content.kind.rawValue
        return TaskFields(
            formID: formID, targetText: form?["target"] ?? task?.content.target ?? "", measuresText: form?["measures"] ?? task?.content.measures ?? "",
            deadlineText: form?["deadline"] ?? task?.content.deadline.description ?? "", longTerm: kind == TaskKind.longTerm.rawValue,
            everyText: form?["report_every_days"] ?? task?.content.reportEveryDays.map(String.init) ?? "30",
            leaderText: form?["leader"] ?? task?.content.owners.leader ?? "", departmentText: form?["department"] ?? task?.content.owners.department ?? "",
            cadreText: form?["cadre"] ?? task?.content.owners.cadre ?? "",
            accounts: accounts.map { Option(value: $0.value, label: $0.label, selected: $0.value == account) }, minDeadline: minimum)
    }

    static func taskContent(_ form: FormInput) throws -> TaskContent {
        let every = form["kind"] == TaskKind.longTerm.rawValue ? form["report_every_days"].flatMap { Int($0) } : nil
        return try RectificationController.taskContent(
            target: form["target"], measures: form["measures"], deadline: form["deadline"], kind: form["kind"], reportEveryDays: every,
            leader: form["leader"], department: form["department"], cadre: form["cadre"], cadreAccount: form["cadre_account_id"])
    }

    func addTask(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            guard let problem = form["problem_id"].flatMap(UUID.init(text:)) else { throw DomainError.required("problem_id", label: "问题") }
            _ = try await store.addRectificationTask(to: id, problem: problem, content: try Self.taskContent(form), version: version, origin: try context.origin())
            return PageRenderer.redirect("/rectification-plans/\(id.text)", notice: .taskAdded)
        } reshow: { form, error in
            try await planPage(request, context: context, form: form, error: error)
        }
    }

    func endorse(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            PlanStep.self, request, context: context, store: store,
            step: { form in
                guard form["endorse"] == "yes" else {
                    throw DomainError.invalid("endorsement_required", "签字背书须勾选“本人已审阅整改方案全文并签字背书”", english: "the head must confirm", field: "endorse")
                }
                return .endorse
            },
            input: { _, _ in StepNote() }, done: { id, _ in PageRenderer.redirect("/rectification-plans/\(id.text)", notice: .planEndorsed) },
            shown: { $0.isShownOnForm || $0.kind == .forbidden },
            reshow: { form, error in try await planPage(request, context: context, form: form, error: error) })
    }

    func review(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            PlanStep.self, request, context: context, store: store,
            step: { form in
                guard let decision = form["decision"].flatMap(ReviewDecision.init(rawValue:)) else { throw DomainError.required("decision", label: "审核结论") }
                return PlanStep(decision)
            },
            input: { form, _ in StepNote(form["comment"]) }, done: { id, _ in PageRenderer.redirect("/rectification-plans/\(id.text)", notice: .planReviewed) },
            reshow: { form, error in try await planPage(request, context: context, form: form, error: error) })
    }

    // MARK: 任务表单

    struct TaskFormPage {
        let chrome: Chrome
        let planHref: String
        let label: String
        let problem: String
        let action: String
        let deleteAction: String
        let fields: TaskFields
        let planVersion: Int
        let error: String?
    }

    func taskForm(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let task = try await store.rectificationTask(try context.parameters.uuid("id"), for: actor)
        let plan = try await store.rectificationPlan(task.planID, for: actor)
        guard plan.status.isEditable, actor.unitID == plan.unitID, store.policy.allowsAnywhere(actor, .draftRectificationPlans) else {
            return PageRenderer.redirect(plan.status == .approved ? "/rectification-tasks/\(task.id.text)" : "/rectification-plans/\(plan.id.text)")
        }
        let accounts = try await store.taskOwnerAccounts(ofUnit: plan.unitID, for: actor).map { Option(value: $0.id.text, label: $0.name, selected: false) }
        let model = TaskFormPage(
            chrome: Chrome.make(title: "修改整改任务", active: .plansOfUnits, context: context, policy: store.policy),
            planHref: "/rectification-plans/\(plan.id.text)", label: task.label, problem: task.problemText, action: "/rectification-tasks/\(task.id.text)/edit",
            deleteAction: "/rectification-tasks/\(task.id.text)/delete",
            fields: Self.taskFields(form, task: task, accounts: accounts, minimum: try await minimumDeadline(plan, actor: actor), formID: "task"),
            planVersion: form?["version"].flatMap(Int.init) ?? plan.version, error: error?.message)
        return pages.render("rectification_task_form", model, refused: error)
    }

    func changeTask(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            let plan = try await store.changeRectificationTask(id, content: try Self.taskContent(form), planVersion: version, origin: try context.origin())
            return PageRenderer.redirect("/rectification-plans/\(plan.id.text)", notice: .saved)
        } reshow: { form, error in
            try await taskForm(request, context: context, form: form, error: error)
        }
    }

    func removeTask(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormInput.parse(request, context: context)
        let id = try context.parameters.uuid("id")
        do {
            let version = try form.version()
            let plan = try await store.removeRectificationTask(id, planVersion: version, origin: try context.origin())
            return PageRenderer.redirect("/rectification-plans/\(plan.id.text)", notice: .taskRemoved)
        } catch let error as DomainError where error.kind == .conflict {
            return try await taskForm(request, context: context, form: nil, error: error)
        }
    }
}
