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

    public init(limit: Int = PageRequest.defaultLimit, after: Cursor? = nil) {
        self.limit = limit
        self.after = after
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
}
