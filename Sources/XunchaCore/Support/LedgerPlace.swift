import Foundation

/// What the office's ledgers (问题清单/整改台账, 线索台账) have in common when imported through the
/// import framework (`LedgerImport`): where a row's work was done, the days as spreadsheets write
/// them, and the readers of their cells (`ImportRow`'s ledger readers below).
public enum LedgerRows {
    /// The place columns both ledgers carry, by key and title.
    static let placeColumns: [ImportColumn] = [
        .init(key: "unit", title: "被巡察单位", required: true, aliases: ["单位", "被巡察党组织"]),
        .init(key: "round", title: "巡察轮次", required: true, aliases: ["轮次"]),
        .init(key: "batch", title: "批次"),
        .init(key: "group", title: "巡察组", required: true),
    ]

    /// 四种形态 as ledgers write it: 第一种形态（…）, 第一种, 一, 1 or the code `first`.
    public static func form(_ text: String) -> Int? {
        let codes = ["first", "second", "third", "fourth"]
        if let index = codes.firstIndex(of: text.lowercased()) { return index + 1 }
        if let n = Int(text), (1...4).contains(n) { return n }
        if let entry = ClassificationCatalog.fourForms.entries.first(where: { $0.title == text }) { return codes.firstIndex(of: entry.code).map { $0 + 1 } }
        var short = text
        for suffix in ["形态", "种"] where short.hasSuffix(suffix) { short.removeLast(suffix.count) }
        if short.hasPrefix("第") { short.removeFirst() }
        return ChineseNumber.value(short).flatMap { (1...4).contains($0) ? $0 : nil }
    }
}

/// Where a row's work was done: the unit, the round and batch, the group — names the store
/// resolves within the importer's committee to the one assignment they describe.
public struct LedgerPlace: Sendable, Hashable {
    public var unitName: String
    public var round: RoundReference
    /// 第几批; nil when the ledger does not say (the round's one assignment of the unit and group).
    public var batch: Int?
    public var groupName: String

    public init(unitName: String, round: RoundReference, batch: Int?, groupName: String) {
        self.unitName = unitName
        self.round = round
        self.batch = batch
        self.groupName = groupName
    }
}

/// A round as a ledger names it: 十五届第1轮, 第1轮, 第一轮（常规）, or just its number.
public struct RoundReference: Sendable, Hashable, CustomStringConvertible {
    /// 届次, when the ledger names it.
    public var term: String?
    public var sequence: Int

    public init(term: String?, sequence: Int) {
        self.term = term
        self.sequence = sequence
    }

    public init?(text: String) {
        var text = text.trimmingCharacters(in: .whitespaces)
        if let bracket = text.firstIndex(where: { $0 == "（" || $0 == "(" }) { text = String(text[..<bracket]) }
        if let n = Int(text), n > 0 {
            self.init(term: nil, sequence: n)
            return
        }
        guard text.hasSuffix("轮") else { return nil }
        text.removeLast()
        let numeral = String(text.reversed().prefix { $0.isNumber || ChineseNumber.digits[$0] != nil }.reversed())
        guard let sequence = Int(numeral) ?? ChineseNumber.value(numeral), sequence > 0 else { return nil }
        text.removeLast(numeral.count)
        if text.hasSuffix("第") { text.removeLast() }
        self.init(term: text.isEmpty ? nil : text, sequence: sequence)
    }

    public var description: String { (term ?? "") + "第\(sequence)轮" }
}

/// Days as Excel and WPS leave them in a ledger: 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, or
/// the date serial number a cell formatted as a date holds (days since 1899-12-30).
public enum LedgerDay {
    public static func parse(_ text: String) -> CalendarDay? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let serial = Double(text), serial >= 1, serial < 2_958_466, text.allSatisfy({ $0.isNumber || $0 == "." }) {
            return CalendarDay(year: 1899, month: 12, day: 30).adding(days: Int(serial))
        }
        var normal = text.replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-")
        if normal.hasSuffix("日") || normal.hasSuffix("号") { normal.removeLast() }
        let parts = normal.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map(String.init)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        return try? CalendarDay(text: String(format: "%04d-%02d-%02d", year, month, day), field: "date", label: "日期")
    }
}

/// The readers the two hardest ledgers need beside the framework's own: each records a problem in
/// its cell, said as 第N行“列名”列：…, and answers nil.
extension ImportRow {
    /// A cell that must be filled in.
    mutating func required(_ key: String) -> String? {
        guard let text = optional(key) else {
            problem(key, code: "required", "不能为空")
            return nil
        }
        return text
    }

    /// A value checked by the domain's own rule; its refusal is the problem of the cell it names
    /// (its field, when that is a column of the ledger), else of `key`'s.
    mutating func checked<T>(_ key: String, _ check: () throws(DomainError) -> T) -> T? {
        do {
            return try check()
        } catch {
            problem(error.field.flatMap { field in columns.contains { $0.key == field } ? field : nil } ?? key, code: error.code, error.message)
            return nil
        }
    }

    /// A single-line cell under the text rules.
    mutating func singleLine(_ key: String, label: String, maxLength: Int, required: Bool = false) -> String? {
        let text = optional(key)
        if required, text == nil { return self.required(key) }
        return checked(key) { () throws(DomainError) in try TextRules.optionalLine(text, field: key, label: label, maxLength: maxLength) } ?? nil
    }

    /// A multi-line cell under the text rules.
    mutating func paragraph(_ key: String, label: String, maxLength: Int) -> String? {
        let text = optional(key)
        return checked(key) { () throws(DomainError) in try TextRules.optionalText(text, field: key, label: label, maxLength: maxLength) } ?? nil
    }

    /// A value of a vocabulary by its code, its title or one of the ledger's other words for it.
    mutating func code<T: CodedTitle>(_ key: String, _ type: T.Type, also synonyms: [String: T] = [:], required: Bool = false) -> T? {
        guard let text = required ? self.required(key) : optional(key) else { return nil }
        guard let value = T(code: text) ?? synonyms[text] else {
            let words = T.allCases.map(\.title) + synonyms.keys.sorted()
            problem(key, code: "unknown_value", "“\(text)”不是可识别的值（可填：\(words.joined(separator: "、"))）")
            return nil
        }
        return value
    }

    /// 四种形态, 1–4.
    mutating func form(_ key: String) -> Int? {
        guard let text = optional(key) else { return nil }
        guard let form = LedgerRows.form(text) else {
            problem(key, code: "unknown_value", "“\(text)”不是四种形态之一（可填：第一种形态 … 第四种形态）")
            return nil
        }
        return form
    }

    /// The unit, round, batch and group of the row.
    mutating func place() -> LedgerPlace? {
        let unit = required("unit")
        let group = required("group")
        var round: RoundReference?
        if let text = required("round") {
            round = RoundReference(text: text)
            if round == nil { problem("round", "“\(text)”不是可识别的轮次（可写作十五届第1轮、第1轮或1）") }
        }
        var batch: Int?
        if var text = optional("batch") {
            if text.hasPrefix("第") { text.removeFirst() }
            if text.hasSuffix("批") { text.removeLast() }
            batch = ChineseNumber.value(text)
            if batch == nil { problem("batch", "“\(text)”不是可识别的批次（可写作第1批或1）") }
        }
        guard let unit, let group, let round, optional("batch") == nil || batch != nil else { return nil }
        return LedgerPlace(unitName: unit, round: round, batch: batch, groupName: group)
    }
}
