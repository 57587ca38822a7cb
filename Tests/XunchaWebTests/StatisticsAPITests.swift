import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 统计 API: the figures and the summary as JSON, under the caller's scope.
@Suite("统计 API")
struct StatisticsAPITests {
    @Test(arguments: TestEngine.available)
    func theFiguresAndTheSummaryFollowTheCallersScope(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await RectificationAPITests.issuedFeedback(store, f, client)
            let office = try await f.signIn(store, .officeStaff).token
            let head = try await f.signIn(store, .unitHead).token

            let figures = try await client.api(.get, "/api/v1/statistics?roll_up=true", token: office)
            #expect(figures.status == .ok)
            let body = try figures.json()
            #expect((body["findings"] as? [String: Any])?["deadline"] as? Int == 1)
            #expect(body["units_registered"] as? Int == 3, "the city's unit and one in each county")
            #expect(try await client.api(.get, "/api/v1/statistics", token: office).json()["units_registered"] as? Int == 1, "the city alone")
            let family = try #require(((body["findings"] as? [String: Any])?["by_classification"] as? [[String: Any]])?.first)
            #expect(family["code"] as? String == "three_important_one_large")

            let summary = try await client.api(.get, "/api/v1/statistics/summary", token: office)
            #expect((try summary.json()["text"] as? String)?.contains("发现问题1个，其中列入问题清单1个") == true)

            let unit = try await client.api(.get, "/api/v1/statistics", token: head).json()
            #expect(unit["findings"] == nil && unit["leads"] == nil, "a unit gets no finding or lead count")
            #expect(unit["rectification"] != nil)

            #expect(try await client.api(.get, "/api/v1/statistics?from=2026-12-31&to=2026-01-01", token: office).errorCode == "invalid_period")
            #expect(try await client.api(.get, "/api/v1/statistics?roll_up=perhaps", token: office).errorCode == "invalid_roll_up")
            #expect(try await client.api(.get, "/api/v1/statistics?jurisdiction_id=\(f.countyA.id.text)", token: f.signIn(store, .groupMember).token).status == .notFound)
            #expect(try await client.api(.get, "/api/v1/statistics", token: f.signIn(store, .leadCustodian).token).status == .forbidden)
        }
    }

    @Test(arguments: TestEngine.available)
    func theStatisticsPageShowsTheSummaryAndOnlyTheReadersTables(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await RectificationAPITests.issuedFeedback(store, f, client)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/statistics?roll_up=true", session: office)
            #expect(page.status == .ok)
            #expect(page.text.contains("发现问题1个，其中列入问题清单1个"))
            #expect(page.text.contains("问题线索") && page.text.contains("汇总下级党委"))
            #expect(try await client.page(.get, "/", session: office).text.contains("href=\"/statistics\""))

            let head = try await f.signIn(store, .unitHead, kind: .web)
            let unit = try await client.page(.get, "/statistics", session: head)
            #expect(unit.status == .ok)
            #expect(unit.text.contains("整改任务"))
            #expect(!unit.text.contains("<h2>问题线索</h2>") && !unit.text.contains("<h2>发现问题</h2>"))
            let custodian = try await f.signIn(store, .leadCustodian, kind: .web)
            #expect(!(try await client.page(.get, "/", session: custodian).text.contains("href=\"/statistics\"")))
            #expect(try await client.page(.get, "/statistics", session: custodian).status == .forbidden)
        }
    }
}
