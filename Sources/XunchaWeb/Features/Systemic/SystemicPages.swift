import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// `/systemic-problems`: recurring classification items and similar findings across units, with
/// checkboxes that turn a selection into a 专题报告; `/thematic-reports`: the reports, one report
/// with the office's wording of each problem beside its source (while a draft), sending (after a
/// confirmation), the department's rule changes and closing. The department's page shows only
/// the wording, and a unit's name only where the office chose to name it.
struct SystemicPages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/systemic-problems") { request, context in try await problemsPage(request, context: context, form: nil, error: nil) }
        router.get("/thematic-reports") { request, context in try await reportsPage(request, context: context) }
        router.post("/thematic-reports") { request, context in try await create(request, context: context) }
        router.get("/thematic-reports/{id}") { request, context in try await reportPage(request, context: context, form: nil, error: nil) }
        router.post("/thematic-reports/{id}/steps") { request, context in try await takeStep(request, context: context) }
        router.post("/thematic-reports/{id}/problems") { request, context in try await word(request, context: context) }
        router.post("/thematic-reports/{id}/rule-changes") { request, context in try await recordRuleChange(request, context: context) }
    }

    // MARK: 普遍性问题

    struct ItemRow {
        let value: String
        let checked: Bool
        let family: String
        let title: String
        let unitCount: Int
        let findings: Int
        let units: String
    }

    struct TextRow {
        let findingID: String
        let checked: Bool
        let unitName: String
        let title: String
        let excerpt: String
    }

    struct GroupRow {
        let number: Int
        let unitCount: Int
        let units: String
        let similarity: String
        let texts: [TextRow]
    }

    struct ProblemsPage {
        let chrome: Chrome
        let error: String?
        let rounds: [Option]
        let year: String
        let similarity: String
        let roundID: String
        let threshold: Int
        let items: [ItemRow]
        let groups: [GroupRow]
        let hasAny: Bool
        let textsCompared: Int
        let capped: Bool
        let textLimit: Int
        let mayCreate: Bool
        let departments: [Option]
        let title: String
        let body: String
        let filtered: Bool
    }

    func problemsPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewSystemicProblems)
        let parameters = form.map { form in ["round_id": form["round_id"] ?? "", "year": form["year"] ?? "", "similarity": form["similarity"] ?? ""] } ?? request.queryDictionary
        let query = try SystemicInput.query(parameters)
        let found = try await store.systemicProblems(query, for: actor)
        let rounds = store.policy.allowsAnywhere(actor, .viewRounds) ? try await store.rounds(for: actor) : []
        let checkedItems = Set(form?.all("items") ?? [])
        let checkedFindings = Set(form?.all("finding_ids") ?? [])
        let mayCreate = store.policy.allowsAnywhere(actor, .manageThematicReports)
        let departments: [Option] =
            mayCreate
            ? try await store.units(UnitQuery(page: PageRequest(limit: 200)), for: actor).items.map {
                Option(value: $0.id.text, label: $0.name, selected: form?["department_unit_id"] == $0.id.text)
            } : []
        let model = ProblemsPage(
            chrome: pages.chrome(title: "普遍性、倾向性问题", active: .systemicProblems, request: request, context: context),
            error: error?.message,
            rounds: rounds.map { Option(value: $0.id.text, label: "\($0.term)第\($0.sequence)轮", selected: $0.id == query.roundID) },
            year: query.year.map(String.init) ?? "", similarity: String(format: "%.2f", query.similarity), roundID: query.roundID?.text ?? "",
            threshold: found.unitThreshold,
            items: found.recurringItems.map {
                ItemRow(
                    value: $0.key.text, checked: checkedItems.contains($0.key.text), family: $0.familyTitle, title: $0.title, unitCount: $0.units.count,
                    findings: $0.findings, units: $0.units.map(\.unitName).joined(separator: "、"))
            },
            groups: found.similarGroups.enumerated().map { index, group in
                GroupRow(
                    number: index + 1, unitCount: group.units.count, units: group.units.map(\.unitName).joined(separator: "、"),
                    similarity: String(format: "%.0f%%", group.weakestLink * 100),
                    texts: group.texts.map {
                        TextRow(
                            findingID: $0.findingID.text, checked: checkedFindings.contains($0.findingID.text), unitName: $0.unitName, title: $0.title,
                            excerpt: Self.excerpt($0.manifestation))
                    })
            },
            hasAny: !found.recurringItems.isEmpty || !found.similarGroups.isEmpty, textsCompared: found.textsCompared, capped: found.capped,
            textLimit: SystemicAnalysis.textLimit, mayCreate: mayCreate, departments: departments, title: form?["title"] ?? "", body: form?["body"] ?? "",
            filtered: query.roundID != nil || query.year != nil)
        return pages.render("systemic_problems", model, refused: error)
    }

    static func excerpt(_ text: String, limit: Int = 120) -> String {
        text.count > limit ? String(text.prefix(limit)) + "……" : text
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageForm.submit(request, context: context) { form in
            let draft = ThematicReportDraft(
                title: form["title"] ?? "", body: form["body"] ?? "",
                departmentUnitID: try FieldworkController.optionalID(form["department_unit_id"], field: "department_unit_id", label: "职能部门"),
                roundID: try FieldworkController.optionalID(form["round_id"], field: "round_id", label: "轮次"),
                year: try EvaluationInput.number(form["year"], field: "year", label: "年度"),
                items: try form.all("items").filter { !$0.isEmpty }.map { try ClassificationItemKey(text: $0) },
                findingIDs: try form.all("finding_ids").filter { !$0.isEmpty }.map { try PlanningController.id($0, field: "finding_ids", label: "问题") })
            let report = try await store.createThematicReport(draft, origin: try context.origin())
            return PageRenderer.redirect("/thematic-reports/\(report.id.text)", notice: .thematicReportCreated, about: NoticeSaid.object(ThematicReportLifecycle.self, report))
        } reshow: { form, error in
            try await problemsPage(request, context: context, form: form, error: error)
        }
    }

    // MARK: 专题报告

    struct ReportRow {
        let href: String
        let title: String
        let department: String
        let status: String
        let statusClass: String
        let problems: Int
        let units: Int
        let rules: Int
        let createdAt: String
    }

    struct ReportsPage {
        let chrome: Chrome
        let rows: [ReportRow]
        let statuses: [Option]
        let filtered: Bool
        let isDepartment: Bool
        let mayCreate: Bool
        let nextHref: String?
        let firstHref: String?
    }

    static func statusClass(_ status: ThematicReportStatus) -> String {
        switch status {
        case .draft: ""
        case .sent: "warn"
        case .answered, .closed: "ok"
        }
    }

    func reportsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewThematicReports)
        let list = try ListAddress("/thematic-reports", request)
        let parameters = list.parameters
        let status = try SystemicInput.status(parameters["status"])
        let page = try await store.thematicReports(ThematicReportQuery(status: status), page: list.page, for: actor)
        let model = ReportsPage(
            chrome: pages.chrome(title: "专题报告", active: .thematicReports, request: request, context: context),
            rows: page.items.map {
                ReportRow(
                    href: "/thematic-reports/\($0.id.text)", title: $0.title, department: $0.departmentName, status: $0.status.title, statusClass: Self.statusClass($0.status),
                    problems: $0.problemCount, units: $0.unitCount, rules: $0.ruleChangeCount, createdAt: Display.time($0.createdAt))
            },
            statuses: ThematicReportStatus.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == status) }, filtered: status != nil,
            isDepartment: store.policy.reach(actor, .viewThematicReports) == .ownUnit, mayCreate: store.policy.allowsAnywhere(actor, .viewSystemicProblems),
            nextHref: list.next(page.nextCursor),
            firstHref: list.first)
        return pages.render("thematic_reports", model)
    }

    struct ItemView {
        let family: String
        let title: String
        let units: String
    }

    struct RuleView {
        let href: String?
        let title: String
        let kind: String
        let documentNumber: String?
        let adoptedOn: String
        let description: String
        let recordedBy: String
    }


    /// One problem: the source (office and leading group only) and the office's wording.
    struct ProblemView {
        let number: Int
        let findingID: String?
        let unitName: String?
        let title: String?
        let manifestation: String?
        let wording: String?
        let namesUnit: Bool
    }

    struct ReportPage {
        let chrome: Chrome
        let error: String?
        let report: ThematicReport
        let reportID: String
        let status: String
        let statusClass: String
        let createdAt: String
        let sentAt: String?
        let items: [ItemView]
        /// The units named: every one for the office; for the department, those the office named.
        let units: String?
        let problems: [ProblemView]
        /// The wording form, for the office while a draft.
        let mayWord: Bool
        /// How many problems still lack the office's wording, when any do.
        let unworded: Int?
        let rules: [RuleView]
        let actions: [StepForm]
        let mayRecordRuleChange: Bool
        let kinds: [Option]
        let ruleTitle: String
        let documentNumber: String
        let adoptedOn: String
        let description: String
        let today: String
        let history: [HistoryRow]
        let isDepartment: Bool
        /// 下载公文: the record's .docx, once it is one.
        let documentHref: String?
        /// How the page prints as a 公文.
        let paper: PrintedDocument
    }

    func reportPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let report = try await store.thematicReport(try context.parameters.uuid("id"), for: actor)
        let available = try await store.availableSteps(ThematicReportLifecycle.self, on: report, for: actor)
        let history = try await store.history(ThematicReportLifecycle.self, of: report.id, for: actor)
        let mayOpenRules = store.policy.allowsAnywhere(actor, .viewRuleImprovements)
        let steps = StepForms(action: "/thematic-reports/\(report.id.text)/steps", version: report.version, posted: form, error: error)
        let model = ReportPage(
            chrome: pages.chrome(title: report.title, active: .thematicReports, request: request, context: context),
            error: error?.message, report: report, reportID: report.id.text, status: report.status.title, statusClass: Self.statusClass(report.status),
            createdAt: Display.prose(report.createdAt), sentAt: report.sentAt.map(Display.prose),
            items: report.items.map { ItemView(family: $0.familyTitle, title: $0.title, units: $0.units.map(\.unitName).joined(separator: "、")) },
            units: report.units.isEmpty ? nil : report.units.map { "\($0.unitName)（\($0.findings)个）" }.joined(separator: "、"),
            problems: report.problems.enumerated().map { index, problem in
                // After a refused save the page shows what was typed, not what is stored.
                let id = problem.findingID?.text
                let typed = id.flatMap { form?["wording_\($0)"] }
                return ProblemView(
                    number: index + 1, findingID: id, unitName: problem.unitName, title: problem.title, manifestation: problem.manifestation,
                    wording: typed ?? problem.wording, namesUnit: typed != nil ? form?["names_unit_\(id ?? "")"] == "yes" : problem.namesUnit)
            },
            mayWord: available.contains(.send), unworded: report.problems.contains { $0.wording == nil } ? report.problems.filter { $0.wording == nil }.count : nil,
            rules: report.ruleChanges.map {
                RuleView(
                    href: mayOpenRules ? "/rule-improvements/\($0.id.text)" : nil, title: $0.title, kind: $0.kind.title, documentNumber: $0.documentNumber,
                    adoptedOn: Display.prose($0.adoptedOn), description: $0.description, recordedBy: $0.recordedBy)
            },
            actions: available.filter { $0 != .recordRuleChange }.map { step in
                let note: [StepField] = [.note("说明（可不填）", rows: 2)]
                return switch step {
                case .send: steps.form(step, title: "送\(report.departmentName)", confirm: "送出后\(report.departmentName)即可查阅本报告，且不能再修改。确定送出吗？", note)
                default: steps.form(step, confirm: "确定办结本专题报告的跟踪吗？", note)
                }
            },
            mayRecordRuleChange: available.contains(.recordRuleChange),
            kinds: RuleImprovementKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: form?["kind"] == $0.rawValue) },
            ruleTitle: form?["title"] ?? "", documentNumber: form?["document_number"] ?? "", adoptedOn: form?["adopted_on"] ?? "",
            description: form?["description"] ?? "", today: CalendarDay(store.clock.now()).description,
            history: history.map(HistoryRow.init),
            isDepartment: store.policy.reach(actor, .viewThematicReports) == .ownUnit,
            documentHref: "/thematic-reports/\(report.id.text)/document.docx",
            paper: PrintedDocument(
                number: nil, title: report.title, addressee: report.departmentName,
                issuer: try await PrintedDocument.office(of: report.jurisdictionID, store: store, actor: actor), dated: report.sentAt))
        return pages.render("thematic_report", model, refused: error)
    }

    func takeStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            ThematicReportStep.self, request, context: context, store: store,
            input: { form, step in
                _ = try SystemicInput.step(step.rawValue)
                return ThematicStepInput(note: form["note"])
            },
            done: { id, _ in PageRenderer.redirect("/thematic-reports/\(id.text)", notice: .thematicReportStepTaken) },
            reshow: { form, error in try await reportPage(request, context: context, form: form, error: error) })
    }

    /// The office's wording of the problems, all at once from the draft's form.
    func word(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            let wordings = try form.all("finding_id").map { text in
                ThematicWording(
                    findingID: try PlanningController.id(text, field: "finding_id", label: "问题"), wording: form["wording_\(text)"],
                    namesUnit: form["names_unit_\(text)"] == "yes")
            }
            let saved = try await store.wordThematicProblems(wordings, on: id, version: version, origin: try context.origin())
            return PageRenderer.redirect("/thematic-reports/\(id.text)", notice: .saved, about: NoticeSaid.object(ThematicReportLifecycle.self, saved))
        } reshow: { form, error in
            try await reportPage(request, context: context, form: form, error: error)
        }
    }

    func recordRuleChange(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            let change = try SystemicInput.ruleChange(
                title: form["title"], kind: form["kind"], documentNumber: form["document_number"], adoptedOn: form["adopted_on"], description: form["description"])
            _ = try await store.take(ThematicReportStep.recordRuleChange, on: id, input: ThematicStepInput(ruleChange: change), version: version, origin: try context.origin(),
                dated: try form.businessDate())
            return PageRenderer.redirect("/thematic-reports/\(id.text)", notice: .thematicRuleChangeRecorded)
        } reshow: { form, error in
            try await reportPage(request, context: context, form: form, error: error)
        }
    }
}
