import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 交叉统计 over HTTP: one request for a table of counts with its totals, the same on the
/// dashboard; a table that cannot be counted is 422 with its code and a Chinese message.
@Suite("交叉统计 API")
struct CrosstabAPITests {
    @Test(arguments: TestEngine.available)
    func aTableOfCountsWithItsTotalsInOneRequestAndOnTheDashboard(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await RectificationAPITests.issuedFeedback(store, f, client)
            let office = try await f.signIn(store, .officeStaff).token
            let member = try await f.signIn(store, .groupMember).token
            let assignmentID = try #require(
                ((try await client.api(.get, "/api/v1/findings", token: office).json()["items"] as? [[String: Any]])?.first?["assignment_id"] as? String))
            let drafted = try await client.api(
                .post, "/api/v1/assignments/\(assignmentID)/findings", token: member,
                json: #"{"title": "会议费报销手续不全", "manifestation": "……", "basis": "……", "tags": [{"scheme": "six_disciplines", "version": 1, "entry": "work"}]}"#)
            #expect(drafted.status == .created, "\(drafted.text)")

            let answer = try await client.api(.get, "/api/v1/statistics/crosstab?of=findings&rows=category&columns=status", token: office)
            #expect(answer.status == .ok, "\(answer.text)")
            let table = try answer.json()
            #expect(table["of"] as? String == "findings" && table["family"] as? String == "six_disciplines")
            #expect((table["row_dimension"] as? [String: Any])?["title"] as? String == "问题类别")
            let columns = try #require(table["columns"] as? [[String: Any]])
            #expect(columns.map { $0["code"] as? String } == ["draft", "under_review", "returned", "approved"])
            #expect(columns.first?["count"] as? Int == 1, "the draft")
            let rows = try #require(table["rows"] as? [[String: Any]])
            let work = try #require(rows.first { $0["code"] as? String == "work" })
            #expect(work["title"] as? String == "工作纪律" && work["cells"] as? [Int] == [1, 0, 0, 0] && work["count"] as? Int == 1)
            let total = try #require(table["total"] as? Int)
            #expect(total == rows.compactMap { $0["count"] as? Int }.reduce(0, +))
            #expect(total == columns.compactMap { $0["count"] as? Int }.reduce(0, +))

            let tasks = try await client.api(.get, "/api/v1/statistics/crosstab?of=tasks&rows=unit&columns=status", token: office).json()
            #expect(tasks["family"] is NSNull, "no family without a category")
            #expect((tasks["columns"] as? [[String: Any]])?.map { $0["code"] as? String } == TaskStatus.allCases.map(\.rawValue))

            for (query, code, field) in [
                ("of=findings&rows=colour&columns=status", "unknown_dimension", "rows"),
                ("of=tasks&rows=unit&columns=disposition", "unknown_dimension", "columns"),
                ("rows=status&columns=status", "same_dimension", "columns"),
                ("of=leads&rows=status&columns=unit", "unknown_records", "of"),
                ("rows=category&columns=status&family=nonesuch", "unknown_family", "family"),
                ("rows=unit&columns=status&as_of=2026-12-01", "crosstab_as_of", "as_of"),
            ] {
                let refused = try await client.api(.get, "/api/v1/statistics/crosstab?\(query)", token: office)
                #expect(refused.status == .unprocessableContent, "\(query): \(refused.text)")
                let error = try #require(try refused.json()["error"] as? [String: Any])
                #expect(error["code"] as? String == code && error["field"] as? String == field, "\(query)")
                #expect((error["message"] as? String)?.unicodeScalars.contains { $0.value >= 0x4E00 } == true, "a Chinese message: \(query)")
            }
            #expect(try await client.api(.get, "/api/v1/statistics/crosstab?rows=unit&columns=status&from=nope", token: office).status == .badRequest, "the filter is refused as everywhere")
            let head = try await f.signIn(store, .unitHead).token
            #expect(try await client.api(.get, "/api/v1/statistics/crosstab?rows=unit&columns=status", token: head).status == .forbidden, "a unit counts no papers")
            #expect(try await client.api(.get, "/api/v1/statistics/crosstab?of=tasks&rows=unit&columns=status", token: head).status == .ok)

            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/statistics?crosstab_of=findings&crosstab_rows=category&crosstab_columns=status", session: session)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h2>交叉统计</h2>") && page.text.contains(#"id="crosstab-table""#))
            #expect(page.text.contains("<th>问题类别 \\ 状态</th>"))
            #expect(page.text.contains(#"<td>工作纪律</td><td class="number">1</td>"#))
            #expect(page.text.contains(#"<option value="status" selected>状态</option>"#))
            let refusedOnPage = try await client.page(.get, "/statistics?crosstab_rows=status&crosstab_columns=status", session: session)
            #expect(refusedOnPage.status == .ok && refusedOnPage.text.contains("行与列须是两个不同的维度"))
            let unitPage = try await client.page(.get, "/statistics", session: try await f.signIn(store, .unitHead, kind: .web))
            #expect(unitPage.text.contains(#"<option value="tasks" selected>整改任务</option>"#) && !unitPage.text.contains(#"value="findings""#))
        }
    }
}
