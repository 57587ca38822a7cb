import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 巡察计划 pages: rounds and their staffing, the team proposal, the pools, plans and coverage.
/// The JSON API for the same records is `PlanningController`; both call the same store
/// operations, so a rule holds whichever way a change arrives.
struct PlanningPages {
    let store: Store
    let pages: PageRenderer
    let settings: WebSettings

    func register(on router: Router<AppRequestContext>) {
        router.get("/rounds") { request, context in try await roundsPage(request, context: context) }
        router.get("/rounds/new") { _, context in try await roundForm(context: context, form: nil, error: nil) }
        router.post("/rounds") { request, context in try await createRound(request, context: context) }
        router.get("/rounds/{id}") { request, context in try await roundPage(request, context: context, failure: nil) }
        router.post("/rounds/{id}/steps") { request, context in try await takeStep(request, context: context) }
        router.post("/rounds/{id}/batches") { request, context in try await addBatch(request, context: context) }
        router.post("/rounds/{id}/groups") { request, context in try await formGroup(request, context: context) }
        router.post("/rounds/{id}/groups/{group}/members") { request, context in try await addMember(request, context: context) }
        router.post("/rounds/{id}/groups/{group}/assignments") { request, context in try await assignUnit(request, context: context) }
        router.get("/standing-groups") { request, context in try await standingGroupsPage(request, context: context) }
        router.get("/standing-groups/{id}") { request, context in try await standingGroupPage(request, context: context) }
        router.get("/rounds/{id}/proposal") { request, context in try await proposalPage(request, context: context) }
        router.post("/rounds/{id}/proposal") { request, context in try await acceptProposal(request, context: context) }

        router.get("/inspectors") { request, context in try await inspectorsPage(request, context: context) }
        router.get("/inspectors/new") { _, context in try await inspectorForm(context: context, form: nil, error: nil) }
        router.post("/inspectors") { request, context in try await createInspector(request, context: context) }
        router.get("/inspectors/import") { _, context in try importPage(context: context, error: nil) }
        router.post("/inspectors/import") { request, context in try await importInspectors(request, context: context) }
        router.get("/inspectors/{id}") { request, context in try await inspectorPage(request, context: context, form: nil, error: nil) }
        router.get("/inspectors/{id}/edit") { request, context in try await editInspector(request, context: context) }
        router.post("/inspectors/{id}") { request, context in try await updateInspector(request, context: context) }
        router.post("/inspectors/{id}/conflicts") { request, context in try await declareConflict(request, context: context) }

        router.get("/plans") { request, context in try await plansPage(request, context: context) }
        router.get("/plans/new") { _, context in try await planForm(context: context, form: nil, error: nil) }
        router.post("/plans") { request, context in try await createPlan(request, context: context) }
        router.get("/coverage") { request, context in try await coveragePage(request, context: context) }
    }

    /// A refusal a page shows beside the form that caused it, keeping what was typed.
    struct Failure {
        /// Which form failed: "step", "batch", "group", "member:<group id>", "assign:<group id>".
        let form: String
        let input: FormInput
        let error: DomainError

        /// A conflict of interest: the form then offers the written override reason.
        var isConflictOfInterest: Bool { error.code == "conflict_of_interest" }

        func value(_ name: String, for form: String) -> String? { self.form == form ? input[name] : nil }
    }

    /// Every item of a keyset-paged list up to `cap`, for the choices of a select.
    static func everyPage<T: Sendable>(cap: Int = 2_000, _ fetch: (PageRequest) async throws -> Page<T>) async throws -> [T] {
        var items: [T] = []
        var request = PageRequest(limit: PageRequest.maximumLimit)
        while items.count < cap {
            let page = try await fetch(request)
            items += page.items
            guard let next = page.nextCursor else { break }
            request.after = try Cursor(token: next)
        }
        return Array(items.prefix(cap))
    }

    /// The committee's whole unit register, by name.
    func unitRegister(of jurisdictionID: UUID, for actor: Actor) async throws -> [InspectedUnit] {
        try await Self.everyPage { page in
            try await store.units(UnitQuery(jurisdictionID: jurisdictionID, page: page), for: actor)
        }
    }

    /// The cadres of the pools, by name (only those free to be seconded when `availableOnly`).
    func pool(of jurisdictionID: UUID, availableOnly: Bool, for actor: Actor) async throws -> [Inspector] {
        try await Self.everyPage { page in
            try await store.inspectors(InspectorQuery(availableOnly: availableOnly, page: page), for: actor)
        }.filter { $0.jurisdictionID == jurisdictionID }
    }

    /// The location of a committee for asking the policy, if the actor sees it.
    func location(of jurisdictionID: UUID, for actor: Actor) async throws -> RecordLocation? {
        try await store.jurisdictions([jurisdictionID], for: actor)[jurisdictionID]?.location
    }

    /// An integer typed in a form: blank is nil; anything else must be a number.
    static func integer(_ text: String?, field: String, label: String) throws(DomainError) -> Int? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw .invalid("not_a_number", "“\(label)”须为整数", english: "\(field) must be an integer", field: field) }
        return value
    }
}

/// Numbers as Chinese documents write them: 第三轮, 第十二巡察组.
enum ChineseNumber {
    static func text(_ number: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard (1...99).contains(number) else { return String(number) }
        if number < 10 { return digits[number] }
        let tens = number / 10, ones = number % 10
        return (tens == 1 ? "" : digits[tens]) + "十" + (ones == 0 ? "" : digits[ones])
    }
}

/// A checkbox in a list of choices.
struct Check {
    let value: String
    let label: String
    let checked: Bool
}
