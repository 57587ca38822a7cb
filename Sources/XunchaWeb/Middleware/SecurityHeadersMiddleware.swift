import HTTPTypes
import Hummingbird

/// Headers every answer carries: a CSP that allows no inline script and nothing from outside,
/// no MIME sniffing, no framing, no referrer, no caching of pages that show records, and, once
/// the person reached us over HTTPS, HSTS so the browser never tries plain HTTP again.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// One year; no `includeSubDomains`, since the office's other intranet hosts are not ours to pin.
    static let strictTransportSecurity = "max-age=31536000"

    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.referrerPolicy] = "no-referrer"
        if context.isHTTPS {
            response.headers[.strictTransportSecurity] = Self.strictTransportSecurity
        }
        if !request.uri.path.hasPrefix("/static/") {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
