import Foundation

/// `xuncha import units FILE.csv`: turns a CSV file into unit drafts, or rejects the whole file
/// naming every bad row and column. Nothing is written unless every row is good.
public struct UnitImportPlan: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var draft: UnitDraft
        /// The parent unit by name: an existing unit or one earlier or later in the same file.
        public var parentName: String?
    }

    /// A column the file may carry: its Chinese header, an English alias, and whether it must be present.
    public struct Column: Sendable {
        public var key: String
        public var title: String
        public var required: Bool

        /// Each known column's position in `header`, by key; unknown, repeated and missing
        /// required columns go to `problems`.
        static func positions(of columns: [Column], in header: [String], problems: inout [String]) -> [String: Int] {
            var indexOf: [String: Int] = [:]
            for (index, name) in header.enumerated() {
                // Spreadsheets often leave empty columns at the right; they carry nothing.
                if name.isEmpty && header[index...].allSatisfy(\.isEmpty) { break }
                guard let column = columns.first(where: { $0.title == name || $0.key == name.lowercased() }) else {
                    problems.append("表头第\(index + 1)列“\(name)”不是可识别的列（可用列：\(columns.map(\.title).joined(separator: "、"))）")
                    continue
                }
                if indexOf[column.key] != nil {
                    problems.append("表头“\(column.title)”重复")
                }
                indexOf[column.key] = index
            }
            for column in columns where column.required && indexOf[column.key] == nil {
                problems.append("缺少必需的列“\(column.title)”")
            }
            return indexOf
        }

        /// A data row with more or fewer fields than the header, said as a problem.
        static func widthProblem(of record: CSVTable.Row, in table: CSVTable) -> String? {
            record.fields.count == table.header.count ? nil : "第\(record.line)行：应有\(table.header.count)列，实际\(record.fields.count)列"
        }

        /// A problem of one row, in the column titled `column` when it is known.
        public static func problem(line: Int, column: String?, _ message: String) -> String {
            "第\(line)行" + (column.map { "“\($0)”列" } ?? "") + "：" + message
        }
    }

    public static let columns: [Column] = [
        Column(key: "name", title: "单位名称", required: true),
        Column(key: "type", title: "单位类型", required: true),
        Column(key: "party_organisation", title: "党组织类型", required: true),
        Column(key: "parent", title: "上级单位", required: false),
        Column(key: "head_name", title: "主要负责人", required: false),
    ]

    /// The largest file accepted, in rows.
    public static let maximumRows = 10_000

    public var rows: [Row]

    /// Builds the plan. Errors name the row and column; all problems found are listed.
    public static func plan(_ table: CSVTable) throws(DomainError) -> UnitImportPlan {
        var problems: [String] = []
        let indexOf = Column.positions(of: columns, in: table.header, problems: &problems)
        if !problems.isEmpty { throw rejection(problems) }
        if table.rows.isEmpty { throw .invalid("empty_file", "文件没有数据行", english: "file has no data rows") }
        if table.rows.count > maximumRows {
            throw .invalid("too_many_rows", "一次最多导入\(maximumRows)行", english: "at most \(maximumRows) rows per file")
        }

        var rows: [Row] = []
        var firstLineOfName: [String: Int] = [:]
        for record in table.rows {
            func value(_ key: String) -> String? {
                guard let index = indexOf[key], index < record.fields.count else { return nil }
                return record.fields[index]
            }
            if let problem = Column.widthProblem(of: record, in: table) {
                problems.append(problem)
                continue
            }
            do {
                let draft = try UnitDraft.validate(
                    name: value("name"), type: value("type"), partyOrganisation: value("party_organisation"), parentUnitID: nil,
                    headName: value("head_name"))
                let parent = try TextRules.optionalLine(value("parent"), field: "parent", label: "上级单位", maxLength: 100)
                if let earlier = firstLineOfName[draft.name] {
                    problems.append("第\(record.line)行“单位名称”列：与第\(earlier)行重复（“\(draft.name)”）")
                } else {
                    firstLineOfName[draft.name] = record.line
                }
                if parent == draft.name {
                    problems.append("第\(record.line)行“上级单位”列：不能以本单位为上级")
                }
                rows.append(Row(line: record.line, draft: draft, parentName: parent))
            } catch {
                let title = columns.first(where: { $0.key == error.field || ($0.key == "party_organisation" && error.field == "party_organisation") })?.title
                problems.append(Column.problem(line: record.line, column: title, error.message))
            }
        }
        if !problems.isEmpty { throw rejection(problems) }
        return UnitImportPlan(rows: rows)
    }

    /// One error that carries every problem, one per line, so the whole file can be fixed at once.
    public static func rejection(_ problems: [String]) -> DomainError {
        let shown = problems.prefix(50)
        var message = "导入被拒绝，未写入任何数据：\n" + shown.joined(separator: "\n")
        if problems.count > shown.count { message += "\n……另有\(problems.count - shown.count)处问题" }
        return .invalid("import_rejected", message, english: "import rejected: \(problems.count) problem(s), nothing written")
    }
}
