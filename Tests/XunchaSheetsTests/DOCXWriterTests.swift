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
}
