import Foundation
import Hummingbird
import XunchaCore

/// A submitted HTML form (`application/x-www-form-urlencoded`). Parsing it checks the CSRF
/// token, so no form handler can forget to.
struct FormInput: Sendable {
    static let csrfField = "_csrf"
    /// The address of the page that holds the form (`PageAddress`), where a refusal is shown again.
    static let pageField = "_page"
    /// The double-submit cookie that protects forms shown before sign-in.
    static let csrfCookie = "xuncha_csrf"

    private var values: [String: [String]]

    init(values: [String: [String]]) {
        self.values = values
    }

    subscript(_ name: String) -> String? { values[name]?.last }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Parses a signed-in user's form and checks its token against the session's.
    static func parse(_ request: Request, context: AppRequestContext) async throws -> FormInput {
        let form = try await parseUnchecked(request)
        guard let session = context.session else { throw DomainError.unauthenticated }
        guard let token = form[csrfField], constantTimeEquals(token, session.csrfToken) else { throw csrfFailure }
        return form
    }

    /// Parses a form shown before sign-in, checked against the double-submit cookie.
    static func parseAnonymous(_ request: Request) async throws -> FormInput {
        let form = try await parseUnchecked(request)
        guard let cookie = request.cookies[csrfCookie]?.value, let token = form[csrfField], !cookie.isEmpty,
            constantTimeEquals(cookie, token)
        else { throw csrfFailure }
        return form
    }

    static let csrfFailure = DomainError(
        .forbidden, code: "csrf_failed", message: "表单已过期或来源不明，请刷新页面后重新提交", english: "missing or wrong CSRF token")

    static func parseUnchecked(_ request: Request) async throws -> FormInput {
        guard let type = request.headers[.contentType]?.lowercased(), type.hasPrefix("application/x-www-form-urlencoded") else {
            throw DomainError(.unsupportedMediaType, code: "unsupported_media_type", message: "不支持的表单格式", english: "form must be urlencoded")
        }
        let data = try await JSONBody.collect(request, limit: 1 << 20)
        guard let text = String(data: data, encoding: .utf8) else {
            throw DomainError.invalid("invalid_encoding", "提交的内容不是有效的 UTF-8 编码", english: "form is not valid UTF-8")
        }
        return try FormInput(values: decode(text))
    }

    static func decode(_ text: String) throws -> [String: [String]] {
        var values: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = unescape(parts[0]), let value = unescape(parts.count > 1 ? parts[1] : "") else {
                throw DomainError.invalid("invalid_encoding", "提交的内容编码有误", english: "form field is not valid percent-encoding")
            }
            values[name, default: []].append(value)
        }
        return values
    }

    private static func unescape(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// The one way a page takes a form that is not a step (`PageStep.take` takes those): `act` does
/// what it asks and answers (a redirect, as a rule); a refusal the form can show (`shown`) shows the
/// page again through `reshow`, with what was typed, at the form page's own address (`PageAddress`).
enum PageForm {
    static func submit(
        _ request: Request, context: AppRequestContext, shown: (DomainError) -> Bool = \.isShownOnForm, act: (FormInput) async throws -> Response,
        reshow: (FormInput, DomainError) async throws -> Response
    ) async throws -> Response {
        let form = try await FormInput.parse(request, context: context)
        do {
            return try await act(form)
        } catch let error as DomainError where shown(error) {
            return try await PageAddress.refused(form[FormInput.pageField], request, context: context) { try await reshow(form, error) }
        }
    }
}
