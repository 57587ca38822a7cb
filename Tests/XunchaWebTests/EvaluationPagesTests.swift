import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

@Suite("制度建设、整改评估与回头看 pages")
struct EvaluationPagesTests {
    static func form(_ session: SignIn, _ fields: [(String, String)]) -> [(String, String)] { [("_csrf", session.session.csrfToken)] + fields }

    static func location(_ response: TestResponse) throws -> String {
        try #require(response.headers[.location]?.split(separator: "?").first.map(String.init))
    }

    @Test(arguments: TestEngine.available)
    func menusAndListsFollowThePolicyRoleByRole(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            try await f.settle(store)
            let expected: [Role: Set<String>] = [
                .officeStaff: ["/evaluations", "/rule-improvements", "/follow-ups"],
                .leadingGroupMember: ["/evaluations", "/rule-improvements", "/follow-ups"],
                .disciplineReceiver: ["/evaluations"], .organisationReceiver: ["/evaluations"],
                .unitHead: ["/evaluations", "/rule-improvements"], .unitContact: ["/evaluations", "/rule-improvements"],
                .groupLeader: [], .groupMember: [], .leadCustodian: [],
            ]
            for (role, paths) in expected {
                let session = try await f.signIn(store, role, kind: .web)
                let home = try await client.page(.get, "/", session: session)
                for path in ["/evaluations", "/rule-improvements", "/follow-ups"] {
                    #expect(home.text.contains("href=\"\(path)\"") == paths.contains(path), "\(role) menu \(path)")
                    let list = try await client.page(.get, path, session: session)
                    #expect(list.status == (paths.contains(path) ? .ok : .forbidden), "\(role) \(path)")
                }
            }
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let empty = try await client.page(.get, "/evaluations", session: office)
            #expect(empty.text.contains("还没有整改评估"))
            #expect(empty.text.contains("id=\"no-feedback\""), "nothing to schedule before feedback is issued")
            let noProblems = try await client.page(.get, "/rule-improvements/new", session: try await f.signIn(store, .unitHead, kind: .web))
            #expect(noProblems.text.contains("id=\"no-problems\""))
        }
    }

    @Test(arguments: TestEngine.available)
    func theOfficeSchedulesAndGradesTheUnitReportsAndTheOfficeCloses(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let i = try await EvaluationAPITests.issuedFeedback(store, f, client)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let head = try await f.signIn(store, .unitHead, kind: .web)
            let receiver = try await f.signIn(store, .disciplineReceiver, kind: .web)
            let list = try await client.page(.get, "/evaluations", session: office)
            #expect(list.text.contains("value=\"\(i.feedbackID)\""), "the issued feedback is offered")
            let today = CalendarDay(store.clock.now()).description
            let scheduled = try await client.page(
                .post, "/evaluations", session: office, form: Self.form(office, [("feedback_id", i.feedbackID), ("planned_on", today), ("note", "集中整改期满")]))
            #expect(scheduled.status == .seeOther, "\(scheduled.text)")
            let path = try Self.location(scheduled)
            let page = try await client.page(.get, path, session: office)
            #expect(page.text.contains("id=\"step-grade\""))
            #expect(page.text.contains("data-confirm="))
            #expect(try await client.page(.get, path, session: head).status == .notFound, "the unit sees the result, not the schedule")
            let id = String(path.split(separator: "/").last!)

            let noDeadline = try await client.page(
                .post, "\(path)/steps", session: office,
                form: Self.form(office, [("step", "grade"), ("version", "1"), ("methods", "document_review"), ("methods", "field_check"), ("findings", "整改不到位"), ("grade", "poor"), ("evaluated_on", today)]))
            #expect(noDeadline.status == .badRequest)
            #expect(noDeadline.text.contains("二次整改时限"))
            #expect(try await store.evaluation(try #require(UUID(text: id)), for: f.actor(.officeStaff)).version == 1, "nothing written")
            let graded = try await client.page(
                .post, "\(path)/steps", session: office,
                form: Self.form(
                    office,
                    [("step", "grade"), ("version", "1"), ("methods", "document_review"), ("methods", "field_check"), ("findings", "整改不到位"), ("grade", "poor"),
                     ("evaluated_on", today), ("second_deadline", "2027-03-31")]))
            #expect(graded.status == .seeOther, "\(graded.text)")
            let afterGrade = try await client.page(.get, path, session: office)
            #expect(afterGrade.text.contains("id=\"follow-up-link\""), "a 差 invites a 回头看")

            let unitPage = try await client.page(.get, path, session: head)
            #expect(unitPage.text.contains("id=\"step-report\""))
            #expect(!unitPage.text.contains("id=\"step-grade\""))
            let receiverPage = try await client.page(.get, path, session: receiver)
            #expect(receiverPage.status == .ok)
            #expect(!receiverPage.text.contains("id=\"evaluation-actions\""), "纪委 reads, never acts")
            let reported = try await client.page(.post, "\(path)/steps", session: head, form: Self.form(head, [("step", "report"), ("version", "2"), ("report", "已修订议事规则。")]))
            #expect(reported.status == .seeOther, "\(reported.text)")
            let returned = try await client.page(.post, "\(path)/steps", session: office, form: Self.form(office, [("step", "return"), ("version", "3"), ("note", "")]))
            #expect(returned.status == .badRequest, "a return needs its reasons")
            let accepted = try await client.page(.post, "\(path)/steps", session: office, form: Self.form(office, [("step", "accept"), ("version", "3")]))
            #expect(accepted.status == .seeOther)
            let closed = try await client.page(.get, path, session: head)
            #expect(closed.text.contains("已完成"))
            #expect(closed.text.contains("书面审核、实地抽查"))
            #expect(!closed.text.contains("Optional("))
            #expect(closed.text.contains("id=\"evaluation-history\""))

            // 回头看 from the evaluation graded 差.
            let followUps = try await client.page(.get, "/follow-ups?evaluation_id=\(id)&unit_id=\(f.cityUnit.id.text)", session: office)
            #expect(followUps.text.contains("value=\"\(id)\""))
            let noPlan = try await client.page(
                .post, "/follow-ups", session: office, form: Self.form(office, [("unit_id", f.cityUnit.id.text), ("evaluation_id", id), ("reason", "评为差")]))
            #expect(noPlan.status == .badRequest)
            let planned = try await client.page(
                .post, "/follow-ups", session: office,
                form: Self.form(office, [("unit_id", f.cityUnit.id.text), ("evaluation_id", id), ("planned_year", "2027"), ("planned_quarter", "2"), ("reason", "评为差")]))
            #expect(planned.status == .seeOther, "\(planned.text)")
            let followUpPath = try Self.location(planned)
            let followUp = try await client.page(.get, followUpPath, session: office)
            #expect(followUp.text.contains("2027年第2季度"))
            #expect(followUp.text.contains("id=\"settle-cancelled\""))
            let leadingGroup = try await f.signIn(store, .leadingGroupMember, kind: .web)
            #expect(!(try await client.page(.get, followUpPath, session: leadingGroup).text.contains("id=\"follow-up-actions\"")))
            #expect(try await client.page(.get, followUpPath, session: head).status == .notFound)
            let done = try await client.page(.post, "\(followUpPath)/settle", session: office, form: Self.form(office, [("status", "done"), ("version", "1"), ("note", "已整改到位")]))
            #expect(done.status == .seeOther)
            #expect(try await client.page(.get, "/follow-ups?status=done", session: office).text.contains(f.cityUnit.name))
        }
    }

    @Test(arguments: TestEngine.available)
    func theUnitRecordsARuleForItsOwnProblemAndAnotherUnitSeesNothing(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let i = try await EvaluationAPITests.issuedFeedback(store, f, client)
            let contact = try await f.signIn(store, .unitContact, kind: .web)
            let form = try await client.page(.get, "/rule-improvements/new", session: contact)
            #expect(form.text.contains("value=\"\(i.problemID)\""))
            #expect(!form.text.contains("id=\"adopting_body\""), "a unit records its own rules")
            let noProblem = try await client.page(
                .post, "/rule-improvements", session: contact,
                form: Self.form(contact, [("title", "议事规则"), ("kind", "established"), ("adopted_on", "2026-12-01"), ("description", "……")]))
            #expect(noProblem.status == .badRequest)
            #expect(noProblem.text.contains("请至少关联一个反馈问题"))
            let recorded = try await client.page(
                .post, "/rule-improvements", session: contact,
                form: Self.form(
                    contact, [("title", "党组议事规则"), ("kind", "revised"), ("adopted_on", "2026-12-01"), ("description", "……"), ("problem_ids", i.problemID)]))
            #expect(recorded.status == .seeOther, "\(recorded.text)")
            let path = try Self.location(recorded)
            #expect(try await client.page(.get, path, session: contact).text.contains("党组议事规则"))
            let officeList = try await client.page(.get, "/rule-improvements?kind=revised&year=2026", session: try await f.signIn(store, .officeStaff, kind: .web))
            #expect(officeList.text.contains("党组议事规则"))
            let stranger = try await store.createUser(
                UserDraft(username: "t.stranger", displayName: "县单位联络员", jurisdictionID: f.countyA.id, roles: try RoleSet([.unitContact], unitGiven: true), unitID: f.countyAUnit.id),
                origin: Fixture.console)
            try await f.settle(store)
            let session = try await store.signIn(username: "t.stranger", password: stranger.oneTimePassword, kind: .web, clientAddress: "127.0.0.1")
            #expect(try await client.page(.get, path, session: session).status == .notFound)
            #expect(try await client.page(.get, "/rule-improvements", session: session).text.contains("还没有登记制度建设情况"))
        }
    }
}
