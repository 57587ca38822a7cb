import Foundation
import Testing
import XunchaCore
import ZIPFoundation
@testable import XunchaSheets

@Suite("Excel 导出")
struct XLSXWriterTests {
    @Test func theArchiveIsAZipOfTheWorkbookPartsThatReadsBack() throws {
        let data = XLSXWriter.workbook(sheet: "任务清单", header: ["单位", "整改目标"], rows: [["市财政局", "健全<制度>&台账"]])
        #expect(data.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]), "a local file header first")
        let table = try SheetReader.read(data)
        #expect(table.header == ["单位", "整改目标"])
        #expect(table.rows == [.init(line: 2, cells: [.text("市财政局"), .text("健全<制度>&台账")])], "text is escaped and read back")
    }

    @Test func columnNamesAndWidthsFollowTheirStandards() {
        #expect([0, 25, 26, 27, 701, 702].map(XLSXWriter.column) == ["A", "Z", "AA", "AB", "ZZ", "AAA"])
        #expect([0, 25, 26, 27, 701, 702].map { XLSXReader.columnIndex(XLSXWriter.column($0) + "7") } == [0, 25, 26, 27, 701, 702])
        #expect(XLSXWriter.width("市财政局ab") == 10, "a CJK character is two columns wide")
        #expect(XLSXWriter.sheetXML(header: ["a"], rows: []).contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#), "the header row is frozen")
    }

    /// A part of a written workbook, as text.
    static func part(_ data: Data, _ path: String) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive[path], "\(path) in the package")
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func eachColumnsDeclaredKindTypesItsCells() throws {
        let columns: [XLSXWriter.Column] = [
            .init("单位"), .init("文号"), .init("序号", kind: .number), .init("任务数", kind: .count), .init("进度", kind: .percent),
            .init("整改率", kind: .percent), .init("完成时限", kind: .date),
        ]
        let rows = [
            ["市财政局", "0012", "1", "3", "85%", "87.5%", "2026-12-31"],
            ["市教育局", "13800000000", "2", "", "0%", "—", ""],
        ]
        let data = XLSXWriter.workbook(sheet: "任务清单", columns: columns, rows: rows)
        let sheet = try Self.part(data, "xl/worksheets/sheet1.xml")
        #expect(sheet.contains(#"<c r="B2" t="inlineStr"><is><t xml:space="preserve">0012</t></is></c>"#), "an identifier stays text")
        #expect(sheet.contains(#"<c r="B3" t="inlineStr"><is><t xml:space="preserve">13800000000</t></is></c>"#), "so does a phone number")
        #expect(sheet.contains(#"<c r="C2"><v>1</v></c><c r="D2"><v>3</v></c>"#), "numbers are numeric cells")
        #expect(sheet.contains(#"<c r="E2" s="3"><v>0.85</v></c><c r="F2" s="4"><v>0.875</v></c>"#), "a share is a number shown as a percentage")
        #expect(sheet.contains(#"<c r="G2" s="2"><v>46387</v></c>"#), "a day is its date serial shown as a date")
        #expect(sheet.contains(#"<c r="E3" s="3"><v>0</v></c>"#))
        #expect(sheet.contains(#"<c r="F3" t="inlineStr"><is><t xml:space="preserve">—</t></is></c>"#), "text that is no share stays as written")
        #expect(!sheet.contains(#"r="D3""#) && !sheet.contains(#"r="G3""#), "an empty number or day is no cell")
        #expect(sheet.contains(#"<autoFilter ref="A1:G3"/>"#), "filters over the header and the rows")

        let styles = try Self.part(data, "xl/styles.xml")
        #expect(styles.contains(#"<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>"#) && styles.contains(#"<numFmt numFmtId="165" formatCode="0.0%"/>"#))
        let formats = styles.matches(of: /<xf numFmtId="(\d+)" fontId="\d+" fillId="0" borderId="0" xfId="0"/).map { Int($0.1)! }
        #expect(formats == [0, 0, 164, 9, 165, 0], "styles 2, 3 and 4 are the date and the percentages")

        let read = try SheetReader.read(data)
        #expect(read.rows[0].cells == [.text("市财政局"), .text("0012"), .number(1, isDate: false), .number(3, isDate: false), .number(0.85, isDate: false), .number(0.875, isDate: false), .number(46_387, isDate: true)])
        #expect(read.table().rows.map(\.fields) == [
            ["市财政局", "0012", "1", "3", "0.85", "0.875", "2026-12-31"], ["市教育局", "13800000000", "2", "", "0", "—", ""],
        ], "a reader sees the day as the day it was")
    }

    @Test func aPrintedLedgerHasItsTitleMergedAcrossAndATotalsRowOfFormulas() throws {
        let columns: [XLSXWriter.Column] = [.init("单位"), .init("整改任务数", kind: .count), .init("已销号", kind: .count), .init("整改率", kind: .percent)]
        let rows = [["市财政局", "3", "1", "33.3%"], ["市教育局", "2", "2", "100.0%"]]
        let data = XLSXWriter.workbook(sheet: "问题清单", columns: columns, rows: rows, title: "问题清单（截至2026年12月31日）", totals: true)
        let sheet = try Self.part(data, "xl/worksheets/sheet1.xml")
        #expect(sheet.contains(#"<row r="1" ht="30" customHeight="1"><c r="A1" t="inlineStr" s="5"><is><t xml:space="preserve">问题清单（截至2026年12月31日）</t></is></c></row>"#))
        #expect(sheet.contains(#"<mergeCells count="1"><mergeCell ref="A1:D1"/></mergeCells>"#), "the title spans the columns")
        #expect(sheet.contains(#"<c r="A2" t="inlineStr" s="1"><is><t xml:space="preserve">单位</t></is></c>"#), "the bold header under it")
        #expect(sheet.contains(#"<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>"#), "title and header stay in view")
        #expect(sheet.contains(
            #"<row r="5"><c r="A5" t="inlineStr" s="1"><is><t xml:space="preserve">合计</t></is></c><c r="B5" s="1"><f>SUM(B3:B4)</f><v>5</v></c><c r="C5" s="1"><f>SUM(C3:C4)</f><v>3</v></c></row>"#
        ), "counts are summed by formula, the value cached; a rate is not summed")
        #expect(sheet.contains(#"<autoFilter ref="A2:D4"/>"#), "sorting leaves 合计 last")
        let workbook = try Self.part(data, "xl/workbook.xml")
        #expect(workbook.contains(#"<definedName name="_xlnm.Print_Titles" localSheetId="0">'问题清单'!$2:$2</definedName>"#), "the header repeats on every printed page")

        let empty = try Self.part(XLSXWriter.workbook(sheet: "问题清单", columns: columns, rows: [], title: "问题清单", totals: true), "xl/worksheets/sheet1.xml")
        #expect(!empty.contains("合计") && !empty.contains("<f>"), "nothing to add up, no totals")
        let plain = try Self.part(XLSXWriter.workbook(sheet: "问题清单", columns: columns, rows: rows), "xl/worksheets/sheet1.xml")
        #expect(!plain.contains("mergeCell") && !plain.contains("<f>") && plain.contains(#"<row r="1"><c r="A1" t="inlineStr" s="1">"#), "neither unless asked for")
    }

    @Test func theSameLedgerExportsTheSameBytes() {
        let rows = [["市财政局", "2026-03-01"], ["", "多行\n文本"]]
        #expect(XLSXWriter.workbook(sheet: "台账", header: ["单位", "日期"], rows: rows) == XLSXWriter.workbook(sheet: "台账", header: ["单位", "日期"], rows: rows))
    }
}

@Suite("读取 Excel/WPS 与 CSV")
struct SheetReaderTests {
    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    @Test func aRoundTripKeepsEveryCellAndItsRowNumber() throws {
        let header = ["姓名", "工作单位", "备注"]
        let rows = [["张三", "市财政局", ""], ["李四", "", "含,逗号\n与换行“引号”"], ["12", "0012", "=SUM(A1)"]]
        let table = try SheetReader.read(XLSXWriter.workbook(sheet: "名册", header: header, rows: rows), sheet: "名册").table()
        #expect(table.header == header)
        #expect(table.rows.map(\.line) == [2, 3, 4])
        #expect(table.rows.map(\.fields) == rows)
    }

    @Test func aTitleRowAboveTheHeaderIsNotTakenForIt() throws {
        let columns: [XLSXWriter.Column] = [.init("姓名"), .init("入库日期", kind: .date)]
        let printed = XLSXWriter.workbook(sheet: "名册", columns: columns, rows: [["张三", "2024-03-01"]], title: "巡察干部名册（截至2026年12月31日）")
        let table = try SheetReader.read(printed).table()
        #expect(table.header == ["姓名", "入库日期"])
        #expect(table.rows.map(\.line) == [3] && table.rows[0].fields == ["张三", "2024-03-01"], "lines are still the sheet's own")
        let oneColumn = try SheetReader.read(Data("姓名\r\n张三\r\n".utf8)).table()
        #expect(oneColumn.header == ["姓名"] && oneColumn.rows.map(\.fields) == [["张三"]], "a one-column sheet keeps its header")
    }

    @Test func excelsShapeSharedStringsStylesDatesAndASecondSheet() throws {
        let sheet = try SheetReader.read(try Self.fixture("excel-roster.xlsx"), sheet: "名册")
        #expect(sheet.header == ["姓名", "工作单位", "部门类别", "入库日期", "可抽调", "评分", "备注"])
        let table = sheet.table()
        #expect(table.rows.map(\.line) == [2, 4], "the blank row 3 is skipped; lines are the sheet's row numbers")
        #expect(table.rows[0].fields == ["张三", "市财政局", "财务", "2024-03-01", "是", "92.5", "张三（两库）"])
        #expect(table.rows[1].fields == ["李四", "市审计局 ", "", "2024-04-01", "否", "88", ""], "rich text runs without the phonetic guide; the gap in C is empty")
        // Without a name the first sheet in the workbook's order is read.
        #expect(try SheetReader.read(try Self.fixture("excel-roster.xlsx")).header == ["两库"])
    }

    @Test func aNumberInADateColumnIsADay() throws {
        let sheet = try SheetReader.read(try Self.fixture("excel-roster.xlsx"), sheet: "名册")
        #expect(sheet.table(dateColumns: [5]).rows[1].fields[5] == "1900-03-28", "serial 88 counts from 1899-12-30")
        #expect(SheetTable.DateSystem.from1900.day(serial: 1)?.description == "1900-01-01")
        #expect(SheetTable.DateSystem.from1900.day(serial: 45_352.75)?.description == "2024-03-01", "a date-time reads as its day")
        #expect(SheetTable.DateSystem.from1904.day(serial: 0)?.description == "1904-01-01")
    }

    @Test func wpssShapeInlineStringsAndCellsWithoutReferences() throws {
        let table = try SheetReader.read(try Self.fixture("wps-roster.xlsx")).table()
        #expect(table.header == ["姓名", "工作单位", "部门类别", "入库日期"])
        #expect(table.rows.map(\.line) == [2, 3])
        #expect(table.rows[0].fields == ["王五", "市审计局", "审计", "2025-01-01"])
        #expect(table.rows[1].fields == ["赵六", "区财政局", "财务", "2025-01-02"])
    }

    @Test func csvInUTF8WithOrWithoutBOMAndInGBK() throws {
        let plain = try SheetReader.read(Data("姓名,工作单位\r\n张三,市财政局\r\n".utf8)).table()
        let bom = try SheetReader.read(Data("\u{FEFF}姓名,工作单位\r\n张三,市财政局\r\n".utf8)).table()
        #expect(plain == bom)
        #expect(plain.header == ["姓名", "工作单位"])
        let gbk = try SheetReader.read(try Self.fixture("gbk-roster.csv")).table()
        #expect(gbk.header == ["姓名", "工作单位", "部门类别"])
        #expect(gbk.rows.map(\.fields) == [["张三", "市财政局", "财务"]])
    }

    @Test func badFilesAreRefusedInChinese() throws {
        func code(_ data: Data, sheet: String? = nil) -> String? {
            do {
                _ = try SheetReader.read(data, sheet: sheet)
                return nil
            } catch {
                #expect(error.message.unicodeScalars.contains { $0.value > 0x4E00 }, "a Chinese message: \(error.message)")
                return error.code
            }
        }
        #expect(code(try Self.fixture("excel-roster.xlsx"), sheet: "汇总") == "unknown_sheet")
        #expect(code(Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3])) == "invalid_workbook", "a broken ZIP")
        #expect(code(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) == "legacy_workbook", "an old .xls")
        #expect(code(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFE, 0x00, 0x00])) == "invalid_encoding", "a PNG is neither")
        #expect(code(Data()) == "empty_file")
        // A ZIP that is no workbook (no content types part).
        #expect(code(XLSXWriter.workbook(sheet: "a", header: [], rows: [])) == "empty_file", "a workbook with an empty sheet")
        let wrongSheet = #expect(throws: DomainError.self) { _ = try SheetReader.read(try Self.fixture("excel-roster.xlsx"), sheet: "汇总") }
        let message = wrongSheet?.message ?? ""
        #expect(message.contains("说明") && message.contains("名册"), "the message lists the sheets there are")
    }
}
