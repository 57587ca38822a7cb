import Foundation
import XunchaCore

/// Writes a one-sheet .xlsx workbook (Office Open XML, as Excel and WPS read it): Chinese text as
/// inline strings, a bold frozen header row with filters and column widths fitted to the text.
/// Each column declares what it holds (`Kind`), once, and its cells are typed by it: numbers as
/// numbers, percentages as numbers shown as percentages, days as date serials shown yyyy-mm-dd — so
/// SUM, sorting and filters work in Excel and WPS — while text that merely looks like a number (文号,
/// 编号, a phone number) stays text. Optionally a title row above the header, merged across the
/// columns, and a 合计 row of SUM formulas under the counts. No file I/O: the workbook comes back as
/// bytes, a ZIP archive (deflated parts) built in memory by ZIPFoundation.
public enum XLSXWriter {
    /// What a column holds, which decides its cells' type and number format.
    public enum Kind: Sendable, Equatable {
        /// Text as written, even when it looks like a number (an identifier, a 文号).
        case text
        /// A number that is not summed (a 序号).
        case number
        /// A count, summed in the totals row.
        case count
        /// A share written as "85%" or "85.7%": the number 0.85 (0.857) shown as a percentage.
        case percent
        /// A day written yyyy-MM-dd: an Excel date serial shown as yyyy-mm-dd.
        case date
    }

    public struct Column: Sendable, Equatable {
        public var header: String
        /// The width in characters; nil fits it to the text.
        public var width: Int?
        public var kind: Kind

        public init(_ header: String, width: Int? = nil, kind: Kind = .text) {
            self.header = header
            self.width = width
            self.kind = kind
        }
    }

    /// `widths` (in characters, one per column) replace the fitted widths where a ledger knows better,
    /// e.g. a long problem text that should wrap rather than stretch the sheet. Every column text.
    public static func workbook(sheet: String, header: [String], rows: [[String]], widths: [Int]? = nil) -> Data {
        workbook(sheet: sheet, columns: textColumns(header, widths: widths), rows: rows)
    }

    /// `title`, when given, is a bold row above the header merged across the columns (a printed
    /// ledger's 标题); `totals` adds a 合计 row whose `.count` columns are SUM formulas over the
    /// rows, their values cached so a reader that does not calculate sees them too.
    public static func workbook(sheet: String, columns: [Column], rows: [[String]], title: String? = nil, totals: Bool = false) -> Data {
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rootRelationships),
            ("xl/workbook.xml", workbookXML(sheet: sheet, headerRow: title == nil || columns.isEmpty ? 1 : 2, columns: columns.count)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", styles),
            ("xl/worksheets/sheet1.xml", sheetXML(columns: columns, rows: rows, title: title, totals: totals)),
        ]
        return OfficePackage.archive(parts)
    }

    /// The column letters of a 0-based index: A … Z, AA …
    static func column(_ index: Int) -> String {
        var n = index + 1
        var letters = ""
        while n > 0 {
            let remainder = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    /// A width in characters: a CJK character counts twice, as it does on screen.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) }
    }

    static func escape(_ text: String) -> String { OfficePackage.escape(text) }

    static func textColumns(_ header: [String], widths: [Int]?) -> [Column] {
        header.enumerated().map { index, title in Column(title, width: widths.flatMap { index < $0.count ? $0[index] : nil }) }
    }

    static func sheetXML(header: [String], rows: [[String]], widths: [Int]? = nil) -> String {
        sheetXML(columns: textColumns(header, widths: widths), rows: rows)
    }

    /// A cell as written: its type follows its column's kind; text that does not read as the kind
    /// (a "—" in a rate column) stays text rather than being lost.
    enum Cell: Equatable {
        case empty
        case text(String, style: Int)
        case number(Double, style: Int)
        case formula(String, cached: Double, style: Int)

        init(_ text: String, kind: Kind) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            switch kind {
            case .text:
                self = .text(text, style: Style.plain)
                return
            case _ where trimmed.isEmpty:
                self = .empty
                return
            case .number, .count:
                if let value = Double(trimmed), value.isFinite {
                    self = .number(value, style: Style.plain)
                    return
                }
            case .percent:
                if trimmed.hasSuffix("%"), let value = Double(trimmed.dropLast()), value.isFinite {
                    self = .number(value / 100, style: trimmed.contains(".") ? Style.percentTenths : Style.percent)
                    return
                }
            case .date:
                if trimmed.count == 10, let day = try? CalendarDay(text: trimmed, field: "", label: "") {
                    self = .number(Double(XLSXWriter.epoch.days(until: day)), style: Style.date)
                    return
                }
            }
            self = .text(text, style: Style.plain)
        }

        func xml(_ reference: String) -> String {
            switch self {
            case .empty: ""
            case .text(let text, let style):
                #"<c r="\#(reference)" t="inlineStr"\#(Style.attribute(style))><is><t xml:space="preserve">\#(XLSXWriter.escape(text))</t></is></c>"#
            case .number(let value, let style): #"<c r="\#(reference)"\#(Style.attribute(style))><v>\#(XLSXWriter.decimal(value))</v></c>"#
            case .formula(let formula, let cached, let style):
                #"<c r="\#(reference)"\#(Style.attribute(style))><f>\#(formula)</f><v>\#(XLSXWriter.decimal(cached))</v></c>"#
            }
        }
    }

    /// Day 0 of Excel's 1900 date system as counted from March 1900 on (serial 61 is 1900-03-01).
    static let epoch = CalendarDay(year: 1899, month: 12, day: 30)

    /// A number as Excel stores it: 12, not 12.0; otherwise the shortest decimal that reads back.
    static func decimal(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Positions in `styles`' cellXfs.
    enum Style {
        static let plain = 0
        static let bold = 1
        static let date = 2
        static let percent = 3
        static let percentTenths = 4
        static let title = 5

        static func attribute(_ style: Int) -> String { style == plain ? "" : #" s="\#(style)""# }
    }

    static func sheetXML(columns declared: [Column], rows: [[String]], title: String? = nil, totals: Bool = false) -> String {
        let count = max(declared.count, rows.map(\.count).max() ?? 0)
        let columns = declared + (declared.count..<max(declared.count, count)).map { _ in Column("") }
        let header = declared.map(\.header)
        // The title row only over a sheet that has columns to merge it across.
        let title = count > 0 ? title : nil
        let headerRow = title == nil ? 1 : 2
        let firstRow = headerRow + 1
        let lastRow = headerRow + rows.count
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        xml += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="\#(headerRow)" topLeftCell="A\#(firstRow)" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        if count > 0 {
            xml += "<cols>"
            for (index, column) in columns.enumerated() {
                let fitted = ([column.header] + rows.map { index < $0.count ? $0[index] : "" }).map { text in
                    text.split(separator: "\n").map { width(String($0)) }.max() ?? 0
                }.max() ?? 0
                let chosen = column.width ?? min(max(fitted + 2, 8), 60)
                xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(chosen)" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        if let title {
            xml += #"<row r="1" ht="30" customHeight="1">"# + Cell.text(title, style: Style.title).xml("A1") + "</row>"
        }
        xml += #"<row r="\#(headerRow)">"#
        for (c, text) in header.enumerated() { xml += Cell.text(text, style: Style.bold).xml("\(column(c))\(headerRow)") }
        xml += "</row>"
        var sums = Array(repeating: 0.0, count: count)
        for (r, row) in rows.enumerated() {
            xml += #"<row r="\#(firstRow + r)">"#
            for (c, text) in row.enumerated() {
                let cell = Cell(text, kind: columns[c].kind)
                if case .number(let value, _) = cell { sums[c] += value }
                xml += cell.xml("\(column(c))\(firstRow + r)")
            }
            xml += "</row>"
        }
        let summed = columns.indices.filter { columns[$0].kind == .count }
        if totals, !rows.isEmpty, !summed.isEmpty {
            let line = lastRow + 1
            xml += #"<row r="\#(line)">"#
            for c in columns.indices {
                let reference = "\(column(c))\(line)"
                if summed.contains(c) {
                    xml += Cell.formula("SUM(\(column(c))\(firstRow):\(column(c))\(lastRow))", cached: sums[c], style: Style.bold).xml(reference)
                } else if c == 0 {
                    xml += Cell.text("合计", style: Style.bold).xml(reference)
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        if count > 0 {
            // Filters over the header and the rows, not the totals, so sorting leaves 合计 last.
            xml += #"<autoFilter ref="A\#(headerRow):\#(column(count - 1))\#(max(lastRow, headerRow))"/>"#
        }
        if title != nil, count > 1 { xml += #"<mergeCells count="1"><mergeCell ref="A1:\#(column(count - 1))1"/></mergeCells>"# }
        xml += "</worksheet>"
        return xml
    }

    /// The sheet, and when it has a header, the header row repeated on every printed page (打印标题)
    /// and the filter's range as Excel names it.
    static func workbookXML(sheet: String, headerRow: Int = 1, columns: Int = 0) -> String {
        let name = escape(String(sheet.prefix(31)))
        let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        let names =
            columns > 0
            ? #"<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">\#(quoted)!$\#(headerRow):$\#(headerRow)</definedName></definedNames>"#
            : ""
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="\#(name)" sheetId="1" r:id="rId1"/></sheets>\#(names)</workbook>"#
    }

    static let contentTypes = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """#

    static let rootRelationships = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """#

    static let workbookRelationships = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """#

    /// Style 0 plain, 1 bold (the header and 合计), 2 a day (yyyy-mm-dd), 3 a percentage, 4 a
    /// percentage to one decimal, 5 the title (bold, larger, centred); text wraps at the top.
    static let styles = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="0.0%"/></numFmts><fonts count="3"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font><font><b/><sz val="16"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf><xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """#
}
