import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 整改台账 pages: the four lists (问题清单, 任务清单, 责任清单, 督查清单) and the overdue lists as
/// views over the same task rows, filterable, printable and exported (every list, as CSV or Excel); and one task with its
/// progress, evidence, closure and supervision.
struct LedgerPages {
    let store: Store
    let pages: PageRenderer

    enum List: String, CaseIterable {
        case problems, tasks, responsibility, checks
        case overdueUnits = "overdue-units"
        case overduePeople = "overdue-people"

        var title: String {
            switch self {
            case .problems: "问题清单"
            case .tasks: "任务清单"
            case .responsibility: "责任清单"
            case .checks: "督查清单"
            case .overdueUnits: "逾期（按单位）"
            case .overduePeople: "逾期（按责任人）"
            }
        }
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/ledger") { request, context in try await ledgerPage(request, context: context) }
        // The older address of the export: CSV unless `format` says otherwise.
        router.get("/ledger/export") { request, context -> Response in
            let parameters = request.queryDictionary
            return try await export(parameters, format: try ExportFormat(parameters["format"]), actor: try context.requireActor())
        }
        router.get("/rectification-tasks/{id}") { request, context in try await taskPage(request, context: context, form: nil, error: nil, uploadError: nil) }
        router.post("/rectification-tasks/{id}/steps") { request, context in try await takeStep(request, context: context) }
        router.post("/rectification-tasks/{id}/checks") { request, context in try await recordCheck(request, context: context) }
        router.post("/rectification-tasks/{id}/attachments") { request, context -> Response in
            let id = try context.parameters.uuid("id")
            return try await EvidenceBlock.upload(request, context: context, store: store, owner: .task(id), page: "/rectification-tasks/\(id.text)") { error in
                try await taskPage(request, context: context, form: nil, error: nil, uploadError: error)
            }
        }
    }

    static func warningClass(_ warning: Warning) -> String {
        switch warning {
        case .none: ""
        case .green: "warn-green"
        case .yellow: "warn-yellow"
        case .red: "warn-red"
        }
    }

    // MARK: 清单

    struct Tab {
        let label: String
        let href: String
        let current: Bool
    }

    struct TaskRow {
        let href: String
        let unitName: String
        let label: String
        let problem: String
        let target: String
        let measures: String
        let deadline: String
        let kind: String
        let leader: String
        let department: String
        let cadre: String
        let progress: Int
        let status: String
        let warning: String
        let warningClass: String
    }

    struct ProblemRow {
        let unitName: String
        let feedbackNumber: String
        let sequence: Int
        let text: String
        let tasks: Int
        let closed: Int
        let overdue: Int
        let tasksHref: String
    }

    struct CheckRow {
        let href: String
        let unitName: String
        let taskLabel: String
        let checkedOn: String
        let body: String
        let checker: String
        let method: String
        let result: String
        let note: String
    }

    struct OverdueRow {
        let name: String
        let unitName: String
        let overdue: Int
        let oldest: String
        let href: String
    }

    struct LedgerPage {
        let chrome: Chrome
        let heading: String
        let tabs: [Tab]
        let list: String
        let isTasks: Bool
        let isResponsibility: Bool
        let isProblems: Bool
        let isChecks: Bool
        let isOverdue: Bool
        let byPerson: Bool
        let tasks: [TaskRow]
        let problems: [ProblemRow]
        let checks: [CheckRow]
        let overdue: [OverdueRow]
        let statuses: [Option]
        let warnings: [Option]
        let ownerText: String
        let unitID: String
        let planID: String
        let reportDue: Bool
        /// 数据截至: the day the list is read as of; empty for today.
        let asOf: String
        /// The problem and overdue lists, whose only filter is the day.
        let asOfOnly: Bool
        let filtered: Bool
        let exports: ExportLinks
        let thresholds: String
        let nextHref: String?
        let firstHref: String?
        let noRows: Bool
    }

    /// Every row of the list the page shows (all pages), within the reader's scope.
    func export(_ parameters: [String: String], format: ExportFormat, actor: Actor) async throws -> Response {
        try store.policy.requireAnywhere(actor, .viewRectification)
        let list = List(rawValue: parameters["list"] ?? List.tasks.rawValue) ?? .tasks
        let filter = try RectificationController.taskFilter(parameters)
        let table: LedgerTable
        switch list {
        case .tasks, .responsibility: table = try await .tasks(store, filter, responsibility: list == .responsibility, for: actor)
        case .problems: table = try await .problems(store, unit: filter.unitID, asOf: filter.asOf, for: actor)
        case .checks: table = try await .checks(store, unit: filter.unitID, for: actor)
        case .overdueUnits, .overduePeople: table = try await .overdue(store, byPerson: list == .overduePeople, asOf: filter.asOf, for: actor)
        }
        return LedgerExport.response(table, format: format, day: CalendarDay(store.clock.now()))
    }

    func ledgerPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewRectification)
        let address = try ListAddress("/ledger", request)
        let parameters = address.parameters
        if let format = try ExportFormat.requested(parameters) { return try await export(parameters, format: format, actor: actor) }
        let list = List(rawValue: parameters["list"] ?? List.tasks.rawValue) ?? .tasks
        let thresholds = try await store.warningThresholds(for: actor)
        let filter = try RectificationController.taskFilter(parameters)
        let today = filter.asOf ?? CalendarDay(store.clock.now())
        var tasks: [TaskRow] = []
        var problems: [ProblemRow] = []
        var checks: [CheckRow] = []
        var overdue: [OverdueRow] = []
        var next: String?
        switch list {
        case .tasks, .responsibility:
            let page = try await store.rectificationTasks(filter, page: address.page, for: actor)
            next = page.nextCursor
            tasks = page.items.map { t in
                let warning = t.warning(on: today, thresholds: thresholds)
                return TaskRow(
                    href: "/rectification-tasks/\(t.id.text)", unitName: t.unitName, label: t.label, problem: t.problemText, target: t.content.target,
                    measures: t.content.measures, deadline: t.content.deadline.description, kind: t.content.kind.title, leader: t.content.owners.leader,
                    department: t.content.owners.department, cadre: t.content.owners.cadre, progress: t.progress, status: t.status.title, warning: warning.title,
                    warningClass: Self.warningClass(warning))
            }
        case .problems:
            let page = try await store.problemLedger(unit: filter.unitID, page: address.page, today: filter.asOf, for: actor)
            next = page.nextCursor
            problems = page.items.map {
                ProblemRow(
                    unitName: $0.unitName, feedbackNumber: $0.feedbackNumber, sequence: $0.sequence, text: $0.text, tasks: $0.tasks, closed: $0.closed,
                    overdue: $0.overdue, tasksHref: "/ledger?list=tasks")
            }
        case .checks:
            let page = try await store.supervisionChecks(unit: filter.unitID, page: address.page, for: actor)
            next = page.nextCursor
            checks = page.items.map {
                CheckRow(
                    href: "/rectification-tasks/\($0.taskID.text)", unitName: $0.unitName, taskLabel: $0.taskLabel, checkedOn: $0.checkedOn.description,
                    body: $0.body.title, checker: $0.checkerName, method: $0.method, result: $0.result.title, note: $0.note)
            }
        case .overdueUnits, .overduePeople:
            let byPerson = list == .overduePeople
            overdue = try await store.overdueCounts(byPerson: byPerson, today: filter.asOf, for: actor).map {
                OverdueRow(
                    name: $0.name, unitName: $0.unitName, overdue: $0.overdue, oldest: $0.oldestDeadline.description,
                    href: ListLink.make(
                        "/ledger", [:], ["list": "tasks", "warning": "red", "unit_id": $0.unitID.text, "owner": byPerson ? $0.name : nil, "as_of": filter.asOf?.description]))
            }
        }
        let filtered = filter != TaskFilter()
        let model = LedgerPage(
            chrome: pages.chrome(title: "整改台账", active: .ledger, request: request, context: context),
            heading: list.title,
            tabs: List.allCases.map { Tab(label: $0.title, href: ListLink.make("/ledger", [:], ["list": $0.rawValue]), current: $0 == list) },
            list: list.rawValue, isTasks: list == .tasks, isResponsibility: list == .responsibility, isProblems: list == .problems, isChecks: list == .checks,
            isOverdue: list == .overdueUnits || list == .overduePeople, byPerson: list == .overduePeople, tasks: tasks, problems: problems, checks: checks,
            overdue: overdue,
            statuses: TaskStatus.allCases.filter { $0 != .planned }.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == filter.status) },
            warnings: Warning.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == filter.warning) }, ownerText: filter.owner ?? "",
            unitID: filter.unitID?.text ?? "", planID: filter.planID?.text ?? "", reportDue: filter.reportDue, asOf: filter.asOf?.description ?? "",
            asOfOnly: [.problems, .overdueUnits, .overduePeople].contains(list), filtered: filtered,
            exports: ExportLinks("/ledger", parameters),
            thresholds: "距完成时限\(thresholds.greenDays)天内绿色预警，\(thresholds.yellowDays)天内黄色预警，逾期红色预警",
            nextHref: address.next(next), firstHref: address.first,
            noRows: tasks.isEmpty && problems.isEmpty && checks.isEmpty && overdue.isEmpty)
        return pages.render("ledger", model)
    }

    // MARK: 任务

    struct Field {
        let label: String
        let value: String
    }

    struct Event {
        let step: String
        let note: String?
        let progress: String?
        let actor: String
        let at: String
    }

    struct CheckForm {
        let today: String
        let checkedOnText: String
        let methodText: String
        let results: [Option]
        let noteText: String
    }

    struct TaskPage {
        let chrome: Chrome
        let id: String
        let label: String
        let unitName: String
        let problem: String
        let target: String
        let measures: String
        let status: String
        let warning: String
        let warningClass: String
        let fields: [Field]
        let planHref: String?
        let events: [Event]
        let reminders: [WorkController.ReminderView]
        let actions: [StepForm]
        let checks: [CheckRow]
        let checkForm: CheckForm?
        let version: Int
        let error: String?
        let evidence: EvidenceBlock
    }

    func taskPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?, uploadError: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let task = try await store.rectificationTask(try context.parameters.uuid("id"), for: actor)
        let thresholds = try await store.warningThresholds(for: actor)
        let warning = task.warning(on: CalendarDay(store.clock.now()), thresholds: thresholds)
        let steps = try await store.availableSteps(TaskLifecycle.self, on: task, for: actor)
        var fields = [
            Field(label: "完成时限", value: Display.prose(task.content.deadline)), Field(label: "类别", value: task.content.kind.title),
            Field(label: "责任领导", value: task.content.owners.leader), Field(label: "责任部门", value: task.content.owners.department),
            Field(label: "责任人", value: task.content.owners.cadre), Field(label: "完成进度", value: "\(task.progress)%"),
        ]
        if let every = task.content.reportEveryDays { fields.append(Field(label: "报告周期", value: "每\(every)天")) }
        if let due = task.nextReportDue { fields.append(Field(label: "下次报告", value: Display.prose(due))) }
        if let at = task.closedAt { fields.append(Field(label: "销号时间", value: Display.prose(at))) }
        let forms = StepForms(action: "/rectification-tasks/\(task.id.text)/steps", version: task.version, posted: form, error: error)
        let actions = steps.compactMap { step in stepForm(step, task: task, forms: forms) }
        // The unit side may report progress exactly while it may attach evidence.
        let mayAttach = steps.contains(.progress)
        let evidence = try await EvidenceBlock.make(
            store, owner: .task(task.id), actor: actor, uploadAction: mayAttach ? "/rectification-tasks/\(task.id.text)/attachments" : nil, error: uploadError)
        let checks = try await store.supervisionChecks(task: task.id, page: PageRequest(limit: PageRequest.maximumLimit), for: actor).items.map {
            CheckRow(
                href: "", unitName: $0.unitName, taskLabel: $0.taskLabel, checkedOn: $0.checkedOn.description, body: $0.body.title, checker: $0.checkerName,
                method: $0.method, result: $0.result.title, note: $0.note)
        }
        var checkForm: CheckForm?
        if task.status != .planned, store.policy.allows(actor, .superviseRectification, at: RecordLocation(jurisdictionID: task.jurisdictionID, jurisdictionPath: "")) {
            let today = CalendarDay(store.clock.now()).description
            let typedCheck = form?["step"] == nil ? form : nil
            checkForm = CheckForm(
                today: today, checkedOnText: typedCheck?["checked_on"] ?? today, methodText: typedCheck?["method"] ?? "",
                results: CheckResult.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: typedCheck?["result"] == $0.rawValue) },
                noteText: typedCheck?["note"] ?? "")
        }
        let planVisible = (try? await store.rectificationPlan(task.planID, for: actor)) != nil
        let model = TaskPage(
            chrome: pages.chrome(title: "整改任务 \(task.label)", active: .ledger, request: request, context: context),
            id: task.id.text, label: task.label, unitName: task.unitName, problem: task.problemText, target: task.content.target,
            measures: task.content.measures, status: task.status.title, warning: warning.title, warningClass: Self.warningClass(warning), fields: fields,
            planHref: planVisible ? "/rectification-plans/\(task.planID.text)" : nil,
            events: try await store.history(TaskLifecycle.self, of: task.id, for: actor).map {
                Event(step: $0.step.title, note: $0.note, progress: $0.progress.map { "\($0)%" }, actor: $0.actorName, at: Display.time($0.at))
            },
            reminders: try await store.reminders(TaskLifecycle.self, of: task.id, for: actor).map(WorkController.ReminderView.init),
            actions: actions, checks: checks, checkForm: checkForm, version: task.version, error: error?.message, evidence: evidence)
        return pages.render("rectification_task", model, refused: error ?? uploadError)
    }

    /// The form of a step the reader may take (nil: the plan's approval starts a task, nobody by hand).
    func stepForm(_ step: TaskStep, task: RectificationTask, forms: StepForms) -> StepForm? {
        switch step {
        case .start:
            return nil
        case .progress:
            return forms.form(
                step, title: "报告整改进展",
                [
                    .input("progress", label: "完成进度（%）", type: "number", value: String(task.progress), min: "0", max: "100"),
                    .note("本期进展", required: true, maxLength: 10000),
                ])
        case .requestClosure:
            return forms.form(
                step, title: "申请销号", confirm: "申请后由巡察组组长或巡察办审核销号。确定申请？",
                [.hint("申请销号前须在下方“证据材料”中上传整改佐证材料。"), .note("整改完成情况", required: true, maxLength: 10000)])
        case .close:
            return forms.form(step, title: "审核通过，销号", confirm: "确定整改到位、予以销号？", [.note("审核意见", maxLength: 10000)])
        case .reopen:
            return forms.form(step, title: "退回重新整改", confirm: "确定退回被巡察单位重新整改？", danger: true, [.note("退回理由", required: true, maxLength: 10000)])
        }
    }

    func takeStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            TaskStep.self, request, context: context, store: store,
            input: { form, step in
                var progress: Int?
                if step == .progress, let text = form["progress"], !text.isEmpty {
                    guard let value = Int(text) else { throw DomainError.invalid("invalid_progress", "完成进度须为0至100的整数", english: "progress is not an integer", field: "progress") }
                    progress = value
                }
                return TaskStepInput(note: form["note"], progress: progress)
            },
            done: { id, _ in PageRenderer.redirect("/rectification-tasks/\(id.text)", notice: .taskStepTaken) }, shown: { $0.isShownOnForm || $0.kind == .forbidden },
            reshow: { form, error in try await taskPage(request, context: context, form: form, error: error, uploadError: nil) })
    }

    func recordCheck(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            _ = try await store.recordSupervisionCheck(
                on: id, input: SupervisionCheckInput(checkedOn: form["checked_on"], method: form["method"], result: form["result"], note: form["note"]),
                origin: try context.origin())
            return PageRenderer.redirect("/rectification-tasks/\(id.text)", notice: .checkRecorded)
        } reshow: { form, error in
            try await taskPage(request, context: context, form: form, error: error, uploadError: nil)
        }
    }
}
