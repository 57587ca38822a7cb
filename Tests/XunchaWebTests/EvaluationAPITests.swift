import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("制度建设、整改评估与回头看 API")
struct EvaluationAPITests {
    struct Issued {
        let office: String
        let feedbackID: String
        let problemID: String
    }

    /// Brings 市财政局 (the fixture's city unit) to issued feedback with one problem, through the API.
    static func issuedFeedback(_ store: Store, _ f: Fixture, _ client: some TestClientProtocol) async throws -> Issued {
        let issued = try await RectificationAPITests.issuedFeedback(store, f, client)
        return Issued(office: try await f.signIn(store, .officeStaff).token, feedbackID: issued.feedbackID, problemID: issued.problemID)
    }

    @Test(arguments: TestEngine.available)
    func theOfficeGradesTheUnitReportsItsSecondRectificationAndReceiversRead(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let i = try await Self.issuedFeedback(store, f, client)
            let head = try await f.signIn(store, .unitHead).token
            let leadingGroup = try await f.signIn(store, .leadingGroupMember).token
            let today = CalendarDay(store.clock.now()).description
            #expect(try await client.api(.post, "/api/v1/feedback/\(i.feedbackID)/evaluations", token: head, json: #"{"planned_on": "\#(today)"}"#).status == .forbidden)
            let scheduled = try await client.api(.post, "/api/v1/feedback/\(i.feedbackID)/evaluations", token: i.office, json: #"{"planned_on": "\#(today)", "note": "集中整改期满"}"#)
            #expect(scheduled.status == .created, "\(scheduled.text)")
            let id = try #require(try scheduled.json()["id"] as? String)
            let badGrade = try await client.api(
                .post, "/api/v1/evaluations/\(id)/steps", token: i.office, json: #"{"step": "grade", "version": 1, "methods": ["书面审核"], "findings": "……", "grade": "优秀"}"#)
            #expect(badGrade.status == .badRequest)
            #expect(badGrade.errorCode == "unknown_grade")
            let noDeadline = try await client.api(
                .post, "/api/v1/evaluations/\(id)/steps", token: i.office, json: #"{"step": "grade", "version": 1, "methods": ["书面审核"], "findings": "……", "grade": "一般"}"#)
            #expect(noDeadline.errorCode == "second_deadline_required")
            let early = try await client.api(
                .post, "/api/v1/evaluations/\(id)/steps", token: i.office,
                json: #"{"step": "grade", "version": 1, "methods": ["书面审核"], "findings": "……", "grade": "差", "second_deadline": "2026-01-01"}"#)
            #expect(early.errorCode == "second_deadline_order")
            let headGrades = try await client.api(
                .post, "/api/v1/evaluations/\(id)/steps", token: head, json: #"{"step": "grade", "version": 1, "methods": ["书面审核"], "findings": "……", "grade": "好"}"#)
            #expect(headGrades.status == .notFound, "a unit account never grades")
            #expect(try await client.api(.get, "/api/v1/evaluations/\(id)", token: i.office).json()["version"] as? Int == 1, "nothing written")
            let graded = try await client.api(
                .post, "/api/v1/evaluations/\(id)/steps", token: leadingGroup,
                json: #"{"step": "grade", "version": 1, "methods": ["document_review", "群众评议"], "findings": "整改不到位", "grade": "poor", "second_deadline": "2027-03-31"}"#)
            #expect(graded.status == .ok, "\(graded.text)")
            #expect(try graded.json()["status"] as? String == "second_rectification")
            let reported = try await client.api(.post, "/api/v1/evaluations/\(id)/steps", token: head, json: #"{"step": "report", "version": 2, "report": "已整改。"}"#)
            #expect(reported.status == .ok, "\(reported.text)")
            let closed = try await client.api(.post, "/api/v1/evaluations/\(id)/steps", token: i.office, json: #"{"step": "accept", "version": 3}"#)
            #expect(try closed.json()["status"] as? String == "closed")
            let steps = try #require(try await client.api(.get, "/api/v1/evaluations/\(id)/steps", token: head).json()["items"] as? [[String: Any]])
            #expect(steps.compactMap { $0["step"] as? String } == ["grade", "report", "accept"])
            for role in [Role.disciplineReceiver, .organisationReceiver] {
                let token = try await f.signIn(store, role).token
                let listed = try await client.api(.get, "/api/v1/evaluations?grade=poor", token: token)
                #expect((try listed.json()["items"] as? [Any])?.count == 1, "\(role)")
            }
            for role in [Role.groupLeader, .groupMember, .leadCustodian] {
                let token = try await f.signIn(store, role).token
                #expect(try await client.api(.get, "/api/v1/evaluations", token: token).status == .forbidden, "\(role)")
                #expect(try await client.api(.get, "/api/v1/evaluations/\(id)", token: token).status == .notFound, "\(role)")
            }
            let byFeedback = try await client.api(.get, "/api/v1/feedback/\(i.feedbackID)/evaluations", token: i.office)
            #expect((try byFeedback.json()["items"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func ruleImprovementsAndFollowUpsThroughTheAPI(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let i = try await Self.issuedFeedback(store, f, client)
            let contact = try await f.signIn(store, .unitContact).token
            let rule = #"{"title": "“三重一大”集体决策实施办法", "kind": "建立", "document_number": "财党发〔2026〕5号", "adopted_on": "2026-12-01", "description": "……", "problem_ids": ["\#(i.problemID)"]}"#
            let recorded = try await client.api(.post, "/api/v1/rule-improvements", token: contact, json: rule)
            #expect(recorded.status == .created, "\(recorded.text)")
            #expect(try recorded.json()["unit_name"] as? String == "市财政局")
            let ruleID = try #require(try recorded.json()["id"] as? String)
            let county = try await store.createUser(
                UserDraft(username: "t.county.office", displayName: "县巡察办", jurisdictionID: f.countyA.id, roles: try RoleSet([.officeStaff], unitGiven: false), unitID: nil),
                origin: Fixture.console)
            try await f.settle(store)
            let countyToken = try await store.signIn(username: "t.county.office", password: county.oneTimePassword, kind: .api, clientAddress: "127.0.0.1").token
            let foreign = try await client.api(
                .post, "/api/v1/rule-improvements", token: countyToken,
                json: #"{"title": "x", "kind": "完善", "adopted_on": "2026-12-01", "adopting_body": "县委", "description": "……", "problem_ids": ["\#(i.problemID)"]}"#)
            #expect(foreign.errorCode == "problem_out_of_reach")
            let badKind = try await client.api(
                .post, "/api/v1/rule-improvements", token: i.office,
                json: #"{"title": "x", "kind": "废止", "adopted_on": "2026-12-01", "adopting_body": "市委", "description": "……", "problem_ids": ["\#(i.problemID)"]}"#)
            #expect(badKind.errorCode == "unknown_kind")
            let listed = try await client.api(.get, "/api/v1/rule-improvements?kind=established&year=2026&unit_id=\(f.cityUnit.id.text)", token: i.office)
            #expect((try listed.json()["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ruleID])
            #expect(try await client.api(.get, "/api/v1/rule-improvements/\(ruleID)", token: contact).status == .ok)
            #expect(try await client.api(.get, "/api/v1/rule-improvements", token: try await f.signIn(store, .disciplineReceiver).token).status == .forbidden)

            let noPlan = try await client.api(.post, "/api/v1/follow-ups", token: i.office, json: #"{"unit_id": "\#(f.cityUnit.id.text)", "reason": "回头看"}"#)
            #expect(noPlan.errorCode == "plan_required")
            let scheduled = try await client.api(
                .post, "/api/v1/follow-ups", token: i.office, json: #"{"unit_id": "\#(f.cityUnit.id.text)", "planned_year": 2027, "planned_quarter": 2, "reason": "长期整改事项"}"#)
            #expect(scheduled.status == .created, "\(scheduled.text)")
            let followUpID = try #require(try scheduled.json()["id"] as? String)
            #expect(try await client.api(.get, "/api/v1/follow-ups", token: contact).status == .forbidden, "the unit is not told")
            let settled = try await client.api(.post, "/api/v1/follow-ups/\(followUpID)/settle", token: i.office, json: #"{"status": "done", "note": "已开展", "version": 1}"#)
            #expect(try settled.json()["status"] as? String == "done")
            let done = try await client.api(.get, "/api/v1/follow-ups?status=done&year=2027", token: try await f.signIn(store, .leadingGroupMember).token)
            #expect((try done.json()["items"] as? [Any])?.count == 1)
        }
    }
}
