import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 问题底稿 pages: the list, the draft and edit form with the classification tags, and one paper
/// with its history, the steps its group may take now, and its triage.
extension FieldworkPages {
    func registerFindings(on router: Router<AppRequestContext>) {
        router.get("/findings") { request, context in try await findingsPage(request, context: context) }
        router.get("/assignments/{id}/findings/new") { _, context in try await newFindingPage(context: context, form: nil, error: nil) }
        router.post("/assignments/{id}/findings") { request, context in try await draftFinding(request, context: context) }
        router.get("/findings/{id}") { request, context in try await findingPage(request, context: context, form: nil, error: nil, uploadError: nil) }
        router.get("/findings/{id}/edit") { _, context in try await editFindingPage(context: context, form: nil, error: nil) }
        router.post("/findings/{id}") { request, context in try await editFinding(request, context: context) }
        router.post("/findings/{id}/steps") { request, context in try await takeStep(request, context: context) }
        router.post("/findings/{id}/triage") { request, context in try await triage(request, context: context) }
    }

    // MARK: 列表

    struct FindingRow {
        let href: String
        let number: String
        let title: String
        let unitName: String
        let status: String
        let statusClass: String
        let disposition: String
        let draftedBy: String
        let updatedAt: String
    }

    struct FindingsPage {
        let chrome: Chrome
        let heading: Heading?
        let assignmentID: String
        let rows: [FindingRow]
        let q: String
        let statuses: [Option]
        let dispositions: [Option]
        let filtered: Bool
        let clearHref: String
        let nextHref: String?
        let firstHref: String?
        let draftHref: String?
        let exports: ExportLinks
        let sortNumber: SortHeader
        let sortUnit: SortHeader
        let sortStatus: SortHeader
        let sortUpdated: SortHeader
        /// The title line, 制表单位 and 制表日期 the register prints with.
        let printed: PrintedTable
    }

    func findingsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .viewFieldwork)
        let list = try ListAddress("/findings", request)
        let parameters = list.parameters
        let query = try FieldworkController.findingQuery(parameters)
        let (assignmentID, status, disposition, search) = (query.assignmentID, query.status, query.disposition, query.search)
        var standing: FieldworkStanding?
        if let assignmentID { standing = try await store.fieldworkStanding(assignmentID, for: actor) }
        if let file = try await LedgerExport.requested(parameters, store: store, { try await LedgerTable.findings(store, query, for: actor) }) { return file }
        let page = try await store.findings(query, for: actor)
        let current = list.sorted(by: "created", .descending)
        let model = FindingsPage(
            chrome: pages.chrome(title: "问题底稿", active: .findings, request: request, context: context),
            heading: standing.map { heading($0, actor: actor) }, assignmentID: assignmentID?.text ?? "",
            rows: page.items.map(Self.findingRow), q: search ?? "",
            statuses: FindingStatus.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == status) },
            dispositions: Disposition.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == disposition) },
            filtered: status != nil || disposition != nil || search != nil,
            clearHref: ListLink.make("/findings", ["assignment_id": assignmentID?.text ?? ""]),
            nextHref: list.next(page.nextCursor),
            firstHref: list.first,
            draftHref: standing?.mayRecord == true ? "/assignments/\(assignmentID?.text ?? "")/findings/new" : nil, exports: ExportLinks("/findings", parameters),
            sortNumber: list.sortHeader("number", "底稿编号", current: current), sortUnit: list.sortHeader("unit", "被巡察单位", current: current),
            sortStatus: list.sortHeader("status", "状态", current: current), sortUpdated: list.sortHeader("updated", "最后修改", current: current, usual: .descending),
            printed: try await PrintedTable.make("问题底稿台账", asOf: nil, store: store, actor: actor))
        return pages.render("findings", model)
    }

    static func findingRow(_ finding: Finding) -> FindingRow {
        FindingRow(
            href: "/findings/\(finding.id.text)", number: finding.number ?? "—", title: finding.content.title, unitName: finding.unitName,
            status: finding.status.title, statusClass: statusClass(finding.status), disposition: finding.disposition?.title ?? "—",
            draftedBy: finding.draftedBy, updatedAt: Display.time(finding.updatedAt))
    }

    static func statusClass(_ status: FindingStatus) -> String {
        switch status {
        case .draft: ""
        case .underReview: "warn"
        case .returned: "bad"
        case .approved: "ok"
        }
    }

    // MARK: 起草与修改

    /// One entry of a scheme as a checkbox, indented under its parent.
    struct EntryChoice {
        let value: String
        let label: String
        let path: String
        let depth: Int
        let checked: Bool
    }

    struct SchemeChoice {
        let title: String
        let version: Int
        let note: String?
        let entries: [EntryChoice]
    }

    struct FindingForm {
        let chrome: Chrome
        let heading: Heading
        let action: String
        let isNew: Bool
        let title: String
        let manifestation: String
        let basis: String
        let evidence: String
        let responsibility: String
        let isCommon: Bool
        let schemes: [SchemeChoice]
        let version: Int
        let error: String?
        let tagsError: Bool
        let cancelHref: String
    }

    func newFindingPage(context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let standing = try await store.fieldworkStanding(try context.parameters.uuid("id"), for: actor)
        try Self.requireRecorder(standing)
        return try await findingForm(standing, finding: nil, context: context, form: form, error: error)
    }

    func editFindingPage(context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let finding = try await store.finding(try context.parameters.uuid("id"), for: actor)
        let standing = try await store.fieldworkStanding(finding.assignmentID, for: actor)
        try Self.requireRecorder(standing)
        guard finding.status.isEditable else {
            throw DomainError(.conflict, code: "finding_not_editable", message: "底稿处于“\(finding.status.title)”状态，不能修改", english: "finding is not editable")
        }
        return try await findingForm(standing, finding: finding, context: context, form: form, error: error)
    }

    /// Only the group's members write papers, and only while on site; the store says the same.
    static func requireRecorder(_ standing: FieldworkStanding) throws {
        guard standing.isMember else {
            throw DomainError(.forbidden, code: "not_a_member", message: "只有本组巡察人员可以记录和起草", english: "only the group's members record fieldwork")
        }
        guard standing.isOnSite else {
            throw DomainError(.conflict, code: "not_on_site", message: "本轮尚未进驻，进驻后才能登记巡察工作记录", english: "the round is not on site")
        }
    }

    func findingForm(_ standing: FieldworkStanding, finding: Finding?, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let all = try await store.classificationSchemes(latestOnly: false, for: actor)
        let chosen = Set(form.map { $0.all("tags") } ?? finding?.tags.map(Self.tagValue) ?? [])
        var newest: [String: Int] = [:]
        for scheme in all { newest[scheme.code] = max(newest[scheme.code] ?? 0, scheme.version) }
        // The latest version of each scheme, plus any older version the paper is already tagged
        // with, so saving an old paper does not silently drop its tags.
        let used = Set((finding?.tags ?? []).map { "\($0.scheme):\($0.version)" })
        let offered = all.filter { newest[$0.code] == $0.version || used.contains("\($0.code):\($0.version)") }
        let schemes = offered.map { scheme in
            SchemeChoice(
                title: scheme.title, version: scheme.version, note: newest[scheme.code] == scheme.version ? nil : "旧版，本底稿原已选用",
                entries: Self.tree(scheme).map { entry, depth in
                    let value = Self.tagValue(ClassificationTag(scheme: scheme.code, version: scheme.version, entry: entry.code))
                    return EntryChoice(value: value, label: entry.title, path: scheme.path(of: entry.code), depth: min(depth, 3), checked: chosen.contains(value))
                })
        }
        let isNew = finding == nil
        let model = FindingForm(
            chrome: Chrome.make(title: isNew ? "起草问题底稿" : "修改问题底稿", active: .findings, context: context, policy: store.policy),
            heading: heading(standing, actor: actor), action: finding.map { "/findings/\($0.id.text)" } ?? "/assignments/\(standing.assignment.id.text)/findings",
            isNew: isNew, title: form?["title"] ?? finding?.content.title ?? "", manifestation: form?["manifestation"] ?? finding?.content.manifestation ?? "",
            basis: form?["basis"] ?? finding?.content.basis ?? "", evidence: form?["evidence"] ?? finding?.content.evidence ?? "",
            responsibility: form?["responsibility"] ?? finding?.content.responsibility ?? "",
            isCommon: form.map { $0["is_common"] == "yes" } ?? finding?.content.isCommon ?? false, schemes: schemes,
            version: form?["version"].flatMap(Int.init) ?? finding?.version ?? 0, error: error?.message, tagsError: error?.field == "tags",
            cancelHref: finding.map { "/findings/\($0.id.text)" } ?? "/assignments/\(standing.assignment.id.text)/records")
        return pages.render("finding_form", model, refused: error)
    }

    /// A scheme's entries in tree order (each parent followed by its children) with their depth.
    static func tree(_ scheme: ClassificationScheme) -> [(ClassificationEntry, Int)] {
        let codes = Set(scheme.entries.map(\.code))
        var children: [String: [ClassificationEntry]] = [:]
        var roots: [ClassificationEntry] = []
        for entry in scheme.entries {
            if let parent = entry.parent, codes.contains(parent) { children[parent, default: []].append(entry) } else { roots.append(entry) }
        }
        var result: [(ClassificationEntry, Int)] = []
        var seen = Set<String>()
        func visit(_ entry: ClassificationEntry, _ depth: Int) {
            guard seen.insert(entry.code).inserted else { return }
            result.append((entry, depth))
            for child in children[entry.code] ?? [] { visit(child, depth + 1) }
        }
        for root in roots { visit(root, 0) }
        return result
    }

    /// A tag as a checkbox value: `scheme:version:entry`. Scheme codes and versions hold no colon,
    /// so everything after the second one is the entry code.
    static func tagValue(_ tag: ClassificationTag) -> String { "\(tag.scheme):\(tag.version):\(tag.entry)" }

    static func tags(_ form: FormInput) throws -> [ClassificationTag] {
        try form.all("tags").map { value in
            let parts = value.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let version = Int(parts[1]) else {
                throw DomainError.invalid("unknown_classification", "问题分类“\(value)”不存在", english: "malformed classification tag", field: "tags")
            }
            return ClassificationTag(scheme: String(parts[0]), version: version, entry: String(parts[2]))
        }
    }

    static func content(_ form: FormInput) throws -> FindingContent {
        try FindingContent.validate(
            title: form["title"], manifestation: form["manifestation"], basis: form["basis"], evidence: form["evidence"], responsibility: form["responsibility"],
            isCommon: form["is_common"] == "yes")
    }

    func draftFinding(_ request: Request, context: AppRequestContext) async throws -> Response {
        let assignmentID = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let finding = try await store.draftFinding(in: assignmentID, content: try Self.content(form), tags: try Self.tags(form), origin: try context.origin())
            return PageRenderer.redirect("/findings/\(finding.id.text)", notice: .findingDrafted, about: NoticeSaid.object(FindingLifecycle.self, finding))
        } reshow: { form, error in
            try await newFindingPage(context: context, form: form, error: error)
        }
    }

    func editFinding(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            let saved = try await store.editFinding(id, content: try Self.content(form), tags: try Self.tags(form), version: version, origin: try context.origin())
            return PageRenderer.redirect("/findings/\(id.text)", notice: .saved, about: NoticeSaid.object(FindingLifecycle.self, saved))
        } reshow: { form, error in
            try await editFindingPage(context: context, form: form, error: error)
        }
    }

    // MARK: 单份底稿


    struct TriageForm {
        let options: [FieldworkPages.Choice]
        let note: String
        let current: String?
        /// 移交问题线索 registers a lead: who it is about and what it says, asked unless one is
        /// already registered for the paper.
        let lead: LeadFields?
    }

    struct LeadFields {
        let personName: String
        let personPost: String
        let authorities: [Option]
        let subjects: [Option]
        let content: String
    }

    struct FindingPage {
        let chrome: Chrome
        let heading: Heading
        let id: String
        let title: String
        let number: String?
        let status: String
        let statusClass: String
        let fields: [Field]
        let tags: [String]
        let common: String
        let draftedBy: String
        let createdAt: String
        let meetingOpinion: String?
        let approval: String?
        let disposition: String?
        let dispositionNote: String?
        let history: [HistoryRow]
        /// 线索封存: the paper went to a lead this reader may not read; only its number and state show.
        let sealed: Bool
        /// Why the leader sent a returned paper back, shown to whoever revises it.
        let returnedReason: String?
        let editHref: String?
        let actions: [StepForm]
        let triage: TriageForm?
        let version: Int
        let error: String?
        let evidence: EvidenceBlock
    }

    func findingPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?, uploadError: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let view = try await store.lifecycleView(FindingLifecycle.self, of: try context.parameters.uuid("id"), for: actor)
        let (finding, history) = (view.record, view.history)
        let standing = try await store.fieldworkStanding(finding.assignmentID, for: actor)
        let schemes = store.policy.allowsAnywhere(actor, .viewClassifications) ? try await store.classificationSchemes(latestOnly: false, for: actor) : []
        let c = finding.content
        var fields = finding.isSealed ? [] : [Field(label: "问题表现", value: c.manifestation), Field(label: "定性依据", value: c.basis)]
        if let evidence = c.evidence { fields.append(Field(label: "证据清单", value: evidence)) }
        if let responsibility = c.responsibility { fields.append(Field(label: "责任分析", value: responsibility)) }
        let typedStep = form?["step"]
        let forms = StepForms(action: "/findings/\(finding.id.text)/steps", version: finding.version, posted: form, error: error)
        let actions = view.available.filter { $0 != .triage }.map { step in
            forms.form(
                step, confirm: Self.confirmation(step), danger: step == .returnForRevision,
                Self.noteLabel(step).map { [.note($0, required: true, maxLength: 2000)] } ?? [])
        }
        let triage: TriageForm? = finding.status == .approved && standing.mayTriage && !finding.isSealed
            ? TriageForm(
                options: Disposition.allCases.map {
                    FieldworkPages.Choice(value: $0.rawValue, label: $0.title, checked: $0.rawValue == (form?["disposition"] ?? finding.disposition?.rawValue))
                },
                note: typedStep == nil ? form?["note"] ?? finding.dispositionNote ?? "" : finding.dispositionNote ?? "", current: finding.disposition?.title,
                lead: finding.disposition == .lead ? nil : Self.leadFields(finding, form: form))
            : nil
        let evidence = finding.isSealed
            ? EvidenceBlock.none
            : try await EvidenceBlock.make(
                store, owner: .finding(finding.id), actor: actor,
                uploadAction: finding.status.isEditable && standing.mayRecord ? "/findings/\(finding.id.text)/attachments" : nil, error: uploadError)
        let model = FindingPage(
            chrome: pages.chrome(title: c.title, active: .findings, request: request, context: context),
            heading: heading(standing, actor: actor), id: finding.id.text, title: c.title, number: finding.number, status: finding.status.title,
            statusClass: Self.statusClass(finding.status), fields: fields, tags: finding.tags.map { Self.path(of: $0, in: schemes) },
            common: c.isCommon ? "共性（普遍性、倾向性）问题" : "个性问题", draftedBy: finding.draftedBy, createdAt: Display.prose(finding.createdAt),
            meetingOpinion: finding.meetingOpinion,
            approval: finding.approvedBy.map { by in "\(by)（\(finding.approvedAt.map(Display.prose) ?? "")）" },
            disposition: finding.disposition?.title, dispositionNote: finding.dispositionNote,
            history: history.map(HistoryRow.init),
            sealed: finding.isSealed,
            returnedReason: finding.status == .returned ? history.last { $0.step == .returnForRevision }?.note : nil,
            editHref: finding.status.isEditable && standing.mayRecord ? "/findings/\(finding.id.text)/edit" : nil, actions: actions, triage: triage,
            version: finding.version, error: error?.message, evidence: evidence)
        return pages.render("finding", model, refused: error ?? uploadError)
    }

    /// The lead's fields of the triage form; the content starts as the paper's manifestation.
    static func leadFields(_ finding: Finding, form: FormInput?) -> LeadFields {
        let authority = form?["lead_authority"] ?? ""
        let subject = form?["lead_subject"] ?? ""
        return LeadFields(
            personName: form?["lead_person_name"] ?? "", personPost: form?["lead_person_post"] ?? "",
            authorities: CadreAuthority.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == authority) },
            subjects: LeadSubject.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == subject) },
            content: form?["lead_content"] ?? finding.content.manifestation)
    }

    /// The lead the triage form describes, when 移交问题线索 is chosen and a person is named;
    /// otherwise nil, and the store asks for the details if it needs them.
    static func leadDetails(_ form: FormInput) throws -> LeadDetails? {
        guard let name = form["lead_person_name"], !name.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let authority = form["lead_authority"].flatMap(CadreAuthority.init(code:)) else {
            throw DomainError.required("lead_authority", label: "干部管理权限")
        }
        guard let subject = form["lead_subject"].flatMap(LeadSubject.init(code:)) else { throw DomainError.required("lead_subject", label: "问题性质") }
        return LeadDetails(
            source: .finding, personName: name, personPost: form["lead_person_post"], authority: authority, subject: subject, content: form["lead_content"] ?? "",
            evidence: nil)
    }

    /// What the note of a step is called; submitting takes none.
    static func noteLabel(_ step: FindingStep) -> String? {
        switch step {
        case .submit: nil
        case .returnForRevision: "退回理由"
        case .approve: "组务会意见"
        case .triage: "处置说明"
        }
    }

    static func confirmation(_ step: FindingStep) -> String {
        switch step {
        case .submit: "提交后底稿送组务会审议，审议期间不能修改。确定提交？"
        case .returnForRevision: "确定将底稿退回起草人修改？"
        case .approve: "审定后底稿即编号，内容不能再修改。确定审定？"
        case .triage: "确定处置方式？"
        }
    }

    /// A tag as people read it: "四风 › 享乐主义、奢靡之风 › 违规吃喝", with the version when it is not the first.
    static func path(of tag: ClassificationTag, in schemes: [ClassificationScheme]) -> String {
        guard let scheme = schemes.first(where: { $0.code == tag.scheme && $0.version == tag.version }) else { return "\(tag.scheme) › \(tag.entry)" }
        return scheme.path(of: tag.entry) + (tag.version > 1 ? "（第\(tag.version)版）" : "")
    }

    func takeStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            FindingStep.self, request, context: context, store: store,
            input: { form, step in
                // Triage has its own form (`/findings/{id}/triage`), which carries the disposition.
                guard step != .triage else { throw DomainError.required("step", label: "办理事项") }
                return FindingStepInput(note: form["note"])
            },
            done: { id, step in
                let notice: Notice = switch step {
                case .submit: .findingSubmitted
                case .returnForRevision: .findingReturned
                case .approve: .findingApproved
                case .triage: .findingTriaged
                }
                return PageRenderer.redirect("/findings/\(id.text)", notice: notice)
            },
            reshow: { form, error in try await findingPage(request, context: context, form: form, error: error, uploadError: nil) })
    }

    func triage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            guard let disposition = form["disposition"].flatMap(Disposition.init(code:)) else { throw DomainError.required("disposition", label: "处置方式") }
            let version = try form.version()
            let lead = disposition == .lead ? try Self.leadDetails(form) : nil
            _ = try await store.triage(
                id, as: disposition, note: form["note"], lead: lead, version: version, origin: try context.origin(), dated: try form.businessDate())
            return PageRenderer.redirect("/findings/\(id.text)", notice: .findingTriaged)
        } reshow: { form, error in
            try await findingPage(request, context: context, form: form, error: error, uploadError: nil)
        }
    }
}
