import Foundation
import XunchaCore

/// One sheet of an uploaded spreadsheet as read, before the import knows which column means what:
/// the header row, then every non-blank row under its spreadsheet row number. A cell keeps whether
/// it was a number shown as a date, so a column the import takes as a date reads as a day whatever
/// the clerk's format.
public struct SheetTable: Sendable, Equatable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A number; `isDate` when its format shows it as a date (an Excel date serial).
        case number(Double, isDate: Bool)
        case bool(Bool)

        public static let empty = Cell.text("")

        public var isEmpty: Bool { self == .empty }

        /// The cell as text; a number as its shortest decimal (12, not 12.0), a date-formatted
        /// number — or any number when `asDate` — as the day yyyy-MM-dd.
        public func text(asDate: Bool = false, dates: DateSystem = .from1900) -> String {
            switch self {
            case .text(let text): text
            case .bool(let value): value ? "是" : "否"
            case .number(let value, let isDate):
                if isDate || asDate, let day = dates.day(serial: value) { day.description } else { Self.decimal(value) }
            }
        }

        static func decimal(_ value: Double) -> String {
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return "\(value)"
        }
    }

    public struct Row: Sendable, Equatable {
        /// The spreadsheet's own row number (a CSV file's line), for messages people can act on.
        public var line: Int
        public var cells: [Cell]
    }

    /// Excel counts days from 1899-12-30 (with 1900 wrongly a leap year); a workbook saved with
    /// the 1904 system (old Mac Excel) counts from 1904-01-01.
    public enum DateSystem: Sendable, Equatable {
        case from1900, from1904

        public func day(serial: Double) -> CalendarDay? {
            let whole = Int(serial.rounded(.down))
            switch self {
            case .from1904:
                guard whole >= 0, whole < 2_958_465 else { return nil }
                return CalendarDay(year: 1904, month: 1, day: 1).adding(days: whole)
            case .from1900:
                // Serial 60 is the 29 February 1900 that never was; before it days count from 1899-12-31.
                guard whole >= 1, whole < 2_958_466, whole != 60 else { return nil }
                return CalendarDay(year: 1899, month: 12, day: whole < 60 ? 31 : 30).adding(days: whole)
            }
        }
    }

    public var header: [String]
    public var rows: [Row]
    public var dates: DateSystem = .from1900

    public init(header: [String], rows: [Row], dates: DateSystem = .from1900) {
        self.header = header
        self.rows = rows
        self.dates = dates
    }

    /// The table as text, the shape every import plan reads: numbers in `dateColumns` (0-based
    /// positions in the header) become days, and short rows are padded to the header's width.
    public func table(dateColumns: Set<Int> = []) -> CSVTable {
        CSVTable(
            header: header,
            rows: rows.map { row in
                var fields = row.cells.enumerated().map { index, cell in cell.text(asDate: dateColumns.contains(index), dates: dates) }
                if fields.count < header.count { fields += Array(repeating: "", count: header.count - fields.count) }
                return CSVTable.Row(line: row.line, fields: fields)
            })
    }

    /// A table of text cells (a CSV file).
    init(_ csv: CSVTable) {
        self.init(header: csv.header, rows: csv.rows.map { Row(line: $0.line, cells: $0.fields.map(Cell.text)) })
    }

    /// Builds the table from rows of cells by row number: the first non-blank row is the header
    /// (empty cells at its right end dropped), blank rows are skipped. A title row above the header
    /// — one text cell over a row of several, as a printed ledger (and Xuncha's own printed
    /// exports) carry "整改台账（截至2026年12月31日）" — is not taken for the header.
    init(cellsByRow: [(line: Int, cells: [Cell])], dates: DateSystem) throws(DomainError) {
        var rows = cellsByRow.filter { !$0.cells.allSatisfy(\.isEmpty) }
        guard !rows.isEmpty else {
            throw .invalid("empty_file", "工作表为空，缺少表头行", english: "sheet is empty")
        }
        if rows.count > 1, Self.isTitle(rows[0].cells), rows[1].cells.filter({ !$0.isEmpty }).count > 1 { rows.removeFirst() }
        var header = rows.removeFirst().cells.map { $0.text(dates: dates).trimmingCharacters(in: .whitespacesAndNewlines) }
        while header.last?.isEmpty == true { header.removeLast() }
        self.init(
            header: header,
            rows: rows.map { row in
                var cells = row.cells
                // Trailing empty cells beyond the header carry nothing.
                while cells.count > header.count, cells.last?.isEmpty == true { cells.removeLast() }
                return Row(line: row.line, cells: cells)
            },
            dates: dates)
    }

    static func isTitle(_ cells: [Cell]) -> Bool {
        let filled = cells.filter { !$0.isEmpty }
        guard filled.count == 1, case .text = filled[0] else { return false }
        return true
    }
}
