import Foundation

/// A filtered, sorted, paged request for the unit register.
public struct UnitQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case name
        case created

        public var title: String {
            switch self {
            case .name: "按名称"
            case .created: "按录入时间"
            }
        }
    }

    /// Part of the name (Chinese, any length).
    public var search: String?
    public var type: UnitType?
    public var partyOrganisation: PartyOrganisationKind?
    /// Narrows to one jurisdiction inside the reader's scope.
    public var jurisdictionID: UUID?
    public var sort: Sort
    public var order: SortOrder
    public var page: PageRequest

    public init(
        search: String? = nil, type: UnitType? = nil, partyOrganisation: PartyOrganisationKind? = nil, jurisdictionID: UUID? = nil,
        sort: Sort = .name, order: SortOrder = .ascending, page: PageRequest = .init()
    ) {
        self.search = search
        self.type = type
        self.partyOrganisation = partyOrganisation
        self.jurisdictionID = jurisdictionID
        self.sort = sort
        self.order = order
        self.page = page
    }

    /// Builds a query from URL parameters, rejecting unknown values instead of ignoring them.
    public static func validate(_ parameters: [String: String]) throws(DomainError) -> UnitQuery {
        var query = UnitQuery()
        query.search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 100)
        if let text = parameters["type"], !text.isEmpty {
            guard let type = UnitType(code: text) else {
                throw .invalid("unknown_unit_type", "未知的单位类型“\(text)”", english: "unknown unit type", field: "type")
            }
            query.type = type
        }
        if let text = parameters["party_organisation"], !text.isEmpty {
            guard let kind = PartyOrganisationKind(code: text) else {
                throw .invalid("unknown_party_organisation", "未知的党组织类型“\(text)”", english: "unknown kind", field: "party_organisation")
            }
            query.partyOrganisation = kind
        }
        if let text = parameters["jurisdiction_id"], !text.isEmpty {
            guard let id = UUID(uuidString: text) else {
                throw .invalid("invalid_id", "党委编号格式不正确", english: "jurisdiction_id is not a UUID", field: "jurisdiction_id")
            }
            query.jurisdictionID = id
        }
        if let text = parameters["sort"], !text.isEmpty {
            guard let sort = Sort(rawValue: text) else {
                throw .invalid("unknown_sort", "未知的排序方式“\(text)”", english: "unknown sort", field: "sort")
            }
            query.sort = sort
        }
        if let text = parameters["order"], !text.isEmpty {
            guard let order = SortOrder(rawValue: text) else {
                throw .invalid("unknown_order", "排序方向须为 asc 或 desc", english: "order must be asc or desc", field: "order")
            }
            query.order = order
        }
        query.page = try PageRequest.validate(limit: parameters["limit"], cursor: parameters["cursor"])
        if let after = query.page.after, after.order != query.cursorOrder {
            throw .invalid("invalid_cursor", "分页参数与排序方式不符，请从第一页重新浏览", english: "cursor belongs to another ordering", field: "cursor")
        }
        return query
    }

    /// The ordering a cursor of this query carries.
    public var cursorOrder: String { "\(sort.rawValue)-\(order.rawValue)" }
}
