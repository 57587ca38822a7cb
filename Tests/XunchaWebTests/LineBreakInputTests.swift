import Foundation
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 一行一个: a browser sends the line breaks typed in a text area as CRLF; every field whose hint
/// asks for one entry per line takes them as it takes LF.
@Suite("表单的换行（CRLF）")
struct LineBreakInputTests {
    /// The office posts the 反馈意见 form of an assignment whose report is approved, with `fields`
    /// over good defaults (deadlines `planDays` and `reportDays` after today).
    static func postFeedback(
        _ store: Store, _ f: Fixture, _ client: some TestClientProtocol, planDays: Int = 15, reportDays: Int = 60, _ fields: [(String, String)] = []
    ) async throws -> TestResponse {
        let s = try await FieldworkPagesTests.setUp(store, f, client)
        _ = try await ReportAndDisclosurePagesTests.approvedReport(store, s, paper: try await ReportAndDisclosurePagesTests.deadlinePaper(store, s))
        let office = try await f.signIn(store, .officeStaff, kind: .web)
        let today = CalendarDay(store.clock.now())
        var form: [(String, String)] = [
            ("number", "江巡反〔2026〕1号"), ("title", "关于巡察市财政局党组的反馈意见"), ("main_recipient", "市财政局党组"), ("copy_recipients", ""), ("body", "正文"),
            ("plan_due", today.adding(days: planDays).description), ("report_due", today.adding(days: reportDays).description),
        ]
        for (name, value) in fields { form = form.map { $0.0 == name ? (name, value) : $0 } }
        return try await client.page(.post, "/assignments/\(s.assignmentID)/feedback", session: office, form: FieldworkPagesTests.form(office, form))
    }

    @Test(arguments: TestEngine.available)
    func feedbackCopyRecipientsOnePerLineAreRead(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let created = try await Self.postFeedback(store, f, client, [("copy_recipients", "市纪委监委\r\n市委组织部\r\n"), ("body", "根据市委统一部署……\r\n一、主要问题")])
            #expect(created.status == .seeOther, "\(created.text)")
            let feedback = try #require(try await store.feedbacks(for: f.actor(.officeStaff)).items.first)
            #expect(feedback.document.copyRecipients == ["市纪委监委", "市委组织部"])
            #expect(feedback.document.body == "根据市委统一部署……\n一、主要问题")
        }
    }

    @Test(arguments: TestEngine.available)
    func aCadresWorkHistoryOnePerLineIsRead(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let added = try await client.page(
                .post, "/inspectors", session: office,
                form: FieldworkPagesTests.form(office, [
                    ("name", "王审计"), ("home_unit_id", ""), ("home_unit_name", "市审计局"), ("category", "audit"), ("rank", ""), ("skills", "财务审计"),
                    ("available", "1"), ("in_talent_pool", "1"), ("work_history", "市财政局，2015，2019\r\n市审计局，2019，至今"),
                    ("relations", "市教育局，配偶，李某\r\n市卫生健康委员会，子女，王某"),
                ]))
            #expect(added.status == .seeOther, "\(added.text)")
            let cadre = try #require(try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items.first)
            #expect(cadre.workHistory.map(\.unitName) == ["市财政局", "市审计局"])
            #expect(cadre.relations.count == 2)
        }
    }
}
