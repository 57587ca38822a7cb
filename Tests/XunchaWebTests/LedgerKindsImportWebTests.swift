import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// The problem list and the lead register are kinds of the one import: the same endpoint and page,
/// mapping, dry run, 编号 key and 补录 marks as every other ledger.
@Suite("导入台账：问题清单与线索台账")
struct LedgerKindsImportWebTests {
    static func csv(_ header: String, _ rows: [String]) -> Data { Data(([header] + rows).joined(separator: "\n").utf8) }

    static func post(_ client: some TestClientProtocol, _ uri: String, token: String, _ body: Data) async throws -> TestResponse {
        try await LedgerImportWebTests.post(client, uri, token: token, body: body, type: "text/csv")
    }

    static func problems(_ response: TestResponse) throws -> [(row: Int?, column: String?, text: String)] {
        try #require(try response.json()["problems"] as? [[String: Any]]).map { ($0["row"] as? Int, $0["column"] as? String, $0["text"] as? String ?? "") }
    }

    static func count(_ store: Store, _ sql: String) async throws -> Int {
        try await store.database.transaction { db in try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: sql)").first()!.decode(column: "n", as: Int.self) }
    }

    @Test(arguments: TestEngine.available)
    func aProblemListPreviewsByRowAndColumnWritesAndUpdatesByItsKey(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await Scenario.onSite(store, f)
            let office = try await f.signIn(store, .officeStaff).token
            let header = LedgerSamples.problemListHeader

            // A bad cell the plan sees, and a place only the database can tell: named by row and column.
            var bad = LedgerSamples.problemListRows
            bad[1] = bad[1].replacingOccurrences(of: "违规吃喝", with: "不存在的类别")
            let badCell = try await Self.post(client, "/api/v1/imports/problem_list?dry_run=true", token: office, Self.csv(header, bad))
            #expect(badCell.status == .ok)
            #expect(try Self.problems(badCell).map(\.row) == [3])
            #expect(try Self.problems(badCell).first?.column == "问题类别")
            var unknown = LedgerSamples.problemListRows
            unknown[2] = unknown[2].replacingOccurrences(of: "市财政局", with: "市不存在局")
            let place = try await Self.post(client, "/api/v1/imports/problem_list?dry_run=true", token: office, Self.csv(header, unknown))
            #expect(try Self.problems(place).map(\.text) == ["第4行“被巡察单位”列：本级没有名为“市不存在局”的被巡察单位"])
            let refused = try await Self.post(client, "/api/v1/imports/problem_list", token: office, Self.csv(header, unknown))
            #expect(refused.errorCode == "import_rejected")

            // A good file: the dry run counts, writes nothing; the import writes and marks.
            let good = Self.csv(header, LedgerSamples.problemListRows)
            let preview = try await Self.post(client, "/api/v1/imports/problem_list?dry_run=true", token: office, good)
            #expect(try preview.json()["created"] as? Int == 6)
            #expect(try preview.json()["written"] as? Bool == false)
            #expect(try await Self.count(store, "findings") == 0, "a dry run writes nothing")
            let written = try await Self.post(client, "/api/v1/imports/problem_list?file_name=%E9%97%AE%E9%A2%98%E6%B8%85%E5%8D%95.csv", token: office, good)
            #expect(written.status == .created)
            #expect(try written.json()["created"] as? Int == 6)
            #expect(try await Self.count(store, "findings") == 6)
            #expect(try await Self.count(store, "imported_records WHERE kind = 'problem_list' AND ledger_key IS NOT NULL") == 6)
            let p1 = try await store.database.transaction { db in
                try await db.raw("SELECT record_id FROM imported_records WHERE kind = 'problem_list' AND ledger_key = 'P-01'").first()!.decode(column: "record_id", as: String.self)
            }
            let mark = try await store.importMark(of: UUID(uuidString: p1)!, kind: .problemList, for: f.actor(.officeStaff))
            #expect(mark?.key == "P-01")
            #expect(mark?.fileName == "问题清单.csv")

            // Re-import by key: P-02 closed since, and a new problem; the header “台账编号” names the key too.
            var later = LedgerSamples.problemListRows
            later[1] = later[1].replacingOccurrences(of: "王科长,2026年9月30日,整改中,,", with: "赵科长,2026年9月30日,已销号,2026-11-30,")
            later.append("P-07,公务用车管理不规范,市财政局,十五届第1轮,第1批,第一巡察组,工作纪律,限期整改,,,张局长,办公室,周科长,2026-12-31,整改中,,2026-04-20,,,")
            let again = try await Self.post(
                client, "/api/v1/imports/problem_list", token: office, Self.csv(header.replacingOccurrences(of: "编号,问题描述", with: "台账编号,问题描述"), later))
            #expect(again.status == .created)
            #expect(try again.json()["updated"] as? Int == 6)
            #expect(try again.json()["created"] as? Int == 1)
            #expect(try await Self.count(store, "findings") == 7)
            #expect(try await Self.count(store, "rectification_tasks WHERE status = 'closed'") == 2)

            // The register is the custodian's; the problem list the office's — on the page too.
            let officePage = try await client.page(.get, "/imports", session: try await f.signIn(store, .officeStaff, kind: .web))
            #expect(officePage.text.contains("问题清单/整改台账") && !officePage.text.contains("问题线索台账"))
            let custodianPage = try await client.page(.get, "/imports", session: try await f.signIn(store, .leadCustodian, kind: .web))
            #expect(custodianPage.text.contains("问题线索台账") && !custodianPage.text.contains("问题清单/整改台账"))
            let custodian = try await f.signIn(store, .leadCustodian).token
            #expect(try await Self.post(client, "/api/v1/imports/problem_list?dry_run=true", token: custodian, good).status == .forbidden)
            #expect(try await Self.post(client, "/api/v1/imports/lead_register?dry_run=true", token: office, Self.csv(LedgerSamples.leadRegisterHeader, LedgerSamples.leadRegisterRows)).status == .forbidden)
        }
    }

    @Test(arguments: TestEngine.available)
    func aLeadRegisterImportsAndNamesTheProblemListsKeys(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await Scenario.onSite(store, f)
            let office = try await f.signIn(store, .officeStaff).token
            let custodian = try await f.signIn(store, .leadCustodian).token
            let register = Self.csv(LedgerSamples.leadRegisterHeader, LedgerSamples.leadRegisterRows)

            let preview = try await Self.post(client, "/api/v1/imports/lead_register?dry_run=true", token: custodian, register)
            #expect(preview.status == .ok)
            #expect(try preview.json()["created"] as? Int == 4)
            #expect(try await Self.count(store, "leads") == 0)
            let written = try await Self.post(client, "/api/v1/imports/lead_register", token: custodian, register)
            #expect(written.status == .created)
            #expect(try written.json()["created"] as? Int == 4)
            #expect(try await Self.post(client, "/api/v1/imports/lead_register", token: custodian, register).json()["updated"] as? Int == 4)
            #expect(try await Self.count(store, "leads") == 4)

            // 问题编号 names a problem the problem list's import wrote: its triage's lead is carried on.
            let header = "编号,问题编号,线索内容,被反映人,被巡察单位,巡察轮次,巡察组,干部管理权限,问题性质,接收单位,移交日期,办理状态"
            let handedOver = Self.csv(header, ["L-09,P-04,为亲属承揽工程提供便利,王某,市教育局,1,第一巡察组,本级管理,违纪,纪委监委,2026-05-06,已移交"])
            let early = try await Self.post(client, "/api/v1/imports/lead_register?dry_run=true", token: custodian, handedOver)
            #expect(try Self.problems(early).map(\.text) == ["第2行“问题编号”列：问题清单中没有编号为“P-04”的问题，请先导入问题清单"])
            let problems = try await Self.post(client, "/api/v1/imports/problem_list", token: office, Self.csv(LedgerSamples.problemListHeader, LedgerSamples.problemListRows))
            #expect(problems.status == .created)
            #expect(try await Self.count(store, "leads") == 5)
            let carried = try await Self.post(client, "/api/v1/imports/lead_register", token: custodian, handedOver)
            #expect(carried.status == .created)
            #expect(try carried.json()["updated"] as? Int == 1)
            #expect(try carried.json()["created"] as? Int == 0)
            #expect(try await Self.count(store, "leads") == 5, "a lead on both ledgers counts once")
            #expect(try await Self.count(store, "leads WHERE status = 'transferred'") == 2)
        }
    }
}
