import Foundation
import XunchaCore

/// Writes an `OfficialDocument` as a .docx (Office Open XML, as Word and WPS read it) in the layout of
/// GB/T 9704-2012 《党政机关公文格式》: A4, a 版心 of 156 mm × 225 mm (top 37, bottom 35, left 28,
/// right 26 mm), 22 lines of 3号 仿宋_GB2312 on a 28.95 pt pitch, the title in 2号 小标宋, headings
/// in 黑体 (一、) and 楷体 (（一）), the page number "— 1 —" in 4号 宋体 right on odd pages and left on
/// even ones, and the 版记 between its rules. Fonts are named, never embedded; the font table gives
/// each an `altName` (宋体, 仿宋, 楷体, 黑体) that WPS and Word fall back to where it is missing. No
/// file I/O: the document comes back as bytes.
public enum DOCXWriter {
    public static func document(_ document: OfficialDocument) -> Data {
        OfficePackage.archive([
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rootRelationships),
            ("docProps/core.xml", coreProperties(title: document.title)),
            ("word/document.xml", documentXML(document)),
            ("word/_rels/document.xml.rels", documentRelationships),
            ("word/styles.xml", styles),
            ("word/settings.xml", settings),
            ("word/fontTable.xml", fontTable),
            ("word/footer1.xml", footerXML(odd: true)),
            ("word/footer2.xml", footerXML(odd: false)),
        ])
    }

    // MARK: Measures (twips: 1/20 pt, 1440 an inch; sizes in half-points)

    /// A4 in twips.
    static let pageWidth = 11906, pageHeight = 16838
    /// 37, 35, 28 and 26 mm: a 版心 of 156 mm × 225 mm.
    static let marginTop = 2098, marginBottom = 1984, marginLeft = 1587, marginRight = 1474
    /// 28.95 pt: 22 lines in 225 mm.
    static let linePitch = 579
    /// 2号, 3号 and 4号 in half-points.
    static let titleSize = 44, bodySize = 32, smallSize = 28
    /// One character of 3号 and of 4号, in twips.
    static let bodyChar = 320, smallChar = 280
    static var textWidth: Int { pageWidth - marginLeft - marginRight }

    /// The fonts the standard names, each with the font WPS or Word uses where it is not installed.
    enum Font: String, CaseIterable {
        case title = "方正小标宋简体"
        case body = "仿宋_GB2312"
        case heading = "黑体"
        case subheading = "楷体_GB2312"
        case pageNumber = "宋体"

        var fallback: String {
            switch self {
            case .title: "宋体"
            case .body: "仿宋"
            case .heading: "SimHei"
            case .subheading: "楷体"
            case .pageNumber: "SimSun"
            }
        }
    }

    // MARK: Parts

    static func documentXML(_ document: OfficialDocument) -> String {
        let page = Page(document.orientation)
        var body = ""
        // 版头: 份号, 密级, 紧急程度 top left in 黑体; the 红头; the number; the red rule.
        for line in [document.copyNumber, document.secrecy, document.urgency].compactMap({ $0 }) {
            body += paragraph(line, font: .heading)
        }
        if document.layout == .official {
            body += paragraph(
                document.frame.issuerMark, font: .title, size: markSize(document.frame.issuerMark, width: page.textWidth), align: "center", color: "FF0000")
            body += emptyParagraph()
            body += paragraph(document.number ?? "", align: "center", border: #"<w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/>"#)
            body += emptyParagraph() + emptyParagraph()
        }
        // 主体.
        body += paragraph(document.title, font: .title, size: titleSize, align: "center")
        body += emptyParagraph()
        if let addressee = document.addressee { body += paragraph("\(addressee)：") }
        for block in document.body {
            switch block {
            case .heading(let level, let text):
                body += paragraph(text, font: level == 1 ? .heading : level == 2 ? .subheading : .body, firstLine: 2 * bodyChar)
            case .paragraph(let text):
                body += paragraph(text, firstLine: 2 * bodyChar)
            case .table(let table):
                body += tableXML(table, width: page.textWidth) + emptyParagraph()
            }
        }
        if document.layout == .official {
            // 署名 centred over the 成文日期, which stands four characters from the right.
            let date = document.date.chineseText
            let signatureOffset = max(0, 4 * bodyChar + (XLSXWriter.width(date) - XLSXWriter.width(document.frame.signature)) * bodyChar / 4)
            body += emptyParagraph() + emptyParagraph()
            body += paragraph(document.frame.signature, align: "right", right: signatureOffset)
            body += paragraph(date, align: "right", right: 4 * bodyChar)
            body += emptyParagraph()
            body += recordBlock(document, width: page.textWidth)
        }
        body += sectionProperties(page)
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document \#(namespaces)><w:body>\#(body)</w:body></w:document>"#
    }

    // MARK: Tables

    /// 4号 in a table of up to six columns, 小四 up to eight, 五号 in a wider one (a 台账 of ten
    /// columns across a landscape 版心), as the office sets its registers.
    static func tableSize(columns: Int) -> Int { columns <= 6 ? smallSize : columns <= 8 ? 24 : 21 }

    /// A table across the 版心 in single rules: the header rows in 黑体, centred, bold and repeated at
    /// the top of every page (`w:tblHeader`); no row split across two pages (`w:cantSplit`); the
    /// text in 仿宋 smaller than the body's (`tableSize`), on single line spacing off the page's grid; a 合计
    /// row in bold under the body.
    static func tableXML(_ table: DocumentTable, width: Int) -> String {
        let columns = max(table.columnCount, 1)
        let size = tableSize(columns: columns)
        let widths = columnWidths(table, columns: columns, total: width, size: size)
        let rule = #"w:val="single" w:sz="4" w:space="0" w:color="000000""#
        let borders = ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) \(rule)/>" }.joined()
        var xml = #"<w:tbl><w:tblPr><w:tblW w:w="\#(width)" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>\#(borders)</w:tblBorders>"#
            + #"<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="\#(cellMargin)" w:type="dxa"/><w:right w:w="\#(cellMargin)" w:type="dxa"/></w:tblCellMar></w:tblPr>"#
            + "<w:tblGrid>" + widths.map { #"<w:gridCol w:w="\#($0)"/>"# }.joined() + "</w:tblGrid>"
        func row(_ cells: [String], header: Bool, bold: Bool) -> String {
            let padded = cells + Array(repeating: "", count: max(0, columns - cells.count))
            let properties = "<w:trPr><w:cantSplit/>" + (header ? "<w:tblHeader/>" : "") + "</w:trPr>"
            return "<w:tr>\(properties)"
                + zip(padded, widths).map { text, cellWidth in
                    #"<w:tc><w:tcPr><w:tcW w:w="\#(cellWidth)" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>"#
                        + cellParagraph(text, font: header ? .heading : .body, size: size, bold: header || bold, centred: header || isFigure(text)) + "</w:tc>"
                }.joined() + "</w:tr>"
        }
        for cells in table.header { xml += row(cells, header: true, bold: true) }
        for cells in table.rows { xml += row(cells, header: false, bold: false) }
        if let totals = table.totals { xml += row(totals, header: false, bold: true) }
        return xml + "</w:tbl>"
    }

    /// The columns' widths in twips: the table's shares of the width, a column narrower than
    /// `minimumWidths` lets it be widened to it at the expense of the columns with room to spare
    /// (in proportion to that room), so long text keeps most of its share and short cells stay whole.
    static func columnWidths(_ table: DocumentTable, columns: Int, total: Int, size: Int) -> [Int] {
        let minimum = minimumWidths(table, columns: columns, size: size)
        guard minimum.reduce(0, +) < total else { return columnWidths(minimum.map(Double.init), columns: columns, total: total) }
        let shared = columnWidths(table.widths, columns: columns, total: total)
        let deficit = zip(shared, minimum).reduce(0) { $0 + max(0, $1.1 - $1.0) }
        let room = zip(shared, minimum).map { max(0, $0 - $1) }
        let roomTotal = max(room.reduce(0, +), 1)
        var widths = shared.indices.map { shared[$0] < minimum[$0] ? minimum[$0] : shared[$0] - deficit * room[$0] / roomTotal }
        if let widest = widths.indices.max(by: { widths[$0] < widths[$1] }) { widths[widest] += total - widths.reduce(0, +) }
        return widths
    }

    /// The narrowest a column may be without breaking what should stay whole: its header on one line
    /// up to four characters (two lines beyond), and its short cells — a day, a count, a percentage,
    /// a status of up to four characters — on one line.
    static func minimumWidths(_ table: DocumentTable, columns: Int, size: Int) -> [Int] {
        let halfCharacter = size * 10 / 2, margins = 2 * cellMargin + 30
        func cells(_ rows: [[String]], _ column: Int) -> [String] { rows.compactMap { $0.indices.contains(column) ? $0[column] : nil } }
        return (0..<columns).map { column in
            let header = cells(table.header, column).map { XLSXWriter.width($0) }.map { $0 <= 8 ? $0 : ($0 + 1) / 2 }.max() ?? 0
            // Digits are set in whatever font stands in for 仿宋, often wider than half a character: a little room to spare.
            let short = cells(table.rows + [table.totals ?? []], column).compactMap { text in
                isFigure(text) ? XLSXWriter.width(text) + 3 : XLSXWriter.width(text) <= 8 ? XLSXWriter.width(text) : nil
            }.max() ?? 0
            return max(header, short, 2) * halfCharacter + margins
        }
    }

    /// The space between a cell's rules and its text, left and right.
    static let cellMargin = 57

    /// The columns' widths in twips from their shares, adding up to the table's width exactly.
    static func columnWidths(_ shares: [Double]?, columns: Int, total: Int) -> [Int] {
        var shares = (shares ?? []).prefix(columns).map { $0 > 0 ? $0 : 1 }
        shares += Array(repeating: shares.isEmpty ? 1 : shares.reduce(0, +) / Double(shares.count), count: columns - shares.count)
        let sum = shares.reduce(0, +)
        var widths = shares.map { Int((Double(total) * $0 / sum).rounded(.down)) }
        widths[widths.count - 1] += total - widths.reduce(0, +)
        return widths
    }

    /// A count, a percentage, a day or a dash stands centred in its cell; words run from the left.
    static func isFigure(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 12 && text.allSatisfy { $0.isNumber || "%.-—:／/ ".contains($0) }
    }

    static func cellParagraph(_ text: String, font: Font, size: Int, bold: Bool, centred: Bool) -> String {
        let run = runProperties(font, size: size).replacingOccurrences(of: "<w:sz ", with: (bold ? "<w:b/><w:bCs/>" : "") + "<w:sz ")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { #"<w:t xml:space="preserve">\#(OfficePackage.escape(String($0)))</w:t>"# }.joined(separator: "<w:br/>")
        return #"<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="\#(centred ? "center" : "left")"/></w:pPr>"#
            + "<w:r>\(run)\(lines)</w:r></w:p>"
    }

    /// 版记: 抄送 and 印发机关和印发日期 in 4号 仿宋 between a thick rule above and below and a thin
    /// one between them.
    static func recordBlock(_ document: OfficialDocument, width: Int = textWidth) -> String {
        let thick = #"w:val="single" w:sz="8" w:space="1" w:color="000000""#
        let thin = #"w:val="single" w:sz="4" w:space="1" w:color="000000""#
        var xml = ""
        let printed = "\(OfficePackage.escape(document.frame.printedBy))\t\(OfficePackage.escape(document.printedOn.chineseText))印发"
        if document.copiesTo.isEmpty {
            xml += rawParagraph(printed, size: smallSize, left: smallChar, border: "<w:top \(thick)/><w:bottom \(thick)/>", tab: width)
        } else {
            xml += paragraph(
                "抄送：\(document.copiesTo.joined(separator: "，"))。", size: smallSize, left: smallChar, right: smallChar,
                border: "<w:top \(thick)/><w:bottom \(thin)/>")
            xml += rawParagraph(printed, size: smallSize, left: smallChar, border: "<w:bottom \(thick)/>", tab: width)
        }
        return xml
    }

    /// The 红头 as large as fits the 版心 on one line, at most 36 pt.
    static func markSize(_ text: String, width: Int = textWidth) -> Int {
        let fitting = width / max(text.count, 1) / 10  // twips per character → half-points
        return min(72, max(bodySize, fitting))
    }

    static func paragraph(
        _ text: String, font: Font = .body, size: Int = bodySize, align: String = "both", color: String? = nil, firstLine: Int = 0, left: Int = 0,
        right: Int = 0, border: String? = nil
    ) -> String {
        rawParagraph(OfficePackage.escape(text), font: font, size: size, align: align, color: color, firstLine: firstLine, left: left, right: right, border: border)
    }

    /// A paragraph of one run; `text` is escaped already, a tab in it goes to a right tab stop one
    /// character inside a 版心 `tab` wide when `tab` is set.
    static func rawParagraph(
        _ text: String, font: Font = .body, size: Int = bodySize, align: String = "both", color: String? = nil, firstLine: Int = 0, left: Int = 0,
        right: Int = 0, border: String? = nil, tab: Int? = nil
    ) -> String {
        var properties = ""
        if let border { properties += "<w:pBdr>\(border)</w:pBdr>" }
        if let tab { properties += #"<w:tabs><w:tab w:val="right" w:pos="\#(tab - smallChar)"/></w:tabs>"# }
        properties += #"<w:spacing w:before="0" w:after="0" w:line="\#(linePitch)" w:lineRule="exact"/>"#
        if firstLine > 0 || left > 0 || right > 0 {
            properties += #"<w:ind w:left="\#(left)" w:right="\#(right)" w:firstLine="\#(firstLine)"/>"#
        }
        properties += #"<w:jc w:val="\#(align)"/>"#
        let runs = text.split(separator: "\t", omittingEmptySubsequences: false)
            .map { #"<w:r>\#(runProperties(font, size: size, color: color))<w:t xml:space="preserve">\#($0)</w:t></w:r>"# }
            .joined(separator: "<w:r>\(runProperties(font, size: size, color: color))<w:tab/></w:r>")
        return "<w:p><w:pPr>\(properties)</w:pPr>\(runs)</w:p>"
    }

    static func emptyParagraph() -> String {
        #"<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="\#(linePitch)" w:lineRule="exact"/></w:pPr></w:p>"#
    }

    static func runProperties(_ font: Font, size: Int, color: String? = nil) -> String {
        let name = font.rawValue
        return #"<w:rPr><w:rFonts w:ascii="\#(name)" w:hAnsi="\#(name)" w:eastAsia="\#(name)" w:cs="\#(name)"/>"#
            + (color.map { #"<w:color w:val="\#($0)"/>"# } ?? "")
            + #"<w:sz w:val="\#(size)"/><w:szCs w:val="\#(size)"/></w:rPr>"#
    }

    /// The page a document is set on: A4 upright with the 版心's margins, or A4 on its side with the
    /// 版心 turned with it (225 mm × 156 mm: the binding margin, 28 mm, at the top). The footer stands
    /// as far below the 版心 either way, so the page number keeps its place about 7 mm under it.
    struct Page {
        let width: Int, height: Int
        let top: Int, right: Int, bottom: Int, left: Int
        let landscape: Bool

        init(_ orientation: PageOrientation) {
            landscape = orientation == .landscape
            if landscape {
                (width, height) = (pageHeight, pageWidth)
                (top, right, bottom, left) = (marginLeft, marginBottom, marginRight, marginTop)
            } else {
                (width, height) = (pageWidth, pageHeight)
                (top, right, bottom, left) = (marginTop, marginRight, marginBottom, marginLeft)
            }
        }

        var textWidth: Int { width - left - right }
        /// The footer's distance from the page's edge: 1304 twips under the upright 版心's 35 mm.
        var footer: Int { bottom - (marginBottom - 1304) }
    }

    /// The page, the margins of the 版心, the odd and even footers, and a grid of 22 lines (upright).
    static func sectionProperties(_ page: Page) -> String {
        #"<w:sectPr><w:footerReference w:type="default" r:id="rId10"/><w:footerReference w:type="even" r:id="rId11"/>"#
            + #"<w:pgSz w:w="\#(page.width)" w:h="\#(page.height)"\#(page.landscape ? #" w:orient="landscape""# : "")/>"#
            + #"<w:pgMar w:top="\#(page.top)" w:right="\#(page.right)" w:bottom="\#(page.bottom)" w:left="\#(page.left)" w:header="851" w:footer="\#(page.footer)" w:gutter="0"/>"#
            + #"<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="\#(linePitch)"/></w:sectPr>"#
    }

    /// "— 1 —" in 4号 宋体: one character in from the right on odd pages, from the left on even ones.
    static func footerXML(odd: Bool) -> String {
        let run = { (text: String) in #"<w:r>\#(runProperties(.pageNumber, size: smallSize))\#(text)</w:r>"# }
        let indent = odd ? #"<w:ind w:right="\#(smallChar)"/>"# : #"<w:ind w:left="\#(smallChar)"/>"#
        let field =
            run(#"<w:t xml:space="preserve">— </w:t>"#) + run(#"<w:fldChar w:fldCharType="begin"/>"#)
            + run(#"<w:instrText xml:space="preserve"> PAGE </w:instrText>"#) + run(#"<w:fldChar w:fldCharType="separate"/>"#)
            + run("<w:t>1</w:t>") + run(#"<w:fldChar w:fldCharType="end"/>"#) + run(#"<w:t xml:space="preserve"> —</w:t>"#)
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr \#(namespaces)><w:p><w:pPr>\#(indent)<w:jc w:val="\#(odd ? "right" : "left")"/></w:pPr>\#(field)</w:p></w:ftr>"#
    }

    static func coreProperties(title: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\#(OfficePackage.escape(title))</dc:title><dc:creator>Xuncha</dc:creator></cp:coreProperties>"#
    }

    static let namespaces =
        #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#

    /// 仿宋_GB2312 3号 by default, in Chinese, on the 28.95 pt pitch.
    static var styles: String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles \#(namespaces)><w:docDefaults><w:rPrDefault>"#
            + runProperties(.body, size: bodySize).replacingOccurrences(of: "</w:rPr>", with: #"<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>"#)
            + #"</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="\#(linePitch)" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>"#
            + #"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style></w:styles>"#
    }

    /// Different footers on odd and even pages (奇偶页不同).
    static let settings =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#

    static var fontTable: String {
        let fonts = Font.allCases.map {
            #"<w:font w:name="\#($0.rawValue)"><w:altName w:val="\#($0.fallback)"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#
        }
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\#(fonts.joined())</w:fonts>"#
    }

    static let contentTypes =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#

    static let rootRelationships =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#

    static let documentRelationships =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rId11" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>"#
}
