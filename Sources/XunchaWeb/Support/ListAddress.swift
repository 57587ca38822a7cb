import Hummingbird
import XunchaCore

/// A list page's address: the filters its query carries (the one-time notice left out), the page
/// and order asked for (`sort`, `order`), the columns shown (`cols`), and the links to the next
/// page and back to the first, which keep all of them.
struct ListAddress {
    let path: String
    let parameters: [String: String]
    let page: PageRequest

    init(_ path: String, _ request: Request) throws(DomainError) {
        var parameters = request.queryDictionary
        parameters["notice"] = nil
        // The column chooser's checkboxes send `cols` once per column; the links carry them as one list.
        let columns = request.uri.queryParameters[values: "cols"].flatMap { $0.split(separator: ",") }.map(String.init)
        parameters["cols"] = columns.isEmpty ? nil : columns.joined(separator: ",")
        try self.init(path, parameters: parameters)
    }

    init(_ path: String, parameters: [String: String]) throws(DomainError) {
        self.path = path
        self.parameters = parameters
        page = try parameters.pageRequest()
    }

    /// The next page's link, when there is one.
    func next(_ cursor: String?) -> String? {
        cursor.map { ListLink.make(path, parameters, ["cursor": $0]) }
    }

    /// The link back to the first page, once past it.
    var first: String? {
        page.after == nil ? nil : ListLink.make(path, parameters, ["cursor": nil])
    }

    /// The column the list is sorted by and its direction: the asked one, else the list's own.
    func sorted(by own: String, _ order: XunchaCore.SortOrder) -> (key: String, order: XunchaCore.SortOrder) {
        guard let key = page.sort else { return (own, page.order ?? order) }
        return (key, page.order ?? (key == own ? order : .ascending))
    }

    /// The header of a column that sorts: a link sorting by it — the other way round when it is
    /// the current order — keeping the filters and starting again at the first page.
    func sortHeader(_ key: String, _ label: String, current: (key: String, order: XunchaCore.SortOrder), usual: XunchaCore.SortOrder = .ascending) -> SortHeader {
        let isCurrent = current.key == key
        let next = isCurrent ? current.order.reversed : usual
        return SortHeader(
            label: label, href: ListLink.make(path, parameters, ["sort": key, "order": next.rawValue, "cursor": nil]),
            state: isCurrent ? current.order.rawValue : "", ariaSort: isCurrent ? (current.order == .ascending ? "ascending" : "descending") : "none")
    }
}

/// A sortable column's header (`a.sort` with its arrow, `aria-sort` on the `th`).
struct SortHeader {
    let label: String
    let href: String
    /// `asc`, `desc` or empty (the stylesheet draws the arrow).
    let state: String
    let ariaSort: String
}
