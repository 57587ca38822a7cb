import Foundation
import Hummingbird
import XunchaCore
import XunchaSheets
import XunchaStore

/// A ledger (台账) as it leaves the system: a title, its columns and its rows as text. The same
/// table becomes a CSV file or an Excel workbook, where each column's declared kind types its
/// cells (numbers, percentages, days; identifiers stay text).
struct LedgerTable: Sendable {
    struct Column: Sendable {
        let header: String
        /// The width in Excel, in characters (a CJK character counts two).
        let width: Int
        /// What the column holds, declared once: its cells' type in the workbook.
        let kind: XLSXWriter.Kind

        init(_ header: String, _ width: Int, _ kind: XLSXWriter.Kind = .text) {
            self.header = header
            self.width = width
            self.kind = kind
        }
    }

    let title: String
    let columns: [Column]
    var rows: [[String]]
    /// The day the rows are read as of (数据截至), when not the day of the export.
    var asOf: CalendarDay?

    init(_ title: String, columns: [Column], rows: [[String]] = [], asOf: CalendarDay? = nil) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.asOf = asOf
    }

    var header: [String] { columns.map(\.header) }

    /// The printed ledger's title row: 任务清单（截至2026年12月31日）.
    func heading(on day: CalendarDay) -> String { "\(title)（截至\(DateText.prose(asOf ?? day))）" }

    /// The table as a workbook; `printed` adds the title row and the 合计 row, as a ledger people
    /// print or add up wants — never on a ledger meant to be imported again.
    func workbook(on day: CalendarDay, printed: Bool) -> Data {
        XLSXWriter.workbook(
            sheet: title, columns: columns.map { XLSXWriter.Column($0.header, width: $0.width, kind: $0.kind) }, rows: rows,
            title: printed ? heading(on: day) : nil, totals: printed)
    }
}

extension LedgerTable {
    /// The table as a document's table: its columns' widths as shares, and the 合计 row the
    /// workbook adds (the `.count` columns summed) when it has rows and such columns.
    var documentTable: DocumentTable {
        let summed = columns.indices.filter { columns[$0].kind == .count }
        var totals: [String]?
        if !rows.isEmpty, !summed.isEmpty {
            totals = columns.indices.map { c in
                summed.contains(c) ? String(rows.reduce(0) { $0 + (Int($1.indices.contains(c) ? $1[c] : "") ?? 0) }) : c == 0 ? "合计" : ""
            }
        }
        return DocumentTable(header: [header], rows: rows, widths: columns.map { Double($0.width) }, totals: totals)
    }
}

/// The file format asked for with `format=csv|xlsx`.
enum ExportFormat: String, Sendable {
    case csv, xlsx

    /// `csv` when nothing is asked for (the dedicated export addresses).
    init(_ text: String?) throws {
        guard let text, !text.isEmpty else { self = .csv; return }
        guard let format = ExportFormat(rawValue: text) else {
            throw DomainError.invalid("unknown_format", "导出格式只支持 csv 或 xlsx", english: "unknown format", field: "format")
        }
        self = format
    }

    /// The format a list request asks for, or nil for the list itself (JSON or the HTML page).
    static func requested(_ parameters: [String: String]) throws -> ExportFormat? {
        guard let text = parameters["format"], !text.isEmpty else { return nil }
        return try ExportFormat(text)
    }

    var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }
}

/// Reads every row of a ledger within the reader's scope and answers it as a download.
///
/// Exports are built in memory: the rows are read through the same scoped, keyset-paged store
/// queries as the lists (so the access policy applies exactly as on screen), a thousand at a
/// time, and refused past `maximumRows` with a 400 that asks for a narrower filter. A ledger of
/// one committee stays far below that bound; streaming would only pay off for the CSV, while the
/// workbook needs every part's size and checksum before its ZIP directory can be written.
enum LedgerExport {
    static let maximumRows = 100_000
    static let pageSize = 1_000

    static func tooMany(_ limit: Int) -> DomainError {
        .invalid(
            "export_too_large", "符合条件的记录超过\(limit)条，无法一次导出，请缩小筛选范围（如按单位、状态或年度筛选）后再导出",
            english: "more than \(limit) rows match; narrow the filter", field: "format")
    }

    /// Every item of a keyset-paged list, page after page; more than `limit` items refuse.
    /// `ordered` is the order the list was asked for (its `sort` and `order`), so the file holds
    /// the rows as the page showed them.
    static func items<Item>(
        limit: Int = maximumRows, pageSize: Int = pageSize, ordered: PageRequest = PageRequest(), _ fetch: (PageRequest) async throws -> Page<Item>
    ) async throws -> [Item] {
        var items: [Item] = []
        var page = PageRequest(limit: pageSize, sort: ordered.sort, order: ordered.order)
        while true {
            let found = try await fetch(page)
            guard items.count + found.items.count <= limit else { throw tooMany(limit) }
            items += found.items
            guard let next = found.nextCursor else { return items }
            page.after = try Cursor(token: next)
        }
    }

    /// Every item of a keyset-paged list as rows, in the order asked for.
    static func rows<Item>(ordered: PageRequest = PageRequest(), _ fetch: (PageRequest) async throws -> Page<Item>, row: (Item) -> [String]) async throws -> [[String]] {
        try await items(ordered: ordered, fetch).map(row)
    }

    /// A list's table as the file its query asks for (`format=csv|xlsx`), dated today; nil when it
    /// asks for none, so the list answers as a page or JSON. The table is read only when asked for.
    static func requested(_ parameters: [String: String], store: Store, _ table: () async throws -> LedgerTable) async throws -> Response? {
        guard let format = try ExportFormat.requested(parameters) else { return nil }
        return response(try await table(), format: format, day: CalendarDay(store.clock.now()))
    }

    /// The table as a download named after it and the day, never cached (it holds scoped data).
    /// `printed` (the lists' exports) gives the workbook its title and 合计 rows; the importable
    /// exports leave them out, so the file imports again as it is.
    static func response(_ table: LedgerTable, format: ExportFormat, day: CalendarDay, printed: Bool = true) -> Response {
        let body: ByteBuffer =
            switch format {
            case .csv: ByteBuffer(string: CSVWriter.document(header: table.header, rows: table.rows))
            case .xlsx: ByteBuffer(bytes: table.workbook(on: day, printed: printed))
            }
        return Response(
            status: .ok,
            headers: [
                .contentType: format.contentType, .contentDisposition: contentDisposition(name: "\(table.title)-\(day.description)", format: format),
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: body))
    }

    /// `attachment` with an ASCII fallback name and the Chinese name in RFC 5987 form (UTF-8, percent-encoded).
    static func contentDisposition(name: String, format: ExportFormat) -> String {
        contentDisposition(name: name, extension: format.rawValue)
    }

    static func contentDisposition(name: String, extension ext: String) -> String {
        let attrChars = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        let encoded = "\(name).\(ext)".addingPercentEncoding(withAllowedCharacters: attrChars) ?? "export.\(ext)"
        return "attachment; filename=\"export.\(ext)\"; filename*=UTF-8''\(encoded)"
    }
}

/// The 导出Excel / 导出CSV links of a list page, carrying its filters but not its position.
struct ExportLinks {
    let excel: String
    let csv: String

    init(_ path: String, _ parameters: [String: String]) {
        excel = ListLink.make(path, parameters, ["cursor": nil, "limit": nil, "notice": nil, "format": "xlsx"])
        csv = ListLink.make(path, parameters, ["cursor": nil, "limit": nil, "notice": nil, "format": "csv"])
    }
}
