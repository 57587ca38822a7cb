import Foundation
import Hummingbird
import XunchaCore
import XunchaSheets
import XunchaStore

/// 统计 as JSON: the figures under the reader's scope, and the year-end summary (年度综述).
struct StatisticsController {
    let store: Store

    struct CountDTO: Encodable {
        let code: String
        let title: String
        let count: Int

        init(_ count: LabelledCount) {
            code = count.code
            title = count.title
            self.count = count.count
        }
    }

    /// One row of a cross table: its count and its count in each column, under the column
    /// dimension's own key (`by_disposition`, `by_method`).
    struct CrossDTO: Encodable {
        let code: String
        let title: String
        let count: Int
        let columns: [CountDTO]
        let key: String

        init(_ cross: CrossCount, key: String) {
            code = cross.row.code
            title = cross.row.title
            count = cross.row.count
            columns = cross.columns.map(CountDTO.init)
            self.key = key
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(code, forKey: Key(stringValue: "code"))
            try container.encode(title, forKey: Key(stringValue: "title"))
            try container.encode(count, forKey: Key(stringValue: "count"))
            try container.encode(columns, forKey: Key(stringValue: key))
        }
    }

    struct FamilyDTO: Encodable {
        enum CodingKeys: String, CodingKey { case code, title, count, items, byDisposition = "by_disposition", itemsByDisposition = "items_by_disposition" }
        let code: String
        let title: String
        let count: Int
        let items: [CountDTO]
        /// 问题类别 × 处置方式: the family's papers by disposition, 不予认定 included.
        let byDisposition: [CountDTO]
        let itemsByDisposition: [CrossDTO]

        init(_ f: ClassificationFigures) {
            code = f.family.code
            title = f.family.title
            count = f.family.count
            items = f.items.map(CountDTO.init)
            byDisposition = f.byDisposition.map(CountDTO.init)
            itemsByDisposition = f.itemsByDisposition.map { CrossDTO($0, key: "by_disposition") }
        }
    }

    struct FindingsDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case total, immediate, deadline, lead, notRecognised = "not_recognised", untriaged, byClassification = "by_classification"
            case immediateCompleted = "immediate_completed"
        }

        let total: Int
        let immediate: Int
        let deadline: Int
        let lead: Int
        let notRecognised: Int
        let untriaged: Int
        let byClassification: [FamilyDTO]
        /// 立行立改 notices closed by the as-of day.
        let immediateCompleted: Int
    }

    struct LeadsDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case registered, transferred, byReceiver = "by_receiver", feedbackOverdue = "feedback_overdue", answered, byForm = "by_form"
            case formsOneAndTwoShare = "forms_one_and_two_share", bySubject = "by_subject", byAuthority = "by_authority"
            case formsOneAndTwoShareOfAnswered = "forms_one_and_two_share_of_answered", byHandling = "by_handling", byFormAndMethod = "by_form_and_method"
        }

        let registered: Int
        let transferred: Int
        let byReceiver: [CountDTO]
        let feedbackOverdue: Int
        let answered: Int
        /// 四种形态 as labelled counts, like every count grouped by a dimension: code "1" … "4"
        /// (the `form` a lead's answer carries), title 第一种形态 … 第四种形态, zeros included.
        let byForm: [CountDTO]
        let formsOneAndTwoShare: Double?
        /// Registered leads by 问题性质 and by the cadre's level (干部管理权限), every value listed.
        let bySubject: [CountDTO]
        let byAuthority: [CountDTO]
        /// 第一、二种形态占已反馈线索的比例 (`forms_one_and_two_share` is over the answers that applied a form).
        let formsOneAndTwoShareOfAnswered: Double?
        /// 线索办理情况 as of the day.
        let byHandling: [CountDTO]
        /// 四种形态 × 处置方式 of the answered leads.
        let byFormAndMethod: [CrossDTO]
    }

    struct RectificationDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case tasks, open, closed, overdue, rate, averageDaysToClose = "average_days_to_close", closedOnTime = "closed_on_time", closedLate = "closed_late"
        }

        let tasks: Int
        let open: Int
        let closed: Int
        let overdue: Int
        let rate: Double?
        let averageDaysToClose: Double?
        let closedOnTime: Int
        let closedLate: Int
    }

    struct RulesDTO: Encodable {
        enum CodingKeys: String, CodingKey { case total, established, revised, byScope = "by_scope", units }
        let total: Int
        let established: Int
        let revised: Int
        /// 制度 and 流程.
        let byScope: [CountDTO]
        /// Distinct registered units that adopted one.
        let units: Int
    }

    struct RoundDrawDTO: Encodable {
        enum CodingKeys: String, CodingKey { case roundId = "round_id", title, inspectors }
        let roundId: String
        let title: String
        let inspectors: Int
    }

    struct PoolsDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case leaderPool = "leader_pool", talentPool = "talent_pool", drawnByRound = "drawn_by_round", drawn, drawnByRole = "drawn_by_role"
            case leaderPoolByRank = "leader_pool_by_rank", byCategory = "by_category"
        }
        let leaderPool: Int
        let talentPool: Int
        let drawnByRound: [RoundDrawDTO]
        let drawn: Int
        let drawnByRole: [CountDTO]
        let leaderPoolByRank: [CountDTO]
        let byCategory: [CountDTO]
    }

    struct LowerCommitteesDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case committees, withLeadingGroup = "with_leading_group", withOffice = "with_office", withRounds = "with_rounds", groups, rounds
            case roundsByKind = "rounds_by_kind"
        }
        let committees: Int
        let withLeadingGroup: Int
        let withOffice: Int
        let withRounds: Int
        let groups: Int
        let rounds: Int
        let roundsByKind: [CountDTO]
    }

    /// Sections the reader may not see are absent (null), never zero.
    struct FiguresDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case rounds, batches, unitsInspected = "units_inspected", unitsRegistered = "units_registered", coverage, findings, leads, rectification
            case ruleImprovements = "rule_improvements", pools
            case groupRounds = "group_rounds", groupsByLoad = "groups_by_load", lowerCommittees = "lower_committees"
        }

        let rounds: Int?
        let batches: Int?
        let unitsInspected: Int?
        let unitsRegistered: Int?
        let coverage: Double?
        let findings: FindingsDTO?
        let leads: LeadsDTO?
        let rectification: RectificationDTO?
        let ruleImprovements: RulesDTO?
        let pools: PoolsDTO?
        let groupRounds: Int?
        /// 一托N: (group, batch) pairs by units inspected; code "1", "2" … , title 一托一 ….
        let groupsByLoad: [CountDTO]?
        /// Only for a rolled-up committee.
        let lowerCommittees: LowerCommitteesDTO?

        init(_ f: StatisticsFigures) {
            rounds = f.rounds
            batches = f.batches
            unitsInspected = f.unitsInspected
            unitsRegistered = f.unitsRegistered
            coverage = f.coverage
            findings = f.findings.map {
                FindingsDTO(
                    total: $0.total, immediate: $0.immediate, deadline: $0.deadline, lead: $0.lead, notRecognised: $0.notRecognised, untriaged: $0.untriaged,
                    byClassification: $0.byClassification.map(FamilyDTO.init),
                    immediateCompleted: $0.immediateCompleted)
            }
            leads = f.leads.map {
                LeadsDTO(
                    registered: $0.registered, transferred: $0.transferred, byReceiver: $0.byReceiver.map(CountDTO.init), feedbackOverdue: $0.feedbackOverdue,
                    answered: $0.answered, byForm: StatisticsController.formCounts($0.byForm), formsOneAndTwoShare: $0.formsOneAndTwoShare,
                    bySubject: $0.bySubject.map(CountDTO.init), byAuthority: $0.byAuthority.map(CountDTO.init),
                    formsOneAndTwoShareOfAnswered: $0.formsOneAndTwoShareOfAnswered, byHandling: $0.byHandling.map(CountDTO.init),
                    byFormAndMethod: $0.byFormAndMethod.map { CrossDTO($0, key: "by_method") })
            }
            rectification = f.rectification.map {
                RectificationDTO(
                    tasks: $0.tasks, open: $0.open, closed: $0.closed, overdue: $0.overdue, rate: $0.rate, averageDaysToClose: $0.averageDaysToClose,
                    closedOnTime: $0.closedOnTime, closedLate: $0.closedLate)
            }
            ruleImprovements = f.ruleImprovements.map { RulesDTO(
                    total: $0.total, established: $0.established, revised: $0.revised, byScope: $0.byScope.map(CountDTO.init), units: f.unitsImprovingRules ?? 0) }
            let staffing = f.staffing
            pools = f.pools.map {
                PoolsDTO(
                    leaderPool: $0.leaderPool, talentPool: $0.talentPool,
                    drawnByRound: $0.drawnByRound.map { RoundDrawDTO(roundId: $0.roundID.text, title: $0.title, inspectors: $0.inspectors) }, drawn: staffing?.drawn ?? 0,
                    drawnByRole: (staffing?.drawnByRole ?? []).map(CountDTO.init), leaderPoolByRank: (staffing?.leaderPoolByRank ?? []).map(CountDTO.init),
                    byCategory: (staffing?.byCategory ?? []).map(CountDTO.init))
            }
            groupRounds = f.groupRounds
            groupsByLoad = f.groupsByLoad?.map(CountDTO.init)
            lowerCommittees = f.lowerCommittees.map {
                LowerCommitteesDTO(
                    committees: $0.committees, withLeadingGroup: $0.withLeadingGroup, withOffice: $0.withOffice, withRounds: $0.withRounds, groups: $0.groups, rounds: $0.rounds, roundsByKind: $0.roundsByKind.map(CountDTO.init))
            }
        }
    }

    /// Answered leads by 四种形态 (forms 1 … 4, in order) as labelled counts.
    static func formCounts(_ byForm: [Int]) -> [CountDTO] {
        byForm.enumerated().map { index, count in
            CountDTO(LabelledCount(code: String(index + 1), title: LeadDisposition.formTitle(index + 1), count: count))
        }
    }

    struct SummaryDTO: Encodable {
        let text: String
        /// What follows `text` where a report prints it (the page and the export run the two
        /// together): groups and inspectors, pools, units that improved rules.
        let details: String?
    }

    struct BreakdownRowDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case id, name, unitsInspected = "units_inspected", findings, immediate, deadline, leadsTransferred = "leads_transferred", tasks, closed, overdue, rate
        }

        let id: String
        let name: String
        let unitsInspected: Int?
        let findings: Int
        let immediate: Int
        let deadline: Int
        let leadsTransferred: Int
        let tasks: Int
        let closed: Int
        let overdue: Int
        let rate: Double?
    }

    struct BreakdownDTO: Encodable {
        let by: String
        let rows: [BreakdownRowDTO]
    }

    struct RecordDTO: Encodable {
        enum CodingKeys: String, CodingKey { case kind, id, number, title, unitName = "unit_name", day, state, href }
        let kind: String
        let id: String
        let number: String?
        let title: String
        let unitName: String
        let day: String?
        let state: String
        let href: String
    }

    struct RecordsDTO: Encodable {
        enum CodingKeys: String, CodingKey { case measure, title, total, items, nextCursor = "next_cursor" }
        let measure: String
        let title: String
        let total: Int
        let items: [RecordDTO]
        let nextCursor: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/statistics") { request, context -> Response in
            let actor = try context.requireActor()
            let parameters = request.queryDictionary
            let filter = try Self.filter(parameters)
            let table = parameters["table"] ?? ""
            if let format = parameters["format"], !format.isEmpty {
                return try await Self.export(store, table: table, filter: filter, format: try ExportFormat(format), actor: actor)
            }
            // `table` chooses what an export holds; without `format` it is still checked, so a wrong one is never silently ignored.
            guard table.isEmpty || table == "figures" || StatisticsBreakdownKind(rawValue: table) != nil else { throw Self.unknownTable }
            return try JSONBody.response(FiguresDTO(try await store.statistics(filter, for: actor)))
        }
        router.get("/api/v1/statistics/breakdown") { request, context -> Response in
            let actor = try context.requireActor()
            let parameters = request.queryDictionary
            guard let kind = StatisticsBreakdownKind(rawValue: parameters["by"] ?? "unit") else {
                throw DomainError.invalid(
                    "unknown_breakdown", "分组统计只能按 unit（单位）、committee（党委）或 group（巡察组）", english: "by must be unit, committee or group", field: "by")
            }
            let rows = try await store.statisticsBreakdown(kind, filter: try Self.filter(parameters), zeros: true, for: actor)
            return try JSONBody.response(
                BreakdownDTO(
                    by: kind.rawValue,
                    rows: rows.map {
                        BreakdownRowDTO(
                            id: $0.id.text, name: $0.name, unitsInspected: $0.unitsInspected, findings: $0.findings, immediate: $0.immediate, deadline: $0.deadline,
                            leadsTransferred: $0.leadsTransferred, tasks: $0.tasks, closed: $0.closed, overdue: $0.overdue, rate: $0.rate)
                    }))
        }
        router.get("/api/v1/statistics/crosstab") { request, context -> Response in
            let actor = try context.requireActor()
            let parameters = request.queryDictionary
            let filter = try Self.filter(parameters)
            do {
                return try JSONBody.response(CrosstabDTO(try await Self.crosstab(store, parameters, filter: filter, actor: actor)))
            } catch let error as DomainError where Self.crosstabFields.contains(error.field ?? "") {
                // Well-formed, but not a table this system can count: 422, like a template it cannot mean.
                return ErrorMiddleware.jsonResponse(error, status: .unprocessableContent)
            }
        }
        router.get("/api/v1/statistics/records") { request, context -> Response in
            let origin = try context.origin()
            let parameters = request.queryDictionary
            let measure = try StatisticsMeasure(code: parameters["measure"] ?? "")
            let found = try await store.statisticsRecords(
                measure, filter: try Self.filter(parameters), page: try parameters.pageRequest(),
                origin: origin)
            var classification: String?
            if case .classified(let family, let item) = measure { classification = try await store.classificationTitle(family: family, item: item) }
            return try JSONBody.response(
                RecordsDTO(
                    measure: measure.code, title: measure.title(classification: classification), total: found.total,
                    items: found.page.items.map {
                        RecordDTO(
                            kind: $0.kind.rawValue, id: $0.id.text, number: $0.number, title: $0.title, unitName: $0.unitName, day: $0.day?.description, state: $0.state,
                            href: $0.kind.path($0.id))
                    }, nextCursor: found.page.nextCursor))
        }
        router.get("/api/v1/statistics/summary") { request, context -> Response in
            let actor = try context.requireActor()
            let filter = try Self.filter(request.queryDictionary)
            let figures = try await store.statistics(filter, for: actor)
            return try JSONBody.response(SummaryDTO(text: Statistics.summary(figures), details: Statistics.summaryDetails(figures)))
        }
    }

    /// The parameters a cross table's own refusals name (the filter's are refused as everywhere else).
    static let crosstabFields: Set<String> = ["of", "rows", "columns", "family", "as_of"]

    /// The cross table the parameters ask for (`of`, `rows`, `columns`, `family`) under the filter.
    static func crosstab(_ store: Store, _ parameters: [String: String], filter: StatisticsFilter, actor: Actor) async throws -> Crosstab {
        let request = try CrosstabRequest(of: parameters["of"], rows: parameters["rows"], columns: parameters["columns"], family: parameters["family"])
        return try await store.crosstab(request, filter: filter, for: actor)
    }

    /// 交叉统计: each row with its count in every column (`cells`, in the order of `columns`) and its
    /// total; `columns` carry the column totals.
    struct CrosstabDTO: Encodable {
        enum CodingKeys: String, CodingKey { case of, family, rowDimension = "row_dimension", columnDimension = "column_dimension", rows, columns, total }

        struct Dimension: Encodable {
            let code: String
            let title: String

            init(_ dimension: CrosstabDimension) {
                code = dimension.rawValue
                title = dimension.title
            }
        }

        struct Row: Encodable {
            let code: String
            let title: String
            let count: Int
            let cells: [Int]
        }

        let of: String
        /// The classification family of 问题类别; absent when neither dimension is the category.
        let family: String?
        let rowDimension: Dimension
        let columnDimension: Dimension
        let rows: [Row]
        let columns: [CountDTO]
        let total: Int

        init(_ table: Crosstab) {
            let request = table.request
            of = request.records.rawValue
            family = [request.rows, request.columns].contains(.category) ? request.family : nil
            rowDimension = Dimension(request.rows)
            columnDimension = Dimension(request.columns)
            rows = zip(table.rows, table.cells).map { Row(code: $0.code, title: $0.title, count: $0.count, cells: $1) }
            columns = table.columns.map(CountDTO.init)
            total = table.total
        }
    }

    /// A statistics table as CSV or an Excel workbook: the dashboard's figures in one sheet (类别,
    /// 项目, 数值) with the year-end summary as the last row — a report's annex — or, with `table=unit`
    /// or `table=committee`, the breakdown by unit or by committee.
    static func export(_ store: Store, table: String?, filter: StatisticsFilter, format: ExportFormat, actor: Actor) async throws -> Response {
        let exported: LedgerTable
        switch table ?? "" {
        case "", "figures":
            let figures = try await store.statistics(filter, for: actor)
            var rows = StatisticsPages.tables(figures, links: StatisticsPages.Links(parameters: [:], openable: [])).flatMap { table in
                table.rows.map { [table.title, $0.label, $0.value] }
            }
            rows.append(["年度综述", "", Statistics.printedSummary(figures)])
            exported = LedgerTable("统计表", columns: [.init("类别", 24), .init("项目", 28), .init("数值", 14)], rows: rows)
        case let name:
            guard let kind = StatisticsBreakdownKind(rawValue: name) else {
                throw unknownTable
            }
            let rows = try await store.statisticsBreakdown(kind, filter: filter, limit: 2_000, zeros: true, for: actor).map { breakdownCells($0, kind: kind) }
            // The name, then counts, then the rate (整改率) as a percentage.
            let header = breakdownHeader(kind)
            exported = LedgerTable(
                kind.title,
                columns: header.enumerated().map { $0.offset == 0 ? .init($0.element, 30) : .init($0.element, 11, $0.offset == header.count - 1 ? .percent : .count) },
                rows: rows, asOf: filter.asOf)
        }
        // A breakdown is a ledger to print and add up (title, 合计); the figures table is a list of
        // label and value, an annex as it stands.
        return LedgerExport.response(exported, format: format, day: CalendarDay(store.clock.now()), printed: table.map { !["", "figures"].contains($0) } ?? false)
    }

    static let unknownTable = DomainError.invalid("unknown_table", "导出的统计表只能是 figures、unit、committee 或 group", english: "unknown table", field: "table")

    static func breakdownHeader(_ kind: StatisticsBreakdownKind) -> [String] {
        [kind.nameHeader] + (kind == .unit ? [] : ["已巡察单位"])
            + ["发现问题", "立行立改", "限期整改", "移交线索", "整改任务", "已销号", "逾期", "整改率"]
    }

    static func breakdownCells(_ row: StatisticsBreakdownRow, kind: StatisticsBreakdownKind) -> [String] {
        [row.name] + (kind == .unit ? [] : ["\(row.unitsInspected ?? 0)"])
            + [row.findings, row.immediate, row.deadline, row.leadsTransferred, row.tasks, row.closed, row.overdue].map(String.init)
            + [row.rate.map(Statistics.percent) ?? "—"]
    }

    /// The filter from query parameters (the page's form uses the same names).
    static func filter(_ parameters: [String: String]) throws -> StatisticsFilter {
        let rollUp = parameters["roll_up"] ?? ""
        guard ["", "true", "false", "1", "0", "on"].contains(rollUp) else {
            throw DomainError.invalid("invalid_roll_up", "是否汇总下级须为 true 或 false", english: "roll_up must be true or false", field: "roll_up")
        }
        return StatisticsFilter(
            from: try EvaluationInput.day(parameters["from"], field: "from", label: "起始日期"),
            to: try EvaluationInput.day(parameters["to"], field: "to", label: "截止日期"),
            roundID: try FieldworkController.optionalID(parameters["round_id"], field: "round_id", label: "轮次"),
            jurisdictionID: try FieldworkController.optionalID(parameters["jurisdiction_id"], field: "jurisdiction_id", label: "党委"),
            rollUp: ["true", "1", "on"].contains(rollUp),
            groupID: try FieldworkController.optionalID(parameters["group_id"], field: "group_id", label: "巡察组"),
            unitID: try FieldworkController.optionalID(parameters["unit_id"], field: "unit_id", label: "单位"),
            asOf: try EvaluationInput.day(parameters["as_of"], field: "as_of", label: "截至日期"),
            standingGroupID: try FieldworkController.optionalID(parameters["standing_group_id"], field: "standing_group_id", label: "巡察组"))
    }
}
