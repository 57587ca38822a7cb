import HTTPTypes
import Hummingbird
import Synchronization

/// The methods each route answers, learnt from the router once every route is registered.
/// Hummingbird answers 404 both for a path it does not know and for a known path asked with
/// another method; HTTP wants 405 with `Allow` for the second, so clients and scanners can tell.
final class RouteMethods: Sendable {
    /// Path patterns split into components (`{id}` a parameter), with their methods.
    private let patterns = Mutex<[(components: [Substring], methods: Set<HTTPRequest.Method>)]>([])

    /// Loads the table from the router's routes. GET routes also answer HEAD.
    func load(_ routes: [(path: String, method: HTTPRequest.Method)]) {
        var byPath: [String: Set<HTTPRequest.Method>] = [:]
        for route in routes {
            byPath[route.path, default: []].insert(route.method)
            if route.method == .get { byPath[route.path, default: []].insert(.head) }
        }
        let table = byPath.map { (components: $0.key.split(separator: "/"), methods: $0.value) }
        patterns.withLock { $0 = table }
    }

    /// The methods of the route `path` resolves to, or nil when no route has that path.
    /// Like the router, a literal component is preferred to a parameter at each position.
    func methods(for path: String) -> Set<HTTPRequest.Method>? {
        let parts = path.split(separator: "/")
        return patterns.withLock { patterns in
            var best: (rank: [Bool], methods: Set<HTTPRequest.Method>)?
            for pattern in patterns where pattern.components.count == parts.count {
                var rank: [Bool] = []
                var matches = true
                for (component, part) in zip(pattern.components, parts) {
                    if component.contains("{") || component.contains("*") {
                        rank.append(false)
                    } else if component == part {
                        rank.append(true)
                    } else {
                        matches = false
                        break
                    }
                }
                guard matches else { continue }
                if let current = best, !Self.outranks(rank, current.rank) { continue }
                best = (rank, pattern.methods)
            }
            return best?.methods
        }
    }

    /// Whether `a` is the more literal match, comparing from the first component.
    static func outranks(_ a: [Bool], _ b: [Bool]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return x }
        return false
    }
}

/// A known path asked with a method it does not answer.
struct MethodNotAllowed: Error {
    let allowed: Set<HTTPRequest.Method>

    /// The `Allow` header's value, in a stable order.
    var allowHeader: String { allowed.map(\.rawValue).sorted().joined(separator: ", ") }
}

/// Turns the router's 404 for a known path into 405 with `Allow` (answered by `ErrorMiddleware`).
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if let allowed = routes.methods(for: request.uri.path), !allowed.contains(request.method) {
                throw MethodNotAllowed(allowed: allowed)
            }
            throw error
        }
    }
}
