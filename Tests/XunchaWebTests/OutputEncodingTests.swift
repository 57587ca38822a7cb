import Foundation
import HummingbirdTesting
import SQLKit
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// Text the office types (classification titles, unit names) reaches pages as text, never as
/// markup: in elements, in attributes and in the SVG the server draws by hand.
@Suite("Output encoding")
struct OutputEncodingTests {
    static let hostile = #"<script>alert(1)</script>"><img src=x onerror=alert(2)>'"#

    @Test func aChartEscapesItsTitleLabelsAndLinksForEveryContext() {
        let chart = BarChart(
            title: Self.hostile, bars: [.init(label: Self.hostile, value: 3, href: "/statistics/records?measure=x\"onmouseover='alert(3)'")])
        let svg = chart.svg
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<img"))
        #expect(!svg.contains("\"onmouseover"), "a quote cannot end the href attribute")
        #expect(!svg.contains("'alert"), "nor a single quote an attribute")
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;"))
    }

    @Test func aLedgerRowEscapesItsTextLinkBadgeAndClass() {
        let cell = LedgerGrid.Cell(text: Self.hostile, href: "/units?q=" + Self.hostile, badge: Self.hostile, style: Self.hostile)
        let html = LedgerGrid.markup([[cell, .plain("整改中")]])

        #expect(!html.contains("<script") && !html.contains("<img"))
        #expect(html.hasPrefix(#"<tr><td class="&lt;script&gt;"#))
        #expect(html.contains(#"<a href="/units?q=&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;">"#))
        #expect(html.hasSuffix("</span></a></td><td>整改中</td></tr>"))
    }

    @Test func aListLinkEncodesEveryReservedCharacterOfItsValues() {
        let link = ListLink.make("/findings", ["q": #"a&b=c+d#e"'<"#])
        #expect(link == "/findings?q=a%26b%3Dc%2Bd%23e%22%27%3C")
    }

    @Test(arguments: TestEngine.available)
    func hostileClassificationTitlesAndUnitNamesReachTheDashboardAsText(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await RectificationAPITests.issuedFeedback(store, f, client)
            try await store.database.transaction { db in
                try await db.raw("UPDATE classification_schemes SET title = \(bind: Self.hostile) WHERE code = 'three_important_one_large'").run()
                try await db.raw("UPDATE units SET name = \(bind: "市财政局" + Self.hostile) WHERE id = \(bind: f.cityUnit.id.text)").run()
            }
            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let dashboard = try await client.page(.get, "/statistics", session: session)
            #expect(dashboard.status == .ok)
            let html = dashboard.text
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile text is shown, as text")
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("<img src=x"))
            #expect(!html.contains("onerror=alert(2)>'"), "no attribute is closed early")
            let records = try await client.page(.get, "/statistics/records?measure=findings.total", session: session)
            #expect(records.status == .ok)
            #expect(!records.text.contains("<script>alert") && !records.text.contains("<img src=x"))
        }
    }
}
