import Foundation

/// 交叉统计: the records a cross table counts.
public enum CrosstabRecords: String, CaseIterable, Sendable {
    /// 问题底稿: every working paper in the reader's statistics scope, whatever its status.
    case findings
    /// 整改任务: the tasks of approved plans, as the statistics count them.
    case tasks

    public var title: String {
        switch self {
        case .findings: "问题底稿"
        case .tasks: "整改任务"
        }
    }

    /// The dimensions the records can be grouped by, in the order a form offers them.
    public var dimensions: [CrosstabDimension] {
        switch self {
        case .findings: [.category, .status, .disposition, .unit, .form]
        case .tasks: [.category, .status, .unit, .form]
        }
    }
}

/// One dimension of a cross table (交叉统计的维度).
public enum CrosstabDimension: String, CaseIterable, Sendable {
    /// 问题类别: an item of one classification family (六项纪律 by default). A paper tagged with two
    /// items of the family counts under each, as the statistics' classification figures do; one
    /// with none under 未分类. A task takes the category of the paper behind its problem.
    case category
    /// 状态: the paper's (草稿 … 已审定) or the task's (整改中 … 已销号).
    case status
    /// 处置方式 of a paper: an approved paper's disposition or 待确定处置方式, 未审定 before approval.
    case disposition
    /// 被巡察单位.
    case unit
    /// 巡察方式 of the round (常规、专项、机动 …).
    case form

    public var title: String {
        switch self {
        case .category: "问题类别"
        case .status: "状态"
        case .disposition: "处置方式"
        case .unit: "被巡察单位"
        case .form: "巡察方式"
        }
    }

    /// The values every table of this dimension lists (zeros included), in their customary order;
    /// nil for the dimensions whose values come from the data (units, a family's items).
    public func vocabulary(of records: CrosstabRecords) -> [(code: String, title: String)]? {
        switch self {
        case .status where records == .findings: FindingStatus.allCases.map { (code: $0.rawValue, title: $0.title) }
        case .status: TaskStatus.allCases.map { (code: $0.rawValue, title: $0.title) }
        case .disposition: FindingDisposition.allCases.map { (code: $0.rawValue, title: $0.title) } + [(code: Self.unapproved, title: "未审定")]
        case .form: RoundKind.allCases.map { (code: $0.rawValue, title: $0.title) }
        case .category, .unit: nil
        }
    }

    /// The disposition value of a paper not yet approved, and the category of one with no item of the family.
    public static let unapproved = "unapproved"
    public static let uncategorised = "none"
    public static let uncategorisedTitle = "未分类"
}

/// What a cross table is asked for: the records, the dimension of its rows and of its columns,
/// and for 问题类别 the classification family.
public struct CrosstabRequest: Sendable, Equatable {
    public static let defaultFamily = "six_disciplines"

    public var records: CrosstabRecords
    public var rows: CrosstabDimension
    public var columns: CrosstabDimension
    public var family: String

    /// Parses the request's words; an unknown one, a dimension the records lack or the same
    /// dimension twice is refused, naming the parameter and what it may be.
    public init(of: String?, rows: String?, columns: String?, family: String?) throws(DomainError) {
        guard let records = CrosstabRecords(rawValue: of ?? CrosstabRecords.findings.rawValue) else {
            throw .invalid(
                "unknown_records", "交叉统计的对象只能是 findings（问题底稿）或 tasks（整改任务）", english: "of must be findings or tasks", field: "of")
        }
        func dimension(_ text: String?, field: String, label: String) throws(DomainError) -> CrosstabDimension {
            guard let text, !text.isEmpty else { throw DomainError.required(field, label: label) }
            guard let found = CrosstabDimension(rawValue: text), records.dimensions.contains(found) else {
                let offered = records.dimensions.map { "\($0.rawValue)（\($0.title)）" }.joined(separator: "、")
                throw .invalid(
                    "unknown_dimension", "“\(text)”不是\(records.title)的统计维度，可用：\(offered)", english: "unknown dimension for \(records.rawValue)", field: field)
            }
            return found
        }
        self.records = records
        self.rows = try dimension(rows, field: "rows", label: "行维度")
        self.columns = try dimension(columns, field: "columns", label: "列维度")
        guard self.rows != self.columns else {
            throw .invalid("same_dimension", "行与列须是两个不同的维度", english: "rows and columns must differ", field: "columns")
        }
        let family = family ?? ""
        guard family.isEmpty || family.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw .invalid("unknown_family", "问题类别的分类体系“\(family)”不存在", english: "unknown classification family", field: "family")
        }
        self.family = family.isEmpty ? Self.defaultFamily : family
    }
}

/// A cross table (交叉统计): counts by two dimensions, with the total of each row and column.
public struct Crosstab: Sendable, Equatable {
    public var request: CrosstabRequest
    /// The rows with their totals, in order.
    public var rows: [LabelledCount]
    /// The columns with their totals, in order.
    public var columns: [LabelledCount]
    /// `cells[r][c]`: the count of row `r` in column `c`.
    public var cells: [[Int]]
    public var total: Int

    /// The table over the given row and column values (every one listed, in order) from the
    /// counts by (row code, column code); totals are the sums of the cells.
    public init(request: CrosstabRequest, rows: [(code: String, title: String)], columns: [(code: String, title: String)], counts: [String: [String: Int]]) {
        let cells = rows.map { row in columns.map { counts[row.code]?[$0.code] ?? 0 } }
        let totals = zip(rows, cells).map { LabelledCount(code: $0.code, title: $0.title, count: $1.reduce(0, +)) }
        self.request = request
        self.cells = cells
        self.rows = totals
        self.columns = columns.enumerated().map { index, column in
            LabelledCount(code: column.code, title: column.title, count: cells.reduce(0) { $0 + $1[index] })
        }
        total = totals.reduce(0) { $0 + $1.count }
    }
}
