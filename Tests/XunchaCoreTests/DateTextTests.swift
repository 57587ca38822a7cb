import Foundation
import Testing
import XunchaCore

@Suite("日期写法 Date styles")
struct DateTextTests {
    static let day = CalendarDay(year: 2026, month: 3, day: 5)
    /// 2026-12-23 04:26:40 UTC, 12:26 in Beijing.
    static let moment = Date(timeIntervalSince1970: 1_798_000_000)

    @Test func aTableWritesDaysAndMomentsSoTheyLineUpAndSort() {
        #expect(DateText.table(Self.day) == "2026-03-05")
        #expect(DateText.table(Self.moment) == "2026-12-23 12:26")
    }

    @Test func proseWritesThemAsDocumentsDo() {
        #expect(DateText.prose(Self.day) == "2026年3月5日")
        #expect(DateText.prose(Self.moment) == "2026年12月23日 12:26")
    }

    @Test func momentsAreShownInChinaStandardTime() {
        let lateEveningUTC = Date(timeIntervalSince1970: 1_798_000_000 + 14 * 3_600)
        #expect(DateText.table(lateEveningUTC) == "2026-12-24 02:26", "18:26 UTC is past midnight in Beijing")
    }
}
