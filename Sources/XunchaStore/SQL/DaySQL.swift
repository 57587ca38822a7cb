/// Days as whole numbers both engines compute alike, since SQLite and PostgreSQL share no date
/// function: the statistics' as-of rules and migration 43's counters compare days with these (an
/// edit here changes that migration's pinned SQL, and its test says so).
enum DaySQL {
    /// The business day of a moment (epoch milliseconds) in Asia/Shanghai (UTC+8, no daylight
    /// saving), as days since 1970-01-01.
    static func businessDay(_ millis: String) -> String { "((\(millis) + 28800000) / 86400000)" }

    /// A `yyyy-MM-dd` column as days since 1970-01-01: the Julian day number of the proleptic
    /// Gregorian date, less that of 1970-01-01.
    static func epochDay(_ column: String) -> String {
        let year = "CAST(SUBSTR(\(column), 1, 4) AS INTEGER)"
        let month = "CAST(SUBSTR(\(column), 6, 2) AS INTEGER)"
        let day = "CAST(SUBSTR(\(column), 9, 2) AS INTEGER)"
        // January and February count as the 13th and 14th months of the year before.
        let early = "((14 - \(month)) / 12)"
        let y = "(\(year) + 4800 - \(early))"
        let m = "(\(month) + 12 * \(early) - 3)"
        return "(\(day) + (153 * \(m) + 2) / 5 + 365 * \(y) + \(y) / 4 - \(y) / 100 + \(y) / 400 - 2472633)"
    }
}
