import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 工作台: what waits for the reader (待办), what they did (已办), what has finished (办结), and the
/// overdue items they may remind others of (催办) — as pages and as `/api/v1/me/…`.
struct WorkController {
    let store: Store
    let pages: PageRenderer
    let settings: WebSettings

    /// The record's own page, where its steps are taken.
    static func href(_ item: WorkItem) -> String {
        let id = item.recordID.text
        switch item.kind {
        case .pledge: return "/my/pledge/\(id)"
        case .recusalRequest: return "/recusal-requests"
        case .planToDraft: return "/rectification-plans/new?feedback=\(id)"
        case .chain(let chain):
            let path: String
            switch chain {
            case .round: path = "/rounds"
            case .finding: path = "/findings"
            case .lead: path = "/leads"
            case .immediate: path = "/immediate-rectifications"
            case .report: path = "/reports"
            case .feedback: path = "/feedback"
            case .plan: path = "/rectification-plans"
            case .task: path = "/rectification-tasks"
            case .rectificationReport: path = "/rectification-reports"
            case .disclosure: path = "/disclosures"
            case .evaluation: path = "/evaluations"
            case .thematicReport: path = "/thematic-reports"
            }
            return "\(path)/\(id)"
        }
    }

    /// One item as the page shows it.
    struct ItemView {
        let kind: String
        let kindTitle: String
        let id: String
        let title: String
        let unitName: String?
        let status: String
        let steps: String?
        let due: String?
        let overdue: Bool
        let at: String
        let href: String
        let reminders: [ReminderView]
        let remindable: Bool

        init(_ item: WorkItem, today: CalendarDay, remindable: Bool = false) {
            kind = item.kind.rawValue
            kindTitle = item.kind.title
            id = item.recordID.text
            title = item.title
            unitName = item.unitName
            status = item.statusTitle
            steps = item.steps.isEmpty ? nil : item.steps.joined(separator: " / ")
            due = item.due?.description
            overdue = item.isOverdue(today: today)
            at = Display.time(item.at)
            href = WorkController.href(item)
            reminders = item.reminders.map(ReminderView.init)
            self.remindable = remindable
        }
    }

    struct ReminderView {
        let note: String
        let by: String
        let at: String

        init(_ reminder: Reminder) {
            note = reminder.note
            by = reminder.byName
            at = Display.time(reminder.at)
        }
    }

    struct Tab {
        let label: String
        let href: String
        let active: Bool
    }

    struct WorkPageModel {
        let chrome: Chrome
        let tabs: [Tab]
        let list: String
        let listTitle: String
        let items: [ItemView]
        let total: Int
        let empty: String
        let previousHref: String?
        let nextHref: String?
        let pageLabel: String
        let overdueList: Bool
        let error: String?
    }

    static let perPage = 25

    /// What each list says when it has nothing.
    static func emptyText(_ list: WorkList) -> String {
        switch list {
        case .waiting: "当前没有待您办理的事项。有新的事项需要您办理时，会显示在这里，菜单中的“工作台”会标出数量。"
        case .done: "您还没有办理过流转事项。"
        case .settled: "您参与办理的事项尚无办结的。"
        case .overdue: "没有逾期未办、可由您催办的事项。"
        }
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/work") { request, context -> Response in try await page(request, context: context) }
        router.post("/work/remind") { request, context -> Response in
            try await PageForm.submit(request, context: context, shown: { _ in true }) { form in
                try await remind(kind: form["kind"], id: form["id"], note: form["note"], context: context)
                return PageRenderer.redirect("/work?list=overdue", notice: .reminded)
            } reshow: { _, error in
                try await page(request, context: context, list: .overdue, error: error)
            }
        }
        router.get("/api/v1/me/waiting") { request, context -> Response in
            let actor = try context.requireActor()
            let (page, work) = try await list(.waiting, request, actor: actor)
            let w = try await store.rectificationWaiting(for: actor)
            return try JSONBody.response(
                WaitingDTO(
                    feedbackWithoutPlan: w.feedbackWithoutPlan, plansToFinish: w.plansToFinish, plansToReview: w.plansToReview, tasksOpen: w.tasksOpen,
                    tasksYellow: w.tasksYellow, tasksRed: w.tasksRed, closuresToReview: w.closuresToReview, reportsDue: w.reportsDue,
                    recusalRequestsToDecide: try await store.recusalRequestsToDecide(for: actor),
                    items: work.items.map { WorkItemDTO($0, today: today) }, total: work.total, page: page, perPage: Self.perPage))
        }
        router.get("/api/v1/me/work/{list}") { request, context -> Response in
            guard let list = WorkList(rawValue: context.parameters.get("list") ?? "") else { throw DomainError.notFound }
            let (page, work) = try await self.list(list, request, actor: try context.requireActor())
            return try JSONBody.response(WorkListDTO(list: list.rawValue, items: work.items.map { WorkItemDTO($0, today: today) }, total: work.total, page: page, perPage: Self.perPage))
        }
        router.post("/api/v1/reminders") { request, context -> Response in
            let input = try await JSONBody.decode(ReminderRequest.self, from: request, limit: settings.maxBodyBytes)
            let reminder = try await remind(kind: input.kind, id: input.recordId, note: input.note, context: context)
            return try JSONBody.response(ReminderDTO(reminder), status: .created)
        }
    }

    private var today: CalendarDay { CalendarDay(store.clock.now()) }

    /// The page number asked for (1 when none); a bad one is refused.
    private static func pageNumber(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["page"].map(String.init), !text.isEmpty else { return 1 }
        guard let page = Int(text), page >= 1, page <= 10_000 else {
            throw DomainError.invalid("invalid_page", "页码须为1至10000的整数", english: "page must be 1...10000", field: "page")
        }
        return page
    }

    private func list(_ list: WorkList, _ request: Request, actor: Actor) async throws -> (Int, WorkPage) {
        let page = try Self.pageNumber(request)
        return (page, try await store.workCentre(list, for: actor, page: page, perPage: Self.perPage))
    }

    @discardableResult
    private func remind(kind: String?, id: String?, note: String?, context: AppRequestContext) async throws -> Reminder {
        guard let kind = kind.flatMap(WorkKind.init(rawValue:)) else {
            throw DomainError.invalid("invalid_kind", "请指明催办的事项类别", english: "kind names no chain", field: "kind")
        }
        guard let id = id.flatMap(UUID.init(text:)) else {
            throw DomainError.invalid("invalid_id", "请指明催办的事项", english: "record_id is not a UUID", field: "record_id")
        }
        return try await store.remind(kind, recordID: id, note: note, origin: try context.origin())
    }

    private func page(_ request: Request, context: AppRequestContext, list forced: WorkList? = nil, error: DomainError? = nil) async throws -> Response {
        let actor = try context.requireActor()
        let query = request.uri.queryParameters
        let asked = query["list"].map(String.init) ?? ""
        guard let list = forced ?? (asked.isEmpty ? .waiting : WorkList(rawValue: asked)) else { throw DomainError.notFound }
        let (page, work) = try await self.list(list, request, actor: actor)
        let today = self.today
        let pageCount = max((work.total + Self.perPage - 1) / Self.perPage, 1)
        let href = { (page: Int) in ListLink.make("/work", ["list": list.rawValue], ["page": page == 1 ? nil : String(page)]) }
        let model = WorkPageModel(
            chrome: Chrome.make(title: "工作台", active: .work, context: context, policy: store.policy, notice: Chrome.notice(request)),
            tabs: WorkList.allCases.map { Tab(label: $0.title, href: ListLink.make("/work", ["list": $0.rawValue]), active: $0 == list) },
            list: list.rawValue, listTitle: list.title,
            items: work.items.map { ItemView($0, today: today, remindable: list == .overdue) }, total: work.total, empty: Self.emptyText(list),
            previousHref: page > 1 ? href(page - 1) : nil, nextHref: page < pageCount ? href(page + 1) : nil, pageLabel: "第\(page)页，共\(pageCount)页",
            overdueList: list == .overdue, error: error.map(\.message))
        return pages.render("work", model, refused: error)
    }

    // MARK: API

    /// `{"kind", "record_id", "note"}` (the decoder reads snake_case keys).
    struct ReminderRequest: Decodable {
        let kind: String?
        let recordId: String?
        let note: String?
    }

    struct ReminderDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case note, byName = "by_name", at
        }

        let note: String
        let byName: String
        let at: String

        init(_ reminder: Reminder) {
            note = reminder.note
            byName = reminder.byName
            at = JSONBody.timestamp(reminder.at)
        }
    }

    struct WorkItemDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case kind, kindTitle = "kind_title", id, title, unitName = "unit_name", statusTitle = "status_title", steps, due, overdue, at, href, reminders
        }

        let kind: String
        let kindTitle: String
        let id: String
        let title: String
        let unitName: String?
        let statusTitle: String
        let steps: [String]
        let due: String?
        let overdue: Bool
        let at: String
        let href: String
        let reminders: [ReminderDTO]

        init(_ item: WorkItem, today: CalendarDay) {
            kind = item.kind.rawValue
            kindTitle = item.kind.title
            id = item.recordID.text
            title = item.title
            unitName = item.unitName
            statusTitle = item.statusTitle
            steps = item.steps
            due = item.due?.description
            overdue = item.isOverdue(today: today)
            at = JSONBody.timestamp(item.at)
            href = WorkController.href(item)
            reminders = item.reminders.map(ReminderDTO.init)
        }
    }

    struct WorkListDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case list, items, total, page, perPage = "per_page"
        }

        let list: String
        let items: [WorkItemDTO]
        let total: Int
        let page: Int
        let perPage: Int
    }

    /// `/api/v1/me/waiting`: the rectification counts it always had, and the work centre's 待办.
    struct WaitingDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case feedbackWithoutPlan = "feedback_without_plan", plansToFinish = "plans_to_finish", plansToReview = "plans_to_review"
            case tasksOpen = "tasks_open", tasksYellow = "tasks_yellow", tasksRed = "tasks_red", closuresToReview = "closures_to_review"
            case reportsDue = "reports_due", recusalRequestsToDecide = "recusal_requests_to_decide"
            case items, total, page, perPage = "per_page"
        }

        let feedbackWithoutPlan: Int
        let plansToFinish: Int
        let plansToReview: Int
        let tasksOpen: Int
        let tasksYellow: Int
        let tasksRed: Int
        let closuresToReview: Int
        let reportsDue: Int
        let recusalRequestsToDecide: Int
        let items: [WorkItemDTO]
        let total: Int
        let page: Int
        let perPage: Int
    }
}
