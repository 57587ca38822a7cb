import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("Reports API")
struct ReportsAPITests {
    @Test(arguments: TestEngine.available)
    func aReportClimbsTheCommitteesChainIsFiledTwiceAndStaysAwayFromTheUnit(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let leader = try await f.signIn(store, .groupLeader).token
            let leadingGroup = try await f.signIn(store, .leadingGroupMember).token
            let s = try await FieldworkAPITests.setUp(store, f, client, office: office)
            let chain = try await client.api(
                .put, "/api/v1/settings", token: office,
                json: #"{"report_chain": [{"name": "巡察办审核", "role": "office_staff"}, {"name": "领导小组会议", "role": "巡察工作领导小组成员"}], "version": 1}"#)
            #expect(chain.errorCode == "invalid_report_chain", "a role by its wrong title is refused")
            let set = try await client.api(
                .put, "/api/v1/settings", token: office,
                json: #"{"report_chain": [{"name": "巡察办审核", "role": "office_staff"}, {"name": "领导小组会议", "role": "领导小组成员"}], "version": 1}"#)
            #expect(set.status == .ok, "\(set.text)")
            let drafted = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/findings", token: member,
                json: #"{"title": "违规发放津补贴", "manifestation": "……", "basis": "……", "tags": [{"scheme": "six_disciplines", "version": 1, "entry": "integrity"}]}"#)
            let findingID = try #require(try drafted.json()["id"] as? String)
            let early = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/reports", token: member,
                json: #"{"kind": "巡察报告", "title": "关于巡察市财政局党组的情况报告", "body": "……", "finding_ids": ["\#(findingID)"]}"#)
            #expect(early.errorCode == "finding_not_approved")
            _ = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: member, json: #"{"step": "submit", "version": 1}"#)
            _ = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: leader, json: #"{"step": "approve", "note": "同意", "version": 2}"#)
            let report = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/reports", token: member,
                json: #"{"kind": "巡察报告", "title": "关于巡察市财政局党组的情况报告", "body": "一、基本情况……", "finding_ids": ["\#(findingID)"]}"#)
            #expect(report.status == .created, "\(report.text)")
            let reportID = try #require(try report.json()["id"] as? String)
            for (token, step, version) in [(leader, "submit", 1), (office, "approve", 2), (leadingGroup, "approve", 3)] {
                let moved = try await client.api(.post, "/api/v1/reports/\(reportID)/steps", token: token, json: #"{"step": "\#(step)", "version": \#(version)}"#)
                #expect(moved.status == .ok, "\(step): \(moved.text)")
            }
            for recipient in ["市委", "省委巡视办"] {
                #expect(try await client.api(.post, "/api/v1/reports/\(reportID)/filings", token: office, json: #"{"recipient": "\#(recipient)"}"#).status == .created)
            }
            let filed = try await client.api(.get, "/api/v1/reports/\(reportID)", token: leadingGroup)
            #expect(try filed.json()["status"] as? String == "approved")
            #expect((try filed.json()["filings"] as? [[String: Any]])?.count == 2)
            let steps = try #require(try await client.api(.get, "/api/v1/reports/\(reportID)/steps", token: office).json()["items"] as? [[String: Any]])
            #expect(steps.compactMap { $0["stage"] as? String } == ["巡察办审核", "领导小组会议"])
            for role in [Role.unitHead, .unitContact, .disciplineReceiver, .leadCustodian] {
                let token = try await f.signIn(store, role).token
                #expect(try await client.api(.get, "/api/v1/reports", token: token).status == .forbidden, "\(role)")
                let hidden = try await client.api(.get, "/api/v1/reports/\(reportID)", token: token)
                let missing = try await client.api(.get, "/api/v1/reports/\(UUID().uuidString)", token: token)
                #expect(hidden.status == .notFound && hidden.text == missing.text, "\(role)")
            }
            let badKind = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/reports", token: member, json: #"{"kind": "简报", "title": "x", "body": "y", "finding_ids": []}"#)
            #expect(badKind.errorCode == "unknown_report_kind")
        }
    }

    @Test(arguments: TestEngine.available)
    func theUnitReadsItsIssuedFeedbackAndProblemsWithoutThePapersBehindThem(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let leader = try await f.signIn(store, .groupLeader).token
            let head = try await f.signIn(store, .unitHead).token
            let s = try await FieldworkAPITests.setUp(store, f, client, office: office)
            _ = try await client.api(.put, "/api/v1/settings", token: office, json: #"{"report_chain": [{"name": "常委会", "role": "office_staff"}], "version": 1}"#)
            let drafted = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/findings", token: member,
                json: #"{"title": "三重一大事项未经集体决策", "manifestation": "……", "basis": "……", "tags": [{"scheme": "three_important_one_large", "version": 1, "entry": "large_funds"}]}"#)
            let findingID = try #require(try drafted.json()["id"] as? String)
            _ = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: member, json: #"{"step": "submit", "version": 1}"#)
            _ = try await client.api(.post, "/api/v1/findings/\(findingID)/steps", token: leader, json: #"{"step": "approve", "note": "同意", "version": 2}"#)
            _ = try await client.api(.post, "/api/v1/findings/\(findingID)/triage", token: leader, json: #"{"disposition": "限期整改", "version": 3}"#)
            let document = #"{"number": "江巡反〔2026〕1号", "title": "反馈意见", "main_recipient": "市财政局党组", "copy_recipients": ["市纪委监委"], "body": "……", "plan_due": "2027-01-20", "report_due": "2027-02-28"}"#
            let early = try await client.api(.post, "/api/v1/assignments/\(s.assignmentID)/feedback", token: office, json: document)
            #expect(early.errorCode == "report_not_approved")
            let report = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/reports", token: leader,
                json: #"{"kind": "inspection", "title": "巡察报告", "body": "……", "finding_ids": ["\#(findingID)"]}"#)
            let reportID = try #require(try report.json()["id"] as? String)
            _ = try await client.api(.post, "/api/v1/reports/\(reportID)/steps", token: leader, json: #"{"step": "submit", "version": 1}"#)
            _ = try await client.api(.post, "/api/v1/reports/\(reportID)/steps", token: office, json: #"{"step": "approve", "version": 2}"#)
            let noDue = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/feedback", token: office,
                json: #"{"number": "1号", "title": "反馈意见", "main_recipient": "党组", "body": "……", "plan_due": "2027-01-20"}"#)
            #expect(noDue.errorCode == "required")
            let created = try await client.api(.post, "/api/v1/assignments/\(s.assignmentID)/feedback", token: office, json: document)
            #expect(created.status == .created, "\(created.text)")
            let feedbackID = try #require(try created.json()["id"] as? String)
            let problemID = try #require((try created.json()["problems"] as? [[String: Any]])?.first?["id"] as? String)
            #expect((try await client.api(.get, "/api/v1/feedback", token: head).json()["items"] as? [Any])?.isEmpty == true)
            let worded = try await client.api(
                .patch, "/api/v1/feedback/\(feedbackID)/problems/\(problemID)", token: office, json: #"{"text": "大额资金使用未经党组集体研究", "version": 1}"#)
            #expect(worded.status == .ok, "\(worded.text)")
            #expect(try await client.api(.post, "/api/v1/feedback/\(feedbackID)/issue", token: office, json: #"{"version": 2}"#).status == .ok)
            let seen = try await client.api(.get, "/api/v1/feedback/\(feedbackID)", token: head)
            let problems = try #require(try seen.json()["problems"] as? [[String: Any]])
            #expect(problems.map { $0["text"] as? String } == ["大额资金使用未经党组集体研究"])
            #expect(problems.first?["finding_id"] is NSNull)
            #expect(!seen.text.contains(findingID), "the unit is not told of the paper")
            #expect(try await client.api(.get, "/api/v1/feedback", token: try await f.signIn(store, .disciplineReceiver).token).status == .forbidden)
        }
    }
}
