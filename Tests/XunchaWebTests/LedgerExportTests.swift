import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
import ZIPFoundation

@testable import XunchaWeb

@Suite("台账导出")
struct LedgerExportTests {
    /// Every ledger's list address in the API with the header row of its export.
    static let ledgers: [(path: String, header: [String])] = [
        ("/api/v1/rectification-problems", ["单位", "反馈意见文号", "序号", "问题", "整改任务数", "已销号", "逾期"]),
        ("/api/v1/rectification-tasks", ["单位", "任务编号", "问题", "整改目标", "整改措施", "完成时限", "类别", "进度", "状态", "预警"]),
        ("/api/v1/rectification-tasks?list=responsibility", ["单位", "任务编号", "整改任务", "责任领导", "责任部门", "责任人", "完成时限", "状态", "预警"]),
        ("/api/v1/supervision-checks", ["单位", "任务编号", "督查日期", "督查主体", "督查人", "督查方式", "督查结果", "情况说明"]),
        ("/api/v1/rectification-overdue?by=unit", ["单位", "逾期任务数", "最早完成时限"]),
        ("/api/v1/rectification-overdue?by=person", ["责任人", "单位", "逾期任务数", "最早完成时限"]),
        ("/api/v1/findings", ["编号", "问题标题", "被巡察单位", "问题表现", "定性依据", "状态", "处置方式", "起草人", "更新时间"]),
        (
            "/api/v1/leads",
            ["线索编号", "反映对象", "职务", "所在单位", "干部管理权限", "问题类别", "线索来源", "状态", "接收单位", "反馈期限", "是否逾期", "登记时间"]
        ),
        (
            "/api/v1/immediate-rectifications",
            ["通知书编号", "被巡察单位", "问题", "整改要求", "完成时限", "状态", "签收人", "签收时间", "整改措施", "销号时间"]
        ),
        ("/api/v1/rule-improvements", ["制度名称", "类别", "制定单位", "文号", "出台日期", "关联问题数", "登记人"]),
        ("/api/v1/evaluations", ["被巡察单位", "反馈意见文号", "计划评估日期", "评估日期", "评估等次", "二次整改时限", "状态"]),
        ("/api/v1/follow-ups", ["被巡察单位", "计划时间", "事由", "状态", "安排人"]),
        ("/api/v1/units", ["单位名称", "单位类型", "党组织类型", "所属党委", "主要负责人", "录入时间"]),
    ]

    static func url(_ path: String, format: String) -> String {
        path + (path.contains("?") ? "&" : "?") + "format=\(format)"
    }

    /// The rows of a CSV export after its header, checked to be UTF-8 with a BOM.
    static func csvRows(_ response: TestResponse, header: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String]] {
        #expect(response.status == .ok, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "text/csv; charset=utf-8", sourceLocation: sourceLocation)
        #expect(Array(response.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF], "a BOM so that Excel reads UTF-8", sourceLocation: sourceLocation)
        #expect(response.headers[.cacheControl] == "no-store", sourceLocation: sourceLocation)
        let table = try CSVTable.parse(Data(response.body.readableBytesView))
        #expect(table.header == header, sourceLocation: sourceLocation)
        return table.rows.map(\.fields)
    }

    /// A task under "三个一" on the fixture unit's issued feedback, its plan approved, one supervision check.
    static func approvedTask(_ store: Store, _ f: Fixture, _ client: any TestClientProtocol) async throws -> RectificationAPITests.Issued {
        let issued = try await RectificationAPITests.issuedFeedback(store, f, client)
        let office = try await f.signIn(store, .officeStaff).token
        let head = try await f.signIn(store, .unitHead).token
        let contact = try await f.signIn(store, .unitContact).token
        let drafted = try await client.api(
            .post, "/api/v1/feedback/\(issued.feedbackID)/rectification-plan", token: contact, json: #"{"title": "整改方案", "meeting": "党组会议专题研究"}"#)
        let planID = try #require(try drafted.json()["id"] as? String)
        let added = try await client.api(.post, "/api/v1/rectification-plans/\(planID)/tasks", token: contact, json: RectificationAPITests.task(issued.problemID, planVersion: 1))
        let taskID = try #require((try added.json()["tasks"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(try await client.api(.post, "/api/v1/rectification-plans/\(planID)/endorsement", token: head, json: #"{"version": 2}"#).status == .ok)
        #expect(try await client.api(.post, "/api/v1/rectification-plans/\(planID)/reviews", token: office, json: #"{"decision": "approve", "version": 3}"#).status == .created)
        let checked = try await client.api(
            .post, "/api/v1/rectification-tasks/\(taskID)/checks", token: office,
            json: #"{"checked_on": "2026-12-01", "method": "实地抽查", "result": "on_track", "note": "=SUM(A1)"}"#)
        #expect(checked.status == .created, "\(checked.text)")
        return issued
    }

    @Test(arguments: TestEngine.available)
    func everyLedgerExportsAsCSVAndAsAWorkbookWithItsHeader(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await Self.approvedTask(store, f, client)
            let office = try await f.signIn(store, .officeStaff).token
            let custodian = try await f.signIn(store, .leadCustodian).token
            for ledger in Self.ledgers {
                // Leads are read by their custodian; the office's account may not hold them.
                let token = ledger.path.hasPrefix("/api/v1/leads") ? custodian : office
                _ = try Self.csvRows(try await client.api(.get, Self.url(ledger.path, format: "csv"), token: token), header: ledger.header)
                let workbook = try await client.api(.get, Self.url(ledger.path, format: "xlsx"), token: token)
                #expect(workbook.status == .ok, "\(ledger.path): \(workbook.text.prefix(200))")
                #expect(workbook.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                #expect(Array(workbook.body.readableBytesView.prefix(2)) == Array("PK".utf8), "a ZIP package")
                let disposition = try #require(workbook.headers[.contentDisposition])
                #expect(disposition.hasPrefix("attachment;") && disposition.contains("filename*=UTF-8''%E") && disposition.hasSuffix(".xlsx"), "\(disposition)")
                let unknown = try await client.api(.get, Self.url(ledger.path, format: "pdf"), token: token)
                #expect(unknown.status == .badRequest && unknown.errorCode == "unknown_format", "\(ledger.path)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theExportHoldsEveryMatchingRowNotOnePage(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            for n in 1...3 {
                _ = try await store.createUnit(
                    UnitDraft(name: "导出测试单位\(n)", type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: f.city.id, origin: Fixture.console)
            }
            let page = try await client.api(.get, "/api/v1/units?q=导出测试&limit=1".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, token: office)
            #expect((try page.json()["items"] as? [Any])?.count == 1)
            let rows = try Self.csvRows(
                try await client.api(.get, "/api/v1/units?q=导出测试&limit=1&format=csv".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, token: office),
                header: Self.ledgers.last!.header)
            #expect(rows.map { $0[0] } == ["导出测试单位1", "导出测试单位2", "导出测试单位3"], "all rows, filtered, in the list's order")
        }
    }

    @Test(arguments: TestEngine.available)
    func aUnitExportsOnlyItsOwnRowsAndNeverLeadsOrPapers(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await Self.approvedTask(store, f, client)
            let contact = try await f.signIn(store, .unitContact).token
            let problems = Self.ledgers[0]
            let own = try Self.csvRows(try await client.api(.get, Self.url(problems.path, format: "csv"), token: contact), header: problems.header)
            #expect(own.map { $0[0] } == ["市财政局"])
            let office = try await f.signIn(store, .officeStaff).token
            let checks = try Self.csvRows(try await client.api(.get, "/api/v1/supervision-checks?format=csv", token: office), header: Self.ledgers[3].header)
            #expect(checks.first?[7] == "'=SUM(A1)", "a formula typed into a note is defused")

            // Another unit's contact gets the header and nothing of 市财政局.
            let school = try await store.createUnit(
                UnitDraft(name: "市教育局", type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: f.city.id, origin: Fixture.console)
            let stranger = try await store.createUser(
                UserDraft(
                    username: "t.edu.contact", displayName: "教育局联络员", jurisdictionID: f.city.id, roles: try RoleSet([.unitContact], unitGiven: true),
                    unitID: school.id),
                origin: Fixture.console)
            try await f.settle(store)
            let strangerToken = try await store.signIn(username: "t.edu.contact", password: stranger.oneTimePassword, kind: .api, clientAddress: "x").token
            for ledger in Self.ledgers.prefix(4) {
                let rows = try Self.csvRows(try await client.api(.get, Self.url(ledger.path, format: "csv"), token: strangerToken), header: ledger.header)
                #expect(rows.isEmpty, "\(ledger.path): \(rows)")
            }

            for path in ["/api/v1/leads?format=xlsx", "/api/v1/findings?format=csv", "/api/v1/leads?format=csv"] {
                let refused = try await client.api(.get, path, token: contact)
                #expect(refused.status == .forbidden, "\(path): \(refused.status)")
                #expect(refused.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            let web = try await f.signIn(store, .unitContact, kind: .web)
            #expect(try await client.page(.get, "/leads?format=csv", session: web).status == .forbidden)
            #expect(try await client.page(.get, "/findings?format=xlsx", session: web).status == .forbidden)
        }
    }

    @Test(arguments: TestEngine.available)
    func everyLedgerPageLinksToItsExportsWithTheFilters(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await Self.approvedTask(store, f, client)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let custodian = try await f.signIn(store, .leadCustodian, kind: .web)
            let pages: [(path: String, title: String)] = [
                ("/ledger?list=problems", "问题清单"), ("/ledger?list=tasks&warning=none", "任务清单"), ("/ledger?list=responsibility", "责任清单"),
                ("/ledger?list=checks", "督查清单"), ("/ledger?list=overdue-units", "逾期（按单位）"), ("/ledger?list=overdue-people", "逾期（按责任人）"),
                ("/findings?status=approved", "问题底稿"), ("/leads?status=registered", "线索台账"), ("/immediate-rectifications", "立行立改"),
                ("/rule-improvements", "制度台账"), ("/evaluations", "整改评估"), ("/follow-ups", "回头看"), ("/units?type=department", "被巡察单位"),
            ]
            for page in pages {
                let session = page.path.hasPrefix("/leads") ? custodian : office
                let shown = try await client.page(.get, page.path, session: session)
                #expect(shown.status == .ok, "\(page.path)")
                let query = page.path.split(separator: "?").dropFirst().first.map(String.init) ?? ""
                let base = String(page.path.split(separator: "?")[0])
                let first = query.split(separator: "&").sorted().first.map(String.init)
                #expect(shown.text.contains("id=\"export-excel\"") && shown.text.contains("导出CSV"), "\(page.path)")
                if let first { #expect(shown.text.contains("href=\"\(base)?") && shown.text.contains(first), "\(page.path) carries its filter") }
                let download = try await client.page(.get, Self.url(page.path, format: "xlsx"), session: session)
                #expect(download.status == .ok && download.headers[.contentType]?.contains("spreadsheetml") == true, "\(page.path)")
                let name = try #require(page.title.addingPercentEncoding(withAllowedCharacters: .init(charactersIn: "abcdefghijklmnopqrstuvwxyz")))
                #expect(download.headers[.contentDisposition]?.contains(name) == true, "\(page.path): \(download.headers[.contentDisposition] ?? "")")
                let csv = try await client.page(.get, Self.url(page.path, format: "csv"), session: session)
                #expect(csv.status == .ok && Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(page.path)")
            }
            #expect(try await client.page(.get, "/ledger?list=checks&format=ods", session: office).status == .badRequest)
        }
    }

    /// The worksheet of a workbook download, as XML.
    static func worksheet(_ client: some TestClientProtocol, _ path: String, token: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await client.api(.get, path, token: token)
        #expect(response.status == .ok, "\(path): \(response.text.prefix(200))", sourceLocation: sourceLocation)
        let archive = try Archive(data: Data(buffer: response.body), accessMode: .read)
        let entry = try #require(archive["xl/worksheets/sheet1.xml"], sourceLocation: sourceLocation)
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: TestEngine.available)
    func aLedgerWorkbookTypesItsCellsCarriesItsTitleAndAddsUpItsCounts(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await Self.approvedTask(store, f, client)
            let office = try await f.signIn(store, .officeStaff).token
            let today = DateText.prose(CalendarDay(store.clock.now()))
            let tasks = try await Self.worksheet(client, "/api/v1/rectification-tasks?format=xlsx", token: office)
            #expect(tasks.contains(#"<c r="A1" t="inlineStr" s="5"><is><t xml:space="preserve">任务清单（截至\#(today)）</t>"#), "\(tasks.prefix(1500))")
            #expect(tasks.contains(#"<mergeCell ref="A1:J1"/>"#), "the title spans the ten columns")
            #expect(tasks.contains(#"<c r="B3" t="inlineStr"><is><t xml:space="preserve">市财政局 1-1</t></is></c>"#), "a task's number names its unit")
            #expect(tasks.contains(#"<c r="F3" s="2"><v>46477</v></c>"#), "完成时限 2027-03-31 is a date")
            #expect(tasks.contains(/<c r="H3" s="3"><v>[0-9.]+<\/v><\/c>/), "进度 is a percentage")
            #expect(!tasks.contains("<f>"), "a list of tasks has nothing to add up")

            let problems = try await Self.worksheet(client, "/api/v1/rectification-problems?format=xlsx", token: office)
            #expect(problems.contains(#"<c r="C3"><v>1</v></c>"#), "序号 is a number")
            #expect(problems.contains(/<c r="E3"><v>1<\/v><\/c>/), "整改任务数 is a number")
            #expect(problems.contains(/<c r="E(\d+)" s="1"><f>SUM\(E3:E\d+\)<\/f><v>\d+<\/v><\/c>/), "合计 adds up the counts")
            #expect(problems.contains(#"<c r="B3" t="inlineStr">"#), "a 文号 stays text")

            let checks = try await Self.worksheet(client, "/api/v1/supervision-checks?format=xlsx", token: office)
            #expect(checks.contains(#"<c r="B3" t="inlineStr"><is><t xml:space="preserve">市财政局 1-1</t></is></c><c r="C3" s="2"><v>46357</v></c>"#), "\(checks)")

            // The importable export stays as its import reads it: the header first, no title, no totals.
            let importable = try await Self.worksheet(client, "/api/v1/imports/problem_list/export?format=xlsx", token: office)
            #expect(importable.contains(#"<row r="1"><c r="A1" t="inlineStr" s="1">"#) && !importable.contains("mergeCell") && !importable.contains("<f>"))
        }
    }

    @Test
    func anExportPastTheBoundIsRefusedAskingForANarrowerFilter() async throws {
        let pages = [Page(items: [1, 2], nextCursor: Cursor(key: "2", id: "b", order: "x").token), Page(items: [3], nextCursor: nil)]
        let all = try await LedgerExport.items(limit: 3, pageSize: 2) { request in request.after == nil ? pages[0] : pages[1] }
        #expect(all == [1, 2, 3])
        await #expect(throws: LedgerExport.tooMany(2)) {
            _ = try await LedgerExport.items(limit: 2, pageSize: 2) { request in request.after == nil ? pages[0] : pages[1] }
        }
        #expect(LedgerExport.tooMany(2).message.contains("缩小筛选范围"))
    }
}
