import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 证据材料 on pages: the list of files attached to a record, a working paper or an
/// immediate-rectification report, the upload form (multipart, CSRF-checked by `MultipartForm`)
/// and the download route. The store decides who may attach and who may read; a refused upload
/// is shown on the owner's page in Chinese.
struct EvidenceBlock {
    struct File {
        let href: String
        let filename: String
        let size: String
        let createdBy: String
        let createdAt: String
    }

    let files: [File]
    /// Where the upload form posts; nil when the person may not attach now.
    let uploadAction: String?
    /// Why the last upload was refused (named apart from the page's own `error`: a nil value
    /// here would otherwise show the page's).
    let uploadError: String?
    let hint: String

    /// No files and no upload: for a record whose evidence this reader may not open.
    static let none = EvidenceBlock(files: [], uploadAction: nil, uploadError: nil, hint: "")

    /// Errors of an upload the owner's page shows instead of the error page.
    static func isShownOnPage(_ error: DomainError) -> Bool {
        [.invalidInput, .tooLarge, .unsupportedMediaType, .conflict].contains(error.kind)
    }

    /// The upload's size limit: the largest file plus room for the form's other fields.
    static let uploadLimit = EvidenceRules.maximumBytes + 64 * 1024

    static func make(_ store: Store, owner: AttachmentOwner, actor: Actor, uploadAction: String?, error: DomainError?) async throws -> EvidenceBlock {
        let files = try await store.attachments(of: owner, for: actor)
        return EvidenceBlock(
            files: files.map {
                File(href: "/attachments/\($0.id.text)", filename: $0.filename, size: size($0.size), createdBy: $0.createdBy, createdAt: Display.time($0.createdAt))
            },
            uploadAction: uploadAction, uploadError: error?.message,
            hint: "可上传 PDF、Word、Excel、OFD、图片（JPG/PNG）或纯文本文件，单个文件不超过\(EvidenceRules.maximumBytes >> 20)MB。")
    }

    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 { return String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 1 << 10 { return String(format: "%.1f KB", Double(bytes) / Double(1 << 10)) }
        return "\(bytes) 字节"
    }

    /// The one upload route of an owner's page (`page`): attaches the chosen file and goes back to
    /// the page with a notice; a refusal the page can show is shown on it (`reshow`), at its address.
    static func upload(
        _ request: Request, context: AppRequestContext, store: Store, owner: AttachmentOwner, page: String,
        reshow: (DomainError) async throws -> Response
    ) async throws -> Response {
        var posted: MultipartForm?
        do {
            let form = try await MultipartForm.parse(request, context: context, limit: uploadLimit)
            posted = form
            guard let file = form.file("file") else { throw DomainError.required("file", label: "证据文件") }
            _ = try await store.attach(file.data, filename: file.filename, to: owner, origin: try context.origin())
            return PageRenderer.redirect(page, notice: .fileAttached)
        } catch let error as DomainError where isShownOnPage(error) {
            return try await PageAddress.refused(posted?[FormInput.pageField], request, context: context) { try await reshow(error) }
        }
    }

    /// A file as a download, for those who may read what it is attached to (404 otherwise).
    static func download(_ store: Store, context: AppRequestContext) async throws -> Response {
        let (attachment, data) = try await store.attachmentContent(try context.parameters.uuid("id"), origin: try context.origin())
        let encoded = attachment.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        return Response(
            status: .ok,
            headers: [
                .contentType: attachment.contentType, .contentDisposition: "attachment; filename*=UTF-8''\(encoded)", .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension FieldworkPages {
    func registerEvidence(on router: Router<AppRequestContext>) {
        router.get("/attachments/{id}") { _, context in try await EvidenceBlock.download(store, context: context) }
        router.post("/records/{id}/attachments") { request, context -> Response in
            let id = try context.parameters.uuid("id")
            return try await EvidenceBlock.upload(request, context: context, store: store, owner: .record(id), page: "/records/\(id.text)") { error in
                try await recordPage(request, context: context, uploadError: error)
            }
        }
        router.post("/findings/{id}/attachments") { request, context -> Response in
            let id = try context.parameters.uuid("id")
            return try await EvidenceBlock.upload(request, context: context, store: store, owner: .finding(id), page: "/findings/\(id.text)") { error in
                try await findingPage(request, context: context, form: nil, error: nil, uploadError: error)
            }
        }
    }
}
