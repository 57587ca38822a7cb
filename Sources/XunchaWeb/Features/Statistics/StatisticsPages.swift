import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// `/statistics`: the dashboard (统计看板) — headline figures, server-drawn charts and the full
/// tables, each number linked to the records behind it (穿透) when the reader may open them, the
/// year-end summary to copy, and the tables as Excel or CSV. `/statistics/records` lists a
/// figure's records.
struct StatisticsPages {
    let store: Store
    let pages: PageRenderer

    /// One number of a table or a headline tile.
    struct Row {
        let label: String
        let value: String
        let href: String?
    }

    struct Table {
        let title: String
        let rows: [Row]
    }

    struct Chart {
        let title: String
        let svg: String
    }

    /// 分单位 / 分党委: one row per unit or committee, its name linking to the dashboard narrowed to it.
    struct Breakdown {
        let title: String
        let nameHeader: String
        let isCommittee: Bool
        let lines: [BreakdownLine]
        let excelHref: String
        let csvHref: String
    }

    struct BreakdownLine {
        let name: String
        let href: String
        let cells: [String]
    }

    /// An active filter, named, with the address of the same page without it (筛选条件).
    struct Chip {
        let label: String
        let removeHref: String
    }

    struct Page {
        let chrome: Chrome
        /// Every filter in force, each removable.
        let chips: [Chip]
        let from: String
        let to: String
        /// 截至: the day the figures stand at; empty for today.
        let asOf: String
        let rollUp: Bool
        let mayRollUp: Bool
        let committees: [Option]
        let rounds: [Option]
        let groups: [Option]
        let standingGroups: [Option]
        let hasStandingGroups: Bool
        let units: [Option]
        let hasCommittees: Bool
        let hasRounds: Bool
        let hasGroups: Bool
        let hasUnits: Bool
        /// The year-end summary as printed: its opening and, run on, its details.
        let summary: String
        let tiles: [Row]
        let charts: [Chart]
        let tables: [Table]
        let breakdowns: [Breakdown]
        let excelHref: String
        let csvHref: String
        /// 下载工作综述（.docx）, for the office and the leading group, who write it.
        let summaryDocumentHref: String?
        let isEmpty: Bool
        /// 交叉统计, unless the reader may count neither papers nor tasks.
        let crosstab: CrosstabPanel?
    }

    /// 交叉统计 on the dashboard: what to count and the two dimensions (行 × 列), chosen in a form
    /// that carries the dashboard's filter along, and the table with its totals (or why there is none).
    struct CrosstabPanel {
        let records: [Option]
        let rowChoices: [Option]
        let columnChoices: [Option]
        /// The dashboard's filter, kept when the dimensions change.
        let hidden: [Hidden]
        let rowTitle: String
        let columnHeads: [String]
        let lines: [CrosstabLine]
        let totals: [Int]
        let total: Int
        /// Why no table is shown (a refused choice, an as-of day).
        let note: String?
    }

    struct Hidden {
        let name: String
        let value: String
    }

    struct CrosstabLine {
        let title: String
        let cells: [Int]
        let total: Int
    }

    struct RecordRow {
        let number: String
        let title: String
        let href: String
        let unitName: String
        let day: String
        let state: String
    }

    struct RecordsPage {
        let chrome: Chrome
        let heading: String
        let total: Int
        let scopeNote: String
        let rows: [RecordRow]
        let hasRows: Bool
        let nextHref: String?
        let backHref: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/statistics") { request, context in
            let actor = try context.requireActor()
            let parameters = request.queryDictionary
            let filter = try StatisticsController.filter(parameters)
            let figures = try await store.statistics(filter, for: actor)
            let choices = try await store.statisticsChoices(filter, for: actor)
            let mayRollUp = store.policy.reach(actor, .viewStatistics) == .subtree
            let links = Links(store: store, actor: actor, parameters: Self.filterParameters(parameters))
            let model = Page(
                chrome: Chrome.make(title: "统计看板", active: .statistics, context: context, policy: store.policy),
                chips: Self.chips(filter, choices: choices, ownCommittee: actor.jurisdictionID, parameters: links.parameters),
                from: filter.from?.description ?? "", to: filter.to?.description ?? "", asOf: filter.asOf?.description ?? "", rollUp: filter.rollUp, mayRollUp: mayRollUp,
                committees: Self.options(choices.committees, selected: filter.jurisdictionID ?? actor.jurisdictionID),
                rounds: Self.options(choices.rounds, selected: filter.roundID), groups: Self.options(choices.groups, selected: filter.groupID),
                standingGroups: Self.options(choices.standingGroups, selected: filter.standingGroupID), hasStandingGroups: !choices.standingGroups.isEmpty,
                units: Self.options(choices.units, selected: filter.unitID),
                hasCommittees: choices.committees.count > 1, hasRounds: !choices.rounds.isEmpty, hasGroups: !choices.groups.isEmpty, hasUnits: !choices.units.isEmpty,
                summary: Statistics.printedSummary(figures), tiles: Self.tiles(figures, links: links), charts: Self.charts(figures, links: links).map { Chart(title: $0.title, svg: $0.svg) },
                tables: Self.tables(figures, links: links),
                breakdowns: try await breakdowns(filter, actor: actor, parameters: links.parameters),
                excelHref: ListLink.make("/statistics/export", links.parameters, ["format": "xlsx"]),
                csvHref: ListLink.make("/statistics/export", links.parameters, ["format": "csv"]),
                summaryDocumentHref: store.policy.reach(actor, .viewStatistics) >= .ownJurisdiction
                    ? ListLink.make("/statistics/summary.docx", links.parameters, [:]) : nil,
                isEmpty: (figures.unitsInspected ?? 0) == 0 && (figures.rectification?.tasks ?? 0) == 0 && (figures.ruleImprovements?.total ?? 0) == 0,
                crosstab: try await crosstabPanel(parameters, filter: filter, mayCountFindings: figures.findings != nil, actor: actor))
            return pages.render("statistics", model)
        }
        router.get("/statistics/records") { request, context in
            let parameters = request.queryDictionary
            let measure = try StatisticsMeasure(code: parameters["measure"] ?? "")
            let filter = try StatisticsController.filter(parameters)
            let page = try parameters.pageRequest()
            let found = try await store.statisticsRecords(measure, filter: filter, page: page, origin: try context.origin())
            var classification: String?
            if case .classified(let family, let item) = measure { classification = try await store.classificationTitle(family: family, item: item) }
            let back = Self.filterParameters(parameters)
            let model = RecordsPage(
                chrome: Chrome.make(title: measure.title(classification: classification), active: .statistics, context: context, policy: store.policy),
                heading: measure.title(classification: classification), total: found.total,
                scopeNote: filter.rollUp ? "汇总下级党委时，只列出您有权查看明细的记录。" : "只列出您有权查看明细的记录。",
                rows: found.page.items.map {
                    RecordRow(
                        number: $0.number ?? "", title: $0.title, href: $0.kind.path($0.id), unitName: $0.unitName, day: $0.day?.description ?? "", state: $0.state)
                },
                hasRows: !found.page.items.isEmpty,
                nextHref: found.page.nextCursor.map { ListLink.make("/statistics/records", parameters, ["cursor": $0]) },
                backHref: ListLink.make("/statistics", back))
            return pages.render("statistics-records", model)
        }
        router.get("/statistics/export") { request, context -> Response in
            let actor = try context.requireActor()
            let parameters = request.queryDictionary
            let format = try ExportFormat(parameters["format"])
            let filter = try StatisticsController.filter(parameters)
            return try await StatisticsController.export(store, table: parameters["table"], filter: filter, format: format, actor: actor)
        }
    }

    /// The cross table the page's `crosstab_of`, `crosstab_rows` and `crosstab_columns` choose
    /// (problems by category × disposition at first; tasks by status × unit for a reader who
    /// counts no papers). A choice the records cannot be counted by is shown as a note.
    func crosstabPanel(_ parameters: [String: String], filter: StatisticsFilter, mayCountFindings: Bool, actor: Actor) async throws -> CrosstabPanel {
        let records = CrosstabRecords(rawValue: parameters["crosstab_of"] ?? "") ?? (mayCountFindings ? .findings : .tasks)
        let rows = parameters["crosstab_rows"] ?? (records == .findings ? CrosstabDimension.category : .unit).rawValue
        let columns = parameters["crosstab_columns"] ?? (records == .findings ? CrosstabDimension.disposition : .status).rawValue
        var table: Crosstab?
        var note: String?
        do {
            table = try await StatisticsController.crosstab(
                store, ["of": records.rawValue, "rows": rows, "columns": columns, "family": parameters["crosstab_family"] ?? ""], filter: filter, actor: actor)
        } catch let error as DomainError where StatisticsController.crosstabFields.contains(error.field ?? "") || error.kind == .forbidden {
            note = error.kind == .forbidden ? "您无权统计\(records.title)。" : error.message
        }
        let offered = mayCountFindings ? CrosstabRecords.allCases : [.tasks]
        func choices(_ selected: String) -> [Option] {
            records.dimensions.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == selected) }
        }
        return CrosstabPanel(
            records: offered.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == records) },
            rowChoices: choices(rows), columnChoices: choices(columns),
            hidden: Self.filterParameters(parameters).sorted { $0.key < $1.key }.map { Hidden(name: $0.key, value: $0.value) },
            rowTitle: table.map { "\($0.request.rows.title) \\ \($0.request.columns.title)" } ?? "",
            columnHeads: table?.columns.map { $0.title } ?? [],
            lines: table.map { t in zip(t.rows, t.cells).map { CrosstabLine(title: $0.title, cells: $1, total: $0.count) } } ?? [],
            totals: table?.columns.map { $0.count } ?? [], total: table?.total ?? 0, note: note)
    }

    /// 分党委 when committees are rolled up, otherwise 分单位 (unless one unit is chosen): a city
    /// compares its counties, a county its units.
    func breakdowns(_ filter: StatisticsFilter, actor: Actor, parameters: [String: String]) async throws -> [Breakdown] {
        var kinds: [StatisticsBreakdownKind] = []
        if filter.rollUp {
            kinds.append(.committee)
        } else if filter.unitID == nil {
            kinds.append(.unit)
            if filter.groupID == nil && filter.standingGroupID == nil { kinds.append(.group) }
        }
        var result: [Breakdown] = []
        for kind in kinds {
            let rows = try await store.statisticsBreakdown(kind, filter: filter, zeros: true, for: actor)
            guard !rows.isEmpty else { continue }
            let lines = rows.map { row in
                let narrowed: [String: String?] =
                    switch kind {
                    case .unit: ["unit_id": row.id.text]
                    case .committee: ["jurisdiction_id": row.id.text, "roll_up": nil, "round_id": nil, "group_id": nil]
                    case .group: ["standing_group_id": row.id.text, "group_id": nil]
                    }
                return BreakdownLine(name: row.name, href: ListLink.make("/statistics", parameters, narrowed), cells: Array(StatisticsController.breakdownCells(row, kind: kind).dropFirst()))
            }
            result.append(
                Breakdown(
                    title: kind.title, nameHeader: kind.nameHeader, isCommittee: kind != .unit, lines: lines,
                    excelHref: ListLink.make("/statistics/export", parameters, ["format": "xlsx", "table": kind.rawValue]),
                    csvHref: ListLink.make("/statistics/export", parameters, ["format": "csv", "table": kind.rawValue])))
        }
        return result
    }

    /// The filter's own parameters, which every link of the dashboard carries along.
    static func filterParameters(_ parameters: [String: String]) -> [String: String] {
        parameters.filter { ["from", "to", "as_of", "round_id", "jurisdiction_id", "roll_up", "group_id", "standing_group_id", "unit_id"].contains($0.key) }
    }

    /// The filters in force as the page names them: periods and days, the committee when it is not
    /// the reader's own, the roll-up, the group, round and unit by name.
    static func chips(_ filter: StatisticsFilter, choices: StatisticsChoices, ownCommittee: UUID?, parameters: [String: String]) -> [Chip] {
        func name(_ id: UUID?, in list: [StatisticsChoices.Choice]) -> String? { id.map { id in list.first { $0.id == id }?.title ?? "（已选）" } }
        var chips: [(key: String, label: String?)] = [
            ("from", filter.from.map { "起始日期 \($0)" }), ("to", filter.to.map { "截止日期 \($0)" }), ("as_of", filter.asOf.map { "数据截至 \($0)" }),
            ("roll_up", filter.rollUp ? "汇总下级党委" : nil),
            ("standing_group_id", name(filter.standingGroupID, in: choices.standingGroups).map { "巡察组 \($0)" }),
            ("round_id", name(filter.roundID, in: choices.rounds).map { "轮次 \($0)" }),
            ("group_id", name(filter.groupID, in: choices.groups).map { "本轮巡察组 \($0)" }),
            ("unit_id", name(filter.unitID, in: choices.units).map { "被巡察单位 \($0)" }),
        ]
        if let committee = filter.jurisdictionID, committee != ownCommittee {
            chips.insert(("jurisdiction_id", name(committee, in: choices.committees).map { "党委 \($0)" }), at: 0)
        }
        return chips.compactMap { chip in
            chip.label.map { label in
                // A round's group and unit go with it.
                let removed: [String: String?] = chip.key == "round_id" ? ["round_id": nil, "group_id": nil, "unit_id": nil] : [chip.key: nil]
                return Chip(label: label, removeHref: ListLink.make("/statistics", parameters, removed))
            }
        }
    }

    static func options(_ choices: [StatisticsChoices.Choice], selected: UUID?) -> [Option] {
        choices.map { Option(value: $0.id.text, label: $0.title, selected: $0.id == selected) }
    }

    /// Drill-down links for the reader: a figure links only to records the reader may open.
    struct Links {
        let parameters: [String: String]
        let openable: Set<StatisticsRecordKind>

        init(parameters: [String: String], openable: Set<StatisticsRecordKind>) {
            self.parameters = parameters
            self.openable = openable
        }

        init(store: Store, actor: Actor, parameters: [String: String]) {
            self.init(parameters: parameters, openable: Set(StatisticsRecordKind.allCases.filter { store.mayOpenStatisticsRecords($0, for: actor) }))
        }

        func href(_ measure: StatisticsMeasure, count: Int) -> String? {
            guard count > 0, openable.contains(measure.recordKind) else { return nil }
            return ListLink.make("/statistics/records", parameters, ["measure": measure.code])
        }
    }

    static func tiles(_ f: StatisticsFigures, links: Links) -> [Row] {
        var tiles: [Row] = []
        if let units = f.unitsInspected { tiles.append(Row(label: "已巡察单位", value: "\(units)", href: links.href(.unitsInspected, count: units))) }
        if let findings = f.findings {
            tiles.append(Row(label: "发现问题", value: "\(findings.total)", href: links.href(.findings(.total), count: findings.total)))
            tiles.append(Row(label: "立行立改", value: "\(findings.immediate)", href: links.href(.findings(.immediate), count: findings.immediate)))
            tiles.append(Row(label: "列入问题清单", value: "\(findings.deadline)", href: links.href(.findings(.deadline), count: findings.deadline)))
        }
        if let leads = f.leads { tiles.append(Row(label: "移交问题线索", value: "\(leads.transferred)", href: links.href(.leads(.transferred), count: leads.transferred))) }
        if let tasks = f.rectification {
            tiles.append(Row(label: "整改率", value: tasks.rate.map(Statistics.percent) ?? "—", href: links.href(.tasks(.closed), count: tasks.closed)))
            tiles.append(Row(label: "逾期任务", value: "\(tasks.overdue)", href: links.href(.tasks(.overdue), count: tasks.overdue)))
        }
        if let rules = f.ruleImprovements { tiles.append(Row(label: "完善制度", value: "\(rules.total)", href: links.href(.rules(.all), count: rules.total))) }
        return tiles
    }

    static func charts(_ f: StatisticsFigures, links: Links) -> [BarChart] {
        var charts: [BarChart] = []
        if let findings = f.findings {
            charts.append(
                BarChart(
                    title: "问题处置方式",
                    bars: [
                        .init(label: "立行立改", value: findings.immediate, href: links.href(.findings(.immediate), count: findings.immediate)),
                        .init(label: "限期整改", value: findings.deadline, href: links.href(.findings(.deadline), count: findings.deadline)),
                        .init(label: "移交问题线索", value: findings.lead, href: links.href(.findings(.lead), count: findings.lead), tone: "bar bar-warn"),
                        .init(label: "待确定处置方式", value: findings.untriaged, href: links.href(.findings(.untriaged), count: findings.untriaged), tone: "bar bar-muted"),
                    ]))
            if !findings.byClassification.isEmpty {
                charts.append(
                    BarChart(
                        title: "问题分类",
                        bars: findings.byClassification.map {
                            .init(label: $0.family.title, value: $0.family.count, href: links.href(.classified(family: $0.family.code, item: nil), count: $0.family.count))
                        }))
            }
        }
        if let leads = f.leads {
            charts.append(
                BarChart(
                    title: "问题线索",
                    bars: leads.byReceiver.map { body in
                        .init(label: "移交\(body.title)", value: body.count, href: ReceivingBody(rawValue: body.code).flatMap { links.href(.leads(.receiver($0)), count: body.count) })
                    } + [
                        .init(label: "逾期未反馈", value: leads.feedbackOverdue, href: links.href(.leads(.overdue), count: leads.feedbackOverdue), tone: "bar bar-danger")
                    ] + leads.byForm.enumerated().map { index, count in
                        .init(label: LeadDisposition.formTitle(index + 1), value: count, href: links.href(.leads(.form(index + 1)), count: count), tone: "bar bar-muted")
                    }))
        }
        if let tasks = f.rectification {
            charts.append(
                BarChart(
                    title: "整改任务进度",
                    bars: [
                        .init(label: "已销号", value: tasks.closed, href: links.href(.tasks(.closed), count: tasks.closed), tone: "bar bar-ok"),
                        .init(label: "正在整改", value: tasks.open, href: links.href(.tasks(.open), count: tasks.open)),
                        .init(label: "其中逾期", value: tasks.overdue, href: links.href(.tasks(.overdue), count: tasks.overdue), tone: "bar bar-danger"),
                    ]))
        }
        return charts
    }

    /// Every figure as labelled rows; a count the reader may open links to its records.
    static func tables(_ f: StatisticsFigures, links: Links) -> [Table] {
        func percent(_ share: Double?) -> String { share.map(Statistics.percent) ?? "—" }
        func count(_ label: String, _ value: Int, _ measure: StatisticsMeasure? = nil) -> Row {
            Row(label: label, value: "\(value)", href: measure.flatMap { links.href($0, count: value) })
        }
        func plain(_ label: String, _ value: String) -> Row { Row(label: label, value: value, href: nil) }
        var tables: [Table] = []
        func counts(_ labelled: [LabelledCount], _ prefix: String = "") -> [Row] { labelled.map { count(prefix + $0.title, $0.count) } }
        /// A cross table's cells as rows "行：列"; `zeros` keeps the empty cells.
        func cells(_ cross: [CrossCount], zeros: Bool) -> [Row] {
            cross.flatMap { line in line.columns.filter { zeros || $0.count > 0 }.map { count("\(line.row.title)：\($0.title)", $0.count) } }
        }
        if let units = f.unitsInspected {
            var rows = [count("轮次", f.rounds ?? 0), count("批次", f.batches ?? 0), count("已巡察单位", units, .unitsInspected)]
            if let registered = f.unitsRegistered {
                rows += [count("名录中的单位", registered), plain("覆盖率", percent(f.coverage))]
            }
            if let groups = f.groupRounds { rows.append(count("巡察组（组次）", groups)) }
            rows += (f.groupsByLoad ?? []).map { count("\($0.title)（组·批次）", $0.count) }
            tables.append(Table(title: "巡察覆盖", rows: rows))
        }
        if let lower = f.lowerCommittees {
            tables.append(Table(title: "下级党委巡察工作", rows: [
                count("下级党委", lower.committees), count("成立巡察工作领导小组的", lower.withLeadingGroup), count("设立巡察机构的", lower.withOffice),
                count("开展巡察的下级党委", lower.withRounds), count("巡察轮次", lower.rounds),
                count("派出巡察组", lower.groups),
            ] + counts(lower.roundsByKind, "轮次：")))
        }
        if let findings = f.findings {
            tables.append(Table(title: "发现问题", rows: [
                count("问题总数", findings.total, .findings(.total)), count("立行立改", findings.immediate, .findings(.immediate)),
                count("立行立改已完成", findings.immediateCompleted),
                count("限期整改（列入问题清单）", findings.deadline, .findings(.deadline)), count("移交问题线索", findings.lead, .findings(.lead)),
                count("待确定处置方式", findings.untriaged, .findings(.untriaged)), count("不予认定（不计入总数）", findings.notRecognised, .findings(.notRecognised)),
            ]))
            for family in findings.byClassification {
                tables.append(Table(
                    title: "按\(family.family.title)分类（\(family.family.count)个）",
                    rows: family.items.map { count($0.title, $0.count, .classified(family: family.family.code, item: $0.code)) }))
                // 问题类别 × 处置方式: the family's every column, its items' non-empty cells.
                tables.append(Table(
                    title: "\(family.family.title)问题按处置方式",
                    rows: cells([CrossCount(row: LabelledCount(code: family.family.code, title: "合计", count: family.family.count), columns: family.byDisposition)], zeros: true)
                        + cells(family.itemsByDisposition, zeros: false)))
            }
        }
        if let leads = f.leads {
            tables.append(Table(title: "问题线索", rows: [
                count("登记线索", leads.registered, .leads(.registered)), count("已移交", leads.transferred, .leads(.transferred)),
            ] + leads.byReceiver.map { body in count("移交\(body.title)", body.count, ReceivingBody(rawValue: body.code).map { .leads(.receiver($0)) }) } + [
                count("逾期未反馈", leads.feedbackOverdue, .leads(.overdue)), count("已反馈办理结果", leads.answered, .leads(.answered)),
            ] + leads.byForm.enumerated().map { count(LeadDisposition.formTitle($0.offset + 1), $0.element, .leads(.form($0.offset + 1))) } + [
                plain("第一、二种形态占运用“四种形态”处理的比例", percent(leads.formsOneAndTwoShare)),
                plain("第一、二种形态占已反馈线索的比例", percent(leads.formsOneAndTwoShareOfAnswered)),
            ]))
            tables.append(Table(title: "线索办理情况", rows: leads.byHandling.map { state in
                count(state.title, state.count, LeadHandling(rawValue: state.code).map { .leads(.handling($0)) })
            }))
            tables.append(Table(title: "线索按问题性质", rows: counts(leads.bySubject)))
            tables.append(Table(title: "线索按干部管理权限", rows: counts(leads.byAuthority)))
            let crossed = cells(leads.byFormAndMethod, zeros: false)
            if !crossed.isEmpty { tables.append(Table(title: "四种形态×处置方式", rows: crossed)) }
        }
        if let tasks = f.rectification {
            tables.append(Table(title: "整改任务", rows: [
                count("任务总数", tasks.tasks, .tasks(.all)), count("整改中", tasks.open, .tasks(.open)), count("已销号", tasks.closed, .tasks(.closed)),
                count("逾期", tasks.overdue, .tasks(.overdue)), plain("整改率", percent(tasks.rate)),
                plain("平均销号天数", tasks.averageDaysToClose.map(Statistics.oneDecimal) ?? "—"),
                count("按期销号", tasks.closedOnTime, .tasks(.closedOnTime)), count("逾期销号", tasks.closedLate, .tasks(.closedLate)),
            ]))
        }
        if let rules = f.ruleImprovements {
            tables.append(Table(title: "制度建设", rows: [
                count("建立完善制度", rules.total, .rules(.all)), count("其中新建", rules.established, .rules(.established)),
                count("其中修订完善", rules.revised, .rules(.revised)), count("建立完善制度的被巡察单位", f.unitsImprovingRules ?? 0),
            ] + counts(rules.byScope, "其中")))
        }
        if let pools = f.pools {
            tables.append(Table(title: "组长库·人才库", rows: [
                count("组长库", pools.leaderPool), count("人才库", pools.talentPool),
            ] + pools.drawnByRound.map { count("\($0.title)抽调人员", $0.inspectors) }))
        }
        if let staffing = f.staffing {
            tables.append(Table(title: "抽调巡察干部", rows: [count("抽调巡察干部", staffing.drawn)] + counts(staffing.drawnByRole, "其中")))
            tables.append(Table(title: "组长库按职级", rows: counts(staffing.leaderPoolByRank)))
            tables.append(Table(title: "组长库·人才库按部门类别", rows: counts(staffing.byCategory)))
        }
        return tables
    }
}
