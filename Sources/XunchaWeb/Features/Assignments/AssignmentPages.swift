import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 巡察任务 pages: a member's own groups and pledge, the assignments each person may see, the
/// notice to the unit and the unit's recusal requests with their outcome, the office's decisions on
/// them, and the committee's settings.
struct AssignmentPages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/my") { request, context in try await myPage(request, context: context, form: nil, error: nil) }
        router.get("/my/pledge/{round}") { _, context in try await pledgePage(context: context) }
        router.post("/my/pledge/{round}") { request, context in try await sign(request, context: context) }
        router.post("/my/conflicts") { request, context in try await declare(request, context: context) }
        router.get("/assignments") { request, context in try await listPage(request, context: context) }
        router.get("/assignments/{id}") { request, context in try await detailPage(request, context: context, form: nil, error: nil) }
        router.post("/assignments/{id}/notice") { request, context in try await sendNotice(request, context: context) }
        router.get("/notices") { request, context in try await noticesPage(request, context: context) }
        router.get("/notices/{id}") { request, context in try await noticePage(request, context: context, form: nil, error: nil) }
        router.post("/notices/{id}/recusal-requests") { request, context in try await requestRecusal(request, context: context) }
        router.get("/recusal-requests") { request, context in try await recusalRequestsPage(request, context: context) }
        router.post("/recusal-requests/{id}/decision") { request, context in try await decideRecusal(request, context: context) }
        router.get("/settings") { request, context in try await settingsPage(request, context: context, form: nil, error: nil) }
        router.post("/settings") { request, context in try await changeSettings(request, context: context) }
    }

    // MARK: 我的巡察

    struct MembershipRow {
        let roundTitle: String
        let groupName: String
        let role: String
        let pledgedAt: String?
        let pledgeHref: String
    }

    struct MyPage {
        let chrome: Chrome
        let memberships: [MembershipRow]
        let units: [Option]
        let reason: String
        let error: String?
    }

    func myPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let memberships = try await store.memberships(for: actor)
        let units = try await store.units(UnitQuery(jurisdictionID: actor.jurisdictionID, page: .init(limit: PageRequest.maximumLimit)), for: actor)
        let chosen = form?["unit_id"] ?? ""
        let model = MyPage(
            chrome: Chrome.make(title: "我的巡察", active: .mine, context: context, policy: store.policy, notice: Chrome.notice(request)),
            memberships: memberships.map {
                MembershipRow(
                    roundTitle: $0.roundTitle, groupName: $0.groupName, role: $0.role.title, pledgedAt: $0.pledgedAt.map(Display.time),
                    pledgeHref: "/my/pledge/\($0.roundID.text)")
            },
            units: units.items.map { Option(value: $0.id.text, label: $0.name, selected: $0.id.text == chosen) }, reason: form?["reason"] ?? "",
            error: error?.message)
        return pages.render("my_work", model, status: error.map { ErrorMiddleware.status(for: $0.kind) } ?? .ok)
    }

    struct PledgePage {
        let chrome: Chrome
        let title: String
        let version: String
        let preamble: String
        let prohibitions: [String]
        let closing: String
        let roundTitle: String
        let action: String
        let signedAt: String?
    }

    func pledgePage(context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let roundID = try context.parameters.uuid("round")
        guard let membership = try await store.memberships(for: actor).first(where: { $0.roundID == roundID }) else { throw DomainError.notFound }
        let model = PledgePage(
            chrome: Chrome.make(title: Pledge.title, active: .mine, context: context, policy: store.policy), title: Pledge.title, version: Pledge.version,
            preamble: Pledge.preamble, prohibitions: Pledge.prohibitions.enumerated().map { "\(Self.ordinal($0.offset + 1))、\($0.element)" },
            closing: Pledge.closing, roundTitle: membership.roundTitle, action: "/my/pledge/\(roundID.text)", signedAt: membership.pledgedAt.map(Display.prose))
        return pages.render("pledge", model)
    }

    func sign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormInput.parse(request, context: context)
        guard form["agree"] == "yes" else {
            throw DomainError.invalid("pledge_not_agreed", "请先勾选“本人已阅读并承诺遵守”", english: "the pledge must be agreed to", field: "agree")
        }
        _ = try await store.signPledge(round: try context.parameters.uuid("round"), origin: try context.origin())
        return PageRenderer.redirect("/assignments", notice: .pledgeSigned)
    }

    func declare(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await PageForm.submit(request, context: context, shown: { error in error.kind == .invalidInput }) { form in
            guard let text = form["unit_id"], let unit = UUID(text: text) else { throw DomainError.required("unit_id", label: "回避单位") }
            try await store.declareOwnConflict(unit: unit, reason: form["reason"], origin: try context.origin())
            return PageRenderer.redirect("/my", notice: .conflictDeclared)
        } reshow: { form, error in
            return try await myPage(request, context: context, form: form, error: error)
        }
    }

    // MARK: 巡察任务

    struct AssignmentRow {
        let href: String
        let roundTitle: String
        let groupName: String
        let unitName: String
        let period: String
        let status: String
    }

    struct ListPage {
        let chrome: Chrome
        let rows: [AssignmentRow]
        let nextHref: String?
        let firstHref: String?
        let isMember: Bool
    }

    func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let parameters = request.queryDictionary
        let pageRequest = try parameters.pageRequest()
        let round = try parameters["round_id"].flatMap { $0.isEmpty ? nil : try PlanningController.id($0, field: "round_id", label: "轮次") }
        let page = try await store.assignments(round: round, page: pageRequest, for: actor)
        let model = ListPage(
            chrome: Chrome.make(title: "巡察任务", active: .assignments, context: context, policy: store.policy, notice: Chrome.notice(request)),
            rows: page.items.map(Self.row), nextHref: page.nextCursor.map { ListLink.make("/assignments", parameters, ["cursor": $0, "notice": nil]) },
            firstHref: pageRequest.after == nil ? nil : ListLink.make("/assignments", parameters, ["cursor": nil, "notice": nil]),
            isMember: store.policy.allowsAnywhere(actor, .actAsInspector))
        return pages.render("assignments", model)
    }

    static func row(_ a: AssignmentDetail) -> AssignmentRow {
        AssignmentRow(
            href: "/assignments/\(a.id.text)", roundTitle: a.roundTitle, groupName: a.groupName, unitName: a.unitName,
            period: "第\(a.batchSequence)批 \(a.entryDate) 至 \(a.exitDate)", status: a.status.title)
    }

    struct DetailPage {
        let chrome: Chrome
        let assignment: AssignmentRow
        let canNotify: Bool
        let number: String
        let body: String
        let error: String?
        let noticeHref: String?
        /// The assignment's records and working papers, for those who may see fieldwork.
        let fieldwork: Fieldwork?
        /// The unit's recusal requests, for the office, which decides the pending ones here.
        let recusalRequests: [RecusalRow]
        let showsRecusalRequests: Bool
        let decisionError: String?
        /// 本任务材料: each kind of record the reader may see, its count and its list; nil when none.
        let hub: Hub?

        struct Hub {
            let links: [HubLink]
        }

        struct HubLink {
            let label: String
            let count: Int
            let href: String?
        }

        struct Fieldwork {
            let recordsHref: String
            let findingsHref: String
            /// 起草报告, for the group's members (the store refuses anyone else).
            let newReportHref: String?
        }
    }

    func detailPage(
        _ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?, assignmentID: UUID? = nil, decisionError: DomainError? = nil
    ) async throws -> Response {
        let actor = try context.requireActor()
        let assignment = try await store.assignment(try assignmentID ?? context.parameters.uuid("id"), for: actor)
        let showsRecusal = store.policy.allowsAnywhere(actor, .decideRecusalRequests)
        let recusal = showsRecusal
            ? try await store.recusalRequests(RecusalRequestQuery(assignmentID: assignment.id), page: .init(limit: PageRequest.maximumLimit), for: actor).items : []
        var noticeHref: String?
        if assignment.status != .planned, store.policy.allowsAnywhere(actor, .viewNotices) {
            noticeHref = try await store.notices(page: .init(limit: PageRequest.maximumLimit), for: actor).items
                .first { $0.assignmentID == assignment.id }.map { "/notices/\($0.id.text)" }
        }
        let canNotify = assignment.status == .planned && store.policy.allowsAnywhere(actor, .manageRounds)
        // The committee's 发文字号格式, if it set one, suggests the notice's number.
        let suggested = canNotify ? try await store.suggestedNumber(.notice, of: assignment.jurisdictionID) : nil
        let model = DetailPage(
            chrome: Chrome.make(title: "\(assignment.groupName)巡察\(assignment.unitName)", active: .assignments, context: context, policy: store.policy, notice: Chrome.notice(request)),
            assignment: Self.row(assignment),
            canNotify: canNotify,
            number: form?["number"] ?? suggested ?? "", body: form?["body"] ?? "", error: error?.message, noticeHref: noticeHref,
            fieldwork: store.policy.allowsAnywhere(actor, .viewFieldwork)
                ? DetailPage.Fieldwork(
                    recordsHref: "/assignments/\(assignment.id.text)/records", findingsHref: ListLink.make("/findings", ["assignment_id": assignment.id.text]),
                    newReportHref: store.policy.allowsAnywhere(actor, .recordFieldwork) ? "/assignments/\(assignment.id.text)/reports/new" : nil)
                : nil,
            recusalRequests: recusal.map { Self.recusalRow($0, actor: actor, policy: store.policy, form: form) }, showsRecusalRequests: showsRecusal,
            decisionError: decisionError?.message, hub: Self.hub(try await store.assignmentHub(assignment.id, for: actor), of: assignment.id))
        let failure = error ?? decisionError
        return pages.render("assignment", model, status: failure.map { ErrorMiddleware.status(for: $0.kind) } ?? .ok)
    }

    /// The hub's lines in the order of the work: what was heard and read, the papers by status,
    /// the leads and 立行立改 notices they gave rise to, the report, the feedback and the plan.
    static func hub(_ hub: AssignmentHub, of id: UUID) -> DetailPage.Hub? {
        let assignment = id.text
        var links: [DetailPage.HubLink] = []
        if let records = hub.records {
            links += RecordKind.allCases.map { kind -> DetailPage.HubLink in
                .init(label: kind.title, count: records[kind] ?? 0, href: ListLink.make("/assignments/\(assignment)/records", ["kind": kind.rawValue]))
            }
        }
        if let findings = hub.findings {
            links += FindingStatus.allCases.map { status -> DetailPage.HubLink in
                .init(
                    label: "问题底稿（\(status.title)）", count: findings[status] ?? 0,
                    href: ListLink.make("/findings", ["assignment_id": assignment, "status": status.rawValue]))
            }
        }
        if let leads = hub.leads { links.append(.init(label: "问题线索", count: leads, href: ListLink.make("/leads", ["assignment_id": assignment]))) }
        if let immediates = hub.immediates {
            links.append(.init(label: "立行立改", count: immediates, href: ListLink.make("/immediate-rectifications", ["assignment_id": assignment])))
        }
        if let reports = hub.reports { links.append(.init(label: "巡察报告", count: reports, href: "/reports")) }
        if let feedback = hub.feedback { links.append(.init(label: "反馈意见", count: feedback.count, href: feedback.first.map { "/feedback/\($0.text)" })) }
        if let plans = hub.plans { links.append(.init(label: "整改方案", count: plans.count, href: plans.first.map { "/rectification-plans/\($0.text)" })) }
        return links.isEmpty ? nil : DetailPage.Hub(links: links)
    }

    func sendNotice(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await PageForm.submit(request, context: context) { form in
            let notice = try await store.sendNotice(for: try context.parameters.uuid("id"), number: form["number"], body: form["body"], origin: try context.origin())
            return PageRenderer.redirect("/notices/\(notice.id.text)", notice: .noticeSent)
        } reshow: { form, error in
            return try await detailPage(request, context: context, form: form, error: error)
        }
    }

    // MARK: 巡察通知

    struct NoticeRow {
        let href: String
        let unitName: String
        let groupName: String
        let number: String
        let period: String
        let sentAt: String
    }

    struct NoticesPage {
        let chrome: Chrome
        let rows: [NoticeRow]
        let nextHref: String?
        let firstHref: String?
        let isUnit: Bool
    }

    func noticesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let parameters = request.queryDictionary
        let pageRequest = try parameters.pageRequest()
        let page = try await store.notices(page: pageRequest, for: actor)
        let model = NoticesPage(
            chrome: Chrome.make(title: "巡察通知", active: .notices, context: context, policy: store.policy, notice: Chrome.notice(request)),
            rows: page.items.map {
                NoticeRow(
                    href: "/notices/\($0.id.text)", unitName: $0.unitName, groupName: $0.groupName, number: $0.number ?? "—",
                    period: "\($0.entryDate) 至 \($0.exitDate)", sentAt: Display.time($0.sentAt))
            },
            nextHref: page.nextCursor.map { ListLink.make("/notices", parameters, ["cursor": $0, "notice": nil]) },
            firstHref: pageRequest.after == nil ? nil : ListLink.make("/notices", parameters, ["cursor": nil, "notice": nil]),
            isUnit: actor.unitID != nil)
        return pages.render("notices", model)
    }

    struct NoticePage {
        let chrome: Chrome
        let id: String
        let unitName: String
        let groupName: String
        let number: String?
        let paragraphs: [String]
        let period: String
        let sentAt: String
        let members: [Option]
        let roster: [String]
        let canRequestRecusal: Bool
        let reason: String
        let error: String?
        /// The unit's own requests with the office's decision and reasons.
        let recusalRequests: [RecusalRow]
        let paper: PrintedDocument
    }

    func noticePage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let notice = try await store.notice(try context.parameters.uuid("id"), for: actor)
        let chosen = form?["inspector_id"] ?? ""
        let model = NoticePage(
            chrome: Chrome.make(title: "巡察通知", active: .notices, context: context, policy: store.policy, notice: Chrome.notice(request)),
            id: notice.id.text, unitName: notice.unitName, groupName: notice.groupName, number: notice.number,
            paragraphs: notice.body.split(separator: "\n").map(String.init), period: "\(Display.prose(notice.entryDate)) 至 \(Display.prose(notice.exitDate))",
            sentAt: Display.prose(notice.sentAt),
            members: notice.members.map { Option(value: $0.inspectorID.text, label: "\($0.name)（\($0.role.title)）", selected: $0.inspectorID.text == chosen) },
            roster: notice.members.map { "\($0.role.title)：\($0.name)" },
            canRequestRecusal: store.policy.allows(
                actor, .requestRecusal, at: RecordLocation(jurisdictionID: notice.jurisdictionID, jurisdictionPath: "", unitID: notice.unitID)),
            reason: form?["reason"] ?? "", error: error?.message,
            recusalRequests: store.policy.allowsAnywhere(actor, .viewRecusalRequests)
                ? try await store.recusalRequests(RecusalRequestQuery(assignmentID: notice.assignmentID), page: .init(limit: PageRequest.maximumLimit), for: actor)
                    .items.map { Self.recusalRow($0, actor: actor, policy: store.policy, form: nil) }
                : [],
            paper: PrintedDocument(
                number: notice.number, title: "关于开展巡察的通知", addressee: notice.unitName,
                issuer: try await store.templateSignature(.notice, jurisdictionID: notice.jurisdictionID, record: notice.id, issued: true) ?? notice.groupName,
                dated: notice.sentAt))
        return pages.render("notice", model, status: error.map { ErrorMiddleware.status(for: $0.kind) } ?? .ok)
    }

    func requestRecusal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let noticeID = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            guard let text = form["inspector_id"], let inspector = UUID(text: text) else { throw DomainError.required("inspector_id", label: "申请回避的人员") }
            _ = try await store.requestRecusal(notice: noticeID, inspector: inspector, reason: form["reason"], origin: try context.origin())
            return PageRenderer.redirect("/notices/\(noticeID.text)", notice: .recusalRequested)
        } reshow: { form, error in
            return try await noticePage(request, context: context, form: form, error: error)
        }
    }

    // MARK: 回避申请

    struct RecusalRow {
        let id: String
        let unitName: String
        let groupName: String
        let inspectorName: String
        let reason: String
        let requestedBy: String
        let requestedAt: String
        let status: String
        let isPending: Bool
        let decidedBy: String?
        let decidedAt: String?
        let decisionReason: String?
        let assignmentHref: String
        /// The decision form, for the office while the request is pending.
        let decideAction: String?
        let typedReason: String
    }

    static func recusalRow(_ r: RecusalRequest, actor: Actor, policy: AccessPolicy, form: FormInput?) -> RecusalRow {
        let mayDecide = r.status == .pending
            && policy.allows(actor, .decideRecusalRequests, at: RecordLocation(jurisdictionID: r.jurisdictionID, jurisdictionPath: "", unitID: r.unitID))
        return RecusalRow(
            id: r.id.text, unitName: r.unitName, groupName: r.groupName, inspectorName: r.inspectorName, reason: r.reason, requestedBy: r.requestedBy,
            requestedAt: Display.time(r.requestedAt), status: r.status.title, isPending: r.status == .pending, decidedBy: r.decidedBy,
            decidedAt: r.decidedAt.map(Display.time), decisionReason: r.decisionReason, assignmentHref: "/assignments/\(r.assignmentID.text)",
            decideAction: mayDecide ? "/recusal-requests/\(r.id.text)/decision" : nil,
            typedReason: form?["request_id"] == r.id.text ? form?["reason"] ?? "" : "")
    }

    struct RecusalRequestsPage {
        let chrome: Chrome
        let rows: [RecusalRow]
        let statuses: [Option]
        let nextHref: String?
        let firstHref: String?
    }

    /// The office's desk: the committee's requests, pending first by default; each links to the
    /// assignment page, where the office decides.
    func recusalRequestsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .decideRecusalRequests)
        let parameters = request.queryDictionary
        let pageRequest = try parameters.pageRequest()
        let chosen = parameters["status"] ?? RecusalRequestStatus.pending.rawValue
        let status = try AssignmentsController.recusalStatus(chosen == "all" ? nil : chosen)
        let page = try await store.recusalRequests(RecusalRequestQuery(status: status), page: pageRequest, for: actor)
        let model = RecusalRequestsPage(
            chrome: Chrome.make(title: "回避申请", active: .recusalRequests, context: context, policy: store.policy, notice: Chrome.notice(request)),
            rows: page.items.map { Self.recusalRow($0, actor: actor, policy: store.policy, form: nil) },
            statuses: [Option(value: "all", label: "全部", selected: status == nil)]
                + RecusalRequestStatus.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == status) },
            nextHref: page.nextCursor.map { ListLink.make("/recusal-requests", parameters, ["cursor": $0, "notice": nil]) },
            firstHref: pageRequest.after == nil ? nil : ListLink.make("/recusal-requests", parameters, ["cursor": nil, "notice": nil]))
        return pages.render("recusal_requests", model)
    }

    /// 同意回避 or 不予回避, with reasons; back to the assignment page either way.
    func decideRecusal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let decided = try await store.decideRecusalRequest(id, decision: form["decision"], reason: form["reason"], origin: try context.origin())
            return PageRenderer.redirect("/assignments/\(decided.assignmentID.text)", notice: .recusalDecided)
        } reshow: { form, error in
            // The form carries `request_id`, so the typed reasons come back beside the right request.
            let found = try await store.recusalRequest(id, for: actor)
            return try await detailPage(request, context: context, form: form, error: nil, assignmentID: found.assignmentID, decisionError: error)
        }
    }

    // MARK: 本级参数

    struct SettingsPage {
        let chrome: Chrome
        let maxUnitsPerGroup: String
        let recentWorkYears: String
        let leadFeedbackMonths: String
        let warningGreenDays: String
        let warningYellowDays: String
        let rectificationReportMonths: String
        let systemicUnitThreshold: String
        let backfillDays: String
        let hasLeadingGroup: Bool
        let hasOffice: Bool
        /// 保管期限 of each kind of document, as the archive's catalogue sets it.
        let retention: [RetentionRow]
        let version: Int
        let error: String?
    }

    struct RetentionRow {
        struct Choice {
            let code: String
            let title: String
            let selected: Bool
        }
        let field: String
        let kind: String
        let choices: [Choice]

        /// Every kind with the period the form carries back, else the committee's.
        static func rows(_ schedule: RetentionSchedule, form: FormInput?) -> [RetentionRow] {
            DocumentKind.allCases.map { kind in
                let field = "retention_\(kind.rawValue)"
                let chosen = form?[field] ?? schedule.period(of: kind).rawValue
                return RetentionRow(
                    field: field, kind: kind.title,
                    choices: RetentionPeriod.allCases.map { Choice(code: $0.rawValue, title: $0.title, selected: $0.rawValue == chosen) })
            }
        }
    }

    func settingsPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .manageSettings)
        let current = try await store.settings(of: try context.ownJurisdiction(), for: actor)
        let model = SettingsPage(
            chrome: Chrome.make(title: "本级参数", active: .settings, context: context, policy: store.policy, notice: Chrome.notice(request)),
            maxUnitsPerGroup: form?["max_units_per_group"] ?? String(current.maxUnitsPerGroup),
            recentWorkYears: form?["recent_work_years"] ?? String(current.recentWorkYears),
            leadFeedbackMonths: form?["lead_feedback_months"] ?? String(current.leadFeedbackMonths),
            warningGreenDays: form?["warning_green_days"] ?? String(current.warnings.greenDays),
            warningYellowDays: form?["warning_yellow_days"] ?? String(current.warnings.yellowDays),
            rectificationReportMonths: form?["rectification_report_months"] ?? String(current.rectificationReportMonths),
            systemicUnitThreshold: form?["systemic_unit_threshold"] ?? String(current.systemicUnitThreshold),
            backfillDays: form?["backfill_days"] ?? String(current.backfillDays),
            hasLeadingGroup: form.map { $0["has_leading_group"] == "1" } ?? current.organisation.hasLeadingGroup,
            hasOffice: form.map { $0["has_office"] == "1" } ?? current.organisation.hasOffice,
            retention: RetentionRow.rows(current.retention, form: form),
            version: form?["version"].flatMap(Int.init) ?? current.version, error: error?.message)
        return pages.render("settings", model, status: error.map { ErrorMiddleware.status(for: $0.kind) } ?? .ok)
    }

    func changeSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await PageForm.submit(request, context: context) { form in
            func number(_ field: String, _ label: String) throws -> Int {
                guard let text = form[field], !text.isEmpty else { throw DomainError.required(field, label: label) }
                guard let value = Int(text) else { throw DomainError.invalid("not_a_number", "“\(label)”须为整数", english: "\(field) is not an integer", field: field) }
                return value
            }
            let version = try form.version()
            _ = try await store.changeSettings(
                of: try context.ownJurisdiction(), maxUnitsPerGroup: try number("max_units_per_group", "一托N"),
                recentWorkYears: try number("recent_work_years", "回避年限"), leadFeedbackMonths: try number("lead_feedback_months", "线索反馈期限"),
                warningGreenDays: try number("warning_green_days", "绿色预警天数"), warningYellowDays: try number("warning_yellow_days", "黄色预警天数"),
                rectificationReportMonths: try number("rectification_report_months", "整改情况报告期限"),
                systemicUnitThreshold: form["systemic_unit_threshold"].map { _ in try number("systemic_unit_threshold", "普遍性问题单位数") },
                backfillDays: form["backfill_days"].map { _ in try number("backfill_days", "补录期限") },
                organisation: InspectionOrganisation(hasLeadingGroup: form["has_leading_group"] == "1", hasOffice: form["has_office"] == "1"),
                retention: Self.retentionFields(form), version: version, origin: try context.origin())
            return PageRenderer.redirect("/settings", notice: .saved)
        } reshow: { form, error in
            return try await settingsPage(request, context: context, form: form, error: error)
        }
    }

    /// The 保管期限 the form sets, by document kind; none when the form has no such fields.
    static func retentionFields(_ form: FormInput) -> [String: String]? {
        let set = DocumentKind.allCases.compactMap { kind in form["retention_\(kind.rawValue)"].map { (kind.rawValue, $0) } }
        return set.isEmpty ? nil : Dictionary(uniqueKeysWithValues: set)
    }

    /// 一 … 十 for the numbered prohibitions.
    static func ordinal(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        return n < digits.count ? digits[n] : String(n)
    }
}
