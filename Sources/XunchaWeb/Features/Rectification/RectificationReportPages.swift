import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 整改报告 and 整改公开 pages: the unit's reports with the head's signature and the office's
/// review; the disclosure prepared from an accepted report, approved by the leading group and
/// published by the office, with the internal circulation recorded apart.
struct RectificationReportPages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/rectification-reports") { request, context in try await listPage(request, context: context) }
        router.get("/rectification-reports/{id}") { request, context in try await itemPage(request, context: context, form: nil, error: nil) }
        router.post("/rectification-reports/{id}") { request, context in try await edit(request, context: context) }
        router.post("/rectification-reports/{id}/steps") { request, context in try await takeStep(request, context: context) }
        router.post("/rectification-reports/{id}/disclosures") { request, context in try await draftDisclosure(request, context: context) }
        router.get("/disclosures") { request, context in try await disclosureList(request, context: context) }
        router.get("/disclosures/{id}") { request, context in try await disclosurePage(request, context: context, form: nil, error: nil) }
        router.post("/disclosures/{id}") { request, context in try await editDisclosure(request, context: context) }
        router.post("/disclosures/{id}/steps") { request, context in try await disclosureStep(request, context: context) }
        router.post("/disclosures/{id}/circulation") { request, context in try await circulate(request, context: context) }
    }

    static func statusClass(_ status: RectificationReportStatus) -> String {
        switch status {
        case .draft, .signed: "warn"
        case .submitted: ""
        case .accepted: "ok"
        case .returned: "bad"
        }
    }

    // MARK: 整改报告列表

    struct Row {
        let href: String
        let kind: String
        let title: String
        let unitName: String
        let due: String
        let overdue: Bool
        let status: String
        let statusClass: String
    }

    struct ListPage {
        let chrome: Chrome
        let rows: [Row]
        let statuses: [Option]
        let filtered: Bool
        let nextHref: String?
        let firstHref: String?
    }

    func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewRectificationReports)
        let list = try ListAddress("/rectification-reports", request)
        let parameters = list.parameters
        let status = try RectificationReportsController.reportStatus(parameters["status"])
        let page = try await store.rectificationReports(status: status, page: list.page, for: actor)
        let today = CalendarDay(store.clock.now())
        let model = ListPage(
            chrome: pages.chrome(title: "整改报告", active: .rectificationReports, request: request, context: context),
            rows: page.items.map { r in
                Row(
                    href: "/rectification-reports/\(r.id.text)", kind: r.kind.title, title: r.title, unitName: r.unitName, due: r.due.description,
                    overdue: r.isOverdue(today: today), status: r.status.title, statusClass: Self.statusClass(r.status))
            },
            statuses: RectificationReportStatus.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == status) },
            filtered: status != nil,
            nextHref: list.next(page.nextCursor),
            firstHref: list.first)
        return pages.render("rectification_reports", model)
    }

    // MARK: 整改报告


    struct ItemPage {
        let chrome: Chrome
        let id: String
        let kind: String
        let title: String
        let body: String
        let unitName: String
        let feedbackHref: String?
        let feedbackNumber: String
        let status: String
        let statusClass: String
        let due: String
        let overdue: Bool
        let signature: FieldworkPages.Field?
        let digest: String?
        let reviewNote: String?
        let mayEdit: Bool
        let titleText: String
        let bodyText: String
        let actions: [StepForm]
        let mayDisclose: Bool
        let exemptions: [Option]
        let history: [HistoryRow]
        let reminders: [WorkController.ReminderView]
        let version: Int
        let error: String?
        /// 下载公文: the record's .docx, once it is one.
        let documentHref: String?
        /// How the page prints as a 公文.
        let paper: PrintedDocument
    }

    func itemPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.uuid("id")
        let report = try await store.rectificationReport(id, for: actor)
        let standing = store.rectificationStanding(actor, towards: report)
        let steps = try await store.history(RectificationReportLifecycle.self, of: id, for: actor)
        let forms = StepForms(action: "/rectification-reports/\(report.id.text)/steps", version: report.version, posted: form, error: error)
        let actions = RectificationReportLifecycle.available(on: report, standing: standing).map { step -> StepForm in
            switch step {
            case .sign:
                forms.form(
                    step, title: "签字背书", confirm: "签字即由您本人以单位主要负责人身份对报告全文签字背书，记录签字时间和全文摘要，记入审计日志。确定签字？",
                    [.check("endorse", label: "本人已审阅报告全文并签字背书，对整改负第一责任", required: true, keepsTyped: false)])
            case .submit: forms.form(step, title: "报送巡察办", confirm: "报送后报告不能再修改。确定报送？")
            case .accept: forms.form(step, title: "审核通过", confirm: "确定审核通过？", [.note("审核意见")])
            case .return: forms.form(step, title: "退回修改", confirm: "确定退回被巡察单位修改？", danger: true, [.note("退回意见", required: true)])
            }
        }
        let location = RecordLocation(jurisdictionID: report.jurisdictionID, jurisdictionPath: actor.jurisdictionPath)
        let mayDisclose = report.status == .accepted && store.policy.allows(actor, .prepareDisclosures, at: location)
        let mayReadFeedback = store.policy.allows(actor, .viewFeedback, at: RecordLocation(jurisdictionID: report.jurisdictionID, jurisdictionPath: actor.jurisdictionPath, unitID: report.unitID))
        let model = ItemPage(
            chrome: pages.chrome(title: report.title, active: .rectificationReports, request: request, context: context),
            id: report.id.text, kind: report.kind.title, title: report.title, body: report.body, unitName: report.unitName,
            feedbackHref: mayReadFeedback ? "/feedback/\(report.feedbackID.text)" : nil, feedbackNumber: report.feedbackNumber,
            status: report.status.title, statusClass: Self.statusClass(report.status), due: Display.prose(report.due),
            overdue: report.isOverdue(today: CalendarDay(store.clock.now())),
            signature: report.signature.map { .init(label: $0.signerName, value: Display.prose($0.signedAt)) }, digest: report.signature?.digest,
            reviewNote: report.reviewNote, mayEdit: standing.contains(.unit) && report.status.isEditable,
            titleText: form?["title"] ?? report.title, bodyText: form?["body"] ?? report.body, actions: actions, mayDisclose: mayDisclose,
            exemptions: DisclosureExemption.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: false) },
            history: steps.map(HistoryRow.init),
            reminders: try await store.reminders(RectificationReportLifecycle.self, of: id, for: actor).map(WorkController.ReminderView.init),
            version: report.version, error: error?.message,
            documentHref: report.documentDate == nil ? nil : "/rectification-reports/\(report.id.text)/document.docx",
            paper: PrintedDocument(
                number: nil, title: report.title, addressee: try await PrintedDocument.office(of: report.jurisdictionID, store: store, actor: actor),
                issuer: report.unitName, dated: report.submittedAt))
        return pages.render("rectification_report", model, refused: error)
    }

    func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            let saved = try await store.editRectificationReport(id, title: form["title"], body: form["body"], version: version, origin: try context.origin())
            return PageRenderer.redirect("/rectification-reports/\(id.text)", notice: .saved, about: NoticeSaid.object(RectificationReportLifecycle.self, saved))
        } reshow: { form, error in
            try await itemPage(request, context: context, form: form, error: error)
        }
    }

    func takeStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            RectificationReportStep.self, request, context: context, store: store,
            input: { form, step in
                if step == .sign, form["endorse"] != "yes" {
                    throw DomainError.invalid("endorsement_required", "签字须勾选“本人已审阅报告全文并签字背书”", english: "the head must endorse", field: "endorse")
                }
                return StepNote(form["note"])
            },
            done: { id, _ in PageRenderer.redirect("/rectification-reports/\(id.text)", notice: .done) },
            reshow: { form, error in try await itemPage(request, context: context, form: form, error: error) })
    }

    func draftDisclosure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let disclosure = try await store.draftDisclosure(
                from: id, title: form["title"], text: form["text"], exemptions: form.all("exemptions"), channel: try Self.channel(form["channel"]),
                origin: try context.origin())
            return PageRenderer.redirect("/disclosures/\(disclosure.id.text)", notice: .created, about: NoticeSaid.object(DisclosureLifecycle.self, disclosure))
        } reshow: { form, error in
            try await itemPage(request, context: context, form: form, error: error)
        }
    }

    static func channel(_ text: String?) throws -> DisclosureChannel {
        try RectificationReportsController.DisclosureInput(channel: text).parsedChannel()
    }

    // MARK: 整改公开

    struct DisclosureRow {
        let href: String
        let title: String
        let unitName: String
        let channel: String
        let status: String
        let publishedOn: String
    }

    struct DisclosureListPage {
        let chrome: Chrome
        let rows: [DisclosureRow]
        let publicHref: String?
        let nextHref: String?
        let firstHref: String?
    }

    func disclosureList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewDisclosures)
        let list = try ListAddress("/disclosures", request)
        let page = try await store.disclosures(page: list.page, for: actor)
        var publicHref: String?
        if let committee = actor.jurisdictionID { publicHref = "/public/" + ListLink.encode(try await store.publicKey(of: committee) ?? committee.text) }
        let model = DisclosureListPage(
            chrome: pages.chrome(title: "整改公开", active: .disclosures, request: request, context: context),
            rows: page.items.map { d in
                DisclosureRow(
                    href: "/disclosures/\(d.id.text)", title: d.title, unitName: d.unitName, channel: d.channel.title, status: d.status.title,
                    publishedOn: d.publishedOn?.description ?? "—")
            },
            publicHref: publicHref,
            nextHref: list.next(page.nextCursor),
            firstHref: list.first)
        return pages.render("disclosures", model)
    }

    struct DisclosurePage {
        let chrome: Chrome
        let id: String
        let title: String
        let text: String
        let unitName: String
        let reportHref: String
        let channel: String
        let status: String
        let exemptionTitles: String
        let reviewNote: String?
        let publishedOn: String?
        let publicHref: String?
        let circulation: InternalCirculation?
        let circulationDate: String?
        let mayEdit: Bool
        let titleText: String
        let textText: String
        let exemptions: [Option]
        let channels: [Option]
        /// 领导小组审定: approve or return.
        let review: [StepForm]
        let publish: StepForm?
        let mayCirculate: Bool
        let history: [HistoryRow]
        let version: Int
        let error: String?
    }

    func disclosurePage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.uuid("id")
        let d = try await store.disclosure(id, for: actor)
        let standing = store.disclosureStanding(actor, towards: d)
        let forms = StepForms(action: "/disclosures/\(d.id.text)/steps", version: d.version, posted: form, error: error)
        let available = DisclosureLifecycle.available(on: d, standing: standing).map { step in
            switch step {
            case .approve: forms.form(step, confirm: "确定审定同意公开？", [.note("审定意见", rows: 2)])
            case .return: forms.form(step, confirm: "确定退回巡察办修改？", danger: true, [.note("退回意见", required: true, rows: 2)])
            case .publish: forms.form(step, confirm: "发布后\(d.channel.title)，发布日期为今天，内容不能再改。确定发布？")
            }
        }
        let steps = try await store.history(DisclosureLifecycle.self, of: id, for: actor)
        // A refused step shows its own form again; the edit form keeps what is stored.
        let edited = form?["step"] == nil ? form : nil
        let chosen = edited.map { Set($0.all("exemptions")) } ?? Set(d.exemptions.map(\.rawValue))
        let channel = edited?["channel"] ?? d.channel.rawValue
        let model = DisclosurePage(
            chrome: pages.chrome(title: d.title, active: .disclosures, request: request, context: context),
            id: d.id.text, title: d.title, text: d.text, unitName: d.unitName, reportHref: "/rectification-reports/\(d.reportID.text)", channel: d.channel.title,
            status: d.status.title, exemptionTitles: d.exemptions.isEmpty ? "无" : d.exemptions.map(\.title).joined(separator: "；"), reviewNote: d.reviewNote,
            publishedOn: d.publishedOn.map(Display.prose),
            publicHref: d.status == .published && d.channel == .public ? "/public/disclosures/\(d.id.text)" : nil,
            circulation: d.circulation, circulationDate: d.circulation.map { Display.prose($0.date) },
            mayEdit: standing.contains(.office) && d.status.isEditable, titleText: edited?["title"] ?? d.title, textText: edited?["text"] ?? d.text,
            exemptions: DisclosureExemption.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: chosen.contains($0.rawValue)) },
            channels: DisclosureChannel.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == channel) },
            review: available.filter { $0.step != DisclosureStep.publish.rawValue },
            publish: available.first { $0.step == DisclosureStep.publish.rawValue },
            mayCirculate: standing.contains(.office) && (d.status == .approved || d.status == .published),
            history: steps.map(HistoryRow.init),
            version: d.version, error: error?.message)
        return pages.render("disclosure", model, refused: error)
    }

    func editDisclosure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            let saved = try await store.editDisclosure(
                id, title: form["title"], text: form["text"], exemptions: form.all("exemptions"), channel: try Self.channel(form["channel"]), version: version,
                origin: try context.origin())
            return PageRenderer.redirect("/disclosures/\(id.text)", notice: .saved, about: NoticeSaid.object(DisclosureLifecycle.self, saved))
        } reshow: { form, error in
            try await disclosurePage(request, context: context, form: form, error: error)
        }
    }

    func disclosureStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            DisclosureStep.self, request, context: context, store: store, input: { form, _ in StepNote(form["note"]) },
            done: { id, _ in PageRenderer.redirect("/disclosures/\(id.text)", notice: .done) },
            reshow: { form, error in try await disclosurePage(request, context: context, form: form, error: error) })
    }

    func circulate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            let circulation = try InternalCirculation.validate(number: form["number"], scope: form["scope"], date: form["date"])
            _ = try await store.recordCirculation(of: id, circulation, version: version, origin: try context.origin())
            return PageRenderer.redirect("/disclosures/\(id.text)", notice: .saved)
        } reshow: { form, error in
            try await disclosurePage(request, context: context, form: nil, error: error)
        }
    }
}

/// The public page of a committee's published rectification disclosures: no sign-in, nothing
/// unpublished, nothing internal, nothing of the system's menus — a header with the site's title,
/// the committee's name in its address (`/public/江城市委`; the id first given still answers,
/// naming the readable address as canonical) and a footer.
struct PublicDisclosurePages {
    let store: Store
    let pages: PageRenderer

    struct Item {
        let href: String
        let title: String
        let unitName: String
        let date: String
        let text: String
    }

    /// What every public page shows around its content.
    struct Frame {
        let committee: String
        /// The committee's readable public address.
        let address: String
    }

    struct ListPage {
        let frame: Frame
        let committee: String
        let items: [Item]
        let nextHref: String?
        let firstHref: String?
    }

    struct OnePage {
        let frame: Frame
        let committee: String
        let backHref: String
        let item: Item
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/public/{jurisdiction}") { request, context -> Response in
            // An unknown or malformed committee reads as missing, like any other record.
            guard let key = context.parameters.get("jurisdiction").map({ $0.removingPercentEncoding ?? $0 }), let id = try await store.publicCommittee(key)
            else { throw DomainError.notFound }
            let parameters = request.queryDictionary
            let pageRequest = try parameters.pageRequest()
            guard let found = try await store.publicDisclosures(of: id, page: pageRequest) else { throw DomainError.notFound }
            let frame = try await frame(found.committee, id)
            return pages.render(
                "public_disclosures",
                ListPage(
                    frame: frame, committee: found.committee, items: found.page.items.map(Self.item),
                    nextHref: found.page.nextCursor.map { ListLink.make(frame.address, parameters, ["cursor": $0]) },
                    firstHref: pageRequest.after == nil ? nil : frame.address))
        }
        router.get("/public/disclosures/{id}") { _, context -> Response in
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)), let found = try await store.publicDisclosure(id) else {
                throw DomainError.notFound
            }
            let frame = try await frame(found.committee, found.disclosure.jurisdictionID)
            return pages.render(
                "public_disclosure", OnePage(frame: frame, committee: found.committee, backHref: frame.address, item: Self.item(found.disclosure)))
        }
    }

    func frame(_ committee: String, _ id: UUID) async throws -> Frame {
        Frame(committee: committee, address: "/public/" + ListLink.encode(try await store.publicKey(of: id) ?? id.text))
    }

    static func item(_ d: Disclosure) -> Item {
        Item(href: "/public/disclosures/\(d.id.text)", title: d.title, unitName: d.unitName, date: d.publishedOn.map(Display.prose) ?? "", text: d.text)
    }
}
