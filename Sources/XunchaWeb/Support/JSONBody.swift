import Foundation
import Hummingbird
import XunchaCore

/// Reading and writing JSON bodies with snake_case keys, ISO 8601 times, and Chinese messages
/// for every way a body can be wrong.
enum JSONBody {
    /// Decodes a request body, refusing the wrong media type, an oversize body, invalid UTF-8,
    /// malformed JSON and wrong field types with a 4xx that says which.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        guard let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("application/json") else {
            throw DomainError(.unsupportedMediaType, code: "unsupported_media_type", message: "请求体须为 JSON（Content-Type: application/json）", english: "body must be application/json")
        }
        let data = try await collect(request, limit: limit)
        guard String(data: data, encoding: .utf8) != nil else {
            throw DomainError.invalid("invalid_encoding", "请求体不是有效的 UTF-8 编码", english: "body is not valid UTF-8")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: data)
        } catch let DecodingError.typeMismatch(_, context) {
            let field = fieldName(context.codingPath)
            throw DomainError.invalid("wrong_type", "字段“\(field)”的类型不正确", english: "\(field) has the wrong type", field: field)
        } catch let DecodingError.valueNotFound(_, context) {
            let field = fieldName(context.codingPath)
            throw DomainError.invalid("required", "字段“\(field)”不能为空", english: "\(field) is required", field: field)
        } catch let DecodingError.keyNotFound(key, context) {
            let field = fieldName(context.codingPath + [key])
            throw DomainError.invalid("required", "缺少字段“\(field)”", english: "\(field) is missing", field: field)
        } catch {
            throw DomainError.invalid("malformed_json", "请求体不是有效的 JSON", english: "body is not valid JSON")
        }
    }

    /// Collects a body up to `limit` bytes; larger ones answer 413.
    static func collect(_ request: Request, limit: Int) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw tooLarge(limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge(limit)
        }
    }

    /// Collects a CSV upload (`text/csv`), refusing any other media type.
    static func csv(_ request: Request, limit: Int) async throws -> Data {
        guard let type = request.headers[.contentType]?.lowercased(), type.hasPrefix("text/csv") else {
            throw DomainError(.unsupportedMediaType, code: "unsupported_media_type", message: "导入文件须为 CSV（Content-Type: text/csv）", english: "body must be text/csv")
        }
        return try await collect(request, limit: limit)
    }

    static func tooLarge(_ limit: Int) -> DomainError {
        DomainError(.tooLarge, code: "body_too_large", message: "提交的内容超过上限（\(limit / 1024) KB）", english: "body exceeds \(limit) bytes")
    }

    static func fieldName(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }.joined(separator: ".")
    }

    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A JSON response. DTOs name their snake_case keys and carry times as text already: a key
    /// strategy or date strategy would redo that work for every field of every row. Every key of
    /// a DTO is always there: an absent optional is written as `null` (`JSONAnswer`), as the
    /// contract's `required` lists say.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let bytes = try JSONAnswer.bytes(of: value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension JSONBody {
    /// `2026-11-29T15:12:38Z`: an instant in UTC, ISO 8601, computed with integer arithmetic
    /// (civil-from-days) because a formatter per field is the slowest part of a list response.
    static func timestamp(_ date: Date) -> String {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3_600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }
}

extension Request {
    /// Query parameters as a plain dictionary (the last value wins).
    var queryDictionary: [String: String] {
        var result: [String: String] = [:]
        for (key, value) in uri.queryParameters { result[String(key)] = String(value) }
        return result
    }
}

/// A body that carries only the version the caller read (optimistic locking).
struct VersionInput: Decodable {
    var version: Int?
}
