import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
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
        } catch let error as MethodNotAllowed {
            let failure = DomainError(
                .invalidInput, code: "method_not_allowed", message: "此地址不支持\(request.method.rawValue)请求，可用：\(error.allowHeader)",
                english: "method not allowed")
            var response = Self.wantsJSON(request)
                ? Self.jsonResponse(failure, status: .methodNotAllowed) : pages.errorPage(failure, status: .methodNotAllowed, context: context)
            response.headers[.allow] = error.allowHeader
            return response
        } catch where Self.isClientGone(error) {
            // Nobody is left to answer, and nothing went wrong on our side: a note, not an error.
            context.logger.info("客户端中途断开：\(request.method) \(request.uri.path)（\(String(describing: error))）")
            return Response(status: .badRequest)
        } catch {
            let failure = Self.domainError(for: error)
            if failure.kind == .internalFailure {
                context.logger.error("request failed: \(request.method) \(request.uri.path): \(String(reflecting: error))")
            } else if failure.kind == .unavailable {
                context.logger.warning("request not served, database unavailable: \(request.method) \(request.uri.path): \(failure.code)")
            }
            let status = Self.status(for: failure.kind)
            if Self.wantsJSON(request) {
                var response = Self.jsonResponse(failure, status: status)
                // A failover takes seconds: say when to look again.
                if failure.kind == .unavailable { response.headers[.retryAfter] = "2" }
                return response
            }
            if failure.kind == .unauthenticated && request.method == .get {
                let target = request.uri.path == "/" ? "/login" : "/login?next=\(request.uri.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/")"
                return Response(status: .seeOther, headers: [.location: target])
            }
            return pages.errorPage(failure, status: status, context: context)
        }
    }

    /// The API, the operational endpoints (read by machines) and clients asking for JSON.
    static func wantsJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        return path.hasPrefix("/api/") || path == "/metrics" || path == "/healthz" || path == "/readyz" || (request.headers[.accept]?.contains("application/json") ?? false)
    }

    /// A client that hung up mid-request (the body's stream ended early, the connection reset):
    /// the request fails, but the fault is the network's or the person's, not the server's.
    static func isClientGone(_ error: any Error) -> Bool {
        if error is HTTPParserError || error is ChannelError || error is IOError { return true }
        return false
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
        case .unavailable: .serviceUnavailable
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
