import Foundation
import Testing
import XunchaCore
import ZIPFoundation
@testable import XunchaSheets

/// The .docx read back part by part, as Word and WPS would: the layout GB/T 9704-2012 sets.
@Suite struct DOCXWriterTests {
    static let sample = OfficialDocument(
        secrecy: "秘密★1年", urgency: "加急", frame: .standard(committee: "江城市委"), number: "江巡办〔2026〕3号", title: "关于开展巡察的通知",
        addressee: "市财政局党组", body: [.paragraph("根据安排，现通知如下。"), .heading(level: 1, text: "一、时间"), .heading(level: 2, text: "（一）进驻<时间>&地点")],
        date: CalendarDay(year: 2026, month: 12, day: 24), copiesTo: ["市纪委监委", "市委组织部"])

    /// The text of one part of a package.
    static func part(_ path: String, of data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive[path], "\(path) is in the package")
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func theDocumentHasThePageTheMarginsAndTheFontsOfTheStandard() throws {
        let data = DOCXWriter.document(Self.sample)
        let xml = try Self.part("word/document.xml", of: data)
        #expect(xml.contains(#"<w:pgSz w:w="11906" w:h="16838"/>"#), "A4")
        #expect(xml.contains(#"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#), "37/26/35/28 mm")
        #expect(11906 - 1587 - 1474 == 8845 && 16838 - 2098 - 1984 == 12756, "a 版心 of 156 mm × 225 mm")
        #expect(xml.contains(#"<w:docGrid w:type="lines" w:linePitch="579"/>"#), "22 lines")
        #expect(xml.contains(#"w:eastAsia="方正小标宋简体" w:cs="方正小标宋简体"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr><w:t xml:space="preserve">关于开展巡察的通知</w:t>"#), "title in 2号 小标宋")
        #expect(xml.contains(#"w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">根据安排，现通知如下。</w:t>"#), "body in 3号 仿宋")
        #expect(xml.contains(#"w:eastAsia="黑体" w:cs="黑体"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">一、时间</w:t>"#), "一、 in 黑体")
        #expect(xml.contains(#"w:eastAsia="楷体_GB2312" w:cs="楷体_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">（一）进驻&lt;时间&gt;&amp;地点</w:t>"#), "（一） in 楷体, escaped")
        #expect(xml.contains(#"<w:color w:val="FF0000"/>"#) && xml.contains(">中共江城市委巡察工作领导小组办公室</w:t>"), "the red 发文机关标志")
        #expect(xml.contains(">江巡办〔2026〕3号</w:t>"), "the 发文字号")
        #expect(xml.contains(">市财政局党组：</w:t>"), "主送")
        #expect(xml.contains(">2026年12月24日</w:t>"), "成文日期")
        #expect(xml.contains(">秘密★1年</w:t>") && xml.contains(">加急</w:t>"))
        #expect(xml.contains(">抄送：市纪委监委，市委组织部。</w:t>"), "版记 抄送")
        #expect(xml.contains(">2026年12月24日印发</w:t>"), "印发日期")
        #expect(xml.contains(#"<w:footerReference w:type="default" r:id="rId10"/><w:footerReference w:type="even" r:id="rId11"/>"#))
    }

    @Test func pageNumbersStandRightOnOddPagesAndLeftOnEvenOnes() throws {
        let data = DOCXWriter.document(Self.sample)
        #expect(try Self.part("word/settings.xml", of: data).contains("<w:evenAndOddHeaders/>"))
        let odd = try Self.part("word/footer1.xml", of: data), even = try Self.part("word/footer2.xml", of: data)
        for footer in [odd, even] {
            #expect(footer.contains(#"<w:instrText xml:space="preserve"> PAGE </w:instrText>"#))
            #expect(footer.contains(">— </w:t>") && footer.contains("> —</w:t>"), "— 1 —")
            #expect(footer.contains(#"w:eastAsia="宋体" w:cs="宋体"/><w:sz w:val="28"/>"#), "4号 宋体")
        }
        #expect(odd.contains(#"<w:jc w:val="right"/>"#) && even.contains(#"<w:jc w:val="left"/>"#))
        let fonts = try Self.part("word/fontTable.xml", of: data)
        #expect(fonts.contains(#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>"#), "falls back to 宋体")
        #expect(fonts.contains(#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#))
        #expect(try Self.part("[Content_Types].xml", of: data).contains("wordprocessingml.document.main+xml"))
        #expect(DOCXWriter.document(Self.sample) == data, "the same document, the same bytes")
    }

    static let register = OfficialDocument(
        copyNumber: "000007", secrecy: "机密", frame: .standard(committee: "江城市委"), number: "江巡移〔2026〕1号", title: "问题线索移交清单", addressee: nil,
        body: [
            .paragraph("移交单编号：江巡移〔2026〕1号"),
            .table(
                DocumentTable(
                    header: [["序号", "线索编号", "问题摘要"]], rows: [["1", "〔2026〕江城市委巡察线索第007号", "违规<发放>&补贴"], ["2", "第008号", "多行\n摘要"]],
                    widths: [1, 3, 6], totals: ["合计", "2", ""])),
        ],
        date: CalendarDay(year: 2026, month: 12, day: 24), orientation: .landscape, layout: .register)

    @Test func aTableRepeatsItsHeaderOnEveryPageAndKeepsEachRowOnOnePage() throws {
        let xml = try Self.part("word/document.xml", of: DOCXWriter.document(Self.register))
        #expect(xml.components(separatedBy: "<w:tblHeader/>").count == 2, "the one header row repeats")
        #expect(xml.components(separatedBy: "<w:cantSplit/>").count == 5, "no row, header, body or 合计, splits across pages")
        #expect(xml.contains(#"<w:tblBorders><w:top w:val="single" w:sz="4""#), "single rules")
        #expect(xml.contains(#"<w:gridCol w:w="1275"/><w:gridCol w:w="3826"/><w:gridCol w:w="7655"/>"#), "the shares 1 : 3 : 6 of a 225 mm 版心")
        #expect(xml.contains(#"w:eastAsia="黑体" w:cs="黑体"/><w:b/><w:bCs/><w:sz w:val="28"/>"#), "the header in bold 黑体, 4号")
        #expect(xml.contains(#"<w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="黑体""#), "the header centred")
        #expect(xml.contains(#"w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr><w:t xml:space="preserve">违规&lt;发放&gt;&amp;补贴</w:t>"#), "cells in 4号 仿宋, escaped")
        #expect(xml.contains(#"<w:t xml:space="preserve">多行</w:t><w:br/><w:t xml:space="preserve">摘要</w:t>"#), "a line break in a cell")
        #expect(xml.contains(#"<w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr><w:t xml:space="preserve">合计</w:t>"#), "the 合计 row in bold")
        #expect(DOCXWriter.tableSize(columns: 8) == 24 && DOCXWriter.tableSize(columns: 10) == 21, "a wider table in 小四, a ledger of ten columns in 五号")
    }

    @Test func aWideRegisterLiesOnItsSideWithTheTypeAreaTurned() throws {
        let xml = try Self.part("word/document.xml", of: DOCXWriter.document(Self.register))
        #expect(xml.contains(#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#), "A4 landscape")
        #expect(xml.contains(#"w:top="1587" w:right="1984" w:bottom="1474" w:left="2098""#), "the 版心 turned: 225 mm × 156 mm")
        #expect(16838 - 2098 - 1984 == 12756 && 11906 - 1587 - 1474 == 8845)
        #expect(xml.contains(#"w:footer="794""#), "the page number as far under the 版心 as upright")
        #expect(xml.contains(">机密</w:t>") && xml.contains(">000007</w:t>"), "密级 and 份号")
        #expect(!xml.contains("FF0000"), "a register has no 红头")
        #expect(!xml.contains("印发</w:t>"), "nor a 版记")
        #expect(try Self.part("word/footer1.xml", of: DOCXWriter.document(Self.register)).contains(" PAGE "), "but page numbers")
        let upright = try Self.part("word/document.xml", of: DOCXWriter.document(Self.sample))
        #expect(upright.contains(#"w:header="851" w:footer="1304""#), "the upright page keeps its footer")
    }

    @Test func columnWidthsAddUpToTheTypeArea() {
        #expect(DOCXWriter.columnWidths(nil, columns: 3, total: 8845) == [2948, 2948, 2949])
        #expect(DOCXWriter.columnWidths([2, 0], columns: 3, total: 900) == [400, 200, 300], "a missing or empty share is the others' mean or one")
        let ledger = DocumentTable(
            header: [["问题", "完成时限", "进度"]], rows: [[String(repeating: "党组落实集体决策制度不到位", count: 4), "2026-12-12", "60%"]], widths: [40, 1, 1])
        let widths = DOCXWriter.columnWidths(ledger, columns: 3, total: 12756, size: 24)
        #expect(widths.reduce(0, +) == 12756)
        #expect(widths[1] >= 13 * 120 + 144 && widths[2] >= 6 * 120 + 144, "a day and a header stay on one line however small their share")
        #expect(widths[0] > 8000, "the long text takes the rest")
    }
}
