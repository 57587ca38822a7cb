import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 常设巡察组 over HTTP: the list, one group's rounds, and its figures as a filter and a breakdown.
@Suite("常设巡察组 API 与页面")
struct StandingGroupHTTPTests {
    @Test(arguments: TestEngine.available)
    func aStandingGroupIsListedWithItsRoundsAndCountedOnTheDashboard(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let t = try await Scenario.onSite(store, f)
            _ = try await t.atFinance.triagedPaper(store, as: .deadline)
            let first = t.staffed.first.standingGroupID.text
            let office = try await f.signIn(store, .officeStaff).token

            let listed = try await client.api(.get, "/api/v1/standing-groups", token: office)
            #expect(listed.status == .ok)
            let items = try #require(try listed.json()["items"] as? [[String: Any]])
            #expect(items.map { $0["name"] as? String } == ["第一巡察组", "第二巡察组"])
            #expect(items.first?["rounds"] as? Int == 1)
            #expect(items.first?["latest_round_id"] as? String == t.round.id.text)

            let one = try await client.api(.get, "/api/v1/standing-groups/\(first)", token: office).json()
            let term = try #require((one["terms"] as? [[String: Any]])?.first)
            #expect(term["round_id"] as? String == t.round.id.text)
            let group = try #require(term["group"] as? [String: Any])
            #expect(group["standing_group_id"] as? String == first)
            #expect((group["members"] as? [[String: Any]])?.count == 2)

            let figures = try await client.api(.get, "/api/v1/statistics?standing_group_id=\(first)", token: office).json()
            #expect((figures["findings"] as? [String: Any])?["total"] as? Int == 1)
            let breakdown = try await client.api(.get, "/api/v1/statistics/breakdown?by=group", token: office).json()
            let row = try #require((breakdown["rows"] as? [[String: Any]])?.first)
            #expect(row["name"] as? String == "第一巡察组")
            #expect(row["units_inspected"] as? Int == 2)
            #expect(try await client.api(.get, "/api/v1/statistics/breakdown?by=team", token: office).errorCode == "unknown_breakdown")
            #expect(try await client.api(.get, "/api/v1/statistics?standing_group_id=nonsense", token: office).status == .badRequest)

            let head = try await f.signIn(store, .unitHead).token
            #expect(try await client.api(.get, "/api/v1/standing-groups", token: head).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/standing-groups/\(first)", token: head).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/standing-groups/\(UUID().text)", token: office).status == .notFound)

            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/standing-groups", session: session)
            #expect(page.status == .ok)
            #expect(page.text.contains("href=\"/standing-groups/\(first)\""))
            #expect(page.text.contains("本年统计"))
            let detail = try await client.page(.get, "/standing-groups/\(first)", session: session)
            #expect(detail.text.contains("组长 张组长") && detail.text.contains("市财政局"))
            let dashboard = try await client.page(.get, "/statistics", session: session)
            #expect(dashboard.text.contains("分巡察组统计"))
            #expect(dashboard.text.contains("standing_group_id=\(first)"))
        }
    }
}
