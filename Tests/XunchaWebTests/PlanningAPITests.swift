import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("Planning API")
struct PlanningAPITests {
    @Test(arguments: TestEngine.available)
    func aRoundIsPlannedStaffedAndAPlantedConflictIsRefusedThenOverridden(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let leadingGroup = try await f.signIn(store, .leadingGroupMember).token
            let created = try await client.api(
                .post, "/api/v1/rounds", token: office,
                json: #"{"term": "十五届", "sequence": 2, "kind": "常规巡察", "planned_start": "2026-03-01", "planned_end": "2026-06-30", "max_units_per_group": 2}"#)
            #expect(created.status == .created)
            let roundID = try #require(try created.json()["id"] as? String)
            let batch = try await client.api(.post, "/api/v1/rounds/\(roundID)/batches", token: office, json: #"{"entry_date": "2026-03-10", "exit_date": "2026-04-30"}"#)
            #expect(batch.status == .created)
            let batchID = try #require(try batch.json()["id"] as? String)
            for (token, step, note, version) in [(office, "submit_for_review", "", 1), (leadingGroup, "approve", "", 2), (office, "record_committee_approval", "江委〔2026〕3号", 3)] {
                let moved = try await client.api(.post, "/api/v1/rounds/\(roundID)/steps", token: token, json: #"{"step": "\#(step)", "note": "\#(note)", "version": \#(version)}"#)
                #expect(moved.status == .ok, "\(step): \(moved.text)")
            }
            let leader = try await client.api(
                .post, "/api/v1/inspectors", token: office,
                json: #"{"name": "张组长", "home_unit_name": "市委组织部", "category": "组织", "rank": "正处级", "in_leader_pool": true}"#)
            #expect(leader.status == .created)
            let insider = try await client.api(
                .post, "/api/v1/inspectors", token: office,
                json: #"{"name": "钱财政", "home_unit_id": "\#(f.cityUnit.id.text)", "home_unit_name": "市财政局", "category": "finance", "in_talent_pool": true}"#)
            let group = try await client.api(.post, "/api/v1/rounds/\(roundID)/groups", token: office, json: #"{"name": "第一巡察组"}"#)
            let groupID = try #require(try group.json()["id"] as? String)
            for (inspector, role) in [(try leader.json()["id"] as! String, "组长"), (try insider.json()["id"] as! String, "member")] {
                let added = try await client.api(.post, "/api/v1/groups/\(groupID)/members", token: office, json: #"{"inspector_id": "\#(inspector)", "role": "\#(role)"}"#)
                #expect(added.status == .created, "\(added.text)")
            }
            let refused = try await client.api(
                .post, "/api/v1/groups/\(groupID)/assignments", token: office, json: #"{"unit_id": "\#(f.cityUnit.id.text)", "batch_id": "\#(batchID)"}"#)
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "conflict_of_interest")
            let overridden = try await client.api(
                .post, "/api/v1/groups/\(groupID)/assignments", token: office,
                json: #"{"unit_id": "\#(f.cityUnit.id.text)", "batch_id": "\#(batchID)", "override_reason": "仅核查财务凭证，领导小组同意"}"#)
            #expect(overridden.status == .created)
            let proposal = try await client.api(
                .post, "/api/v1/rounds/\(roundID)/proposal", token: office, json: #"{"batch_id": "\#(batchID)", "unit_ids": ["\#(f.cityUnit.id.text)"]}"#)
            #expect(proposal.status == .ok)
            let detail = try await client.api(.get, "/api/v1/rounds/\(roundID)", token: leadingGroup)
            #expect(detail.status == .ok)
            #expect(detail.text.contains("第一巡察组"))
        }
    }

    /// Every chain answers `GET …/steps` the same way: its history, and the steps this reader may take now.
    @Test(arguments: TestEngine.available)
    func aRecordsStepsListItsHistoryAndWhatEachReaderMayDoNext(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let leadingGroup = try await f.signIn(store, .leadingGroupMember).token
            let created = try await client.api(
                .post, "/api/v1/rounds", token: office,
                json: #"{"term": "十五届", "sequence": 4, "kind": "常规巡察", "planned_start": "2026-03-01", "planned_end": "2026-06-30", "max_units_per_group": 2}"#)
            let roundID = try #require(try created.json()["id"] as? String)
            let submitted = try await client.api(.post, "/api/v1/rounds/\(roundID)/steps", token: office, json: #"{"step": "submit_for_review", "version": 1}"#)
            #expect(submitted.status == .ok, "\(submitted.text)")
            func steps(_ token: String) async throws -> (history: [String], available: [String]) {
                let answer = try await client.api(.get, "/api/v1/rounds/\(roundID)/steps", token: token)
                #expect(answer.status == .ok, "\(answer.text)")
                let body = try answer.json()
                let history = (body["items"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
                let available = (body["available"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
                return (history, available)
            }
            let seenByOffice = try await steps(office)
            #expect(seenByOffice.history == ["submit_for_review"])
            #expect(seenByOffice.available.isEmpty, "the office waits for the leading group")
            #expect(try await steps(leadingGroup).available == ["approve", "return"])
            let unit = try await f.signIn(store, .unitHead).token
            #expect(try await client.api(.get, "/api/v1/rounds/\(roundID)/steps", token: unit).status == .notFound)
        }
    }

    @Test(arguments: TestEngine.available)
    func planningIsTheOfficesAndThePoolsStayWithIt(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            for role in Role.allCases where role != .officeStaff {
                let token = try await f.signIn(store, role).token
                #expect(try await client.api(.get, "/api/v1/inspectors", token: token).status == .forbidden, "\(role)")
                let create = try await client.api(
                    .post, "/api/v1/rounds", token: token,
                    json: #"{"term": "十五届", "sequence": 1, "kind": "routine", "planned_start": "2026-03-01", "planned_end": "2026-06-30"}"#)
                #expect([.forbidden, .notFound].contains(create.status), "\(role)")
                let list = try await client.api(.get, "/api/v1/rounds", token: token)
                #expect(list.status == (role == .leadingGroupMember ? .ok : .forbidden), "\(role)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func badPlanningInputIsRefusedClearly(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let cases: [(String, String, String)] = [
                ("/api/v1/rounds", #"{"term": "十五届", "sequence": 1, "kind": "突击", "planned_start": "2026-03-01", "planned_end": "2026-06-30"}"#, "unknown_round_kind"),
                ("/api/v1/rounds", #"{"term": "十五届", "sequence": 1, "kind": "routine", "planned_start": "2026-02-30", "planned_end": "2026-06-30"}"#, "invalid_date"),
                ("/api/v1/rounds", #"{"term": "十五届", "sequence": "一", "kind": "routine"}"#, "wrong_type"),
                ("/api/v1/inspectors", #"{"name": "甲", "home_unit_name": "某局", "category": "组织", "rank": "正部级", "in_leader_pool": true}"#, "unknown_rank"),
                ("/api/v1/inspectors", #"{"name": "甲", "home_unit_name": "某局", "category": "组织", "in_leader_pool": true}"#, "rank_required"),
            ]
            for (path, body, code) in cases {
                let response = try await client.api(.post, path, token: office, json: body)
                #expect(response.status == .badRequest, "\(code): \(response.text)")
                #expect(response.errorCode == code)
            }
            let round = try await client.api(
                .post, "/api/v1/rounds", token: office, json: #"{"term": "十五届", "sequence": 1, "kind": "routine", "planned_start": "2026-03-01", "planned_end": "2026-06-30"}"#)
            let id = try #require(try round.json()["id"] as? String)
            let step = try await client.api(.post, "/api/v1/rounds/\(id)/steps", token: office, json: #"{"step": "fly", "version": 1}"#)
            #expect(step.errorCode == "unknown_step")
            let outside = try await client.api(.post, "/api/v1/rounds/\(id)/batches", token: office, json: #"{"entry_date": "2026-01-01", "exit_date": "2026-02-01"}"#)
            #expect(outside.errorCode == "batch_outside_round")
            let twice = try await client.api(
                .post, "/api/v1/plans", token: office,
                json: #"{"term": "十五届", "term_start": "2026-01-01", "term_end": "2030-12-31", "title": "规划", "targets": [{"unit_id": "\#(f.cityUnit.id.text)"}, {"unit_id": "\#(f.cityUnit.id.text)"}]}"#)
            #expect(twice.errorCode == "duplicate_target")
            let noTerm = try await client.api(.get, "/api/v1/coverage", token: office)
            #expect(noTerm.errorCode == "required")
            let coverage = try await client.api(.get, "/api/v1/coverage?term=%E5%8D%81%E4%BA%94%E5%B1%8A", token: office)
            #expect(coverage.status == .ok)
            #expect(try coverage.json()["total"] as? Int == 1)
            let roster = try await client.api(.post, "/api/v1/inspectors/import", token: office, json: "姓名,工作单位,部门类别,入库类别\n甲,某局,魔法,人才库\n", contentType: "text/csv")
            #expect(roster.errorCode == "import_rejected")
            #expect(try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items.isEmpty)
        }
    }
}
