import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaSeed
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// 工作台 on the demo city: every role finds what waits for it (待办), from the lifecycles' own
/// steps, in the API and on its home page; a step taken moves the item to 已办 and on to whoever
/// takes the next step; an overdue item can be reminded of (催办), and the reminder reaches the
/// person it waits for.
@Suite("Work centre over HTTP")
struct WorkCentreHTTPTests {
    /// What each demo role finds waiting: (kind, a word of the title, a step it waits for).
    static let expected: [(String, [(String, String, String)])] = [
        ("leader", [("round", "第2轮", "审议通过，报党委审批")]),
        ("zuzhang", [("finding", "公务接待超标准", "组长审定")]),
        ("zuyuan", [("pledge", "第1轮", "签署保密承诺书")]),
        ("danwei", [("immediate", "立改", "签收"), ("rectification_task", "任务1-1", "报告进展")]),
        ("lianluo", [("rectification_task", "任务1-1", "申请销号")]),
        ("zeren", [("rectification_task", "任务1-1", "报告进展")]),
        ("jiwei", [("lead", "线索", "签收")]),
        ("zuzhibu", []),
    ]

    /// What an inspected unit's accounts may never find waiting: the confidential chains.
    static let sealedFromUnits: Set<String> = ["finding", "lead", "report", "pledge", "recusal_request"]

    func waiting(_ client: any TestClientProtocol, _ token: String, list: String? = nil) async throws -> (total: Int, items: [[String: Any]]) {
        let response = try await client.api(.get, list.map { "/api/v1/me/work/\($0)" } ?? "/api/v1/me/waiting", token: token)
        #expect(response.status == .ok)
        let body = try response.json()
        return (body["total"] as? Int ?? -1, body["items"] as? [[String: Any]] ?? [])
    }

    func find(_ items: [[String: Any]], kind: String, title: String) -> [String: Any]? {
        items.first { $0["kind"] as? String == kind && ($0["title"] as? String)?.contains(title) == true }
    }

    @Test(arguments: TestEngine.available)
    func eachDemoRoleFindsItsPendingItemsInTheAPIAndOnItsHomePage(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            for (name, items) in Self.expected {
                let token = try await demoToken(store, name)
                let (total, found) = try await waiting(client, token)
                #expect(total == found.count, "\(name): one page holds all")
                if items.isEmpty { #expect(total == 0, "\(name) finds \(found)") }
                let web = try await store.signIn(username: name, password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
                let home = try await client.page(.get, "/", session: web).text
                for (kind, title, step) in items {
                    let item = try #require(find(found, kind: kind, title: title), "\(name) waits for \(kind) \(title): \(found)")
                    #expect((item["steps"] as? [String])?.contains(step) == true, "\(name): \(item)")
                    #expect((item["href"] as? String)?.hasPrefix("/") == true)
                    #expect(home.contains(item["title"] as? String ?? "?"), "\(name)'s home page lists \(title)")
                    #expect(home.contains("href=\"\(item["href"] as? String ?? "?")\""), "\(name)'s home page links to the form")
                }
                if total > 0 {
                    #expect(home.contains("<span class=\"count-badge\" title=\"待办事项\">\(total)</span>"), "\(name)'s menu shows the count")
                    // Every other page counts the badge itself, up to its cap, and shows the same.
                    let work = try await client.page(.get, "/work", session: web).text
                    #expect(work.contains("<span class=\"count-badge\" title=\"待办事项\">\(total)</span>"), "\(name)'s menu on another page")
                }
                // Counted up to a cap, the count is exact below it and the cap from it on.
                let actor = try #require(try await store.authenticate(token: token)).actor
                for cap in Set([1, 2, max(total, 1), total + 1, 100]) {
                    #expect(try await store.waitingCount(for: actor, atMost: cap) == min(total, cap), "\(name), up to \(cap)")
                }
                if ["danwei", "lianluo", "zeren"].contains(name) {
                    #expect(found.allSatisfy { !Self.sealedFromUnits.contains($0["kind"] as? String ?? "") }, "\(name) finds \(found)")
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aPaperHandedOverAsALeadIsNamedByItsNumberAloneInTheListsOfWhoWorkedOnIt(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let leader = try await demoToken(store, "zuzhang")
            for list in ["done", "settled"] {
                let titles = try await waiting(client, leader, list: list).items.compactMap { $0["title"] as? String }
                #expect(titles.contains { $0.contains("底稿第03号") }, "\(list): \(titles)")
                #expect(!titles.contains { $0.contains("国库支付中心负责人") }, "\(list) names the sealed paper: \(titles)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aStepTakenLeavesTheTakersListForItsDoneListAndWaitsForTheNextTaker(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let leader = try await demoToken(store, "leader")
            let office = try await demoToken(store, "office")
            let round = try #require(find(try await waiting(client, leader).items, kind: "round", title: "第2轮"))
            let id = try #require(round["id"] as? String)
            #expect(find(try await waiting(client, office).items, kind: "round", title: "第2轮") == nil, "the office waits for the leading group")
            let read = try await client.api(.get, "/api/v1/rounds/\(id)", token: leader).json()
            let version = try #require((read["round"] as? [String: Any])?["version"] as? Int)
            let step = try await client.api(.post, "/api/v1/rounds/\(id)/steps", token: leader, json: #"{"step":"approve","version":\#(version)}"#)
            #expect(step.status == .ok, "\(step.text)")
            #expect(find(try await waiting(client, leader).items, kind: "round", title: "第2轮") == nil)
            let done = try #require(find(try await waiting(client, leader, list: "done").items, kind: "round", title: "第2轮"))
            #expect(done["steps"] as? [String] == ["审议通过，报党委审批"])
            let next = try #require(find(try await waiting(client, office).items, kind: "round", title: "第2轮"))
            #expect(next["steps"] as? [String] == ["登记党委批准"])
        }
    }

    @Test(arguments: TestEngine.available)
    func theOfficeRemindsTheUnitOfAnOverdueTaskAndTheUnitFindsTheReminder(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            // The day after task 1-1's deadline (sessions are signed in after the days passed).
            let first = try #require(
                find(try await waiting(client, try await demoToken(store, "danwei")).items, kind: "rectification_task", title: "任务1-1"))
            let deadline = try CalendarDay(text: try #require(first["due"] as? String), field: "due", label: "时限")
            let clock = try #require(store.clock as? TestClock)
            while CalendarDay(clock.now()) <= deadline { clock.advance(by: 86_400) }
            let office = try await demoToken(store, "office")
            let unit = try await demoToken(store, "danwei")
            let tasks = try await waiting(client, unit).items.filter { $0["kind"] as? String == "rectification_task" }
            let onTime = try #require(tasks.first { $0["overdue"] as? Bool == false }, "the demo has a task on time")
            #expect(tasks.first { ($0["title"] as? String) == "任务1-1" }?["overdue"] as? Bool == true)
            let late = try #require(
                find(try await waiting(client, office, list: "overdue").items, kind: "rectification_task", title: "任务1-1"), "the office may remind task 1-1")
            let id = try #require(late["id"] as? String)

            let reminded = try await client.api(.post, "/api/v1/reminders", token: office, json: #"{"kind":"rectification_task","record_id":"\#(id)","note":"请于本周内报告进展"}"#)
            #expect(reminded.status == .created, "\(reminded.text)")
            let item = try #require(find(try await waiting(client, unit).items, kind: "rectification_task", title: "任务1-1"))
            let reminders = try #require(item["reminders"] as? [[String: Any]])
            #expect(reminders.map { $0["note"] as? String } == ["请于本周内报告进展"])
            #expect(reminders.first?["by_name"] as? String == "王明")
            let audit = try await store.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'reminder.send' AND target_id = \(bind: id)").first()?.decode(column: "n", as: Int64.self)
            }
            #expect(audit == 1)
            // The reminder stays with the task: on its page and in its history's API.
            let web = try await store.signIn(username: "danwei", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            let page = try await client.page(.get, "/rectification-tasks/\(id)", session: web).text
            #expect(page.contains("催办记录") && page.contains("请于本周内报告进展"))
            let steps = try await client.api(.get, "/api/v1/rectification-tasks/\(id)/steps", token: unit).json()
            #expect((steps["reminders"] as? [[String: Any]])?.first?["note"] as? String == "请于本周内报告进展")

            // An item on time is not reminded of; the unit reminds nobody; a bad kind is refused.
            let early = try await client.api(
                .post, "/api/v1/reminders", token: office, json: #"{"kind":"rectification_task","record_id":"\#(onTime["id"] as? String ?? "")"}"#)
            #expect(early.status == .conflict && early.errorCode == "not_overdue", "\(early.text)")
            let byUnit = try await client.api(.post, "/api/v1/reminders", token: unit, json: #"{"kind":"rectification_task","record_id":"\#(id)"}"#)
            #expect(byUnit.status == .notFound)
            let badKind = try await client.api(.post, "/api/v1/reminders", token: office, json: #"{"kind":"nothing","record_id":"\#(id)"}"#)
            #expect(badKind.status == .badRequest && badKind.errorCode == "invalid_kind")
        }
    }

    @Test(arguments: TestEngine.available)
    func issuedFeedbackWaitsForItsUnitsPlanUntilOneIsDraftedAndLinksToTheForm(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.feedbackIssued(store, f)
            let head = try await s.f.signIn(store, .unitHead).token
            let item = try #require(find(try await waiting(client, head).items, kind: "plan_to_draft", title: s.feedback.document.title))
            #expect(item["href"] as? String == "/rectification-plans/new?feedback=\(s.feedback.id.text)")
            #expect(item["steps"] as? [String] == ["拟定整改方案"])
            _ = try await store.draftRectificationPlan(for: s.feedback.id, content: FeedbackIssued.planContent, origin: s.head)
            #expect(find(try await waiting(client, head).items, kind: "plan_to_draft", title: s.feedback.document.title) == nil)
            #expect(find(try await waiting(client, head).items, kind: "rectification_plan", title: FeedbackIssued.planContent.title) != nil, "the head endorses it next")
        }
    }

    @Test(arguments: TestEngine.available)
    func aDraftWaitsForItsDrafterAndASubmittedPaperForTheGroupLeader(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, _ in
            let s = try await Scenario.onSite(store, f).atFinance
            func titles(_ origin: RequestOrigin) async throws -> [String: [String]] {
                Dictionary(uniqueKeysWithValues: try await store.workCentre(.waiting, for: origin.actor).items.map { ($0.title, $0.steps) })
            }
            let mine = try await store.draftFinding(in: s.assignmentID, content: try Scenario.content("成员起草的底稿"), tags: Scenario.integrity, origin: s.member)
            _ = try await store.draftFinding(in: s.assignmentID, content: try Scenario.content("组长起草的底稿"), tags: Scenario.integrity, origin: s.leader)
            #expect(try await titles(s.member) == ["成员起草的底稿": ["提交组务会审议"]])
            #expect(try await titles(s.leader) == ["组长起草的底稿": ["提交组务会审议"]])
            _ = try await store.take(FindingStep.submit, on: mine.id, note: nil, version: mine.version, origin: s.member)
            #expect(try await titles(s.member).isEmpty)
            #expect(try await titles(s.leader)["成员起草的底稿"] == ["退回修改", "组长审定"])
        }
    }

    @Test(arguments: TestEngine.available)
    func theWorkPageShowsEachListAndSaysSoWhenOneIsEmpty(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let web = try await store.signIn(username: "zuzhibu", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            let empty = try await client.page(.get, "/work", session: web)
            #expect(empty.status == .ok)
            #expect(empty.text.contains("当前没有待您办理的事项"))
            let leader = try await store.signIn(username: "leader", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            for list in ["waiting", "done", "settled", "overdue"] {
                let page = try await client.page(.get, "/work?list=\(list)", session: leader)
                #expect(page.status == .ok, "\(list)")
                #expect(page.text.contains("aria-current=\"page\">\(WorkList(rawValue: list)!.title)</a>"))
            }
            #expect(try await client.page(.get, "/work?list=nothing", session: leader).status == .notFound)
            #expect(try await client.page(.get, "/work?page=0", session: leader).status == .badRequest)
        }
    }

    @Test func theBadgeShowsTheCountBelowItsCapAnd99PlusFromItOn() {
        func badge(_ waiting: Int?) -> String? { Chrome(title: "工作台", user: nil, nav: [], csrf: "", notice: nil, waiting: waiting).waitingBadge }
        #expect(badge(nil) == nil)
        #expect(badge(0) == nil)
        #expect(badge(1) == "1")
        #expect(badge(Chrome.waitingBadgeCap - 1) == "99")
        #expect(badge(Chrome.waitingBadgeCap) == "99+")
        #expect(badge(123_456) == "99+")
    }
}
