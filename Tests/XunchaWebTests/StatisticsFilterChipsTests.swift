import Foundation
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 筛选条件: the dashboard names every filter in force, each removable, so a page narrowed to one
/// unit (a breakdown's row) says so rather than showing 全部 while counting one unit.
@Suite("统计看板的筛选条件")
struct StatisticsFilterChipsTests {
    @Test(arguments: TestEngine.available)
    func aDashboardNarrowedToOneUnitNamesItAndEachFilterCanBeRemoved(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await RectificationAPITests.issuedFeedback(store, f, client)
            let unit = f.cityUnit
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/statistics?as_of=2026-12-01&unit_id=\(unit.id.text)", session: office).text
            #expect(page.contains(#"<option value="\#(unit.id.text)" selected>\#(unit.name)</option>"#), "the unit chosen is the one shown")
            #expect(page.contains(#"<span class="chip">被巡察单位 \#(unit.name) <a href="/statistics?as_of=2026-12-01""#))
            #expect(page.contains(#"<span class="chip">数据截至 2026-12-01 <a href="/statistics?unit_id=\#(unit.id.text)""#))

            let plain = try await client.page(.get, "/statistics", session: office).text
            #expect(!plain.contains("statistics-chips"), "no filter, no chips")
        }
    }
}
