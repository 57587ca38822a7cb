import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

struct RectificationPlanDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, feedbackId = "feedback_id", unitId = "unit_id", unitName = "unit_name", feedbackNumber = "feedback_number", title, meeting, body
        case status, statusTitle = "status_title", revision, endorsement, reviews, tasks, approvedAt = "approved_at", version
    }

    struct Endorsement: Encodable {
        enum CodingKeys: String, CodingKey {
            case signedBy = "signed_by", signedAt = "signed_at", sha256, signedText = "signed_text"
        }

        let signedBy: String
        let signedAt: String
        let sha256: String
        let signedText: String
    }

    struct Review: Encodable {
        let body: String
        let decision: String
        let comment: String
        let reviewer: String
        let revision: Int
        let at: String
    }

    let id: String
    let feedbackId: String
    let unitId: String
    let unitName: String
    let feedbackNumber: String
    let title: String
    let meeting: String
    let body: String
    let status: String
    let statusTitle: String
    let revision: Int
    let endorsement: Endorsement?
    let reviews: [Review]
    let tasks: [RectificationTaskDTO]
    let approvedAt: String?
    let version: Int

    init(_ p: RectificationPlan, tasks: [RectificationTask], today: CalendarDay, thresholds: WarningThresholds) {
        id = p.id.text
        feedbackId = p.feedbackID.text
        unitId = p.unitID.text
        unitName = p.unitName
        feedbackNumber = p.feedbackNumber
        title = p.content.title
        meeting = p.content.meeting
        body = p.content.body
        status = p.status.rawValue
        statusTitle = p.status.title
        revision = p.revision
        endorsement = p.endorsement.map {
            Endorsement(signedBy: $0.name, signedAt: JSONBody.timestamp($0.at), sha256: $0.digest, signedText: $0.signedText)
        }
        reviews = p.reviews.map {
            Review(body: $0.body.rawValue, decision: $0.decision.rawValue, comment: $0.comment, reviewer: $0.reviewerName, revision: $0.revision, at: JSONBody.timestamp($0.at))
        }
        self.tasks = tasks.map { RectificationTaskDTO($0, today: today, thresholds: thresholds) }
        approvedAt = p.approvedAt.map(JSONBody.timestamp)
        version = p.version
    }
}

struct RectificationTaskDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, planId = "plan_id", unitId = "unit_id", unitName = "unit_name", problemId = "problem_id", problemSequence = "problem_sequence"
        case problemText = "problem_text", label, target, measures, deadline, kind, reportEveryDays = "report_every_days", leader, department, cadre
        case cadreAccountId = "cadre_account_id", status, statusTitle = "status_title", progress, warning, warningTitle = "warning_title"
        case lastReportedOn = "last_reported_on", nextReportDue = "next_report_due", closedAt = "closed_at", version
    }

    let id: String
    let planId: String
    let unitId: String
    let unitName: String
    let problemId: String
    let problemSequence: Int
    let problemText: String
    let label: String
    let target: String
    let measures: String
    let deadline: String
    let kind: String
    let reportEveryDays: Int?
    let leader: String
    let department: String
    let cadre: String
    let cadreAccountId: String?
    let status: String
    let statusTitle: String
    let progress: Int
    let warning: String
    let warningTitle: String
    let lastReportedOn: String?
    let nextReportDue: String?
    let closedAt: String?
    let version: Int

    init(_ t: RectificationTask, today: CalendarDay, thresholds: WarningThresholds) {
        id = t.id.text
        planId = t.planID.text
        unitId = t.unitID.text
        unitName = t.unitName
        problemId = t.problemID.text
        problemSequence = t.problemSequence
        problemText = t.problemText
        label = t.label
        target = t.content.target
        measures = t.content.measures
        deadline = t.content.deadline.description
        kind = t.content.kind.rawValue
        reportEveryDays = t.content.reportEveryDays
        leader = t.content.owners.leader
        department = t.content.owners.department
        cadre = t.content.owners.cadre
        cadreAccountId = t.content.owners.cadreAccountID?.text
        status = t.status.rawValue
        statusTitle = t.status.title
        progress = t.progress
        let colour = t.warning(on: today, thresholds: thresholds)
        warning = colour.rawValue
        warningTitle = colour.title
        lastReportedOn = t.lastReportedOn?.description
        nextReportDue = t.nextReportDue?.description
        closedAt = t.closedAt.map(JSONBody.timestamp)
        version = t.version
    }
}

struct SupervisionCheckDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, taskId = "task_id", taskLabel = "task_label", unitName = "unit_name", checkedOn = "checked_on", body, checker, method, result
        case resultTitle = "result_title", note
    }

    let id: String
    let taskId: String
    let taskLabel: String
    let unitName: String
    let checkedOn: String
    let body: String
    let checker: String
    let method: String
    let result: String
    let resultTitle: String
    let note: String

    init(_ c: SupervisionCheck) {
        id = c.id.text
        taskId = c.taskID.text
        taskLabel = c.taskLabel
        unitName = c.unitName
        checkedOn = c.checkedOn.description
        body = c.body.rawValue
        checker = c.checkerName
        method = c.method
        result = c.result.rawValue
        resultTitle = c.result.title
        note = c.note
    }
}

/// 整改方案与整改台账 API: plans with their tasks, the head's endorsement, reviews; the task
/// lists with filters and CSV export; progress, closure and supervision.
struct RectificationController {
    let store: Store
    let settings: WebSettings

    struct PlanInput: Decodable {
        var title: String?
        var meeting: String?
        var body: String?
        var version: Int?

        var content: PlanContent { PlanContent(title: title ?? "", meeting: meeting ?? "", body: body ?? "") }
    }

    struct TaskInput: Decodable {
        var problemId: String?
        var target: String?
        var measures: String?
        var deadline: String?
        var kind: String?
        var reportEveryDays: Int?
        var leader: String?
        var department: String?
        var cadre: String?
        var cadreAccountId: String?
        var planVersion: Int?

        func content() throws -> TaskContent {
            try RectificationController.taskContent(
                target: target, measures: measures, deadline: deadline, kind: kind, reportEveryDays: reportEveryDays, leader: leader, department: department,
                cadre: cadre, cadreAccount: cadreAccountId)
        }
    }

    struct ReviewInput: Decodable {
        var decision: String?
        var comment: String?
        var version: Int?
    }

    /// A task's step: a progress report carries the percentage reached.
    struct TaskStepBody: StepBody {
        var step: String?
        var note: String?
        var progress: Int?
        var version: Int?

        func input(today _: CalendarDay) -> TaskStepInput { TaskStepInput(note: note, progress: progress) }
    }

    struct CheckInput: Decodable {
        var checkedOn: String?
        var method: String?
        var result: String?
        var note: String?
    }

    struct ProblemRowDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case problemId = "problem_id", feedbackId = "feedback_id", feedbackNumber = "feedback_number", unitName = "unit_name", sequence, text, tasks
            case closed, overdue
        }

        let problemId: String
        let feedbackId: String
        let feedbackNumber: String
        let unitName: String
        let sequence: Int
        let text: String
        let tasks: Int
        let closed: Int
        let overdue: Int
    }

    struct OverdueDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case name, unitName = "unit_name", overdue, oldestDeadline = "oldest_deadline"
        }

        let name: String
        let unitName: String
        let overdue: Int
        let oldestDeadline: String
    }

    struct TaskDetailDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case task, events, availableSteps = "available_steps"
        }

        let task: RectificationTaskDTO
        let events: [StepDTO]
        let availableSteps: [String]
    }

    /// Reads a task as typed, in the API or on the page.
    static func taskContent(
        target: String?, measures: String?, deadline: String?, kind: String?, reportEveryDays: Int?, leader: String?, department: String?, cadre: String?,
        cadreAccount: String?
    ) throws -> TaskContent {
        guard let deadline, !deadline.isEmpty else { throw DomainError.required("deadline", label: "完成时限") }
        var taskKind = TaskKind.deadline
        if let kind, !kind.isEmpty {
            guard let parsed = TaskKind(code: kind) else {
                throw DomainError.invalid("unknown_task_kind", "任务类别须为限期整改或长期坚持", english: "unknown task kind", field: "kind")
            }
            taskKind = parsed
        }
        return TaskContent(
            target: target ?? "", measures: measures ?? "", deadline: try CalendarDay(text: deadline, field: "deadline", label: "完成时限"), kind: taskKind,
            reportEveryDays: reportEveryDays,
            owners: TaskOwners(
                leader: leader ?? "", department: department ?? "", cadre: cadre ?? "",
                cadreAccountID: try FieldworkController.optionalID(cadreAccount, field: "cadre_account_id", label: "责任人账号")))
    }

    /// The list filters from a query string, shared by the API and the pages.
    static func taskFilter(_ parameters: [String: String]) throws -> TaskFilter {
        var filter = TaskFilter()
        filter.unitID = try FieldworkController.optionalID(parameters["unit_id"], field: "unit_id", label: "单位")
        filter.planID = try FieldworkController.optionalID(parameters["plan_id"], field: "plan_id", label: "整改方案")
        if let text = parameters["status"], !text.isEmpty {
            guard let status = TaskStatus(code: text), status != .planned else {
                throw DomainError.invalid("unknown_status", "状态“\(text)”不存在", english: "unknown status", field: "status")
            }
            filter.status = status
        }
        if let text = parameters["warning"], !text.isEmpty {
            guard let warning = Warning(code: text) else {
                throw DomainError.invalid("unknown_warning", "预警“\(text)”不存在，可选：正常、green、yellow、red", english: "unknown warning", field: "warning")
            }
            filter.warning = warning
        }
        filter.reportDue = try parameters.flag("report_due", label: "只看应报进展")
        filter.asOf = try asOf(parameters)
        if let owner = parameters["owner"], !owner.isEmpty {
            filter.owner = try TextRules.optionalLine(owner, field: "owner", label: "责任人", maxLength: 60)
        }
        return filter
    }

    /// 数据截至: the day a ledger is read as of (today when absent).
    static func asOf(_ parameters: [String: String]) throws -> CalendarDay? {
        try EvaluationInput.day(parameters["as_of"], field: "as_of", label: "数据截至日期")
    }

    func planResponse(_ plan: RectificationPlan, actor: Actor, status: HTTPResponse.Status = .ok) async throws -> Response {
        try JSONBody.response(try await planDTO(plan, actor: actor), status: status)
    }

    func planDTO(_ plan: RectificationPlan, actor: Actor) async throws -> RectificationPlanDTO {
        let tasks = try await store.tasks(ofPlan: plan.id, for: actor)
        return RectificationPlanDTO(plan, tasks: tasks, today: CalendarDay(store.clock.now()), thresholds: try await store.warningThresholds(for: actor))
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("/api/v1/feedback/{id}/rectification-plan") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(PlanInput.self, from: request, limit: settings.maxBodyBytes)
            let plan = try await store.draftRectificationPlan(for: try context.parameters.uuid("id"), content: input.content, origin: origin)
            return try await planResponse(plan, actor: origin.actor, status: .created)
        }
        router.get("/api/v1/feedback/{id}/rectification-plan") { _, context -> Response in
            let actor = try context.requireActor()
            guard let plan = try await store.rectificationPlan(forFeedback: try context.parameters.uuid("id"), for: actor) else { throw DomainError.notFound }
            return try await planResponse(plan, actor: actor)
        }
        router.get("/api/v1/rectification-plans") { request, context -> Response in
            let actor = try context.requireActor()
            let parameters = request.queryDictionary
            var status: PlanStatus?
            status = try parameters.code(PlanStatus.self, "status", label: "状态")
            let page = try await store.rectificationPlans(
                status: status, page: try parameters.pageRequest(), for: actor)
            let thresholds = try await store.warningThresholds(for: actor)
            let today = CalendarDay(store.clock.now())
            return try JSONBody.response(
                PageDTO(page) { RectificationPlanDTO($0, tasks: [], today: today, thresholds: thresholds) })
        }
        router.get("/api/v1/rectification-plans/{id}") { _, context -> Response in
            let actor = try context.requireActor()
            return try await planResponse(try await store.rectificationPlan(try context.parameters.uuid("id"), for: actor), actor: actor)
        }
        router.patch("/api/v1/rectification-plans/{id}") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(PlanInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let plan = try await store.editRectificationPlan(try context.parameters.uuid("id"), content: input.content, version: version, origin: origin)
            return try await planResponse(plan, actor: origin.actor)
        }
        router.post("/api/v1/rectification-plans/{id}/tasks") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(TaskInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.planVersion.requiredVersion("plan_version", label: "方案版本号")
            guard let problem = try FieldworkController.optionalID(input.problemId, field: "problem_id", label: "问题") else {
                throw DomainError.required("problem_id", label: "问题")
            }
            let plan = try await store.addRectificationTask(
                to: try context.parameters.uuid("id"), problem: problem, content: try input.content(), version: version, origin: origin)
            return try await planResponse(plan, actor: origin.actor, status: .created)
        }
        router.post("/api/v1/rectification-plans/{id}/endorsement") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(VersionInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let plan = try await store.take(PlanStep.endorse, on: try context.parameters.uuid("id"), note: nil, version: version, origin: origin)
            return try await planResponse(plan, actor: origin.actor)
        }
        router.post("/api/v1/rectification-plans/{id}/reviews") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(ReviewInput.self, from: request, limit: settings.maxBodyBytes)
            guard let text = input.decision, let decision = ReviewDecision(rawValue: text) else {
                throw DomainError.invalid("unknown_decision", "审核结论须为 comment、approve 或 return", english: "unknown decision", field: "decision")
            }
            let version = try input.version.requiredVersion()
            let plan = try await store.take(PlanStep(decision), on: try context.parameters.uuid("id"), note: input.comment, version: version, origin: origin)
            return try await planResponse(plan, actor: origin.actor, status: .created)
        }
        router.steps(of: PlanStep.self, at: "/api/v1/rectification-plans/{id}", body: NoteStepBody<StepNote>.self, store: store, settings: settings) { plan, origin in
            try await planDTO(plan, actor: origin.actor)
        }
        registerTasks(on: router)
    }

    func registerTasks(on router: Router<AppRequestContext>) {
        router.put("/api/v1/rectification-tasks/{id}") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(TaskInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.planVersion.requiredVersion("plan_version", label: "方案版本号")
            let plan = try await store.changeRectificationTask(try context.parameters.uuid("id"), content: try input.content(), planVersion: version, origin: origin)
            return try await planResponse(plan, actor: origin.actor)
        }
        router.delete("/api/v1/rectification-tasks/{id}") { request, context -> Response in
            let origin = try context.origin()
            guard let version = request.queryDictionary["plan_version"].flatMap(Int.init) else { throw DomainError.required("plan_version", label: "方案版本号") }
            let plan = try await store.removeRectificationTask(try context.parameters.uuid("id"), planVersion: version, origin: origin)
            return try await planResponse(plan, actor: origin.actor)
        }
        router.get("/api/v1/rectification-tasks") { request, context -> Response in
            let actor = try context.requireActor()
            let parameters = request.queryDictionary
            let filter = try Self.taskFilter(parameters)
            if let file = try await LedgerExport.requested(parameters, store: store, {
                try await LedgerTable.tasks(store, filter, responsibility: parameters["list"] == "responsibility", ordered: try parameters.pageRequest(), for: actor)
            }) {
                return file
            }
            let page = try await store.rectificationTasks(filter, page: try parameters.pageRequest(), for: actor)
            let thresholds = try await store.warningThresholds(for: actor)
            let today = filter.asOf ?? CalendarDay(store.clock.now())
            return try JSONBody.response(
                PageDTO(page) { RectificationTaskDTO($0, today: today, thresholds: thresholds) })
        }
        router.get("/api/v1/rectification-tasks/{id}") { _, context -> Response in
            let actor = try context.requireActor()
            let task = try await store.rectificationTask(try context.parameters.uuid("id"), for: actor)
            let events = try await store.history(TaskLifecycle.self, of: task.id, for: actor)
            return try JSONBody.response(
                TaskDetailDTO(
                    task: RectificationTaskDTO(task, today: CalendarDay(store.clock.now()), thresholds: try await store.warningThresholds(for: actor)),
                    events: events.map(StepDTO.init), availableSteps: try await store.availableSteps(TaskLifecycle.self, on: task, for: actor).map(\.rawValue)))
        }
        router.steps(of: TaskStep.self, at: "/api/v1/rectification-tasks/{id}", body: TaskStepBody.self, store: store, settings: settings) { [store] task, origin in
            RectificationTaskDTO(task, today: CalendarDay(store.clock.now()), thresholds: try await store.warningThresholds(for: origin.actor))
        }
        router.get("/api/v1/rectification-tasks/{id}/checks") { request, context -> Response in
            let parameters = request.queryDictionary
            let page = try await store.supervisionChecks(
                task: try context.parameters.uuid("id"), page: try parameters.pageRequest(),
                for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, SupervisionCheckDTO.init))
        }
        router.post("/api/v1/rectification-tasks/{id}/checks") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(CheckInput.self, from: request, limit: settings.maxBodyBytes)
            let check = try await store.recordSupervisionCheck(
                on: try context.parameters.uuid("id"),
                input: SupervisionCheckInput(checkedOn: input.checkedOn, method: input.method, result: input.result, note: input.note), origin: origin)
            return try JSONBody.response(SupervisionCheckDTO(check), status: .created)
        }
        router.get("/api/v1/supervision-checks") { request, context -> Response in
            let parameters = request.queryDictionary
            let unit = try FieldworkController.optionalID(parameters["unit_id"], field: "unit_id", label: "单位")
            if let file = try await LedgerExport.requested(parameters, store: store, {
                try await LedgerTable.checks(store, unit: unit, ordered: try parameters.pageRequest(), for: try context.requireActor())
            }) {
                return file
            }
            let page = try await store.supervisionChecks(
                unit: unit, page: try parameters.pageRequest(), for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, SupervisionCheckDTO.init))
        }
        router.get("/api/v1/rectification-problems") { request, context -> Response in
            let parameters = request.queryDictionary
            let unit = try FieldworkController.optionalID(parameters["unit_id"], field: "unit_id", label: "单位")
            let asOf = try Self.asOf(parameters)
            if let file = try await LedgerExport.requested(parameters, store: store, {
                try await LedgerTable.problems(store, unit: unit, asOf: asOf, ordered: try parameters.pageRequest(), for: try context.requireActor())
            }) {
                return file
            }
            let page = try await store.problemLedger(
                unit: unit, page: try parameters.pageRequest(), today: asOf, for: try context.requireActor())
            return try JSONBody.response(
                PageDTO(page) {
                    ProblemRowDTO(
                        problemId: $0.problemID.text, feedbackId: $0.feedbackID.text, feedbackNumber: $0.feedbackNumber, unitName: $0.unitName,
                        sequence: $0.sequence, text: $0.text, tasks: $0.tasks, closed: $0.closed, overdue: $0.overdue)
                })
        }
        router.get("/api/v1/rectification-overdue") { request, context -> Response in
            let by = request.queryDictionary["by"] ?? "unit"
            guard by == "unit" || by == "person" else {
                throw DomainError.invalid("unknown_grouping", "逾期统计只能按单位（unit）或责任人（person）", english: "by must be unit or person", field: "by")
            }
            let asOf = try Self.asOf(request.queryDictionary)
            if let file = try await LedgerExport.requested(request.queryDictionary, store: store, {
                try await LedgerTable.overdue(store, byPerson: by == "person", asOf: asOf, for: try context.requireActor())
            }) {
                return file
            }
            let rows = try await store.overdueCounts(byPerson: by == "person", today: asOf, for: try context.requireActor())
            return try JSONBody.response(
                PlanningController.ItemsDTO(
                    items: rows.map { OverdueDTO(name: $0.name, unitName: $0.unitName, overdue: $0.overdue, oldestDeadline: $0.oldestDeadline.description) }))
        }
    }
}
