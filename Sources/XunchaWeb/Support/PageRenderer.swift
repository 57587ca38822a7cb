import Foundation
import Hummingbird
import Mustache
import XunchaCore
import XunchaStore

/// Renders the mustache templates in `Resources/templates`. All are loaded at boot, so a
/// missing or broken template stops the start instead of failing a user later.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let policy: AccessPolicy

    static let requiredTemplates = [
        "layout", "login", "password", "home", "error", "units", "unit", "unit_form", "jurisdictions", "jurisdiction",
        "jurisdiction_form", "users", "user", "user_form", "audit", "my_work", "work", "pledge", "assignments", "assignment", "notices", "notice", "recusal_requests",
        "settings", "rounds", "round_form", "round", "proposal", "inspectors", "inspector", "inspector_form", "inspector_import", "plans", "plan_form",
        "coverage",
        "records", "record", "record_reporter", "findings", "finding", "finding_form", "classifications",
        "leads", "lead", "lead_form", "immediates", "immediate", "attachments",
        "rectification_plans", "rectification_plan", "rectification_plan_form", "rectification_task_form", "task_fields", "ledger", "ledger_filters",
        "rectification_task",
        "reports", "report", "report_form", "feedbacks", "feedback", "feedback_form", "rectification_reports", "rectification_report",
        "disclosures", "disclosure", "public_disclosures", "public_disclosure",
        "rule_improvements", "rule_improvement_form", "rule_improvement", "evaluations", "evaluation", "follow_ups", "follow_up",
        "statistics", "systemic_problems", "thematic_reports", "thematic_report", "step_form", "step_field", "form_token", "public_header", "public_footer", "pager", "reminders", "ledger_import",
        "paper_head", "paper_foot", "table_print_head", "document_templates", "document_template",
    ]

    init(policy: AccessPolicy) async throws {
        let directory = Resources.url("templates").path
        self.library = try await MustacheLibrary(directory: directory)
        self.policy = policy
        for name in Self.requiredTemplates where library.getTemplate(named: name) == nil {
            throw TemplateLoadError(name: name, directory: directory)
        }
    }

    /// An HTML page.
    func render(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        page(html(template, model), status: status)
    }

    /// A page, shown again after a refusal with the refusal's status (400, 409 …), else 200. A
    /// refusal that names a field is also said next to that field (`FieldError.mark`).
    func render(_ template: String, _ model: Any, refused error: DomainError?) -> Response {
        guard let error else { return render(template, model, status: .ok) }
        let html = html(template, model)
        return page(error.field.map { FieldError.mark(html, field: $0, message: error.message) } ?? html, status: ErrorMiddleware.status(for: error.kind))
    }

    private func html(_ template: String, _ model: Any) -> String {
        library.render(TemplateModel.make(model) ?? model, withTemplate: template) ?? "<!doctype html><title>模板缺失</title>"
    }

    private func page(_ html: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The frame of a signed-in page (title, menu, token), with the notice the last redirect left.
    func chrome(title: String, active: Chrome.Section?, request: Request, context: AppRequestContext) -> Chrome {
        Chrome.make(title: title, active: active, context: context, policy: policy, notice: Chrome.notice(request))
    }

    /// The page a failure shows to a person.
    func errorPage(_ failure: DomainError, status: HTTPResponse.Status, context: AppRequestContext) -> Response {
        struct Model {
            let chrome: Chrome
            let message: String
            /// What kind of failure it is, in words; the machine code stays in the markup for support.
            let kind: String
            let code: String
        }
        let chrome = Chrome.make(title: "出错了", active: nil, context: context, policy: policy)
        return render("error", Model(chrome: chrome, message: failure.message, kind: Self.failureKind(status), code: failure.code), status: status)
    }

    /// A failure's kind as a person reads it.
    static func failureKind(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400, 422: "所填内容有误，请按提示改正后重试。"
        case 401: "登录已失效，请重新登录。"
        case 403: "您没有办理此事项的权限。"
        case 404: "未找到：记录可能不存在，或不在您的查看范围内。"
        case 409: "记录已被他人修改，或状态已经变化，请刷新后重试。"
        case 413: "提交的内容或文件过大。"
        case 429: "操作过于频繁，请稍后再试。"
        default: "系统暂时无法完成请求，请稍后再试；如持续出现，请联系系统管理员。"
        }
    }

    /// A redirect after a successful form post (POST → redirect → GET), with a notice code, and
    /// the record it concerns (`about`: "被巡察单位 市财政局"), named in the notice (`NoticeSaid`).
    static func redirect(_ location: String, notice: Notice? = nil, about object: String? = nil) -> Response {
        var target = location
        if let notice { target += (location.contains("?") ? "&" : "?") + "notice=\(notice.rawValue)" }
        return NoticeSaid.saying(object, Response(status: .seeOther, headers: [.location: target]))
    }
}

struct TemplateLoadError: Error, CustomStringConvertible {
    let name: String
    let directory: String
    var description: String { "页面模板“\(name).mustache”缺失或无法解析（目录 \(directory)）" }
}

/// The bundled resources folder (templates, static files, the OpenAPI document).
enum Resources {
    static func url(_ name: String) -> URL {
        Bundle.module.bundleURL.appendingPathComponent("Resources").appendingPathComponent(name)
    }
}

/// One-line confirmations shown after a redirect, by code, so no message travels in the URL.
enum Notice: String {
    case saved, created, passwordChanged = "password_changed", signedOut = "signed_out", disabled, enabled, unlocked, rolesChanged = "roles_changed"
    case proposalRefused = "proposal_refused"
    case pledgeSigned = "pledge_signed", conflictDeclared = "conflict_declared", noticeSent = "notice_sent", recusalRequested = "recusal_requested"
    case recusalDecided = "recusal_decided"
    case stepTaken = "step_taken", batchAdded = "batch_added", groupFormed = "group_formed", memberAdded = "member_added"
    case unitAssigned = "unit_assigned", groupsFormed = "groups_formed", imported, conflictRecorded = "conflict_recorded"
    case recordSaved = "record_saved", findingDrafted = "finding_drafted", findingSubmitted = "finding_submitted", findingReturned = "finding_returned"
    case findingApproved = "finding_approved", findingTriaged = "finding_triaged", classificationAdded = "classification_added"
    case leadRegistered = "lead_registered", leadStepTaken = "lead_step_taken", immediateStepTaken = "immediate_step_taken"
    case fileAttached = "file_attached"
    case taskAdded = "task_added", taskRemoved = "task_removed", planEndorsed = "plan_endorsed", planReviewed = "plan_reviewed"
    case taskStepTaken = "task_step_taken", checkRecorded = "check_recorded"
    case done, feedbackIssued = "feedback_issued"
    case ruleImprovementRecorded = "rule_improvement_recorded", evaluationScheduled = "evaluation_scheduled", evaluationStepTaken = "evaluation_step_taken"
    case followUpScheduled = "follow_up_scheduled", followUpSettled = "follow_up_settled"
    case thematicReportCreated = "thematic_report_created", thematicReportStepTaken = "thematic_report_step_taken"
    case thematicRuleChangeRecorded = "thematic_rule_change_recorded"
    case resetRequested = "reset_requested", resetRefused = "reset_refused", resetNoticeAcknowledged = "reset_notice_acknowledged"
    case reminded
    case templateSaved = "template_saved"
    case archived, roundArchived = "round_archived", archiveCorrected = "archive_corrected"

    var text: String {
        switch self {
        case .saved: "已保存。"
        case .reminded: "已催办，对方的待办中会显示您的催办意见。"
        case .templateSaved: "公文模板已保存为新版本，此后签发的公文使用该版本；已签发的公文保持原版本。"
        case .archived: "已立卷归档，该巡察任务的记录已锁定。"
        case .roundArchived: "已整轮立卷归档，本轮全部巡察任务的记录已锁定。"
        case .archiveCorrected: "更正说明已登记，将随归档包一并导出。"
        case .created: "已新建。"
        case .passwordChanged: "密码已修改。"
        case .signedOut: "已安全退出。"
        case .disabled: "账号已停用，其登录会话已全部结束。"
        case .enabled: "账号已启用。"
        case .unlocked: "账号的登录限制已解除。"
        case .rolesChanged: "角色已调整。"
        case .proposalRefused: "已退回拟授角色，账号仍为原有角色。"
        case .pledgeSigned: "已签署保密承诺，本组的巡察任务已向您开放。"
        case .conflictDeclared: "回避申报已登记，您将不再能查看该单位的巡察材料。"
        case .noticeSent: "巡察通知已发送，被巡察单位现可查看。"
        case .recusalRequested: "回避申请已提交，由巡察办决定；决定前该人员仍参加对本单位的巡察。"
        case .recusalDecided: "已作出决定，被巡察单位可查看结果和理由。"
        case .stepTaken: "已办理，轮次状态已更新。"
        case .batchAdded: "已添加批次。"
        case .groupFormed: "已组建巡察组。"
        case .memberAdded: "已选配人员。"
        case .unitAssigned: "已派驻单位。"
        case .groupsFormed: "已按建议组建巡察组，人员和派驻单位均已落实。"
        case .imported: "名册已导入。"
        case .conflictRecorded: "回避情形已登记。"
        case .recordSaved: "工作记录已登记。"
        case .findingDrafted: "问题底稿已保存为草稿。"
        case .findingSubmitted: "底稿已提交组务会审议。"
        case .findingReturned: "底稿已退回起草人修改。"
        case .findingApproved: "底稿已审定并编号。"
        case .findingTriaged: "处置方式已确定。"
        case .classificationAdded: "已新增分类版本，新起草的底稿将使用该版本。"
        case .leadRegistered: "问题线索已登记，待组务会研判。"
        case .leadStepTaken: "已办理，线索状态已更新。"
        case .immediateStepTaken: "已办理，立行立改事项状态已更新。"
        case .fileAttached: "证据材料已上传。"
        case .taskAdded: "整改任务已增加。"
        case .taskRemoved: "整改任务已删除。"
        case .planEndorsed: "已签字背书，整改方案已报送巡察办审核。"
        case .planReviewed: "审核意见已登记。"
        case .taskStepTaken: "已办理，整改任务状态已更新。"
        case .checkRecorded: "督查情况已登记。"
        case .done: "已办理。"
        case .feedbackIssued: "反馈意见已印发，被巡察单位现可查看。"
        case .ruleImprovementRecorded: "制度建设情况已登记。"
        case .evaluationScheduled: "整改评估已安排，评估后在此评定等次。"
        case .evaluationStepTaken: "已办理，整改评估状态已更新。"
        case .followUpScheduled: "回头看已安排。"
        case .followUpSettled: "回头看已办结。"
        case .thematicReportCreated: "专题报告已保存为草稿，核对后送职能部门。"
        case .thematicReportStepTaken: "已办理，专题报告状态已更新。"
        case .thematicRuleChangeRecorded: "制度完善情况已登记，巡察办将跟踪落实。"
        case .resetRequested: "重置密码申请已提交，待安全保密管理员确认；确认前原密码仍然有效。"
        case .resetRefused: "已拒绝该重置密码申请，账号保持原状。"
        case .resetNoticeAcknowledged: "已确认知悉。"
        }
    }
}

/// What every page shares: title, the signed-in person, the menu they are allowed, the form token.
struct Chrome {
    /// The 工作台 badge counts to here and shows 99+ beyond: every page counts it.
    static let waitingBadgeCap = 100

    struct NavItem {
        let label: String
        let href: String
        let active: Bool
    }

    struct Badge {
        let name: String
        let roles: String
    }

    /// A menu heading and its entries; a group of one shows as a plain link.
    /// Stored, not computed: templates read properties by reflection.
    struct NavGroup {
        let label: String
        let items: [NavItem]
        let active: Bool
        let single: NavItem?
    }

    /// One step of the breadcrumbs (当前位置); the last has no link.
    struct Crumb {
        let label: String
        let href: String?
    }

    let title: String
    let user: Badge?
    let nav: [NavItem]
    let csrf: String
    let notice: String?
    /// The page's own address, which its post forms carry so a refusal is shown again there (`PageAddress`).
    let address: String?
    /// 首页, then the entries grouped.
    let homeItem: NavItem?
    /// 工作台, beside 首页, with how many items wait for the reader (nil: none).
    let workItem: NavItem?
    /// The count, or 99+ from `waitingBadgeCap` on.
    let waitingBadge: String?
    let menu: [NavGroup]
    /// 首页 › the menu group › its entry › this page; empty on the home page and for a stranger.
    let breadcrumbs: [Crumb]

    init(title: String, user: Badge?, nav: [NavItem], csrf: String, notice: String?, waiting: Int? = nil) {
        self.title = title
        self.user = user
        self.nav = nav
        self.csrf = csrf
        self.notice = notice
        self.address = PageAddress.current
        self.homeItem = nav.first
        self.workItem = nav.first { $0.href == "/work" }
        self.waitingBadge = waiting.flatMap { $0 <= 0 ? nil : $0 >= Self.waitingBadgeCap ? "\(Self.waitingBadgeCap - 1)+" : String($0) }
        self.menu = Self.groups.compactMap { group in
            let items = group.paths.compactMap { path in nav.first { $0.href == path } }
            return items.isEmpty ? nil : NavGroup(label: group.label, items: items, active: items.contains(where: \.active), single: items.count == 1 ? items[0] : nil)
        }
        self.breadcrumbs = Self.breadcrumbs(title: title, home: nav.first, menu: menu)
    }

    /// Where the page lies in the menu: the group and entry marked active, then the page itself
    /// when it is more than the entry (a record, a form).
    static func breadcrumbs(title: String, home: NavItem?, menu: [NavGroup]) -> [Crumb] {
        guard let home, !home.active else { return [] }
        var crumbs = [Crumb(label: home.label, href: home.href)]
        if let group = menu.first(where: \.active), let item = group.items.first(where: \.active) {
            if group.single == nil { crumbs.append(Crumb(label: group.label, href: nil)) }
            // The entry's own page ends the trail at the entry, unlinked.
            if title == item.label { return crumbs + [Crumb(label: item.label, href: nil)] }
            crumbs.append(Crumb(label: item.label, href: item.href))
        }
        return crumbs + [Crumb(label: title, href: nil)]
    }

    /// The menu in the order of the work: plan, go on site, report, rectify, study what was found
    /// (statistics, 普遍性问题, 专题报告), then the registers and settings.
    static let groups: [(label: String, paths: [String])] = [
        ("计划", ["/rounds", "/standing-groups", "/plans", "/inspectors"]),
        ("进驻", ["/my", "/assignments", "/notices", "/recusal-requests", "/findings", "/leads", "/immediate-rectifications"]),
        ("报告反馈", ["/reports", "/feedback"]),
        ("整改", ["/rectification-plans", "/ledger", "/rectification-reports", "/disclosures", "/evaluations", "/rule-improvements", "/follow-ups", "/archives"]),
        ("统计分析", ["/statistics", "/systemic-problems", "/thematic-reports"]),
        ("名录与设置", ["/units", "/jurisdictions", "/classifications", "/settings", "/document-templates", "/imports", "/users", "/audit"]),
    ]


    enum Section {
        case home, work, units, rounds, inspectors, plans, jurisdictions, users, audit, mine, assignments, findings, leads, immediate, notices, classifications
        case settings, plansOfUnits, ledger, reports, feedback, rectificationReports, disclosures, ruleImprovements, evaluations, followUps
        case statistics, systemicProblems, thematicReports, recusalRequests, standingGroups, imports, documentTemplates, archives
    }

    static func make(title: String, active: Section?, context: AppRequestContext, policy: AccessPolicy, notice: String? = nil) -> Chrome {
        guard let session = context.session, !session.user.mustChangePassword else {
            return Chrome(title: title, user: nil, nav: [], csrf: context.session?.csrfToken ?? "", notice: notice)
        }
        let actor = session.actor
        var nav = [NavItem(label: "首页", href: "/", active: active == .home), NavItem(label: "工作台", href: "/work", active: active == .work)]
        if policy.allowsAnywhere(actor, .viewUnits) { nav.append(.init(label: "被巡察单位", href: "/units", active: active == .units)) }
        if policy.allowsAnywhere(actor, .viewRounds) {
            nav.append(.init(label: "巡察轮次", href: "/rounds", active: active == .rounds))
            nav.append(.init(label: "巡察组", href: "/standing-groups", active: active == .standingGroups))
            nav.append(.init(label: "规划与覆盖", href: "/plans", active: active == .plans))
        }
        if policy.allowsAnywhere(actor, .viewPools) { nav.append(.init(label: "组长库·人才库", href: "/inspectors", active: active == .inspectors)) }
        if policy.allowsAnywhere(actor, .viewJurisdictions) {
            nav.append(.init(label: "党委（辖区）", href: "/jurisdictions", active: active == .jurisdictions))
        }
        if policy.allowsAnywhere(actor, .actAsInspector) { nav.append(.init(label: "我的巡察", href: "/my", active: active == .mine)) }
        if policy.allowsAnywhere(actor, .viewAssignments) { nav.append(.init(label: "巡察任务", href: "/assignments", active: active == .assignments)) }
        if policy.allowsAnywhere(actor, .viewFieldwork) { nav.append(.init(label: "问题底稿", href: "/findings", active: active == .findings)) }
        if policy.allowsAnywhere(actor, .viewLeads) { nav.append(.init(label: "问题线索", href: "/leads", active: active == .leads)) }
        if policy.allowsAnywhere(actor, .viewImmediateRectifications) {
            nav.append(.init(label: "立行立改", href: "/immediate-rectifications", active: active == .immediate))
        }
        if policy.allowsAnywhere(actor, .viewReports) { nav.append(.init(label: "巡察报告", href: "/reports", active: active == .reports)) }
        if policy.allowsAnywhere(actor, .viewFeedback) { nav.append(.init(label: "反馈意见", href: "/feedback", active: active == .feedback)) }
        if policy.allowsAnywhere(actor, .viewRectificationReports) {
            nav.append(.init(label: "整改报告", href: "/rectification-reports", active: active == .rectificationReports))
        }
        if policy.allowsAnywhere(actor, .viewDisclosures) { nav.append(.init(label: "整改公开", href: "/disclosures", active: active == .disclosures)) }
        if policy.allowsAnywhere(actor, .viewNotices) { nav.append(.init(label: "巡察通知", href: "/notices", active: active == .notices)) }
        // A unit reads its own requests on the notice it filed them from; the list is the office's desk.
        if policy.allowsAnywhere(actor, .decideRecusalRequests) {
            nav.append(.init(label: "回避申请", href: "/recusal-requests", active: active == .recusalRequests))
        }
        if policy.allowsAnywhere(actor, .viewRectification) {
            if !policy.scope(actor, .viewRectification).isOwnTasks {
                nav.append(.init(label: "整改方案", href: "/rectification-plans", active: active == .plansOfUnits))
            }
            nav.append(.init(label: "整改台账", href: "/ledger", active: active == .ledger))
        }
        if policy.allowsAnywhere(actor, .viewEvaluations) { nav.append(.init(label: "整改评估", href: "/evaluations", active: active == .evaluations)) }
        if policy.allowsAnywhere(actor, .viewRuleImprovements) {
            nav.append(.init(label: "制度建设", href: "/rule-improvements", active: active == .ruleImprovements))
        }
        if policy.allowsAnywhere(actor, .viewFollowUps) { nav.append(.init(label: "回头看", href: "/follow-ups", active: active == .followUps)) }
        if policy.allowsAnywhere(actor, .archiveRecords) { nav.append(.init(label: "立卷归档", href: "/archives", active: active == .archives)) }
        if policy.allowsAnywhere(actor, .viewStatistics) { nav.append(.init(label: "统计看板", href: "/statistics", active: active == .statistics)) }
        if policy.allowsAnywhere(actor, .viewSystemicProblems) {
            nav.append(.init(label: "普遍性问题", href: "/systemic-problems", active: active == .systemicProblems))
        }
        if policy.allowsAnywhere(actor, .viewThematicReports) { nav.append(.init(label: "专题报告", href: "/thematic-reports", active: active == .thematicReports)) }
        if policy.allowsAnywhere(actor, .viewClassifications) {
            nav.append(.init(label: "问题分类", href: "/classifications", active: active == .classifications))
        }
        if policy.allowsAnywhere(actor, .manageSettings) { nav.append(.init(label: "本级参数", href: "/settings", active: active == .settings)) }
        if policy.allowsAnywhere(actor, .manageDocumentTemplates) {
            nav.append(.init(label: "公文模板", href: "/document-templates", active: active == .documentTemplates))
        }
        if !policy.importableKinds(actor).isEmpty { nav.append(.init(label: "导入台账", href: "/imports", active: active == .imports)) }
        if policy.allowsAnywhere(actor, .viewUsers) { nav.append(.init(label: "账号管理", href: "/users", active: active == .users)) }
        if policy.allowsAnywhere(actor, .viewAuditLog) { nav.append(.init(label: "审计日志", href: "/audit", active: active == .audit)) }
        return Chrome(
            title: title, user: Badge(name: session.user.displayName, roles: session.user.roles.sorted().map(\.title).joined(separator: "、")),
            nav: nav, csrf: session.csrfToken, notice: notice, waiting: context.waitingCount)
    }

    /// The notice a redirect carried: the sentence the success left (`NoticeSaid`), else its code's text.
    static func notice(_ request: Request) -> String? {
        request.uri.queryParameters["notice"].flatMap { code in NoticeSaid.current ?? Notice(rawValue: String(code))?.text }
    }
}

/// Links between pages of a list that keep its filters.
enum ListLink {
    /// `path?query` from `parameters` with `changes` applied (nil removes a key); empty values
    /// are dropped and keys sorted, so the same list always has the same address.
    static func make(_ path: String, _ parameters: [String: String], _ changes: [String: String?] = [:]) -> String {
        var merged = parameters
        for (key, value) in changes { merged[key] = value }
        let items = merged.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        guard !items.isEmpty else { return path }
        let query = items.map { encode($0.key) + "=" + encode($0.value) }.joined(separator: "&")
        return path + "?" + query
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, so a value holding `&`,
    /// `=`, `+`, `#` or a quote cannot change the link's meaning or leave its attribute.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}

/// An `<option>` in a select.
struct Option {
    let value: String
    let label: String
    let selected: Bool
}

/// 错误提示在字段旁: a refused form says what is wrong next to the field it concerns, as well as
/// above the form. Forms built from step fields mark their own; for the others the page is marked
/// after rendering — every form's fields are `<div class="field">` blocks holding one control
/// named as the refusal's field — so no template needs its own error slot.
enum FieldError {
    /// The page with the field's block marked `has-error`, its control `aria-invalid`, and the
    /// message under it; unchanged when no form control has that name or the page already marks
    /// an error.
    static func mark(_ html: String, field: String, message: String) -> String {
        guard !html.contains("class=\"field-error\""), let name = html.range(of: " name=\"\(field)\"") else { return html }
        // The block that holds the control, with no other block's end between them.
        guard let open = html.range(of: "<div class=\"field", options: .backwards, range: html.startIndex..<name.lowerBound),
            html.range(of: "</div>", range: open.upperBound..<name.lowerBound) == nil,
            let close = html.range(of: "</div>", range: name.upperBound..<html.endIndex)
        else { return html }
        let text = message.split(whereSeparator: \.isNewline).joined(separator: "；")
        return String(html[..<open.upperBound]) + " has-error" + html[open.upperBound..<name.upperBound] + " aria-invalid=\"true\""
            + html[name.upperBound..<close.lowerBound] + "<p class=\"field-error\" role=\"alert\">" + Markup.escaped(text) + "</p>" + html[close.lowerBound...]
    }
}
