import HTTPTypes
import Hummingbird

/// Where a request really came from, decided once at the edge. `X-Forwarded-For` and
/// `X-Forwarded-Proto` are believed only from the reverse proxies named in
/// `XUNCHA_TRUSTED_PROXIES`: from anyone else they are whatever the client chose to claim, and
/// a claimed "https" must not switch on HSTS or a claimed address reach the audit log.
struct ForwardedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: Set<String>
    /// The operator says TLS always ends in front of us (`XUNCHA_SECURE_COOKIES`).
    let alwaysHTTPS: Bool

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let peer = context.clientAddress, trustedProxies.contains(peer) {
            // A proxy appends what it saw; earlier entries are whatever the client claimed.
            if let forwarded = Self.lastEntry(request.headers[values: Self.forwardedFor]), !forwarded.isEmpty {
                context.clientAddress = String(forwarded.prefix(64))
            }
            context.isHTTPS = Self.lastEntry(request.headers[values: Self.forwardedProto])?.lowercased() == "https"
        }
        if alwaysHTTPS { context.isHTTPS = true }
        return try await next(request, context)
    }

    /// The last comma-separated entry over every occurrence of a header.
    static func lastEntry(_ values: [String]) -> String? {
        values.flatMap { $0.split(separator: ",") }.last.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
