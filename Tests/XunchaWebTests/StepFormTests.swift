import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

@Suite("One step form for every chain's page")
struct StepFormTests {
    static func forms(posted: [String: [String]]?, error: DomainError?) -> StepForms {
        StepForms(action: "/leads/x/steps", version: 3, posted: posted.map(FormInput.init(values:)), error: error)
    }

    @Test
    func aFormShowsWhatItsStepCarriesWithItsOwnIdsAndDefaults() {
        let form = Self.forms(posted: nil, error: nil).form(
            LeadStep.propose, confirm: "确定？",
            [.select("receiver", label: "接收单位", perStep: true, options: [("discipline", "纪委监委"), ("organisation", "组织部")], chosen: "organisation"), .note("移交意见", required: true)])
        #expect(form.step == "propose")
        #expect(form.title == LeadStep.propose.title, "the button says the step unless told otherwise")
        #expect(form.action == "/leads/x/steps")
        #expect(form.version == 3)
        #expect(form.fields.map(\.id) == ["receiver-propose", "note-propose"])
        #expect(form.fields[0].options.map(\.selected) == [false, true])
        #expect(form.fields[1].required)
        #expect(form.problem == nil)
    }

    @Test
    func theRefusedFormShowsWhatWasTypedAndTheMessageBesideTheFieldItNames() {
        let posted = ["step": ["propose"], "receiver": ["discipline"], "note": ["  "]]
        let forms = Self.forms(posted: posted, error: DomainError.required("note", label: "移交意见"))
        let fields: [StepField] = [
            .select("receiver", label: "接收单位", options: [("discipline", "纪委监委"), ("organisation", "组织部")], chosen: "organisation"),
            .note("移交意见", required: true),
        ]
        let refused = forms.form(LeadStep.propose, fields)
        #expect(refused.fields[0].options.map(\.selected) == [true, false], "the choice typed, not the default")
        #expect(refused.fields[1].value == "  ")
        #expect(refused.fields[1].error == "“移交意见”不能为空")
        #expect(refused.problem == nil, "said once, beside its field")
        let other = forms.form(LeadStep.returnProposal, [.note("退回理由", required: true)])
        #expect(other.fields[0].value.isEmpty && other.fields[0].error == nil, "another step's form is left as it was")
        #expect(other.problem == nil)
    }

    @Test
    func aRefusalNamingNoFieldStandsAtopThePostedForm() {
        let forms = Self.forms(posted: ["step": ["approve"], "note": ["同意"]], error: .staleVersion)
        let form = forms.form(LeadStep.approve, [.note("审批意见")])
        #expect(form.problem == DomainError.staleVersion.message)
        #expect(form.fields[0].value == "同意")
        #expect(form.fields[0].error == nil)
    }

    @Test
    func anEndorsementIsGivenAnewAndCommonFieldsFollowEveryStep() {
        var forms = Self.forms(posted: ["step": ["sign"], "endorse": ["yes"], "occurred_on": ["2026-03-01"]], error: .staleVersion)
        forms.common = [.input("occurred_on", label: "办理日期", type: "date", perStep: true)]
        let sign = forms.form(
            RectificationReportStep.sign, [.check("endorse", label: "本人已审阅报告全文并签字背书", required: true, keepsTyped: false)])
        #expect(!sign.fields[0].checked, "a refused signature is endorsed again, never ticked for the signer")
        #expect(sign.common.map(\.id) == ["occurred_on-sign"])
        #expect(sign.common[0].value == "2026-03-01")
    }

    @Test(arguments: TestEngine.available)
    func aRefusedLeadTransferShowsTheMessageBesideTheSheetNumber(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            var lead = try await s.work.registeredLead(store, Scenario.leadDetails("王某", subject: .discipline))
            lead = try await store.take(LeadStep.screen, on: lead.id, input: .init(note: "组务会研判"), version: lead.version, origin: f.origin(.groupLeader))
            lead = try await store.take(
                LeadStep.propose, on: lead.id, input: .init(note: "建议移交", receiver: .discipline), version: lead.version, origin: f.origin(.groupLeader))
            lead = try await store.take(LeadStep.approve, on: lead.id, input: .init(), version: lead.version, origin: f.origin(.leadingGroupMember))
            let custodian = try await f.signIn(store, .leadCustodian, kind: .web)
            let refused = try await client.page(
                .post, "/leads/\(lead.id.text)/steps", session: custodian,
                form: LeadPagesTests.form(custodian, [("step", "transfer"), ("version", String(lead.version)), ("transfer_sheet", " ")]))
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("<div class=\"field has-error\"><label for=\"transfer_sheet\">移交单编号</label>"))
            #expect(refused.text.contains("<p class=\"field-error\">“移交单编号”不能为空</p>"))
            #expect(refused.text.contains("id=\"lead-error\""), "the page still says it at the top")
            let page = try await client.page(.get, "/leads/\(lead.id.text)", session: custodian)
            #expect(page.text.contains("<form class=\"form step-form\" method=\"post\" action=\"/leads/\(lead.id.text)/steps\" id=\"step-transfer\""))
            #expect(page.text.contains("<input type=\"hidden\" name=\"version\" value=\"\(lead.version)\">"))
            #expect(page.text.contains("<p class=\"hint\" id=\"feedback-due-hint\">"))
            #expect(!page.text.contains("field-error"))
        }
    }
}
