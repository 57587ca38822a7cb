import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 组长库、人才库 pages: the list with search and filters, a new entry, an entry with its
/// declared conflicts, and the roster import.
extension PlanningPages {
    // MARK: List

    struct InspectorRow {
        let id: String
        let name: String
        let homeUnit: String
        let post: String
        let category: String
        let rank: String
        let pools: [String]
        let skills: String
        let available: Bool
    }

    struct InspectorsPage {
        let chrome: Chrome
        let canManage: Bool
        let rows: [InspectorRow]
        let q: String
        let categories: [Option]
        let poolChoices: [Option]
        let availableOnly: Bool
        let filtered: Bool
        let nextHref: String?
        let firstHref: String?
    }

    func inspectorsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let list = try ListAddress("/inspectors", request)
        let query = try PlanningController.inspectorQuery(list.parameters)
        let page = try await store.inspectors(query, for: actor)
        let model = InspectorsPage(
            chrome: pages.chrome(title: "组长库·人才库", active: .inspectors, request: request, context: context),
            canManage: store.policy.allowsAnywhere(actor, .managePools),
            rows: page.items.map {
                InspectorRow(
                    id: $0.id.text, name: $0.name, homeUnit: $0.homeUnitName, post: $0.post ?? "—", category: $0.category.title, rank: $0.rank?.title ?? "—",
                    pools: Self.pools($0), skills: $0.skills.isEmpty ? "—" : $0.skills.joined(separator: "、"), available: $0.available)
            },
            q: query.search ?? "",
            categories: DepartmentCategory.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == query.category) },
            poolChoices: [Option(value: "leaders", label: "组长库", selected: query.pool == .leaders), Option(value: "talent", label: "人才库", selected: query.pool == .talent)],
            availableOnly: query.availableOnly, filtered: query.search != nil || query.category != nil || query.pool != nil || query.availableOnly,
            nextHref: list.next(page.nextCursor), firstHref: list.first)
        return pages.render("inspectors", model)
    }

    static func pools(_ inspector: Inspector) -> [String] {
        (inspector.inLeaderPool ? ["组长库"] : []) + (inspector.inTalentPool ? ["人才库"] : [])
    }

    // MARK: New and changed entries

    /// What the office may change only on an existing entry.
    struct EntryRecords {
        let version: Int
        let training: String
        let evaluation: String
        let accountUsername: String
    }

    struct InspectorFormPage {
        let chrome: Chrome
        let action: String
        let cancelHref: String
        let isNew: Bool
        let name: String
        let homeUnits: [Option]
        let homeUnitName: String
        let post: String
        let categories: [Option]
        let ranks: [Option]
        let inLeaderPool: Bool
        let inTalentPool: Bool
        let skills: String
        let available: Bool
        let workHistory: String
        let relations: String
        let records: EntryRecords?
        let formError: String?
    }

    /// The form for a new entry (`inspector` nil) or a change; after a refusal it shows what was typed.
    func inspectorForm(context: AppRequestContext, inspector: Inspector? = nil, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .managePools)
        let units = try await unitRegister(of: try inspector?.jurisdictionID ?? context.ownJurisdiction(), for: actor)
        let unit = form?["home_unit_id"] ?? inspector?.homeUnitID?.text ?? ""
        let category = form?["category"] ?? inspector?.category.rawValue ?? ""
        let rank = form?["rank"] ?? inspector?.rank?.rawValue ?? ""
        var records: EntryRecords?
        if let inspector {
            let account = try await store.linkedAccountName(of: inspector, for: actor)
            records = EntryRecords(
                version: form?["version"].flatMap(Int.init) ?? inspector.version, training: form?["training"] ?? inspector.training ?? "",
                evaluation: form?["evaluation"] ?? inspector.evaluation ?? "", accountUsername: form?["account_username"] ?? account ?? "")
        }
        func checked(_ name: String, _ current: Bool) -> Bool { form.map { $0[name] != nil } ?? current }
        let model = InspectorFormPage(
            chrome: Chrome.make(title: inspector == nil ? "新增巡察干部" : "修改\(inspector!.name)的信息", active: .inspectors, context: context, policy: store.policy),
            action: inspector.map { "/inspectors/\($0.id.text)" } ?? "/inspectors", cancelHref: inspector.map { "/inspectors/\($0.id.text)" } ?? "/inspectors",
            isNew: inspector == nil, name: form?["name"] ?? inspector?.name ?? "",
            homeUnits: [Option(value: "", label: "（不在被巡察单位名录中）", selected: unit.isEmpty)]
                + units.map { Option(value: $0.id.text, label: $0.name, selected: $0.id.text == unit) },
            homeUnitName: form?["home_unit_name"] ?? inspector?.homeUnitName ?? "", post: form?["post"] ?? inspector?.post ?? "",
            categories: DepartmentCategory.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == category) },
            ranks: LeaderRank.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == rank) },
            inLeaderPool: checked("in_leader_pool", inspector?.inLeaderPool ?? false), inTalentPool: checked("in_talent_pool", inspector?.inTalentPool ?? true),
            skills: form?["skills"] ?? inspector?.skills.joined(separator: "、") ?? "", available: checked("available", inspector?.available ?? true),
            workHistory: form?["work_history"] ?? inspector.map { Self.lines(of: $0.workHistory) } ?? "",
            relations: form?["relations"] ?? inspector.map { Self.lines(of: $0.relations) } ?? "", records: records, formError: error?.message)
        return pages.render("inspector_form", model, refused: error)
    }

    func editInspector(_ request: Request, context: AppRequestContext) async throws -> Response {
        let inspector = try await store.inspector(try context.parameters.uuid("id"), origin: try context.origin())
        return try await inspectorForm(context: context, inspector: inspector, form: nil, error: nil)
    }

    func createInspector(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        return try await PageForm.submit(request, context: context) { form in
            let inspector = try await store.createInspector(try await draft(form, actor: origin.actor), in: try context.ownJurisdiction(), origin: origin)
            return PageRenderer.redirect("/inspectors/\(inspector.id.text)", notice: .created, about: "巡察干部 \(inspector.name)")
        } reshow: { form, error in
            try await inspectorForm(context: context, form: form, error: error)
        }
    }

    func updateInspector(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let version = try form.version()
            let saved = try await store.updateInspector(
                id, try await draft(form, actor: origin.actor),
                records: InspectorRecords(training: form["training"], evaluation: form["evaluation"], accountUsername: form["account_username"]),
                version: version, origin: origin)
            return PageRenderer.redirect("/inspectors/\(id.text)", notice: .saved, about: "巡察干部 \(saved.name)")
        } reshow: { form, error in
            try await inspectorForm(context: context, inspector: try await store.inspector(id, origin: origin), form: form, error: error)
        }
    }

    /// The entry a submitted form describes. A home unit chosen from the register names the
    /// unit when the name field is left blank.
    func draft(_ form: FormInput, actor: Actor) async throws -> InspectorDraft {
        var homeUnitID: UUID?
        var homeUnitName = form["home_unit_name"] ?? ""
        if let text = form["home_unit_id"], !text.isEmpty {
            let unit = try await store.unit(try PlanningController.id(text, field: "home_unit_id", label: "工作单位"), for: actor)
            homeUnitID = unit.id
            if homeUnitName.trimmingCharacters(in: .whitespaces).isEmpty { homeUnitName = unit.name }
        }
        guard let categoryText = form["category"], let category = DepartmentCategory(code: categoryText) else {
            throw DomainError.invalid("unknown_category", "请选择部门类别", english: "unknown category", field: "category")
        }
        var rank: LeaderRank?
        if let text = form["rank"], !text.isEmpty {
            guard let parsed = LeaderRank(code: text) else { throw DomainError.invalid("unknown_rank", "未知的职级“\(text)”", english: "unknown rank", field: "rank") }
            rank = parsed
        }
        return InspectorDraft(
            name: form["name"] ?? "", homeUnitID: homeUnitID, homeUnitName: homeUnitName, post: form["post"], category: category, rank: rank,
            inLeaderPool: form["in_leader_pool"] != nil, inTalentPool: form["in_talent_pool"] != nil,
            skills: (form["skills"] ?? "").split(whereSeparator: { "、,，;；".contains($0) }).map(String.init), available: form["available"] != nil,
            workHistory: try Self.workHistory(form["work_history"] ?? ""), relations: try Self.relations(form["relations"] ?? ""))
    }

    /// Work history as the form's textarea shows it, one stint per line.
    static func lines(of history: [WorkRecord]) -> String {
        history.map { "\($0.unitName)，\($0.fromYear)，\($0.toYear.map(String.init) ?? "至今")" }.joined(separator: "\n")
    }

    /// Relatives as the form's textarea shows them, one per line.
    static func lines(of relations: [FamilyRelation]) -> String {
        relations.map { "\($0.unitName)，\($0.relation)，\($0.personName)" }.joined(separator: "\n")
    }

    /// One line per stint: 单位名称，起始年份，截止年份（或“至今”，可不填）.
    static func workHistory(_ text: String) throws(DomainError) -> [WorkRecord] {
        var records: [WorkRecord] = []
        for (index, line) in lines(text).enumerated() {
            let fields = split(line)
            let bad = DomainError.invalid(
                "invalid_work_history", "工作经历第\(index + 1)行“\(line)”应为“单位名称，起始年份，截止年份（在职写“至今”）”", english: "work history line \(index + 1) malformed",
                field: "work_history")
            guard (2...3).contains(fields.count), let from = Int(fields[1]) else { throw bad }
            var to: Int?
            if fields.count == 3, !["", "至今", "今"].contains(fields[2]) {
                guard let year = Int(fields[2]) else { throw bad }
                to = year
            }
            records.append(WorkRecord(unitID: nil, unitName: fields[0], fromYear: from, toYear: to))
        }
        return records
    }

    /// One line per relative in a unit's leadership: 单位名称，关系，姓名.
    static func relations(_ text: String) throws(DomainError) -> [FamilyRelation] {
        var relations: [FamilyRelation] = []
        for (index, line) in lines(text).enumerated() {
            let fields = split(line)
            guard fields.count == 3 else {
                throw DomainError.invalid(
                    "invalid_relation", "亲属关系第\(index + 1)行“\(line)”应为“单位名称，关系，姓名”", english: "relation line \(index + 1) malformed", field: "relations")
            }
            relations.append(FamilyRelation(unitID: nil, unitName: fields[0], relation: fields[1], personName: fields[2]))
        }
        return relations
    }

    private static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func split(_ line: String) -> [String] {
        line.split(omittingEmptySubsequences: false, whereSeparator: { ",，、\t".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    // MARK: An entry

    struct StintRow {
        let unit: String
        let years: String
    }

    struct RelationRow {
        let unit: String
        let relation: String
        let person: String
    }

    struct DeclaredRow {
        let unit: String
        let kind: String
        let reason: String
        let declaredBy: String
        let at: String
    }

    struct ConflictForm {
        let units: [Option]
        let kinds: [Option]
        let reason: String
        let conflictError: String?
    }

    struct InspectorPage {
        let chrome: Chrome
        let id: String
        let name: String
        let homeUnit: String
        let homeUnitHref: String?
        let post: String
        let category: String
        let rank: String
        let pools: [String]
        let skills: String
        let available: Bool
        let training: String
        let evaluation: String
        let stints: [StintRow]
        let relations: [RelationRow]
        let declared: [DeclaredRow]
        let conflictForm: ConflictForm?
        let canManage: Bool
        let accountLinked: Bool
        let createdAt: String
        let updatedAt: String
        let version: Int
        /// 补录: the import that wrote the entry, for those who manage the pools.
        var backfill: String? = nil
    }

    func inspectorPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let origin = try context.origin()
        let actor = origin.actor
        let inspector = try await store.inspector(try context.parameters.uuid("id"), origin: origin)
        let declared = try await store.declaredConflicts(of: inspector.id, for: actor)
        let canManage = try await location(of: inspector.jurisdictionID, for: actor).map { store.policy.allows(actor, .managePools, at: $0) } ?? false
        var conflictForm: ConflictForm?
        if canManage {
            let unit = form?["unit_id"] ?? ""
            let kind = form?["kind"] ?? ConflictKind.declared.rawValue
            conflictForm = ConflictForm(
                units: try await unitRegister(of: inspector.jurisdictionID, for: actor).map { Option(value: $0.id.text, label: $0.name, selected: $0.id.text == unit) },
                kinds: [ConflictKind.declared, .unitRequest].map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == kind) },
                reason: form?["reason"] ?? "", conflictError: error?.message)
        }
        let model = InspectorPage(
            chrome: Chrome.make(title: inspector.name, active: .inspectors, context: context, policy: store.policy, notice: error == nil ? Chrome.notice(request) : nil),
            id: inspector.id.text, name: inspector.name, homeUnit: inspector.homeUnitName, homeUnitHref: inspector.homeUnitID.map { "/units/\($0.text)" },
            post: inspector.post ?? "—", category: inspector.category.title, rank: inspector.rank?.title ?? "—", pools: Self.pools(inspector),
            skills: inspector.skills.isEmpty ? "—" : inspector.skills.joined(separator: "、"), available: inspector.available,
            training: inspector.training ?? "—", evaluation: inspector.evaluation ?? "—",
            stints: inspector.workHistory.map { StintRow(unit: $0.unitName, years: "\($0.fromYear)年至\($0.toYear.map { "\($0)年" } ?? "今")") },
            relations: inspector.relations.map { RelationRow(unit: $0.unitName, relation: $0.relation, person: $0.personName) },
            declared: declared.map { DeclaredRow(unit: $0.unitName, kind: $0.kind.title, reason: $0.reason, declaredBy: $0.declaredBy, at: Display.time($0.at)) },
            conflictForm: conflictForm, canManage: canManage, accountLinked: inspector.accountID != nil, createdAt: Display.prose(inspector.createdAt), updatedAt: Display.prose(inspector.updatedAt), version: inspector.version,
            backfill: canManage ? try await store.importMark(of: inspector.id, kind: .poolRoster, for: actor)?.text : nil)
        return pages.render("inspector", model, refused: error)
    }

    func declareConflict(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            guard let text = form["kind"], let kind = ConflictKind(rawValue: text) else {
                throw DomainError.invalid("invalid_kind", "请选择回避类型", english: "unknown kind", field: "kind")
            }
            try await store.declareConflict(
                inspector: id, unit: try PlanningController.id(form["unit_id"], field: "unit_id", label: "单位"), kind: kind, reason: form["reason"], origin: origin)
            return Self.redirect("/inspectors/\(id.text)", notice: .conflictRecorded, anchor: "conflicts")
        } reshow: { form, error in
            try await inspectorPage(request, context: context, form: form, error: error)
        }
    }

    // MARK: Import

    struct ImportColumn {
        let title: String
        let required: Bool
    }

    struct ImportPage {
        let chrome: Chrome
        let columns: [ImportColumn]
        let categories: String
        let ranks: String
        let maxKB: Int
        let problems: [String]
        let importError: String?
    }

    func importPage(context: AppRequestContext, error: DomainError?) throws -> Response {
        try store.policy.requireAnywhere(try context.requireActor(), .managePools)
        // A rejected file lists one problem per line after a heading line.
        var lines = error?.message.split(separator: "\n").map(String.init) ?? []
        let heading = lines.isEmpty ? nil : lines.removeFirst()
        let model = ImportPage(
            chrome: Chrome.make(title: "导入巡察干部名册", active: .inspectors, context: context, policy: store.policy),
            columns: InspectorImportPlan.columns.map { ImportColumn(title: $0.title, required: $0.required) },
            categories: DepartmentCategory.allCases.map(\.title).joined(separator: "、"), ranks: LeaderRank.allCases.map(\.title).joined(separator: "、"),
            maxKB: settings.maxImportBytes / 1024, problems: lines, importError: heading)
        return pages.render("inspector_import", model, refused: error)
    }

    func importInspectors(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Room for the form's other fields around the file itself.
        let form = try await MultipartForm.parse(request, context: context, limit: settings.maxImportBytes + 16 * 1024)
        let origin = try context.origin()
        do {
            guard let file = form.file("file") else { throw DomainError.required("file", label: "名册文件") }
            let jurisdiction = try context.ownJurisdiction()
            let drafts = try InspectorImportPlan.plan(try CSVTable.parse(file.data), currentYear: CalendarDay(store.clock.now()).year)
            _ = try await store.importInspectors(drafts, into: jurisdiction, origin: origin, fileName: file.filename ?? "")
            return PageRenderer.redirect("/inspectors", notice: .imported)
        } catch let error as DomainError where error.isShownOnForm {
            return try importPage(context: context, error: error)
        }
    }
}
