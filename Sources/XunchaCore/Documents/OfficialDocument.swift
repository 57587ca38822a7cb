import Foundation

/// 公文: a document as GB/T 9704-2012 lays it out — 版头 (份号, 密级和保密期限, 紧急程度, 发文机关标志,
/// 发文字号), 主体 (标题, 主送机关, 正文, 发文机关署名, 成文日期) and 版记 (抄送机关, 印发机关和印发日期).
///
/// A value with no layout in it: the writer (`DOCXWriter` in XunchaSheets) places each part where the
/// standard puts it. What an office's own template will supply — the 红头, the signature block and the
/// printing office — is gathered in `frame`, so that a committee's template can replace the
/// customary `DocumentFrame.standard(committee:)` without touching how a record becomes a document.
public struct OfficialDocument: Sendable, Equatable {
    /// 份号: six digits, printed only where the record carries one.
    public var copyNumber: String?
    /// 密级和保密期限, e.g. "秘密★1年".
    public var secrecy: String?
    /// 紧急程度: 特急 or 加急.
    public var urgency: String?
    /// 红头, 署名 and 印发机关: what a committee's template supplies.
    public var frame: DocumentFrame
    /// 发文字号 as numbered, e.g. "江巡办发〔2026〕3号".
    public var number: String?
    public var title: String
    /// 主送机关, without the closing colon.
    public var addressee: String?
    public var body: [DocumentBlock]
    /// 成文日期.
    public var date: CalendarDay
    /// 抄送机关.
    public var copiesTo: [String]
    /// 印发日期; the 成文日期 when none is given.
    public var printedOn: CalendarDay
    /// Portrait, or landscape for a register too wide for it (the 版心 turns with the page).
    public var orientation: PageOrientation
    /// A 公文 with its 版头, 署名 and 版记, or a register (台账, 清单): its title and body only.
    public var layout: DocumentLayout

    public init(
        copyNumber: String? = nil, secrecy: String? = nil, urgency: String? = nil, frame: DocumentFrame, number: String?, title: String,
        addressee: String?, body: [DocumentBlock], date: CalendarDay, copiesTo: [String] = [], printedOn: CalendarDay? = nil,
        orientation: PageOrientation = .portrait, layout: DocumentLayout = .official
    ) {
        self.orientation = orientation
        self.layout = layout
        self.copyNumber = copyNumber
        self.secrecy = secrecy
        self.urgency = urgency
        self.frame = frame
        self.number = number
        self.title = title
        self.addressee = addressee
        self.body = body
        self.date = date
        self.copiesTo = copiesTo
        self.printedOn = printedOn ?? date
    }

    /// The 发文字号 with its year in 六角括号 〔〕, as the standard writes it: "[2026]", "（2026）" and
    /// "(2026)" typed by hand become "〔2026〕".
    public static func bracketedNumber(_ number: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: #"[\[（(【]\s*(\d{4})\s*[\]）)】]"#) else { return number }
        let range = NSRange(number.startIndex..., in: number)
        return regex.stringByReplacingMatches(in: number, range: range, withTemplate: "〔$1〕")
    }
}

/// The parts of a document that belong to the issuing body rather than to the record: what a
/// committee's template will set.
public struct DocumentFrame: Sendable, Equatable {
    /// 发文机关标志, printed in red above the number (红头).
    public var issuerMark: String
    /// 发文机关署名 above the 成文日期.
    public var signature: String
    /// 印发机关 in the 版记.
    public var printedBy: String

    public init(issuerMark: String, signature: String, printedBy: String) {
        self.issuerMark = issuerMark
        self.signature = signature
        self.printedBy = printedBy
    }

    /// The customary frame of a committee's 巡察办, until the committee keeps a template of its own.
    /// "江城市委" becomes "中共江城市委巡察工作领导小组办公室".
    public static func standard(committee: String) -> DocumentFrame {
        let office = "\(partyName(committee))巡察工作领导小组办公室"
        return DocumentFrame(issuerMark: office, signature: office, printedBy: office)
    }

    /// The frame of a 巡察组 that issues in its own name (立行立改通知书), printed by the 巡察办.
    public static func group(_ groupName: String, committee: String) -> DocumentFrame {
        let group = "\(partyName(committee))\(groupName)"
        return DocumentFrame(issuerMark: group, signature: group, printedBy: standard(committee: committee).printedBy)
    }

    /// A party committee's name in full: 中共 before it unless it has it already.
    static func partyName(_ committee: String) -> String {
        committee.hasPrefix("中共") || committee.hasPrefix("中国共产党") ? committee : "中共\(committee)"
    }
}

/// How the page stands.
public enum PageOrientation: Sendable, Equatable {
    case portrait
    /// A4 on its side, for a register whose columns do not fit the 156 mm 版心.
    case landscape
}

/// What surrounds the body.
public enum DocumentLayout: Sendable, Equatable {
    /// 版头 (份号, 密级, 红头, 发文字号), title, 主送, body, 署名 and 成文日期, 版记.
    case official
    /// A register that travels as an annex or on its own (台账, 移交清单): 份号 and 密级 where set,
    /// the title and the body; no 红头, 署名 or 版记.
    case register
}

/// A table of the 正文 (a 台账, a 清单, a summary's figures): header rows repeated on every page,
/// body rows, and an optional 合计 row.
public struct DocumentTable: Sendable, Equatable {
    /// The header rows, each as wide as the table.
    public var header: [[String]]
    public var rows: [[String]]
    /// Each column's share of the 版心's width (any positive numbers; they are scaled to fit);
    /// nil shares it equally.
    public var widths: [Double]?
    /// The 合计 row under the body, when the table adds up.
    public var totals: [String]?

    public init(header: [[String]], rows: [[String]], widths: [Double]? = nil, totals: [String]? = nil) {
        self.header = header
        self.rows = rows
        self.widths = widths
        self.totals = totals
    }

    /// The number of columns: the widest of the header, body and totals rows.
    public var columnCount: Int { ([totals ?? []] + header + rows).map(\.count).max() ?? 0 }
}

/// One paragraph of the 正文.
public enum DocumentBlock: Sendable, Equatable {
    /// A heading of level 1 (一、) to 4 (（1）), its number written in `text` as the author gave it.
    case heading(level: Int, text: String)
    case paragraph(String)
    case table(DocumentTable)

    /// The 正文 as the office types it, one paragraph a line: a line that opens with 一、, （一）,
    /// 1. or （1） is a heading of that level; blank lines are dropped.
    public static func parse(_ text: String) -> [DocumentBlock] {
        text.split(whereSeparator: \.isNewline).compactMap { raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { return nil }
            if let level = headingLevel(of: line) { return .heading(level: level, text: line) }
            return .paragraph(line)
        }
    }

    /// The level of a numbered heading: 一、 is 1, （一） is 2, 1. or 1． is 3, （1） is 4.
    public static func headingLevel(of line: String) -> Int? {
        let patterns: [(Int, String)] = [
            (1, #"^[一二三四五六七八九十]+、"#), (2, #"^[（(][一二三四五六七八九十]+[）)]"#), (3, #"^\d+[.．](?!\d)"#), (4, #"^[（(]\d+[）)]"#),
        ]
        return patterns.first { line.range(of: $0.1, options: .regularExpression) != nil }?.0
    }

    /// 一, 二 … 九十九: the numbers of level-1 and level-2 headings.
    public static func chineseNumeral(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard n > 0, n < 100 else { return String(n) }
        if n < 10 { return digits[n] }
        let tens = n / 10, ones = n % 10
        return (tens == 1 ? "" : digits[tens]) + "十" + (ones == 0 ? "" : digits[ones])
    }
}

extension OfficialDocument {
    /// The body of a record's document: a first line ending in a colon is its 主送 (as the
    /// customary notice opens "××党组织："); the rest are its paragraphs.
    public static func addressedBody(_ text: String) -> (addressee: String?, body: [DocumentBlock]) {
        var lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = lines.first, first.count <= 60, first.hasSuffix("：") || first.hasSuffix(":") else {
            return (nil, DocumentBlock.parse(text))
        }
        lines.removeFirst()
        return (String(first.dropLast()), DocumentBlock.parse(lines.joined(separator: "\n")))
    }

    /// 巡察通知 as sent: its own text under the committee's 巡察办.
    public static func notice(_ notice: InspectionNotice, committee: String, template: DocumentTemplate = .customary(.notice)) -> OfficialDocument {
        let (addressee, body) = addressedBody(notice.body)
        let day = CalendarDay(notice.sentAt)
        let title = template.text("title", ["巡察机构": "\(DocumentFrame.partyName(committee))\(notice.groupName)", "被巡察单位": notice.unitName])
        return OfficialDocument(
            frame: template.frame(over: .standard(committee: committee)), number: notice.number.map(bracketedNumber),
            title: title, addressee: addressee ?? "\(notice.unitName)党组织", body: body, date: day)
    }

    /// 立行立改通知书, once issued: the problem, what to do and by when, in the group's name.
    /// Nil before it is issued (it has no number or date yet).
    public static func immediate(
        _ item: ImmediateRectification, groupName: String, committee: String, template: DocumentTemplate = .customary(.immediate)
    ) -> OfficialDocument? {
        guard let issuedAt = item.issuedAt else { return nil }
        var body: [DocumentBlock] = [.paragraph(template.text("opening", ["被巡察单位": item.unitName]))]
        body.append(.heading(level: 1, text: "一、存在的问题"))
        body += DocumentBlock.parse(item.problem ?? "").map(Self.plain)
        body.append(.heading(level: 1, text: "二、整改要求"))
        body += DocumentBlock.parse(item.requirement ?? "").map(Self.plain)
        if let deadline = item.deadline {
            body.append(.heading(level: 1, text: "三、整改时限"))
            body.append(.paragraph(template.text("deadline", ["整改期限": deadline.chineseText])))
        }
        return OfficialDocument(
            frame: template.frame(over: .group(groupName, committee: committee)), number: item.number.map(bracketedNumber),
            title: template.text("title"), addressee: "\(item.unitName)党组织", body: body, date: CalendarDay(issuedAt))
    }

    /// 反馈意见 with its 问题清单 and the two deadlines, once issued; a draft is dated the day it
    /// is read, for the office to review.
    public static func feedback(
        _ feedback: Feedback, committee: String, today: CalendarDay, template: DocumentTemplate = .customary(.feedback)
    ) -> OfficialDocument {
        let document = feedback.document
        var body = DocumentBlock.parse(document.body)
        if !feedback.problems.isEmpty {
            body.append(.heading(level: 1, text: "\(DocumentBlock.chineseNumeral(body.filter(\.isFirstLevel).count + 1))、问题清单"))
            body += feedback.problems.sorted { $0.sequence < $1.sequence }.map { .paragraph("\($0.sequence). \($0.text)") }
        }
        body.append(
            .paragraph(template.text("deadlines", ["方案期限": document.planDue.chineseText, "报告期限": document.reportDue.chineseText])))
        let addressee = document.mainRecipient.hasSuffix("：") ? String(document.mainRecipient.dropLast()) : document.mainRecipient
        return OfficialDocument(
            frame: template.frame(over: .standard(committee: committee)), number: bracketedNumber(document.number), title: document.title,
            addressee: addressee, body: body, date: feedback.issuedAt.map { CalendarDay($0) } ?? today, copiesTo: document.copyRecipients)
    }

    /// A record's free text under a heading the document supplies is plain paragraphs, whatever
    /// its lines begin with.
    static func plain(_ block: DocumentBlock) -> DocumentBlock {
        switch block {
        case .heading(_, let text), .paragraph(let text): .paragraph(text)
        case .table: block
        }
    }
}

extension DocumentBlock {
    var isFirstLevel: Bool {
        if case .heading(1, _) = self { return true }
        return false
    }
}

extension DocumentKind {
    static let noticeSlots = [
        DocumentSlot("title", label: "标题", text: "关于{巡察机构}巡察{被巡察单位}的通知", placeholders: ["巡察机构", "被巡察单位"])
    ]
    static let immediateSlots = [
        DocumentSlot("title", label: "标题", text: "立行立改通知书"),
        DocumentSlot(
            "opening", label: "开头语", text: "巡察组在巡察中发现你单位存在以下问题，属于立行立改事项，现通知如下：", placeholders: ["被巡察单位"]),
        DocumentSlot(
            "deadline", label: "整改时限", text: "请于{整改期限}前完成整改，并将整改措施及成效书面报告巡察组。", placeholders: ["整改期限"]),
    ]
    /// The 反馈意见's title is the record's own; its closing names the two deadlines.
    static let feedbackSlots = [
        DocumentSlot(
            "deadlines", label: "报送要求", text: "请于{方案期限}前报送整改方案，于{报告期限}前报送整改情况报告。", placeholders: ["方案期限", "报告期限"])
    ]
}
