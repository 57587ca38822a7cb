import Foundation

/// 日期的写法, in one place. A table (a list's rows, a ledger, a history, an export) writes a day
/// as 2026-03-05 and a moment as 2026-03-05 14:30, so its columns line up and sort; prose (a
/// sentence, a notice, a message) writes 2026年3月5日 and 2026年3月5日 14:30, as documents do.
/// Moments are shown in China Standard Time.
public enum DateText {
    /// A day in a table: 2026-03-05.
    public static func table(_ day: CalendarDay) -> String { day.description }

    /// A day in prose: 2026年3月5日.
    public static func prose(_ day: CalendarDay) -> String { day.chineseText }

    /// A moment in a table: 2026-03-05 14:30.
    public static func table(_ moment: Date) -> String {
        let (day, hour, minute) = parts(of: moment)
        return "\(table(day)) \(clock(hour, minute))"
    }

    /// A moment in prose: 2026年3月5日 14:30.
    public static func prose(_ moment: Date) -> String {
        let (day, hour, minute) = parts(of: moment)
        return "\(prose(day)) \(clock(hour, minute))"
    }

    private static func parts(of moment: Date) -> (CalendarDay, Int, Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: moment)
        return (CalendarDay(year: parts.year!, month: parts.month!, day: parts.day!), parts.hour!, parts.minute!)
    }

    private static func clock(_ hour: Int, _ minute: Int) -> String {
        String(format: "%02d:%02d", hour, minute)
    }
}
