import Foundation
import XunchaCore

/// Dates on pages, named by where they stand (`DateText` holds the two styles): `time` and `day`
/// for a table's cells (2026-03-05 14:30, 2026-03-05), `prose` for a sentence (2026年3月5日 14:30,
/// 2026年3月5日). A date a form sends back stays `CalendarDay.description`, the input's own format.
enum Display {
    /// A moment in a table cell.
    static func time(_ date: Date) -> String { DateText.table(date) }

    /// A day in a table cell.
    static func day(_ day: CalendarDay) -> String { DateText.table(day) }

    /// A moment in a sentence.
    static func prose(_ date: Date) -> String { DateText.prose(date) }

    /// A day in a sentence.
    static func prose(_ day: CalendarDay) -> String { DateText.prose(day) }
}
