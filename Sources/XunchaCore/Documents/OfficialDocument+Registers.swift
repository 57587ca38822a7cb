import Foundation

/// The leads transferred together under one 移交单编号: what the 问题线索移交函 and its 移交清单
/// are made of. All go to one receiving body of one committee.
public struct LeadTransferSheet: Sendable, Equatable {
    /// 移交单编号, the letter's 发文字号.
    public var number: String
    /// In the order of their 线索编号.
    public var leads: [Lead]
    /// The committee whose 巡察办 transfers them.
    public var committee: String
    public var receiver: ReceivingBody
    /// The committee whose body receives them (this one, or a lower one by 干部管理权限).
    public var receivingCommittee: String
    /// The groups that found them, by name.
    public var groupNames: [String]
    public var transferredOn: CalendarDay
    public var feedbackDue: CalendarDay?

    public init(
        number: String, leads: [Lead], committee: String, receiver: ReceivingBody, receivingCommittee: String, groupNames: [String],
        transferredOn: CalendarDay, feedbackDue: CalendarDay?
    ) {
        self.number = number
        self.leads = leads
        self.committee = committee
        self.receiver = receiver
        self.receivingCommittee = receivingCommittee
        self.groupNames = groupNames
        self.transferredOn = transferredOn
        self.feedbackDue = feedbackDue
    }

    /// The receiving body by name: "江城市纪委监委", "中共江城市委组织部".
    public var receiverName: String {
        let party = DocumentFrame.partyName(receivingCommittee)
        switch receiver {
        case .discipline:
            let place = String(party.dropFirst(2))
            return (place.hasSuffix("委") ? String(place.dropLast()) : place) + "纪委监委"
        case .organisation:
            return party + "组织部"
        }
    }

    /// 份号: six digits from the sequence of the sheet's first 线索编号 ("…第007号" → "000007").
    public var copyNumber: String? {
        guard let number = leads.first?.number, let range = number.range(of: #"\d+(?=号$)"#, options: .regularExpression),
            let sequence = Int(number[range])
        else { return nil }
        return String(format: "%06d", sequence % 1_000_000)
    }
}

/// The registers the system issues as .docx — the 问题线索移交函 with its 移交清单, the 整改台账 and
/// the year's 巡察工作综述 — each a document with tables, its fixed wording from the template.
extension OfficialDocument {
    /// 密级 of everything about a lead: 机密.
    public static let leadSecrecy = "机密"

    /// 问题线索移交函: the 巡察办's letter to the receiving body, numbered by the 移交单编号, 机密 with
    /// its 份号, naming the leads and when feedback is due; the 移交清单 is its annex.
    public static func leadTransfer(_ sheet: LeadTransferSheet, template: DocumentTemplate = .customary(.leadTransfer)) -> OfficialDocument {
        let committee = DocumentFrame.partyName(sheet.committee)
        let people = sheet.leads.map(\.details.personName)
        let units = orderedUnique(sheet.leads.map(\.unitName))
        var body: [DocumentBlock] = [
            .paragraph(
                template.text(
                    "opening",
                    [
                        "党委": committee, "巡察组": sheet.groupNames.joined(separator: "、"), "被巡察单位": units.joined(separator: "、"),
                        "被反映人": people.prefix(3).joined(separator: "、"), "线索数": String(sheet.leads.count),
                    ]))
        ]
        if let due = sheet.feedbackDue {
            body.append(.paragraph(template.text("feedback", ["反馈期限": due.chineseText, "巡察办": DocumentFrame.standard(committee: sheet.committee).signature])))
        }
        body.append(.paragraph(template.text("annex", ["移交单编号": bracketedNumber(sheet.number), "线索数": String(sheet.leads.count)])))
        return OfficialDocument(
            copyNumber: sheet.copyNumber, secrecy: leadSecrecy, frame: template.frame(over: .standard(committee: sheet.committee)),
            number: bracketedNumber(sheet.number), title: template.text("title"), addressee: sheet.receiverName, body: body, date: sheet.transferredOn)
    }

    /// 问题线索移交清单: the leads of one sheet as a table (序号, 线索编号, 反映对象及职务, 问题摘要,
    /// 干部管理权限, 接收单位, 备注), landscape, 机密 with the letter's 份号.
    public static func leadList(_ sheet: LeadTransferSheet, template: DocumentTemplate = .customary(.leadList)) -> OfficialDocument {
        let header = leadListColumns.indices.map { template.text("column\($0 + 1)") }
        let rows = sheet.leads.enumerated().map { index, lead in
            [
                String(index + 1), lead.number, [lead.details.personName, lead.details.personPost].compactMap { $0 }.joined(separator: "\n"),
                summary(lead.details.content), lead.details.authority.title, sheet.receiverName, "\(lead.unitName)；\(lead.details.source.title)",
            ]
        }
        let body: [DocumentBlock] = [
            .paragraph(
                template.text(
                    "sheet", ["移交单编号": bracketedNumber(sheet.number), "移交日期": sheet.transferredOn.chineseText, "线索数": String(sheet.leads.count)])),
            .table(DocumentTable(header: [header], rows: rows, widths: leadListColumns.map(\.share))),
        ]
        return OfficialDocument(
            copyNumber: sheet.copyNumber, secrecy: leadSecrecy, frame: template.frame(over: .standard(committee: sheet.committee)),
            number: bracketedNumber(sheet.number), title: template.text("title"), addressee: nil, body: body, date: sheet.transferredOn,
            orientation: .landscape, layout: .register)
    }

    /// The 移交清单's columns and their shares of the width.
    static let leadListColumns: [(heading: String, share: Double)] = [
        ("序号", 4), ("线索编号", 16), ("反映对象及职务", 13), ("问题摘要", 34), ("干部管理权限", 10), ("接收单位", 11), ("备注", 12),
    ]

    /// A lead's content as the list summarises it: its first line, at most 100 characters.
    static func summary(_ content: String) -> String {
        let first = content.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return first.count > 100 ? String(first.prefix(99)) + "…" : first
    }

    static func orderedUnique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// 整改台账 as printed: "整改台账（截至…）", the list, 制表单位 and 制表日期, and the table
    /// with its header on every page, landscape.
    public static func ledger(
        list: String, table: DocumentTable, asOf: CalendarDay?, maker: String, today: CalendarDay, template: DocumentTemplate = .customary(.ledger)
    ) -> OfficialDocument {
        let body: [DocumentBlock] = [
            .paragraph(template.text("made", ["清单": list, "制表单位": maker, "制表日期": today.chineseText])),
            .table(table),
        ]
        return OfficialDocument(
            frame: template.frame(over: .standard(committee: maker)), number: nil, title: template.text("title", ["截至日期": (asOf ?? today).chineseText]),
            addressee: nil, body: body, date: today, orientation: .landscape, layout: .register)
    }

    /// 巡察工作综述: the year's work in figures — every one computed by the statistics — as the
    /// 巡察办 reports it to the leading group: the year-end summary's sentences, a table by unit
    /// and a table by problem category.
    public static func yearSummary(
        year: Int, committee: String, figures: StatisticsFigures, byUnit: [StatisticsBreakdownRow], today: CalendarDay,
        template: DocumentTemplate = .customary(.yearSummary)
    ) -> OfficialDocument {
        let party = DocumentFrame.partyName(committee)
        let values = ["年度": String(year), "党委": party]
        var body: [DocumentBlock] = [.paragraph(template.text("opening", values))]
        // The headings are numbered 一、二、… as they occur, a table with no rows being left out.
        func heading(_ slot: String) -> DocumentBlock {
            .heading(level: 1, text: "\(DocumentBlock.chineseNumeral(body.filter(\.isFirstLevel).count + 1))、\(template.text(slot))")
        }
        body.append(heading("overview"))
        let summary = Statistics.summary(figures)
        body.append(.paragraph(summary == Statistics.nothingToSay ? summary : "全年" + summary))
        if !byUnit.isEmpty {
            body.append(heading("byUnit"))
            body.append(.table(unitTable(byUnit, template: template)))
        }
        if let families = figures.findings?.byClassification, !families.isEmpty {
            body.append(heading("byCategory"))
            body.append(.table(categoryTable(families, template: template)))
        }
        return OfficialDocument(
            frame: template.frame(over: .standard(committee: committee)), number: nil, title: template.text("title", values),
            addressee: template.text("addressee", values), body: body, date: today)
    }

    static let unitColumns = ["序号", "单位", "发现问题", "立行立改", "限期整改", "移交线索", "整改任务", "已销号", "整改率"]
    static let categoryColumns = ["问题类别", "问题数", "立行立改", "限期整改", "移交线索"]

    /// 分单位情况: each unit's figures and the 合计 row, its rate over all the tasks.
    static func unitTable(_ rows: [StatisticsBreakdownRow], template: DocumentTemplate) -> DocumentTable {
        let counts: [(StatisticsBreakdownRow) -> Int] = [\.findings, \.immediate, \.deadline, \.leadsTransferred, \.tasks, \.closed]
        let rate = { (closed: Int, tasks: Int) in Statistics.share(closed, of: tasks).map(Statistics.percent) ?? "—" }
        let body = rows.enumerated().map { index, row in
            [String(index + 1), row.name] + counts.map { String($0(row)) } + [rate(row.closed, row.tasks)]
        }
        let sums = counts.map { count in rows.reduce(0) { $0 + count($1) } }
        return DocumentTable(
            header: [unitColumns.indices.map { template.text("unitColumn\($0 + 1)") }], rows: body, widths: [5, 27, 9, 9, 9, 9, 9, 9, 10],
            totals: ["", template.text("total")] + sums.map(String.init) + [rate(sums[5], sums[4])])
    }

    /// 问题类别情况: each family of the classification, then its items, by disposition.
    static func categoryTable(_ families: [ClassificationFigures], template: DocumentTemplate) -> DocumentTable {
        let columns: [FindingDisposition] = [.immediate, .deadline, .lead]
        func cells(_ title: String, _ count: Int, _ split: [LabelledCount]) -> [String] {
            [title, String(count)] + columns.map { column in String(split.first { $0.code == column.rawValue }?.count ?? 0) }
        }
        var rows: [[String]] = []
        for family in families {
            rows.append(cells(family.family.title, family.family.count, family.byDisposition))
            for item in family.itemsByDisposition { rows.append(cells("　其中：" + item.row.title, item.row.count, item.columns)) }
        }
        return DocumentTable(header: [categoryColumns.indices.map { template.text("categoryColumn\($0 + 1)") }], rows: rows, widths: [40, 15, 15, 15, 15])
    }
}

extension DocumentKind {
    /// Each heading of a table as a slot of its own ("column1", …), so an office may reword one.
    static func columnSlots(_ prefix: String, _ headings: [String]) -> [DocumentSlot] {
        headings.enumerated().map { DocumentSlot("\(prefix)\($0.offset + 1)", label: "表头：\($0.element)", text: $0.element) }
    }

    static let leadTransferSlots = [
        DocumentSlot("title", label: "标题", text: "关于移交问题线索的函"),
        DocumentSlot(
            "opening", label: "正文",
            text: "根据巡察工作有关规定，经{党委}巡察工作领导小组研究同意，现将{巡察组}在巡察{被巡察单位}期间发现的反映{被反映人}等{线索数}条问题线索移交你单位，请按照干部管理权限依规依纪依法处置。",
            placeholders: ["党委", "巡察组", "被巡察单位", "被反映人", "线索数"]),
        DocumentSlot("feedback", label: "反馈要求", text: "请于{反馈期限}前将办理情况书面反馈{巡察办}。", placeholders: ["反馈期限", "巡察办"]),
        DocumentSlot("annex", label: "附件说明", text: "附件：问题线索移交清单（{移交单编号}，共{线索数}条）", placeholders: ["移交单编号", "线索数"]),
    ]

    static let leadListSlots =
        [
            DocumentSlot("title", label: "标题", text: "问题线索移交清单"),
            DocumentSlot(
                "sheet", label: "移交单说明", text: "移交单编号：{移交单编号}　　移交日期：{移交日期}　　共{线索数}条",
                placeholders: ["移交单编号", "移交日期", "线索数"]),
        ] + columnSlots("column", OfficialDocument.leadListColumns.map(\.heading))

    static let ledgerSlots = [
        DocumentSlot("title", label: "标题", text: "整改台账（截至{截至日期}）", placeholders: ["截至日期"]),
        DocumentSlot(
            "made", label: "制表说明", text: "{清单}　　制表单位：{制表单位}　　制表日期：{制表日期}", placeholders: ["清单", "制表单位", "制表日期"]),
    ]

    static let yearSummarySlots =
        [
            DocumentSlot("title", label: "标题", text: "关于{年度}年度巡察工作情况的综述", placeholders: ["年度", "党委"]),
            DocumentSlot("addressee", label: "主送", text: "{党委}巡察工作领导小组", placeholders: ["年度", "党委"]),
            DocumentSlot(
                "opening", label: "开头语", text: "{年度}年，在{党委}和巡察工作领导小组的领导下，各巡察组扎实开展巡察工作。现将全年巡察工作情况综述如下。",
                placeholders: ["年度", "党委"]),
            DocumentSlot("overview", label: "一级标题：总体情况", text: "巡察工作总体情况"),
            DocumentSlot("byUnit", label: "一级标题：分单位情况", text: "分单位情况"),
            DocumentSlot("byCategory", label: "一级标题：问题类别情况", text: "发现问题分类情况"),
            DocumentSlot("total", label: "合计行", text: "合计"),
        ] + columnSlots("unitColumn", OfficialDocument.unitColumns) + columnSlots("categoryColumn", OfficialDocument.categoryColumns)
}
