import Foundation

/// Writes a one-sheet .xlsx workbook (Office Open XML, as Excel and WPS read it): Chinese text as
/// inline strings, a bold frozen header row and column widths fitted to the text. No file I/O: the
/// workbook comes back as bytes, a ZIP archive (deflated parts) built in memory by ZIPFoundation.
public enum XLSXWriter {
    /// `widths` (in characters, one per column) replace the fitted widths where a ledger knows better,
    /// e.g. a long problem text that should wrap rather than stretch the sheet.
    public static func workbook(sheet: String, header: [String], rows: [[String]], widths: [Int]? = nil) -> Data {
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rootRelationships),
            ("xl/workbook.xml", workbookXML(sheet: sheet)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", styles),
            ("xl/worksheets/sheet1.xml", sheetXML(header: header, rows: rows, widths: widths)),
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

    static func sheetXML(header: [String], rows: [[String]], widths: [Int]? = nil) -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        xml += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        if columns > 0 {
            xml += "<cols>"
            for index in 0..<columns {
                if let widths, index < widths.count {
                    xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(widths[index])" customWidth="1"/>"#
                    continue
                }
                let widest = all.map { index < $0.count ? width($0[index].split(separator: "\n").map(String.init).max(by: { width($0) < width($1) }) ?? "") : 0 }.max() ?? 8
                xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(min(max(widest + 2, 8), 60))" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (r, row) in all.enumerated() {
            xml += #"<row r="\#(r + 1)">"#
            for (c, value) in row.enumerated() {
                let style = r == 0 ? #" s="1""# : ""
                xml += #"<c r="\#(column(c))\#(r + 1)" t="inlineStr"\#(style)><is><t xml:space="preserve">\#(escape(value))</t></is></c>"#
            }
            xml += "</row>"
        }
        xml += "</sheetData></worksheet>"
        return xml
    }

    static func workbookXML(sheet: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="\#(escape(String(sheet.prefix(31))))" sheetId="1" r:id="rId1"/></sheets></workbook>"#
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

    /// Style 0 plain, style 1 bold (the header), both wrapping text.
    static let styles = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """#
}
