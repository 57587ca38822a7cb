import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// Pages name people by 姓名 and objects in words, and write dates one way in tables and
/// another in prose.
@Suite("姓名、对象名称与日期 pages")
struct PeopleAndDatesPagesTests {
    /// The part of a page between its first `<table` and the `</table>` after it.
    static func table(_ html: String) -> String {
        guard let start = html.range(of: "<table"), let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex) else { return "" }
        return String(html[start.lowerBound..<end.upperBound])
    }

    @Test(arguments: TestEngine.available)
    func aPaperApprovedByAnAccountShowsTheApproversNameAndProseDates(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.onSite(store, f)
            let paper = try await s.atFinance.approvedPaper(store)
            let leader = f.users[.groupLeader]!
            let session = try await f.signIn(store, .groupLeader, kind: .web)
            let page = try await client.page(.get, "/findings/\(paper.id.text)", session: session).text
            // The fixture's clock stands at 2026-12-23 12:26 in Beijing.
            #expect(page.contains("<dd>\(leader.displayName)（2026年12月23日 12:26）</dd>"), "a record's page names the approver and writes the day as prose")
            #expect(!page.contains(leader.username))
            let list = try await client.page(.get, "/findings", session: session).text
            let rows = Self.table(list)
            #expect(rows.contains(f.users[.groupMember]!.displayName), "the list names the drafter")
            #expect(rows.contains("2026-12-23 12:26"), "a table writes the moment so its column lines up")
            #expect(!rows.contains("2026年12月23日"))
        }
    }

    @Test(arguments: TestEngine.available)
    func theAuditPageNamesObjectsInWordsWithNoCodeOrIdFragment(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let issued = try await Scenario.feedbackIssued(store, f)
            let (_, tasks) = try await issued.approvedPlan(store, deadlines: [issued.today.adding(days: 60)])
            let office = f.users[.officeStaff]!
            let session = try await f.signIn(store, .auditAdministrator, kind: .web)
            let rows = Self.table(try await client.page(.get, "/audit?action=task.step", session: session).text)
            #expect(rows.contains("整改任务 1-1 市财政局"), "\(rows.prefix(600))")
            #expect(!rows.contains("rectification_task"))
            #expect(!rows.contains(String(tasks[0].id.text.suffix(12))))
            #expect(!rows.contains("…"), "no id tail")
            let byOffice = Self.table(try await client.page(.get, "/audit?actor=\(office.username)", session: session).text)
            #expect(byOffice.contains("\(office.displayName)（\(office.username)）"), "the person and the account the log records")
            let byName = Self.table(try await client.page(.get, "/audit?actor=\(office.displayName.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", session: session).text)
            #expect(byName.contains("\(office.displayName)（\(office.username)）"), "found by the 姓名 shown too")

            let token = try await f.signIn(store, .auditAdministrator).token
            let items = try await client.api(.get, "/api/v1/audit?action=task.step", token: token).json()["items"] as? [[String: Any]] ?? []
            #expect(items.contains { $0["target_title"] as? String == "整改任务 1-1 市财政局" })
            #expect(items.allSatisfy { $0["target_type"] as? String == "rectification_task" }, "the code stays for programs")
            #expect(items.contains { $0["actor_display_name"] is String })
        }
    }
}
