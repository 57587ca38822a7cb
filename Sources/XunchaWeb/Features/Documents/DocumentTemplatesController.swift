import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 公文模板 on the API: the committee's template of each kind of document, its slots and its
/// versions; a POST saves the next version. Only the committee's office (`manageDocumentTemplates`).
struct DocumentTemplatesController {
    let store: Store
    let settings: WebSettings

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/document-templates") { _, context -> Response in
            let actor = try context.requireActor()
            let latest = try await store.documentTemplates(of: try context.ownJurisdiction(), for: actor)
            return try JSONBody.response(
                PlanningController.ItemsDTO(items: DocumentKind.allCases.map { TemplateSummaryDTO(kind: $0, saved: latest[$0]) }))
        }
        router.get("/api/v1/document-templates/{kind}") { _, context -> Response in
            let kind = try Self.kind(context)
            let history = try await store.documentTemplateHistory(kind, of: try context.ownJurisdiction(), for: try context.requireActor())
            return try JSONBody.response(TemplateDTO(kind: kind, history: history))
        }
        router.post("/api/v1/document-templates/{kind}") { request, context -> Response in
            let kind = try Self.kind(context)
            let origin = try context.origin()
            let jurisdiction = try context.ownJurisdiction()
            let input = try await JSONBody.decode(TemplateInput.self, from: request, limit: settings.maxBodyBytes)
            do {
                let template = try DocumentTemplate.typed(
                    kind, issuerMark: input.issuerMark, signature: input.signature, printedBy: input.printedBy, numberPattern: input.numberPattern,
                    wording: Self.wording(input.wording ?? [:], of: kind))
                _ = try await store.saveDocumentTemplate(template, of: jurisdiction, note: input.note, version: input.version, origin: origin)
            } catch let error as DomainError where error.kind == .invalidInput {
                // A template that names a slot or placeholder the kind lacks is well-formed JSON the
                // office cannot mean: 422, and nothing is written.
                return ErrorMiddleware.jsonResponse(error, status: .unprocessableContent)
            }
            let history = try await store.documentTemplateHistory(kind, of: jurisdiction, for: origin.actor)
            return try JSONBody.response(TemplateDTO(kind: kind, history: history), status: .created)
        }
    }

    /// The kind a path names; another is not found.
    static func kind(_ context: AppRequestContext) throws -> DocumentKind {
        guard let kind = context.parameters.get("kind").flatMap(DocumentKind.init(rawValue:)) else { throw DomainError.notFound }
        return kind
    }

    /// The wording as the client named its slots: the body's keys arrive camel-cased by the
    /// decoder's key strategy (`main_text` → `mainText`), so each is given back its slot's name.
    static func wording(_ typed: [String: String], of kind: DocumentKind) -> [String: String] {
        var named: [String: String] = [:]
        for (key, text) in typed {
            let slot = kind.slots.first { $0.name == key || Self.camelCase($0.name) == key }
            named[slot?.name ?? key] = text
        }
        return named
    }

    static func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "_")
        return (parts.first.map(String.init) ?? "") + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    struct TemplateInput: Decodable {
        var issuerMark: String?
        var signature: String?
        var printedBy: String?
        var numberPattern: String?
        var wording: [String: String]?
        var note: String?
        var version: Int?
    }

    /// A kind with its current version (0: customary) and when and by whom it was saved.
    struct TemplateSummaryDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case kind, title, version, savedBy = "saved_by", savedAt = "saved_at"
        }

        let kind: String
        let title: String
        let version: Int
        let savedBy: String?
        let savedAt: String?

        init(kind: DocumentKind, saved: SavedDocumentTemplate?) {
            self.kind = kind.rawValue
            title = kind.title
            version = saved?.template.version ?? 0
            savedBy = saved?.createdBy
            savedAt = saved.map { JSONBody.timestamp($0.createdAt) }
        }
    }

    /// One version: what it sets (null: customary), and who saved it when and why.
    struct VersionDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case version, issuerMark = "issuer_mark", signature, printedBy = "printed_by", numberPattern = "number_pattern", wording, note
            case savedBy = "saved_by", savedAt = "saved_at"
        }

        let version: Int
        let issuerMark: String?
        let signature: String?
        let printedBy: String?
        let numberPattern: String?
        let wording: [String: String]
        let note: String?
        let savedBy: String?
        let savedAt: String?

        init(_ template: DocumentTemplate, saved: SavedDocumentTemplate?) {
            version = template.version
            issuerMark = template.issuerMark
            signature = template.signature
            printedBy = template.printedBy
            numberPattern = template.numberPattern
            wording = template.wording
            note = saved?.note
            savedBy = saved?.createdBy
            savedAt = saved.map { JSONBody.timestamp($0.createdAt) }
        }
    }

    struct SlotDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case name, label, customary, placeholders, text
        }

        let name: String
        let label: String
        let customary: String
        let placeholders: [String]
        /// The wording in force: the template's, else the customary.
        let text: String
    }

    /// The kind's current template with its slots and every saved version, newest first.
    struct TemplateDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case kind, title, current, slots, numberPlaceholders = "number_placeholders", history
        }

        let kind: String
        let title: String
        let current: VersionDTO
        let slots: [SlotDTO]
        let numberPlaceholders: [String]
        let history: [VersionDTO]

        init(kind: DocumentKind, history: [SavedDocumentTemplate]) {
            let latest = history.first
            let template = latest?.template ?? .customary(kind)
            self.kind = kind.rawValue
            title = kind.title
            current = VersionDTO(template, saved: latest)
            slots = kind.slots.map {
                SlotDTO(name: $0.name, label: $0.label, customary: $0.text, placeholders: $0.placeholders, text: template.wording[$0.name] ?? $0.text)
            }
            numberPlaceholders = DocumentTemplate.numberPlaceholders
            self.history = history.map { VersionDTO($0.template, saved: $0) }
        }
    }
}
