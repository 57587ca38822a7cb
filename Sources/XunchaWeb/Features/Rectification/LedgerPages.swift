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
        /// The paged lists' table (tasks, responsibility, problems, checks).
        let grid: LedgerGrid?
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
        /// 下载台账（.docx）: the list as printed, with the page's filters.
        let documentHref: String
        let thresholds: String
        let nextHref: String?
        let firstHref: String?
        let noRows: Bool
        /// The title line, 制表单位 and 制表日期 the register prints with.
        let printed: PrintedTable
    }

    /// Every row of the list the page shows (all pages), within the reader's scope.
    func export(_ parameters: [String: String], format: ExportFormat, actor: Actor) async throws -> Response {
        let (_, table) = try await Self.table(parameters, store: store, actor: actor)
        return LedgerExport.response(table, format: format, day: CalendarDay(store.clock.now()))
    }

    /// The list the parameters name (任务清单 unless `list` says otherwise) with every row its
    /// filters select, within the reader's scope: what the page's exports and its .docx hold.
    static func table(_ parameters: [String: String], store: Store, actor: Actor) async throws -> (List, LedgerTable) {
        try store.policy.requireAnywhere(actor, .viewRectification)
        let list = List(rawValue: parameters["list"] ?? List.tasks.rawValue) ?? .tasks
        let filter = try RectificationController.taskFilter(parameters)
        let ordered = try parameters.pageRequest()
        switch list {
        case .tasks, .responsibility: return (list, try await .tasks(store, filter, responsibility: list == .responsibility, ordered: ordered, for: actor))
        case .problems: return (list, try await .problems(store, unit: filter.unitID, asOf: filter.asOf, ordered: ordered, for: actor))
        case .checks: return (list, try await .checks(store, unit: filter.unitID, ordered: ordered, for: actor))
        case .overdueUnits, .overduePeople: return (list, try await .overdue(store, byPerson: list == .overduePeople, asOf: filter.asOf, for: actor))
        }
    }

    /// 整改台账 as .docx: the list the parameters name, with the same rows and filters as the page
    /// and its Excel, landscape with its header on every page.
    static func document(_ parameters: [String: String], store: Store, origin: RequestOrigin) async throws -> Response {
        let (list, table) = try await table(parameters, store: store, actor: origin.actor)
        let document = try await store.ledgerDocument(
            list: list.title, table: table.documentTable, asOf: try RectificationController.taskFilter(parameters).asOf, origin: origin)
        return DocumentsController.response(document)
    }

    func ledgerPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewRectification)
        let address = try ListAddress("/ledger", request)
        let parameters = address.parameters
        if parameters["format"] == "docx" { return try await Self.document(parameters, store: store, origin: try context.origin()) }
        if let format = try ExportFormat.requested(parameters) { return try await export(parameters, format: format, actor: actor) }
        let list = List(rawValue: parameters["list"] ?? List.tasks.rawValue) ?? .tasks
        let thresholds = try await store.warningThresholds(for: actor)
        let filter = try RectificationController.taskFilter(parameters)
        let today = filter.asOf ?? CalendarDay(store.clock.now())
        var grid: LedgerGrid?
        var overdue: [OverdueRow] = []
        var next: String?
        switch list {
        case .tasks, .responsibility:
            let page = try await store.rectificationTasks(filter, page: address.page, for: actor)
            next = page.nextCursor
            let totals = try await store.rectificationTaskTotals(filter, for: actor)
            grid = LedgerGrid(
                list == .tasks ? Self.taskColumns(today: today, thresholds: thresholds) : Self.responsibilityColumns(today: today, thresholds: thresholds),
                items: page.items,
                totals: [
                    "unit": "\(totals.tasks)项", "progress": "平均\(totals.averageProgress)%", "status": "已销号\(totals.closed)项",
                    "warning": "逾期\(totals.overdue)项",
                ], address: address, sortedBy: "deadline")
        case .problems:
            let page = try await store.problemLedger(unit: filter.unitID, page: address.page, today: filter.asOf, for: actor)
            next = page.nextCursor
            let totals = try await store.problemLedgerTotals(unit: filter.unitID, today: filter.asOf, for: actor)
            grid = LedgerGrid(
                Self.problemColumns, items: page.items,
                totals: ["unit": "\(totals.problems)个问题", "tasks": String(totals.tasks), "closed": String(totals.closed), "overdue": String(totals.overdue)],
                address: address, sortedBy: "feedback-newest")
        case .checks:
            let page = try await store.supervisionChecks(unit: filter.unitID, page: address.page, for: actor)
            next = page.nextCursor
            grid = LedgerGrid(Self.checkColumns, items: page.items, totals: nil, address: address, sortedBy: "created", .descending)
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
            isOverdue: list == .overdueUnits || list == .overduePeople, byPerson: list == .overduePeople, grid: grid, overdue: overdue,
            statuses: TaskStatus.allCases.filter { $0 != .planned }.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == filter.status) },
            warnings: Warning.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == filter.warning) }, ownerText: filter.owner ?? "",
            unitID: filter.unitID?.text ?? "", planID: filter.planID?.text ?? "", reportDue: filter.reportDue, asOf: filter.asOf?.description ?? "",
            asOfOnly: [.problems, .overdueUnits, .overduePeople].contains(list), filtered: filtered,
            exports: ExportLinks("/ledger", parameters),
            documentHref: ListLink.make("/ledger", parameters, ["cursor": nil, "limit": nil, "notice": nil, "format": "docx"]),
            thresholds: "距完成时限\(thresholds.greenDays)天内绿色预警，\(thresholds.yellowDays)天内黄色预警，逾期红色预警",
            nextHref: address.next(next), firstHref: address.first,
            noRows: (grid?.isEmpty ?? true) && overdue.isEmpty,
            printed: try await PrintedTable.make("整改台账·\(list.title)", asOf: filter.asOf, store: store, actor: actor))
        return pages.render("ledger", model)
    }

    // MARK: 列

    typealias Cell = LedgerGrid.Cell

    static func warningCell(_ task: RectificationTask, today: CalendarDay, thresholds: WarningThresholds) -> Cell {
        let warning = task.warning(on: today, thresholds: thresholds)
        return Cell(text: warning.title, badge: warningClass(warning))
    }

    static func taskHref(_ task: RectificationTask) -> String { "/rectification-tasks/\(task.id.text)" }

    /// 任务清单's columns, in the order of its export.
    static func taskColumns(today: CalendarDay, thresholds: WarningThresholds) -> [LedgerGrid.Column<RectificationTask>] {
        [
            .init("unit", "单位", sort: "unit") { .plain($0.unitName) },
            .init("label", "编号", sort: "label") { .code($0.label, href: taskHref($0)) },
            .init("problem", "问题") { .prose($0.problemText) },
            .init("target", "整改目标") { .prose($0.content.target, href: taskHref($0)) },
            .init("measures", "整改措施") { .prose($0.content.measures) },
            .init("deadline", "完成时限", sort: "deadline") { .plain($0.content.deadline.description) },
            .init("kind", "类别") { .plain($0.content.kind.title) },
            .init("progress", "进度", sort: "progress", usual: .descending) { .plain("\($0.progress)%") },
            .init("status", "状态", sort: "status") { .plain($0.status.title) },
            .init("warning", "预警") { warningCell($0, today: today, thresholds: thresholds) },
        ]
    }

    /// 责任清单's columns.
    static func responsibilityColumns(today: CalendarDay, thresholds: WarningThresholds) -> [LedgerGrid.Column<RectificationTask>] {
        [
            .init("unit", "单位", sort: "unit") { .plain($0.unitName) },
            .init("label", "编号", sort: "label") { .code($0.label, href: taskHref($0)) },
            .init("target", "整改任务") { .prose($0.content.target) },
            .init("leader", "责任领导", sort: "leader") { .plain($0.content.owners.leader) },
            .init("department", "责任部门", sort: "department") { .plain($0.content.owners.department) },
            .init("cadre", "责任人", sort: "cadre") { .plain($0.content.owners.cadre) },
            .init("deadline", "完成时限", sort: "deadline") { .plain($0.content.deadline.description) },
            .init("status", "状态", sort: "status") { .plain($0.status.title) },
            .init("warning", "预警") { warningCell($0, today: today, thresholds: thresholds) },
        ]
    }

    /// 问题清单's columns; its own order (newest feedback first) is none of them.
    static var problemColumns: [LedgerGrid.Column<ProblemLedgerRow>] {
        [
        .init("unit", "单位", sort: "unit") { .plain($0.unitName) },
        .init("feedback", "反馈意见", sort: "feedback") { .code($0.feedbackNumber) },
        .init("sequence", "序号") { .plain(String($0.sequence)) },
        .init("text", "问题") { .prose($0.text) },
        .init("tasks", "任务数", sort: "tasks", usual: .descending) { .plain(String($0.tasks)) },
        .init("closed", "已销号", sort: "closed", usual: .descending) { .plain(String($0.closed)) },
        .init("overdue", "逾期", sort: "overdue", usual: .descending) { $0.overdue > 0 ? Cell(text: String($0.overdue), badge: "warn-red") : .plain("0") },
        ]
    }

    /// 督查清单's columns; its own order (newest recorded first) is none of them.
    static var checkColumns: [LedgerGrid.Column<SupervisionCheck>] {
        [
        .init("checked", "督查日期", sort: "checked", usual: .descending) { .plain($0.checkedOn.description) },
        .init("unit", "单位", sort: "unit") { .plain($0.unitName) },
        .init("task", "任务") { .code($0.taskLabel, href: "/rectification-tasks/\($0.taskID.text)") },
        .init("body", "督查单位") { .plain($0.body.title) },
        .init("checker", "督查人") { .plain($0.checkerName) },
        .init("method", "方式") { .plain($0.method) },
        .init("result", "结果", sort: "result") { .plain($0.result.title) },
        .init("note", "情况") { .prose($0.note) },
        ]
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
