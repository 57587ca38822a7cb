import Foundation
import Hummingbird
import Logging
import XunchaCore

/// Maps every failure to one answer: JSON `{"error":{"code","message"}}` under `/api/` and for
/// clients that ask for JSON, a plain-Chinese page otherwise. Unexpected errors are logged and
/// answered without internals.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let failure = Self.domainError(for: error)
            if failure.kind == .internalFailure {
                context.logger.error("request failed: \(request.method) \(request.uri.path): \(String(reflecting: error))")
            }
            let status = Self.status(for: failure.kind)
            if Self.wantsJSON(request) {
                return Self.jsonResponse(failure, status: status)
            }
            if failure.kind == .unauthenticated && request.method == .get {
                let target = request.uri.path == "/" ? "/login" : "/login?next=\(request.uri.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/")"
                return Response(status: .seeOther, headers: [.location: target])
            }
            return pages.errorPage(failure, status: status, context: context)
        }
    }

    static func wantsJSON(_ request: Request) -> Bool {
        request.uri.path.hasPrefix("/api/") || (request.headers[.accept]?.contains("application/json") ?? false)
    }

    static func jsonResponse(_ failure: DomainError, status: HTTPResponse.Status) -> Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                let code: String
                let message: String
                let field: String?
            }
            let error: Detail
        }
        let body = Body(error: .init(code: failure.code, message: failure.message, field: failure.field))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func status(for kind: ErrorKind) -> HTTPResponse.Status {
        switch kind {
        case .invalidInput: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .locked: .init(code: 423, reasonPhrase: "Locked")
        case .tooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .internalFailure: .internalServerError
        }
    }

    /// Translates framework errors into domain errors with Chinese messages.
    static func domainError(for error: any Error) -> DomainError {
        if let error = error as? DomainError { return error }
        if let error = error as? any HTTPResponseError {
            switch error.status.code {
            case 404: return DomainError(.notFound, code: "not_found", message: "页面或接口不存在", english: "no such route")
            case 405: return DomainError(.notFound, code: "method_not_allowed", message: "不支持此请求方法", english: "method not allowed")
            case 413: return DomainError(.tooLarge, code: "body_too_large", message: "提交的内容过大", english: "request body too large")
            case 400..<500: return DomainError(.invalidInput, code: "bad_request", message: "请求格式不正确", english: "bad request")
            default: break
            }
        }
        return DomainError(.internalFailure, code: "internal_error", message: "系统内部错误，请稍后重试；如持续出现请联系系统管理员", english: "internal error")
    }
}
