import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 进驻了解 pages: an assignment's records (个别谈话、信访件、调阅资料、下沉走访) with the form a
/// member records on, one record (every opening logged), and a petitioner's identity on a page
/// of its own that only the group's leader and the designated custodians can open. Working
/// papers and the classification dictionaries are in the `+Findings` and `+Classifications` files.
struct FieldworkPages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/assignments/{id}/records") { request, context in try await recordsPage(request, context: context, form: nil, error: nil) }
        router.post("/assignments/{id}/records") { request, context in try await addRecord(request, context: context) }
        router.get("/records/{id}") { request, context in try await recordPage(request, context: context, uploadError: nil) }
        router.get("/records/{id}/reporter") { _, context in try await reporterPage(context: context) }
        registerFindings(on: router)
        registerClassifications(on: router)
        registerEvidence(on: router)
    }

    // MARK: 工作记录

    /// The assignment a fieldwork page is about, as its heading shows it.
    struct Heading {
        let title: String
        let lead: String
        /// The assignment page, for those who may open it (a custodian sees fieldwork only).
        let assignmentHref: String?
        let recordsHref: String
        let findingsHref: String
    }

    func heading(_ standing: FieldworkStanding, actor: Actor) -> Heading {
        let a = standing.assignment
        return Heading(
            title: "\(a.groupName)巡察\(a.unitName)", lead: "\(a.roundTitle) · 第\(a.batchSequence)批 \(a.entryDate) 至 \(a.exitDate)",
            assignmentHref: store.policy.allowsAnywhere(actor, .viewAssignments) ? "/assignments/\(a.id.text)" : nil,
            recordsHref: "/assignments/\(a.id.text)/records", findingsHref: ListLink.make("/findings", ["assignment_id": a.id.text]))
    }

    struct RecordRow {
        let href: String
        let kind: String
        let subject: String
        let detail: String
        let occurredOn: String
        let inspectors: String
        let createdBy: String
    }

    /// A tab of the record form: one per kind, so each kind shows its own fields without script.
    struct Tab {
        let label: String
        let href: String
        let active: Bool
    }

    struct Choice {
        let value: String
        let label: String
        let checked: Bool
    }

    struct InspectorChoice {
        let id: String
        let name: String
        let role: String
        let checked: Bool
        let parts: [Option]
    }

    struct RecordForm {
        let action: String
        let kind: String
        let kindTitle: String
        let tabs: [Tab]
        let subjectLabel: String
        let subject: String
        let postLabel: String?
        let subjectPost: String
        let dateLabel: String
        let occurredOn: String
        let place: String
        let bodyLabel: String
        let body: String
        let isInterview: Bool
        let isPetition: Bool
        let categories: [Choice]
        let channels: [Choice]
        let reflectedPerson: String
        let inScope: Bool
        let inspectors: [InspectorChoice]
        let inspectorsHint: String
        let anonymous: Bool
        let reporterName: String
        let reporterContact: String
        let error: String?
    }

    struct RecordsPage {
        let chrome: Chrome
        let heading: Heading
        let rows: [RecordRow]
        let kinds: [Option]
        let q: String
        let filtered: Bool
        let nextHref: String?
        let firstHref: String?
        let form: RecordForm?
        let readOnly: String?
        let draftHref: String?
        let leadHref: String?
    }

    func recordsPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let standing = try await store.fieldworkStanding(try context.parameters.uuid("id"), for: actor)
        let assignmentID = standing.assignment.id
        let path = "/assignments/\(assignmentID.text)/records"
        let list = try ListAddress(path, request)
        let parameters = list.parameters
        let kind = try parameters["kind"].flatMap { text -> RecordKind? in
            guard !text.isEmpty else { return nil }
            guard let kind = RecordKind(code: text) else {
                throw DomainError.invalid("unknown_record_kind", "记录类别“\(text)”不存在", english: "unknown record kind", field: "kind")
            }
            return kind
        }
        let search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 60)
        let page = try await store.onSiteRecords(RecordQuery(assignmentID: assignmentID, kind: kind, search: search, page: list.page), for: actor)
        var readOnly: String?
        if !standing.isMember {
            readOnly = "巡察工作记录由本组巡察人员登记，您可查阅。"
        } else if !standing.isOnSite {
            readOnly = "本轮尚未进驻（或已撤离），进驻期间才能登记巡察工作记录。"
        }
        let model = RecordsPage(
            chrome: pages.chrome(title: "巡察工作记录", active: .assignments, request: request, context: context),
            heading: heading(standing, actor: actor),
            rows: page.items.map(Self.recordRow),
            kinds: RecordKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == kind) }, q: search ?? "",
            filtered: kind != nil || search != nil,
            nextHref: list.next(page.nextCursor),
            firstHref: list.first,
            form: standing.mayRecord ? recordForm(standing, parameters: parameters, form: form, error: error) : nil, readOnly: readOnly,
            draftHref: standing.mayRecord ? "/assignments/\(assignmentID.text)/findings/new" : nil,
            leadHref: standing.mayRecord ? "/assignments/\(assignmentID.text)/leads/new" : nil)
        return pages.render("records", model, refused: error)
    }

    static func recordRow(_ record: OnSiteRecord) -> RecordRow {
        let c = record.content
        var detail: [String] = []
        if let post = c.subjectPost { detail.append(post) }
        if let category = c.interviewCategory { detail.append(category.title) }
        if let channel = c.channel { detail.append(channel.title) }
        if let person = c.reflectedPerson { detail.append("被反映人：\(person)") }
        if c.inScope == false { detail.append("不属于受理范围") }
        return RecordRow(
            href: "/records/\(record.id.text)", kind: record.kind.title, subject: c.subject, detail: detail.joined(separator: " · "),
            occurredOn: c.occurredOn.description, inspectors: Self.people(record.inspectors), createdBy: record.createdBy)
    }

    static func people(_ inspectors: [RecordInspector]) -> String {
        inspectors.map { "\($0.name)（\($0.part.title)）" }.joined(separator: "、")
    }

    static func dateLabel(_ kind: RecordKind) -> String {
        switch kind {
        case .interview: "谈话日期"
        case .petition: "收到日期"
        case .documentReview: "调阅日期"
        case .fieldVisit: "走访日期"
        }
    }

    static func bodyLabel(_ kind: RecordKind) -> String {
        switch kind {
        case .interview: "谈话记录"
        case .petition: "反映内容摘要"
        case .documentReview: "调阅情况"
        case .fieldVisit: "走访情况"
        }
    }

    static func postLabel(_ kind: RecordKind) -> String? {
        switch kind {
        case .interview: "谈话对象职务"
        case .petition: "被反映人职务"
        case .documentReview: nil
        case .fieldVisit: "走访对象职务"
        }
    }

    /// The form for the kind the tab (or the refused submission) names, with what was typed.
    func recordForm(_ standing: FieldworkStanding, parameters: [String: String], form: FormInput?, error: DomainError?) -> RecordForm {
        let kind = (form?["kind"] ?? parameters["new"]).flatMap(RecordKind.init(code:)) ?? .interview
        let path = "/assignments/\(standing.assignment.id.text)/records"
        let chosen = Set(form?.all("inspectors") ?? [])
        let category = form?["interview_category"] ?? InterviewCategory.selected.rawValue
        let channel = form?["channel"] ?? ""
        let today = CalendarDay(store.clock.now()).description
        return RecordForm(
            action: path, kind: kind.rawValue, kindTitle: kind.title,
            tabs: RecordKind.allCases.map { Tab(label: "登记\($0.title)", href: ListLink.make(path, ["new": $0.rawValue]) + "#record-form", active: $0 == kind) },
            subjectLabel: kind.subjectLabel, subject: form?["subject"] ?? "", postLabel: Self.postLabel(kind), subjectPost: form?["subject_post"] ?? "",
            dateLabel: Self.dateLabel(kind), occurredOn: form?["occurred_on"] ?? today, place: form?["place"] ?? "", bodyLabel: Self.bodyLabel(kind),
            body: form?["body"] ?? "", isInterview: kind == .interview, isPetition: kind == .petition,
            categories: InterviewCategory.allCases.map { Choice(value: $0.rawValue, label: $0.title, checked: $0.rawValue == category) },
            channels: PetitionChannel.allCases.map { Choice(value: $0.rawValue, label: $0.title, checked: $0.rawValue == channel) },
            reflectedPerson: form?["reflected_person"] ?? "", inScope: form.map { $0["in_scope"] == "yes" } ?? true,
            inspectors: standing.inspectors.map { person in
                let part = form?["part_\(person.id.text)"] ?? RecordInspector.Part.lead.rawValue
                return InspectorChoice(
                    id: person.id.text, name: person.name, role: person.role.title, checked: chosen.contains(person.id.text),
                    parts: RecordInspector.Part.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == part) })
            },
            inspectorsHint: kind == .interview ? "个别谈话须至少两名巡察人员参加，一人谈话、一人记录（二对一），并指定记录人。" : "勾选承办此事的巡察人员。",
            anonymous: form?["anonymous"] == "yes", reporterName: form?["reporter_name"] ?? "", reporterContact: form?["reporter_contact"] ?? "",
            error: error?.message)
    }

    func addRecord(_ request: Request, context: AppRequestContext) async throws -> Response {
        let assignmentID = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            guard let kind = form["kind"].flatMap(RecordKind.init(code:)) else { throw DomainError.required("kind", label: "记录类别") }
            guard let day = form["occurred_on"], !day.isEmpty else { throw DomainError.required("occurred_on", label: Self.dateLabel(kind)) }
            let content = RecordContent(
                subject: form["subject"] ?? "", subjectPost: form["subject_post"], occurredOn: try CalendarDay(text: day, field: "occurred_on", label: Self.dateLabel(kind)),
                place: form["place"], body: form["body"] ?? "", interviewCategory: form["interview_category"].flatMap(InterviewCategory.init(rawValue:)),
                channel: form["channel"].flatMap(PetitionChannel.init(code:)), reflectedPerson: form["reflected_person"],
                inScope: kind == .petition ? form["in_scope"] == "yes" : nil)
            let inspectors = form.all("inspectors").compactMap { text -> (UUID, RecordInspector.Part)? in
                guard let id = UUID(uuidString: text) else { return nil }
                return (id, form["part_\(text)"].flatMap(RecordInspector.Part.init(rawValue:)) ?? .lead)
            }
            let reporter = kind == .petition
                ? PetitionReporter(anonymous: form["anonymous"] == "yes", name: form["reporter_name"], contact: form["reporter_contact"]) : nil
            _ = try await store.recordOnSite(kind, content: content, inspectors: inspectors, reporter: reporter, in: assignmentID, origin: try context.origin())
            return PageRenderer.redirect(ListLink.make("/assignments/\(assignmentID.text)/records", ["new": kind.rawValue]), notice: .recordSaved)
        } reshow: { form, error in
            try await recordsPage(request, context: context, form: form, error: error)
        }
    }

    // MARK: 单条记录与反映人

    struct Field {
        let label: String
        let value: String
    }

    struct RecordPage {
        let chrome: Chrome
        let heading: Heading
        let kind: String
        let subject: String
        let fields: [Field]
        let bodyLabel: String
        let body: String
        let createdBy: String
        let createdAt: String
        let reporterHref: String?
        let evidence: EvidenceBlock
    }

    func recordPage(_ request: Request, context: AppRequestContext, uploadError: DomainError?) async throws -> Response {
        let origin = try context.origin()
        let record = try await store.onSiteRecord(try context.parameters.uuid("id"), origin: origin)
        let standing = try await store.fieldworkStanding(record.assignmentID, for: origin.actor)
        let c = record.content
        var fields = [Field(label: "记录类别", value: record.kind.title), Field(label: record.kind.subjectLabel, value: c.subject)]
        if let label = Self.postLabel(record.kind), let post = c.subjectPost { fields.append(Field(label: label, value: post)) }
        if let category = c.interviewCategory { fields.append(Field(label: "谈话类别", value: category.title)) }
        if let channel = c.channel { fields.append(Field(label: "信访渠道", value: channel.title)) }
        if let person = c.reflectedPerson { fields.append(Field(label: "被反映人", value: person)) }
        if let inScope = c.inScope { fields.append(Field(label: "受理范围", value: inScope ? "属于巡察受理范围" : "不属于巡察受理范围")) }
        fields.append(Field(label: Self.dateLabel(record.kind), value: Display.prose(c.occurredOn)))
        if let place = c.place { fields.append(Field(label: "地点", value: place)) }
        fields.append(Field(label: record.kind == .interview ? "谈话人与记录人" : "承办人", value: Self.people(record.inspectors)))
        let evidence = try await EvidenceBlock.make(
            store, owner: .record(record.id), actor: origin.actor, uploadAction: standing.mayRecord ? "/records/\(record.id.text)/attachments" : nil,
            error: uploadError)
        let model = RecordPage(
            chrome: pages.chrome(title: "\(record.kind.title)：\(c.subject)", active: .assignments, request: request, context: context),
            heading: heading(standing, actor: origin.actor), kind: record.kind.title, subject: c.subject, fields: fields, bodyLabel: Self.bodyLabel(record.kind),
            body: c.body, createdBy: record.createdBy, createdAt: Display.prose(record.createdAt),
            reporterHref: record.kind == .petition && standing.mayViewReporters ? "/records/\(record.id.text)/reporter" : nil, evidence: evidence)
        return pages.render("record", model, refused: uploadError)
    }

    struct ReporterPage {
        let chrome: Chrome
        let recordHref: String
        let subject: String
        let unitName: String
        let anonymous: Bool
        let name: String
        let contact: String
    }

    /// Who petitioned. The store answers not found to everyone but the group's leader and the
    /// custodians, before the record itself is read, so nobody else learns even that it exists.
    func reporterPage(context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        let id = try context.parameters.uuid("id")
        let reporter = try await store.petitionReporter(of: id, origin: origin)
        let record = try await store.onSiteRecord(id, origin: origin)
        let model = ReporterPage(
            chrome: Chrome.make(title: "反映人信息", active: .assignments, context: context, policy: store.policy), recordHref: "/records/\(id.text)",
            subject: record.content.subject, unitName: record.unitName, anonymous: reporter.anonymous, name: reporter.name ?? "—", contact: reporter.contact ?? "—")
        return pages.render("record_reporter", model)
    }
}
