import Foundation

/// 问题清单/整改台账 import: each row is one problem an inspection found, where and when, how it
/// was disposed of, and — for 立行立改 and 限期整改 — who answers for it under "三个一", by when,
/// and how far its rectification has come. The plan checks every cell; the store writes a whole
/// file in one transaction through the lifecycles (`Store.importLedger`, whose `ProblemListWriter`
/// writes the rows).
public struct ProblemListImportPlan: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        /// 序号/编号: the office's key for the problem; importing it again updates the record.
        public var key: String
        public var place: LedgerPlace
        /// The problem as the ledger states it (title from 问题标题 or the text's first sentence).
        public var content: FindingContent
        /// 问题类别 and, when the row records one, 四种形态.
        public var tags: [ClassificationTag]
        public var disposition: Disposition
        /// 处置说明 (required for 不予认定).
        public var dispositionNote: String?
        /// For 移交问题线索: the person and the matter.
        public var lead: LeadDetails?
        /// For 限期整改: the task under "三个一" with its deadline.
        public var task: TaskContent?
        /// For 立行立改 and 限期整改: how far it has come.
        public var progress: LedgerProgress?
        /// 整改措施, as the ledger states them.
        public var measures: String?
        /// 发现日期: the day the finding is approved and disposed of.
        public var recordedOn: CalendarDay

        public init(
            line: Int, key: String, place: LedgerPlace, content: FindingContent, tags: [ClassificationTag], disposition: Disposition, dispositionNote: String? = nil,
            lead: LeadDetails? = nil, task: TaskContent? = nil, progress: LedgerProgress? = nil, measures: String? = nil, recordedOn: CalendarDay
        ) {
            (self.line, self.key, self.place, self.content, self.tags, self.disposition, self.dispositionNote) = (line, key, place, content, tags, disposition, dispositionNote)
            (self.lead, self.task, self.progress, self.measures, self.recordedOn) = (lead, task, progress, measures, recordedOn)
        }
    }

    public static let columns: [ImportColumn] = [
        .init(key: "problem", title: "问题描述", required: true),
        .init(key: "title", title: "问题标题"),
    ] + LedgerRows.placeColumns + [
        .init(key: "classification", title: "问题类别", required: true),
        .init(key: "disposition", title: "处置方式", required: true),
        .init(key: "disposition_note", title: "处置说明"),
        .init(key: "form", title: "四种形态"),
        .init(key: "leader", title: "责任领导"),
        .init(key: "department", title: "责任部门"),
        .init(key: "cadre", title: "责任人"),
        .init(key: "measures", title: "整改措施"),
        .init(key: "deadline", title: "整改时限", isDate: true),
        .init(key: "status", title: "整改状态"),
        .init(key: "closed_on", title: "销号日期", isDate: true),
        .init(key: "recorded_on", title: "发现日期", required: true, isDate: true),
        .init(key: "person_name", title: "被反映人"),
        .init(key: "authority", title: "干部管理权限"),
        .init(key: "subject", title: "问题性质"),
    ]

    /// What a paper needs and a ledger rarely records: 定性依据.
    public static let basisNotRecorded = "（原台账未载定性依据，据台账补录）"
    /// What a task needs and a ledger may not record: 整改措施.
    public static let measuresNotRecorded = "（原台账未载整改措施，据台账补录）"

    public var rows: [Row]

    /// Builds the plan, checking every cell; no day may lie after `today`. `schemes` are the
    /// classification vocabularies a 问题类别 cell may name (an entry's title or code, several
    /// separated by 、 or ；).
    /// A fixed-format file (every header a column) read through the import framework, all rows or
    /// the rejection naming every bad cell.
    public static func plan(_ table: CSVTable, today: CalendarDay) throws(DomainError) -> ProblemListImportPlan {
        ProblemListImportPlan(rows: try LedgerImport.preview(Self.self, table: table, today: today, strict: true).accepted().map(\.draft))
    }

    static func row(_ cells: inout ImportRow, today: CalendarDay, schemes: [ClassificationScheme] = ClassificationCatalog.shipped) -> Row? {
        let key = cells.singleLine("key", label: "编号", maxLength: 60, required: true)
        let place = cells.place()
        let text = cells.required("problem")
        let title = cells.optional("title") ?? text.map(Self.title(of:))
        let content = text.flatMap { text in
            cells.checked("problem") { () throws(DomainError) in
                try FindingContent.validate(title: title, manifestation: text, basis: basisNotRecorded, evidence: nil, responsibility: nil, isCommon: false)
            }
        }
        var tags = classification(&cells, schemes: schemes)
        if let form = cells.form("form") {
            tags.append(ClassificationTag(scheme: ClassificationCatalog.fourForms.code, version: ClassificationCatalog.fourForms.version, entry: ClassificationCatalog.fourForms.entries[form - 1].code))
        }
        let disposition = cells.code("disposition", Disposition.self, also: ["移交线索": .lead, "问题线索": .lead, "立即整改": .immediate], required: true)
        let note = cells.paragraph("disposition_note", label: "处置说明", maxLength: 2_000)
        let recordedOn = cells.day("recorded_on", required: true)
        if let recordedOn, recordedOn > today { cells.problem("recorded_on", "不能晚于今天（\(today)）") }
        let measures = cells.paragraph("measures", label: "整改措施", maxLength: 10_000)

        var lead: LeadDetails?
        var task: TaskContent?
        var progress: LedgerProgress?
        switch disposition {
        case .dropped:
            if note == nil { cells.problem("disposition_note", "不予认定须写明理由") }
        case .lead:
            lead = LeadRegisterImportPlan.details(&cells, source: .finding, content: text)
        case .immediate, .deadline:
            progress = Self.progress(&cells, after: recordedOn, today: today)
            if disposition == .deadline { task = Self.task(&cells, target: title, measures: measures, after: recordedOn) }
        case nil:
            break
        }
        guard let key, let place, let content, let disposition, let recordedOn, !tags.isEmpty else { return nil }
        return Row(
            line: cells.line, key: key, place: place, content: content, tags: tags, disposition: disposition, dispositionNote: note, lead: lead, task: task,
            progress: progress, measures: measures, recordedOn: recordedOn)
    }

    /// A paper's title from the problem's text: its first sentence, at most 60 characters.
    static func title(of text: String) -> String {
        let first = text.split(whereSeparator: { $0.isNewline || "。；;".contains($0) }).first.map(String.init) ?? text
        return first.count > 60 ? String(first.prefix(59)) + "…" : first
    }

    /// 问题类别: entries of the schemes by title or code, separated by ； (as the export writes
    /// them, since titles such as “形式主义、官僚主义” hold a 、) or, where a part names no entry
    /// whole, by 、 and ，.
    static func classification(_ cells: inout ImportRow, key: String = "classification", schemes: [ClassificationScheme]) -> [ClassificationTag] {
        guard let text = cells.required(key) else { return [] }
        func entry(_ word: String) -> ClassificationTag? {
            schemes.lazy.compactMap { scheme in
                scheme.entries.first { $0.title == word || $0.code == word }.map { ClassificationTag(scheme: scheme.code, version: scheme.version, entry: $0.code) }
            }.first
        }
        var tags: [ClassificationTag] = []
        for part in text.split(whereSeparator: { $0.isNewline || "；;".contains($0) }).map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            if let whole = entry(part) {
                tags.append(whole)
                continue
            }
            for word in part.split(whereSeparator: { "、，,".contains($0) }).map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
                guard let found = entry(word) else {
                    cells.problem(key, "“\(word)”不是可识别的问题类别（可填\(schemes.map(\.title).joined(separator: "、"))的条目名称）")
                    return []
                }
                tags.append(found)
            }
        }
        return tags
    }

    /// The 问题类别 cell of `tags` (四种形态 aside, which has its own column): entry titles, ；-separated.
    public static func classificationText(_ tags: [ClassificationTag], schemes: [ClassificationScheme] = ClassificationCatalog.shipped) -> String {
        tags.filter { $0.scheme != ClassificationCatalog.fourForms.code }.compactMap { tag in
            schemes.first { $0.code == tag.scheme }?.entries.first { $0.code == tag.entry }?.title ?? tag.entry
        }.joined(separator: "；")
    }

    /// 整改状态 and its 销号日期: a rectification completed or closed names its day.
    static func progress(_ cells: inout ImportRow, after recordedOn: CalendarDay?, today: CalendarDay) -> LedgerProgress? {
        let stage = cells.optional("status") == nil ? LedgerProgress.Stage.underway : cells.code("status", LedgerProgress.Stage.self, also: LedgerProgress.Stage.synonyms)
        let closedOn = cells.day("closed_on")
        switch stage {
        case nil: return nil
        case .underway?:
            if closedOn != nil { cells.problem("closed_on", "整改中的问题不应有销号日期") }
            return .underway
        case let stage?:
            guard let closedOn else {
                cells.problem("closed_on", "“\(stage.title)”的问题须填写日期")
                return nil
            }
            if let recordedOn, closedOn < recordedOn { cells.problem("closed_on", "不能早于发现日期（\(recordedOn)）") }
            if closedOn > today { cells.problem("closed_on", "不能晚于今天（\(today)）") }
            return stage == .completed ? .completed(closedOn) : .closed(closedOn)
        }
    }

    /// The 限期整改 task: all three owners and a deadline after the day the problem was found.
    static func task(_ cells: inout ImportRow, target: String?, measures: String?, after recordedOn: CalendarDay?) -> TaskContent? {
        let leader = cells.required("leader")
        let department = cells.required("department")
        let cadre = cells.required("cadre")
        let deadline = cells.day("deadline", required: true)
        if let deadline, let recordedOn, deadline <= recordedOn { cells.problem("deadline", "须晚于发现日期（\(recordedOn)）") }
        guard let target, let recordedOn, let leader, let department, let cadre, let deadline, deadline > recordedOn else { return nil }
        let content = TaskContent(
            target: target, measures: measures ?? measuresNotRecorded, deadline: deadline, kind: .deadline,
            owners: TaskOwners(leader: leader, department: department, cadre: cadre))
        return cells.checked("leader") { () throws(DomainError) in try content.validated(feedbackIssuedOn: recordedOn) }
    }
}

/// The problem list as a kind of the import framework: the page, the API, the mapping, the
/// preview and the keys are the framework's; the Store's `ProblemListWriter` writes the rows.
extension ProblemListImportPlan: LedgerImportPlan {
    public static let kind = LedgerKind.problemList
    /// Every row needs its 编号: the lead register names problems by it.
    public static var keyColumn: ImportColumn { .requiredLedgerKey }

    public static func draft(_ row: inout ImportRow, today: CalendarDay) -> Row? { Self.row(&row, today: today) }
}

/// How far a problem's rectification has come, as the ledger's 整改状态 says.
public enum LedgerProgress: Sendable, Equatable {
    /// 整改中.
    case underway
    /// 已完成, awaiting 销号, on the day the unit reported it done.
    case completed(CalendarDay)
    /// 已销号, on its day.
    case closed(CalendarDay)

    public enum Stage: String, CaseIterable, Sendable, CodedTitle {
        case underway = "in_progress"
        case completed
        case closed

        public var title: String {
            switch self {
            case .underway: "整改中"
            case .completed: "已完成"
            case .closed: "已销号"
            }
        }

        static let synonyms: [String: Stage] = [
            "正在整改": .underway, "未完成": .underway, "已整改": .completed, "待销号": .completed, "申请销号": .completed, "待销号审核": .completed,
            "销号": .closed, "已办结": .closed,
        ]
    }

    /// The day it was completed or closed.
    public var day: CalendarDay? {
        switch self {
        case .underway: nil
        case .completed(let day), .closed(let day): day
        }
    }
}
