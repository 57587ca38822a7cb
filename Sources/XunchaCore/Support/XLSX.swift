import Foundation

/// Writes a one-sheet .xlsx workbook (Office Open XML, as Excel and WPS read it): Chinese text as
/// inline strings, a bold frozen header row and column widths fitted to the text. No I/O: the
/// workbook comes back as bytes, a ZIP archive of stored (uncompressed) parts.
public enum XLSXWriter {
    /// `widths` (in characters, one per column) replace the fitted widths where a ledger knows better,
    /// e.g. a long problem text that should wrap rather than stretch the sheet.
    public static func workbook(sheet: String, header: [String], rows: [[String]], widths: [Int]? = nil) -> Data {
        var archive = ZipArchive()
        archive.add("[Content_Types].xml", contentTypes)
        archive.add("_rels/.rels", rootRelationships)
        archive.add("xl/workbook.xml", workbookXML(sheet: sheet))
        archive.add("xl/_rels/workbook.xml.rels", workbookRelationships)
        archive.add("xl/styles.xml", styles)
        archive.add("xl/worksheets/sheet1.xml", sheetXML(header: header, rows: rows, widths: widths))
        return archive.data()
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

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // XML 1.0 forbids most control characters; tabs and line breaks stay.
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

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

/// A ZIP archive of stored entries (no compression), enough for Office Open XML packages.
struct ZipArchive {
    private var body = Data()
    private var directory = Data()
    private var count = 0

    mutating func add(_ name: String, _ text: String) {
        let content = Data(text.utf8)
        let nameBytes = Data(name.utf8)
        let crc = CRC32.checksum(content)
        let offset = UInt32(body.count)
        let shared = Self.sharedFields(crc: crc, size: content.count, nameLength: nameBytes.count)
        body.append(le32: 0x0403_4b50)
        body.append(shared)
        body.append(nameBytes)
        body.append(content)
        var central = Data()
        central.append(le32: 0x0201_4b50)
        central.append(le16: 20)
        central.append(shared)
        // No comment, disk 0, no internal or external attributes.
        central.append(le16: 0)
        central.append(le16: 0)
        central.append(le16: 0)
        central.append(le32: 0)
        central.append(le32: offset)
        central.append(nameBytes)
        directory.append(central)
        count += 1
    }

    /// What the local and the central header of an entry both say, in the same order: version 20
    /// needed, flag bit 11 (UTF-8 names), method 0 (stored), a fixed DOS time and date, the
    /// checksum, both sizes, the name's length and no extra field.
    private static func sharedFields(crc: UInt32, size: Int, nameLength: Int) -> Data {
        var fields = Data()
        fields.append(le16: 20)
        fields.append(le16: 0x0800)
        fields.append(le16: 0)
        fields.append(le16: 0)
        fields.append(le16: 0x21)
        fields.append(le32: crc)
        fields.append(le32: UInt32(size))
        fields.append(le32: UInt32(size))
        fields.append(le16: UInt16(nameLength))
        fields.append(le16: 0)
        return fields
    }

    func data() -> Data {
        var out = body
        out.append(directory)
        out.append(le32: 0x0605_4b50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: UInt16(count))
        out.append(le16: UInt16(count))
        out.append(le32: UInt32(directory.count))
        out.append(le32: UInt32(body.count))
        out.append(le16: 0)
        return out
    }
}

enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Data {
    mutating func append(le16 value: UInt16) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    mutating func append(le32 value: UInt32) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
}
