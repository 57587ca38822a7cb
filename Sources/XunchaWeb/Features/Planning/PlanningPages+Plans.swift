import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 巡察规划与全覆盖 pages: the committee's plans per term and how much of the register a term's
/// rounds have reached.
extension PlanningPages {
    // MARK: Plans

    struct TargetRow {
        let name: String
        let href: String
        let reason: String?
    }

    struct PlanRow {
        let term: String
        let title: String
        let dates: String
        let count: Int
        let targets: [TargetRow]
        let coverageHref: String
        let createdAt: String
    }

    struct PlansPage {
        let chrome: Chrome
        let canManage: Bool
        let rows: [PlanRow]
        let terms: [Option]
        let filtered: Bool
    }

    func plansPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let term = request.queryDictionary["term"] ?? ""
        let all = try await store.plans(for: actor)
        let shown = all.filter { term.isEmpty || $0.term == term }
        let names = try await store.unitNames(Set(shown.flatMap { $0.targets.map(\.unitID) }), for: actor)
        var terms: [String] = []
        for plan in all where !terms.contains(plan.term) { terms.append(plan.term) }
        let model = PlansPage(
            chrome: pages.chrome(title: "巡察规划", active: .plans, request: request, context: context),
            canManage: store.policy.allowsAnywhere(actor, .manageRounds),
            rows: shown.map { plan in
                PlanRow(
                    term: plan.term, title: plan.title, dates: "\(plan.termStart) 至 \(plan.termEnd)", count: plan.targets.count,
                    targets: plan.targets.map { TargetRow(name: names[$0.unitID] ?? "（无权查看的单位）", href: "/units/\($0.unitID.text)", reason: $0.reason) }
                        .sorted { $0.name < $1.name },
                    coverageHref: ListLink.make("/coverage", ["term": plan.term]), createdAt: Display.time(plan.createdAt))
            },
            terms: terms.map { Option(value: $0, label: $0, selected: $0 == term) }, filtered: !term.isEmpty)
        return pages.render("plans", model)
    }

    struct TargetChoice {
        let id: String
        let name: String
        let checked: Bool
        let reason: String
    }

    struct PlanFormPage {
        let chrome: Chrome
        let term: String
        let termStart: String
        let termEnd: String
        let title: String
        let units: [TargetChoice]
        let formError: String?
    }

    func planForm(context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .manageRounds)
        let units = try await unitRegister(of: try context.ownJurisdiction(), for: actor)
        let chosen = Set(form?.all("target") ?? [])
        let term = try await store.planningTerms(for: actor).first ?? ""
        let model = PlanFormPage(
            chrome: Chrome.make(title: "新建巡察规划", active: .plans, context: context, policy: store.policy), term: form?["term"] ?? term,
            termStart: form?["term_start"] ?? "", termEnd: form?["term_end"] ?? "", title: form?["title"] ?? "",
            units: units.map { TargetChoice(id: $0.id.text, name: $0.name, checked: chosen.contains($0.id.text), reason: form?["reason_\($0.id.text)"] ?? "") },
            formError: error?.message)
        return pages.render("plan_form", model, refused: error)
    }

    func createPlan(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        return try await PageForm.submit(request, context: context) { form in
            let targets = try form.all("target").map {
                PlanTarget(unitID: try PlanningController.id($0, field: "targets", label: "规划单位"), reason: form["reason_\($0)"])
            }
            let plan = try await store.createPlan(
                term: form["term"], termStart: form["term_start"], termEnd: form["term_end"], title: form["title"], targets: targets,
                in: try context.ownJurisdiction(), origin: origin)
            return PageRenderer.redirect(ListLink.make("/plans", ["term": plan.term]), notice: .created)
        } reshow: { form, error in
            try await planForm(context: context, form: form, error: error)
        }
    }

    // MARK: Coverage

    struct CoverageView {
        let term: String
        let total: Int
        let planned: Int
        let inspected: Int
        let remaining: Int
        let percent: String
        /// The bar's filled length out of 100 (SVG user units; the CSP forbids inline styles).
        let barLength: String
        let plannedLength: String
        let remainingUnits: [TargetRow]
        /// How many remaining units the list leaves out, nil when none.
        let more: Int?
    }

    struct CoveragePage {
        let chrome: Chrome
        let terms: [Option]
        let coverage: CoverageView?
    }

    func coveragePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let terms = try await store.planningTerms(for: actor)
        let asked = try TextRules.optionalLine(request.queryDictionary["term"], field: "term", label: "届次", maxLength: 20)
        let term = asked ?? terms.first
        var view: CoverageView?
        if let term {
            let coverage = try await store.coverage(term: term, for: actor)
            func share(_ count: Int) -> String { coverage.total == 0 ? "0" : String(format: "%.1f", Double(count) * 100 / Double(coverage.total)) }
            view = CoverageView(
                term: term, total: coverage.total, planned: coverage.planned, inspected: coverage.inspected, remaining: coverage.remaining,
                percent: String(format: "%.1f", coverage.percent), barLength: share(coverage.inspected), plannedLength: share(coverage.planned),
                remainingUnits: coverage.remainingSample.map { TargetRow(name: $0.name, href: "/units/\($0.id.text)", reason: nil) },
                more: coverage.remaining > coverage.remainingSample.count ? coverage.remaining - coverage.remainingSample.count : nil)
        }
        let choices = (asked.map { terms.contains($0) ? [] : [$0] } ?? []) + terms
        let model = CoveragePage(
            chrome: Chrome.make(title: "巡察全覆盖", active: .plans, context: context, policy: store.policy),
            terms: choices.map { Option(value: $0, label: $0, selected: $0 == term) }, coverage: view)
        return pages.render("coverage", model)
    }
}
