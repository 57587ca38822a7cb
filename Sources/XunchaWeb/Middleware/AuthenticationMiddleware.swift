import HTTPTypes
import Hummingbird
import XunchaCore
import XunchaStore

/// Resolves who is calling: a bearer token for the API, the session cookie for pages. An API
/// request without a valid token is refused here with 401, before any route reads its query or
/// body (so a caller without credentials learns nothing from validation messages), except the
/// public ones (sign-in, the contract); pages ask `requireActor()` themselves. An account that
/// must change its initial password is held to the password pages (and, on the API, to `/me`
/// and sign-out).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "xuncha_session"
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let isAPI = request.uri.path.hasPrefix("/api/")
        if isAPI {
            if let token = request.bearerToken, let session = try await store.authenticate(token: token), session.kind == .api {
                context.session = session
                context.sessionToken = token
            }
        } else if let token = request.cookies[Self.cookieName]?.value,
            let session = try await store.authenticate(token: token), session.kind == .web
        {
            context.session = session
            context.sessionToken = token
        }
        if isAPI, context.session == nil, !Self.isPublicAPI(request) {
            throw DomainError.unauthenticated
        }
        if let session = context.session, session.user.mustChangePassword, !Self.allowedBeforePasswordChange(request) {
            if isAPI {
                throw DomainError(.forbidden, code: "password_change_required", message: "请先修改初始密码", english: "change the initial password first")
            }
            return Response(status: .seeOther, headers: [.location: "/password"])
        }
        if !isAPI, let session = context.session, Self.showsMenu(request) {
            context.waitingCount = try await store.waitingCount(for: session.actor, atMost: Chrome.waitingBadgeCap)
        }
        return try await next(request, context)
    }

    /// Whether the answer is a page with the menu, whose 工作台 badge needs the 待办 count: a GET of
    /// a page, not a file (static assets, .docx, .xlsx, .csv downloads) and not the home page,
    /// which counts its own 待办 list and hands the total to the menu.
    static func showsMenu(_ request: Request) -> Bool {
        let path = request.uri.path
        guard request.method == .get, path != "/", !path.hasPrefix("/static/") else { return false }
        return !(path.split(separator: "/").last?.contains(".") ?? false)
    }

    /// The API operations the contract marks `security: []` (besides `/healthz` and `/metrics`, outside `/api/`).
    static func isPublicAPI(_ request: Request) -> Bool {
        let path = request.uri.path
        return path == "/api/openapi.yaml" || (path == "/api/v1/session" && request.method == .post)
    }

    static func allowedBeforePasswordChange(_ request: Request) -> Bool {
        let path = request.uri.path
        // The public disclosure pages need no account, so no account's state holds them back.
        return ["/password", "/logout", "/api/v1/me", "/api/v1/me/password", "/api/v1/session", "/favicon.ico"].contains(path) || path.hasPrefix("/static/")
            || path.hasPrefix("/public/")
    }
}

extension Request {
    /// The token of an `Authorization: Bearer …` header, if the request carries one.
    var bearerToken: String? {
        guard let header = headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        return String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
    }
}
