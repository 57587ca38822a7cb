import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 业务日期 over HTTP: every chain's step body and step form may carry the day a step happened
/// (`occurred_on`) and, further back than the office's setting, why (`backfill_reason`); the
/// history gives both beside when the step was recorded.
@Suite("业务日期 HTTP")
struct BusinessDateHTTPTests {
    func newRound(_ client: some TestClientProtocol, token: String, sequence: Int) async throws -> String {
        let created = try await client.api(
            .post, "/api/v1/rounds", token: token,
            json: #"{"term": "十五届", "sequence": \#(sequence), "kind": "常规巡察", "planned_start": "2026-03-01", "planned_end": "2026-06-30"}"#)
        return try #require(try created.json()["id"] as? String)
    }

    @Test(arguments: TestEngine.available)
    func aStepBodyCarriesItsBusinessDayAndABadOneIsRefusedAsJSONWithNothingWritten(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let leadingGroup = try await f.signIn(store, .leadingGroupMember).token
            let roundID = try await newRound(client, token: office, sequence: 7)
            let today = CalendarDay(store.clock.now())
            let earlier = today.adding(days: -40)

            let unexplained = try await client.api(
                .post, "/api/v1/rounds/\(roundID)/steps", token: office, json: #"{"step": "submit_for_review", "version": 1, "occurred_on": "\#(earlier)"}"#)
            #expect(unexplained.status == .badRequest)
            #expect(unexplained.errorCode == "backfill_reason_required")
            #expect(unexplained.text.contains("补录原因"))
            let badDay = try await client.api(
                .post, "/api/v1/rounds/\(roundID)/steps", token: office, json: #"{"step": "submit_for_review", "version": 1, "occurred_on": "2026-02-30"}"#)
            #expect(badDay.errorCode == "invalid_date")

            let submitted = try await client.api(
                .post, "/api/v1/rounds/\(roundID)/steps", token: office,
                json: #"{"step": "submit_for_review", "version": 1, "occurred_on": "\#(earlier)", "backfill_reason": "系统启用前已报审"}"#)
            #expect(submitted.status == .ok, "\(submitted.text)")

            for (day, code) in [(today.adding(days: 1), "future_business_date"), (earlier.adding(days: -1), "business_date_before_previous")] {
                let refused = try await client.api(
                    .post, "/api/v1/rounds/\(roundID)/steps", token: leadingGroup,
                    json: #"{"step": "approve", "version": 2, "occurred_on": "\#(day)", "backfill_reason": "补录"}"#)
                #expect(refused.status == .badRequest)
                #expect(refused.errorCode == code)
            }
            let history = try await client.api(.get, "/api/v1/rounds/\(roundID)/steps", token: office).json()["items"] as? [[String: Any]] ?? []
            #expect(history.count == 1, "the refused steps wrote nothing")
            let entry = try #require(history.first)
            #expect(entry["occurred_on"] as? String == earlier.description)
            #expect(entry["backfilled"] as? Bool == true)
            #expect(entry["backfill_reason"] as? String == "系统启用前已报审")
            #expect(entry["at"] is String, "beside when it was recorded")

            let settings = try await client.api(.get, "/api/v1/settings", token: office).json()
            #expect(settings["backfill_days"] as? Int == 7)
        }
    }

    @Test(arguments: TestEngine.available)
    func aStepFormCarriesItsBusinessDayAndThePageShowsTheEntryAsBackfilled(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let token = try await f.signIn(store, .officeStaff).token
            let roundID = try await newRound(client, token: token, sequence: 8)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let day = CalendarDay(store.clock.now()).adding(days: -3)

            let form = try await client.page(.get, "/rounds/\(roundID)", session: office).text
            #expect(form.contains(#"name="occurred_on" type="date""#), "every step form offers the business day")
            #expect(form.contains(#"name="backfill_reason""#))
            let moved = try await client.page(
                .post, "/rounds/\(roundID)/steps", session: office, form: [("_csrf", office.session.csrfToken), ("step", "submit_for_review"), ("version", "1"), ("occurred_on", day.description)])
            #expect(moved.status == .seeOther, "\(moved.text)")
            let page = try await client.page(.get, "/rounds/\(roundID)", session: office).text
            #expect(page.contains(day.description))
            #expect(page.contains("补录"))

            let leadingGroup = try await f.signIn(store, .leadingGroupMember, kind: .web)
            let future = try await client.page(
                .post, "/rounds/\(roundID)/steps", session: leadingGroup,
                form: [("_csrf", leadingGroup.session.csrfToken), ("step", "approve"), ("version", "2"), ("occurred_on", CalendarDay(store.clock.now()).adding(days: 2).description)])
            #expect(future.status == .badRequest)
            #expect(future.text.contains("业务日期不能晚于今天"))
            #expect(future.text.contains(#"<details class="step-common" open>"#), "the refused field shows unfolded, beside its message")
        }
    }

    /// Triage is a step of the paper's chain with its own endpoint: it carries its business day too
    /// (what it opens, the 立行立改 notice or the lead, is dated on that day).
    @Test(arguments: TestEngine.available)
    func theTriageEndpointCarriesItsBusinessDay(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let leader = try await f.signIn(store, .groupLeader).token
            let s = try await FieldworkAPITests.setUp(store, f, client, office: office)
            let drafted = try await client.api(
                .post, "/api/v1/assignments/\(s.assignmentID)/findings", token: member,
                json: #"{"title": "违规发放津补贴", "manifestation": "……", "basis": "……", "tags": [{"scheme": "four_winds", "version": 1, "entry": "allowances"}]}"#)
            let id = try #require(try drafted.json()["id"] as? String)
            let today = CalendarDay(store.clock.now())
            let (found, triaged) = (today.adding(days: -30), today.adding(days: -20))
            _ = try await client.api(
                .post, "/api/v1/findings/\(id)/steps", token: member, json: #"{"step": "submit", "version": 1, "occurred_on": "\#(found)", "backfill_reason": "补录"}"#)
            _ = try await client.api(
                .post, "/api/v1/findings/\(id)/steps", token: leader, json: #"{"step": "approve", "note": "同意", "version": 2, "occurred_on": "\#(found)", "backfill_reason": "补录"}"#)
            let future = try await client.api(
                .post, "/api/v1/findings/\(id)/triage", token: leader, json: #"{"disposition": "立行立改", "version": 3, "occurred_on": "\#(today.adding(days: 1))"}"#)
            #expect(future.errorCode == "future_business_date")
            let done = try await client.api(
                .post, "/api/v1/findings/\(id)/triage", token: leader,
                json: #"{"disposition": "立行立改", "version": 3, "occurred_on": "\#(triaged)", "backfill_reason": "系统启用前已处置"}"#)
            #expect(done.status == .ok, "\(done.text)")
            let history = try await client.api(.get, "/api/v1/findings/\(id)/steps", token: leader).json()["items"] as? [[String: Any]] ?? []
            #expect(history.last?["step"] as? String == "triage")
            #expect(history.last?["occurred_on"] as? String == triaged.description)
            #expect(history.last?["backfill_reason"] as? String == "系统启用前已处置")
        }
    }

    /// 数据截至: the API, the dashboard and the export read the figures as of a day.
    @Test(arguments: TestEngine.available)
    func theFiguresAreReadAsOfADay(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let t = try await Scenario.feedbackIssued(store, f)
            _ = try await t.approvedPlan(store, deadlines: [t.today.adding(days: 10), t.today.adding(days: 40)])
            let office = try await f.signIn(store, .officeStaff).token
            func overdue(_ query: String) async throws -> Int? {
                let answer = try await client.api(.get, "/api/v1/statistics" + query, token: office)
                #expect(answer.status == .ok, "\(answer.text)")
                return (try answer.json()["rectification"] as? [String: Any])?["overdue"] as? Int
            }
            #expect(try await overdue("") == 0, "nothing is overdue today")
            #expect(try await overdue("?as_of=\(t.today.adding(days: 20))") == 1, "as of day 20 the task due on day 10 would be overdue")
            #expect(try await overdue("?as_of=\(t.today.adding(days: -1))") == 0)
            let tasksBefore = try await client.api(.get, "/api/v1/statistics?as_of=\(t.today.adding(days: -1))", token: office).json()["rectification"] as? [String: Any]
            #expect(tasksBefore?["tasks"] as? Int == 0, "the plan was not yet approved the day before")

            let bad = try await client.api(.get, "/api/v1/statistics?as_of=2026-13-01", token: office)
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "invalid_date")

            let web = try await f.signIn(store, .officeStaff, kind: .web)
            let dashboard = try await client.page(.get, "/statistics?as_of=\(t.today.adding(days: 20))", session: web).text
            #expect(dashboard.contains(#"name="as_of" value="\#(t.today.adding(days: 20))""#))
            #expect(dashboard.contains("as_of=\(t.today.adding(days: 20))"), "the dashboard's links and exports carry the day")
        }
    }
}
