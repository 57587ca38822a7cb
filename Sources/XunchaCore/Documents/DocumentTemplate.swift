import Foundation

/// 公文种类: every document the system issues or keeps. A committee's template is kept per kind.
public enum DocumentKind: String, CaseIterable, Codable, Sendable, CodedTitle {
    case notice
    case announcement
    case immediate
    case leadTransfer = "lead_transfer"
    case leadList = "lead_list"
    case inspectionReport = "inspection_report"
    case specialReport = "special_report"
    case feedback
    case rectificationPlan = "rectification_plan"
    case rectificationReport = "rectification_report"
    case principalReport = "principal_report"
    case evaluation
    case thematicReport = "thematic_report"
    case ledger
    case yearSummary = "year_summary"

    public var title: String {
        switch self {
        case .notice: "巡察通知"
        case .announcement: "巡察公告"
        case .immediate: "立行立改通知书"
        case .leadTransfer: "问题线索移交函"
        case .leadList: "问题线索移交清单"
        case .inspectionReport: "巡察报告"
        case .specialReport: "专题报告（一巡双报告）"
        case .feedback: "反馈意见"
        case .rectificationPlan: "整改方案"
        case .rectificationReport: "整改情况报告"
        case .principalReport: "主要负责人组织落实整改情况报告"
        case .evaluation: "整改评估意见"
        case .thematicReport: "专题报告（送职能部门）"
        case .ledger: "整改台账"
        case .yearSummary: "巡察工作综述"
        }
    }

    /// The fixed wording of the kind a template may reword, with the customary text. Each kind's
    /// list lives beside the builder that fills it (`DocumentKind.<kind>Slots`).
    public var slots: [DocumentSlot] {
        switch self {
        case .notice: Self.noticeSlots
        case .immediate: Self.immediateSlots
        case .feedback: Self.feedbackSlots
        case .announcement: Self.announcementSlots
        case .inspectionReport: Self.inspectionReportSlots
        case .specialReport: Self.specialReportSlots
        case .rectificationPlan: Self.rectificationPlanSlots
        case .rectificationReport: Self.rectificationReportSlots
        case .principalReport: Self.principalReportSlots
        case .evaluation: Self.evaluationSlots
        case .thematicReport: Self.thematicReportSlots
        case .leadTransfer: Self.leadTransferSlots
        case .leadList: Self.leadListSlots
        case .ledger: Self.ledgerSlots
        case .yearSummary: Self.yearSummarySlots
        }
    }

    public func slot(_ name: String) -> DocumentSlot? { slots.first { $0.name == name } }
}

/// One piece of a kind's fixed wording: the text around a record's fields, with `{占位符}` the
/// builder fills in (e.g. "请于{整改期限}前完成整改").
public struct DocumentSlot: Sendable, Equatable {
    /// The key the builder asks by, e.g. "opening".
    public let name: String
    /// What the office sees on the template form, e.g. "开头语".
    public let label: String
    /// The customary wording.
    public let text: String
    /// The placeholders the builder fills, without braces.
    public let placeholders: [String]

    public init(_ name: String, label: String, text: String, placeholders: [String] = []) {
        self.name = name
        self.label = label
        self.text = text
        self.placeholders = placeholders
    }
}

/// 公文模板: what a committee's office sets for one kind of document without code — the 红头,
/// the signature block, the printing office, the pattern its numbers follow and the fixed wording.
/// Versions are never edited: a change is a new version, and a document issued under version 3
/// is produced from version 3 ever after, so issuing it again gives the same document.
public struct DocumentTemplate: Sendable, Equatable {
    public var kind: DocumentKind
    /// 0 is the customary template every committee starts with; a saved template is 1, 2, …
    public var version: Int
    /// 发文机关标志 (红头); nil keeps the customary one.
    public var issuerMark: String?
    /// 发文机关署名; nil keeps the customary one.
    public var signature: String?
    /// 印发机关; nil keeps the customary one.
    public var printedBy: String?
    /// 发文字号 pattern, e.g. "江巡立改〔{年}〕{序号}号"; nil keeps how the record is numbered.
    public var numberPattern: String?
    /// Reworded slots by name; a slot not here keeps its customary text.
    public var wording: [String: String]

    public init(
        kind: DocumentKind, version: Int = 0, issuerMark: String? = nil, signature: String? = nil, printedBy: String? = nil,
        numberPattern: String? = nil, wording: [String: String] = [:]
    ) {
        self.kind = kind
        self.version = version
        self.issuerMark = issuerMark
        self.signature = signature
        self.printedBy = printedBy
        self.numberPattern = numberPattern
        self.wording = wording
    }

    /// The template a committee has until its office saves one.
    public static func customary(_ kind: DocumentKind) -> DocumentTemplate { DocumentTemplate(kind: kind) }

    /// The placeholders a number pattern may use.
    public static let numberPlaceholders = ["年", "序号"]

    /// The frame with this template's 红头, 署名 and 印发机关 over the customary `frame`.
    public func frame(over customary: DocumentFrame) -> DocumentFrame {
        DocumentFrame(
            issuerMark: issuerMark ?? customary.issuerMark, signature: signature ?? customary.signature,
            printedBy: printedBy ?? customary.printedBy)
    }

    /// A slot's wording with its placeholders filled from `values`. A slot the kind does not have
    /// is a bug in the builder, not an office's mistake.
    public func text(_ slot: String, _ values: [String: String] = [:]) -> String {
        guard let declared = kind.slot(slot) else { preconditionFailure("\(kind.rawValue) has no slot \(slot)") }
        return Self.fill(wording[slot] ?? declared.text, values)
    }

    /// The 发文字号 this template gives the `sequence`th document of `year`, or nil when it keeps
    /// the record's own numbering.
    public func number(year: Int, sequence: Int) -> String? {
        numberPattern.map { Self.fill($0, ["年": String(year), "序号": String(sequence)]) }
    }

    static func fill(_ text: String, _ values: [String: String]) -> String {
        var out = text
        for (name, value) in values { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }

    /// The `{…}` placeholders written in a text.
    public static func placeholders(in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: #"\{([^{}]*)\}"#) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// Refuses a template an office could not mean: a slot the kind does not have, a placeholder its
    /// builder does not fill (a typo would be printed as written), an empty title.
    public func validate() throws {
        for (name, text) in wording.sorted(by: { $0.key < $1.key }) {
            guard let slot = kind.slot(name) else {
                throw DomainError(
                    .invalidInput, code: "unknown_slot", message: "\(kind.title)没有“\(name)”这一固定用语",
                    english: "\(kind.rawValue) has no slot \(name)", field: "wording")
            }
            if let unknown = Self.placeholders(in: text).first(where: { !slot.placeholders.contains($0) }) {
                throw DomainError(
                    .invalidInput, code: "unknown_placeholder",
                    message: "“\(slot.label)”中的占位符{\(unknown)}无法识别，可用：\(Self.listed(slot.placeholders))",
                    english: "unknown placeholder {\(unknown)} in \(name)", field: name)
            }
            if name == "title", text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw DomainError(.invalidInput, code: "required", message: "标题不能为空", english: "the title is required", field: name)
            }
        }
        if let pattern = numberPattern, let unknown = Self.placeholders(in: pattern).first(where: { !Self.numberPlaceholders.contains($0) }) {
            throw DomainError(
                .invalidInput, code: "unknown_placeholder",
                message: "发文字号格式中的占位符{\(unknown)}无法识别，可用：\(Self.listed(Self.numberPlaceholders))",
                english: "unknown placeholder {\(unknown)} in the number pattern", field: "number_pattern")
        }
    }

    static func listed(_ names: [String]) -> String {
        names.isEmpty ? "（无）" : names.map { "{\($0)}" }.joined(separator: "、")
    }
}
