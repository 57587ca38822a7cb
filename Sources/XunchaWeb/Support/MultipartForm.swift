import Foundation
import Hummingbird
import XunchaCore

/// A submitted `multipart/form-data` form: how a browser uploads a file. Like `FormInput`,
/// parsing checks the CSRF token, so no upload handler can forget to.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        let name: String
        let filename: String?
        let data: Data
    }

    let parts: [Part]

    /// A text field's value.
    subscript(_ name: String) -> String? {
        parts.last { $0.name == name && $0.filename == nil }.flatMap { String(data: $0.data, encoding: .utf8) }
    }

    /// Every value of a text field, in order.
    func all(_ name: String) -> [String] {
        parts.filter { $0.name == name && $0.filename == nil }.compactMap { String(data: $0.data, encoding: .utf8) }
    }

    /// An uploaded file; nil when the field is missing or no file was chosen.
    func file(_ name: String) -> Part? {
        parts.last { $0.name == name && $0.filename != nil && !($0.filename ?? "").isEmpty }
    }

    /// Parses a signed-in user's upload of at most `limit` bytes and checks its token.
    static func parse(_ request: Request, context: AppRequestContext, limit: Int) async throws -> MultipartForm {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"), let boundary = boundary(in: type) else {
            throw DomainError(.unsupportedMediaType, code: "unsupported_media_type", message: "请通过页面上的表单选择文件上传", english: "upload must be multipart/form-data")
        }
        let form = try MultipartForm(parts: decode(try await JSONBody.collect(request, limit: limit), boundary: boundary))
        guard let session = context.session else { throw DomainError.unauthenticated }
        guard let token = form[FormInput.csrfField], FormInput.constantTimeEquals(token, session.csrfToken) else { throw FormInput.csrfFailure }
        return form
    }

    /// The `boundary` parameter of a content type, with or without quotes.
    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return value.isEmpty || value.count > 200 ? nil : value
        }
        return nil
    }

    static let malformed = DomainError.invalid("malformed_upload", "上传的表单格式不正确，请刷新页面后重新选择文件", english: "malformed multipart body")

    /// Splits a body into its parts (RFC 7578): `--boundary CRLF headers CRLF CRLF content`
    /// repeated, each content ending at `CRLF --boundary`, the last delimiter followed by `--`.
    static func decode(_ body: Data, boundary: String) throws(DomainError) -> [Part] {
        let delimiter = Data("--\(boundary)".utf8)
        let separator = Data("\r\n--\(boundary)".utf8)
        let blankLine = Data("\r\n\r\n".utf8)
        let dash = UInt8(ascii: "-"), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        guard var position = body.range(of: delimiter)?.upperBound else { throw malformed }
        var parts: [Part] = []
        while true {
            guard body.endIndex - position >= 2 else { throw malformed }
            if body[position] == dash, body[position + 1] == dash { return parts }
            guard body[position] == cr, body[position + 1] == lf else { throw malformed }
            let start = position + 2
            guard let end = body.range(of: separator, in: start..<body.endIndex),
                let split = body.range(of: blankLine, in: start..<end.lowerBound)
            else { throw malformed }
            let headers = String(decoding: body[start..<split.lowerBound], as: UTF8.self)
            guard let (name, filename) = disposition(headers) else { throw malformed }
            parts.append(Part(name: name, filename: filename, data: Data(body[split.upperBound..<end.lowerBound])))
            position = end.upperBound
        }
    }

    /// The field name and file name from a part's `Content-Disposition: form-data; name="…"; filename="…"`.
    static func disposition(_ headers: String) -> (String, String?)? {
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            var name: String?
            var filename: String?
            for parameter in line.split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
                switch pair[0].lowercased() {
                case "name": name = value
                case "filename": filename = value
                default: break
                }
            }
            return name.map { ($0, filename) }
        }
        return nil
    }
}
