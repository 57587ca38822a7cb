import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("巡察任务、保密承诺、巡察通知与本级参数 pages")
struct AssignmentPagesTests {
    @Test(arguments: TestEngine.available)
    func eachPageOpensOnlyForTheRolesThatMaySeeIt(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let pages: [(String, Set<Role>)] = [
                ("/my", [.groupLeader, .groupMember]),
                ("/assignments", [.officeStaff, .leadingGroupMember, .groupLeader, .groupMember]),
                ("/notices", [.officeStaff, .leadingGroupMember, .unitHead, .unitContact]),
                ("/settings", [.officeStaff]),
            ]
            for role in Role.allCases {
                let session = try await f.signIn(store, role, kind: .web)
                let home = try await client.page(.get, "/", session: session)
                for (path, allowed) in pages {
                    let response = try await client.page(.get, path, session: session)
                    if allowed.contains(role) {
                        #expect(response.status == .ok, "\(role) \(path)")
                        #expect(home.text.contains("href=\"\(path)\""), "\(role) finds \(path) in the menu")
                    } else {
                        #expect([.forbidden, .notFound].contains(response.status), "\(role) \(path): \(response.status)")
                        #expect(!home.text.contains("href=\"\(path)\""), "\(role) must not be offered \(path)")
                    }
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aMemberSignsThePledgeTheOfficeSendsTheNoticeAndTheUnitAsksForARecusal(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let officeToken = try await f.signIn(store, .officeStaff).token
            let s = try await AssignmentsAPITests.setUp(store, f, client, office: officeToken)
            let accepted = try await client.api(
                .post, "/api/v1/rounds/\(s.roundID)/proposal/accept", token: officeToken,
                json: #"""
                    {"batch_id": "\#(s.batchID)", "groups": [{"name": "第一巡察组", "unit_ids": ["\#(f.cityUnit.id.text)"],
                     "members": [{"inspector_id": "\#(s.leaderID)", "role": "leader"}, {"inspector_id": "\#(s.auditorID)", "role": "member"}]}]}
                    """#)
            let assignmentID = try #require(
                ((try accepted.json()["items"] as? [[String: Any]])?.first?["assignments"] as? [[String: Any]])?.first?["id"] as? String)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let head = try await f.signIn(store, .unitHead, kind: .web)

            let before = try await client.page(.get, "/assignments", session: member)
            #expect(before.text.contains("请先到<a href=\"/my\">我的巡察</a>签署本轮保密承诺"))
            let mine = try await client.page(.get, "/my", session: member)
            #expect(mine.text.contains("阅读并签署"))
            let pledge = try await client.page(.get, "/my/pledge/\(s.roundID)", session: member)
            #expect(pledge.text.contains("八个严禁"))
            #expect(pledge.text.contains("八、严禁隐瞒应当回避的情形"))
            let unticked = try await client.page(.post, "/my/pledge/\(s.roundID)", session: member, form: [("_csrf", member.session.csrfToken)])
            #expect(unticked.status == .badRequest)
            #expect(try await client.page(.get, "/assignments", session: member).text.contains("请先到"), "an unticked pledge signs nothing")
            let signed = try await client.page(.post, "/my/pledge/\(s.roundID)", session: member, form: [("_csrf", member.session.csrfToken), ("agree", "yes")])
            #expect(signed.status == .seeOther)
            #expect(try await client.page(.get, "/assignments", session: member).text.contains("/assignments/\(assignmentID)"))

            let detail = try await client.page(.get, "/assignments/\(assignmentID)", session: office)
            #expect(detail.text.contains("发送巡察通知"))
            let tooLong = try await client.page(
                .post, "/assignments/\(assignmentID)/notice", session: office, form: [("_csrf", office.session.csrfToken), ("number", String(repeating: "号", count: 61))])
            #expect(tooLong.status == .badRequest)
            #expect(tooLong.text.contains("“文号”不能超过60个字"))
            #expect(try await client.page(.get, "/notices", session: head).text.contains("本单位目前没有收到巡察通知"))
            let sent = try await client.page(.post, "/assignments/\(assignmentID)/notice", session: office, form: [("_csrf", office.session.csrfToken), ("number", "江巡办〔2026〕5号")])
            #expect(sent.status == .seeOther)
            let noticePath = try #require(sent.headers[.location]?.split(separator: "?").first.map(String.init))

            let list = try await client.page(.get, "/notices", session: head)
            #expect(list.text.contains("江巡办〔2026〕5号"))
            let notice = try await client.page(.get, noticePath, session: head)
            #expect(notice.text.contains("对你单位开展常规巡察"))
            #expect(notice.text.contains("组员：周审计"))
            #expect(notice.text.contains("申请巡察人员回避"))
            #expect(!(try await client.page(.get, noticePath, session: try await f.signIn(store, .unitContact, kind: .web)).text.contains("申请巡察人员回避")),
                "only the head asks for a recusal")
            let noReason = try await client.page(
                .post, "\(noticePath)/recusal-requests", session: head, form: [("_csrf", head.session.csrfToken), ("inspector_id", s.auditorID)])
            #expect(noReason.status == .badRequest)
            #expect(noReason.text.contains("“申请回避理由”不能为空"))
            let requested = try await client.page(
                .post, "\(noticePath)/recusal-requests", session: head, form: [("_csrf", head.session.csrfToken), ("inspector_id", s.auditorID), ("reason", "其兄在本单位任副局长")])
            #expect(requested.status == .seeOther)
            #expect(try await client.page(.get, "/assignments", session: member).text.contains("/assignments/\(assignmentID)"), "a request is not a recusal")
            #expect(try await client.page(.get, noticePath, session: head).text.contains("待巡察办决定"), "the unit sees its request waiting")

            let home = try await client.page(.get, "/", session: office)
            #expect(home.text.contains("项被巡察单位的回避申请待巡察办决定"))
            #expect(try await client.page(.get, "/recusal-requests", session: office).text.contains("周审计"))
            #expect(try await client.page(.get, "/recusal-requests", session: head).status == .forbidden, "the list is the office's desk")
            let desk = try await client.page(.get, "/assignments/\(assignmentID)", session: office)
            #expect(desk.text.contains("其兄在本单位任副局长"))
            #expect(desk.text.contains("data-confirm=\"决定后不能更改"), "the office confirms before deciding")
            let action = try #require(desk.text.range(of: #"/recusal-requests/[0-9a-f-]+/decision"#, options: .regularExpression).map { String(desk.text[$0]) })
            let bare = try await client.page(.post, action, session: office, form: [("_csrf", office.session.csrfToken), ("decision", "refuse")])
            #expect(bare.status == .badRequest)
            #expect(bare.text.contains("“决定理由”不能为空"))
            #expect(try await client.page(.post, action, session: head, form: [("_csrf", head.session.csrfToken), ("decision", "grant"), ("reason", "同意")]).status == .forbidden)
            let decided = try await client.page(
                .post, action, session: office, form: [("_csrf", office.session.csrfToken), ("decision", "grant"), ("reason", "经核实属实，予以回避")])
            #expect(decided.status == .seeOther)
            #expect(!(try await client.page(.get, "/assignments", session: member).text.contains("/assignments/\(assignmentID)")), "recused once granted")
            let outcome = try await client.page(.get, noticePath, session: head)
            #expect(outcome.text.contains("同意回避") && outcome.text.contains("经核实属实，予以回避"), "the unit reads the outcome and the office's reasons")
            let forged = try await client.page(.post, "\(noticePath)/recusal-requests", session: head, form: [("inspector_id", s.auditorID), ("reason", "x")])
            #expect(forged.status == .forbidden, "no CSRF token, no write")
        }
    }

    @Test(arguments: TestEngine.available)
    func theOfficeChangesItsSettingsAndABadValueIsExplained(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let bad = try await client.page(
                .post, "/settings", session: office,
                form: [("_csrf", office.session.csrfToken), ("version", "0"), ("max_units_per_group", "9"), ("recent_work_years", "3"), ("lead_feedback_months", "3"), ("warning_green_days", "20"), ("warning_yellow_days", "10"), ("rectification_report_months", "2")])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("一托N的N须在1至5之间"))
            #expect(bad.text.contains("value=\"9\""), "what was typed is kept")
            let good = try await client.page(
                .post, "/settings", session: office, form: [("_csrf", office.session.csrfToken), ("version", "0"), ("max_units_per_group", "2"), ("recent_work_years", "5"), ("lead_feedback_months", "6"), ("warning_green_days", "30"), ("warning_yellow_days", "15"), ("rectification_report_months", "3")])
            #expect(good.status == .seeOther)
            let shown = try await client.page(.get, "/settings", session: office)
            #expect(shown.text.contains("value=\"2\""))
            #expect(shown.text.contains("value=\"5\""))
            let stale = try await client.page(
                .post, "/settings", session: office, form: [("_csrf", office.session.csrfToken), ("version", "0"), ("max_units_per_group", "3"), ("recent_work_years", "3"), ("lead_feedback_months", "3"), ("warning_green_days", "20"), ("warning_yellow_days", "10"), ("rectification_report_months", "2")])
            #expect(stale.status == .conflict)
            #expect(try await store.settings(of: f.city.id, for: f.actor(.officeStaff)).maxUnitsPerGroup == 2)
        }
    }
}
