import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("Assignments, pledge, notices and settings API")
struct AssignmentsAPITests {
    /// An approved round of the city with one batch, the settings at 一托2, and two cadres in the
    /// pools: 张组长 and 周审计, who is linked to the group-member account.
    struct Setup {
        let roundID: String
        let batchID: String
        let leaderID: String
        let auditorID: String
    }

    static func setUp(_ store: Store, _ f: Fixture, _ client: some TestClientProtocol, office: String) async throws -> Setup {
        let changed = try await client.api(.put, "/api/v1/settings", token: office, json: #"{"max_units_per_group": 2, "version": 0}"#)
        #expect(changed.status == .ok, "\(changed.text)")
        let created = try await client.api(
            .post, "/api/v1/rounds", token: office,
            json: #"{"term": "十五届", "sequence": 1, "kind": "routine", "planned_start": "2026-03-01", "planned_end": "2026-06-30"}"#)
        #expect(try created.json()["max_units_per_group"] as? Int == 2, "a new round takes the committee's 一托N")
        let roundID = try #require(try created.json()["id"] as? String)
        let batchID = try #require(
            try await client.api(.post, "/api/v1/rounds/\(roundID)/batches", token: office, json: #"{"entry_date": "2026-03-10", "exit_date": "2026-04-30"}"#)
                .json()["id"] as? String)
        _ = try await store.take(RoundStep.submitForReview, on: try #require(UUID(text: roundID)), note: nil, version: 1, origin: f.origin(.officeStaff))
        _ = try await store.take(RoundStep.approveByLeadingGroup, on: try #require(UUID(text: roundID)), note: nil, version: 2, origin: f.origin(.leadingGroupMember))
        _ = try await store.take(RoundStep.recordCommitteeApproval, on: try #require(UUID(text: roundID)), note: "江委〔2026〕1号", version: 3, origin: f.origin(.officeStaff))
        let leader = try await client.api(
            .post, "/api/v1/inspectors", token: office,
            json: #"{"name": "张组长", "home_unit_name": "市委组织部", "category": "组织", "rank": "正处级", "in_leader_pool": true}"#)
        let auditor = try await client.api(
            .post, "/api/v1/inspectors", token: office,
            json: #"{"name": "周审计", "home_unit_name": "市审计局", "category": "审计", "in_talent_pool": true}"#)
        let auditorID = try #require(try auditor.json()["id"] as? String)
        let linked = try await client.api(
            .patch, "/api/v1/inspectors/\(auditorID)", token: office,
            json: #"""
                {"name": "周审计", "home_unit_name": "市审计局", "category": "audit", "in_talent_pool": true, "version": 1,
                 "work_history": [{"unit_name": "市水务局", "from_year": 2010, "to_year": 2015}],
                 "relations": [{"unit_name": "市卫生健康委员会", "relation": "配偶", "person_name": "李某"}],
                 "training": "2026年市委巡察干部培训班", "evaluation": "2025年度优秀巡察员", "account_username": "\#(f.users[.groupMember]!.username)"}
                """#)
        #expect(linked.status == .ok, "\(linked.text)")
        #expect(try linked.json()["account_linked"] as? Bool == true)
        #expect((try linked.json()["work_history"] as? [[String: Any]])?.count == 1)
        return Setup(roundID: roundID, batchID: batchID, leaderID: try #require(try leader.json()["id"] as? String), auditorID: auditorID)
    }

    @Test(arguments: TestEngine.available)
    func aMembersAssignmentsOpenWithThePledgeAndCloseOnlyWhenTheOfficeGrantsTheUnitsRecusalRequest(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let head = try await f.signIn(store, .unitHead).token
            let s = try await Self.setUp(store, f, client, office: office)
            let accepted = try await client.api(
                .post, "/api/v1/rounds/\(s.roundID)/proposal/accept", token: office,
                json: #"""
                    {"batch_id": "\#(s.batchID)", "groups": [{"name": "第一巡察组", "unit_ids": ["\#(f.cityUnit.id.text)"],
                     "members": [{"inspector_id": "\#(s.leaderID)", "role": "leader"}, {"inspector_id": "\#(s.auditorID)", "role": "member"}]}]}
                    """#)
            #expect(accepted.status == .created, "\(accepted.text)")
            let groups = try #require(try accepted.json()["items"] as? [[String: Any]])
            let assignmentID = try #require((groups.first?["assignments"] as? [[String: Any]])?.first?["id"] as? String)

            func visible() async throws -> [String] {
                try #require(try await client.api(.get, "/api/v1/assignments", token: member).json()["items"] as? [[String: Any]]).compactMap { $0["unit_name"] as? String }
            }
            #expect(try await visible().isEmpty)
            #expect(try await client.api(.get, "/api/v1/assignments/\(assignmentID)", token: member).status == .notFound)
            let mine = try #require(try await client.api(.get, "/api/v1/me/groups", token: member).json()["items"] as? [[String: Any]])
            #expect(mine.first?["group_name"] as? String == "第一巡察组")
            #expect(!(mine.first?["pledged_at"] is String), "not yet signed")
            let pledge = try await client.api(.get, "/api/v1/pledge", token: member)
            #expect((try pledge.json()["prohibitions"] as? [String])?.count == 8)
            #expect(try await client.api(.post, "/api/v1/rounds/\(s.roundID)/pledge", token: member).status == .created)
            #expect(try await visible() == ["市财政局"])

            #expect(try await client.api(.get, "/api/v1/notices", token: head).json()["items"] as? [Any] != nil)
            let sent = try await client.api(.post, "/api/v1/assignments/\(assignmentID)/notice", token: office, json: #"{"number": "江巡办〔2026〕5号"}"#)
            #expect(sent.status == .created, "\(sent.text)")
            let notices = try #require(try await client.api(.get, "/api/v1/notices", token: head).json()["items"] as? [[String: Any]])
            #expect(notices.count == 1)
            let noticeID = try #require(notices.first?["id"] as? String)
            #expect((notices.first?["members"] as? [[String: Any]])?.count == 2, "the unit sees the group it will receive")
            #expect(try await client.api(.get, "/api/v1/assignments", token: head).status == .forbidden)

            let noReason = try await client.api(.post, "/api/v1/notices/\(noticeID)/recusal-requests", token: head, json: #"{"inspector_id": "\#(s.auditorID)"}"#)
            #expect(noReason.status == .badRequest)
            #expect(noReason.errorCode == "required")
            let requested = try await client.api(
                .post, "/api/v1/notices/\(noticeID)/recusal-requests", token: head, json: #"{"inspector_id": "\#(s.auditorID)", "reason": "其兄在本单位任副局长"}"#)
            #expect(requested.status == .created, "\(requested.text)")
            #expect(try requested.json()["status"] as? String == "pending")
            let requestID = try #require(try requested.json()["id"] as? String)
            #expect(try await visible() == ["市财政局"], "a request is not a recusal: the member keeps the unit until the office decides")
            #expect(try await client.api(.get, "/api/v1/me/waiting", token: office).json()["recusal_requests_to_decide"] as? Int == 1)

            let byUnit = try await client.api(.post, "/api/v1/recusal-requests/\(requestID)/decision", token: head, json: #"{"decision": "grant", "reason": "同意"}"#)
            #expect(byUnit.status == .forbidden, "the unit that asked does not decide")
            let unreasoned = try await client.api(.post, "/api/v1/recusal-requests/\(requestID)/decision", token: office, json: #"{"decision": "grant"}"#)
            #expect(unreasoned.status == .badRequest)
            #expect(unreasoned.errorCode == "required")
            #expect(try await visible() == ["市财政局"])
            let granted = try await client.api(
                .post, "/api/v1/recusal-requests/\(requestID)/decision", token: office, json: #"{"decision": "grant", "reason": "经核实属实，予以回避"}"#)
            #expect(granted.status == .ok, "\(granted.text)")
            #expect(try await visible().isEmpty, "recused once the office granted the unit's request")
            let outcome = try #require(try await client.api(.get, "/api/v1/recusal-requests", token: head).json()["items"] as? [[String: Any]])
            #expect(outcome.first?["status"] as? String == "granted")
            #expect(outcome.first?["decision_reason"] as? String == "经核实属实，予以回避", "the unit reads the office's reasons")
            let twice = try await client.api(.post, "/api/v1/recusal-requests/\(requestID)/decision", token: office, json: #"{"decision": "refuse", "reason": "x"}"#)
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "recusal_request_decided")
        }
    }

    @Test(arguments: TestEngine.available)
    func badAssignmentInputIsRefusedClearlyAndWritesNothing(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let s = try await Self.setUp(store, f, client, office: office)
            let cases: [(HTTPRequest.Method, String, String?, String, String)] = [
                (.put, "/api/v1/settings", #"{"max_units_per_group": 2}"#, office, "required"),
                (.put, "/api/v1/settings", #"{"max_units_per_group": 7, "version": 1}"#, office, "invalid_units_per_group"),
                (.put, "/api/v1/settings", #"{"recent_work_years": 3, "version": 0}"#, office, "stale_version"),
                (.patch, "/api/v1/inspectors/\(s.leaderID)", #"{"name": "张组长", "home_unit_name": "市委组织部", "category": "组织", "rank": "正处级", "in_leader_pool": true, "version": 9}"#, office, "stale_version"),
                (.patch, "/api/v1/inspectors/\(s.leaderID)", #"{"name": "张组长", "home_unit_name": "市委组织部", "category": "组织", "rank": "特级", "in_leader_pool": true, "version": 1}"#, office, "unknown_rank"),
                (.post, "/api/v1/rounds/\(s.roundID)/proposal/accept", #"{"batch_id": "\#(s.batchID)", "groups": [{"name": "第一巡察组", "unit_ids": ["\#(f.cityUnit.id.text)"], "members": [{"inspector_id": "\#(s.leaderID)", "role": "队长"}]}]}"#, office, "unknown_group_role"),
                (.post, "/api/v1/rounds/\(s.roundID)/proposal/accept", #"{"batch_id": "\#(s.batchID)", "groups": []}"#, office, "required"),
                (.post, "/api/v1/me/conflicts", #"{"unit_id": "\#(f.cityUnit.id.text)"}"#, member, "required"),
                (.post, "/api/v1/me/conflicts", #"{"unit_id": "\#(f.countyAUnit.id.text)", "reason": "曾在该局工作"}"#, member, "unknown_unit"),
                (.get, "/api/v1/assignments?round_id=abc", nil, office, "invalid_id"),
                (.get, "/api/v1/notices?limit=1000", nil, office, "invalid_limit"),
            ]
            for (method, path, body, token, code) in cases {
                let response = try await client.api(method, path, token: token, json: body)
                #expect((400..<500).contains(response.status.code), "\(path) \(body ?? "")")
                #expect(response.errorCode == code, "\(path) \(body ?? ""): \(response.text)")
            }
            #expect(try await store.groups(of: try #require(UUID(text: s.roundID)), for: f.actor(.officeStaff)).isEmpty)
            let settings = try await client.api(.get, "/api/v1/settings", token: office)
            #expect(try settings.json()["version"] as? Int == 1)
            #expect(try settings.json()["max_units_per_group"] as? Int == 2)
        }
    }
}
