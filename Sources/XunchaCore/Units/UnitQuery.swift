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
        query.type = try QueryParameters.value(parameters, "type", as: UnitType.init(code:)) { text in
            .invalid("unknown_unit_type", "未知的单位类型“\(text)”", english: "unknown unit type", field: "type")
        }
        query.partyOrganisation = try QueryParameters.value(parameters, "party_organisation", as: PartyOrganisationKind.init(code:)) { text in
            .invalid("unknown_party_organisation", "未知的党组织类型“\(text)”", english: "unknown kind", field: "party_organisation")
        }
        query.jurisdictionID = try QueryParameters.jurisdictionID(parameters)
        query.sort = try QueryParameters.value(parameters, "sort", as: Sort.init(rawValue:)) { text in
            .invalid("unknown_sort", "未知的排序方式“\(text)”", english: "unknown sort", field: "sort")
        } ?? query.sort
        query.order = try QueryParameters.value(parameters, "order", as: SortOrder.init(rawValue:)) { _ in
            .invalid("unknown_order", "排序方向须为 asc 或 desc", english: "order must be asc or desc", field: "order")
        } ?? query.order
        query.page = try PageRequest.validate(limit: parameters["limit"], cursor: parameters["cursor"])
        if let after = query.page.after, after.order != query.cursorOrder {
            throw .invalid("invalid_cursor", "分页参数与排序方式不符，请从第一页重新浏览", english: "cursor belongs to another ordering", field: "cursor")
        }
        return query
    }

    /// The ordering a cursor of this query carries.
    public var cursorOrder: String { "\(sort.rawValue)-\(order.rawValue)" }
}
