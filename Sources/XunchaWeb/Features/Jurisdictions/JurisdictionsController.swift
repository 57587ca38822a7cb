import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// A jurisdiction as the API returns it.
struct JurisdictionDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, parentId = "parent_id", name, level, levelTitle = "level_title", createdAt = "created_at", updatedAt = "updated_at", version
    }

    let id: String
    let parentId: String?
    let name: String
    let level: String
    let levelTitle: String
    let createdAt: String
    let updatedAt: String
    let version: Int

    init(_ j: Jurisdiction) {
        id = j.id.text
        parentId = j.parentID?.text
        name = j.name
        level = j.level.rawValue
        levelTitle = j.level.title
        createdAt = JSONBody.timestamp(j.createdAt)
        updatedAt = JSONBody.timestamp(j.updatedAt)
        version = j.version
    }
}

/// 党委（辖区）: the committee tree, through the API and the pages.
struct JurisdictionsController {
    let store: Store
    let pages: PageRenderer
    let settings: WebSettings

    struct JurisdictionInput: Decodable {
        var name: String?
        var level: String?
        var parentId: String?
        var version: Int?
    }

    struct ListDTO: Encodable {
        let items: [JurisdictionDTO]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/jurisdictions") { request, context -> Response in
            // Who asks before what they ask: a stranger is told to sign in, not how to phrase the query.
            let actor = try context.requireActor()
            let search = try TextRules.optionalLine(request.queryDictionary["q"], field: "q", label: "搜索词", maxLength: 60)
            let items = try await store.jurisdictions(for: actor, search: search)
            return try JSONBody.response(ListDTO(items: items.map(JurisdictionDTO.init)))
        }
        router.post("/api/v1/jurisdictions") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(JurisdictionInput.self, from: request, limit: settings.maxBodyBytes)
            let draft = try JurisdictionDraft.validate(name: input.name, level: input.level)
            let created = try await store.createJurisdiction(draft, parentID: try parentID(input.parentId), origin: origin)
            return try JSONBody.response(JurisdictionDTO(created), status: .created)
        }
        router.get("/api/v1/jurisdictions/{id}") { _, context -> Response in
            let found = try await store.jurisdiction(try context.parameters.uuid("id"), for: try context.requireActor())
            return try JSONBody.response(JurisdictionDTO(found))
        }
        router.put("/api/v1/jurisdictions/{id}") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(JurisdictionInput.self, from: request, limit: settings.maxBodyBytes)
            let draft = try JurisdictionDraft.validate(name: input.name, level: input.level)
            let version = try input.version.requiredVersion()
            let updated = try await store.updateJurisdiction(try context.parameters.uuid("id"), draft, version: version, origin: origin)
            return try JSONBody.response(JurisdictionDTO(updated))
        }

        router.get("/jurisdictions") { request, context in try await listPage(request, context: context) }
        router.get("/jurisdictions/new") { request, context -> Response in
            let parent = request.uri.queryParameters["parent_id"].flatMap { UUID(uuidString: String($0)) }
            return try await formPage(context: context, existing: nil, parentID: parent, form: nil, error: nil)
        }
        router.post("/jurisdictions") { request, context in try await create(request, context: context) }
        router.get("/jurisdictions/{id}") { request, context in try await detailPage(request, context: context) }
        router.get("/jurisdictions/{id}/edit") { _, context -> Response in
            let found = try await store.jurisdiction(try context.parameters.uuid("id"), for: try context.requireActor())
            return try await formPage(context: context, existing: found, parentID: found.parentID, form: nil, error: nil)
        }
        router.post("/jurisdictions/{id}") { request, context in try await update(request, context: context) }
    }

    func parentID(_ text: String?) throws -> UUID? {
        guard let text, !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text) else {
            throw DomainError.invalid("invalid_id", "上级党委编号格式不正确", english: "parent_id is not a UUID", field: "parent_id")
        }
        return id
    }

    struct Row {
        let id: String
        let name: String
        let level: String
        let depth: Int
        let indent: String
    }

    /// The tree page shows this many at most; search narrows a larger tree.
    static let listLimit = 500

    struct ListPage {
        let chrome: Chrome
        let rows: [Row]
        let canManage: Bool
        let q: String
        let truncated: Bool
    }

    func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let search = try TextRules.optionalLine(request.queryDictionary["q"], field: "q", label: "搜索词", maxLength: 60)
        let items = try await store.jurisdictions(for: actor, search: search, limit: Self.listLimit)
        let rootDepth = items.map { $0.path.split(separator: "/").count }.min() ?? 1
        let rows = items.map { j -> Row in
            let depth = j.path.split(separator: "/").count - rootDepth
            return Row(id: j.id.text, name: j.name, level: j.level.title, depth: depth, indent: String(repeating: "　　", count: depth))
        }
        let model = ListPage(
            chrome: pages.chrome(title: "党委（辖区）", active: .jurisdictions, request: request, context: context),
            rows: rows, canManage: store.policy.allowsAnywhere(actor, .manageJurisdictions), q: search ?? "",
            truncated: items.count >= Self.listLimit)
        return pages.render("jurisdictions", model)
    }

    struct DetailPage {
        let chrome: Chrome
        let id: String
        let name: String
        let level: String
        let parentName: String?
        let parentHref: String?
        let children: [Row]
        let createdAt: String
        let updatedAt: String
        let canManage: Bool
        let canViewUnits: Bool
    }

    func detailPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let found = try await store.jurisdiction(try context.parameters.uuid("id"), for: actor)
        let visible = try await store.jurisdictions(for: actor)
        let parent = visible.first { $0.id == found.parentID }
        let children = visible.filter { $0.parentID == found.id }.map { Row(id: $0.id.text, name: $0.name, level: $0.level.title, depth: 0, indent: "") }
        let model = DetailPage(
            chrome: pages.chrome(title: found.name, active: .jurisdictions, request: request, context: context),
            id: found.id.text, name: found.name, level: found.level.title, parentName: parent?.name, parentHref: parent.map { "/jurisdictions/\($0.id.text)" },
            children: children, createdAt: Display.prose(found.createdAt), updatedAt: Display.prose(found.updatedAt),
            canManage: store.policy.allows(actor, .manageJurisdictions, at: found.location),
            canViewUnits: store.policy.allows(actor, .viewUnits, at: found.location))
        return pages.render("jurisdiction", model)
    }

    struct FormPage {
        let chrome: Chrome
        let action: String
        let isNew: Bool
        let name: String
        let levels: [Option]
        let parentID: String
        let parentName: String
        let version: Int
        let error: String?
        let cancelHref: String
    }

    func formPage(context: AppRequestContext, existing: Jurisdiction?, parentID: UUID?, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .manageJurisdictions)
        let parentID = parentID ?? (existing == nil ? actor.jurisdictionID : nil)
        var parent: Jurisdiction?
        if let parentID { parent = try await store.jurisdiction(parentID, for: actor) }
        let level = form?["level"] ?? existing?.level.rawValue ?? JurisdictionLevel.county.rawValue
        let model = FormPage(
            chrome: Chrome.make(title: existing == nil ? "新建党委（辖区）" : "修改党委（辖区）", active: .jurisdictions, context: context, policy: store.policy),
            action: existing.map { "/jurisdictions/\($0.id.text)" } ?? "/jurisdictions", isNew: existing == nil,
            name: form?["name"] ?? existing?.name ?? "",
            levels: JurisdictionLevel.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == level) },
            parentID: parent?.id.text ?? "", parentName: parent?.name ?? "（无）", version: form?["version"].flatMap(Int.init) ?? existing?.version ?? 0, error: error?.message,
            cancelHref: existing.map { "/jurisdictions/\($0.id.text)" } ?? "/jurisdictions")
        return pages.render("jurisdiction_form", model, refused: error)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        return try await PageForm.submit(request, context: context) { form in
            let parent = try parentID(form["parent_id"])
            let draft = try JurisdictionDraft.validate(name: form["name"], level: form["level"])
            let created = try await store.createJurisdiction(draft, parentID: parent, origin: origin)
            return PageRenderer.redirect("/jurisdictions/\(created.id.text)", notice: .created, about: "党委（辖区） \(created.name)")
        } reshow: { form, error in
            let parent = try parentID(form["parent_id"])
            return try await formPage(context: context, existing: nil, parentID: parent, form: form, error: error)
        }
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let draft = try JurisdictionDraft.validate(name: form["name"], level: form["level"])
            let version = try form.version()
            _ = try await store.updateJurisdiction(id, draft, version: version, origin: origin)
            return PageRenderer.redirect("/jurisdictions/\(id.text)", notice: .saved, about: "党委（辖区） \(draft.name)")
        } reshow: { form, error in
            let existing = try await store.jurisdiction(id, for: origin.actor)
            return try await formPage(context: context, existing: existing, parentID: existing.parentID, form: form, error: error)
        }
    }
}
