import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("整改 API")
struct RectificationAPITests {
    struct Issued {
        let feedbackID: String
        let problemID: String
    }

    /// Through the API: one 限期整改 paper about 市财政局, the report approved, the feedback issued.
    static func issuedFeedback(_ store: Store, _ f: Fixture, _ client: any TestClientProtocol) async throws -> Issued {
        let office = try await f.signIn(store, .officeStaff).token
        let member = try await f.signIn(store, .groupMember).token
        let leader = try await f.signIn(store, .groupLeader).token
        let s = try await FieldworkAPITests.setUp(store, f, client, office: office)
        _ = try await client.api(.put, "/api/v1/settings", token: office, json: #"{"report_chain": [{"name": "常委会", "role": "office_staff"}], "version": 1}"#)
        let drafted = try await client.api(
            .post, "/api/v1/assignments/\(s.assignmentID)/findings", token: member,
            json: #"{"title": "三重一大事项未经集体决策", "manifestation": "……", "basis": "……", "tags": [{"scheme": "three_important_one_large", "version": 1, "entry": "large_funds"}]}"#)
        let findingID = try #require(try drafted.json()["id"] as? String)
        _ = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: member, json: #"{"step": "submit", "version": 1}"#)
        _ = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: leader, json: #"{"step": "approve", "note": "同意", "version": 2}"#)
        _ = try await client.api(.post, "/api/v1/findings/\(findingID)/triage", token: leader, json: #"{"disposition": "限期整改", "version": 3}"#)
        let report = try await client.api(
            .post, "/api/v1/assignments/\(s.assignmentID)/reports", token: leader,
            json: #"{"kind": "inspection", "title": "巡察报告", "body": "……", "finding_ids": ["\#(findingID)"]}"#)
        let reportID = try #require(try report.json()["id"] as? String)
        _ = try await client.api(.post, "/api/v1/reports/\(reportID)/steps", token: leader, json: #"{"step": "submit", "version": 1}"#)
        _ = try await client.api(.post, "/api/v1/reports/\(reportID)/steps", token: office, json: #"{"step": "approve", "version": 2}"#)
        let created = try await client.api(
            .post, "/api/v1/assignments/\(s.assignmentID)/feedback", token: office,
            json: #"{"number": "江巡反〔2026〕1号", "title": "反馈意见", "main_recipient": "市财政局党组", "body": "……", "plan_due": "2027-01-20", "report_due": "2027-02-28"}"#)
        let feedbackID = try #require(try created.json()["id"] as? String)
        let problemID = try #require((try created.json()["problems"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(try await client.api(.post, "/api/v1/feedback/\(feedbackID)/issue", token: office, json: #"{"version": 1}"#).status == .ok)
        return Issued(feedbackID: feedbackID, problemID: problemID)
    }

    static func task(_ problemID: String, department: String = "办公室", deadline: String = "2027-03-31", planVersion: Int) -> String {
        #"{"problem_id": "\#(problemID)", "target": "健全“三重一大”决策制度", "measures": "修订议事规则", "deadline": "\#(deadline)", "leader": "张局长", "department": "\#(department)", "cadre": "李科长", "plan_version": \#(planVersion)}"#
    }

    @Test(arguments: TestEngine.available)
    func fromFeedbackToAClosedTaskWithClearErrorsOnTheWay(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let issued = try await Self.issuedFeedback(store, f, client)
            let office = try await f.signIn(store, .officeStaff).token
            let head = try await f.signIn(store, .unitHead).token
            let contact = try await f.signIn(store, .unitContact).token
            let leader = try await f.signIn(store, .groupLeader).token
            let discipline = try await f.signIn(store, .disciplineReceiver).token

            #expect(try await client.api(.get, "/api/v1/feedback/\(issued.feedbackID)/rectification-plan", token: contact).status == .notFound)
            let drafted = try await client.api(
                .post, "/api/v1/feedback/\(issued.feedbackID)/rectification-plan", token: contact,
                json: #"{"title": "整改方案", "meeting": "党组会议专题研究"}"#)
            #expect(drafted.status == .created, "\(drafted.text)")
            let planID = try #require(try drafted.json()["id"] as? String)

            let noDepartment = try await client.api(
                .post, "/api/v1/rectification-plans/\(planID)/tasks", token: contact, json: Self.task(issued.problemID, department: "", planVersion: 1))
            #expect(noDepartment.status == .badRequest && noDepartment.errorCode == "owners_required")
            #expect(noDepartment.text.contains("责任部门"), "the message names what is missing")
            let early = try await client.api(
                .post, "/api/v1/rectification-plans/\(planID)/tasks", token: contact, json: Self.task(issued.problemID, deadline: "2026-01-01", planVersion: 1))
            #expect(early.errorCode == "deadline_before_feedback")
            let added = try await client.api(.post, "/api/v1/rectification-plans/\(planID)/tasks", token: contact, json: Self.task(issued.problemID, planVersion: 1))
            #expect(added.status == .created, "\(added.text)")
            let taskID = try #require((try added.json()["tasks"] as? [[String: Any]])?.first?["id"] as? String)

            let byContact = try await client.api(.post, "/api/v1/rectification-plans/\(planID)/endorsement", token: contact, json: #"{"version": 2}"#)
            #expect(byContact.status == .forbidden && byContact.errorCode == "not_unit_head")
            let endorsed = try await client.api(.post, "/api/v1/rectification-plans/\(planID)/endorsement", token: head, json: #"{"version": 2}"#)
            #expect(endorsed.status == .ok, "\(endorsed.text)")
            let endorsement = try #require(try endorsed.json()["endorsement"] as? [String: Any])
            #expect((endorsement["sha256"] as? String)?.count == 64)
            #expect(try await client.api(
                .post, "/api/v1/rectification-plans/\(planID)/reviews", token: discipline, json: #"{"decision": "comment", "comment": "同意", "version": 3}"#
            ).status == .created)
            let approved = try await client.api(.post, "/api/v1/rectification-plans/\(planID)/reviews", token: office, json: #"{"decision": "approve", "version": 4}"#)
            #expect(try approved.json()["status"] as? String == "approved")
            let planSteps = try await client.api(.get, "/api/v1/rectification-plans/\(planID)/steps", token: office)
            #expect((try planSteps.json()["items"] as? [[String: Any]])?.compactMap { $0["step"] as? String } == ["endorse", "comment", "approve"])
            let unknownStep = try await client.api(.post, "/api/v1/rectification-plans/\(planID)/steps", token: office, json: #"{"step": "publish", "version": 5}"#)
            #expect(unknownStep.status == .badRequest && unknownStep.errorCode == "unknown_step")

            let list = try await client.api(.get, "/api/v1/rectification-tasks?warning=none", token: contact)
            #expect((try list.json()["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [taskID])
            let csv = try await client.api(.get, "/api/v1/rectification-tasks?format=csv&list=responsibility", token: discipline)
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("责任领导") && csv.text.contains("李科长"))
            #expect(try await client.api(.get, "/api/v1/rectification-tasks?warning=purple", token: office).errorCode == "unknown_warning")
            #expect(try await client.api(.get, "/api/v1/rectification-tasks?format=pdf", token: office).errorCode == "unknown_format")

            // Another unit's contact neither sees nor touches the task.
            let school = try await store.createUnit(
                UnitDraft(name: "市教育局", type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: f.city.id, origin: Fixture.console)
            let stranger = try await store.createUser(
                UserDraft(
                    username: "t.edu.contact", displayName: "教育局联络员", jurisdictionID: f.city.id, roles: try RoleSet([.unitContact], unitGiven: true),
                    unitID: school.id),
                origin: Fixture.console)
            try await f.settle(store)
            let strangerToken = try await store.signIn(username: "t.edu.contact", password: stranger.oneTimePassword, kind: .api, clientAddress: "x").token
            let touched = try await client.api(
                .post, "/api/v1/rectification-tasks/\(taskID)/steps", token: strangerToken, json: #"{"step": "progress", "note": "越权", "version": 1}"#)
            let missing = try await client.api(
                .post, "/api/v1/rectification-tasks/\(UUID().uuidString)/steps", token: strangerToken, json: #"{"step": "progress", "note": "越权", "version": 1}"#)
            #expect(touched.status == .notFound && touched.text == missing.text)
            #expect(try await client.api(.get, "/api/v1/rectification-plans/\(planID)/steps", token: strangerToken).status == .notFound)
            #expect(try await client.api(.get, "/api/v1/rectification-tasks/\(taskID)/steps", token: strangerToken).status == .notFound)

            let bare = try await client.api(
                .post, "/api/v1/rectification-tasks/\(taskID)/steps", token: contact, json: #"{"step": "request_closure", "note": "已完成", "version": 1}"#)
            #expect(bare.status == .badRequest && bare.errorCode == "evidence_required")
            let file = try await client.execute(
                uri: "/api/v1/rectification-tasks/\(taskID)/attachments?filename=%E8%A7%84%E5%88%99.pdf", method: .post,
                headers: [.authorization: "Bearer \(contact)", .contentType: "application/octet-stream"], body: ByteBuffer(string: "%PDF-1.4 议事规则"))
            #expect(file.status == .created, "\(String(buffer: file.body))")
            let asked = try await client.api(
                .post, "/api/v1/rectification-tasks/\(taskID)/steps", token: contact, json: #"{"step": "request_closure", "note": "议事规则已印发", "version": 2}"#)
            #expect(try asked.json()["status"] as? String == "closure_requested")
            let waiting = try await client.api(.get, "/api/v1/me/waiting", token: leader)
            #expect(try waiting.json()["closures_to_review"] as? Int == 1)
            let closed = try await client.api(.post, "/api/v1/rectification-tasks/\(taskID)/steps", token: leader, json: #"{"step": "close", "version": 3}"#)
            #expect(try closed.json()["status"] as? String == "closed")
            let detail = try await client.api(.get, "/api/v1/rectification-tasks/\(taskID)", token: head)
            #expect((try detail.json()["events"] as? [[String: Any]])?.compactMap { $0["step"] as? String } == ["start", "request_closure", "close"])

            let checked = try await client.api(
                .post, "/api/v1/rectification-tasks/\(taskID)/checks", token: discipline,
                json: #"{"checked_on": "2026-12-01", "method": "实地抽查", "result": "sideways", "note": "x"}"#)
            #expect(checked.errorCode == "invalid_result")
            let problems = try await client.api(.get, "/api/v1/rectification-problems", token: head)
            let row = try #require((try problems.json()["items"] as? [[String: Any]])?.first)
            #expect(row["tasks"] as? Int == 1 && row["closed"] as? Int == 1)
            #expect(try await client.api(.get, "/api/v1/rectification-overdue?by=person", token: office).status == .ok)
            #expect(try await client.api(.get, "/api/v1/rectification-overdue?by=colour", token: office).errorCode == "unknown_grouping")
        }
    }
}
