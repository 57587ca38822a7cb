/// The broad kind of a failure; the web layer maps each kind to one HTTP status.
public enum ErrorKind: String, Sendable {
    case invalidInput
    case unauthenticated
    case forbidden
    case notFound
    case conflict
    case locked
    case tooLarge
    case unsupportedMediaType
    case internalFailure
    /// The database cannot be reached for now (a failover under way): try again shortly.
    case unavailable
}

/// A failure the user can understand: a stable machine code, a Chinese message for people,
/// an English one for logs, and optionally the field or CSV cell it concerns.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    public var kind: ErrorKind
    public var code: String
    public var message: String
    public var englishMessage: String
    public var field: String?

    public init(_ kind: ErrorKind, code: String, message: String, english: String, field: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.englishMessage = english
        self.field = field
    }

    public var description: String { "\(code): \(message) (\(englishMessage))" }
}

extension DomainError {
    public static func invalid(_ code: String, _ message: String, english: String, field: String? = nil) -> DomainError {
        DomainError(.invalidInput, code: code, message: message, english: english, field: field)
    }

    /// A denied or missing single read. Both answer the same way so existence is never confirmed.
    public static let notFound = DomainError(.notFound, code: "not_found", message: "记录不存在或无权查看", english: "record not found")

    public static let forbidden = DomainError(.forbidden, code: "forbidden", message: "无权执行此操作", english: "action not permitted")

    public static let unauthenticated = DomainError(
        .unauthenticated, code: "unauthenticated", message: "请先登录", english: "sign-in required")

    public static let staleVersion = DomainError(
        .conflict, code: "stale_version", message: "记录已被他人修改，请刷新后重试", english: "record changed since it was read")

    public static func required(_ field: String, label: String) -> DomainError {
        .invalid("required", "“\(label)”不能为空", english: "\(field) is required", field: field)
    }
}
