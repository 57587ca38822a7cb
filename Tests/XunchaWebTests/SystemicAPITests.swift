import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 普遍性问题 and 专题报告 over HTTP: the office lists what recurs at two units (the threshold
/// set through the settings API), turns a selection of fed-back papers into a report to 市财政局,
/// words each problem, and sends it; the contact reads only the office's wording (no paper id, no
/// paper text, no unit the office did not name) and records a rule change; units and groups get
/// 403; bad input writes nothing.
@Suite("普遍性问题 API 与页面")
struct SystemicAPITests {
    struct Setup {
        let office: String
        let contact: String
        let allowanceIDs: [String]
        /// 市财政局's and 市教育局's assignments, whose feedback a test issues when it needs to.
        let assignmentIDs: [UUID]

        func feedBack(_ store: Store) async throws {
            for assignment in assignmentIDs { try await FeedbackShortcut.issue(store, assignment: assignment) }
        }
    }

    /// One group inspecting 市财政局 and 市教育局; each has an approved 限期整改 paper on 津补贴
    /// tagged 廉洁纪律; the threshold is two units.
    static func setUp(_ store: Store, _ f: Fixture, _ client: some TestClientProtocol) async throws -> Setup {
        let office = try await f.signIn(store, .officeStaff).token
        let member = try await f.signIn(store, .groupMember).token
        let leader = try await f.signIn(store, .groupLeader).token
        let base = try await AssignmentsAPITests.setUp(store, f, client, office: office)
        _ = try await client.api(
            .patch, "/api/v1/inspectors/\(base.leaderID)", token: office,
            json: #"{"name": "张组长", "home_unit_name": "市委组织部", "category": "组织", "rank": "正处级", "in_leader_pool": true, "version": 1, "account_username": "\#(f.users[.groupLeader]!.username)"}"#)
        let education = try await store.createUnit(UnitDraft(name: "市教育局", type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: f.city.id, origin: f.origin(.officeStaff))
        let accepted = try await client.api(
            .post, "/api/v1/rounds/\(base.roundID)/proposal/accept", token: office,
            json: #"""
                {"batch_id": "\#(base.batchID)", "groups": [{"name": "第一巡察组", "unit_ids": ["\#(f.cityUnit.id.text)", "\#(education.id.text)"],
                 "members": [{"inspector_id": "\#(base.leaderID)", "role": "leader"}, {"inspector_id": "\#(base.auditorID)", "role": "member"}]}]}
                """#)
        #expect(accepted.status == .created || accepted.status == .ok, "\(accepted.text)")
        let assignments = try #require(((try accepted.json()["items"] as? [[String: Any]])?.first?["assignments"] as? [[String: Any]])?.compactMap { $0["id"] as? String })
        try await Scenario.enter(try #require(UUID(text: base.roundID)), store, f)
        for token in [leader, member] { _ = try await client.api(.post, "/api/v1/rounds/\(base.roundID)/pledge", token: token) }
        var ids: [String] = []
        for (assignment, manifestation) in zip(assignments, ["以加班费名义发放补贴12.6万元。", "以课时费名义发放补贴8万元。"]) {
            let drafted = try await client.api(
                .post, "/api/v1/assignments/\(assignment)/findings", token: member,
                json: #"{"title": "违规发放津补贴", "manifestation": "\#(manifestation)", "basis": "……", "tags": [{"scheme": "six_disciplines", "version": 1, "entry": "integrity"}]}"#)
            let id = try #require(try drafted.json()["id"] as? String, "\(drafted.text)")
            _ = try await client.api(.post, "/api/v1/findings/\(id)/steps", token: member, json: #"{"step": "submit", "version": 1}"#)
            _ = try await client.api(.post, "/api/v1/findings/\(id)/steps", token: leader, json: #"{"step": "approve", "note": "同意", "version": 2}"#)
            let triaged = try await client.api(.post, "/api/v1/findings/\(id)/triage", token: leader, json: #"{"disposition": "限期整改", "version": 3}"#)
            #expect(triaged.status == .ok, "\(triaged.text)")
            ids.append(id)
        }
        let settings = try await client.api(.get, "/api/v1/settings", token: office).json()
        let changed = try await client.api(
            .put, "/api/v1/settings", token: office, json: #"{"systemic_unit_threshold": 2, "version": \#(settings["version"] as? Int ?? 0)}"#)
        #expect(try changed.json()["systemic_unit_threshold"] as? Int == 2, "\(changed.text)")
        return Setup(
            office: office, contact: try await f.signIn(store, .unitContact).token, allowanceIDs: ids, assignmentIDs: assignments.compactMap { UUID(text: $0) })
    }

    static func reportCount(_ store: Store) async throws -> Int {
        try await store.database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM thematic_reports").first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test(arguments: TestEngine.available)
    func theOfficeWordsAndSendsWhileTheDepartmentReadsOnlyTheOfficesWordingAndAnswers(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Self.setUp(store, f, client)
            let listed = try await client.api(.get, "/api/v1/systemic-problems?year=2026", token: s.office)
            #expect(listed.status == .ok, "\(listed.text)")
            let body = try listed.json()
            #expect(body["unit_threshold"] as? Int == 2)
            let item = try #require((body["recurring_items"] as? [[String: Any]])?.first)
            #expect(item["item"] as? String == "six_disciplines@1|integrity")
            #expect(Set((item["units"] as? [[String: Any]] ?? []).compactMap { $0["unit_name"] as? String }) == ["市财政局", "市教育局"])
            #expect((body["similar_groups"] as? [[String: Any]])?.count == 1)

            #expect(try await client.api(.get, "/api/v1/systemic-problems", token: s.contact).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/systemic-problems", token: f.signIn(store, .unitHead).token).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/systemic-problems", token: f.signIn(store, .groupLeader).token).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/systemic-problems?similarity=2", token: s.office).errorCode == "invalid_similarity")

            let empty = try await client.api(.post, "/api/v1/thematic-reports", token: s.office, json: #"{"title": "专题报告", "body": "正文", "department_unit_id": "\#(f.cityUnit.id.text)"}"#)
            #expect(empty.status == .badRequest)
            #expect(empty.errorCode == "selection_required")
            let unknown = try await client.api(
                .post, "/api/v1/thematic-reports", token: s.office,
                json: #"{"title": "专题报告", "body": "正文", "department_unit_id": "\#(f.cityUnit.id.text)", "finding_ids": ["\#(UUID().text)"]}"#)
            #expect(unknown.errorCode == "finding_out_of_reach")
            let early = try await client.api(
                .post, "/api/v1/thematic-reports", token: s.office,
                json: #"{"title": "专题报告", "body": "正文", "department_unit_id": "\#(f.cityUnit.id.text)", "finding_ids": ["\#(s.allowanceIDs[1])"]}"#)
            #expect(early.status == .badRequest)
            #expect(early.errorCode == "feedback_not_issued", "市教育局 has not had its own feedback yet")
            #expect(try await Self.reportCount(store) == 0)
            try await s.feedBack(store)

            let created = try await client.api(
                .post, "/api/v1/thematic-reports", token: s.office,
                json: #"{"title": "关于违规发放津补贴问题的专题报告", "body": "建议完善津补贴管理制度。", "department_unit_id": "\#(f.cityUnit.id.text)", "items": [{"scheme_id": "six_disciplines@1", "entry_code": "integrity"}]}"#)
            #expect(created.status == .created, "\(created.text)")
            let report = try created.json()
            let id = try #require(report["id"] as? String)
            #expect((report["problems"] as? [[String: Any]])?.allSatisfy { $0["finding_id"] is String } == true)
            #expect(try await client.api(.get, "/api/v1/thematic-reports/\(id)", token: s.contact).status == .notFound, "a draft is the office's own")

            let unworded = try await client.api(.post, "/api/v1/thematic-reports/\(id)/steps", token: s.office, json: #"{"step": "send", "version": 1}"#)
            #expect(unworded.status == .conflict)
            #expect(unworded.errorCode == "wording_required")
            let badWording = try await client.api(
                .put, "/api/v1/thematic-reports/\(id)/problems", token: s.office, json: #"{"problems": [{"finding_id": "\#(UUID().text)", "wording": "x"}], "version": 1}"#)
            #expect(badWording.errorCode == "unknown_problem")
            #expect(try await client.api(
                .put, "/api/v1/thematic-reports/\(id)/problems", token: s.contact, json: #"{"problems": [{"finding_id": "\#(s.allowanceIDs[0])", "wording": "x"}], "version": 1}"#
            ).status == .notFound, "the department never sees the draft")
            let worded = try await client.api(
                .put, "/api/v1/thematic-reports/\(id)/problems", token: s.office,
                json: #"""
                    {"problems": [{"finding_id": "\#(s.allowanceIDs[0])", "wording": "有的单位以加班费等名义违规发放津补贴", "names_unit": true},
                                  {"finding_id": "\#(s.allowanceIDs[1])", "wording": "有的单位以课时费等名义违规发放津补贴"}], "version": 1}
                    """#)
            #expect(worded.status == .ok, "\(worded.text)")
            let office = try #require(try worded.json()["problems"] as? [[String: Any]])
            #expect(office.allSatisfy { $0["manifestation"] is String && $0["finding_id"] is String }, "the office keeps reading the sources")

            #expect(try await client.api(.post, "/api/v1/thematic-reports/\(id)/steps", token: s.office, json: #"{"step": "send", "version": 2}"#).status == .ok)
            let read = try await client.api(.get, "/api/v1/thematic-reports/\(id)", token: s.contact)
            #expect(read.status == .ok)
            let problems = try #require(try read.json()["problems"] as? [[String: Any]])
            #expect(problems.count == 2)
            #expect(problems.allSatisfy { $0["finding_id"] is NSNull && $0["title"] is NSNull && $0["manifestation"] is NSNull }, "no paper id or text reaches the department")
            #expect(Set(problems.compactMap { $0["wording"] as? String }) == ["有的单位以加班费等名义违规发放津补贴", "有的单位以课时费等名义违规发放津补贴"])
            #expect(problems.compactMap { $0["unit_name"] as? String } == ["市财政局"], "only the unit the office named")
            #expect(!read.text.contains(s.allowanceIDs[0]))
            #expect(!read.text.contains("以课时费名义发放补贴8万元") && !read.text.contains("市教育局"), "nothing of the other unit")

            let answered = try await client.api(
                .post, "/api/v1/thematic-reports/\(id)/rule-changes", token: s.contact,
                json: #"{"title": "市财政局机关津补贴发放管理办法", "kind": "established", "adopted_on": "2026-12-20", "description": "明确项目和标准。", "version": 3}"#)
            #expect(answered.status == .created, "\(answered.text)")
            #expect(try answered.json()["status"] as? String == "answered")
            #expect(try await client.api(.post, "/api/v1/thematic-reports/\(id)/steps", token: s.contact, json: #"{"step": "close", "version": 4}"#).status == .forbidden)
            let closed = try await client.api(.post, "/api/v1/thematic-reports/\(id)/steps", token: s.office, json: #"{"step": "close", "version": 4}"#)
            #expect(try closed.json()["status"] as? String == "closed")
            #expect((try await client.api(.get, "/api/v1/thematic-reports?status=closed", token: s.contact).json()["items"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func thePagesListSelectSendAndAnswer(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Self.setUp(store, f, client)
            try await s.feedBack(store)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/systemic-problems", session: office)
            #expect(page.status == .ok)
            #expect(page.text.contains("廉洁纪律") && page.text.contains("市教育局"))
            #expect(page.text.contains(#"name="items" value="six_disciplines@1|integrity""#))
            #expect(page.text.contains("形成专题报告"))
            #expect(try await client.page(.get, "/", session: office).text.contains(#"href="/systemic-problems""#))

            let refused = try await client.page(
                .post, "/thematic-reports", session: office,
                form: EvaluationPagesTests.form(office, [("title", "专题报告"), ("body", "正文"), ("department_unit_id", f.cityUnit.id.text)]))
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("请至少勾选一个普遍性问题"))
            let created = try await client.page(
                .post, "/thematic-reports", session: office,
                form: EvaluationPagesTests.form(office, [
                    ("title", "关于违规发放津补贴问题的专题报告"), ("body", "建议完善制度。"), ("department_unit_id", f.cityUnit.id.text), ("items", "six_disciplines@1|integrity"),
                ]))
            #expect(created.status == .seeOther, "\(created.text)")
            let href = try EvaluationPagesTests.location(created)
            let report = try await client.page(.get, href, session: office)
            #expect(report.text.contains("送市财政局") && report.text.contains("data-confirm"))
            #expect(report.text.contains("送职能部门的表述") && report.text.contains("以课时费名义发放补贴8万元"), "the office drafts beside the sources")
            let unworded = try await client.page(.post, href + "/steps", session: office, form: EvaluationPagesTests.form(office, [("step", "send"), ("version", "1")]))
            #expect(unworded.status == .conflict)
            #expect(unworded.text.contains("尚未写明送职能部门的表述"))
            let (first, second) = (s.allowanceIDs[0], s.allowanceIDs[1])
            let worded = try await client.page(
                .post, href + "/problems", session: office,
                form: EvaluationPagesTests.form(office, [
                    ("version", "1"), ("finding_id", first), ("wording_\(first)", "有的单位以加班费等名义违规发放津补贴"), ("names_unit_\(first)", "yes"),
                    ("finding_id", second), ("wording_\(second)", "有的单位以课时费等名义违规发放津补贴"),
                ]))
            #expect(worded.status == .seeOther, "\(worded.text)")
            let sent = try await client.page(.post, href + "/steps", session: office, form: EvaluationPagesTests.form(office, [("step", "send"), ("version", "2")]))
            #expect(sent.status == .seeOther)

            let contact = try await f.signIn(store, .unitContact, kind: .web)
            #expect(try await client.page(.get, "/systemic-problems", session: contact).status == .forbidden)
            let home = try await client.page(.get, "/", session: contact)
            #expect(!home.text.contains(#"href="/systemic-problems""#) && home.text.contains(#"href="/thematic-reports""#))
            let inbox = try await client.page(.get, "/thematic-reports", session: contact)
            #expect(inbox.text.contains("关于违规发放津补贴问题的专题报告"))
            let read = try await client.page(.get, href, session: contact)
            #expect(read.text.contains("登记制度建立完善情况") && !read.text.contains("送市财政局"))
            #expect(read.text.contains("有的单位以课时费等名义违规发放津补贴") && read.text.contains("<strong>市财政局</strong>"))
            #expect(!read.text.contains("以课时费名义发放补贴8万元") && !read.text.contains("市教育局"), "the department's page shows nothing of the other unit")
            let answered = try await client.page(
                .post, href + "/rule-changes", session: contact,
                form: EvaluationPagesTests.form(contact, [
                    ("title", "市财政局机关津补贴发放管理办法"), ("kind", "established"), ("adopted_on", "2026-12-20"), ("description", "明确项目和标准。"), ("version", "3"),
                ]))
            #expect(answered.status == .seeOther, "\(answered.text)")
            #expect(try await client.page(.get, href, session: office).text.contains("市财政局机关津补贴发放管理办法"))
        }
    }

    @Test(arguments: TestEngine.available)
    func emptyStatesSayWhatToDo(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            #expect(try await client.page(.get, "/systemic-problems", session: office).text.contains("所选范围内没有出现在3个以上单位"))
            #expect(try await client.page(.get, "/thematic-reports", session: office).text.contains("还没有专题报告"))
            let contact = try await f.signIn(store, .unitContact, kind: .web)
            #expect(try await client.page(.get, "/thematic-reports", session: contact).text.contains("巡察办还没有向本单位送专题报告"))
        }
    }
}
