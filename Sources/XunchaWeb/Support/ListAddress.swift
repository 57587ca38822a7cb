import Hummingbird
import XunchaCore

/// A list page's address: the filters its query carries (the one-time notice left out), the page
/// asked for, and the links to the next page and back to the first, which keep the filters.
struct ListAddress {
    let path: String
    let parameters: [String: String]
    let page: PageRequest

    init(_ path: String, _ request: Request) throws(DomainError) {
        var parameters = request.queryDictionary
        parameters["notice"] = nil
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
}
