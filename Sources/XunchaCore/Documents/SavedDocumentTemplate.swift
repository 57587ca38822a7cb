import Foundation

/// One version of a committee's template as the office saved it: the template, who saved it,
/// when, and why (变更说明). Version 0 is the customary template, which nobody saved.
public struct SavedDocumentTemplate: Sendable, Equatable {
    public var template: DocumentTemplate
    public var note: String?
    public var createdBy: String
    public var createdAt: Date

    public init(template: DocumentTemplate, note: String?, createdBy: String, createdAt: Date) {
        self.template = template
        self.note = note
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

extension DocumentTemplate {
    /// What an office typed, as a template: blank fields and wording left as the customary text
    /// keep the customary one (so a template holds only what the office changed), lines are
    /// trimmed, and each is refused when too long, before `validate()` checks the placeholders.
    public static func typed(
        _ kind: DocumentKind, issuerMark: String?, signature: String?, printedBy: String?, numberPattern: String?, wording: [String: String]
    ) throws -> DocumentTemplate {
        var kept: [String: String] = [:]
        for (name, text) in wording {
            let label = kind.slot(name)?.label ?? name
            if let typed = try TextRules.optionalText(text, field: name, label: label, maxLength: 2_000), typed != kind.slot(name)?.text {
                kept[name] = typed
            }
        }
        let template = DocumentTemplate(
            kind: kind, issuerMark: try TextRules.optionalLine(issuerMark, field: "issuer_mark", label: "发文机关标志", maxLength: 60),
            signature: try TextRules.optionalLine(signature, field: "signature", label: "发文机关署名", maxLength: 60),
            printedBy: try TextRules.optionalLine(printedBy, field: "printed_by", label: "印发机关", maxLength: 60),
            numberPattern: try TextRules.optionalLine(numberPattern, field: "number_pattern", label: "发文字号格式", maxLength: 60), wording: kept)
        try template.validate()
        return template
    }

    /// Whether the template changes nothing of the customary one (恢复惯例 saves such a version).
    public var isCustomary: Bool {
        issuerMark == nil && signature == nil && printedBy == nil && numberPattern == nil && wording.isEmpty
    }
}
