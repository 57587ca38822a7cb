import Foundation

/// 证据材料: files attached to a record, a working paper or an immediate-rectification report.
/// Stored once by content (SHA-256), served only to those who may read what they are attached to.
public struct Attachment: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var owner: AttachmentOwner
    public var sha256: String
    public var filename: String
    public var contentType: String
    public var size: Int
    public var createdBy: String
    public var createdAt: Date

    public init(
        id: UUID, jurisdictionID: UUID, owner: AttachmentOwner, sha256: String, filename: String, contentType: String, size: Int, createdBy: String,
        createdAt: Date
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.owner = owner
        self.sha256 = sha256
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// What a file is attached to.
public enum AttachmentOwner: Sendable, Hashable {
    case record(UUID)
    case finding(UUID)
    case immediate(UUID)
    /// 整改任务的佐证材料.
    case task(UUID)

    public var type: String {
        switch self {
        case .record: "record"
        case .finding: "finding"
        case .immediate: "immediate"
        case .task: "task"
        }
    }

    public var id: UUID {
        switch self {
        case .record(let id), .finding(let id), .immediate(let id), .task(let id): id
        }
    }

    public init?(type: String, id: UUID) {
        switch type {
        case "record": self = .record(id)
        case "finding": self = .finding(id)
        case "immediate": self = .immediate(id)
        case "task": self = .task(id)
        default: return nil
        }
    }
}

/// What may be uploaded: office documents, PDFs, scans and photos, recognised by their first bytes
/// (not by what the browser claims), at most 20 MB.
public enum EvidenceRules {
    public static let maximumBytes = 20 << 20

    /// The file's name (without any path) and its real content type, or why it is refused.
    public static func check(_ data: Data, filename: String?) throws(DomainError) -> (filename: String, contentType: String) {
        guard !data.isEmpty else { throw DomainError.invalid("empty_file", "上传的文件是空的", english: "empty file", field: "file") }
        guard data.count <= maximumBytes else {
            throw DomainError(
                .tooLarge, code: "file_too_large", message: "文件不能超过\(maximumBytes >> 20)MB", english: "file exceeds \(maximumBytes >> 20) MB", field: "file")
        }
        let raw = (filename ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        guard let name = try TextRules.optionalLine(raw, field: "filename", label: "文件名", maxLength: 120), name != ".", name != ".." else {
            throw DomainError.required("filename", label: "文件名")
        }
        let ext = (name as NSString).pathExtension.lowercased()
        guard let type = contentType(of: data, extension: ext) else {
            throw DomainError(
                .unsupportedMediaType, code: "file_type_not_allowed", message: "只能上传 PDF、Word、Excel、OFD、图片（JPG/PNG）或纯文本文件，且文件内容须与扩展名一致",
                english: "file type not allowed", field: "file")
        }
        return (name, type)
    }

    static func contentType(of data: Data, extension ext: String) -> String? {
        let bytes = [UInt8](data.prefix(8))
        func starts(_ prefix: [UInt8]) -> Bool { bytes.count >= prefix.count && Array(bytes.prefix(prefix.count)) == prefix }
        switch ext {
        case "pdf": return starts([0x25, 0x50, 0x44, 0x46]) ? "application/pdf" : nil
        case "png": return starts([0x89, 0x50, 0x4E, 0x47]) ? "image/png" : nil
        case "jpg", "jpeg": return starts([0xFF, 0xD8, 0xFF]) ? "image/jpeg" : nil
        case "docx": return starts([0x50, 0x4B, 0x03, 0x04]) ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document" : nil
        case "xlsx": return starts([0x50, 0x4B, 0x03, 0x04]) ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : nil
        case "ofd": return starts([0x50, 0x4B, 0x03, 0x04]) ? "application/ofd" : nil
        case "doc": return starts([0xD0, 0xCF, 0x11, 0xE0]) ? "application/msword" : nil
        case "xls": return starts([0xD0, 0xCF, 0x11, 0xE0]) ? "application/vnd.ms-excel" : nil
        case "txt": return String(data: data, encoding: .utf8) != nil ? "text/plain; charset=utf-8" : nil
        default: return nil
        }
    }
}
