import CoreFoundation
import Foundation
import SWXMLHash
import XunchaCore
import ZIPFoundation

/// Reads the spreadsheet an office uploads: an .xlsx workbook as Excel and WPS save it, or a CSV
/// file in UTF-8 (with or without BOM) or GB18030/GBK, as Chinese Excel saves “CSV (逗号分隔)”.
/// Every refusal is a `DomainError` with a Chinese message the clerk can act on.
public enum SheetReader {
    public static let xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The most a workbook may unpack to: a ledger of ten thousand rows is a few megabytes, and a
    /// ZIP bomb must not fill the server's memory.
    static let maximumUnpackedBytes = 200 * 1024 * 1024

    /// Reads `data` by what it is, not by what it is called: a ZIP archive as .xlsx, an old binary
    /// workbook refused, anything else as CSV. `sheet` chooses a worksheet by name (else the first).
    public static func read(_ data: Data, sheet: String? = nil) throws(DomainError) -> SheetTable {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            var workbook = try XLSXReader(data)
            return try workbook.table(sheet: sheet)
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw .invalid(
                "legacy_workbook", "不支持旧版 Excel（.xls）文件，请在 Excel/WPS 中另存为 .xlsx 或 CSV 后再导入", english: "legacy .xls workbooks are not supported",
                field: "file")
        }
        return SheetTable(try CSVTable.parse(text: try decodeCSV(data)))
    }

    /// UTF-8 when the bytes are UTF-8, else GB18030 (a superset of GBK and GB2312); refused when
    /// they are neither, e.g. a binary file.
    static func decodeCSV(_ data: Data) throws(DomainError) -> String {
        if let text = String(data: data, encoding: .utf8) { return text }
        if let text = String(data: data, encoding: gb18030), !text.contains("\u{0}") { return text }
        throw .invalid(
            "invalid_encoding", "文件既不是 .xlsx 工作簿，也不是 UTF-8 或 GBK 编码的 CSV 文件，请在 Excel/WPS 中另存为 .xlsx 或“CSV UTF-8”后再导入",
            english: "file is neither .xlsx nor CSV in UTF-8 or GB18030", field: "file")
    }

    static let gb18030 = String.Encoding(
        rawValue: CFStringConvertEncodingToNSStringEncoding(CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue)))
}

/// An .xlsx package: the workbook's sheets by name, its shared strings and which cell styles show
/// numbers as dates. Follows the package's relationships rather than fixed part names, since WPS
/// and other writers name parts their own way.
struct XLSXReader {
    typealias Element = SWXMLHash.XMLHashXMLElement

    private let archive: Archive
    private var unpacked = 0

    init(_ data: Data) throws(DomainError) {
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw Self.notAWorkbook
        }
    }

    static let notAWorkbook = DomainError.invalid(
        "invalid_workbook", "文件不是有效的 .xlsx 工作簿（可能已损坏），请在 Excel/WPS 中重新另存为 .xlsx 或 CSV", english: "not a readable .xlsx workbook", field: "file")

    mutating func table(sheet wanted: String?) throws(DomainError) -> SheetTable {
        let workbookPath = try officeDocument()
        guard let workbook = try xml(workbookPath)?.first("workbook") else { throw Self.notAWorkbook }
        let relationships = try self.relationships(of: workbookPath)
        let sheets = workbook.first("sheets")?.elements("sheet").compactMap { sheet -> (name: String, path: String)? in
            guard let name = sheet.attribute("name"), let id = sheet.attribute("id"), let path = relationships[id]?.path else { return nil }
            return (name, path)
        } ?? []
        let chosen: (name: String, path: String)
        if let wanted = wanted?.trimmingCharacters(in: .whitespaces), !wanted.isEmpty {
            guard let found = sheets.first(where: { $0.name == wanted }) else {
                throw .invalid(
                    "unknown_sheet", "工作簿中没有名为“\(wanted)”的工作表（现有：\(sheets.map(\.name).joined(separator: "、"))）", english: "no sheet named \(wanted)",
                    field: "sheet")
            }
            chosen = found
        } else {
            guard let first = sheets.first else { throw .invalid("no_sheet", "工作簿中没有工作表", english: "workbook has no sheet", field: "file") }
            chosen = first
        }
        let dates: SheetTable.DateSystem = ["1", "true"].contains(workbook.first("workbookPr")?.attribute("date1904") ?? "") ? .from1904 : .from1900
        var strings: [String] = []
        if let part = relationships.values.first(where: { $0.type.hasSuffix("/sharedStrings") }) { strings = try sharedStrings(part.path) }
        var dateStyles = Set<Int>()
        if let part = relationships.values.first(where: { $0.type.hasSuffix("/styles") }) { dateStyles = try self.dateStyles(part.path) }
        guard let worksheet = try xml(chosen.path)?.first("worksheet") else {
            throw .invalid("invalid_workbook", "工作表“\(chosen.name)”无法读取", english: "sheet \(chosen.name) unreadable", field: "file")
        }
        var rows: [(line: Int, cells: [SheetTable.Cell])] = []
        var previousRow = 0
        for row in worksheet.first("sheetData")?.elements("row") ?? [] {
            // `r` may be left out (some writers do): the row then follows the one before.
            let line = row.attribute("r").flatMap(Int.init) ?? previousRow + 1
            previousRow = line
            var cells: [SheetTable.Cell] = []
            for cell in row.elements("c") {
                let column = cell.attribute("r").flatMap(Self.columnIndex) ?? cells.count
                guard column < 16_384 else { continue }
                if column > cells.count { cells += Array(repeating: .empty, count: column - cells.count) }
                let value = Self.value(of: cell, strings: strings, dateStyles: dateStyles)
                if column < cells.count { cells[column] = value } else { cells.append(value) }
            }
            rows.append((line, cells))
        }
        do {
            return try SheetTable(cellsByRow: rows, dates: dates)
        } catch {
            throw .invalid("empty_file", "工作表“\(chosen.name)”为空，缺少表头行", english: "sheet \(chosen.name) is empty", field: "file")
        }
    }

    /// A cell's value by its type: shared string, inline string (plain or rich-text runs), formula
    /// string, boolean, error, ISO date, or number (a date when its style formats it as one).
    static func value(of cell: Element, strings: [String], dateStyles: Set<Int>) -> SheetTable.Cell {
        let raw = cell.first("v")?.text ?? ""
        switch cell.attribute("t") ?? "n" {
        case "s":
            guard let index = Int(raw), strings.indices.contains(index) else { return .empty }
            return .text(strings[index])
        case "inlineStr": return .text(cell.first("is").map(richText) ?? raw)
        case "str", "e": return .text(raw)
        case "b": return .bool(raw == "1" || raw == "true")
        case "d":
            // An ISO 8601 date-time (strict Open XML): its day.
            return .text(String(raw.prefix(10)))
        default:
            guard let number = Double(raw.trimmingCharacters(in: .whitespaces)) else { return .text(raw) }
            let style = cell.attribute("s").flatMap(Int.init) ?? 0
            return .number(number, isDate: dateStyles.contains(style))
        }
    }

    /// The text of a string item: its `t`, or its rich-text runs' `t`s joined, leaving out the
    /// phonetic guides (`rPh`) East Asian Excel adds.
    static func richText(_ item: Element) -> String {
        if let plain = item.first("t"), item.elements("r").isEmpty { return plain.text }
        return item.elements("r").map { $0.first("t")?.text ?? "" }.joined()
    }

    /// 0-based column index of a reference such as "AB12".
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) || (97...122).contains(scalar.value) else { break }
            index = index * 26 + Int(scalar.value & 0x1F)
            letters += 1
        }
        return letters == 0 ? nil : index - 1
    }

    private mutating func sharedStrings(_ path: String) throws(DomainError) -> [String] {
        try xml(path)?.first("sst")?.elements("si").map(Self.richText) ?? []
    }

    /// The cell styles (positions in `cellXfs`) whose number format shows a date: a built-in date
    /// format, or a custom one whose code has day, month or year outside quotes and brackets.
    private mutating func dateStyles(_ path: String) throws(DomainError) -> Set<Int> {
        guard let sheet = try xml(path)?.first("styleSheet") else { return [] }
        var customDates = Set<Int>()
        for format in sheet.first("numFmts")?.elements("numFmt") ?? [] {
            guard let id = format.attribute("numFmtId").flatMap(Int.init), let code = format.attribute("formatCode") else { continue }
            if Self.isDateFormat(code) { customDates.insert(id) }
        }
        var styles = Set<Int>()
        for (index, xf) in (sheet.first("cellXfs")?.elements("xf") ?? []).enumerated() {
            guard let id = xf.attribute("numFmtId").flatMap(Int.init) else { continue }
            if Self.builtInDateFormats.contains(id) || customDates.contains(id) { styles.insert(index) }
        }
        return styles
    }

    /// Excel's built-in date formats, and those Chinese Excel and WPS add (yyyy"年"m"月"d"日" …).
    static let builtInDateFormats = Set(14...17).union(22...22).union(27...36).union(50...58)

    static func isDateFormat(_ code: String) -> Bool {
        var inQuotes = false
        var inBrackets = false
        var previous: Character = " "
        for character in code {
            defer { previous = character }
            if previous == "\\" { continue }
            switch character {
            case "\"": inQuotes.toggle()
            case "[" where !inQuotes: inBrackets = true
            case "]" where !inQuotes: inBrackets = false
            default:
                if !inQuotes && !inBrackets && "yYdDmM".contains(character) { return true }
            }
        }
        return false
    }

    /// The workbook part the package's root relationships name (xl/workbook.xml as a rule).
    private mutating func officeDocument() throws(DomainError) -> String {
        guard archive["[Content_Types].xml"] != nil else { throw Self.notAWorkbook }
        let root = try relationships(of: "")
        return root.values.first { $0.type.hasSuffix("/officeDocument") }?.path ?? "xl/workbook.xml"
    }

    /// The relationships of a part, by id: their type and the target's path in the package.
    private mutating func relationships(of part: String) throws(DomainError) -> [String: (type: String, path: String)] {
        let directory = part.split(separator: "/").dropLast().joined(separator: "/")
        let name = part.split(separator: "/").last.map(String.init) ?? ""
        let relsPath = (directory.isEmpty ? "" : directory + "/") + "_rels/" + name + ".rels"
        var found: [String: (type: String, path: String)] = [:]
        for relationship in try xml(relsPath)?.first("Relationships")?.elements("Relationship") ?? [] {
            guard let id = relationship.attribute("Id"), let target = relationship.attribute("Target"), relationship.attribute("TargetMode") != "External" else { continue }
            found[id] = (relationship.attribute("Type") ?? "", Self.resolve(target, from: directory))
        }
        return found
    }

    /// A relationship's target as a path in the package: absolute ("/xl/…") or relative to the part's folder.
    static func resolve(_ target: String, from directory: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = directory.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }

    /// A part parsed as XML; nil when the package has no such part.
    private mutating func xml(_ path: String) throws(DomainError) -> Element? {
        guard let entry = archive[path] else { return nil }
        unpacked += Int(entry.uncompressedSize)
        guard unpacked <= SheetReader.maximumUnpackedBytes else {
            throw .invalid("workbook_too_large", "工作簿解压后过大，请拆分后分批导入", english: "workbook unpacks too large", field: "file")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry) { data.append($0) }
        } catch {
            throw Self.notAWorkbook
        }
        let parsed = XMLHash.config { $0.detectParsingErrors = true }.parse(data)
        guard case .element(let root) = parsed else { throw Self.notAWorkbook }
        return root
    }
}

extension SWXMLHash.XMLHashXMLElement {
    /// The name without a namespace prefix: some writers prefix every element (`x:row`).
    var localName: String { name.split(separator: ":").last.map(String.init) ?? name }

    func elements(_ name: String) -> [SWXMLHash.XMLHashXMLElement] {
        children.compactMap { $0 as? SWXMLHash.XMLHashXMLElement }.filter { $0.localName == name }
    }

    func first(_ name: String) -> SWXMLHash.XMLHashXMLElement? {
        children.lazy.compactMap { $0 as? SWXMLHash.XMLHashXMLElement }.first { $0.localName == name }
    }

    /// An attribute by its name, or by its local name when prefixed (`r:id`).
    func attribute(_ name: String) -> String? {
        if let exact = attribute(by: name) { return exact.text }
        return allAttributes.first { $0.key.split(separator: ":").last.map(String.init) == name }?.value.text
    }
}
