import Foundation
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// What every page shares: the icon a browser tab shows, and a menu in the order of the work.
@Suite("页面框架：图标与菜单")
struct SiteChromeTests {
    @Test(arguments: TestEngine.available)
    func everyPageNamesTheIconAndTheBrowsersOwnRequestFindsIt(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let login = try await client.page(.get, "/login", session: nil)
            #expect(login.text.contains(#"<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">"#))
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            #expect(try await client.page(.get, "/", session: office).text.contains(#"href="/static/favicon.svg""#))
            let asked = try await client.page(.get, "/favicon.ico", session: nil)
            #expect(asked.status == .movedPermanently)
            #expect(asked.headers[.location] == "/static/favicon.svg")
            let icon = try await client.page(.get, "/static/favicon.svg", session: nil)
            #expect(icon.status == .ok)
            #expect(icon.text.hasPrefix("<svg"))
        }
    }

    @Test(arguments: TestEngine.available)
    func everyPageSaysWhereItLiesInTheMenu(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let ledger = try await client.page(.get, "/ledger", session: office).text
            #expect(
                ledger.contains(#"<nav class="breadcrumbs no-print" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li>整改</li><li>整改台账</li></ol></nav>"#),
                "the entry itself is the last step, unlinked")
            let unit = try await client.page(.get, "/units/\(f.cityUnit.id.text)", session: office).text
            #expect(unit.contains(#"<li>名录与设置</li><li><a href="/units">被巡察单位</a></li><li>"#), "a record lies under its register")
            #expect(!(try await client.page(.get, "/", session: office).text.contains("breadcrumbs")), "the home page needs none")
        }
    }

    @Test(arguments: TestEngine.available)
    func anErrorPageSaysWhatWentWrongInWordsNotCodes(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let missing = try await client.page(.get, "/findings/\(UUID().uuidString.lowercased())", session: office)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("未找到：记录可能不存在，或不在您的查看范围内。"))
            #expect(missing.text.contains(#"data-code="not_found""#), "support still finds the code in the markup")
            #expect(!missing.text.contains("错误代码") && !missing.text.contains(">not_found") && !missing.text.contains("（404）"))
        }
    }

    @Test(arguments: TestEngine.available)
    func statisticsCommonProblemsAndThematicReportsHaveAMenuGroupOfTheirOwn(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/", session: office).text
            let group = try #require(page.range(of: "<summary>统计分析</summary>"))
            let menu = page[group.upperBound...].prefix(600)
            for link in ["/statistics", "/systemic-problems", "/thematic-reports"] {
                #expect(menu.contains(#"href="\#(link)""#), "\(link)")
            }
            let registers = try #require(page.range(of: "<summary>名录与设置</summary>"))
            #expect(!page[registers.upperBound...].prefix(800).contains(#"href="/statistics""#))
        }
    }
}
