import Foundation

/// A parsed CSV file (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends).
public struct CSVTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// 1-based line number in the file, for messages people can act on.
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    public var header: [String]
    public var rows: [Row]

    public init(header: [String], rows: [Row]) {
        self.header = header
        self.rows = rows
    }

    /// Parses UTF-8 bytes (a leading BOM, as Excel writes, is skipped). Blank lines are ignored.
    public static func parse(_ data: Data) throws(DomainError) -> CSVTable {
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalid("invalid_encoding", "文件不是有效的 UTF-8 编码，请在 Excel/WPS 中另存为“CSV UTF-8”", english: "file is not valid UTF-8")
        }
        return try parse(text: text)
    }

    /// Parses decoded text (the spreadsheet reader decodes GB18030 files, as Chinese Excel saves
    /// CSV, before handing them here).
    public static func parse(text: String) throws(DomainError) -> CSVTable {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var records: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var fieldWasQuoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Row(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let scalar = pending {
            pending = iterator.next()
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                if pending == "\n" { pending = iterator.next() }
                endRecord()
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw .invalid("unterminated_quote", "第\(recordLine)行：引号未闭合", english: "line \(recordLine): unterminated quoted field")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        guard let first = records.first else {
            throw .invalid("empty_file", "文件为空，缺少表头行", english: "file is empty")
        }
        let header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        return CSVTable(header: header, rows: Array(records.dropFirst()))
    }
}

/// Writes CSV for export: RFC 4180 quoting, CRLF line ends, and a BOM so that Excel reads the
/// Chinese text as UTF-8.
public enum CSVWriter {
    public static func document(header: [String], rows: [[String]]) -> String {
        "\u{FEFF}" + ([header] + rows).map(line).joined()
    }

    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String) -> String {
        // A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
        let safe = text.first.map { "=+-@".contains($0) } == true ? "'" + text : text
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
