import Foundation

/// 问题线索台账 import: each row is one lead the groups found — about whom, of what nature, which
/// body received it and when, how far it has been handled and, once answered, how (with 四种形态).
/// The plan checks every cell; the store writes a whole file in one transaction through the lead's
/// lifecycle (`Store.importLedger`, whose `LeadRegisterWriter` writes the rows).
public struct LeadRegisterImportPlan: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        /// 编号: the office's key for the lead; importing it again updates the record.
        public var key: String
        /// 问题编号: the problem list's key of the paper this lead was handed over from, whose triage
        /// registered it; the row then carries that lead on rather than registering another.
        public var problemKey: String?
        /// The paper itself, when the row gives its 问题类别: a register exported from Xuncha carries
        /// the papers handed over as leads, which the office's problem list leaves out (their
        /// substance is the lead's, 线索封存), so importing the register alone brings them back —
        /// disposed of as 移交问题线索 on 登记日期 under 问题编号.
        public var paper: ProblemListImportPlan.Row?
        public var place: LedgerPlace
        public var details: LeadDetails
        /// 登记日期 (the transfer's day when the ledger does not say).
        public var registeredOn: CalendarDay
        /// 接收单位; nil: the body the lead's nature suggests.
        public var receiver: ReceivingBody?
        /// 转派驻纪检监察组.
        public var viaStationedBody: Bool
        /// 接收党委: a lower committee by name, for a cadre it manages.
        public var receivingCommittee: String?
        /// 移交文号.
        public var transferSheet: String?
        public var transferredOn: CalendarDay?
        /// 办理状态: the state the lead is brought to.
        public var status: LeadStatus
        /// The receiving body's answer, with 四种形态.
        public var answer: LeadDisposition?
        public var answeredOn: CalendarDay?
        public var closedOn: CalendarDay?
        /// 备注: the reason for 不作为线索.
        public var remark: String?
    }

    public static let columns: [ImportColumn] = [
        .init(key: "problem_key", title: "问题编号"),
        .init(key: "classification", title: "问题类别"),
        .init(key: "content", title: "线索内容", required: true),
        .init(key: "person_name", title: "被反映人", required: true),
        .init(key: "person_post", title: "职务"),
    ] + LedgerRows.placeColumns + [
        .init(key: "source", title: "线索来源"),
        .init(key: "authority", title: "干部管理权限", required: true),
        .init(key: "subject", title: "问题性质", required: true),
        .init(key: "registered_on", title: "登记日期", isDate: true),
        .init(key: "receiver", title: "接收单位"),
        .init(key: "receiving_committee", title: "接收党委"),
        .init(key: "transfer_sheet", title: "移交文号"),
        .init(key: "transferred_on", title: "移交日期", isDate: true),
        .init(key: "status", title: "办理状态", required: true),
        .init(key: "method", title: "处置方式"),
        .init(key: "form", title: "四种形态"),
        .init(key: "people_count", title: "涉及人数"),
        .init(key: "result", title: "办理结果"),
        .init(key: "answered_on", title: "反馈日期", isDate: true),
        .init(key: "closed_on", title: "销号日期", isDate: true),
        .init(key: "remark", title: "备注"),
    ]

    public var rows: [Row]

    /// Builds the plan, checking every cell; no day may lie after `today`, and each day follows the one before.
    /// A fixed-format file (every header a column) read through the import framework, all rows or
    /// the rejection naming every bad cell.
    public static func plan(_ table: CSVTable, today: CalendarDay) throws(DomainError) -> LeadRegisterImportPlan {
        LeadRegisterImportPlan(rows: try LedgerImport.preview(Self.self, table: table, today: today, strict: true).accepted().map(\.draft))
    }

    static func row(_ cells: inout ImportRow, today: CalendarDay) -> Row? {
        let key = cells.singleLine("key", label: "编号", maxLength: 60, required: true)
        let problemKey = cells.singleLine("problem_key", label: "问题编号", maxLength: 60)
        let place = cells.place()
        // A lead handed over from a paper came from the problem list; any other names its source.
        var source = LeadSource.finding
        if problemKey == nil {
            let words: [String: LeadSource] = ["谈话": .interview, "信访": .petition, "来信来访": .petition, "查阅资料": .document, "专项检查": .check]
            source = cells.code("source", LeadSource.self, also: words, required: true) ?? .interview
            if source == .finding { cells.problem("source", "来自问题底稿的线索请填写“问题编号”，并先导入问题清单") }
        }
        let content = cells.required("content")
        let details = Self.details(&cells, source: source, content: content)
        var status = cells.code("status", LeadStatus.self, also: Self.statusWords, required: true)
        if status == .withdrawn {
            cells.problem("status", "“已撤回”只由底稿改变处置方式产生，不能导入")
            status = nil
        }
        var receiver = cells.code("receiver", ReceivingBody.self, also: ["纪委": .discipline, "纪检监察机关": .discipline, "派驻纪检监察组": .discipline, "组织部门": .organisation])
        let viaStationedBody = cells.optional("receiver") == "派驻纪检监察组"
        if viaStationedBody { receiver = .discipline }
        let committee = cells.singleLine("receiving_committee", label: "接收党委", maxLength: 100)
        let sheet = cells.singleLine("transfer_sheet", label: "移交文号", maxLength: 60)
        let remark = cells.paragraph("remark", label: "备注", maxLength: 2_000)
        let form = cells.form("form")
        let method = cells.code("method", DispositionMethod.self, also: ["函询": .talkOrLetter, "谈话": .talkOrLetter, "初核": .preliminaryVerification, "立案": .caseFiled, "了结": .closedWithoutAction])
        var people = 0
        if let text = cells.optional("people_count") {
            if let n = Int(text) { people = n } else { cells.problem("people_count", "“\(text)”不是人数") }
        }
        let result = cells.paragraph("result", label: "办理结果", maxLength: 10_000)

        // The days of the steps the state needs, each one no earlier than the one before.
        var days: [(key: String, day: CalendarDay?)] = []
        let transferred = status.map { LeadStatus.transferredOn.contains($0) } ?? false
        let answered = status == .answered || status == .closed
        let transferredOn = cells.day("transferred_on", required: transferred)
        let registeredOn = cells.day("registered_on", required: !transferred) ?? transferredOn
        days.append(("registered_on", registeredOn))
        if transferred { days.append(("transferred_on", transferredOn)) }
        let answeredOn = cells.day("answered_on", required: answered)
        if answered { days.append(("answered_on", answeredOn)) }
        let closedOn = cells.day("closed_on", required: status == .closed)
        if status == .closed { days.append(("closed_on", closedOn)) }
        var previous: (key: String, day: CalendarDay)?
        for (key, day) in days {
            guard let day else { continue }
            if day > today { cells.problem(key, "不能晚于今天（\(today)）") }
            if let previous, day < previous.day { cells.problem(key, "不能早于\(cells.title(previous.key))（\(previous.day)）") }
            previous = (key, day)
        }
        if status == .dismissed, remark == nil { cells.problem("remark", "不作为线索须写明理由") }

        var answer: LeadDisposition?
        if answered {
            if method == nil, cells.optional("method") == nil { cells.problem("method", "已反馈的线索须填写处置方式") }
            if let method {
                answer = cells.checked("form") { () throws(DomainError) in
                    try LeadDisposition(method: method, form: form, peopleCount: people, sanctions: nil, judicialTransfer: false, result: result ?? method.title).validated()
                }
            }
        }
        var paper: ProblemListImportPlan.Row?
        if cells.optional("classification") != nil {
            if problemKey == nil { cells.problem("classification", "只有来自问题底稿的线索（填写了“问题编号”）才填写问题类别") }
            let tags = ProblemListImportPlan.classification(&cells, schemes: ClassificationCatalog.shipped)
            if let problemKey, let place, let details, let registeredOn, !tags.isEmpty {
                let line = cells.line
                paper = cells.checked("content") { () throws(DomainError) in
                    let content = try FindingContent.validate(
                        title: ProblemListImportPlan.title(of: details.content), manifestation: details.content, basis: ProblemListImportPlan.basisNotRecorded,
                        evidence: nil, responsibility: nil, isCommon: false)
                    return ProblemListImportPlan.Row(
                        line: line, key: problemKey, place: place, content: content, tags: tags, disposition: .lead, lead: details, recordedOn: registeredOn)
                }
            }
        }
        guard let key, let place, let details, let status, let registeredOn, !answered || answer != nil else { return nil }
        var row = Row(
            line: cells.line, key: key, problemKey: problemKey, place: place, details: details, registeredOn: registeredOn, receiver: receiver, viaStationedBody: viaStationedBody,
            receivingCommittee: committee, transferSheet: sheet, transferredOn: transferredOn, status: status, answer: answer, answeredOn: answeredOn,
            closedOn: closedOn, remark: remark)
        row.paper = paper
        return row
    }

    /// The person and the matter of a lead: 被反映人, 职务, 干部管理权限 and 问题性质 (shared with the
    /// problem list's 移交问题线索 rows).
    static func details(_ cells: inout ImportRow, source: LeadSource, content: String?) -> LeadDetails? {
        let person = cells.singleLine("person_name", label: "被反映人", maxLength: 60, required: true)
        let post = cells.singleLine("person_post", label: "被反映人职务", maxLength: 100)
        let authority = cells.code("authority", CadreAuthority.self, also: authorityWords, required: true)
        let subject = cells.code("subject", LeadSubject.self, also: subjectWords, required: true)
        guard let person, let authority, let subject, let content else { return nil }
        return cells.checked("content") { () throws(DomainError) in
            try LeadDetails(source: source, personName: person, personPost: post, authority: authority, subject: subject, content: content, evidence: nil).validated()
        }
    }

    /// 干部管理权限 as ledgers write it.
    static let authorityWords: [String: CadreAuthority] = [
        "本级管理": .committee, "本级": .committee, "本级管理干部": .committee, "非本级管理": .lower, "非本级管理干部": .lower, "下级管理": .lower, "下级": .lower,
        "非干部": .none, "其他人员": .none,
    ]

    /// 问题性质 as ledgers write it.
    static let subjectWords: [String: LeadSubject] = [
        "违纪": .discipline, "违纪违法": .discipline, "违法违纪": .discipline, "选人用人": .personnel, "民主集中制": .personnel, "其他": .other,
    ]

    /// 办理状态 as ledgers write it.
    static let statusWords: [String: LeadStatus] = [
        "已移交": .transferred, "待反馈": .transferred, "已签收": .received, "办理中": .received, "已办结": .answered, "已反馈办理结果": .answered,
        "销号": .closed, "不予移交": .dismissed,
    ]
}

/// The lead register as a kind of the import framework; the Store's `LeadRegisterWriter` writes
/// the rows.
extension LeadRegisterImportPlan: LedgerImportPlan {
    public static let kind = LedgerKind.leadRegister
    public static var keyColumn: ImportColumn { .requiredLedgerKey }

    public static func draft(_ row: inout ImportRow, today: CalendarDay) -> Row? { Self.row(&row, today: today) }
}

/// 办理状态 is read by its title, like the other vocabularies of a ledger.
extension LeadStatus: CodedTitle {}
