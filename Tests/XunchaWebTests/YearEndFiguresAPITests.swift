import Foundation
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 统计 API: the year-end report's further figures as labelled lists, on the dashboard, in the
/// export and in the summary.
@Suite("统计 API: 年终报告的各项数字")
struct YearEndFiguresAPITests {
    @Test(arguments: TestEngine.available)
    func everyFurtherFigureIsALabelledListInTheAPIAndARowOfThePageAndTheExport(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await RectificationAPITests.issuedFeedback(store, f, client)
            let office = try await f.signIn(store, .officeStaff).token
            let body = try await client.api(.get, "/api/v1/statistics?roll_up=true", token: office).json()

            func labelled(_ value: Any?) -> [(code: String, title: String, count: Int)]? {
                (value as? [[String: Any]])?.compactMap { item in
                    guard let code = item["code"] as? String, let title = item["title"] as? String, let count = item["count"] as? Int else { return nil }
                    return (code, title, count)
                }
            }
            // 问题类别 × 处置方式: the feedback's one problem, 限期整改, tagged 三重一大.
            let family = try #require(((body["findings"] as? [String: Any])?["by_classification"] as? [[String: Any]])?.first)
            #expect(labelled(family["by_disposition"])?.map(\.count) == [0, 1, 0, 0, 0])
            #expect(labelled(family["by_disposition"])?.map(\.code) == ["immediate", "deadline", "lead", "not_recognised", "untriaged"])
            let item = try #require((family["items_by_disposition"] as? [[String: Any]])?.first)
            #expect(item["code"] as? String == "large_funds" && labelled(item["by_disposition"])?.map(\.count) == [0, 1, 0, 0, 0])

            let leads = try #require(body["leads"] as? [String: Any])
            #expect(labelled(leads["by_handling"])?.map(\.code) == LeadHandling.allCases.map(\.rawValue))
            #expect(labelled(leads["by_handling"])?.map(\.count).reduce(0, +) == 0)
            let forms = try #require(leads["by_form_and_method"] as? [[String: Any]])
            #expect(forms.map { $0["code"] as? String } == ["1", "2", "3", "4", "none"])
            #expect(labelled(forms.first?["by_method"])?.count == DispositionMethod.allCases.count)
            #expect(leads.keys.contains("forms_one_and_two_share_of_answered"))

            let tasks = try #require(body["rectification"] as? [String: Any])
            #expect(tasks["closed_on_time"] as? Int == 0 && tasks["closed_late"] as? Int == 0)
            #expect((body["rule_improvements"] as? [String: Any])?["units"] as? Int == 0)
            let pools = try #require(body["pools"] as? [String: Any])
            #expect(labelled(pools["drawn_by_role"])?.map(\.title) == ["组长", "副组长", "组员", "联络员"])
            #expect(labelled(pools["leader_pool_by_rank"])?.last?.code == "unranked")
            #expect(labelled(pools["by_category"])?.count == DepartmentCategory.allCases.count)
            #expect(pools["drawn"] is Int)
            #expect(body["group_rounds"] is Int)
            #expect(labelled(body["groups_by_load"])?.prefix(3).map(\.title) == ["一托一", "一托二", "一托三"])
            let lower = try #require(body["lower_committees"] as? [String: Any], "a roll-up counts the lower committees")
            #expect(lower["committees"] as? Int == 2)
            #expect(labelled(lower["rounds_by_kind"])?.count == RoundKind.allCases.count)
            #expect(try await client.api(.get, "/api/v1/statistics", token: office).json()["lower_committees"] is NSNull, "only a roll-up")

            // The summary's details, and the page and the export print the two run together.
            let summary = try await client.api(.get, "/api/v1/statistics/summary?roll_up=true", token: office).json()
            let text = try #require(summary["text"] as? String)
            #expect(text.contains("下级党委2个"))
            let printed = text + ((summary["details"] as? String) ?? "")
            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/statistics?roll_up=true", session: session)
            #expect(page.text.contains(#"<p id="summary-text">"# + printed + "</p>"))
            for heading in ["线索办理情况", "线索按问题性质", "线索按干部管理权限", "三重一大问题按处置方式", "下级党委巡察工作", "组长库按职级", "组长库·人才库按部门类别"] {
                #expect(page.text.contains("<h2>\(heading)</h2>"), "\(heading)")
            }
            let csv = try await client.api(.get, "/api/v1/statistics?format=csv&roll_up=true", token: office).text
            for line in ["整改任务,按期销号,0", "整改任务,逾期销号,0", "发现问题,立行立改已完成,0", "线索办理情况,已反馈,0", "三重一大问题按处置方式,合计：限期整改,1", "下级党委巡察工作,下级党委,2"] {
                #expect(csv.contains(line + "\r\n"), "\(line)")
            }
            #expect(csv.contains("年度综述,," + printed))
            let exported = Set(csv.dropFirst().split(separator: "\r\n").dropFirst().map(String.init).filter { !$0.hasPrefix("年度综述") })
            #expect(exported == StatisticsAPITests.figures(onPage: page.text), "the export says what the page says")

            // Breakdowns list the committees and units with nothing to count.
            let committees = try await client.api(.get, "/api/v1/statistics/breakdown?by=committee&roll_up=true", token: office).json()
            #expect((committees["rows"] as? [[String: Any]])?.count == 3, "the city and both counties")
            #expect(page.text.contains(">清河县委</a></td>"), "the dashboard's 分党委 lists a county with zeros")
        }
    }
}
