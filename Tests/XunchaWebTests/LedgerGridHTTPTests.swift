import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import XunchaCore
import XunchaSeed
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// Ledgers that behave like spreadsheets (issue 15): columns that sort in SQL (kept in the address,
/// refused when unknown), a column chooser, a 合计 row over the whole filtered list, and one
/// search box within the reader's scope.
@Suite("台账排序、选列、合计与全站搜索 HTTP")
struct LedgerGridHTTPTests {
    /// 市财政局's one problem with three tasks: 任务1 due in 40 days (李科长1), 任务2 in 10 (李科长2),
    /// 任务3 in 25 (李科长3).
    static func threeTasks(_ store: Store, _ f: Fixture) async throws -> FeedbackIssued {
        let issued = try await Scenario.feedbackIssued(store, f)
        _ = try await issued.approvedPlan(store, deadlines: [issued.today.adding(days: 40), issued.today.adding(days: 10), issued.today.adding(days: 25)])
        return issued
    }

    static func targets(_ response: TestResponse) throws -> [String] {
        try (response.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["target"] as? String }
    }

    @Test(arguments: TestEngine.available)
    func theTaskListSortsInSQLByTheColumnAskedAndRefusesOthers(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await Self.threeTasks(store, f)
            let office = try await f.signIn(store, .officeStaff).token
            let own = try await client.api(.get, "/api/v1/rectification-tasks", token: office)
            #expect(try Self.targets(own) == ["任务2", "任务3", "任务1"], "nearest deadline first")
            let latest = try await client.api(.get, "/api/v1/rectification-tasks?sort=deadline&order=desc", token: office)
            #expect(try Self.targets(latest) == ["任务1", "任务3", "任务2"])

            // Paged by the sorted column: the cursor carries its order and nothing is skipped.
            let first = try await client.api(.get, "/api/v1/rectification-tasks?sort=cadre&order=desc&limit=2", token: office)
            #expect(try Self.targets(first) == ["任务3", "任务2"])
            let cursor = try #require(try first.json()["next_cursor"] as? String)
            let second = try await client.api(.get, "/api/v1/rectification-tasks?sort=cadre&order=desc&limit=2&cursor=\(cursor)", token: office)
            #expect(try Self.targets(second) == ["任务1"])
            let replayed = try await client.api(.get, "/api/v1/rectification-tasks?sort=deadline&limit=2&cursor=\(cursor)", token: office)
            #expect(replayed.status == .badRequest && replayed.errorCode == "invalid_cursor", "a cursor of another order")

            // The export holds the rows in the order asked for, as the page shows them.
            let csv = try await client.api(.get, "/api/v1/rectification-tasks?format=csv&sort=deadline&order=desc", token: office).text
            let exported = ["任务1", "任务3", "任务2"].compactMap { csv.range(of: ",\($0),")?.lowerBound }
            #expect(exported.count == 3 && exported == exported.sorted(), "\(csv)")

            let unknown = try await client.api(.get, "/api/v1/rectification-tasks?sort=problem_text", token: office)
            #expect(unknown.status == .badRequest && unknown.errorCode == "unknown_sort")
            #expect(unknown.text.contains("不能按“problem_text”排序"), "in Chinese, naming what was sent")
            let sideways = try await client.api(.get, "/api/v1/rectification-tasks?order=sideways", token: office)
            #expect(sideways.status == .badRequest && sideways.errorCode == "unknown_order" && sideways.text.contains("排序方向"))
            for path in ["/api/v1/findings", "/api/v1/leads", "/api/v1/supervision-checks", "/api/v1/rectification-problems"] {
                let bad = try await client.api(.get, "\(path)?sort=nonsense", token: path == "/api/v1/leads" ? try await f.signIn(store, .leadCustodian).token : office)
                #expect(bad.status == .badRequest && bad.errorCode == "unknown_sort", "\(path)")
            }
            let papers = try await client.api(.get, "/api/v1/findings?sort=unit&order=asc", token: office)
            #expect(papers.status == .ok)
            let problems = try await client.api(.get, "/api/v1/rectification-problems?sort=tasks&order=desc", token: office)
            #expect((try problems.json()["items"] as? [[String: Any]])?.first?["tasks"] as? Int == 3)

            // The page: the header links toggle the order, keep the filters, and say the state.
            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/ledger?list=tasks&owner=%E6%9D%8E&sort=deadline&order=desc", session: session)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<th aria-sort="descending"><a class="sort desc" href="/ledger?list=tasks&amp;order=asc&amp;owner=%E6%9D%8E&amp;sort=deadline">完成时限</a></th>"#))
            #expect(page.text.contains(#"<th aria-sort="none"><a class="sort " href="/ledger?list=tasks&amp;order=desc&amp;owner=%E6%9D%8E&amp;sort=progress">进度</a></th>"#))
            let order = ["任务1", "任务3", "任务2"].compactMap { page.text.range(of: ">\($0)</a>")?.lowerBound }
            #expect(order.count == 3 && order == order.sorted(), "rows in the asked order")
            let refused = try await client.page(.get, "/ledger?list=tasks&sort=nonsense", session: session)
            #expect(refused.status == .badRequest && refused.text.contains("不能按“nonsense”排序"))
        }
    }

    @Test(arguments: TestEngine.available)
    func theTotalsRowCountsTheWholeFilteredListAndColumnsCanBeHidden(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await Self.threeTasks(store, f)
            let session = try await f.signIn(store, .officeStaff, kind: .web)
            // One row per page, but the totals count all three.
            let paged = try await client.page(.get, "/ledger?list=tasks&limit=1", session: session)
            #expect(paged.text.contains(#"<tr class="totals"><td data-label="单位">合计：3项</td>"#))
            #expect(paged.text.contains("平均0%") && paged.text.contains("逾期0项") && paged.text.contains("已销号0项"))
            #expect(paged.text.contains("下一页"))
            let filtered = try await client.page(.get, "/ledger?list=responsibility&owner=%E6%9D%8E%E7%A7%91%E9%95%BF2", session: session)
            #expect(filtered.text.contains("合计：1项"), "the filter narrows the totals as it narrows the rows")
            let problems = try await client.page(.get, "/ledger?list=problems", session: session)
            #expect(problems.text.contains("合计：1个问题") && problems.text.contains(#"<td data-label="任务数">3</td>"#))

            // The column chooser: the address lists the shown columns (one `cols` per checkbox, or a list).
            let chosen = try await client.page(.get, "/ledger?list=tasks&cols=unit&cols=deadline&cols=progress", session: session)
            #expect(chosen.text.contains(">完成时限</a></th>") && !chosen.text.contains("<th>整改措施</th>"))
            #expect(chosen.text.contains(#"<input type="checkbox" name="cols" value="measures"> 整改措施"#))
            #expect(chosen.text.contains(#"<input type="checkbox" name="cols" value="deadline" checked> 完成时限"#))
            #expect(chosen.text.contains(#"href="/ledger?list=tasks">显示全部列</a>"#))
            #expect(chosen.text.contains("cols=unit%2Cdeadline%2Cprogress&amp;list=tasks&amp;order=asc&amp;sort=unit"), "sorting keeps the chosen columns")
            let all = try await client.page(.get, "/ledger?list=tasks", session: session)
            #expect(all.text.contains("<th>整改措施</th>") && !all.text.contains("显示全部列"))

            // The API's totals are not part of a page: the JSON list is unchanged.
            let office = try await f.signIn(store, .officeStaff).token
            #expect(try await client.api(.get, "/api/v1/rectification-tasks?limit=1", token: office).json().keys.sorted() == ["items", "next_cursor"])
        }
    }

    @Test(arguments: TestEngine.available)
    func theSearchFindsWhatTheReaderMaySeeGroupedAndPaged(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await Self.threeTasks(store, f)
            let office = try await f.signIn(store, .officeStaff).token
            let found = try await client.api(.get, "/api/v1/search?q=%E4%B8%89%E9%87%8D%E4%B8%80%E5%A4%A7", token: office)  // 三重一大
            #expect(found.status == .ok)
            let groups = try #require(try found.json()["groups"] as? [[String: Any]])
            #expect(groups.compactMap { $0["kind"] as? String } == ["units", "findings", "tasks", "reports"], "the office does not read leads")
            let papers = try #require(groups.first { $0["kind"] as? String == "findings" }?["items"] as? [[String: Any]])
            #expect(papers.count == 1 && (papers[0]["href"] as? String)?.hasPrefix("/findings/") == true)

            let tasks = try await client.api(.get, "/api/v1/search?q=%E4%BB%BB%E5%8A%A1&kind=tasks&limit=2", token: office)  // 任务
            let only = try #require(try tasks.json()["groups"] as? [[String: Any]])
            #expect(only.count == 1 && (only[0]["items"] as? [Any])?.count == 2)
            let cursor = try #require(only[0]["next_cursor"] as? String)
            let rest = try await client.api(.get, "/api/v1/search?q=%E4%BB%BB%E5%8A%A1&kind=tasks&limit=2&cursor=\(cursor)", token: office)
            #expect(((try rest.json()["groups"] as? [[String: Any]])?.first?["items"] as? [Any])?.count == 1)

            #expect(try await client.api(.get, "/api/v1/search", token: office).errorCode == "required")
            #expect(try await client.api(.get, "/api/v1/search?q=x&kind=records", token: office).errorCode == "unknown_kind")
            #expect(try await client.api(.get, "/api/v1/search?q=x&cursor=\(cursor)", token: office).errorCode == "cursor_needs_kind")

            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/search?q=%E4%B8%89%E9%87%8D%E4%B8%80%E5%A4%A7", session: session)
            #expect(page.status == .ok && page.text.contains("<h2>问题底稿</h2>") && page.text.contains("三重一大事项未经集体决策"))
            #expect(page.text.contains(#"<form class="site-search no-print" method="get" action="/search" role="search">"#), "the box is in the header")
        }
    }

    /// Role by role on the demo city: a word from a lead, a petition, an interview record and a
    /// working paper is searched by every demo account; an inspected unit (and every other role
    /// without the right) never finds a lead, a paper or a record, and nobody but those who read
    /// leads finds one.
    @Test(arguments: TestEngine.available)
    func anInspectedUnitNeverFindsLeadsPetitionsRecordsOrPapers(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let accounts = try await store.seedDemo()
            let app = Application(router: try await buildRouter(config: AppConfig(), store: store))
            let words: [String] = try await store.database.read { db in
                var words: [String] = []
                for sql: SQLQueryString in [
                    "SELECT l.person_name AS w FROM leads l JOIN users u ON u.jurisdiction_id = l.jurisdiction_id WHERE u.username = 'xiansuo' ORDER BY l.created_at LIMIT 1",
                    "SELECT l.number AS w FROM leads l JOIN users u ON u.jurisdiction_id = l.jurisdiction_id WHERE u.username = 'xiansuo' ORDER BY l.created_at LIMIT 1",
                    "SELECT title AS w FROM findings ORDER BY created_at LIMIT 1", "SELECT subject AS w FROM onsite_records ORDER BY created_at LIMIT 1",
                ] {
                    if let word = try await db.raw(sql).first()?.decode(column: "w", as: String.self) { words.append(String(word.prefix(8))) }
                }
                return words
            }
            #expect(words.count == 4, "the demo has leads, papers and records")
            let inspected: Set<Role> = [.unitHead, .unitContact, .taskOwner]
            try await app.test(.router) { client in
                var leadFound = false
                for account in accounts {
                    let roles = Role.allCases.filter { $0.title == account.roles }
                    let token = try await store.signIn(username: account.username, password: Store.demoPassword, kind: .api, clientAddress: "127.0.0.1").token
                    for word in words {
                        let response = try await client.api(.get, "/api/v1/search?q=\(ListLink.encode(word))", token: token)
                        #expect(response.status == .ok, "\(account.username) \(word)")
                        let groups = try response.json()["groups"] as? [[String: Any]] ?? []
                        let kinds = Set(groups.compactMap { $0["kind"] as? String })
                        let hrefs = groups.flatMap { ($0["items"] as? [[String: Any]] ?? []).compactMap { $0["href"] as? String } }
                        #expect(!hrefs.contains { $0.hasPrefix("/records") }, "\(account.username): records are never searched")
                        if !roles.isEmpty, Set(roles).isSubset(of: inspected) {
                            #expect(kinds.isSubset(of: ["units", "tasks"]), "\(account.username) (\(roles)) searches \(kinds.sorted())")
                            #expect(!hrefs.contains { $0.hasPrefix("/leads") || $0.hasPrefix("/findings") }, "\(account.username) found \(hrefs)")
                        }
                        let mayReadLeads = roles.contains { AccessPolicy.matrix[.viewLeads]?[$0] != nil }
                        if !mayReadLeads { #expect(!kinds.contains("leads") && !hrefs.contains { $0.hasPrefix("/leads") }, "\(account.username)") }
                        if account.username == "xiansuo", hrefs.contains(where: { $0.hasPrefix("/leads/") }) { leadFound = true }
                    }
                }
                #expect(leadFound, "the lead custodian does find the lead")
            }
        }
    }
}
