import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 整改报告 and 整改公开 through the API: the whole way, and the bad input that writes nothing.
@Suite("Rectification reports and disclosure API")
struct RectificationReportAPITests {
    /// The assignment's 限期整改 paper under an approved report, and its feedback drafted by the office.
    static func draftFeedback(_ store: Store, _ f: Fixture, _ s: FieldworkPagesTests.Setup, number: String) async throws -> Feedback {
        let paper = try await ReportAndDisclosurePagesTests.deadlinePaper(store, s)
        _ = try await ReportAndDisclosurePagesTests.approvedReport(store, s, paper: paper)
        let today = CalendarDay(store.clock.now())
        return try await store.draftFeedback(
            for: try #require(UUID(text: s.assignmentID)),
            document: FeedbackDocument(
                number: number, title: "反馈意见", mainRecipient: "市财政局党组", copyRecipients: [], body: "……", planDue: today.adding(days: 15),
                reportDue: today.adding(months: 2)),
            origin: f.origin(.officeStaff))
    }

    @Test(arguments: TestEngine.available)
    func theUnitReportsTheHeadSignsTheOfficeAcceptsAndTheApprovedDisclosureIsPublished(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let draft = try await Self.draftFeedback(store, f, s, number: "江巡反〔2026〕1号")
            let today = CalendarDay(store.clock.now())
            let head = try await f.signIn(store, .unitHead).token
            let contact = try await f.signIn(store, .unitContact).token
            let office = try await f.signIn(store, .officeStaff).token
            let leadingGroup = try await f.signIn(store, .leadingGroupMember).token
            let body = #"{"kind": "整改情况报告", "title": "关于巡察反馈意见整改情况的报告", "body": "一、整改工作总体情况……"}"#

            let early = try await client.api(.post, "/api/v1/feedback/\(draft.id.text)/rectification-reports", token: contact, json: body)
            #expect(early.status == .conflict && early.errorCode == "feedback_not_issued")
            _ = try await store.take(FeedbackStep.issue, on: draft.id, note: nil, version: draft.version, origin: f.origin(.officeStaff))
            let badKind = try await client.api(
                .post, "/api/v1/feedback/\(draft.id.text)/rectification-reports", token: contact, json: #"{"kind": "工作总结", "title": "x", "body": "y"}"#)
            #expect(badKind.errorCode == "unknown_report_kind")
            let created = try await client.api(.post, "/api/v1/feedback/\(draft.id.text)/rectification-reports", token: contact, json: body)
            #expect(created.status == .created, "\(created.text)")
            let report = try created.json()
            let id = try #require(report["id"] as? String)
            #expect(report["due"] as? String == today.adding(months: 2).description)
            #expect(report["overdue"] as? Bool == false)

            let notHead = try await client.api(.post, "/api/v1/rectification-reports/\(id)/steps", token: contact, json: #"{"step": "sign", "version": 1}"#)
            #expect(notHead.status == .forbidden && notHead.errorCode == "step_not_allowed")
            #expect(try await client.api(.get, "/api/v1/rectification-reports/\(id)", token: office).json()["signature"] is NSNull, "nothing written")
            let signed = try await client.api(.post, "/api/v1/rectification-reports/\(id)/steps", token: head, json: #"{"step": "sign", "version": 1}"#)
            #expect(signed.status == .ok, "\(signed.text)")
            let signature = try #require(try signed.json()["signature"] as? [String: Any])
            #expect((signature["sha256"] as? String)?.count == 64)
            #expect(signature["signer_id"] as? String == f.users[.unitHead]?.id.text)
            for (token, step, version) in [(contact, "submit", 2), (office, "accept", 3)] {
                let moved = try await client.api(.post, "/api/v1/rectification-reports/\(id)/steps", token: token, json: #"{"step": "\#(step)", "version": \#(version)}"#)
                #expect(moved.status == .ok, "\(step): \(moved.text)")
            }
            let steps = try #require(try await client.api(.get, "/api/v1/rectification-reports/\(id)/steps", token: leadingGroup).json()["items"] as? [[String: Any]])
            #expect(steps.compactMap { $0["step"] as? String } == ["sign", "submit", "accept"])
            let listed = try await client.api(.get, "/api/v1/rectification-reports?status=accepted", token: f.signIn(store, .disciplineReceiver).token)
            #expect((try listed.json()["items"] as? [[String: Any]])?.count == 1, "the discipline commission supervises")
            #expect(try await client.api(.get, "/api/v1/rectification-reports?status=x", token: office).errorCode == "unknown_status")
            for role in [Role.groupLeader, .leadCustodian, .systemAdministrator] {
                let token = try await f.signIn(store, role).token
                #expect(try await client.api(.get, "/api/v1/rectification-reports", token: token).status == .forbidden, "\(role)")
                #expect(try await client.api(.get, "/api/v1/rectification-reports/\(id)", token: token).status == .notFound, "\(role)")
            }

            let badExemption = try await client.api(
                .post, "/api/v1/rectification-reports/\(id)/disclosures", token: office, json: #"{"channel": "public", "exemptions": ["个人隐私"]}"#)
            #expect(badExemption.errorCode == "unknown_exemption")
            let noChannel = try await client.api(.post, "/api/v1/rectification-reports/\(id)/disclosures", token: office, json: #"{}"#)
            #expect(noChannel.errorCode == "required")
            #expect((try await client.api(.get, "/api/v1/disclosures", token: office).json()["items"] as? [Any])?.isEmpty == true, "nothing written")
            let disclosure = try await client.api(
                .post, "/api/v1/rectification-reports/\(id)/disclosures", token: office,
                json: #"{"channel": "社会公开", "exemptions": ["国家秘密"], "title": "市财政局党组关于巡察整改情况的通报"}"#)
            #expect(disclosure.status == .created, "\(disclosure.text)")
            let disclosureID = try #require(try disclosure.json()["id"] as? String)
            #expect(try disclosure.json()["text"] as? String == "一、整改工作总体情况……", "prefilled from the report")
            #expect(try disclosure.json()["exemptions"] as? [String] == ["state_secret"])
            let unapproved = try await client.api(.post, "/api/v1/disclosures/\(disclosureID)/steps", token: office, json: #"{"step": "publish", "version": 1}"#)
            #expect(unapproved.status == .conflict && unapproved.errorCode == "disclosure_not_approved")
            #expect(try await client.api(.get, "/api/v1/disclosures/\(disclosureID)", token: office).json()["status"] as? String == "draft", "nothing written")
            let approved = try await client.api(.post, "/api/v1/disclosures/\(disclosureID)/steps", token: leadingGroup, json: #"{"step": "approve", "version": 1}"#)
            #expect(approved.status == .ok, "\(approved.text)")
            let circulation = try await client.api(
                .post, "/api/v1/disclosures/\(disclosureID)/circulation", token: office,
                json: #"{"number": "江巡办〔2027〕3号", "scope": "市直各单位党组织", "date": "2027-03-10", "version": 2}"#)
            #expect(circulation.status == .ok, "\(circulation.text)")
            let published = try await client.api(.post, "/api/v1/disclosures/\(disclosureID)/steps", token: office, json: #"{"step": "publish", "version": 3}"#)
            #expect(published.status == .ok)
            #expect(try published.json()["published_on"] as? String == today.description)
            #expect((try published.json()["circulation"] as? [String: Any])?["number"] as? String == "江巡办〔2027〕3号")
            #expect(try await client.api(.get, "/api/v1/disclosures", token: head).status == .forbidden, "a unit does not read the office's drafts")
        }
    }

    @Test(arguments: TestEngine.available)
    func aFeedbackAndAReportListTheirHistoryAndWhatEachReaderMayDoNext(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let draft = try await Self.draftFeedback(store, f, s, number: "江巡反〔2026〕2号")
            let office = try await f.signIn(store, .officeStaff).token
            let head = try await f.signIn(store, .unitHead).token
            let contact = try await f.signIn(store, .unitContact).token
            func steps(_ path: String, _ token: String) async throws -> (history: [String], available: [String]) {
                let answer = try await client.api(.get, "\(path)/steps", token: token)
                #expect(answer.status == .ok, "\(answer.text)")
                let body = try answer.json()
                let history = (body["items"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
                let available = (body["available"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
                return (history, available)
            }

            let feedback = "/api/v1/feedback/\(draft.id.text)"
            #expect(try await client.api(.get, "\(feedback)/steps", token: head).status == .notFound, "the unit does not see a draft's lifecycle")
            for (body, status, code) in [
                (#"{"step": "publish", "version": 1}"#, HTTPResponse.Status.badRequest, "unknown_step"),
                (#"{"step": "issue"}"#, .badRequest, "required"),
                (#"{"step": "issue", "version": 99}"#, .conflict, "stale_version"),
            ] {
                let refused = try await client.api(.post, "\(feedback)/steps", token: office, json: body)
                #expect(refused.status == status && refused.errorCode == code, "\(body): \(refused.text)")
            }
            #expect(try await client.api(.post, "\(feedback)/steps", token: head, json: #"{"step": "issue", "version": 1}"#).status == .notFound)
            #expect(try await steps(feedback, office).history.isEmpty, "a refused step writes nothing")
            #expect(try await steps(feedback, office).available == ["issue"])
            let issued = try await client.api(.post, "\(feedback)/steps", token: office, json: #"{"step": "issue", "version": \#(draft.version)}"#)
            #expect(issued.status == .ok, "\(issued.text)")
            #expect(try issued.json()["status"] as? String == "issued", "the step answers the feedback")
            let seenByOffice = try await steps(feedback, office)
            #expect(seenByOffice.history == ["issue"] && seenByOffice.available.isEmpty)

            let created = try await client.api(
                .post, "\(feedback)/rectification-reports", token: contact,
                json: #"{"kind": "整改情况报告", "title": "关于巡察反馈意见整改情况的报告", "body": "一、整改工作总体情况……"}"#)
            let report = "/api/v1/rectification-reports/\(try #require(try created.json()["id"] as? String))"
            let unsigned = (byHead: try await steps(report, head), byContact: try await steps(report, contact))
            #expect(unsigned.byHead.history.isEmpty && unsigned.byHead.available == ["sign"], "only the head signs")
            #expect(unsigned.byContact.available.isEmpty, "the contact waits for the head's signature")
            #expect(try await client.api(.post, "\(report)/steps", token: head, json: #"{"step": "sign", "version": 1}"#).status == .ok)
            let signed = try await steps(report, contact)
            #expect(signed.history == ["sign"] && signed.available == ["submit"])
        }
    }
}
