import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 整改台账 as of a day over HTTP: the lists, their exports and the page take `as_of`.
@Suite("整改台账截至某日 HTTP")
struct LedgerAsOfHTTPTests {
    @Test(arguments: TestEngine.available)
    func theLedgerListsAndThePageTakeTheDayTheyAreReadAs(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            for path in ["/api/v1/rectification-tasks", "/api/v1/rectification-problems", "/api/v1/rectification-overdue"] {
                #expect(try await client.api(.get, "\(path)?as_of=2026-06-30", token: office).status == .ok, "\(path)")
                let bad = try await client.api(.get, "\(path)?as_of=2026-13-01", token: office)
                #expect(bad.status == .badRequest, "\(path)")
                #expect(bad.text.contains("数据截至日期"), "\(path) names the field")
            }
            let csv = try await client.api(.get, "/api/v1/rectification-overdue?as_of=2026-06-30&format=csv", token: office)
            #expect(csv.status == .ok)

            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let overdue = try await client.page(.get, "/ledger?list=overdue-units&as_of=2026-06-30", session: session)
            #expect(overdue.status == .ok)
            #expect(overdue.text.contains("name=\"as_of\" value=\"2026-06-30\"") && overdue.text.contains("回到今天"))
            let tasks = try await client.page(.get, "/ledger?list=tasks", session: session)
            #expect(tasks.text.contains("name=\"as_of\" value=\"\""))
        }
    }
}
