import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import XunchaCore
import XunchaSheets
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

@Suite("导入台账 API 与页面")
struct LedgerImportWebTests {
    static let roster = "编号,姓名,单位,部门类别,职级,入库类别\nP1,张明,市委组织部,组织人事,正处级,组长库\nP2,李华,市财政局,审计,,人才库\n"

    static func post(_ client: some TestClientProtocol, _ uri: String, token: String, body: Data, type: String) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: .post, headers: [.authorization: "Bearer \(token)", .contentType: type], body: ByteBuffer(bytes: body))
    }

    @Test(arguments: TestEngine.available)
    func anXlsxPreviewsThenWritesAndAReImportUpdates(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let workbook = XLSXWriter.workbook(
                sheet: "名册", header: ["编号", "姓名", "单位", "部门类别", "职级", "入库类别"],
                rows: [["P1", "张明", "市委组织部", "组织人事", "正处级", "组长库"], ["P2", "李华", "市财政局", "审计", "", "人才库"]])
            let preview = try await Self.post(client, "/api/v1/imports/pool_roster?dry_run=true&sheet=%E5%90%8D%E5%86%8C", token: office, body: workbook, type: SheetReader.xlsxContentType)
            #expect(preview.status == .ok)
            let json = try preview.json()
            #expect(json["created"] as? Int == 2)
            #expect(json["written"] as? Bool == false)
            #expect((json["rows"] as? [[String: Any]])?.map { $0["row"] as? Int } == [2, 3])
            #expect(try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items.isEmpty)

            let written = try await Self.post(client, "/api/v1/imports/pool_roster?file_name=%E5%90%8D%E5%86%8C.xlsx", token: office, body: workbook, type: SheetReader.xlsxContentType)
            #expect(written.status == .created)
            #expect(try written.json()["created"] as? Int == 2)
            let again = try await Self.post(client, "/api/v1/imports/pool_roster", token: office, body: Data(Self.roster.utf8), type: "text/csv")
            #expect(try again.json()["updated"] as? Int == 2)
            #expect(try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items.count == 2)
        }
    }

    @Test(arguments: TestEngine.available)
    func badCellsBadMappingsAndBadRequestsAreRefusedInChinese(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let bad = Data("姓名,工作单位,部门类别,入库类别\n甲,某局,魔法,人才库\n".utf8)
            let preview = try await Self.post(client, "/api/v1/imports/pool_roster?dry_run=true", token: office, body: bad, type: "text/csv")
            let problems = try #require(try preview.json()["problems"] as? [[String: Any]])
            #expect(problems.first?["row"] as? Int == 2)
            #expect(problems.first?["column"] as? String == "部门类别")
            #expect(problems.first?["code"] as? String == "unknown_value")
            let refused = try await Self.post(client, "/api/v1/imports/pool_roster", token: office, body: bad, type: "text/csv")
            #expect(refused.errorCode == "import_rejected")
            #expect(try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items.isEmpty)

            // The mapping by position: the file's 人员 column is the name.
            let mapped = try await Self.post(
                client, "/api/v1/imports/pool_roster?dry_run=true&mapping=name,home_unit,category,pools", token: office,
                body: Data("人员,工作单位,部门类别,入库类别\n甲,某局,审计,人才库\n".utf8), type: "text/csv")
            #expect(try mapped.json()["created"] as? Int == 1)
            let byHeader = try await client.execute(
                uri: "/api/v1/imports/pool_roster?dry_run=true", method: .post,
                headers: [.authorization: "Bearer \(office)", .contentType: "text/csv", HTTPField.Name("X-Import-Mapping")!: "name,home_unit,category,pools"],
                body: ByteBuffer(string: "人员,工作单位,部门类别,入库类别\n甲,某局,审计,人才库\n"))
            #expect(try byHeader.json()["created"] as? Int == 1, "the mapping may come as a header")
            #expect(try await Self.post(client, "/api/v1/imports/pool_roster?mapping=name,magic", token: office, body: bad, type: "text/csv").errorCode == "unknown_column")
            #expect(try await Self.post(client, "/api/v1/imports/budgets", token: office, body: bad, type: "text/csv").errorCode == "unknown_kind")
            #expect(try await Self.post(client, "/api/v1/imports/pool_roster", token: office, body: bad, type: "application/json").status == .unsupportedMediaType)
            #expect(try await Self.post(client, "/api/v1/imports/pool_roster?sheet=x", token: office, body: XLSXWriter.workbook(sheet: "a", header: ["姓名"], rows: []), type: SheetReader.xlsxContentType).errorCode == "unknown_sheet")
            let leadingGroup = try await f.signIn(store, .leadingGroupMember).token
            #expect(try await Self.post(client, "/api/v1/imports/pool_roster?dry_run=true", token: leadingGroup, body: bad, type: "text/csv").status == .forbidden)
        }
    }

    @Test(arguments: TestEngine.available)
    func theImportPageMapsPreviewsMarksBadCellsAndConfirms(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let home = try await client.page(.get, "/", session: office)
            #expect(home.text.contains("href=\"/imports\""), "the menu offers the import to those who may")
            let unitHead = try await f.signIn(store, .unitHead, kind: .web)
            #expect(!(try await client.page(.get, "/", session: unitHead)).text.contains("href=\"/imports\""))
            #expect(try await client.page(.get, "/imports", session: unitHead).status == .forbidden)
            let choose = try await client.page(.get, "/imports", session: office)
            #expect(choose.text.contains("导入台账") && choose.text.contains("巡察干部名册（组长库、人才库）") && choose.text.contains("制度建设台账"))

            let csv = "人员,工作单位,部门类别,入库类别\n甲,市财政局,魔法,人才库\n乙,市审计局,审计,人才库\n"
            let unmapped = try await LeadPagesTests.upload(
                client, "/imports/preview", session: office, fields: [("kind", "pool_roster")], file: ("名册.csv", Data(csv.utf8)))
            #expect(unmapped.status == .badRequest)
            #expect(unmapped.text.contains("<option value=\"\" selected>（不导入）</option>"), "人员 matches no column: left out until chosen")
            #expect(unmapped.text.contains("“姓名”列：缺少必需的列"))
            #expect(!unmapped.text.contains("type=\"submit\">确认导入"), "no confirmation while anything is wrong")

            let mapping = [("column_0", "name"), ("column_1", "home_unit"), ("column_2", "category"), ("column_3", "pools")]
            let bad = try await LeadPagesTests.upload(
                client, "/imports/preview", session: office,
                fields: [("kind", "pool_roster"), ("file_name", "名册.csv"), ("file_data", Data(csv.utf8).base64EncodedString())] + mapping, file: nil)
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("<option value=\"name\" selected>姓名</option>"), "the chosen mapping is shown again")
            #expect(bad.text.contains("第2行“部门类别”列：未知的部门类别“魔法”"))
            #expect(bad.text.contains("<td class=\"cell-bad\" title=\"此单元格有误\">魔法</td>"), "the bad cell is marked")
            #expect(!bad.text.contains("type=\"submit\">确认导入"))

            let fixed = "人员,工作单位,部门类别,入库类别\n甲,市财政局,财务,人才库\n乙,市审计局,审计,人才库\n"
            let data = Data(fixed.utf8).base64EncodedString()
            let fields = [("kind", "pool_roster"), ("file_name", "名册.csv"), ("file_data", data)] + mapping
            let good = try await LeadPagesTests.upload(client, "/imports/preview", session: office, fields: fields, file: nil)
            #expect(good.status == .ok)
            #expect(good.text.contains("将新增 2 条，更新 0 条") && good.text.contains("确认导入"))
            #expect(try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items.isEmpty, "a preview writes nothing")
            let done = try await LeadPagesTests.upload(client, "/imports", session: office, fields: fields, file: nil)
            #expect(done.status == .ok)
            #expect(done.text.contains("新增 2 条，更新 0 条，均已标记为补录"))
            #expect(try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items.count == 2)
            #expect(try await store.rememberedMapping(.poolRoster, in: f.city.id, for: f.actor(.officeStaff))["人员"] == "name", "the chosen mapping is remembered")
            let imported = try #require(try await store.inspectors(InspectorQuery(search: "乙"), for: f.actor(.officeStaff)).items.first)
            #expect(try await client.page(.get, "/inspectors/\(imported.id.text)", session: office).text.contains("<dt>补录</dt><dd>导入自“名册.csv”，导入人 "), "the entry's page says it was imported")
        }
    }
}
