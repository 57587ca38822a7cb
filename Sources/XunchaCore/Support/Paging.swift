import Foundation

/// One page of a keyset-paginated list: rows after a cursor, never an OFFSET, so page 10,000
/// costs what page 1 costs.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Opaque cursor for the next page, nil on the last page.
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The same page with each item transformed (the cursor stays the list's).
    public func map<Other: Sendable>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), nextCursor: nextCursor)
    }
}

/// The position after which the next page starts: the sort key and the id of the last row.
public struct Cursor: Sendable, Equatable, Codable {
    public var key: String
    public var id: String
    /// The ordering the cursor belongs to ("name-asc"); a cursor replayed under another ordering
    /// would silently skip rows, so it is refused instead.
    public var order: String?

    public init(key: String, id: String, order: String? = nil) {
        self.key = key
        self.id = id
        self.order = order
    }

    /// URL-safe base64 of a small JSON object.
    public var token: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init(token: String) throws(DomainError) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard token.count <= 2_048, let data = Data(base64Encoded: base64),
            let cursor = try? JSONDecoder().decode(Cursor.self, from: data)
        else {
            throw .invalid("invalid_cursor", "分页参数无效，请从第一页重新浏览", english: "invalid cursor", field: "cursor")
        }
        self = cursor
    }
}

/// Page size and position as asked for by a client, validated.
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 25
    public static let maximumLimit = 100

    public var limit: Int
    public var after: Cursor?
    /// The column a sortable list is asked to sort by (`sort`), nil for the list's own order. Each
    /// list's store query checks it against the columns it can sort by in SQL.
    public var sort: String?
    /// The direction asked for (`order`), nil for the column's usual one.
    public var order: SortOrder?

    public init(limit: Int = PageRequest.defaultLimit, after: Cursor? = nil, sort: String? = nil, order: SortOrder? = nil) {
        self.limit = limit
        self.after = after
        self.sort = sort
        self.order = order
    }

    /// A page with the sort and direction of a list's address (`sort`, `order`): a direction other
    /// than asc or desc is refused here, a column the list cannot sort by by its store query.
    public static func validate(limit: String?, cursor: String?, sort: String?, order: String?) throws(DomainError) -> PageRequest {
        var request = try validate(limit: limit, cursor: cursor)
        if let sort, !sort.isEmpty { request.sort = sort }
        if let order, !order.isEmpty {
            guard let direction = SortOrder(rawValue: order) else {
                throw .invalid("unknown_order", "排序方向须为 asc（升序）或 desc（降序），收到“\(order)”", english: "order must be asc or desc", field: "order")
            }
            request.order = direction
        }
        return request
    }

    public static func validate(limit: String?, cursor: String?) throws(DomainError) -> PageRequest {
        var request = PageRequest()
        if let limit, !limit.isEmpty {
            guard let value = Int(limit), (1...maximumLimit).contains(value) else {
                throw .invalid("invalid_limit", "每页条数须在1至\(maximumLimit)之间", english: "limit must be 1-\(maximumLimit)", field: "limit")
            }
            request.limit = value
        }
        if let cursor, !cursor.isEmpty {
            request.after = try Cursor(token: cursor)
        }
        return request
    }
}

/// Sort direction.
public enum SortOrder: String, Sendable, CaseIterable {
    case ascending = "asc"
    case descending = "desc"

    public var reversed: SortOrder { self == .ascending ? .descending : .ascending }
}
