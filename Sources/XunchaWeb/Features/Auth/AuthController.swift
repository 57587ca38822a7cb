import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// Sign-in, sign-out and password change, for pages (cookie) and the API (bearer token).
struct AuthController {
    let store: Store
    let pages: PageRenderer
    let settings: WebSettings

    struct LoginPage {
        let chrome: Chrome
        let csrf: String
        let username: String
        let error: String?
        let next: String
    }

    struct PasswordPage {
        let chrome: Chrome
        let forced: Bool
        let error: String?
        let minimumLength: Int
    }

    struct SignInRequest: Decodable {
        let username: String?
        let password: String?
    }

    struct SignInResponse: Encodable {
        enum CodingKeys: String, CodingKey {
            case token, expiresAt = "expires_at", user
        }

        let token: String
        let expiresAt: String
        let user: UserDTO
    }

    struct PasswordRequest: Decodable {
        let currentPassword: String?
        let newPassword: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/login") { request, context in try loginPage(request, context: context) }
        router.post("/login") { request, context in try await login(request, context: context) }
        router.post("/logout") { request, context in try await logout(request, context: context) }
        router.get("/password") { request, context in try passwordPage(context: context, error: nil) }
        router.post("/password") { request, context in try await changePassword(request, context: context) }

        router.post("/api/v1/session") { request, context -> Response in
            let input = try await JSONBody.decode(SignInRequest.self, from: request, limit: settings.maxBodyBytes)
            let signIn = try await store.signIn(
                username: input.username ?? "", password: input.password ?? "", kind: .api, clientAddress: context.clientAddress)
            return try JSONBody.response(
                SignInResponse(token: signIn.token, expiresAt: JSONBody.timestamp(signIn.session.expiresAt), user: UserDTO(signIn.session.user, now: store.clock.now())),
                status: .created)
        }
        router.delete("/api/v1/session") { _, context -> Response in
            let origin = try context.origin()
            try await store.signOut(token: context.sessionToken ?? "", origin: origin)
            return Response(status: .noContent)
        }
        router.get("/api/v1/me") { _, context -> Response in
            guard let session = context.session else { throw DomainError.unauthenticated }
            return try JSONBody.response(UserDTO(session.user, now: store.clock.now(), withResetNotice: true))
        }
        router.post("/api/v1/me/password-reset-notice/acknowledge") { _, context -> Response in
            try await store.acknowledgeResetNotice(origin: try context.origin())
            return Response(status: .noContent)
        }
        router.post("/password-reset-notice") { request, context -> Response in
            _ = try await FormInput.parse(request, context: context)
            try await store.acknowledgeResetNotice(origin: try context.origin())
            return PageRenderer.redirect("/", notice: .resetNoticeAcknowledged)
        }
        router.post("/api/v1/me/password") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(PasswordRequest.self, from: request, limit: settings.maxBodyBytes)
            try await store.changePassword(
                current: input.currentPassword ?? "", new: input.newPassword ?? "", keepingSession: context.sessionToken, origin: origin)
            return Response(status: .noContent)
        }
    }

    func loginPage(_ request: Request, context: AppRequestContext, username: String = "", error: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        if context.session != nil && error == nil { return PageRenderer.redirect("/") }
        let token = request.cookies[FormInput.csrfCookie]?.value ?? randomToken()
        let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
        let chrome = pages.chrome(title: "登录", active: nil, request: request, context: context)
        var response = pages.render("login", LoginPage(chrome: chrome, csrf: token, username: username, error: error, next: next), status: status)
        response.setCookie(Cookie(name: FormInput.csrfCookie, value: token, path: "/", secure: context.isHTTPS, httpOnly: true, sameSite: .strict))
        return response
    }

    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormInput.parseAnonymous(request)
        let username = form["username"] ?? ""
        do {
            let signIn = try await store.signIn(username: username, password: form["password"] ?? "", kind: .web, clientAddress: context.clientAddress)
            let target = signIn.session.user.mustChangePassword ? "/password" : Self.safeNext(form["next"])
            var response = PageRenderer.redirect(target)
            response.setCookie(
                Cookie(
                    name: AuthenticationMiddleware.cookieName, value: signIn.token, path: "/", secure: context.isHTTPS, httpOnly: true,
                    sameSite: .strict))
            return response
        } catch let error as DomainError where error.kind == .unauthenticated || error.kind == .locked {
            return try loginPage(request, context: context, username: username, error: error.message, status: ErrorMiddleware.status(for: error.kind))
        }
    }

    func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await FormInput.parse(request, context: context)
        try await store.signOut(token: context.sessionToken ?? "", origin: try context.origin())
        var response = PageRenderer.redirect("/login", notice: .signedOut)
        response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: context.isHTTPS, httpOnly: true, sameSite: .strict))
        return response
    }

    func passwordPage(context: AppRequestContext, error: String?, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let session = context.session else { throw DomainError.unauthenticated }
        let chrome = Chrome.make(title: "修改密码", active: nil, context: context, policy: store.policy)
        return pages.render(
            "password",
            PasswordPage(chrome: chrome, forced: session.user.mustChangePassword, error: error, minimumLength: store.security.minimumPasswordLength),
            status: status)
    }

    func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormInput.parse(request, context: context)
        let new = form["new_password"] ?? ""
        do {
            if new != form["confirm_password"] {
                throw DomainError.invalid("password_mismatch", "两次输入的新密码不一致", english: "confirmation does not match", field: "confirm_password")
            }
            try await store.changePassword(current: form["current_password"] ?? "", new: new, keepingSession: context.sessionToken, origin: try context.origin())
        } catch let error as DomainError where error.kind == .invalidInput {
            return try passwordPage(context: context, error: error.message, status: .badRequest)
        }
        return PageRenderer.redirect("/", notice: .passwordChanged)
    }

    /// Only a local path may follow sign-in, never another site: one leading slash, and no
    /// whitespace, control character or backslash anywhere (browsers drop tabs and newlines, so
    /// "/\t/evil" would otherwise become "//evil"). Non-ASCII text is percent-encoded.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.count <= 512 else { return "/" }
        guard !next.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" || $0.properties.isWhitespace })
        else { return "/" }
        return next.addingPercentEncoding(withAllowedCharacters: Self.locationCharacters) ?? "/"
    }

    static let locationCharacters = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.~?=&%+:@!$'()*,;")

    func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }
}
