import Foundation

/// 导入台账: a ledger the office keeps in Excel or WPS that Xuncha imports. A kind is one case here,
/// its plan (a `LedgerImportPlan`: columns and how a row reads) in Core, and its writer in the Store.
///
/// Adding a kind (the compiler asks for each switch):
/// 1. a case here, with its `title`, the `permission` of the ledger it writes and its `plan`;
/// 2. the plan in Core (`enum XImport: LedgerImportPlan`: `kind`, `columns` — Chinese title, key,
///    required, aliases, `isDate` — and `draft(_:today:)`, which reads a row through `ImportRow`'s
///    readers and records a problem for every bad cell);
/// 3. the writer in the Store (`enum XWriter: LedgerImportWriter`: `write` creates a record for a
///    row without `existing`, updates the one `existing` names, marks its own audit entries with
///    `context.auditNote`, and records as problems what only the database can tell);
/// 4. one line in `Store.importLedger`'s switch, and the raw value in openapi.yaml's `kind` enums.
/// The framework does the rest: the page and the API, the mapping (and remembering it), the
/// 台账编号 key, the preview by rolled-back writes, the one transaction, the 补录 marks.
public enum LedgerKind: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// 组长库、人才库名册.
    case poolRoster = "pool_roster"
    /// 制度建设台账 (制度、流程建立或完善).
    case ruleImprovements = "rule_improvements"
    /// 问题清单/整改台账: the problems found, their disposition and rectification.
    case problemList = "problem_list"
    /// 问题线索台账: the leads, their receiving body, handling and answer.
    case leadRegister = "lead_register"

    public var title: String {
        switch self {
        case .poolRoster: "巡察干部名册（组长库、人才库）"
        case .ruleImprovements: "制度建设台账"
        case .problemList: "问题清单/整改台账"
        case .leadRegister: "问题线索台账"
        }
    }

    /// An import needs the permission of the ledger it writes (over the whole committee).
    public var permission: Permission {
        switch self {
        case .poolRoster: .managePools
        case .ruleImprovements: .recordRuleImprovements
        // The office disposes of problems; a row of 限期整改 also needs the office's review
        // permissions, which the writer checks row by row.
        case .problemList: .triageFindings
        // Leads are read by those who need to know; of those, the register is the custodian's.
        case .leadRegister: .viewLeads
        }
    }

    /// The role an importer must hold besides the permission: the lead register is kept by the
    /// committee's 线索管理员 alone (the leading group reads leads but does not keep the register).
    public var importerRole: Role? {
        switch self {
        case .leadRegister: .leadCustodian
        case .poolRoster, .ruleImprovements, .problemList: nil
        }
    }

    /// The plan that reads the kind's rows.
    public var plan: any LedgerImportPlan.Type {
        switch self {
        case .poolRoster: PoolRosterImport.self
        case .ruleImprovements: RuleImprovementImport.self
        case .problemList: ProblemListImportPlan.self
        case .leadRegister: LeadRegisterImportPlan.self
        }
    }

    /// Every column the kind reads: the key column first, then the plan's own.
    public var columns: [ImportColumn] { [plan.keyColumn] + plan.columns }
}

/// A column a ledger's import reads: its Chinese title (what the office's sheet calls it), other
/// names people give it, and whether a row must fill it.
public struct ImportColumn: Sendable, Equatable {
    public var key: String
    public var title: String
    public var required: Bool
    /// Other headers that mean this column (“序号” for “台账编号”, “单位” for “工作单位” …).
    public var aliases: [String]
    /// A date column: a spreadsheet number in it is a date serial.
    public var isDate: Bool

    public init(key: String, title: String, required: Bool = false, aliases: [String] = [], isDate: Bool = false) {
        self.key = key
        self.title = title
        self.required = required
        self.aliases = aliases
        self.isDate = isDate
    }

    /// 台账编号: the key a re-import finds the record by, so importing a corrected sheet again
    /// updates what the first import created instead of adding it twice. A row without one is
    /// always added.
    public static let ledgerKey = ImportColumn(key: "key", title: "台账编号", aliases: ["编号", "台账号", "key"])

    /// 编号: the key column of a ledger whose rows must each carry one (the problem list, whose
    /// keys the lead register names; the lead register), titled as those ledgers title it.
    public static let requiredLedgerKey = ImportColumn(key: "key", title: "编号", required: true, aliases: ["台账编号", "序号", "台账号"])

    /// Whether a file's header names this column.
    public func matches(_ header: String) -> Bool {
        let name = header.trimmingCharacters(in: .whitespacesAndNewlines)
        return name == title || aliases.contains(name) || name.lowercased() == key
    }
}

/// A problem the preview names: a bad cell (row and column), a bad row, or a bad header.
public struct ImportProblem: Sendable, Equatable, Codable {
    /// The spreadsheet's row number; nil for a problem of the header or the mapping.
    public var line: Int?
    /// The title of the kind's column (or the file's header) the problem is in.
    public var column: String?
    public var code: String
    /// What is wrong with the cell, without its place.
    public var message: String

    public init(line: Int?, column: String?, code: String, message: String) {
        self.line = line
        self.column = column
        self.code = code
        self.message = message
    }

    /// 第N行“列名”列：message — what the page and the rejection list.
    public var text: String {
        guard let line else { return column.map { "“\($0)”列：" + message } ?? message }
        return "第\(line)行" + (column.map { "“\($0)”列" } ?? "") + "：" + message
    }
}

/// Which of a kind's columns each column of the file feeds, by position in the file's header;
/// nil leaves a file column out.
public struct ImportMapping: Sendable, Equatable {
    public var keys: [String?]

    public init(keys: [String?]) {
        self.keys = keys
    }

    /// The mapping a page offers before the clerk changes it: a header that names a column (its
    /// title or an alias) maps to it; any other maps as this committee's last import of the kind
    /// mapped the same header (`remembered`: header → column key); else it is left out.
    public static func suggested(header: [String], columns: [ImportColumn], remembered: [String: String] = [:]) -> ImportMapping {
        var taken = Set<String>()
        var keys: [String?] = header.map { name in
            guard let column = columns.first(where: { $0.matches(name) }), taken.insert(column.key).inserted else { return nil }
            return column.key
        }
        for (index, name) in header.enumerated() where keys[index] == nil {
            if let key = remembered[name.trimmingCharacters(in: .whitespacesAndNewlines)], columns.contains(where: { $0.key == key }), taken.insert(key).inserted {
                keys[index] = key
            }
        }
        return ImportMapping(keys: keys)
    }

    /// `name,home_unit,,category`: column keys by file position, empty for a column left out (the
    /// API's `mapping` parameter).
    public init(text: String, columns: [ImportColumn]) throws(DomainError) {
        var keys: [String?] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let key = part.trimmingCharacters(in: .whitespaces)
            if key.isEmpty || key == "-" {
                keys.append(nil)
                continue
            }
            guard columns.contains(where: { $0.key == key }) else {
                throw .invalid(
                    "unknown_column", "列映射中的“\(key)”不是此台账的列（可用：\(columns.map(\.key).joined(separator: "、"))）", english: "unknown column \(key)",
                    field: "mapping")
            }
            keys.append(key)
        }
        self.init(keys: keys)
    }

    public var text: String { keys.map { $0 ?? "" }.joined(separator: ",") }

    /// What the committee remembers for its next import: header → column key, for mapped columns.
    public func remembered(header: [String]) -> [String: String] {
        var pairs: [String: String] = [:]
        for (index, key) in keys.enumerated() where index < header.count {
            let name = header[index].trimmingCharacters(in: .whitespacesAndNewlines)
            if let key, !name.isEmpty { pairs[name] = key }
        }
        return pairs
    }

    /// The file position of each mapped column key.
    func positions() -> [String: Int] {
        var positions: [String: Int] = [:]
        for (index, key) in keys.enumerated() { if let key { positions[key] = index } }
        return positions
    }
}

/// One data row as a plan reads it: its cells by column key, and the problems found so far. The
/// readers record a problem and answer nil, so one pass names every bad cell of the row.
public struct ImportRow: Sendable {
    public let line: Int
    let values: [String: String]
    let columns: [ImportColumn]
    public internal(set) var problems: [ImportProblem] = []

    init(line: Int, values: [String: String], columns: [ImportColumn]) {
        self.line = line
        self.values = values
        self.columns = columns
    }

    /// The cell's text, trimmed; "" when the column is not in the file.
    public func text(_ key: String) -> String { values[key] ?? "" }

    /// The cell's text, nil when empty.
    public func optional(_ key: String) -> String? {
        let text = text(key)
        return text.isEmpty ? nil : text
    }

    func title(_ key: String) -> String { columns.first { $0.key == key }?.title ?? key }

    /// Records a problem in the cell of column `key` (nil: the row as a whole).
    public mutating func problem(_ key: String?, code: String = "invalid_cell", _ message: String) {
        problems.append(ImportProblem(line: line, column: key.map(title), code: code, message: message))
    }

    /// A value named by its code, title or short title; an unknown one is a problem listing the
    /// values there are. Empty: nil, without a problem.
    public mutating func coded<T: CodedTitle>(_ type: T.Type, _ key: String) -> T? {
        guard let text = optional(key) else { return nil }
        guard let value = T(code: text) else {
            problem(key, code: "unknown_value", "未知的\(title(key))“\(text)”（可用：\(T.allCases.map(\.title).joined(separator: "、"))）")
            return nil
        }
        return value
    }

    /// A day in any of the spellings a ledger leaves (`LedgerDay`: 2026-03-01, 2026/3/1,
    /// 2026.3.1, 2026年3月1日, a date serial; a date cell of a workbook arrives as 2026-03-01).
    /// Empty: nil, and a problem when `required`.
    public mutating func day(_ key: String, required: Bool = false) -> CalendarDay? {
        guard let text = required ? self.required(key) : optional(key) else { return nil }
        guard let day = LedgerDay.parse(text) else {
            problem(key, code: "invalid_date", "“\(text)”不是有效日期（可写作2025-03-01、2025/3/1、2025年3月1日）")
            return nil
        }
        return day
    }

    /// 是 / 否 (yes / no, 1 / 0, √ / ×); empty: `empty`.
    public mutating func yesNo(_ key: String, empty: Bool) -> Bool? {
        switch text(key).lowercased() {
        case "": return empty
        case "是", "yes", "y", "1", "true", "√": return true
        case "否", "no", "n", "0", "false", "×": return false
        default:
            problem(key, code: "invalid_yes_no", "应为“是”或“否”")
            return nil
        }
    }

    /// Runs a domain check, turning its error into a problem in the column its field names
    /// (`fields`: the error's field → column key, where they differ).
    public mutating func check<T>(fields: [String: String] = [:], _ body: () throws(DomainError) -> T) -> T? {
        do {
            return try body()
        } catch {
            let key = error.field.map { fields[$0] ?? $0 }
            problem(key.flatMap { key in columns.contains { $0.key == key } ? key : nil }, code: error.code, error.message)
            return nil
        }
    }
}

/// What every kind's plan gives the framework: its columns and how one row reads.
public protocol LedgerImportPlan {
    /// What a good row becomes: the input of the kind's writer.
    associatedtype Draft: Sendable
    static var kind: LedgerKind { get }
    /// The key column: `ImportColumn.ledgerKey` (optional) unless the plan's rows must each
    /// carry a key (`ImportColumn.requiredLedgerKey`).
    static var keyColumn: ImportColumn { get }
    /// The kind's own columns (the key column comes from `keyColumn`).
    static var columns: [ImportColumn] { get }
    /// Reads a row, recording a problem for every bad cell; nil when there was one.
    static func draft(_ row: inout ImportRow, today: CalendarDay) -> Draft?
}

extension LedgerImportPlan {
    public static var keyColumn: ImportColumn { .ledgerKey }
}

/// A row of the preview: its cells as the file has them, its key, and what it became.
public struct PlannedRow<Draft: Sendable>: Sendable {
    public var line: Int
    public var fields: [String]
    public var key: String?
    /// Nil when a cell is bad.
    public var draft: Draft?
}

/// The preview of an import: every row, every problem; written only when there is no problem.
public struct LedgerImportPreview<Draft: Sendable>: Sendable {
    public var kind: LedgerKind
    public var header: [String]
    public var mapping: ImportMapping
    public var rows: [PlannedRow<Draft>]
    public var problems: [ImportProblem]

    public var isGood: Bool { problems.isEmpty }

    /// The good rows as the writer takes them; throws the rejection when any problem remains.
    public func accepted() throws(DomainError) -> [(line: Int, key: String?, draft: Draft)] {
        guard isGood else { throw LedgerImport.rejection(problems) }
        return rows.compactMap { row in row.draft.map { (row.line, row.key, $0) } }
    }
}

/// Reads a table through a plan: the mapping, the rows, the key column, every bad cell.
public enum LedgerImport {
    /// The largest file accepted, in rows: a whole committee's ledger of years (as many as a
    /// ledger export gives).
    public static let maximumRows = 100_000

    /// `strict`: a header that names no column is a problem (the fixed-format roster upload);
    /// otherwise it is simply left out.
    public static func preview<P: LedgerImportPlan>(
        _ plan: P.Type, table: CSVTable, mapping: ImportMapping? = nil, today: CalendarDay, strict: Bool = false
    ) -> LedgerImportPreview<P.Draft> {
        let columns = P.kind.columns
        let mapping = mapping ?? .suggested(header: table.header, columns: columns)
        var problems = headerProblems(table.header, mapping: mapping, columns: columns, strict: strict)
        if table.rows.isEmpty {
            problems.append(ImportProblem(line: nil, column: nil, code: "empty_file", message: "文件没有数据行"))
        }
        if table.rows.count > maximumRows {
            problems.append(ImportProblem(line: nil, column: nil, code: "too_many_rows", message: "一次最多导入\(maximumRows)行，请拆分后分批导入"))
            return LedgerImportPreview(kind: P.kind, header: table.header, mapping: mapping, rows: [], problems: problems)
        }
        let headerIsGood = problems.isEmpty
        let positions = mapping.positions()
        var rows: [PlannedRow<P.Draft>] = []
        var lineOfKey: [String: Int] = [:]
        for record in table.rows {
            var values: [String: String] = [:]
            for (key, index) in positions where index < record.fields.count {
                values[key] = record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            var row = ImportRow(line: record.line, values: values, columns: columns)
            // A row is read only when its cells are where the header says and its required cells are all there.
            var readable = true
            if record.fields.count > table.header.count, record.fields[table.header.count...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                row.problem(nil, code: "row_too_wide", "应有\(table.header.count)列，实际\(record.fields.count)列")
                readable = false
            }
            let key = row.optional(ImportColumn.ledgerKey.key)
            if let key {
                if let earlier = lineOfKey[key] {
                    row.problem(ImportColumn.ledgerKey.key, code: "duplicate_key", "与第\(earlier)行重复（“\(key)”）")
                } else {
                    lineOfKey[key] = record.line
                }
            }
            for column in columns where column.required && row.text(column.key).isEmpty && positions[column.key] != nil {
                row.problem(column.key, code: "required", "不能为空")
                readable = false
            }
            var draft: P.Draft?
            if headerIsGood && readable { draft = P.draft(&row, today: today) }
            problems += row.problems
            rows.append(PlannedRow(line: record.line, fields: record.fields, key: key, draft: row.problems.isEmpty ? draft : nil))
        }
        return LedgerImportPreview(kind: P.kind, header: table.header, mapping: mapping, rows: rows, problems: problems)
    }

    static func headerProblems(_ header: [String], mapping: ImportMapping, columns: [ImportColumn], strict: Bool) -> [ImportProblem] {
        var problems: [ImportProblem] = []
        var seen = Set<String>()
        for (index, name) in header.enumerated() {
            let key = index < mapping.keys.count ? mapping.keys[index] : nil
            guard let key else {
                // Spreadsheets often leave empty columns at the right; they carry nothing.
                if strict && !(name.isEmpty && header[index...].allSatisfy(\.isEmpty)) {
                    problems.append(
                        ImportProblem(
                            line: nil, column: nil, code: "unknown_header",
                            message: "表头第\(index + 1)列“\(name)”不是可识别的列（可用列：\(columns.map(\.title).joined(separator: "、"))）"))
                }
                continue
            }
            let title = columns.first { $0.key == key }?.title ?? key
            if !seen.insert(key).inserted {
                problems.append(ImportProblem(line: nil, column: title, code: "duplicate_column", message: "有多个文件列映射到此列，只能选一个"))
            }
        }
        if mapping.keys.count > header.count, mapping.keys[header.count...].contains(where: { $0 != nil }) {
            problems.append(ImportProblem(line: nil, column: nil, code: "mapping_too_long", message: "列映射比文件的列多"))
        }
        for column in columns where column.required && !seen.contains(column.key) {
            problems.append(ImportProblem(line: nil, column: column.title, code: "missing_column", message: "缺少必需的列，请在文件中加上此列或在列映射中选择"))
        }
        return problems
    }

    /// One error that carries every problem, one per line, so the whole file can be fixed at once.
    public static func rejection(_ problems: [ImportProblem]) -> DomainError {
        UnitImportPlan.rejection(problems.map(\.text))
    }
}

extension AccessPolicy {
    /// The ledgers `actor` may import: those it keeps for its whole committee (a unit records its
    /// own rules one by one, but does not import the committee's ledger).
    public func importableKinds(_ actor: Actor) -> [LedgerKind] {
        LedgerKind.allCases.filter { mayImport(actor, $0) }
    }

    /// Whether `actor` may import `kind` into their committee: the ledger's permission over it
    /// and the role the kind asks for, if any.
    public func mayImport(_ actor: Actor, _ kind: LedgerKind) -> Bool {
        reach(actor, kind.permission) >= .ownJurisdiction && (kind.importerRole.map(actor.roles.contains) ?? true)
    }
}
