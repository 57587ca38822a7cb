import Foundation
import Testing
import XunchaCore
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
