import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// Pages after feedback: 制度建设 (the register, a form, one record), 整改评估 (the list with the
/// office's scheduling form, one evaluation with the forms of the steps the person may take now
/// and its history) and 回头看 (the committee's schedule, one follow-up with its settling forms).
struct EvaluationPages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/rule-improvements") { request, context in try await rulesPage(request, context: context) }
        router.get("/rule-improvements/new") { request, context in try await ruleForm(request, context: context, form: nil, error: nil) }
        router.post("/rule-improvements") { request, context in try await recordRule(request, context: context) }
        router.get("/rule-improvements/{id}") { request, context in try await rulePage(request, context: context) }
        router.get("/evaluations") { request, context in try await evaluationsPage(request, context: context, form: nil, error: nil) }
        router.post("/evaluations") { request, context in try await schedule(request, context: context) }
        router.get("/evaluations/{id}") { request, context in try await evaluationPage(request, context: context, form: nil, error: nil) }
        router.post("/evaluations/{id}/steps") { request, context in try await takeStep(request, context: context) }
        router.get("/follow-ups") { request, context in try await followUpsPage(request, context: context, form: nil, error: nil) }
        router.post("/follow-ups") { request, context in try await scheduleFollowUp(request, context: context) }
        router.get("/follow-ups/{id}") { request, context in try await followUpPage(request, context: context, form: nil, error: nil) }
        router.post("/follow-ups/{id}/settle") { request, context in try await settle(request, context: context) }
    }

    // MARK: 制度建设

    struct RuleRow {
        let href: String
        let title: String
        let kind: String
        let adopter: String
        let adoptedOn: String
        let problemCount: Int
    }

    struct RulesPage {
        let chrome: Chrome
        let rows: [RuleRow]
        let kinds: [Option]
        let units: [Option]
        let year: String
        let filtered: Bool
        let mayRecord: Bool
        let nextHref: String?
        let firstHref: String?
        let exports: ExportLinks
        /// The title line, 制表单位 and 制表日期 the register prints with.
        let printed: PrintedTable
    }

    func rulesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewRuleImprovements)
        let list = try ListAddress("/rule-improvements", request)
        let parameters = list.parameters
        let query = try EvaluationInput.ruleQuery(parameters)
        let (kind, year, unit) = (query.kind, query.year, query.unitID)
        if let file = try await LedgerExport.requested(parameters, store: store, { try await LedgerTable.ruleImprovements(store, query, for: actor) }) { return file }
        let page = try await store.ruleImprovements(query, page: list.page, for: actor)
        let model = RulesPage(
            chrome: pages.chrome(title: "制度建设", active: .ruleImprovements, request: request, context: context),
            rows: page.items.map {
                RuleRow(
                    href: "/rule-improvements/\($0.id.text)", title: $0.title, kind: $0.kind.title, adopter: $0.adopterName, adoptedOn: $0.adoptedOn.description,
                    problemCount: $0.problems.count)
            },
            kinds: RuleImprovementKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == kind) },
            units: try await unitOptions(actor, selected: unit), year: year.map(String.init) ?? "", filtered: kind != nil || year != nil || unit != nil,
            mayRecord: store.policy.allowsAnywhere(actor, .recordRuleImprovements),
            nextHref: list.next(page.nextCursor),
            firstHref: list.first,
            exports: ExportLinks("/rule-improvements", parameters),
            printed: try await PrintedTable.make("制度建设台账", asOf: nil, store: store, actor: actor))
        return pages.render("rule_improvements", model)
    }

    /// The units a filter or form offers: the reader's own committee's (none for a unit account).
    func unitOptions(_ actor: Actor, selected: UUID?) async throws -> [Option] {
        guard store.policy.reach(actor, .viewUnits) > .ownUnit else { return [] }
        return try await store.units(UnitQuery(page: PageRequest(limit: 200)), for: actor).items.map {
            Option(value: $0.id.text, label: $0.name, selected: $0.id == selected)
        }
    }

    struct ProblemChoice {
        let value: String
        let label: String
        let checked: Bool
    }

    struct RuleForm {
        let chrome: Chrome
        let error: String?
        let isUnit: Bool
        let problems: [ProblemChoice]
        /// 立行立改 notices a rule may answer too.
        let immediates: [ProblemChoice]
        let hasChoices: Bool
        let kinds: [Option]
        let scopes: [Option]
        let units: [Option]
        let title: String
        let documentNumber: String
        let adoptedOn: String
        let adoptingBody: String
        let description: String
        let today: String
    }

    func ruleForm(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let problems = try await store.linkableProblems(for: actor)
        let immediates = try await store.linkableImmediates(for: actor)
        let chosenImmediates = Set(form?.all("immediate_ids") ?? [])
        let isUnit = store.policy.reach(actor, .recordRuleImprovements) == .ownUnit
        let chosen = Set(form?.all("problem_ids") ?? [])
        var seen = Set<UUID>()
        let units = problems.filter { seen.insert($0.unitID).inserted }.map { Option(value: $0.unitID.text, label: $0.unitName, selected: form?["unit_id"] == $0.unitID.text) }
        let model = RuleForm(
            chrome: Chrome.make(title: "登记制度建设情况", active: .ruleImprovements, context: context, policy: store.policy),
            error: error?.message, isUnit: isUnit,
            problems: problems.map {
                ProblemChoice(value: $0.problemID.text, label: "\(isUnit ? "" : $0.unitName + "：")\($0.sequence). \($0.text)", checked: chosen.contains($0.problemID.text))
            },
            immediates: immediates.map {
                ProblemChoice(
                    value: $0.immediateID.text, label: "\(isUnit ? "" : $0.unitName + "：")\($0.number) \($0.text)", checked: chosenImmediates.contains($0.immediateID.text))
            },
            hasChoices: !problems.isEmpty || !immediates.isEmpty,
            kinds: RuleImprovementKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: form?["kind"] == $0.rawValue) },
            scopes: RuleImprovementScope.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: (form?["scope"] ?? RuleImprovementScope.rule.rawValue) == $0.rawValue) },
            units: units,
            title: form?["title"] ?? "", documentNumber: form?["document_number"] ?? "", adoptedOn: form?["adopted_on"] ?? "",
            adoptingBody: form?["adopting_body"] ?? "", description: form?["description"] ?? "", today: CalendarDay(store.clock.now()).description)
        return pages.render("rule_improvement_form", model, refused: error)
    }

    func recordRule(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageForm.submit(request, context: context) { form in
            var draft = RuleImprovementDraft(
                title: form["title"] ?? "", kind: try EvaluationInput.kind(form["kind"]), documentNumber: form["document_number"],
                adoptedOn: try EvaluationInput.requiredDay(form["adopted_on"], field: "adopted_on", label: "印发（施行）日期"),
                unitID: try FieldworkController.optionalID(form["unit_id"], field: "unit_id", label: "制定单位"), adoptingBody: form["adopting_body"],
                description: form["description"] ?? "",
                problemIDs: try form.all("problem_ids").map { try PlanningController.id($0, field: "problem_ids", label: "反馈问题") },
                immediateIDs: try form.all("immediate_ids").map { try PlanningController.id($0, field: "immediate_ids", label: "立行立改事项") })
            draft.scope = try EvaluationInput.scope(form["scope"])
            let recorded = try await store.recordRuleImprovement(draft, origin: try context.origin())
            return PageRenderer.redirect("/rule-improvements/\(recorded.id.text)", notice: .ruleImprovementRecorded)
        } reshow: { form, error in
            try await ruleForm(request, context: context, form: form, error: error)
        }
    }

    struct RulePage {
        let chrome: Chrome
        let rule: RuleImprovement
        let kind: String
        let adoptedOn: String
        let createdAt: String
        let problems: [LinkedProblem]
        let immediates: [LinkedImmediate]
    }

    func rulePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rule = try await store.ruleImprovement(try context.parameters.uuid("id"), for: try context.requireActor())
        return pages.render(
            "rule_improvement",
            RulePage(
                chrome: pages.chrome(title: rule.title, active: .ruleImprovements, request: request, context: context),
                rule: rule, kind: rule.kind.title + rule.scope.title, adoptedOn: Display.prose(rule.adoptedOn), createdAt: Display.prose(rule.createdAt), problems: rule.problems,
                immediates: rule.immediates))
    }

    // MARK: 整改评估

    struct EvaluationRow {
        let href: String
        let unitName: String
        let feedbackNumber: String
        let plannedOn: String
        let grade: String
        let secondDeadline: String
        let status: String
        let statusClass: String
    }

    struct EvaluationsPage {
        let chrome: Chrome
        let error: String?
        let isUnit: Bool
        let rows: [EvaluationRow]
        let statuses: [Option]
        let grades: [Option]
        let filtered: Bool
        let maySchedule: Bool
        let feedbacks: [Option]
        let plannedOn: String
        let note: String
        let nextHref: String?
        let firstHref: String?
        let exports: ExportLinks
    }

    static func statusClass(_ status: EvaluationStatus) -> String {
        switch status {
        case .scheduled: ""
        case .secondRectification, .secondReported: "warn"
        case .closed: "ok"
        }
    }

    func evaluationsPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewEvaluations)
        let list = try ListAddress("/evaluations", request)
        let parameters = list.parameters
        let status = try EvaluationInput.evaluationStatus(parameters["status"])
        let grade = try parameters["grade"].flatMap { $0.isEmpty ? nil : try EvaluationInput.grade($0) }
        if form == nil, let file = try await LedgerExport.requested(parameters, store: store, {
            try await LedgerTable.evaluations(store, EvaluationQuery(status: status, grade: grade), for: actor)
        }) {
            return file
        }
        let page = try await store.evaluations(EvaluationQuery(status: status, grade: grade), page: list.page, for: actor)
        let isUnit = store.policy.reach(actor, .viewEvaluations) == .ownUnit
        let maySchedule = store.policy.allowsAnywhere(actor, .manageEvaluations)
        var feedbacks: [Option] = []
        if maySchedule {
            feedbacks = try await store.evaluableFeedbacks(for: actor).map {
                Option(value: $0.id.text, label: "\($0.unitName)（\($0.document.number)）", selected: form?["feedback_id"] == $0.id.text)
            }
        }
        let model = EvaluationsPage(
            chrome: pages.chrome(title: "整改评估", active: .evaluations, request: request, context: context),
            error: error?.message, isUnit: isUnit,
            rows: page.items.map {
                EvaluationRow(
                    href: "/evaluations/\($0.id.text)", unitName: $0.unitName, feedbackNumber: $0.feedbackNumber, plannedOn: $0.plannedOn.description,
                    grade: $0.grade?.title ?? "—", secondDeadline: $0.secondDeadline?.description ?? "—", status: $0.status.title, statusClass: Self.statusClass($0.status))
            },
            statuses: (isUnit ? EvaluationStatus.visibleToUnit : EvaluationStatus.allCases).map { Option(value: $0.rawValue, label: $0.title, selected: $0 == status) },
            grades: EvaluationGrade.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == grade) }, filtered: status != nil || grade != nil,
            maySchedule: maySchedule, feedbacks: feedbacks, plannedOn: form?["planned_on"] ?? CalendarDay(store.clock.now()).description, note: form?["note"] ?? "",
            nextHref: list.next(page.nextCursor),
            firstHref: list.first,
            exports: ExportLinks("/evaluations", parameters))
        return pages.render("evaluations", model, refused: error)
    }

    func schedule(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageForm.submit(request, context: context) { form in
            let evaluation = try await store.scheduleEvaluation(
                of: try PlanningController.id(form["feedback_id"], field: "feedback_id", label: "反馈意见"),
                plannedOn: try EvaluationInput.requiredDay(form["planned_on"], field: "planned_on", label: "计划评估日期"), note: form["note"], origin: try context.origin())
            return PageRenderer.redirect("/evaluations/\(evaluation.id.text)", notice: .evaluationScheduled, about: NoticeSaid.object(EvaluationLifecycle.self, evaluation))
        } reshow: { form, error in
            try await evaluationsPage(request, context: context, form: form, error: error)
        }
    }

    struct EvaluationPage {
        let chrome: Chrome
        let id: String
        let version: Int
        let e: Evaluation
        let error: String?
        let status: String
        let statusClass: String
        let plannedOn: String
        let methods: String
        let grade: String?
        let evaluatedOn: String?
        let secondDeadline: String?
        let secondReportedAt: String?
        let closedAt: String?
        let actions: [StepForm]
        let history: [HistoryRow]
        let reminders: [WorkController.ReminderView]
        let followUpHref: String?
        /// 下载公文: the record's .docx, once it is one.
        let documentHref: String?
        /// How the page prints as a 公文.
        let paper: PrintedDocument
    }

    func evaluationPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let e = try await store.evaluation(try context.parameters.uuid("id"), for: actor)
        let steps = try await store.availableSteps(EvaluationLifecycle.self, on: e, for: actor)
        let today = CalendarDay(store.clock.now()).description
        let forms = StepForms(action: "/evaluations/\(e.id.text)/steps", version: e.version, posted: form, error: error)
        let actions = steps.map { step -> StepForm in
            switch step {
            case .grade:
                forms.form(
                    step, title: "评定等次", confirm: "评定后等次即告知被巡察单位并送纪委监委、组织部，不能再改。评为“一般”“差”的须限期二次整改。确定评定？",
                    [
                        .choices("methods", legend: "评估方式（可多选）", options: EvaluationMethod.allCases.map { ($0.rawValue, $0.title) }),
                        .textarea("findings", label: "评估情况", rows: 5, maxLength: 20000, required: true),
                        .select("grade", label: "等次", options: EvaluationGrade.allCases.map { ($0.rawValue, $0.title) }, empty: "请选择", required: true),
                        .input("evaluated_on", label: "评估日期", type: "date", value: today, max: today, required: true),
                        .input(
                            "second_deadline", label: "二次整改时限", type: "date", min: today,
                            hint: "评为“一般”“差”的必填，须晚于评估日期；评为“好”“较好”的不填。"),
                    ])
            case .report:
                forms.form(
                    step, title: "报告二次整改情况", confirm: "报告后由巡察办审核，内容不能再修改。确定报告？",
                    [.textarea("report", label: "二次整改情况", rows: 5, maxLength: 20000, required: true)])
            case .accept:
                forms.form(step, title: "审核通过", confirm: "确定二次整改到位、审核通过？", [.note("审核意见")])
            case .return:
                forms.form(step, title: "退回重新整改", confirm: "确定退回被巡察单位重新整改？", danger: true, [.note("退回理由", required: true)])
            }
        }
        let history = try await store.history(EvaluationLifecycle.self, of: e.id, for: actor).map(HistoryRow.init)
        let mayFollowUp = e.grade == .poor && store.policy.allowsAnywhere(actor, .manageEvaluations)
        let model = EvaluationPage(
            chrome: pages.chrome(title: "整改评估", active: .evaluations, request: request, context: context),
            id: e.id.text, version: e.version, e: e, error: error?.message, status: e.status.title, statusClass: Self.statusClass(e.status), plannedOn: Display.prose(e.plannedOn),
            methods: e.methods.map(\.title).joined(separator: "、"), grade: e.grade?.title, evaluatedOn: e.evaluatedOn.map(Display.prose),
            secondDeadline: e.secondDeadline.map(Display.prose), secondReportedAt: e.secondReportedAt.map(Display.prose), closedAt: e.closedAt.map(Display.prose),
            actions: actions, history: history,
            reminders: try await store.reminders(EvaluationLifecycle.self, of: e.id, for: actor).map(WorkController.ReminderView.init),
            followUpHref: mayFollowUp ? "/follow-ups?evaluation_id=\(e.id.text)&unit_id=\(e.unitID.text)#schedule" : nil,
            documentHref: e.grade == nil ? nil : "/evaluations/\(e.id.text)/document.docx",
            paper: PrintedDocument(
                number: nil, title: "关于\(e.unitName)巡察整改情况的评估意见", addressee: e.unitName,
                issuer: try await PrintedDocument.office(of: e.jurisdictionID, store: store, actor: actor), dated: e.evaluatedOn))
        return pages.render("evaluation", model, refused: error)
    }

    func takeStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            EvaluationStep.self, request, context: context, store: store,
            input: { form, step in
                var grading: EvaluationGrading?
                if step == .grade {
                    grading = EvaluationGrading(
                        methods: try EvaluationInput.methods(form.all("methods")), findings: form["findings"] ?? "", grade: try EvaluationInput.grade(form["grade"]),
                        evaluatedOn: try EvaluationInput.requiredDay(form["evaluated_on"], field: "evaluated_on", label: "评估日期"),
                        secondDeadline: try EvaluationInput.day(form["second_deadline"], field: "second_deadline", label: "二次整改时限"))
                }
                return EvaluationStepInput(grading: grading, report: form["report"], note: form["note"])
            },
            done: { id, _ in PageRenderer.redirect("/evaluations/\(id.text)", notice: .evaluationStepTaken) },
            reshow: { form, error in try await evaluationPage(request, context: context, form: form, error: error) })
    }

    // MARK: 回头看

    struct FollowUpRow {
        let href: String
        let unitName: String
        let planned: String
        let reason: String
        let status: String
        let statusClass: String
    }

    struct FollowUpsPage {
        let chrome: Chrome
        let error: String?
        let rows: [FollowUpRow]
        let statuses: [Option]
        let year: String
        let filtered: Bool
        let maySchedule: Bool
        let units: [Option]
        let evaluationID: String
        let plannedOn: String
        let plannedYear: String
        let quarters: [Option]
        let reason: String
        let today: String
        let nextHref: String?
        let firstHref: String?
        let exports: ExportLinks
    }

    static func statusClass(_ status: FollowUpStatus) -> String {
        switch status {
        case .scheduled: "warn"
        case .done: "ok"
        case .cancelled: ""
        }
    }

    func followUpsPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewFollowUps)
        var parameters = request.queryDictionary
        parameters["notice"] = nil
        let status = try EvaluationInput.followUpStatus(parameters["status"])
        let year = try EvaluationInput.number(parameters["year"], field: "year", label: "年度")
        // The list's links keep its own filters, not the scheduling form's prefill.
        let list = try ListAddress("/follow-ups", parameters: parameters.filter { ["status", "year", "limit", "cursor"].contains($0.key) })
        if form == nil, let file = try await LedgerExport.requested(parameters, store: store, {
            try await LedgerTable.followUps(store, FollowUpQuery(status: status, year: year), for: actor)
        }) {
            return file
        }
        let page = try await store.followUps(FollowUpQuery(status: status, year: year), page: list.page, for: actor)
        let maySchedule = store.policy.allowsAnywhere(actor, .manageEvaluations)
        let unit = try FieldworkController.optionalID(form?["unit_id"] ?? parameters["unit_id"], field: "unit_id", label: "单位")
        let quarter = form?["planned_quarter"] ?? ""
        let model = FollowUpsPage(
            chrome: pages.chrome(title: "回头看", active: .followUps, request: request, context: context),
            error: error?.message,
            rows: page.items.map {
                FollowUpRow(
                    href: "/follow-ups/\($0.id.text)", unitName: $0.unitName, planned: $0.plan.text, reason: $0.reason, status: $0.status.title,
                    statusClass: Self.statusClass($0.status))
            },
            statuses: FollowUpStatus.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == status) }, year: year.map(String.init) ?? "",
            filtered: status != nil || year != nil, maySchedule: maySchedule, units: maySchedule ? try await unitOptions(actor, selected: unit) : [],
            evaluationID: form?["evaluation_id"] ?? parameters["evaluation_id"] ?? "", plannedOn: form?["planned_on"] ?? "", plannedYear: form?["planned_year"] ?? "",
            quarters: (1...4).map { Option(value: String($0), label: "第\($0)季度", selected: quarter == String($0)) }, reason: form?["reason"] ?? "",
            today: CalendarDay(store.clock.now()).description,
            nextHref: list.next(page.nextCursor), firstHref: list.first, exports: ExportLinks("/follow-ups", list.parameters))
        return pages.render("follow_ups", model, refused: error)
    }

    func scheduleFollowUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageForm.submit(request, context: context) { form in
            let followUp = try await store.scheduleFollowUp(
                of: try PlanningController.id(form["unit_id"], field: "unit_id", label: "被巡察单位"),
                year: try EvaluationInput.number(form["planned_year"], field: "planned_year", label: "计划年度"),
                quarter: try EvaluationInput.number(form["planned_quarter"], field: "planned_quarter", label: "计划季度"),
                day: try EvaluationInput.day(form["planned_on"], field: "planned_on", label: "计划日期"), reason: form["reason"],
                evaluationID: try FieldworkController.optionalID(form["evaluation_id"], field: "evaluation_id", label: "整改评估"), origin: try context.origin())
            return PageRenderer.redirect("/follow-ups/\(followUp.id.text)", notice: .followUpScheduled)
        } reshow: { form, error in
            try await followUpsPage(request, context: context, form: form, error: error)
        }
    }

    struct FollowUpPage {
        let chrome: Chrome
        let id: String
        let version: Int
        let f: FollowUp
        let error: String?
        let planned: String
        let status: String
        let statusClass: String
        let evaluationHref: String?
        let settledAt: String?
        let maySettle: Bool
        let note: String
    }

    func followUpPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let f = try await store.followUp(try context.parameters.uuid("id"), for: actor)
        let model = FollowUpPage(
            chrome: pages.chrome(title: "回头看", active: .followUps, request: request, context: context),
            id: f.id.text, version: f.version, f: f, error: error?.message, planned: f.plan.text, status: f.status.title, statusClass: Self.statusClass(f.status),
            evaluationHref: f.evaluationID.map { "/evaluations/\($0.text)" }, settledAt: f.settledAt.map(Display.prose),
            maySettle: f.status == .scheduled && store.policy.allowsAnywhere(actor, .manageEvaluations), note: form?["note"] ?? "")
        return pages.render("follow_up", model, refused: error)
    }

    func settle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            guard let status = try EvaluationInput.followUpStatus(form["status"]) else { throw DomainError.required("status", label: "办结结果") }
            let version = try form.version()
            _ = try await store.settleFollowUp(id, as: status, note: form["note"], version: version, origin: try context.origin())
            return PageRenderer.redirect("/follow-ups/\(id.text)", notice: .followUpSettled)
        } reshow: { form, error in
            try await followUpPage(request, context: context, form: form, error: error)
        }
    }
}
