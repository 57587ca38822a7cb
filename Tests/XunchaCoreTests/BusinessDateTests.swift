import Foundation
import Testing
import XunchaCore

/// 业务日期: the rules a step's own day must keep, and the moment it records.
@Suite("业务日期")
struct BusinessDateTests {
    /// 2026-12-06 14:30 in Asia/Shanghai.
    let now = Date(timeIntervalSince1970: 1_796_538_600)
    var today: CalendarDay { CalendarDay(now) }

    /// The code and field of the refusal `body` throws.
    func refusal(_ body: () throws(DomainError) -> Void) -> [String?] {
        do {
            try body()
            return []
        } catch {
            return [error.code, error.field]
        }
    }

    @Test func leftOutItIsTheDayOfRecordingAndNothingIsBackfilled() throws {
        let time = try BusinessDate.today.resolved(recordedAt: now, after: nil, backfillDays: 7)
        #expect(time.occurredOn == today)
        #expect(time.at == now)
        #expect(!time.isBackfilled)
        #expect(time.auditNote.isEmpty)
    }

    @Test func anEarlierDayKeepsTheTimeOfDayItWasRecordedAt() throws {
        let time = try BusinessDate(day: CalendarDay(year: 2025, month: 3, day: 10), reason: "据纸质台账补录").resolved(recordedAt: now, after: nil, backfillDays: 7)
        #expect(CalendarDay(time.at) == CalendarDay(year: 2025, month: 3, day: 10))
        #expect(Int(now.timeIntervalSince(time.at)) % 86_400 == 0, "the same time of day, so steps entered in one sitting keep their order")
        #expect(time.isBackfilled)
        #expect(time.auditNote == "（业务日期2025-03-10，补录：据纸质台账补录）")
    }

    @Test func aDayInTheFutureIsRefused() {
        #expect(refusal({ () throws(DomainError) in _ = try BusinessDate(day: today.adding(days: 1)).resolved(recordedAt: now, after: nil, backfillDays: 7) }) == ["future_business_date", "occurred_on"])
    }

    @Test func aStepCannotPrecedeTheStepBeforeItButMayShareItsDay() throws {
        let previous = today.adding(days: -2)
        #expect(refusal({ () throws(DomainError) in _ = try BusinessDate(day: previous.adding(days: -1)).resolved(recordedAt: now, after: previous, backfillDays: 7) }) == ["business_date_before_previous", "occurred_on"])
        #expect(try BusinessDate(day: previous).resolved(recordedAt: now, after: previous, backfillDays: 7).occurredOn == previous)
    }

    @Test func aDayFurtherBackThanTheSettingNeedsAReason() throws {
        #expect(try BusinessDate(day: today.adding(days: -7)).resolved(recordedAt: now, after: nil, backfillDays: 7).backfillReason == nil)
        for reason in [nil, "  \n "] {
            #expect(refusal({ () throws(DomainError) in _ = try BusinessDate(day: today.adding(days: -8), reason: reason).resolved(recordedAt: now, after: nil, backfillDays: 7) }) == ["backfill_reason_required", "backfill_reason"])
        }
        let explained = try BusinessDate(day: today.adding(days: -8), reason: " 系统上线前的工作 ").resolved(recordedAt: now, after: nil, backfillDays: 7)
        #expect(explained.backfillReason == "系统上线前的工作")
    }

    @Test func aReasonForAStepTakenTodayIsNotKept() throws {
        #expect(try BusinessDate(day: today, reason: "无").resolved(recordedAt: now, after: nil, backfillDays: 7).backfillReason == nil)
    }

    @Test func theFormsTextIsReadAsADay() throws {
        #expect(try BusinessDate(text: " 2025-03-10 ", reason: nil).day == CalendarDay(year: 2025, month: 3, day: 10))
        #expect(try BusinessDate(text: "", reason: nil).day == nil)
        #expect(throws: DomainError.self) { _ = try BusinessDate(text: "2025-02-30", reason: nil) }
    }
}
