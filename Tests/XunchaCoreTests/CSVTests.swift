import Foundation
import Testing
@testable import XunchaCore

/// The CSV reader behind `xuncha import units`: RFC 4180 plus what Excel and WPS write.
@Suite("CSV 解析 CSVTable")
struct CSVTests {
    func parse(_ text: String) throws(DomainError) -> CSVTable { try CSVTable.parse(utf8(text)) }

    @Test func headerAndRowsAreSplitWithFileLineNumbers() throws {
        let table = try parse("单位名称,单位类型\n某某县财政局,党政机关部门\n某某镇,乡镇（街道）\n")

        #expect(table.header == ["单位名称", "单位类型"])
        #expect(table.rows.map(\.fields) == [["某某县财政局", "党政机关部门"], ["某某镇", "乡镇（街道）"]])
        #expect(table.rows.map(\.line) == [2, 3])
    }

    @Test func headerCellsAreTrimmedButDataCellsAreKeptAsWritten() throws {
        let table = try parse(" 单位名称 , 单位类型\n 某某镇 ,x\n")

        #expect(table.header == ["单位名称", "单位类型"])
        #expect(table.rows[0].fields == [" 某某镇 ", "x"])
    }

    @Test func quotedFieldMayContainCommas() throws {
        let table = try parse("a,b\n\"财政局,机关党委\",x\n")

        #expect(table.rows[0].fields == ["财政局,机关党委", "x"])
    }

    @Test func doubledQuotesInsideAQuotedFieldAreOneQuote() throws {
        let table = try parse("a,b\n\"他说\"\"好\"\"\",\"\"\"\"\n")

        #expect(table.rows[0].fields == ["他说\"好\"", "\""])
    }

    @Test func quotedEmptyFieldIsEmpty() throws {
        let table = try parse("a,b,c\n\"\",x,\"\"\n")

        #expect(table.rows[0].fields == ["", "x", ""])
    }

    @Test func embeddedNewlineIsKeptAndLaterRowsKeepTheirFileLineNumbers() throws {
        let table = try parse("a,b\n\"第一行\n第二行\n第三行\",x\nnext,y\n")

        #expect(table.rows[0].fields == ["第一行\n第二行\n第三行", "x"])
        #expect(table.rows[0].line == 2)
        #expect(table.rows[1].line == 5)
    }

    @Test func crlfLineEndsAreUnderstood() throws {
        let table = try parse("a,b\r\n1,2\r\n3,4\r\n")

        #expect(table.header == ["a", "b"])
        #expect(table.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(table.rows.map(\.line) == [2, 3])
    }

    @Test func crlfInsideQuotesCountsAsOneLine() throws {
        let table = try parse("a,b\r\n\"x\r\ny\",z\r\nnext,w\r\n")

        #expect(table.rows[0].fields == ["x\r\ny", "z"])
        #expect(table.rows[1].line == 4)
    }

    @Test func bareCarriageReturnsEndLinesToo() throws {
        let table = try parse("a,b\r1,2\r3,4")

        #expect(table.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(table.rows.map(\.line) == [2, 3])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let table = try parse("\u{FEFF}单位名称,单位类型\n某某镇,乡镇（街道）\n")

        #expect(table.header == ["单位名称", "单位类型"])
        #expect(table.header[0].unicodeScalars.first == "单")
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let table = try parse("\n名称\n\n甲\r\n\r\n\n乙\n\n")

        #expect(table.header == ["名称"])
        #expect(table.rows.map(\.fields) == [["甲"], ["乙"]])
        #expect(table.rows.map(\.line) == [4, 7])
    }

    @Test func lastRowWithoutALineEndIsRead() throws {
        let table = try parse("a,b\n1,2")

        #expect(table.rows.map(\.fields) == [["1", "2"]])
    }

    @Test func trailingCommaMeansATrailingEmptyField() throws {
        let table = try parse("a,b,c\n1,2,\n")

        #expect(table.rows[0].fields == ["1", "2", ""])
    }

    @Test func rowsMayHaveDifferentFieldCounts() throws {
        let table = try parse("a,b\n1\n1,2,3\n")

        #expect(table.rows.map(\.fields.count) == [1, 3])
    }

    @Test func headerOnlyGivesNoRows() throws {
        let table = try parse("单位名称,单位类型\r\n")

        #expect(table.header == ["单位名称", "单位类型"])
        #expect(table.rows.isEmpty)
    }

    @Test func invalidUTF8IsRejected() {
        // "单位,名称" as Excel saves it on a Chinese Windows: GBK, not UTF-8.
        let gbk = Data([0xB5, 0xA5, 0xCE, 0xBB, 0x2C, 0xC3, 0xFB, 0xB3, 0xC6, 0x0A])

        let error = #expect(throws: DomainError.self) { try CSVTable.parse(gbk) }

        #expect(error?.code == "invalid_encoding")
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test func truncatedMultiByteCharacterIsRejected() {
        let bytes = Data("单位名称,x\n".utf8) + Data([0xE5, 0xB7])

        let error = #expect(throws: DomainError.self) { try CSVTable.parse(bytes) }

        #expect(error?.code == "invalid_encoding")
    }

    @Test func unterminatedQuoteIsRejectedNamingTheLineItStarts() {
        let error = #expect(throws: DomainError.self) { try parse("a,b\n1,2\n\"未闭合,x\n下一行,y\n") }

        #expect(error?.code == "unterminated_quote")
        #expect(error?.message.contains("第3行") == true)
    }

    @Test(arguments: ["", "\u{FEFF}", "\n\n", "\r\n\r\n"])
    func emptyFileIsRejected(text: String) {
        let error = #expect(throws: DomainError.self) { try parse(text) }

        #expect(error?.code == "empty_file")
    }

    @Test func quoteInsideAnUnquotedFieldIsKeptAsText() throws {
        let table = try parse("a,b\n5\"屏幕,x\n")

        #expect(table.rows[0].fields == ["5\"屏幕", "x"])
    }
}

@Suite("CSV 导出")
struct CSVWriterTests {
    @Test func exportedFieldsAreQuotedAndReadBackUnchanged() throws {
        let rows = [["1-1", "健全“三重一大”制度，逐项清理", "他说\"到位\"", "第一行\n第二行"]]
        let text = CSVWriter.document(header: ["编号", "目标", "说明", "措施"], rows: rows)
        #expect(text.hasPrefix("\u{FEFF}"))
        let table = try CSVTable.parse(Data(text.utf8))
        #expect(table.header == ["编号", "目标", "说明", "措施"])
        #expect(table.rows.map(\.fields) == rows)
    }

    @Test func aCellThatWouldRunAsAFormulaIsDefused() {
        #expect(CSVWriter.line(["=SUM(A1:A9)", "-1", "普通"]) == "'=SUM(A1:A9),'-1,普通\r\n")
    }
}
