import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// The "Done when" of issue 14: an office moving into Xuncha enters its past year, 2025, with
/// known totals — part through the API, every step dated on its own day (补录), part imported
/// from its ledgers — and every figure of its year-end report reads as those totals as of
/// 31 December 2025, in the API, on the dashboard, in the export and in the summary, and still
/// does the next March.
///
/// The year (江城市委, the fixture's city, and its two counties; "today" is 2026-12-23):
/// - pools (imported roster): 张组长 正处级 组织人事 组长库, 王副组长 副处级 纪检监察 组长库,
///   周审计 审计 人才库, 孙纪检 纪检监察 人才库, 李组长 正处级 其他 组长库, 赵工程 副科级 工程
///   组长库、人才库;
/// - 十五届第1轮 (常规, API): 第一巡察组 — 张组长 组长, 王副组长 副组长, 周审计 组员 — 一托二 at
///   市财政局 and 市教育局; eight papers (below), a report, feedback 2025-05-20, a plan approved
///   2025-06-10 with three tasks: closed on time, closed late, and one due 2025-10-31 still open
///   at the year's end (closed 2026-03-10); one 立行立改 completed; leads transferred, answered
///   with a form, one answered only in 2026 (overdue at the year's end), one dismissed, one pending;
/// - 十五届第2轮 (专项, API; its work imported): 第二巡察组 — 李组长 组长, 孙纪检 组员 — at
///   市卫生健康委员会; the problem list (five rows) and the lead register (four rows, one through
///   the 派驻纪检监察组) imported, and the rule-improvement ledger (制度 and 流程);
/// - 清河县委 records a leading group and an office and runs one 专项 round with one group;
///   青山县委 nothing; 市统计局 is never inspected.
@Suite("往年补录：一年的年终数字")
struct PastYearHTTPTests {
    /// Every statistics read: the year 2025 of the rolled-up city.
    static let year = "from=2025-01-01&to=2025-12-31&roll_up=true"
    static let yearEnd = year + "&as_of=2025-12-31"

    @Test(arguments: TestEngine.available)
    func aPastYearEnteredThroughTheAPIAndImportedReadsItsKnownTotalsEverywhereAsOfItsLastDay(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withApp(engine, clock: clock) { store, f, client in
            let desk = try await Desk(store, f, client)
            let later = try await desk.enterTheYear(store, f)
            let office = desk.office

            // The JSON API, as of the year's last day.
            let figures = try await client.api(.get, "/api/v1/statistics?\(Self.yearEnd)", token: office)
            #expect(figures.status == .ok, "\(figures.text)")
            let body = try figures.json()
            for expected in Self.counts {
                #expect(Self.value(body, at: expected.path) as? Int == expected.value, "\(expected.path)")
            }
            for (path, share) in Self.shares {
                let read = Self.value(body, at: path) as? Double
                #expect(read.map { abs($0 - share) < 0.0005 } == true, "\(path): \(String(describing: read))")
            }
            let families = (Self.value(body, at: "findings.by_classification") as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(families == Self.families.map(\.code), "the largest family first, ties by code; 不予认定 does not count")
            let draws = (Self.value(body, at: "pools.drawn_by_round") as? [[String: Any]])?.map { "\($0["title"] ?? "")=\($0["inspectors"] ?? "")" }
            #expect(draws == ["十五届第1轮=3", "十五届第2轮=2"], "a county group with nobody drawn adds no one")

            // The dashboard and the export print the same figures, and each is the known total.
            let web = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/statistics?\(Self.yearEnd)", session: web)
            #expect(page.status == .ok)
            let csv = try await client.api(.get, "/api/v1/statistics?format=csv&\(Self.yearEnd)", token: office)
            #expect(csv.status == .ok)
            let exported = Self.lines(csv.text)
            #expect(exported == StatisticsAPITests.figures(onPage: page.text), "the export says what the page says")
            for line in Self.printedLines {
                #expect(exported.contains(line), "\(line)")
            }

            // The summary: its text, its details, and the page and the export printing both.
            let summary = try await client.api(.get, "/api/v1/statistics/summary?\(Self.yearEnd)", token: office).json()
            #expect(summary["text"] as? String == Self.summaryText)
            #expect(summary["details"] as? String == Self.summaryDetails)
            #expect(page.text.contains(#"<p id="summary-text">"# + Self.summaryText + Self.summaryDetails + "</p>"))
            #expect(csv.text.contains("年度综述,," + Self.summaryText + Self.summaryDetails))

            // Breakdowns list the committees and the units with nothing to count.
            try await Self.checkBreakdowns(client, token: office, page: page.text)

            // As of today the same year reads otherwise: the overdue task and lead were dealt with in 2026.
            let now = try await client.api(.get, "/api/v1/statistics?\(Self.year)", token: office).json()
            for (path, yearEnd, today) in [
                ("rectification.overdue", 2, 1), ("rectification.closed", 3, 4), ("rectification.closed_late", 1, 2), ("leads.feedback_overdue", 1, 0),
                ("leads.answered", 4, 5), ("leads.by_handling[transferred]", 1, 0),
            ] {
                #expect(Self.value(body, at: path) as? Int == yearEnd, "\(path) as of 2025-12-31")
                #expect(Self.value(now, at: path) as? Int == today, "\(path) today")
            }

            // The next March (sessions long expired: everyone signs in again), after further work on the
            // year's own records, the year reads the same.
            clock.advance(by: 82 * 86_400)
            #expect(CalendarDay(store.clock.now()).description == "2027-03-15")
            let march = try await Desk(store, f, client)
            try await march.importLedger("rule_improvements", Self.ruleHeader, ["RI-05,差旅审批流程,建立,流程,,2027-03-01,市财政局,规范差旅审批,2,"], as: march.office)
            // L4, pending at the year's end, is set aside in March: in 2025 it was still a lead being weighed.
            try await march.take(later.pendingLead, "dismiss", by: march.leader, on: "2027-03-10", #", "note": "经研判不具备可查性""#)
            // A5, whose 立行立改 never went further than proposed, is re-triaged 限期整改: in 2025 it was a 立行立改.
            let version = try await march.version(later.proposedPaper, by: march.leader)
            try await march.post(
                "\(later.proposedPaper)/triage", by: march.leader,
                #"{"disposition": "限期整改", "version": \#(version), "occurred_on": "2027-03-12", "backfill_reason": "\#(Desk.reason)"}"#, status: .ok)
            let again = try await client.api(.get, "/api/v1/statistics?\(Self.yearEnd)", token: march.office)
            #expect(NSDictionary(dictionary: try again.json()).isEqual(to: body), "the API answers the same")
            #expect(try await client.api(.get, "/api/v1/statistics?format=csv&\(Self.yearEnd)", token: march.office).text == csv.text, "the export is the same")
            let marchSummary = try await client.api(.get, "/api/v1/statistics/summary?\(Self.yearEnd)", token: march.office).json()
            #expect(marchSummary["text"] as? String == Self.summaryText && marchSummary["details"] as? String == Self.summaryDetails)
            let marchPage = try await client.page(.get, "/statistics?\(Self.yearEnd)", session: try await f.signIn(store, .officeStaff, kind: .web))
            #expect(StatisticsAPITests.figures(onPage: marchPage.text) == exported, "the dashboard is the same")
        }
    }

    /// A paper approved before the day and triaged after it was, on the day, still awaiting its
    /// disposition; one re-triaged after the day still had the disposition before.
    @Test(arguments: TestEngine.available)
    func aPaperTriagedAfterTheDayAwaitedItsDispositionOnIt(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let desk = try await Desk(store, f, client)
            let s = try await FieldworkAPITests.setUp(store, f, client, office: office)
            let drafted = try await desk.post(
                "/api/v1/assignments/\(s.assignmentID)/findings", by: desk.member,
                #"{"title": "违规发放津补贴", "manifestation": "……", "basis": "……", "tags": [{"scheme": "four_winds", "version": 1, "entry": "allowances"}]}"#)
            let path = "/api/v1/findings/\(try #require(drafted["id"] as? String))"
            let today = CalendarDay(store.clock.now())
            let (approved, triaged) = (today.adding(days: -30), today.adding(days: -20))
            try await desk.chain(path, [("submit", desk.member, approved.description, ""), ("approve", desk.leader, approved.description, #", "note": "同意""#)])
            // 立行立改 twenty days ago, then 限期整改 today (the notice, never consented to, is withdrawn).
            for (disposition, day) in [("立行立改", triaged), ("限期整改", today)] {
                let version = try await desk.version(path, by: desk.leader)
                try await desk.post(
                    "\(path)/triage", by: desk.leader,
                    #"{"disposition": "\#(disposition)", "version": \#(version), "occurred_on": "\#(day)", "backfill_reason": "\#(Desk.reason)"}"#, status: .ok)
            }
            for (day, expected) in [(approved, [1, 1, 0, 0]), (triaged.adding(days: 1), [1, 0, 1, 0]), (today, [1, 0, 0, 1])] {
                let read = try await client.api(.get, "/api/v1/statistics?as_of=\(day)", token: office).json()
                #expect(["total", "untriaged", "immediate", "deadline"].map { Self.value(read, at: "findings.\($0)") as? Int } == expected, "as of \(day)")
                let cells = ["immediate", "deadline", "untriaged"].map { Self.value(read, at: "findings.by_classification[four_winds].by_disposition[\($0)]") as? Int }
                #expect(cells == [expected[2], expected[3], expected[1]], "the cross too, as of \(day)")
            }
        }
    }

    // MARK: The known totals

    /// A count of the year and the dashboard's row that prints it (`表,项目`; nil: the API's alone).
    struct Count {
        let path: String
        let row: String?
        let value: Int
        init(_ path: String, _ row: String?, _ value: Int) {
            (self.path, self.row, self.value) = (path, row, value)
        }
    }

    /// A classification family: its count (papers found to be problems, 不予认定 not counted) and its
    /// papers by disposition [立行立改, 限期整改, 移交问题线索, 不予认定, 待确定].
    struct Family {
        let code: String
        let title: String
        let count: Int
        let byDisposition: [Int]
    }

    static let dispositions = [("immediate", "立行立改"), ("deadline", "限期整改"), ("lead", "移交问题线索"), ("not_recognised", "不予认定"), ("untriaged", "待确定处置方式")]

    /// The papers of the year and their tags (A = API at 市财政局, B = API at 市教育局, P = imported at 市卫生健康委员会):
    /// A1 限期 三重一大·重大事项决策, 六项纪律·组织纪律; A2 限期 四风·违规吃喝, 廉洁纪律; A3 限期 三重一大·重要项目安排;
    /// A4 立行立改 四风·违规发放津补贴或福利, 廉洁纪律; A5 立行立改 违规使用财政资金·超范围、超标准支出;
    /// A6 线索 廉洁纪律, 第二种形态; B1 不予认定 工作纪律; B2 线索 选人用人·违反干部选拔任用程序, 三大问题·党的建设缺失, 第一种形态;
    /// P-01 限期 组织纪律, 第一种形态; P-02 立行立改 违规吃喝; P-03 线索 廉洁纪律; P-04 不予认定 工作纪律; P-05 限期 设立“小金库”, 廉洁纪律.
    static let families = [
        // A1 A2 P-01 P-05 限期, A4 立行立改, A6 P-03 线索, B1 P-04 不予认定.
        Family(code: "six_disciplines", title: "六项纪律", count: 7, byDisposition: [1, 4, 2, 2, 0]),
        // P-01 限期, A6 B2 线索.
        Family(code: "four_forms", title: "四种形态", count: 3, byDisposition: [0, 1, 2, 0, 0]),
        // A4 P-02 立行立改, A2 限期.
        Family(code: "four_winds", title: "四风", count: 3, byDisposition: [2, 1, 0, 0, 0]),
        // A5 立行立改, P-05 限期.
        Family(code: "fiscal_funds", title: "违规使用财政资金", count: 2, byDisposition: [1, 1, 0, 0, 0]),
        // A1 A3 限期.
        Family(code: "three_important_one_large", title: "三重一大", count: 2, byDisposition: [0, 2, 0, 0, 0]),
        // B2 线索.
        Family(code: "cadre_selection", title: "选人用人", count: 1, byDisposition: [0, 0, 1, 0, 0]),
        Family(code: "three_major", title: "三大问题", count: 1, byDisposition: [0, 0, 1, 0, 0]),
    ]

    /// 四种形态 × 处置方式 and 六项纪律's items × 处置方式: (family, item, title, count, by disposition).
    static let items: [(family: String, familyTitle: String, code: String, title: String, count: Int, byDisposition: [Int])] = [
        // B2 线索, P-01 限期.
        ("four_forms", "四种形态", "first", "第一种形态（谈话提醒、批评教育、责令检查、诫勉）", 2, [0, 1, 1, 0, 0]),
        // A6 线索.
        ("four_forms", "四种形态", "second", "第二种形态（轻处分、组织调整）", 1, [0, 0, 1, 0, 0]),
        // A1 P-01 限期.
        ("six_disciplines", "六项纪律", "organisational", "组织纪律", 2, [0, 2, 0, 0, 0]),
        // A4 立行立改; A2 P-05 限期; A6 P-03 线索.
        ("six_disciplines", "六项纪律", "integrity", "廉洁纪律", 5, [1, 2, 2, 0, 0]),
    ]

    /// The leads of the year: API — L1 (A6's) 本级·违纪, to 纪委监委, answered 第一种形态 谈话函询 and closed; L2 (B2's)
    /// 本级·选人用人, to 组织部 2025-05-10, answered only 2026-02-20 (第二种形态); L3 registered, dismissed; L4 下级·违纪,
    /// screened only. Imported — P-03's (本级·违纪, pending); L-01 非本级·违纪 through the 派驻纪检监察组, answered 第二种形态
    /// 初步核实 and closed; L-02 本级·违纪 to 纪委监委, answered 第三种形态 立案审查调查; L-03 本级·选人用人 to 组织部,
    /// answered 予以了结 with no form; L-04 dismissed.
    /// The tasks: T1 due 08-31 closed 08-20, T2 due 07-31 closed 09-15, T3 due 10-31 open (plan approved 06-10);
    /// P-01 due 10-31 closed 10-20, P-05 due 11-30 open (plan 08-28).
    static let counts: [Count] = [
        // Rounds: the city's two and 清河县委's one, a batch each; units 市财政局, 市教育局, 市卫生健康委员会, 清河县水利局.
        Count("rounds", "巡察覆盖,轮次", 3), Count("batches", "巡察覆盖,批次", 3), Count("units_inspected", "巡察覆盖,已巡察单位", 4),
        // The city's four units and one in each county.
        Count("units_registered", "巡察覆盖,名录中的单位", 6),
        // 第一巡察组 一托二, 第二巡察组 and the county's group 一托一.
        Count("group_rounds", "巡察覆盖,巡察组（组次）", 3), Count("groups_by_load[1]", "巡察覆盖,一托一（组·批次）", 2),
        Count("groups_by_load[2]", "巡察覆盖,一托二（组·批次）", 1), Count("groups_by_load[3]", "巡察覆盖,一托三（组·批次）", 0),
        // 清河县委 set up both and ran one 专项 round with one group; 青山县委 nothing.
        Count("lower_committees.committees", "下级党委巡察工作,下级党委", 2),
        Count("lower_committees.with_leading_group", "下级党委巡察工作,成立巡察工作领导小组的", 1),
        Count("lower_committees.with_office", "下级党委巡察工作,设立巡察机构的", 1),
        Count("lower_committees.with_rounds", "下级党委巡察工作,开展巡察的下级党委", 1),
        Count("lower_committees.rounds", "下级党委巡察工作,巡察轮次", 1), Count("lower_committees.groups", "下级党委巡察工作,派出巡察组", 1),
        Count("lower_committees.rounds_by_kind[routine]", "下级党委巡察工作,轮次：常规巡察", 0),
        Count("lower_committees.rounds_by_kind[special]", "下级党委巡察工作,轮次：专项巡察", 1),
        // Papers: A1–A6, B2, P-01–03, P-05 are problems; B1 and P-04 not recognised.
        Count("findings.total", "发现问题,问题总数", 11), Count("findings.immediate", "发现问题,立行立改", 3),
        Count("findings.deadline", "发现问题,限期整改（列入问题清单）", 5), Count("findings.lead", "发现问题,移交问题线索", 3),
        Count("findings.untriaged", "发现问题,待确定处置方式", 0), Count("findings.not_recognised", "发现问题,不予认定（不计入总数）", 2),
        // A4 verified 2025-04-28 and P-02 closed 2025-09-05; A5 never went further than proposed.
        Count("findings.immediate_completed", "发现问题,立行立改已完成", 2),
        // Leads registered (dismissed ones not): L1 L2 L4, P-03's, L-01 L-02 L-03.
        Count("leads.registered", "问题线索,登记线索", 7),
        // Transferred by the year's end: L1 L-01 L-02 to 纪委监委 (L-01 through the stationed body), L2 L-03 to 组织部.
        Count("leads.transferred", "问题线索,已移交", 5), Count("leads.by_receiver[discipline]", "问题线索,移交纪委监委", 3),
        Count("leads.by_receiver[organisation]", "问题线索,移交组织部", 2),
        // L2: transferred 2025-05-10, unanswered at the year's end.
        Count("leads.feedback_overdue", "问题线索,逾期未反馈", 1),
        // L1 L-01 L-02 L-03.
        Count("leads.answered", "问题线索,已反馈办理结果", 4),
        Count("leads.by_form[1]", "问题线索,第一种形态", 1), Count("leads.by_form[2]", "问题线索,第二种形态", 1),
        Count("leads.by_form[3]", "问题线索,第三种形态", 1), Count("leads.by_form[4]", "问题线索,第四种形态", 0),
        // Every lead of the year where it stood on 2025-12-31: L4 and P-03's pending, L2 transferred, L-02 L-03 answered,
        // L1 L-01 closed, L3 L-04 dismissed.
        Count("leads.by_handling[pending]", "线索办理情况,未移交（研判、审批中）", 2), Count("leads.by_handling[transferred]", "线索办理情况,已移交待签收", 1),
        Count("leads.by_handling[received]", "线索办理情况,已签收待反馈", 0), Count("leads.by_handling[answered]", "线索办理情况,已反馈", 2),
        Count("leads.by_handling[closed]", "线索办理情况,已销号", 2), Count("leads.by_handling[dismissed]", "线索办理情况,不作为线索", 2),
        Count("leads.by_handling[withdrawn]", "线索办理情况,已撤回", 0),
        // Registered leads by nature: 违纪 L1 L4 P-03's L-01 L-02; 选人用人 L2 L-03; L3 (其他) was dismissed.
        Count("leads.by_subject[discipline]", "线索按问题性质,涉嫌违纪违法", 5), Count("leads.by_subject[personnel]", "线索按问题性质,选人用人、民主集中制问题", 2),
        Count("leads.by_subject[other]", "线索按问题性质,其他问题", 0),
        // By the cadre's level: 本级 L1 L2 P-03's L-02 L-03; 非本级 L4 L-01; L3 (非干部) dismissed.
        Count("leads.by_authority[committee]", "线索按干部管理权限,本级党委管理干部", 5), Count("leads.by_authority[lower]", "线索按干部管理权限,下级党组织管理干部", 2),
        Count("leads.by_authority[none]", "线索按干部管理权限,非干部或其他人员", 0),
        // 四种形态 × 处置方式 of the answered leads.
        Count("leads.by_form_and_method[1].by_method[talk_or_letter]", "四种形态×处置方式,第一种形态：谈话函询", 1),
        Count("leads.by_form_and_method[2].by_method[preliminary_verification]", "四种形态×处置方式,第二种形态：初步核实", 1),
        Count("leads.by_form_and_method[3].by_method[case_filed]", "四种形态×处置方式,第三种形态：立案审查调查", 1),
        Count("leads.by_form_and_method[none].by_method[closed_without_action]", "四种形态×处置方式,未运用“四种形态”：予以了结", 1),
        Count("leads.by_form_and_method[4]", nil, 0),
        // Tasks of plans approved in 2025: T1 T2 T3 P-01 P-05; closed T1 P-01 on time, T2 late; T3 and P-05 open past their deadline.
        Count("rectification.tasks", "整改任务,任务总数", 5), Count("rectification.open", "整改任务,整改中", 2), Count("rectification.closed", "整改任务,已销号", 3),
        Count("rectification.overdue", "整改任务,逾期", 2), Count("rectification.closed_on_time", "整改任务,按期销号", 2),
        Count("rectification.closed_late", "整改任务,逾期销号", 1),
        // Adopted in 2025: 议事规则 (市财政局, 建立, 制度), 会议记录管理办法 (市卫生健康委员会, 完善, 制度), 财务审批流程
        // (市卫生健康委员会, 完善, 流程); 差旅报销流程 came in 2026.
        Count("rule_improvements.total", "制度建设,建立完善制度", 3), Count("rule_improvements.established", "制度建设,其中新建", 1),
        Count("rule_improvements.revised", "制度建设,其中修订完善", 2), Count("rule_improvements.units", "制度建设,建立完善制度的被巡察单位", 2),
        Count("rule_improvements.by_scope[rule]", "制度建设,其中制度", 2), Count("rule_improvements.by_scope[process]", "制度建设,其中流程", 1),
        // The roster: 组长库 张组长 王副组长 李组长 赵工程; 人才库 周审计 孙纪检 赵工程.
        Count("pools.leader_pool", "组长库·人才库,组长库", 4), Count("pools.talent_pool", "组长库·人才库,人才库", 3),
        // Drawn: 张组长 王副组长 周审计 (第1轮), 李组长 孙纪检 (第2轮).
        Count("pools.drawn", "抽调巡察干部,抽调巡察干部", 5), Count("pools.drawn_by_role[leader]", "抽调巡察干部,其中组长", 2),
        Count("pools.drawn_by_role[deputy_leader]", "抽调巡察干部,其中副组长", 1), Count("pools.drawn_by_role[member]", "抽调巡察干部,其中组员", 2),
        Count("pools.drawn_by_role[liaison]", "抽调巡察干部,其中联络员", 0),
        Count("pools.leader_pool_by_rank[bureau_chief]", "组长库按职级,正局级", 0), Count("pools.leader_pool_by_rank[deputy_bureau_chief]", "组长库按职级,副局级", 0),
        Count("pools.leader_pool_by_rank[division_chief]", "组长库按职级,正处级", 2), Count("pools.leader_pool_by_rank[deputy_division_chief]", "组长库按职级,副处级", 1),
        Count("pools.leader_pool_by_rank[section_chief]", "组长库按职级,正科级", 0), Count("pools.leader_pool_by_rank[deputy_section_chief]", "组长库按职级,副科级", 1),
        Count("pools.leader_pool_by_rank[clerk]", "组长库按职级,科员", 0), Count("pools.leader_pool_by_rank[unranked]", "组长库按职级,未填写职级", 0),
        Count("pools.by_category[discipline]", "组长库·人才库按部门类别,纪检监察", 2), Count("pools.by_category[organisation]", "组长库·人才库按部门类别,组织人事", 1),
        Count("pools.by_category[procuratorate]", "组长库·人才库按部门类别,检察", 0), Count("pools.by_category[audit]", "组长库·人才库按部门类别,审计", 1),
        Count("pools.by_category[finance]", "组长库·人才库按部门类别,财务", 0), Count("pools.by_category[law]", "组长库·人才库按部门类别,法务", 0),
        Count("pools.by_category[engineering]", "组长库·人才库按部门类别,工程", 1), Count("pools.by_category[other]", "组长库·人才库按部门类别,其他", 1),
    ] + familyCounts + itemCounts

    /// Each family's count and its cells by disposition (the page prints every one of its 合计 row).
    static let familyCounts: [Count] = families.flatMap { family -> [Count] in
        [Count("findings.by_classification[\(family.code)]", nil, family.count)]
            + zip(dispositions, family.byDisposition).map { column, count -> Count in
                Count("findings.by_classification[\(family.code)].by_disposition[\(column.0)]", "\(family.title)问题按处置方式,合计：\(column.1),", count)
            }
    }

    /// The items' counts and their cells by disposition (the page prints an item's non-empty cells).
    static let itemCounts: [Count] = items.flatMap { item -> [Count] in
        let familyCount = families.first { $0.code == item.family }?.count ?? 0
        return [Count("findings.by_classification[\(item.family)].items[\(item.code)]", "按\(item.familyTitle)分类（\(familyCount)个）,\(item.title)", item.count)]
            + zip(dispositions, item.byDisposition).map { column, count -> Count in
                Count(
                    "findings.by_classification[\(item.family)].items_by_disposition[\(item.code)].by_disposition[\(column.0)]",
                    count > 0 ? "\(item.familyTitle)问题按处置方式,\(item.title)：\(column.1)" : nil, count)
            }
    }

    /// Shares: coverage 4 of 6; forms 1–2 (L1, L-01) of the 3 answers applying a form and of the 4 answered leads; 3 of 5 tasks closed.
    static let shares: [(String, Double)] = [
        ("coverage", 4.0 / 6), ("leads.forms_one_and_two_share", 2.0 / 3), ("leads.forms_one_and_two_share_of_answered", 2.0 / 4), ("rectification.rate", 3.0 / 5),
        // Days from the plan's approval to 销号: T1 06-10→08-20 71, T2 06-10→09-15 97, P-01 08-28→10-20 53.
        ("rectification.average_days_to_close", 221.0 / 3),
    ]

    /// Every line the dashboard and the export print for the known totals.
    static let printedLines: [String] =
        counts.compactMap { count in count.row.map { $0.hasSuffix(",") ? $0 + "\(count.value)" : $0 + ",\(count.value)" } } + [
            "巡察覆盖,覆盖率,66.7%", "问题线索,第一、二种形态占运用“四种形态”处理的比例,66.7%", "问题线索,第一、二种形态占已反馈线索的比例,50.0%",
            "整改任务,整改率,60.0%", "整改任务,平均销号天数,73.7", "组长库·人才库,十五届第1轮抽调人员,3", "组长库·人才库,十五届第2轮抽调人员,2",
        ]

    static let summaryText =
        "分3批次共巡察4个党组织（单位），占应巡察单位的66.7%，发现问题11个，其中立行立改3件（已完成2件）、列入问题清单5个，移交问题线索5条（纪委监委3条、组织部2条）。"
        + "按问题类别，违反六项纪律问题7个，其中四风问题3个、违规使用财政资金问题2个；三大问题1个。"
        + "已反馈办理结果的线索中，运用第一、二种形态处理的占50.0%，占运用“四种形态”处理的66.7%，逾期未反馈1条。"
        + "整改任务5项，已销号3项（其中逾期销号1项），整改率60.0%，正在整改2项（其中逾期2项），平均73.7天销号。"
        + "建立完善制度2项、流程1项，其中新建1项、修订完善2项。"
        + "下级党委2个，成立巡察工作领导小组1个、设立巡察机构1个，其中1个开展巡察1轮，派出巡察组1个。"

    static let summaryDetails = "派出巡察组3个（组次），其中一托二1个。抽调巡察干部5人（组长2人、副组长1人、组员2人）；组长库4人、人才库3人。2个被巡察单位建立完善制度。"

    /// By committee and by unit as of the year's end: (name, findings, 立行立改, 限期整改, leads transferred, tasks, closed, overdue).
    static let breakdownRows: [(by: String, name: String, cells: [Int])] = [
        ("committee", "江城市委", [11, 3, 5, 5, 5, 3, 2]), ("committee", "清河县委", [0, 0, 0, 0, 0, 0, 0]), ("committee", "青山县委", [0, 0, 0, 0, 0, 0, 0]),
        // A1–A6 (L1 transferred; L3 dismissed); T1 T2 closed, T3 overdue.
        ("unit", "市财政局", [6, 2, 3, 1, 3, 2, 1]),
        // B2 (L2 transferred; B1 not recognised).
        ("unit", "市教育局", [1, 0, 0, 1, 0, 0, 0]),
        // P-01 P-02 P-03 P-05; L-01 L-02 L-03; P-01 closed, P-05 overdue.
        ("unit", "市卫生健康委员会", [4, 1, 2, 3, 2, 1, 1]),
        ("unit", "市统计局", [0, 0, 0, 0, 0, 0, 0]), ("unit", "青山县人民医院", [0, 0, 0, 0, 0, 0, 0]),
    ]

    static func checkBreakdowns(_ client: any TestClientProtocol, token: String, page: String) async throws {
        let keys = ["findings", "immediate", "deadline", "leads_transferred", "tasks", "closed", "overdue"]
        for by in ["committee", "unit"] {
            let rows = try await client.api(.get, "/api/v1/statistics/breakdown?by=\(by)&\(yearEnd)", token: token).json()["rows"] as? [[String: Any]] ?? []
            for expected in breakdownRows where expected.by == by {
                let row = rows.first { $0["name"] as? String == expected.name }
                #expect(row.map { row in keys.map { row[$0] as? Int ?? -1 } } == expected.cells, "\(by) \(expected.name)")
            }
        }
        let unitCSV = try await client.api(.get, "/api/v1/statistics?format=csv&table=unit&\(yearEnd)", token: token).text
        for line in ["市财政局,6,2,3,1,3,2,1,66.7%", "市卫生健康委员会,4,1,2,3,2,1,1,50.0%", "市统计局,0,0,0,0,0,0,0,—"] {
            #expect(unitCSV.contains(line + "\r\n"), "\(line)")
        }
        #expect(page.contains(">青山县委</a></td>"), "the dashboard's 分党委 lists a county with zeros")
    }

    // MARK: Reading the figures

    /// The value at a dotted path of an answer: `leads.registered`; a labelled list's entry by its
    /// code, `leads.by_handling[pending]` (its count when the path ends there).
    static func value(_ body: Any?, at path: String) -> Any? {
        var current = body
        for part in path.split(separator: ".") {
            if let open = part.firstIndex(of: "[") {
                let list = (current as? [String: Any])?[String(part[..<open])] as? [[String: Any]]
                let code = part[part.index(after: open)..<part.index(before: part.endIndex)]
                current = list?.first { $0["code"] as? String == String(code) }
            } else {
                current = (current as? [String: Any])?[String(part)]
            }
        }
        if let labelled = current as? [String: Any], labelled["code"] != nil { return labelled["count"] }
        return current
    }

    /// An export's `类别,项目,数值` lines but the summary's.
    static func lines(_ csv: String) -> Set<String> {
        Set(csv.dropFirst().split(separator: "\r\n").dropFirst().map(String.init).filter { !$0.hasPrefix("年度综述") })
    }

    // MARK: The ledgers imported

    static let rosterHeader = "编号,姓名,单位,部门类别,职级,入库类别"
    static let roster = [
        "R1,张组长,市委组织部,组织人事,正处级,组长库", "R2,王副组长,市纪委监委,纪检监察,副处级,组长库", "R3,周审计,市审计局,审计,,人才库",
        "R4,孙纪检,市纪委监委,纪检监察,,人才库", "R5,李组长,市委巡察办,其他,正处级,组长库", "R6,赵工程,市住房和城乡建设局,工程,副科级,组长库、人才库",
    ]

    /// 第二巡察组's problems at 市卫生健康委员会, found 2025-08-20 … 08-28.
    static let problems = [
        "P-01,党组会议记录不全。会议记录缺少表决情况,市卫生健康委员会,十五届第2轮,第1批,第二巡察组,组织纪律,限期整改,,第一种形态,刘主任,办公室,陈科长,2025-10-31,已销号,2025-10-20,2025-08-20,,,",
        "P-02,违规公款吃喝。接待超标准,市卫生健康委员会,十五届第2轮,第1批,第二巡察组,违规吃喝,立行立改,,,,,,,已销号,2025-09-05,2025-08-20,,,",
        "P-03,为亲属承揽工程提供便利,市卫生健康委员会,十五届第2轮,第1批,第二巡察组,廉洁纪律,移交问题线索,,,,,,,,,2025-08-22,王某,本级管理,违纪",
        "P-04,反映食堂采购不规范,市卫生健康委员会,十五届第2轮,第1批,第二巡察组,工作纪律,不予认定,经核实不属实,,,,,,,,2025-08-25,,,",
        "P-05,设立“小金库”。以会议费名义套取资金,市卫生健康委员会,十五届第2轮,第1批,第二巡察组,设立“小金库”、廉洁纪律,限期整改,,,刘主任,财务科,周科长,2025-11-30,整改中,,2025-08-28,,,",
    ]

    static let leadRegister = [
        "L-01,违规报销差旅费,孙某,副主任,市卫生健康委员会,十五届第2轮,第1批,第二巡察组,专项检查、抽查,非本级管理,违纪,2025-08-20,派驻纪检监察组,,江巡移〔2025〕5号,2025-09-01,已销号,初步核实,第二种形态,1,党内警告,2025-10-20,2025-11-05,",
        "L-02,收受管理服务对象礼金,钱某,处长,市卫生健康委员会,十五届第2轮,第1批,第二巡察组,信访举报,本级管理,违纪,2025-08-22,纪委监委,,江巡移〔2025〕6号,2025-09-05,已办结,立案审查调查,第三种形态,1,留党察看,2025-11-20,,",
        "L-03,违规提拔亲属,吴某,科长,市卫生健康委员会,十五届第2轮,第1批,第二巡察组,个别谈话,本级管理,选人用人,2025-08-25,组织部,,江巡移〔2025〕7号,2025-09-10,已办结,予以了结,,,经核查问题不实,2025-12-01,,",
        "L-04,反映收受礼品,郑某,,市卫生健康委员会,十五届第2轮,第1批,第二巡察组,调阅资料,本级管理,违纪,2025-08-26,,,,,不作为线索,,,,,,,经研判不具备可查性",
    ]

    static let ruleHeader = "编号,制度名称,建立或完善,制度或流程,文号,印发日期,制定单位,主要内容,关联问题序号,关联立行立改编号"
    static let rules = [
        "RI-01,议事规则,建立,制度,财党〔2025〕8号,2025-09-01,市财政局,规范三重一大事项集体决策程序,1,",
        "RI-02,会议记录管理办法,完善,制度,,2025-10-10,市卫生健康委员会,规范党组会议记录,1,",
        "RI-03,财务审批流程,完善,流程,,2025-11-15,市卫生健康委员会,规范资金审批,2,",
        "RI-04,差旅报销流程,建立,流程,,2026-02-01,市财政局,规范差旅报销,2,",
    ]
}

/// The office's people at their desks, each with their API token, entering 2025 after the fact:
/// every step dated on its day with the reason.
private struct Desk {
    static let reason = "系统启用前补录"

    let client: any TestClientProtocol
    let office: String
    let leadingGroup: String
    let leader: String
    let member: String
    let head: String
    let contact: String
    let custodian: String
    let discipline: String
    let organisation: String

    init(_ store: Store, _ f: Fixture, _ client: any TestClientProtocol) async throws {
        self.client = client
        func token(_ role: Role) async throws -> String { try await f.signIn(store, role).token }
        (office, leadingGroup, leader, member) = (try await token(.officeStaff), try await token(.leadingGroupMember), try await token(.groupLeader), try await token(.groupMember))
        (head, contact, custodian) = (try await token(.unitHead), try await token(.unitContact), try await token(.leadCustodian))
        (discipline, organisation) = (try await token(.disciplineReceiver), try await token(.organisationReceiver))
    }

    // MARK: Requests

    /// Sends `json` (a POST unless told) and answers the body, requiring `status`.
    @discardableResult
    func post(
        _ uri: String, by token: String, _ json: String?, method: HTTPRequest.Method = .post, status: HTTPResponse.Status = .created
    ) async throws -> [String: Any] {
        let answer = try await client.api(method, uri, token: token, json: json)
        try #require(answer.status == status, "\(uri) \(json ?? ""): \(answer.text)")
        return try answer.json()
    }

    /// The record's version as its reader reads it (a round's is inside `round`, a task's inside `task`).
    func version(_ path: String, by token: String) async throws -> Int {
        let body = try await client.api(.get, path, token: token).json()
        let version = body["version"] ?? ["round", "task"].lazy.compactMap { (body[$0] as? [String: Any])?["version"] }.first
        return try #require(version as? Int, "\(path): \(body)")
    }

    /// Takes `step` on the record at `path`, dated `day` with the reason; `fields` are what the step carries (`, "note": …`).
    @discardableResult
    func take(_ path: String, _ step: String, by token: String, on day: String, _ fields: String = "") async throws -> [String: Any] {
        let version = try await version(path, by: token)
        return try await post(
            "\(path)/steps", by: token, #"{"step": "\#(step)", "version": \#(version), "occurred_on": "\#(day)", "backfill_reason": "\#(Self.reason)"\#(fields)}"#,
            status: .ok)
    }

    /// Takes each step in turn: (step, by whom, on which day, what it carries).
    func chain(_ path: String, _ steps: [(String, String, String, String)]) async throws {
        for (step, token, day, fields) in steps { try await take(path, step, by: token, on: day, fields) }
    }

    /// Imports a ledger (a CSV the test writes) through the import endpoint.
    func importLedger(_ kind: String, _ header: String, _ rows: [String], as token: String) async throws {
        let answer = try await LedgerImportWebTests.post(
            client, "/api/v1/imports/\(kind)?file_name=\(kind).csv", token: token, body: Data(([header] + rows).joined(separator: "\n").utf8), type: "text/csv")
        try #require(answer.status == .created, "\(kind): \(answer.text)")
        #expect(try answer.json()["created"] as? Int == rows.count, "\(kind)")
    }

    // MARK: The year

    /// Enters the year; answers the paths of L4, the lead left pending, and of A5, the paper whose
    /// 立行立改 was left proposed.
    func enterTheYear(_ store: Store, _ f: Fixture) async throws -> (pendingLead: String, proposedPaper: String) {
        var units = ["市财政局": f.cityUnit.id.text]
        for name in ["市教育局", "市卫生健康委员会", "市统计局"] {
            units[name] = try await store.createUnit(UnitDraft(name: name, type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: f.city.id, origin: Fixture.console).id.text
        }
        let settings = try await client.api(.get, "/api/v1/settings", token: office).json()
        try await post(
            "/api/v1/settings", by: office, #"{"report_chain": [{"name": "常委会", "role": "office_staff"}], "version": \#(settings["version"] as? Int ?? 0)}"#, method: .put,
            status: .ok)

        // The pools from the roster, the group's cadres linked to their accounts.
        try await importLedger("pool_roster", PastYearHTTPTests.rosterHeader, PastYearHTTPTests.roster, as: office)
        let listed = try await client.api(.get, "/api/v1/inspectors?limit=50", token: office).json()["items"] as? [[String: Any]] ?? []
        let pool = Dictionary(uniqueKeysWithValues: listed.compactMap { row in (row["name"] as? String).flatMap { name in (row["id"] as? String).map { (name, $0) } } })
        for (name, unit, category, pools, role) in [
            ("张组长", "市委组织部", "organisation", #""rank": "正处级", "in_leader_pool": true"#, Role.groupLeader),
            ("周审计", "市审计局", "audit", #""in_talent_pool": true"#, Role.groupMember),
        ] {
            let id = try #require(pool[name])
            let version = try await version("/api/v1/inspectors/\(id)", by: office)
            let linked = try await client.api(
                .patch, "/api/v1/inspectors/\(id)", token: office,
                json: #"{"name": "\#(name)", "home_unit_name": "\#(unit)", "category": "\#(category)", \#(pools), "version": \#(version), "account_username": "\#(f.users[role]!.username)"}"#)
            try #require(linked.status == .ok, "\(linked.text)")
        }

        // 十五届第1轮: 第一巡察组 一托二 at 市财政局 and 市教育局.
        let first = try await round(
            by: office, leadingGroup: leadingGroup, sequence: 1, kind: "routine", planned: ("2025-03-01", "2025-06-30"), batch: ("2025-03-10", "2025-04-30"),
            approved: ("2025-02-10", "2025-02-14", "2025-02-20"),
            groups: [("第一巡察组", [units["市财政局"]!, units["市教育局"]!], [(pool["张组长"]!, "leader"), (pool["王副组长"]!, "deputy_leader"), (pool["周审计"]!, "member")])],
            entered: "2025-03-10")
        for token in [leader, member] { try await post("/api/v1/rounds/\(first.round)/pledge", by: token, nil) }
        let finance = try #require(first.assignments[units["市财政局"]!])
        let education = try #require(first.assignments[units["市教育局"]!])
        let (papers, pending) = try await fieldwork(finance: finance, education: education)
        try await rectification(at: finance, papers: papers)

        // 十五届第2轮 (专项): 第二巡察组 at 市卫生健康委员会; its ledgers come in by import.
        _ = try await round(
            by: office, leadingGroup: leadingGroup, sequence: 2, kind: "special", planned: ("2025-08-01", "2025-10-31"), batch: ("2025-08-10", "2025-09-30"),
            approved: ("2025-07-10", "2025-07-15", "2025-07-20"),
            groups: [("第二巡察组", [units["市卫生健康委员会"]!], [(pool["李组长"]!, "leader"), (pool["孙纪检"]!, "member")])], entered: "2025-08-10")
        try await importLedger("problem_list", LedgerSamples.problemListHeader, PastYearHTTPTests.problems, as: office)
        try await importLedger("lead_register", LedgerSamples.leadRegisterHeader, PastYearHTTPTests.leadRegister, as: custodian)
        try await importLedger("rule_improvements", PastYearHTTPTests.ruleHeader, PastYearHTTPTests.rules, as: office)

        try await county(store, f)
        return (pending, "/api/v1/findings/\(try #require(papers["A5"]?["id"] as? String))")
    }

    /// A round drafted, approved on the given days (submitted, by the leading group, by the
    /// committee), staffed with `groups` (name, units, members and roles) and, when `entered`
    /// names a day, entered on it. Answers the round and its assignments by unit.
    func round(
        by office: String, leadingGroup: String, sequence: Int, kind: String, planned: (String, String), batch: (String, String), approved: (String, String, String),
        groups: [(String, [String], [(String, String)])], entered: String?
    ) async throws -> (round: String, assignments: [String: String]) {
        let created = try await post(
            "/api/v1/rounds", by: office,
            #"{"term": "十五届", "sequence": \#(sequence), "kind": "\#(kind)", "planned_start": "\#(planned.0)", "planned_end": "\#(planned.1)"}"#)
        let round = try #require(created["id"] as? String)
        let added = try await post("/api/v1/rounds/\(round)/batches", by: office, #"{"entry_date": "\#(batch.0)", "exit_date": "\#(batch.1)"}"#)
        let batchID = try #require(added["id"] as? String)
        let path = "/api/v1/rounds/\(round)"
        try await chain(path, [
            ("submit_for_review", office, approved.0, ""), ("approve", leadingGroup, approved.1, ""),
            ("record_committee_approval", office, approved.2, #", "note": "江委〔2025〕\#(sequence)号""#),
        ])
        let plans = groups.map { name, units, members in
            #"{"name": "\#(name)", "unit_ids": [\#(units.map { "\"\($0)\"" }.joined(separator: ", "))], "members": [\#(members.map { #"{"inspector_id": "\#($0.0)", "role": "\#($0.1)"}"# }.joined(separator: ", "))]}"#
        }
        let accepted = try await post("\(path)/proposal/accept", by: office, #"{"batch_id": "\#(batchID)", "groups": [\#(plans.joined(separator: ", "))]}"#)
        var assignments: [String: String] = [:]
        for group in accepted["items"] as? [[String: Any]] ?? [] {
            for assignment in group["assignments"] as? [[String: Any]] ?? [] {
                if let unit = assignment["unit_id"] as? String, let id = assignment["id"] as? String { assignments[unit] = id }
            }
        }
        if let entered {
            try await chain(path, [("start_preparing", office, entered, ""), ("mobilise", office, entered, ""), ("enter", office, entered, "")])
        }
        return (round, assignments)
    }

    /// 第一巡察组's papers (see `PastYearHTTPTests.families`), drafted by the member, submitted
    /// 2025-03-20, approved 03-25 and triaged 04-10 by the leader, and their leads; answers the
    /// papers by key and the path of L4, left pending.
    func fieldwork(finance: String, education: String) async throws -> (papers: [String: [String: Any]], pending: String) {
        func tags(_ pairs: [(String, String)]) -> String { "[" + pairs.map { #"{"scheme": "\#($0.0)", "version": 1, "entry": "\#($0.1)"}"# }.joined(separator: ", ") + "]" }
        let lead: (String, String, String) -> String = { person, authority, subject in
            #", "lead": {"person_name": "\#(person)", "authority": "\#(authority)", "subject": "\#(subject)", "content": "反映其利用职务便利谋利"}"#
        }
        let papers: [(key: String, at: String, title: String, tags: [(String, String)], triage: String)] = [
            ("A1", finance, "三重一大事项未经集体决策", [("three_important_one_large", "major_decisions"), ("six_disciplines", "organisational")], #""disposition": "限期整改""#),
            ("A2", finance, "违规公款吃喝", [("four_winds", "banqueting"), ("six_disciplines", "integrity")], #""disposition": "限期整改""#),
            ("A3", finance, "工程项目招标不规范", [("three_important_one_large", "major_projects")], #""disposition": "限期整改""#),
            ("A4", finance, "违规发放津补贴", [("four_winds", "allowances"), ("six_disciplines", "integrity")], #""disposition": "立行立改""#),
            ("A5", finance, "公务用车超标准配备", [("fiscal_funds", "over_standard_spending")], #""disposition": "立行立改""#),
            ("A6", finance, "为亲属承揽工程提供便利", [("six_disciplines", "integrity"), ("four_forms", "second")], #""disposition": "移交问题线索""# + lead("李某", "committee", "discipline")),
            ("B1", education, "反映食堂采购不规范", [("six_disciplines", "work")], #""disposition": "不予认定", "note": "经核实不属实""#),
            ("B2", education, "选人用人程序不规范", [("cadre_selection", "procedure_violations"), ("three_major", "party_building_missing"), ("four_forms", "first")],
             #""disposition": "移交问题线索""# + lead("张某", "committee", "personnel")),
        ]
        var done: [String: [String: Any]] = [:]
        for paper in papers {
            let drafted = try await post(
                "/api/v1/assignments/\(paper.at)/findings", by: member,
                #"{"title": "\#(paper.title)", "manifestation": "……", "basis": "……", "tags": \#(tags(paper.tags))}"#)
            let path = "/api/v1/findings/\(try #require(drafted["id"] as? String))"
            try await chain(path, [("submit", member, "2025-03-20", ""), ("approve", leader, "2025-03-25", #", "note": "同意""#)])
            let version = try await version(path, by: leader)
            done[paper.key] = try await post(
                "\(path)/triage", by: leader, #"{\#(paper.triage), "version": \#(version), "occurred_on": "2025-04-10", "backfill_reason": "\#(Self.reason)"}"#, status: .ok)
        }

        // A4's 立行立改: agreed, issued, signed for, reported and verified in April; A5's left proposed.
        let notice = "/api/v1/immediate-rectifications/\(try #require(done["A4"]?["immediate_id"] as? String))"
        try await chain(notice, [
            ("approve", leadingGroup, "2025-04-12", ""), ("issue", leader, "2025-04-13", #", "problem": "违规发放津补贴", "requirement": "立即停止发放并清退", "deadline": "2025-04-30""#),
            ("sign", head, "2025-04-14", ""), ("report", contact, "2025-04-25", #", "measures": "已停止发放并全部清退""#), ("verify", leader, "2025-04-28", ""),
        ])

        // The leads: L1 answered 第一种形态 and closed; L2 transferred to 组织部 in May and answered only in 2026.
        let handOver: (String, String) -> [(String, String, String, String)] = { receiver, day in
            [
                ("screen", leader, "2025-04-12", #", "note": "具体可查""#), ("propose", leader, "2025-04-12", #", "note": "建议移交""#), ("approve", leadingGroup, "2025-04-15", ""),
                ("transfer", custodian, day, #", "receiver": "\#(receiver)", "transfer_sheet": "江巡移〔2025〕\#(day.suffix(2))号""#),
            ]
        }
        let l1 = "/api/v1/leads/\(try #require(done["A6"]?["lead_id"] as? String))"
        try await chain(l1, handOver("discipline", "2025-04-20") + [
            ("receive", discipline, "2025-04-25", ""),
            ("answer", discipline, "2025-07-15", #", "disposition": {"method": "talk_or_letter", "form": 1, "people_count": 1, "result": "诫勉谈话"}"#),
            ("close", custodian, "2025-08-01", ""),
        ])
        let l2 = "/api/v1/leads/\(try #require(done["B2"]?["lead_id"] as? String))"
        try await chain(l2, handOver("organisation", "2025-05-10") + [
            ("receive", organisation, "2026-01-10", ""),
            ("answer", organisation, "2026-02-20", #", "disposition": {"method": "organisational_handling", "form": 2, "people_count": 1, "result": "调整职务"}"#),
        ])

        // L3 registered by the member and dismissed; L4 registered and screened only.
        var registered: [String] = []
        for (at, person, source, authority, subject, day, steps) in [
            (finance, "赵某", "petition", "none", "other", "2025-04-05", [("dismiss", leader, "2025-04-12", #", "note": "不具备可查性""#)]),
            (education, "钱某", "interview", "lower", "discipline", "2025-04-08", [("screen", leader, "2025-04-15", #", "note": "待核""#)]),
        ] {
            let lead = try await post(
                "/api/v1/assignments/\(at)/leads", by: member,
                #"{"source": "\#(source)", "person_name": "\#(person)", "authority": "\#(authority)", "subject": "\#(subject)", "content": "反映其违规问题", "occurred_on": "\#(day)", "backfill_reason": "\#(Self.reason)"}"#)
            registered.append("/api/v1/leads/\(try #require(lead["id"] as? String))")
            try await chain(registered.last!, steps)
        }
        return (done, registered[1])
    }

    /// 市财政局's report, feedback (2025-05-20) and plan (approved 06-10) with a task for each 限期整改
    /// paper: A1's due 08-31 closed 08-20, A2's due 07-31 closed 09-15, A3's due 10-31 closed 2026-03-10.
    func rectification(at finance: String, papers: [String: [String: Any]]) async throws {
        let ids = try ["A1", "A2", "A3", "A4", "A5", "A6"].map { try #require(papers[$0]?["id"] as? String) }
        let report = try await post(
            "/api/v1/assignments/\(finance)/reports", by: leader,
            #"{"kind": "inspection", "title": "巡察报告", "body": "……", "finding_ids": [\#(ids.map { "\"\($0)\"" }.joined(separator: ", "))]}"#)
        try await chain("/api/v1/reports/\(try #require(report["id"] as? String))", [("submit", leader, "2025-05-05", ""), ("approve", office, "2025-05-10", "")])
        let feedback = try await post(
            "/api/v1/assignments/\(finance)/feedback", by: office,
            #"{"number": "江巡反〔2025〕1号", "title": "反馈意见", "main_recipient": "市财政局党组", "body": "……", "plan_due": "2025-06-20", "report_due": "2025-08-20"}"#)
        let feedbackID = try #require(feedback["id"] as? String)
        try await take("/api/v1/feedback/\(feedbackID)", "issue", by: office, on: "2025-05-20")
        let problems = Dictionary(
            uniqueKeysWithValues: (feedback["problems"] as? [[String: Any]] ?? []).compactMap { p in (p["finding_id"] as? String).flatMap { f in (p["id"] as? String).map { (f, $0) } } })

        let plan = try await post("/api/v1/feedback/\(feedbackID)/rectification-plan", by: contact, #"{"title": "整改方案", "meeting": "党组会议专题研究"}"#)
        let planPath = "/api/v1/rectification-plans/\(try #require(plan["id"] as? String))"
        let deadlines = [("A1", "2025-08-31"), ("A2", "2025-07-31"), ("A3", "2025-10-31")]
        for (key, deadline) in deadlines {
            let paper = try #require(papers[key]?["id"] as? String)
            let problem = try #require(problems[paper], "\(key) is on the feedback's list")
            let planVersion = try await version(planPath, by: contact)
            try await post(
                "\(planPath)/tasks", by: contact,
                #"{"problem_id": "\#(problem)", "target": "整改到位", "measures": "建章立制", "deadline": "\#(deadline)", "leader": "张局长", "department": "办公室", "cadre": "李科长", "plan_version": \#(planVersion)}"#)
        }
        try await chain(planPath, [("endorse", head, "2025-06-05", ""), ("approve", office, "2025-06-10", "")])
        let tasks = try await client.api(.get, planPath, token: office).json()["tasks"] as? [[String: Any]] ?? []
        for (key, closure) in [("A1", ("2025-08-15", "2025-08-20")), ("A2", ("2025-09-10", "2025-09-15")), ("A3", ("2026-03-01", "2026-03-10"))] {
            let paper = try #require(papers[key]?["id"] as? String)
            let problem = problems[paper]
            let task = try #require(tasks.first { $0["problem_id"] as? String == problem }?["id"] as? String, "\(key)'s task")
            let evidence = try await client.execute(
                uri: "/api/v1/rectification-tasks/\(task)/attachments?filename=evidence.pdf", method: .post,
                headers: [.authorization: "Bearer \(contact)", .contentType: "application/octet-stream"], body: ByteBuffer(string: "%PDF-1.4 整改材料"))
            try #require(evidence.status == .created, "\(String(buffer: evidence.body))")
            try await chain("/api/v1/rectification-tasks/\(task)", [
                ("request_closure", contact, closure.0, #", "note": "已整改到位""#), ("close", leader, closure.1, ""),
            ])
        }
    }

    /// 清河县委 records its leading group and office and runs one 专项 round, one group (nobody
    /// drawn yet) at 清河县水利局, approved in March 2025; 青山县委 records nothing.
    func county(_ store: Store, _ f: Fixture) async throws {
        func account(_ role: Role, _ username: String) async throws -> String {
            let issued = try await store.createUser(
                UserDraft(username: username, displayName: username, jurisdictionID: f.countyA.id, roles: try RoleSet([role], unitGiven: false), unitID: nil),
                origin: Fixture.console)
            try await f.settle(store)
            return try await store.signIn(username: username, password: issued.oneTimePassword, kind: .api, clientAddress: "127.0.0.1").token
        }
        let (countyOffice, countyGroup) = (try await account(.officeStaff, "qinghe.office2"), try await account(.leadingGroupMember, "qinghe.leading"))
        let settings = try await client.api(.get, "/api/v1/settings", token: countyOffice).json()
        try await post(
            "/api/v1/settings", by: countyOffice, #"{"has_leading_group": true, "has_office": true, "version": \#(settings["version"] as? Int ?? 0)}"#,
            method: .put, status: .ok)
        _ = try await round(
            by: countyOffice, leadingGroup: countyGroup, sequence: 1, kind: "special", planned: ("2025-04-01", "2025-06-30"), batch: ("2025-04-10", "2025-05-10"),
            approved: ("2025-03-10", "2025-03-15", "2025-03-20"), groups: [("第一巡察组", [f.countyAUnit.id.text], [])], entered: nil)
    }
}
