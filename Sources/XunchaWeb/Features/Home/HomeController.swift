import Hummingbird
import XunchaCore
import XunchaStore

/// The home page: what the signed-in person can open, by role. Later capabilities add their
/// work lists here.
struct HomeController {
    let store: Store
    let pages: PageRenderer

    struct Card {
        let title: String
        let text: String
        let href: String
    }

    /// One line of "what waits for me".
    struct Waiting {
        let count: Int
        let text: String
        let href: String
        let urgent: Bool
    }

    struct HomePage {
        let chrome: Chrome
        /// The first items of 待办, and how many there are.
        let work: [WorkController.ItemView]
        let waitingTotal: Int?
        let waiting: [Waiting]
        let greeting: String
        let roles: String
        let cards: [Card]
        let awaitingRoles: Bool
        /// A reset of the person's password, told until they acknowledge it.
        let resetNotice: String?
    }

    /// The counts as lines to act on, most pressing first; zero counts are left out.
    static func waiting(_ w: RectificationWaiting, recusalRequests: Int = 0) -> [Waiting] {
        [
            Waiting(count: recusalRequests, text: "项被巡察单位的回避申请待巡察办决定", href: "/recusal-requests", urgent: true),
            Waiting(count: w.tasksRed, text: "项整改任务已逾期（红色预警）", href: "/ledger?list=tasks&warning=red", urgent: true),
            Waiting(count: w.tasksYellow, text: "项整改任务临近完成时限（黄色预警）", href: "/ledger?list=tasks&warning=yellow", urgent: true),
            Waiting(count: w.reportsDue, text: "项长期坚持的整改任务到了定期报告进展的时候", href: "/ledger?list=tasks&report_due=true", urgent: true),
            Waiting(count: w.feedbackWithoutPlan, text: "份反馈意见待拟定整改方案", href: "/rectification-plans", urgent: false),
            Waiting(count: w.plansToFinish, text: "份整改方案待完善、签字背书", href: "/rectification-plans", urgent: false),
            Waiting(count: w.plansToReview, text: "份整改方案待审核", href: "/rectification-plans?status=endorsed", urgent: false),
            Waiting(count: w.closuresToReview, text: "项整改任务申请销号待审核", href: "/ledger?list=tasks&status=closure_requested", urgent: false),
            Waiting(count: w.tasksOpen, text: "项整改任务正在整改，请按期报告进展", href: "/ledger?list=tasks&status=in_progress", urgent: false),
        ].filter { $0.count > 0 }
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { request, context -> Response in
            guard let session = context.session else { return PageRenderer.redirect("/login") }
            let actor = session.actor
            let policy = store.policy
            var cards: [Card] = []
            if policy.allowsAnywhere(actor, .viewUnits) {
                cards.append(Card(title: "被巡察单位", text: policy.allowsAnywhere(actor, .manageUnits) ? "登记、查询、维护本级被巡察单位名录" : "查看单位信息", href: "/units"))
            }
            if policy.allowsAnywhere(actor, .viewRounds) {
                cards.append(
                    Card(
                        title: "巡察轮次",
                        text: policy.allowsAnywhere(actor, .manageRounds) ? "拟定轮次和批次，组建巡察组，选配人员，派驻单位" : "审议巡察办提交的轮次计划", href: "/rounds"))
                cards.append(Card(title: "规划与全覆盖", text: "本届巡察规划和全覆盖进度", href: "/plans"))
            }
            if policy.allowsAnywhere(actor, .viewPools) {
                cards.append(Card(title: "组长库·人才库", text: "巡察干部名册、回避情形、名册导入", href: "/inspectors"))
            }
            if policy.allowsAnywhere(actor, .viewLeads) {
                cards.append(Card(title: "问题线索", text: "线索的研判、移交、签收、反馈和销号", href: "/leads"))
            }
            if policy.allowsAnywhere(actor, .viewRectification) {
                cards.append(Card(title: "整改台账", text: "问题清单、任务清单、责任清单、督查清单，预警与逾期", href: "/ledger"))
            }
            if policy.allowsAnywhere(actor, .viewJurisdictions) {
                cards.append(Card(title: "党委（辖区）", text: "市、县（区）党委层级结构", href: "/jurisdictions"))
            }
            if policy.allowsAnywhere(actor, .viewUsers) {
                cards.append(Card(title: "账号管理", text: policy.allowsAnywhere(actor, .manageUsers) ? "开设、停用账号，重置密码" : "授予角色，解除锁定", href: "/users"))
            }
            if policy.allowsAnywhere(actor, .viewAuditLog) {
                cards.append(Card(title: "审计日志", text: "查阅操作记录，核验日志完整性", href: "/audit"))
            }
            cards.append(Card(title: "修改密码", text: "定期更换登录密码", href: "/password"))
            let work = try await store.workCentre(.waiting, for: actor, perPage: 8)
            var context = context
            context.waitingCount = work.total
            let chrome = Chrome.make(title: "首页", active: .home, context: context, policy: policy, notice: Chrome.notice(request))
            let today = CalendarDay(store.clock.now())
            return pages.render(
                "home",
                HomePage(
                    chrome: chrome, work: work.items.map { WorkController.ItemView($0, today: today) }, waitingTotal: work.total > 0 ? work.total : nil,
                    waiting: Self.waiting(
                        try await store.rectificationWaiting(for: actor), recusalRequests: try await store.recusalRequestsToDecide(for: actor)),
                    greeting: "\(session.user.displayName)，您好", roles: session.user.roles.sorted().map(\.title).joined(separator: "、"),
                    cards: cards, awaitingRoles: session.user.roles.isEmpty, resetNotice: session.user.resetNotice))
        }
    }
}
