import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 公文模板 pages (系统设置, the office only): the kinds with their current version, and per kind
/// a form of the 红头, 署名, 印发机关, 发文字号格式 and each slot's wording, the version history,
/// and 恢复惯例. Saving is a new version; a refused form keeps what was typed.
struct DocumentTemplatePages {
    let store: Store
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/document-templates") { request, context in try await listPage(request, context: context) }
        router.get("/document-templates/{kind}") { request, context in
            try await templatePage(request, context: context, kind: try DocumentTemplatesController.kind(context), form: nil, error: nil)
        }
        router.post("/document-templates/{kind}") { request, context in try await save(request, context: context) }
        router.post("/document-templates/{kind}/reset") { request, context in try await reset(request, context: context) }
    }

    struct KindRow {
        let title: String
        let href: String
        let version: String
        let savedOn: String
        let savedBy: String
    }

    struct ListPage {
        let chrome: Chrome
        let kinds: [KindRow]
    }

    func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let latest = try await store.documentTemplates(of: try context.ownJurisdiction(), for: actor)
        let model = ListPage(
            chrome: pages.chrome(title: "公文模板", active: .documentTemplates, request: request, context: context),
            kinds: DocumentKind.allCases.map { kind in
                let saved = latest[kind]
                return KindRow(
                    title: kind.title, href: "/document-templates/\(kind.rawValue)", version: Self.versionText(saved?.template.version ?? 0),
                    savedOn: saved.map { Display.time($0.createdAt) } ?? "—", savedBy: saved?.createdBy ?? "—")
            })
        return pages.render("document_templates", model)
    }

    static func versionText(_ version: Int) -> String { version == 0 ? "惯例" : "第\(version)版" }

    /// A slot's field: its label, the customary text as placeholder, the placeholders it accepts.
    struct SlotField {
        let field: String
        let label: String
        let customary: String
        let value: String
        let help: String
        let multiline: Bool
    }

    struct HistoryItem {
        let version: String
        let savedOn: String
        let savedBy: String
        let note: String
        let changes: String
    }

    struct TemplatePage {
        let chrome: Chrome
        let kindTitle: String
        let action: String
        let resetAction: String
        let version: Int
        let versionText: String
        let issuerMark: String
        let signature: String
        let printedBy: String
        let numberPattern: String
        let customaryIssuer: String
        let customarySignature: String
        let customaryPrintedBy: String
        let numberHelp: String
        let slots: [SlotField]
        let note: String
        let history: [HistoryItem]
        let error: String?
    }

    /// A slot's form field is named apart from the form's own fields.
    static func field(_ slot: String) -> String { "slot_\(slot)" }

    func templatePage(_ request: Request, context: AppRequestContext, kind: DocumentKind, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let jurisdiction = try context.ownJurisdiction()
        let history = try await store.documentTemplateHistory(kind, of: jurisdiction, for: actor)
        let current = history.first?.template ?? .customary(kind)
        let frame = try await store.customaryFrame(kind, of: jurisdiction)
        let model = TemplatePage(
            chrome: pages.chrome(title: "公文模板：\(kind.title)", active: .documentTemplates, request: request, context: context),
            kindTitle: kind.title, action: "/document-templates/\(kind.rawValue)", resetAction: "/document-templates/\(kind.rawValue)/reset",
            version: current.version, versionText: Self.versionText(current.version),
            issuerMark: form?["issuer_mark"] ?? current.issuerMark ?? "", signature: form?["signature"] ?? current.signature ?? "",
            printedBy: form?["printed_by"] ?? current.printedBy ?? "", numberPattern: form?["number_pattern"] ?? current.numberPattern ?? "",
            customaryIssuer: frame.issuerMark, customarySignature: frame.signature, customaryPrintedBy: frame.printedBy,
            numberHelp: "可用占位符：\(Self.listed(DocumentTemplate.numberPlaceholders))。" + Self.numbering(kind),
            slots: kind.slots.map { slot in
                SlotField(
                    field: Self.field(slot.name), label: slot.label, customary: slot.text,
                    value: form?[Self.field(slot.name)] ?? current.wording[slot.name] ?? "",
                    help: slot.placeholders.isEmpty ? "不含占位符。留空则使用惯例用语。" : "可用占位符：\(Self.listed(slot.placeholders))。留空则使用惯例用语。",
                    multiline: slot.text.count > 30)
            },
            note: form?["note"] ?? "",
            history: history.map { saved in
                HistoryItem(
                    version: Self.versionText(saved.template.version), savedOn: Display.time(saved.createdAt), savedBy: saved.createdBy,
                    note: saved.note ?? "", changes: Self.changes(saved.template))
            },
            error: error?.message)
        return pages.render("document_template", model, refused: error.map { Self.onForm($0, kind: kind) })
    }

    /// What the number pattern does for the kind: the system numbers the 立行立改通知书 itself;
    /// where the office types the number, the pattern suggests the next one.
    static func numbering(_ kind: DocumentKind) -> String {
        switch kind {
        case .immediate: "设置后，新下达的立行立改通知书按此格式编号；留空则按惯例编号。"
        case .notice, .feedback: "设置后，拟制时按此格式预填下一个文号（可修改）；留空则由经办人填写。"
        default: "留空则沿用惯例编号方式。"
        }
    }

    static func listed(_ names: [String]) -> String { names.map { "{\($0)}" }.joined(separator: "、") }

    /// What a version changes, in words ("红头、标题"), or that it keeps the customary template.
    static func changes(_ template: DocumentTemplate) -> String {
        var parts: [String] = []
        if template.issuerMark != nil { parts.append("红头") }
        if template.signature != nil { parts.append("署名") }
        if template.printedBy != nil { parts.append("印发机关") }
        if template.numberPattern != nil { parts.append("发文字号格式") }
        parts += template.kind.slots.filter { template.wording[$0.name] != nil }.map(\.label)
        return parts.isEmpty ? "恢复惯例" : parts.joined(separator: "、")
    }

    /// A refusal naming a slot names its form field, so it is said beside it.
    static func onForm(_ error: DomainError, kind: DocumentKind) -> DomainError {
        guard let field = error.field, kind.slot(field) != nil else { return error }
        var marked = error
        marked.field = Self.field(field)
        return marked
    }

    func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await saveVersion(request, context: context, keepsTyped: true) { kind, form in
            try DocumentTemplate.typed(
                kind, issuerMark: form["issuer_mark"], signature: form["signature"], printedBy: form["printed_by"], numberPattern: form["number_pattern"],
                wording: Dictionary(uniqueKeysWithValues: kind.slots.compactMap { slot in form[Self.field(slot.name)].map { (slot.name, $0) } }))
        }
    }

    /// 恢复惯例: a new version that overrides nothing.
    func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await saveVersion(request, context: context, keepsTyped: false) { kind, _ in .customary(kind) }
    }

    /// Saves the template a form gives as the kind's next version and returns to the kind's page;
    /// refused, the page is shown again (with what was typed, when `keepsTyped`).
    func saveVersion(
        _ request: Request, context: AppRequestContext, keepsTyped: Bool, template: @escaping (DocumentKind, FormInput) throws -> DocumentTemplate
    ) async throws -> Response {
        let kind = try DocumentTemplatesController.kind(context)
        let origin = try context.origin()
        return try await PageForm.submit(request, context: context) { form in
            let saved = try await store.saveDocumentTemplate(
                try template(kind, form), of: try context.ownJurisdiction(), note: form["note"] ?? (keepsTyped ? nil : "恢复惯例"),
                version: try form.version(), origin: origin)
            return PageRenderer.redirect(
                "/document-templates/\(kind.rawValue)", notice: .templateSaved, about: "《\(kind.title)》\(Self.versionText(saved.template.version))")
        } reshow: { form, error in
            try await templatePage(request, context: context, kind: kind, form: keepsTyped ? form : nil, error: error)
        }
    }
}
