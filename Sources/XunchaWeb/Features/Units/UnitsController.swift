import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// A unit as the API returns it.
struct UnitDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, jurisdictionId = "jurisdiction_id", name, type, typeTitle = "type_title", partyOrganisation = "party_organisation", partyOrganisationTitle = "party_organisation_title", parentUnitId = "parent_unit_id", headName = "head_name", createdAt = "created_at", updatedAt = "updated_at", version
    }

    let id: String
    let jurisdictionId: String
    let name: String
    let type: String
    let typeTitle: String
    let partyOrganisation: String
    let partyOrganisationTitle: String
    let parentUnitId: String?
    let headName: String?
    let createdAt: String
    let updatedAt: String
    let version: Int

    init(_ unit: InspectedUnit) {
        id = unit.id.text
        jurisdictionId = unit.jurisdictionID.text
        name = unit.name
        type = unit.type.rawValue
        typeTitle = unit.type.title
        partyOrganisation = unit.partyOrganisation.rawValue
        partyOrganisationTitle = unit.partyOrganisation.title
        parentUnitId = unit.parentUnitID?.text
        headName = unit.headName
        createdAt = JSONBody.timestamp(unit.createdAt)
        updatedAt = JSONBody.timestamp(unit.updatedAt)
        version = unit.version
    }
}

struct PageDTO<Item: Encodable>: Encodable {
    enum CodingKeys: String, CodingKey {
        case items, nextCursor = "next_cursor"
    }

    let items: [Item]
    let nextCursor: String?
}

extension PageDTO {
    /// A page of records as the API lists them, each as `item` shows it.
    init<Record>(_ page: Page<Record>, _ item: (Record) throws -> Item) rethrows {
        self.init(items: try page.items.map(item), nextCursor: page.nextCursor)
    }
}

/// 被巡察单位: the register, through the API and the pages.
struct UnitsController {
    let store: Store
    let pages: PageRenderer
    let settings: WebSettings

    struct UnitInput: Decodable {
        var jurisdictionId: String?
        var name: String?
        var type: String?
        var partyOrganisation: String?
        var parentUnitId: String?
        var headName: String?
        var version: Int?

        func draft() throws -> UnitDraft {
            try UnitDraft.validate(name: name, type: type, partyOrganisation: partyOrganisation, parentUnitID: parentUnitId, headName: headName)
        }
    }

    struct ImportResult: Encodable {
        let imported: Int
        let items: [UnitDTO]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/units") { request, context -> Response in
            let query = try UnitQuery.validate(request.queryDictionary)
            if let file = try await LedgerExport.requested(request.queryDictionary, store: store, {
                try await LedgerTable.units(store, query, for: try context.requireActor())
            }) {
                return file
            }
            let page = try await store.units(query, for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, UnitDTO.init))
        }
        router.post("/api/v1/units") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(UnitInput.self, from: request, limit: settings.maxBodyBytes)
            let jurisdiction = try jurisdictionID(input.jurisdictionId, actor: origin.actor)
            let unit = try await store.createUnit(try input.draft(), in: jurisdiction, origin: origin)
            return try JSONBody.response(UnitDTO(unit), status: .created)
        }
        router.get("/api/v1/units/{id}") { _, context -> Response in
            let unit = try await store.unit(try context.parameters.uuid("id"), for: try context.requireActor())
            return try JSONBody.response(UnitDTO(unit))
        }
        router.put("/api/v1/units/{id}") { request, context -> Response in
            let origin = try context.origin()
            let id = try context.parameters.uuid("id")
            let input = try await JSONBody.decode(UnitInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let unit = try await store.updateUnit(id, try input.draft(), version: version, origin: origin)
            return try JSONBody.response(UnitDTO(unit))
        }
        router.post("/api/v1/units/import") { request, context -> Response in
            let origin = try context.origin()
            let jurisdiction = try jurisdictionID(request.uri.queryParameters["jurisdiction_id"].map(String.init), actor: origin.actor)
            let data = try await JSONBody.csv(request, limit: settings.maxImportBytes)
            let plan = try UnitImportPlan.plan(try CSVTable.parse(data))
            let units = try await store.importUnits(plan, into: jurisdiction, origin: origin)
            return try JSONBody.response(ImportResult(imported: units.count, items: units.map(UnitDTO.init)), status: .created)
        }

        router.get("/units") { request, context in try await listPage(request, context: context) }
        router.get("/units/new") { request, context in try await formPage(context: context, unit: nil, form: nil, error: nil) }
        router.post("/units") { request, context in try await create(request, context: context) }
        router.get("/units/{id}") { request, context in try await detailPage(request, context: context) }
        router.get("/units/{id}/edit") { request, context -> Response in
            let unit = try await store.unit(try context.parameters.uuid("id"), for: try context.requireActor())
            return try await formPage(context: context, unit: unit, form: nil, error: nil)
        }
        router.post("/units/{id}") { request, context in try await update(request, context: context) }
    }

    /// The caller's own jurisdiction unless another (inside their scope) is named.
    func jurisdictionID(_ text: String?, actor: Actor) throws -> UUID {
        if let text, !text.isEmpty {
            guard let id = UUID(uuidString: text) else {
                throw DomainError.invalid("invalid_id", "党委编号格式不正确", english: "jurisdiction_id is not a UUID", field: "jurisdiction_id")
            }
            return id
        }
        guard let own = actor.jurisdictionID else { throw DomainError.required("jurisdiction_id", label: "所属党委") }
        return own
    }

    // MARK: Pages

    struct Row {
        let id: String
        let name: String
        let type: String
        let partyOrganisation: String
        let jurisdiction: String
        let headName: String
        let createdAt: String
    }

    struct ListPage {
        let chrome: Chrome
        let canManage: Bool
        let rows: [Row]
        let q: String
        let types: [Option]
        let kinds: [Option]
        let sortName: SortHeader
        let sortCreated: SortHeader
        let nextHref: String?
        let firstHref: String?
        let filtered: Bool
        let count: Int
        let exports: ExportLinks
    }

    func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        var parameters = request.queryDictionary
        parameters["notice"] = nil
        let query = try UnitQuery.validate(parameters)
        if let file = try await LedgerExport.requested(parameters, store: store, { try await LedgerTable.units(store, query, for: actor) }) { return file }
        let page = try await store.units(query, for: actor)
        let names = try await store.jurisdictions(Set(page.items.map(\.jurisdictionID)), for: actor)
        let rows = page.items.map {
            Row(
                id: $0.id.text, name: $0.name, type: $0.type.title, partyOrganisation: $0.partyOrganisation.title,
                jurisdiction: names[$0.jurisdictionID]?.name ?? "", headName: $0.headName ?? "—", createdAt: Display.time($0.createdAt))
        }
        func link(_ changes: [String: String?]) -> String {
            ListLink.make("/units", parameters, changes.merging(["cursor": nil]) { new, _ in new })
        }
        let address = try ListAddress("/units", parameters: parameters)
        func sortLink(_ sort: UnitQuery.Sort, label: String) -> SortHeader {
            address.sortHeader(sort.rawValue, label, current: (query.sort.rawValue, query.order))
        }
        let next = page.nextCursor.map { ListLink.make("/units", parameters, ["cursor": $0]) }
        let model = ListPage(
            chrome: pages.chrome(title: "被巡察单位", active: .units, request: request, context: context),
            canManage: store.policy.allowsAnywhere(actor, .manageUnits), rows: rows, q: query.search ?? "",
            types: UnitType.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == query.type) },
            kinds: PartyOrganisationKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == query.partyOrganisation) },
            sortName: sortLink(.name, label: "单位名称"), sortCreated: sortLink(.created, label: "录入时间"),
            nextHref: next, firstHref: query.page.after == nil ? nil : link([:]),
            filtered: query.search != nil || query.type != nil || query.partyOrganisation != nil, count: rows.count, exports: ExportLinks("/units", parameters))
        return pages.render("units", model)
    }

    struct DetailPage {
        let chrome: Chrome
        let id: String
        let name: String
        let type: String
        let partyOrganisation: String
        let jurisdiction: String
        let parentName: String?
        let parentHref: String?
        let headName: String
        let createdAt: String
        let updatedAt: String
        let version: Int
        let canManage: Bool
    }

    func detailPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let unit = try await store.unit(try context.parameters.uuid("id"), for: actor)
        let parentNames = try await store.unitNames(Set([unit.parentUnitID].compactMap { $0 }), for: actor)
        let jurisdiction = try await store.jurisdictions([unit.jurisdictionID], for: actor)[unit.jurisdictionID]
        let model = DetailPage(
            chrome: pages.chrome(title: unit.name, active: .units, request: request, context: context),
            id: unit.id.text, name: unit.name, type: unit.type.title, partyOrganisation: unit.partyOrganisation.title,
            jurisdiction: jurisdiction?.name ?? "", parentName: unit.parentUnitID.flatMap { parentNames[$0] },
            parentHref: unit.parentUnitID.map { "/units/\($0.text)" }, headName: unit.headName ?? "—",
            createdAt: Display.prose(unit.createdAt), updatedAt: Display.prose(unit.updatedAt), version: unit.version,
            canManage: jurisdiction.map { store.policy.allows(actor, .manageUnits, at: $0.location) } ?? false)
        return pages.render("unit", model)
    }

    struct FormPage {
        let chrome: Chrome
        let action: String
        let isNew: Bool
        let name: String
        let headName: String
        let version: Int
        let types: [Option]
        let kinds: [Option]
        let parents: [Option]
        let error: String?
        let errorField: String?
        let cancelHref: String
    }

    func formPage(context: AppRequestContext, unit: InspectedUnit?, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .manageUnits)
        let type = form?["type"] ?? unit?.type.rawValue ?? ""
        let kind = form?["party_organisation"] ?? unit?.partyOrganisation.rawValue ?? ""
        let parent = form?["parent_unit_id"] ?? unit?.parentUnitID?.text ?? ""
        let candidates = try await store.units(UnitQuery(jurisdictionID: unit?.jurisdictionID ?? actor.jurisdictionID, page: .init(limit: 100)), for: actor)
        var parents = [Option(value: "", label: "（无）", selected: parent.isEmpty)]
        var choices = candidates.items.filter { $0.id != unit?.id }
        // The current parent is always offered, or saving the form would silently drop it.
        if let current = UUID(uuidString: parent), !choices.contains(where: { $0.id == current }),
            let found = try? await store.unit(current, for: actor)
        {
            choices.insert(found, at: 0)
        }
        parents += choices.map { Option(value: $0.id.text, label: $0.name, selected: $0.id.text == parent) }
        let model = FormPage(
            chrome: Chrome.make(title: unit == nil ? "新建被巡察单位" : "修改单位信息", active: .units, context: context, policy: store.policy),
            action: unit.map { "/units/\($0.id.text)" } ?? "/units", isNew: unit == nil, name: form?["name"] ?? unit?.name ?? "",
            headName: form?["head_name"] ?? unit?.headName ?? "",
            // After a refused save keep the version the editor had, so a second save cannot
            // overwrite what someone else changed in between.
            version: form?["version"].flatMap(Int.init) ?? unit?.version ?? 0,
            types: UnitType.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == type) },
            kinds: PartyOrganisationKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == kind) },
            parents: parents, error: error?.message, errorField: error?.field, cancelHref: unit.map { "/units/\($0.id.text)" } ?? "/units")
        return pages.render("unit_form", model, refused: error)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        return try await PageForm.submit(request, context: context) { form in
            let draft = try UnitDraft.validate(
                name: form["name"], type: form["type"], partyOrganisation: form["party_organisation"], parentUnitID: form["parent_unit_id"],
                headName: form["head_name"])
            let unit = try await store.createUnit(draft, in: try jurisdictionID(nil, actor: origin.actor), origin: origin)
            return PageRenderer.redirect("/units/\(unit.id.text)", notice: .created, about: "被巡察单位 \(unit.name)")
        } reshow: { form, error in
            try await formPage(context: context, unit: nil, form: form, error: error)
        }
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let draft = try UnitDraft.validate(
                name: form["name"], type: form["type"], partyOrganisation: form["party_organisation"], parentUnitID: form["parent_unit_id"],
                headName: form["head_name"])
            let version = try form.version()
            _ = try await store.updateUnit(id, draft, version: version, origin: origin)
            return PageRenderer.redirect("/units/\(id.text)", notice: .saved, about: "被巡察单位 \(draft.name)")
        } reshow: { form, error in
            let unit = try await store.unit(id, for: origin.actor)
            return try await formPage(context: context, unit: unit, form: form, error: error)
        }
    }
}

extension Parameters {
    /// A path id; a malformed one is simply not found.
    func uuid(_ name: String) throws -> UUID {
        guard let text = self.get(name), let id = UUID(uuidString: text) else { throw DomainError.notFound }
        return id
    }
}
