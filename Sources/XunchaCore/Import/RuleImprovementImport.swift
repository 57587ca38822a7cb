import Foundation

/// 制度建设台账: the rules and processes units established or revised, one a row, each linked to
/// the problems it answers — by the problems' numbers in the adopting unit's latest issued feedback
/// (“1、3”) and by 立行立改通知书编号. An adopter the register does not know is recorded as a
/// 制定机关 (市委、职能部门 …).
public enum RuleImprovementImport: LedgerImportPlan {
    public static let kind = LedgerKind.ruleImprovements

    public static let columns: [ImportColumn] = [
        .init(key: "title", title: "制度名称", required: true, aliases: ["名称", "制度（流程）名称"]),
        .init(key: "kind", title: "建立或完善", required: true, aliases: ["类型", "建立/完善"]),
        .init(key: "scope", title: "制度或流程", aliases: ["制度/流程"]),
        .init(key: "document_number", title: "文号"),
        .init(key: "adopted_on", title: "印发日期", required: true, aliases: ["施行日期", "印发（施行）日期", "出台时间"], isDate: true),
        .init(key: "adopter", title: "制定单位", required: true, aliases: ["单位", "制定机关"]),
        .init(key: "description", title: "主要内容", required: true, aliases: ["内容"]),
        .init(key: "problems", title: "关联问题序号", aliases: ["关联问题"]),
        .init(key: "immediates", title: "关联立行立改编号", aliases: ["立行立改通知书编号"]),
    ]

    /// A row as read: the adopter by name, the links by number; the writer finds them.
    public struct Draft: Sendable, Equatable {
        public var adopter: String
        public var title: String
        public var kind: RuleImprovementKind
        /// 制度 unless the row says 流程.
        public var scope: RuleImprovementScope = .rule
        public var documentNumber: String?
        public var adoptedOn: CalendarDay
        public var description: String
        /// Problems' numbers (序号) in the adopter's latest issued feedback.
        public var problemNumbers: [Int]
        /// 立行立改通知书编号.
        public var immediateNumbers: [String]
    }

    static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isNewline || "、,，;；".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public static func draft(_ row: inout ImportRow, today: CalendarDay) -> Draft? {
        let kind = row.coded(RuleImprovementKind.self, "kind")
        let scope = row.coded(RuleImprovementScope.self, "scope") ?? .rule
        let adoptedOn = row.day("adopted_on")
        var numbers: [Int] = []
        for part in list(row.text("problems")) {
            // “问题3”, “第3个”, “3”.
            let digits = part.filter(\.isNumber)
            guard let number = Int(digits), number > 0 else {
                row.problem("problems", "“\(part)”不是问题序号，应写反馈问题的序号，如“1、3”")
                continue
            }
            numbers.append(number)
        }
        let immediates = list(row.text("immediates"))
        if numbers.isEmpty && immediates.isEmpty && row.text("problems").isEmpty {
            row.problem("problems", code: "problems_required", "请至少关联一个反馈问题序号或立行立改通知书编号")
        }
        guard row.problems.isEmpty, let kind, let adoptedOn else { return nil }
        let (adopterText, title, documentNumber, description) = (row.text("adopter"), row.text("title"), row.optional("document_number"), row.text("description"))
        if let adopter = row.check({ () throws(DomainError) in try TextRules.requiredLine(adopterText, field: "adopter", label: "制定单位", maxLength: 100) }),
            let text = row.check({ () throws(DomainError) in try AdoptedRule.text(title: title, documentNumber: documentNumber, description: description) }),
            row.check({ () throws(DomainError) in try AdoptedRule.check(adoptedOn: adoptedOn, today: today) }) != nil
        {
            var draft = Draft(
                adopter: adopter, title: text.title, kind: kind, documentNumber: text.documentNumber, adoptedOn: adoptedOn, description: text.description,
                problemNumbers: numbers, immediateNumbers: immediates)
            draft.scope = scope
            return draft
        }
        return nil
    }
}
