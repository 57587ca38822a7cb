import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("Fieldwork API: records, reporter identity, working papers, triage")
struct FieldworkAPITests {
    /// The API setup of `AssignmentsAPITests` with 张组长 linked to the group-leader account, one
    /// group on 市财政局, the round on site and both members pledged.
    struct Setup {
        let base: AssignmentsAPITests.Setup
        let assignmentID: String
        /// The group at work on the assignment, for scenarios built through the store.
        let work: Inspecting
    }

    static func setUp(_ store: Store, _ f: Fixture, _ client: some TestClientProtocol, office: String) async throws -> Setup {
        let base = try await AssignmentsAPITests.setUp(store, f, client, office: office)
        let linked = try await client.api(
            .patch, "/api/v1/inspectors/\(base.leaderID)", token: office,
            json: #"{"name": "张组长", "home_unit_name": "市委组织部", "category": "组织", "rank": "正处级", "in_leader_pool": true, "version": 1, "account_username": "\#(f.users[.groupLeader]!.username)"}"#)
        #expect(linked.status == .ok, "\(linked.text)")
        let accepted = try await client.api(
            .post, "/api/v1/rounds/\(base.roundID)/proposal/accept", token: office,
            json: #"""
                {"batch_id": "\#(base.batchID)", "groups": [{"name": "第一巡察组", "unit_ids": ["\#(f.cityUnit.id.text)"],
                 "members": [{"inspector_id": "\#(base.leaderID)", "role": "leader"}, {"inspector_id": "\#(base.auditorID)", "role": "member"}]}]}
                """#)
        #expect(accepted.status == .created, "\(accepted.text)")
        let assignmentID = try #require(((try accepted.json()["items"] as? [[String: Any]])?.first?["assignments"] as? [[String: Any]])?.first?["id"] as? String)
        try await Scenario.enter(try #require(UUID(text: base.roundID)), store, f)
        for role in [Role.groupLeader, .groupMember] {
            let token = try await f.signIn(store, role).token
            #expect(try await client.api(.post, "/api/v1/rounds/\(base.roundID)/pledge", token: token).status == .created)
        }
        return Setup(base: base, assignmentID: assignmentID, work: Inspecting(f: f, assignmentID: try #require(UUID(text: assignmentID))))
    }

    static let readers: Set<Role> = [.officeStaff, .leadCustodian, .leadingGroupMember, .groupLeader, .groupMember]

    @Test(arguments: TestEngine.available)
    func recordsAndPapersStayWithTheGroupAndTheOfficeRoleByRole(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let leader = try await f.signIn(store, .groupLeader).token
            let s = try await Self.setUp(store, f, client, office: office)
            let path = "/api/v1/assignments/\(s.assignmentID)"

            let alone = try await client.api(
                .post, "\(path)/records", token: member,
                json: #"{"kind": "个别谈话", "subject": "李某", "occurred_on": "2026-12-10", "body": "谈话内容", "inspectors": [{"inspector_id": "\#(s.base.auditorID)"}]}"#)
            #expect(alone.status == .badRequest)
            #expect(alone.errorCode == "two_interviewers")
            let interview = try await client.api(
                .post, "\(path)/records", token: member,
                json: #"""
                    {"kind": "interview", "subject": "李某", "subject_post": "财务科科长", "occurred_on": "2026-12-10", "body": "谈话内容", "interview_category": "必谈",
                     "inspectors": [{"inspector_id": "\#(s.base.leaderID)", "part": "lead"}, {"inspector_id": "\#(s.base.auditorID)", "part": "recorder"}]}
                    """#)
            #expect(interview.status == .created, "\(interview.text)")
            let petition = try await client.api(
                .post, "\(path)/records", token: member,
                json: #"""
                    {"kind": "petition", "subject": "反映违规发放补贴", "occurred_on": "2026-12-11", "body": "来信称……", "channel": "来信", "reflected_person": "李某",
                     "inspectors": [{"inspector_id": "\#(s.base.auditorID)"}], "reporter": {"name": "赵某", "contact": "139xxxx0000"}}
                    """#)
            #expect(petition.status == .created, "\(petition.text)")
            let petitionID = try #require(try petition.json()["id"] as? String)
            #expect(!petition.text.contains("赵某"), "the reporter is never part of the record")

            let untagged = try await client.api(
                .post, "\(path)/findings", token: member, json: #"{"title": "违规发放津补贴", "manifestation": "……", "basis": "……", "tags": []}"#)
            #expect(untagged.errorCode == "classification_required")
            let drafted = try await client.api(
                .post, "\(path)/findings", token: member,
                json: #"{"title": "违规发放津补贴", "manifestation": "以加班费名义发放补贴", "basis": "违反财经纪律", "tags": [{"scheme": "four_winds", "version": 1, "entry": "allowances"}]}"#)
            #expect(drafted.status == .created, "\(drafted.text)")
            let findingID = try #require(try drafted.json()["id"] as? String)
            for (token, step, note, version) in [(member, "submit", "", 1), (leader, "approve", "组务会同意", 2)] {
                let moved = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: token, json: #"{"step": "\#(step)", "note": "\#(note)", "version": \#(version)}"#)
                #expect(moved.status == .ok, "\(step): \(moved.text)")
            }
            let triaged = try await client.api(.post, "/api/v1/findings/\(findingID)/triage", token: leader, json: #"{"disposition": "限期整改", "version": 3}"#)
            #expect(try triaged.json()["disposition"] as? String == "deadline")
            #expect(try triaged.json()["number"] as? String == "〔2026〕第1轮第一巡察组底稿第01号")
            // 限期整改 opens neither a lead nor a 立行立改 item: both ids are there, null.
            #expect(try triaged.json()["lead_id"] is NSNull && triaged.json()["immediate_id"] is NSNull, "\(triaged.text)")

            for role in Role.allCases {
                let token = try await f.signIn(store, role).token
                for list in ["/api/v1/records", "/api/v1/findings"] {
                    let response = try await client.api(.get, list, token: token)
                    #expect(response.status == (Self.readers.contains(role) ? .ok : .forbidden), "\(role) \(list)")
                }
                if !Self.readers.contains(role) {
                    for (hidden, missing) in [
                        ("/api/v1/records/\(petitionID)", "/api/v1/records/\(UUID().uuidString)"),
                        ("/api/v1/findings/\(findingID)", "/api/v1/findings/\(UUID().uuidString)"),
                    ] {
                        let denied = try await client.api(.get, hidden, token: token)
                        let absent = try await client.api(.get, missing, token: token)
                        #expect(denied.status == .notFound, "\(role) \(hidden)")
                        #expect(denied.text == absent.text, "\(role): a hidden record must look exactly like a missing one")
                    }
                }
                let reporter = try await client.api(.get, "/api/v1/records/\(petitionID)/reporter", token: token)
                let mayReadReporter: Set<Role> = [.groupLeader, .leadCustodian]
                #expect(reporter.status == (mayReadReporter.contains(role) ? .ok : .notFound), "\(role) reporter")
                if mayReadReporter.contains(role) { #expect(try reporter.json()["name"] as? String == "赵某") }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func badFieldworkInputIsRefusedClearly(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let s = try await Self.setUp(store, f, client, office: office)
            let path = "/api/v1/assignments/\(s.assignmentID)"
            let person = #"[{"inspector_id": "\#(s.base.auditorID)"}]"#
            let cases: [(HTTPRequest.Method, String, String?, String, String)] = [
                (.post, "\(path)/records", #"{"subject": "x", "occurred_on": "2026-12-10", "body": "x", "inspectors": \#(person)}"#, member, "required"),
                (.post, "\(path)/records", #"{"kind": "会议", "subject": "x", "occurred_on": "2026-12-10", "body": "x", "inspectors": \#(person)}"#, member, "unknown_kind"),
                (.post, "\(path)/records", #"{"kind": "petition", "subject": "x", "occurred_on": "2026-12-10", "body": "x", "channel": "传真", "inspectors": \#(person)}"#, member, "unknown_channel"),
                (.post, "\(path)/records", #"{"kind": "field_visit", "subject": "x", "occurred_on": "2026-13-40", "body": "x", "inspectors": \#(person)}"#, member, "invalid_date"),
                (.post, "\(path)/records", #"{"kind": "field_visit", "subject": "x", "occurred_on": "2026-12-10", "body": " ", "inspectors": \#(person)}"#, member, "required"),
                (.post, "\(path)/findings", #"{"title": "x", "manifestation": "x", "tags": [{"scheme": "six_disciplines", "version": 1, "entry": "integrity"}]}"#, member, "required"),
                (.post, "\(path)/findings", #"{"title": "x", "manifestation": "x", "basis": "x", "tags": [{"scheme": "six_disciplines", "version": 9, "entry": "integrity"}]}"#, member, "unknown_classification"),
                (.post, "/api/v1/classifications", #"{"code": "新", "title": "x", "entries": [{"code": "a", "title": "甲"}]}"#, office, "invalid_code"),
                (.get, "/api/v1/findings?disposition=转办", nil, office, "unknown_disposition"),
                (.get, "/api/v1/records?kind=会议", nil, office, "unknown_kind"),
            ]
            for (method, url, body, token, code) in cases {
                let response = try await client.api(method, url, token: token, json: body)
                #expect((400..<500).contains(response.status.code), "\(url) \(body ?? "")")
                #expect(response.errorCode == code, "\(url) \(body ?? ""): \(response.text)")
            }
            #expect(try await store.onSiteRecords(RecordQuery(), for: f.actor(.officeStaff)).items.isEmpty)
            #expect(try await store.findings(FindingQuery(), for: f.actor(.officeStaff)).items.isEmpty)
            let added = try await client.api(
                .post, "/api/v1/classifications", token: office,
                json: #"{"code": "local_focus", "title": "本地重点关注问题", "entries": [{"code": "a", "title": "营商环境"}, {"code": "b", "title": "涉企收费", "parent": "a"}]}"#)
            #expect(added.status == .created)
            let listed = try await client.api(.get, "/api/v1/classifications", token: member)
            #expect(listed.text.contains("本地重点关注问题 › 营商环境 › 涉企收费"))
        }
    }

    @Test(arguments: TestEngine.available)
    func aTriagedLeadGoesThroughItsChainAndReachesOnlyItsReceiver(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let leader = try await f.signIn(store, .groupLeader).token
            let s = try await Self.setUp(store, f, client, office: office)
            let drafted = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/findings", token: member,
                json: #"{"title": "为亲属承揽工程提供便利", "manifestation": "……", "basis": "……", "tags": [{"scheme": "six_disciplines", "version": 1, "entry": "integrity"}]}"#)
            let findingID = try #require(try drafted.json()["id"] as? String)
            _ = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: member, json: #"{"step": "submit", "version": 1}"#)
            _ = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: leader, json: #"{"step": "approve", "note": "同意", "version": 2}"#)
            let noDetails = try await client.api(.post, "/api/v1/findings/\(findingID)/triage", token: leader, json: #"{"disposition": "lead", "version": 3}"#)
            #expect(noDetails.errorCode == "lead_details_required")
            let noAuthority = try await client.api(
                .post, "/api/v1/findings/\(findingID)/triage", token: leader, json: #"{"disposition": "lead", "version": 3, "lead": {"person_name": "李某", "subject": "discipline"}}"#)
            #expect(noAuthority.errorCode == "required")
            let triaged = try await client.api(
                .post, "/api/v1/findings/\(findingID)/triage", token: leader,
                json: #"{"disposition": "移交问题线索", "version": 3, "lead": {"person_name": "李某", "person_post": "财务科科长", "authority": "committee", "subject": "discipline", "content": "为亲属承揽工程提供便利"}}"#)
            #expect(triaged.status == .ok, "\(triaged.text)")
            let leads = try #require(try await client.api(.get, "/api/v1/leads", token: leader).json()["items"] as? [[String: Any]])
            let leadID = try #require(leads.first?["id"] as? String)
            // The triage names the lead it registered, and so does the paper read afterwards.
            #expect(try triaged.json()["lead_id"] as? String == leadID)
            #expect(try triaged.json()["immediate_id"] is NSNull)
            #expect(try await client.api(.get, "/api/v1/findings/\(findingID)", token: leader).json()["lead_id"] as? String == leadID)
            let custodian = try await f.signIn(store, .leadCustodian).token
            let leadingGroup = try await f.signIn(store, .leadingGroupMember).token
            let receiver = try await f.signIn(store, .disciplineReceiver).token
            let steps: [(String, String, String)] = [
                (leader, "screen", #""note": "组务会研判：可查""#), (leader, "propose", #""note": "移交市纪委监委""#), (leadingGroup, "approve", #""note": """#),
                (custodian, "transfer", #""transfer_sheet": "江巡移〔2026〕1号""#), (receiver, "receive", #""note": """#),
            ]
            for (index, (token, step, extra)) in steps.enumerated() {
                let moved = try await client.api(.post, "/api/v1/leads/\(leadID)/steps", token: token, json: #"{"step": "\#(step)", \#(extra), "version": \#(index + 1)}"#)
                #expect(moved.status == .ok, "\(step): \(moved.text)")
            }
            let twice = try await client.api(.post, "/api/v1/leads/\(leadID)/steps", token: custodian, json: #"{"step": "transfer", "transfer_sheet": "再次", "version": 6}"#)
            #expect(twice.status == .conflict)
            let badForm = try await client.api(
                .post, "/api/v1/leads/\(leadID)/steps", token: receiver, json: #"{"step": "answer", "disposition": {"method": "谈话函询", "form": 7, "result": "x"}, "version": 6}"#)
            #expect(badForm.errorCode == "invalid_form")
            let answered = try await client.api(
                .post, "/api/v1/leads/\(leadID)/steps", token: receiver,
                json: #"{"step": "answer", "disposition": {"method": "谈话函询", "form": 1, "people_count": 1, "result": "已函询，予以了结"}, "version": 6}"#)
            #expect(try answered.json()["status"] as? String == "answered")
            // The answer's 第一种形态 is counted under its label.
            let forms = try await client.api(.get, "/api/v1/statistics", token: office).json()["leads"] as? [String: Any]
            #expect((forms?["by_form"] as? [[String: Any]])?.first.map { [$0["code"] as? String, $0["title"] as? String, ($0["count"] as? Int).map(String.init)] } == ["1", "第一种形态", "1"])

            let organisation = try await f.signIn(store, .organisationReceiver).token
            #expect((try await client.api(.get, "/api/v1/leads", token: organisation).json()["items"] as? [Any])?.isEmpty == true)
            for role in [Role.officeStaff, .unitHead, .unitContact, .systemAdministrator, .auditAdministrator] {
                let token = try await f.signIn(store, role).token
                #expect(try await client.api(.get, "/api/v1/leads", token: token).status == .forbidden, "\(role)")
                let hidden = try await client.api(.get, "/api/v1/leads/\(leadID)", token: token)
                let missing = try await client.api(.get, "/api/v1/leads/\(UUID().uuidString)", token: token)
                #expect(hidden.status == .notFound, "\(role)")
                #expect(hidden.text == missing.text, "\(role)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theUnitSignsForAnImmediateRectificationWithoutSeeingThePaperBehindIt(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let leader = try await f.signIn(store, .groupLeader).token
            let head = try await f.signIn(store, .unitHead).token
            let contact = try await f.signIn(store, .unitContact).token
            let leadingGroup = try await f.signIn(store, .leadingGroupMember).token
            let s = try await Self.setUp(store, f, client, office: office)
            let drafted = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/findings", token: member,
                json: #"{"title": "违规发放津补贴", "manifestation": "以加班费名义发放补贴", "basis": "……", "tags": [{"scheme": "four_winds", "version": 1, "entry": "allowances"}]}"#)
            let findingID = try #require(try drafted.json()["id"] as? String)
            _ = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: member, json: #"{"step": "submit", "version": 1}"#)
            _ = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: leader, json: #"{"step": "approve", "note": "同意", "version": 2}"#)
            let triaged = try await client.api(.post, "/api/v1/findings/\(findingID)/triage", token: leader, json: #"{"disposition": "立行立改", "version": 3}"#)
            #expect(triaged.status == .ok, "\(triaged.text)")
            let items = try #require(try await client.api(.get, "/api/v1/immediate-rectifications", token: office).json()["items"] as? [[String: Any]])
            let itemID = try #require(items.first?["id"] as? String)
            #expect(try triaged.json()["immediate_id"] as? String == itemID, "the triage names the 立行立改 item it opened")
            #expect(try triaged.json()["lead_id"] is NSNull)
            #expect((try await client.api(.get, "/api/v1/immediate-rectifications", token: head).json()["items"] as? [Any])?.isEmpty == true)
            let steps: [(String, String, String)] = [
                (leadingGroup, "approve", #""note": """#),
                (leader, "issue", #""problem": "以加班费名义违规发放补贴", "requirement": "立即停止并清退""#),
                (head, "sign", #""note": """#),
                (contact, "report", #""measures": "已全部清退""#),
                (leader, "verify", #""note": "核实无误""#),
            ]
            for (index, (token, step, extra)) in steps.enumerated() {
                if step == "sign" {
                    let seen = try #require(try await client.api(.get, "/api/v1/immediate-rectifications", token: head).json()["items"] as? [[String: Any]])
                    #expect(seen.first?["problem"] as? String == "以加班费名义违规发放补贴")
                    #expect(seen.first?["finding_id"] is NSNull, "the unit is not told of the paper")
                    #expect(!(try await client.api(.get, "/api/v1/immediate-rectifications/\(itemID)", token: head).text.contains(findingID)))
                }
                let moved = try await client.api(
                    .post, "/api/v1/immediate-rectifications/\(itemID)/steps", token: token, json: #"{"step": "\#(step)", \#(extra), "version": \#(index + 1)}"#)
                #expect(moved.status == .ok, "\(step): \(moved.text)")
            }
            let closed = try await client.api(.get, "/api/v1/immediate-rectifications/\(itemID)", token: office)
            #expect(try closed.json()["status"] as? String == "closed")
            #expect(try await client.api(.get, "/api/v1/findings/\(findingID)", token: head).status == .notFound)
        }
    }

    @Test(arguments: TestEngine.available)
    func evidenceIsUploadedAsTheBodyAndDownloadedOnlyWithinTheRecordsScope(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let head = try await f.signIn(store, .unitHead).token
            let s = try await Self.setUp(store, f, client, office: office)
            let record = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/records", token: member,
                json: #"{"kind": "document_review", "subject": "会计凭证", "occurred_on": "2026-12-12", "body": "调阅", "inspectors": [{"inspector_id": "\#(s.base.auditorID)"}]}"#)
            let recordID = try #require(try record.json()["id"] as? String)
            let name = "凭证 扫描件.pdf".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let uploaded = try await client.api(
                .post, "/api/v1/records/\(recordID)/attachments?filename=\(name)", token: member, json: "%PDF-1.4\n%%EOF\n", contentType: "application/pdf")
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let href = try #require(try uploaded.json()["href"] as? String)
            let disguised = try await client.api(
                .post, "/api/v1/records/\(recordID)/attachments?filename=a.pdf", token: member, json: "<html>", contentType: "application/pdf")
            #expect(disguised.status == .unsupportedMediaType)
            #expect(disguised.errorCode == "file_type_not_allowed")

            let download = try await client.api(.get, href, token: office)
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/pdf")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(download.text == "%PDF-1.4\n%%EOF\n")
            let hidden = try await client.api(.get, href, token: head)
            let missing = try await client.api(.get, "/api/v1/attachments/\(UUID().uuidString)", token: head)
            #expect(hidden.status == .notFound)
            #expect(hidden.text == missing.text)
            #expect(try await client.api(.get, "/api/v1/records/\(recordID)/attachments", token: head).status == .notFound)
        }
    }
}
