import Foundation
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// 错误提示在字段旁: a refused form says what is wrong next to the field it concerns.
@Suite("表单错误在字段旁")
struct FieldErrorTests {
    @Test func theFieldsBlockIsMarkedAndTheMessageSaidUnderIt() {
        let page = #"<form><div class="field"><label for="a">甲</label><input id="a" name="a"></div><div class="field"><label for="b">乙</label><input id="b" name="b" value="x"><p class="hint">提示</p></div></form>"#
        let marked = FieldError.mark(page, field: "b", message: "“乙”须晚于<甲>")
        #expect(
            marked
                == #"<form><div class="field"><label for="a">甲</label><input id="a" name="a"></div><div class="field has-error"><label for="b">乙</label><input id="b" name="b" aria-invalid="true" value="x"><p class="hint">提示</p><p class="field-error" role="alert">“乙”须晚于&lt;甲&gt;</p></div></form>"#)
        #expect(FieldError.mark(page, field: "c", message: "无此字段") == page, "no control of that name: unchanged")
        let own = page.replacingOccurrences(of: "</form>", with: #"<p class="field-error">已标出</p></form>"#)
        #expect(FieldError.mark(own, field: "b", message: "m") == own, "a form that marks its own errors is left alone")
    }

    @Test(arguments: TestEngine.available)
    func fieldsForOneChoiceSayWhichAndWaitForIt(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let paper = try await LeadPagesTests.approvedFinding(store, s, title: "违规发放津补贴")
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/findings/\(paper.id.text)", session: office).text
            // Without JavaScript the block shows, its legend saying when it applies; app.js hides it until then.
            #expect(page.contains(#"<fieldset class="lead-fields" id="triage-lead" data-shown-when="disposition=lead"><legend>移交问题线索（选择“移交问题线索”时填写"#))
        }
    }

    @Test(arguments: TestEngine.available)
    func aFeedbackWhoseReportComesBeforeItsPlanIsRefusedAtTheReportsDeadline(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let refused = try await LineBreakInputTests.postFeedback(store, f, client, planDays: 30, reportDays: 20)
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains(#"<div class="field has-error"><label for="report_due">"#))
            #expect(refused.text.contains(#"name="report_due" aria-invalid="true""#))
            #expect(refused.text.contains(#"<p class="field-error" role="alert">整改情况报告时限须晚于整改方案时限</p></div>"#))
        }
    }
}
