import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// Printing (issue 16 point 3): a document page carries, for paper only, its 发文字号, title, 主送,
/// 落款 and 成文日期; a register carries its title line with the as-of day, 制表单位 and 制表日期;
/// the stylesheet prints documents on the 公文 margins and never stacks a ledger into cards.
@Suite("打印")
struct PrintPagesTests {
    @Test(arguments: TestEngine.available)
    func aNoticePrintsWithItsNumberAddresseeIssuerAndDate(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.onSite(store, f)
            let notice = try await store.sendNotice(for: s.finance.id, number: "江巡办〔2026〕5号", body: nil, origin: s.office)
            let session = try await f.signIn(store, .unitHead, kind: .web)
            let page = try await client.page(.get, "/notices/\(notice.id.text)", session: session)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains(#"<p class="paper-number">江巡办〔2026〕5号</p>"#))
            #expect(html.contains(#"<p class="paper-title">关于开展巡察的通知</p>"#))
            #expect(html.contains(#"<p class="paper-addressee">市财政局：</p>"#))
            #expect(html.contains(#"<p class="paper-issuer">第一巡察组</p>"#))
            #expect(html.contains(#"<p class="paper-date">\#(DateText.prose(CalendarDay(notice.sentAt)))</p>"#))
            #expect(html.contains(#"class="panel document paper-body""#), "the body is what prints")
            #expect(html.contains("data-print>打印</button>"))
            // Head, body, foot in the order of the paper.
            let head = try #require(html.range(of: "paper-head"))
            let body = try #require(html.range(of: "notice-body"))
            let foot = try #require(html.range(of: "paper-foot"))
            #expect(head.lowerBound < body.lowerBound && body.lowerBound < foot.lowerBound)
        }
    }

    @Test(arguments: TestEngine.available)
    func feedbackAndTheUnitsReportPrintWithTheirIssuerAndDate(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.feedbackIssued(store, f)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let feedback = try await client.page(.get, "/feedback/\(s.feedback.id.text)", session: office).text
            #expect(feedback.contains(#"<p class="paper-number">江巡反〔2026〕1号</p>"#))
            #expect(feedback.contains(#"<p class="paper-title">关于巡察市财政局党组的反馈意见</p>"#))
            #expect(feedback.contains(#"<p class="paper-addressee">市财政局党组：</p>"#))
            #expect(feedback.contains(#"<p class="paper-issuer">第一巡察组</p>"#))
            #expect(feedback.contains(#"<p class="paper-date">\#(DateText.prose(s.today))</p>"#))

            let report = try await s.acceptedReport(store)
            let printed = try await client.page(.get, "/rectification-reports/\(report.id.text)", session: office).text
            #expect(printed.contains(#"<p class="paper-title">\#(report.title)</p>"#))
            #expect(printed.contains(#"<p class="paper-issuer">市财政局</p>"#))
            #expect(printed.contains(#"<p class="paper-date">\#(DateText.prose(CalendarDay(try #require(report.submittedAt))))</p>"#))
            #expect(!printed.contains("paper-number"), "a unit's report carries no 发文字号 here")
        }
    }

    @Test(arguments: TestEngine.available)
    func aRegisterPrintsWithItsTitleLineMakerAndDay(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let today = DateText.prose(CalendarDay(store.clock.now()))
            let asOf = try await client.page(.get, "/ledger?list=problems&as_of=2026-12-31", session: session).text
            #expect(asOf.contains(#"<p class="table-print-title">整改台账·问题清单（截至2026年12月31日）</p>"#))
            #expect(asOf.contains(#"<span class="table-maker">制表单位：\#(f.city.name)</span>"#))
            #expect(asOf.contains(#"<span class="table-made-on">制表日期：\#(today)</span>"#))
            let tasks = try await client.page(.get, "/ledger", session: session).text
            #expect(tasks.contains(#"<p class="table-print-title">整改台账·任务清单（截至\#(today)）</p>"#), "today when no day is chosen")
            for (path, title) in [("/findings", "问题底稿台账"), ("/rule-improvements", "制度建设台账")] {
                let page = try await client.page(.get, path, session: session)
                #expect(page.status == .ok, "\(path)")
                #expect(page.text.contains(#"<p class="table-print-title">\#(title)（截至\#(today)）</p>"#), "\(path)")
                #expect(page.text.contains("制表单位：\(f.city.name)"), "\(path)")
                #expect(page.text.contains("data-print>打印</button>"), "\(path)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theStylesheetPrintsOnThe公文MarginsAndNeverStacksALedger(engine: TestEngine) async throws {
        try await withApp(engine) { _, _, client in
            let css = try await client.page(.get, "/static/app.css", session: nil).text
            #expect(css.contains("margin: 37mm 26mm 35mm 28mm;"), "top 37, right 26, bottom 35, left 28")
            #expect(css.contains(#"content: "— " counter(page) " —";"#))
            #expect(css.contains("thead { display: table-header-group; }"))
            #expect(!css.contains("@media (max-width"), "every narrow-screen rule is screen-only, so paper keeps the table")
            #expect(css.contains("@media screen and (max-width: 720px)"))
        }
    }
}
