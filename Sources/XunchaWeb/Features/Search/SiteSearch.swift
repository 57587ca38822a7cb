import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// One search box across the records a reader may see (单位, 问题底稿, 整改任务, 巡察报告, and 问题线索
/// for those allowed to read leads). Each kind is read through its own store list with its text
/// filter, so the access policy is the same SQL scope as the list's — an inspected unit finds its
/// own unit and tasks, never a paper, a lead, a petition or an interview record (records are not
/// searched at all).
struct SiteSearch {
    let store: Store
    let pages: PageRenderer

    enum Kind: String, CaseIterable {
        case units, findings, tasks, reports, leads

        var title: String {
            switch self {
            case .units: "被巡察单位"
            case .findings: "问题底稿"
            case .tasks: "整改任务"
            case .reports: "巡察报告"
            case .leads: "问题线索"
            }
        }

        var permission: Permission {
            switch self {
            case .units: .viewUnits
            case .findings: .viewFieldwork
            case .tasks: .viewRectification
            case .reports: .viewReports
            case .leads: .viewLeads
            }
        }
    }

    /// A record found: what it is called, a line saying where it belongs, and its page.
    struct Hit: Encodable {
        let id: String
        let title: String
        let detail: String
        let href: String
    }

    /// The hits of one kind, a page of them.
    struct Group {
        let kind: Kind
        let hits: Page<Hit>
    }

    /// Hits shown per kind when every kind is searched at once; one kind is paged as lists are.
    static let overviewLimit = 5

    /// What the address asks: the words, and one kind or all the reader may search.
    struct Question {
        let text: String
        let kind: Kind?
        let page: PageRequest

        init(_ parameters: [String: String]) throws(DomainError) {
            guard let text = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 100) else {
                throw DomainError.required("q", label: "搜索词")
            }
            self.text = text
            kind = try CodedValue.parse(Kind.self, parameters["kind"], field: "kind", label: "搜索范围")
            var page = try PageRequest.validate(limit: parameters["limit"], cursor: parameters["cursor"])
            if page.after != nil, kind == nil {
                throw DomainError.invalid("cursor_needs_kind", "翻页时须指明搜索范围（kind）", english: "a cursor pages one kind", field: "cursor")
            }
            if kind == nil { page.limit = min(page.limit, SiteSearch.overviewLimit) }
            self.page = page
        }
    }

    /// The kinds the reader may search, each read through its own scoped list.
    func groups(_ question: Question, origin: RequestOrigin) async throws -> [Group] {
        let actor = origin.actor
        var groups: [Group] = []
        for kind in question.kind.map({ [$0] }) ?? Kind.allCases where store.policy.allowsAnywhere(actor, kind.permission) {
            groups.append(Group(kind: kind, hits: try await hits(kind, question.text, page: question.page, origin: origin)))
        }
        return groups
    }

    private func hits(_ kind: Kind, _ text: String, page: PageRequest, origin: RequestOrigin) async throws -> Page<Hit> {
        let actor = origin.actor
        switch kind {
        case .units:
            return try await store.units(UnitQuery(search: text, page: page), for: actor).map {
                Hit(id: $0.id.text, title: $0.name, detail: $0.type.title, href: "/units/\($0.id.text)")
            }
        case .findings:
            return try await store.findings(FindingQuery(search: text, page: page), for: actor).map {
                Hit(id: $0.id.text, title: $0.content.title, detail: [$0.number, $0.unitName, $0.status.title].compactMap { $0 }.joined(separator: " · "),
                    href: "/findings/\($0.id.text)")
            }
        case .tasks:
            return try await store.rectificationTasks(TaskFilter(search: text), page: page, for: actor).map {
                Hit(id: $0.id.text, title: $0.content.target, detail: "\($0.unitName) · 任务\($0.label) · \($0.status.title)", href: "/rectification-tasks/\($0.id.text)")
            }
        case .reports:
            return try await store.reports(search: text, page: page, for: actor).map {
                Hit(id: $0.id.text, title: $0.title, detail: "\($0.unitName) · \($0.kind.title)", href: "/reports/\($0.id.text)")
            }
        case .leads:
            return try await store.leads(LeadQuery(search: text, page: page), origin: origin).map {
                Hit(id: $0.id.text, title: $0.number, detail: "\($0.unitName) · \($0.status.title)", href: "/leads/\($0.id.text)")
            }
        }
    }

    // MARK: HTTP

    struct GroupDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case kind, title, items, nextCursor = "next_cursor"
        }

        let kind: String
        let title: String
        let items: [Hit]
        let nextCursor: String?
    }

    struct ResultsDTO: Encodable {
        let q: String
        let groups: [GroupDTO]
    }

    struct GroupView {
        let title: String
        let hits: [Hit]
        let count: Int
        /// 更多: this kind alone, paged.
        let moreHref: String?
        let nextHref: String?
        let firstHref: String?
    }

    struct SearchPage {
        let chrome: Chrome
        let q: String
        let kind: String
        let kinds: [Option]
        let asked: Bool
        let groups: [GroupView]
        let noHits: Bool
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/search") { request, context -> Response in
            let question = try Question(request.queryDictionary)
            let groups = try await groups(question, origin: try context.origin())
            return try JSONBody.response(
                ResultsDTO(
                    q: question.text,
                    groups: groups.map { GroupDTO(kind: $0.kind.rawValue, title: $0.kind.title, items: $0.hits.items, nextCursor: $0.hits.nextCursor) }))
        }
        router.get("/search") { request, context -> Response in try await page(request, context: context) }
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let address = try ListAddress("/search", request)
        let parameters = address.parameters
        let searchable = Kind.allCases.filter { store.policy.allowsAnywhere(actor, $0.permission) }
        let asked = !(parameters["q"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        var views: [GroupView] = []
        var kind: Kind?
        if asked {
            let question = try Question(parameters)
            kind = question.kind
            for group in try await groups(question, origin: try context.origin()) {
                views.append(
                    GroupView(
                        title: group.kind.title, hits: group.hits.items, count: group.hits.items.count,
                        moreHref: question.kind == nil && group.hits.nextCursor != nil ? ListLink.make("/search", ["q": question.text, "kind": group.kind.rawValue]) : nil,
                        nextHref: question.kind == nil ? nil : address.next(group.hits.nextCursor), firstHref: question.kind == nil ? nil : address.first))
            }
        }
        let model = SearchPage(
            chrome: pages.chrome(title: "搜索", active: nil, request: request, context: context), q: parameters["q"] ?? "", kind: kind?.rawValue ?? "",
            kinds: searchable.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == kind) }, asked: asked, groups: views,
            noHits: asked && views.allSatisfy(\.hits.isEmpty))
        return pages.render("search", model)
    }
}
