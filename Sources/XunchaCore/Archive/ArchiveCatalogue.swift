import Foundation

/// 保管期限 (DA/T 22-2015 §5): how long the archive keeps a 件.
public enum RetentionPeriod: String, CaseIterable, Codable, Sendable, CodedTitle {
    case permanent
    case thirtyYears = "thirty_years"
    case tenYears = "ten_years"

    public var title: String {
        switch self {
        case .permanent: "永久"
        case .thirtyYears: "定期30年"
        case .tenYears: "定期10年"
        }
    }
}

/// 保管期限表: each document kind's period, a committee setting. The customary table keeps what
/// the committee decides and issues (notices, reports, feedback, evaluations) for ever, the unit's
/// rectification papers 30 years and working lists 10 years.
public struct RetentionSchedule: Sendable, Equatable, Codable {
    public var periods: [String: RetentionPeriod]

    public init(periods: [DocumentKind: RetentionPeriod] = [:]) {
        self.periods = Dictionary(uniqueKeysWithValues: periods.map { ($0.key.rawValue, $0.value) })
    }

    public static let customary = RetentionSchedule()

    public func period(of kind: DocumentKind) -> RetentionPeriod { periods[kind.rawValue] ?? Self.customaryPeriod(of: kind) }

    /// The whole table, every kind with its period (the committee's or the customary one).
    public var table: [DocumentKind: RetentionPeriod] { Dictionary(uniqueKeysWithValues: DocumentKind.allCases.map { ($0, period(of: $0)) }) }

    /// A change typed by the office: document kinds by code, periods by code or title (永久 …);
    /// kinds left out keep their period.
    public func changed(_ codes: [String: String]) throws(DomainError) -> RetentionSchedule {
        var next = self
        for (kindCode, periodCode) in codes {
            guard let kind = DocumentKind(rawValue: kindCode) else {
                throw .invalid("unknown_document_kind", "公文种类“\(kindCode)”不存在", english: "unknown document kind", field: "retention")
            }
            guard let period = RetentionPeriod(code: periodCode) else {
                throw .invalid("unknown_retention", "保管期限须为永久、定期30年或定期10年", english: "retention must be permanent, thirty_years or ten_years", field: "retention")
            }
            next.periods[kind.rawValue] = period
        }
        return next
    }

    public static func customaryPeriod(of kind: DocumentKind) -> RetentionPeriod {
        switch kind {
        case .notice, .announcement, .immediate, .leadTransfer, .inspectionReport, .specialReport, .feedback, .evaluation, .yearSummary: .permanent
        case .rectificationPlan, .rectificationReport, .principalReport, .thematicReport: .thirtyYears
        case .leadList, .ledger: .tenYears
        }
    }
}

/// One 件 as it goes into the 归档文件目录 before it has its number.
public struct ArchivedItem: Sendable, Equatable {
    public var kind: DocumentKind
    public var recordID: UUID
    /// 责任者: the body that issued it.
    public var author: String
    public var number: String?
    public var title: String
    public var date: CalendarDay
    public var pages: Int
    public var secrecy: String?
    public var retention: RetentionPeriod
    /// The 件's files in the package, for the 备注.
    public var files: [String]

    public init(
        kind: DocumentKind, recordID: UUID, author: String, number: String?, title: String, date: CalendarDay, pages: Int, secrecy: String?,
        retention: RetentionPeriod, files: [String]
    ) {
        self.kind = kind
        self.recordID = recordID
        self.author = author
        self.number = number
        self.title = title
        self.date = date
        self.pages = pages
        self.secrecy = secrecy
        self.retention = retention
        self.files = files
    }
}

/// 归档文件目录 (DA/T 22-2015 §7, 附录): 件号, 责任者, 文号, 题名, 日期, 页数, 密级, 保管期限, 备注.
/// 件 are arranged by 保管期限 (永久 first), then by date, then by 文号 and 题名 so the order is
/// stable, and numbered from 1 in that order.
public enum ArchiveCatalogue {
    public static let columns = ["件号", "责任者", "文号", "题名", "日期", "页数", "密级", "保管期限", "备注"]

    public static func arranged(_ items: [ArchivedItem]) -> [ArchivedItem] {
        let rank = Dictionary(uniqueKeysWithValues: RetentionPeriod.allCases.enumerated().map { ($1, $0) })
        return items.sorted {
            (rank[$0.retention]!, $0.date, $0.number ?? "", $0.title, $0.recordID.uuidString)
                < (rank[$1.retention]!, $1.date, $1.number ?? "", $1.title, $1.recordID.uuidString)
        }
    }

    /// The rows of the 目录, numbered; dates as DA/T 22 writes them (20261224).
    public static func rows(_ items: [ArchivedItem]) -> [[String]] {
        arranged(items).enumerated().map { index, item in
            [
                String(index + 1), item.author, item.number ?? "", item.title, item.date.description.replacingOccurrences(of: "-", with: ""),
                String(item.pages), item.secrecy ?? "", item.retention.title,
                "页数为估算（按GB/T 9704每页22行、每行28字计）；文件：" + item.files.joined(separator: "、"),
            ]
        }
    }
}

/// 页数 of a 公文 estimated from its text, without laying it out: the .docx writer sets every line at
/// the standard's exact pitch, so a page holds 22 lines (GB/T 9704-2012 §5.2.2); a line of the
/// 版心 (156 mm) holds 27.6 characters of 3号 (the standard rounds it to 28), 19.9 of the 2号
/// title and 29.6 of the 4号 版记. Latin letters and digits count half. An estimate: the
/// e2e test holds it within one page of LibreOffice's count.
public enum PageEstimate {
    public static let linesPerPage = 22
    static let bodyPerLine = 27.6, titlePerLine = 19.9, smallPerLine = 29.6

    public static func pages(of document: OfficialDocument) -> Int {
        max(1, Int((Double(lines(of: document)) / Double(linesPerPage)).rounded(.up)))
    }

    public static func lines(of document: OfficialDocument) -> Int {
        var lines = [document.copyNumber, document.secrecy, document.urgency].compactMap { $0 }.count
        lines += 1 + 1 + 1 + 2  // 红头, a blank, 发文字号 over the red rule, two blanks
        lines += count(document.title, perLine: titlePerLine) + 1
        if let addressee = document.addressee { lines += count(addressee + "：", perLine: bodyPerLine) }
        for block in document.body {
            switch block {
            case .heading(_, let text), .paragraph(let text): lines += count(text, perLine: bodyPerLine, indent: 2)
            case .table(let table): lines += tableLines(table)
            }
        }
        lines += 2 + 1 + 1 + 1  // two blanks, 署名, 成文日期, a blank
        if !document.copiesTo.isEmpty { lines += count("抄送：" + document.copiesTo.joined(separator: "，") + "。", perLine: smallPerLine - 2) }
        return lines + 1  // 印发机关和印发日期
    }

    /// A table's rows, each as tall as its most wrapped cell, a cell's share of the line its column's
    /// (even shares when the table gives none).
    static func tableLines(_ table: DocumentTable) -> Int {
        let columns = max(1, table.columnCount)
        let shares = table.widths.map { widths in widths.map { $0 / max(widths.reduce(0, +), 1) } } ?? Array(repeating: 1 / Double(columns), count: columns)
        return (table.header + table.rows + [table.totals].compactMap { $0 }).reduce(0) { total, row in
            let cells = row.enumerated().map { index, cell in count(cell, perLine: max(1, bodyPerLine * (index < shares.count ? shares[index] : 0))) }
            return total + (cells.max() ?? 1)
        }
    }

    static func count(_ text: String, perLine: Double, indent: Double = 0) -> Int {
        let width = text.unicodeScalars.reduce(indent) { $0 + ($1.value > 0x2E80 ? 1 : 0.5) }
        return max(1, Int((width / perLine).rounded(.up)))
    }
}
