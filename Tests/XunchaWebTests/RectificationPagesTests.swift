import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

@Suite("整改 pages")
struct RectificationPagesTests {
    static func form(_ session: SignIn, _ fields: [(String, String)]) -> [(String, String)] { FieldworkPagesTests.form(session, fields) }

    static func taskFields(target: String, department: String = "办公室", deadline: String = "2027-03-31") -> [(String, String)] {
        [
            ("target", target), ("measures", "修订议事规则，清理大额支出"), ("deadline", deadline), ("kind", "deadline"), ("leader", "张局长"),
            ("department", department), ("cadre", "李科长"),
        ]
    }

    @Test(arguments: TestEngine.available)
    func theUnitWritesSignsAndWorksItsPlanOnThePages(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let issued = try await RectificationAPITests.issuedFeedback(store, f, client)
            let contact = try await f.signIn(store, .unitContact, kind: .web)
            let head = try await f.signIn(store, .unitHead, kind: .web)
            let office = try await f.signIn(store, .officeStaff, kind: .web)

            let home = try await client.page(.get, "/", session: contact)
            #expect(home.text.contains("份反馈意见待拟定整改方案"), "the unit's home page says what waits")
            let list = try await client.page(.get, "/rectification-plans", session: contact)
            #expect(list.text.contains("/rectification-plans/new?feedback=\(issued.feedbackID)"))
            let created = try await client.page(
                .post, "/rectification-plans", session: contact,
                form: Self.form(contact, [("feedback_id", issued.feedbackID), ("title", "市财政局党组整改方案"), ("meeting", "党组会议专题研究"), ("body", "")]))
            #expect(created.status == .seeOther, "\(created.text)")
            let planPath = try #require(created.headers[.location]?.split(separator: "?").first.map(String.init))
            let planID = String(planPath.split(separator: "/").last!)

            let missing = try await client.page(
                .post, "\(planPath)/tasks", session: contact,
                form: Self.form(contact, [("version", "1"), ("problem_id", issued.problemID)] + Self.taskFields(target: "健全决策制度", department: "")))
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("“三个一”责任须齐全：请填写责任部门"))
            #expect(missing.text.contains("健全决策制度"), "what was typed is kept")
            let added = try await client.page(
                .post, "\(planPath)/tasks", session: contact,
                form: Self.form(contact, [("version", "1"), ("problem_id", issued.problemID)] + Self.taskFields(target: "健全决策制度")))
            #expect(added.status == .seeOther)

            let asContact = try await client.page(.get, planPath, session: contact)
            #expect(!asContact.text.contains("endorse-button"), "only the head is offered the signature")
            let asHead = try await client.page(.get, planPath, session: head)
            #expect(asHead.text.contains("endorse-button"))
            let unticked = try await client.page(.post, "\(planPath)/endorsement", session: head, form: Self.form(head, [("version", "2")]))
            #expect(unticked.status == .badRequest && unticked.text.contains("签字背书须勾选"))
            let signed = try await client.page(.post, "\(planPath)/endorsement", session: head, form: Self.form(head, [("version", "2"), ("endorse", "yes")]))
            #expect(signed.status == .seeOther)
            let endorsed = try await client.page(.get, planPath, session: office)
            #expect(endorsed.text.contains("endorsement-digest") && endorsed.text.contains("review-button"))
            #expect(endorsed.text.contains(#"/reviews" data-confirm="#), "approving a plan asks first, as every approval does")
            // The plan and the feedback it answers link to each other, for those who may open both.
            #expect(endorsed.text.contains(#"<a class="mono" href="/feedback/\#(issued.feedbackID)" id="plan-feedback">"#))
            let feedbackPage = try await client.page(.get, "/feedback/\(issued.feedbackID)", session: office).text
            #expect(feedbackPage.contains(#"<a href="\#(planPath)" id="feedback-plan">市财政局党组整改方案</a>"#))
            let discipline = try await f.signIn(store, .disciplineReceiver, kind: .web)
            let supervised = try await client.page(.get, planPath, session: discipline)
            #expect(supervised.status == .ok && !supervised.text.contains("plan-feedback"), "纪委 supervises the plan but reads no feedback")
            let approved = try await client.page(.post, "\(planPath)/reviews", session: office, form: Self.form(office, [("version", "3"), ("decision", "approve")]))
            #expect(approved.status == .seeOther)

            let ledger = try await client.page(.get, "/ledger?list=responsibility", session: contact)
            #expect(ledger.text.contains("李科长") && ledger.text.contains("办公室"))
            let export = try await client.page(.get, "/ledger/export?list=tasks", session: contact)
            #expect(export.headers[.contentType]?.hasPrefix("text/csv") == true && export.text.contains("健全决策制度"))
            let planUUID = try #require(UUID(text: planID))
            let task = try #require(try await store.tasks(ofPlan: planUUID, for: f.actor(.unitContact)).first)
            let taskPath = "/rectification-tasks/\(task.id.text)"
            let progressed = try await client.page(
                .post, "\(taskPath)/steps", session: contact, form: Self.form(contact, [("version", "2"), ("step", "progress"), ("note", "修订稿已起草"), ("progress", "50")]))
            #expect(progressed.status == .seeOther)
            let bare = try await client.page(
                .post, "\(taskPath)/steps", session: contact, form: Self.form(contact, [("version", "3"), ("step", "request_closure"), ("note", "已完成")]))
            #expect(bare.status == .badRequest && bare.text.contains("申请销号须上传整改佐证材料"))
            let uploaded = try await LeadPagesTests.upload(
                client, "\(taskPath)/attachments", session: contact, fields: [], file: ("议事规则.pdf", Data("%PDF-1.4 议事规则".utf8)))
            #expect(uploaded.status == .seeOther)
            let asked = try await client.page(
                .post, "\(taskPath)/steps", session: contact, form: Self.form(contact, [("version", "3"), ("step", "request_closure"), ("note", "议事规则已印发")]))
            #expect(asked.status == .seeOther)
            let officeHome = try await client.page(.get, "/", session: office)
            #expect(officeHome.text.contains("项整改任务申请销号待审核"))
            let shown = try await client.page(.get, taskPath, session: office)
            #expect(shown.text.contains("step-close") && shown.text.contains("check-form"))
        }
    }

    @Test(arguments: TestEngine.available)
    func eachRoleSeesTheLedgerPagesItMayAndNoMore(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            for role in Role.allCases {
                let session = try await f.signIn(store, role, kind: .web)
                let home = try await client.page(.get, "/", session: session)
                let ledger = try await client.page(.get, "/ledger", session: session)
                let plans = try await client.page(.get, "/rectification-plans", session: session)
                let mayView = AccessPolicy().allowsAnywhere(f.actor(role), .viewRectification)
                #expect(home.text.contains("href=\"/ledger\"") == mayView, "\(role) menu")
                #expect(ledger.status == (mayView ? .ok : .forbidden), "\(role) ledger")
                if mayView {
                    for list in LedgerPages.List.allCases {
                        #expect(try await client.page(.get, "/ledger?list=\(list.rawValue)", session: session).status == .ok, "\(role) \(list)")
                    }
                }
                #expect(plans.status == (mayView ? .ok : .forbidden), "\(role) plans")
                #expect(home.text.contains("href=\"/rectification-plans\"") == (mayView && role != .taskOwner), "\(role): a responsible cadre sees tasks, not plans")
            }
        }
    }
}
