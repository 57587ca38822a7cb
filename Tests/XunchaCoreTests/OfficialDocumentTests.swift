import Foundation
import Testing
@testable import XunchaCore

@Suite struct OfficialDocumentTests {
    @Test func theNumberTakesTheHexagonalBracketsWhateverWasTyped() {
        #expect(OfficialDocument.bracketedNumber("江巡办[2026]5号") == "江巡办〔2026〕5号")
        #expect(OfficialDocument.bracketedNumber("江巡办（2026）5号") == "江巡办〔2026〕5号")
        #expect(OfficialDocument.bracketedNumber("江巡办〔2026〕5号") == "江巡办〔2026〕5号")
        #expect(OfficialDocument.bracketedNumber("江巡办发5号") == "江巡办发5号")
    }

    @Test func numberedLinesAreHeadingsOfTheirLevel() {
        let blocks = DocumentBlock.parse("一、总体情况\n（一）基本情况\n\n1.组织领导\n（1）党组会议\n正文一段。\n2026年12月1日召开")
        #expect(blocks == [
            .heading(level: 1, text: "一、总体情况"), .heading(level: 2, text: "（一）基本情况"), .heading(level: 3, text: "1.组织领导"),
            .heading(level: 4, text: "（1）党组会议"), .paragraph("正文一段。"), .paragraph("2026年12月1日召开"),
        ])
        #expect(DocumentBlock.headingLevel(of: "3.5万元已清退") == nil, "a decimal opens no heading")
        #expect([1, 9, 10, 11, 20, 21, 99].map(DocumentBlock.chineseNumeral) == ["一", "九", "十", "十一", "二十", "二十一", "九十九"])
    }

    @Test func theNoticeOpensWithItsAddresseeAndIsFramedByTheOffice() {
        let body = InspectionNotice.standardBody(
            committee: "江城市委", kindTitle: "常规巡察", groupName: "第一巡察组", unitName: "市财政局",
            entry: CalendarDay(year: 2027, month: 3, day: 1), exit: CalendarDay(year: 2027, month: 4, day: 30))
        let notice = InspectionNotice(
            id: UUID(), jurisdictionID: UUID(), assignmentID: UUID(), unitID: UUID(), unitName: "市财政局", groupName: "第一巡察组",
            number: "江巡办[2027]5号", body: body, entryDate: CalendarDay(year: 2027, month: 3, day: 1),
            exitDate: CalendarDay(year: 2027, month: 4, day: 30), sentAt: Date(timeIntervalSince1970: 1_798_000_000), members: [])
        let document = OfficialDocument.notice(notice, committee: "江城市委")
        #expect(document.addressee == "市财政局党组织")
        #expect(document.number == "江巡办〔2027〕5号")
        #expect(document.frame.issuerMark == "中共江城市委巡察工作领导小组办公室")
        #expect(document.title == "关于中共江城市委第一巡察组巡察市财政局的通知")
        #expect(document.date == CalendarDay(notice.sentAt))
        #expect(document.body.first == .paragraph(body.split(separator: "\n")[1].trimmingCharacters(in: .whitespaces)))
    }
}
