import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// The registers as .docx: a lead's 移交函 and 移交清单 (only to those who may read the leads),
/// the 整改台账 (the page's rows, landscape) and the 巡察工作综述 (the office's figures).
@Suite struct RegisterDocumentHTTPTests {
    static func xml(_ response: TestResponse) throws -> String {
        try DocumentDownloadHTTPTests.part("word/document.xml", of: Data(response.body.readableBytesView))
    }

    static func downloads(_ store: Store) async throws -> Int64 {
        try await store.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'document.download'").first()?.decode(column: "n", as: Int64.self) ?? 0
        }
    }

    @Test(arguments: TestEngine.available)
    func aTransferredLeadsLetterAndListGoOnlyToThoseWhoMayReadTheLeads(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let custodian = try await demoToken(store, "xiansuo")
            let leads = try await client.api(.get, "/api/v1/leads?limit=100", token: custodian).json()["items"] as? [[String: Any]] ?? []
            let lead = try #require(leads.first { $0["transfer_sheet"] is String }, "the demo city has a transferred lead")
            let id = try #require(lead["id"] as? String), number = try #require(lead["number"] as? String)
            let sheet = try #require(lead["transfer_sheet"] as? String)

            let letter = try await client.api(.get, "/api/v1/leads/\(id)/transfer-letter.docx", token: custodian)
            #expect(letter.status == .ok, "\(letter.text.prefix(200))")
            #expect(letter.headers[.contentType] == DocumentsController.contentType)
            let xml = try Self.xml(letter)
            #expect(xml.contains(">机密</w:t>"), "密级")
            #expect(xml.range(of: #">\d{6}</w:t>"#, options: .regularExpression) != nil, "a six-digit 份号")
            #expect(xml.contains(">\(OfficialDocument.bracketedNumber(sheet))</w:t>"), "numbered by its 移交单编号")
            #expect(xml.contains(">关于移交问题线索的函</w:t>"))
            let addressee = lead["receiver"] as? String == "organisation" ? "中共江城市委组织部：" : "江城市纪委监委："
            #expect(xml.contains(">\(addressee)</w:t>"), "addressed to the receiving body")
            #expect(xml.contains("附件：问题线索移交清单"))
            #expect(xml.contains(#"<w:pgSz w:w="11906" w:h="16838"/>"#) && xml.contains("FF0000"), "an upright 公文 under the 红头")

            let list = try await client.api(.get, "/api/v1/leads/\(id)/transfer-list.docx", token: custodian)
            #expect(list.status == .ok)
            let table = try Self.xml(list)
            #expect(table.contains(#"w:orient="landscape""#) && table.contains("<w:tblHeader/>"))
            for heading in ["序号", "线索编号", "反映对象及职务", "问题摘要", "干部管理权限", "接收单位", "备注"] {
                #expect(table.contains(">\(heading)</w:t>"), "the column \(heading)")
            }
            #expect(table.contains(">\(number)</w:t>"), "the lead in its list")
            #expect(table.contains(">机密</w:t>"))

            // Whoever may not read the lead gets its 404: the unit, another committee, the office
            // (which reads no lead), the other receiving body; a group member exactly as the lead reads.
            let other = lead["receiver"] as? String == "organisation" ? "jiwei" : "zuzhibu"
            for name in ["danwei", "lianluo", "zeren", "office", "qinghe.office", other] {
                let token = try await demoToken(store, name)
                for path in ["transfer-letter", "transfer-list"] {
                    #expect(try await client.api(.get, "/api/v1/leads/\(id)/\(path).docx", token: token).status == .notFound, "\(name): \(path)")
                }
            }
            let member = try await demoToken(store, "zuyuan")
            let readsLead = try await client.api(.get, "/api/v1/leads/\(id)", token: member).status
            #expect(try await client.api(.get, "/api/v1/leads/\(id)/transfer-letter.docx", token: member).status == readsLead)
            #expect(try await client.api(.get, "/api/v1/leads/\(id)/transfer-letter.docx").status == .unauthorized)

            // A lead not yet transferred has no letter.
            if let open = leads.first(where: { $0["transfer_sheet"] == nil || $0["transfer_sheet"] is NSNull }), let openID = open["id"] as? String {
                #expect(try await client.api(.get, "/api/v1/leads/\(openID)/transfer-letter.docx", token: custodian).status == .conflict)
            }

            // On the lead's page, for its custodian.
            let session = try await store.signIn(username: "xiansuo", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            let page = try await client.page(.get, "/leads/\(id)", session: session)
            #expect(page.text.contains(#"href="/leads/\#(id)/transfer-letter.docx" id="transfer-letter-link">下载移交函（.docx）</a>"#))
            #expect(page.text.contains(#"id="transfer-list-link">下载移交清单（.docx）</a>"#))
            #expect(try await client.page(.get, "/leads/\(id)/transfer-list.docx", session: session).status == .ok)
            let register = try await client.page(.get, "/leads", session: session)
            #expect(register.text.contains(#"<a href="/leads/\#(id)/transfer-letter.docx">移交函</a> · <a href="/leads/\#(id)/transfer-list.docx">移交清单</a>"#), "and in the lead register")
            #expect(try await Self.downloads(store) == 3, "each download is audit-logged")
        }
    }

    @Test(arguments: TestEngine.available)
    func theLedgerDownloadsLandscapeWithThePagesRows(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let office = try await demoToken(store, "office")
            let tasks = try await client.api(.get, "/api/v1/rectification-tasks?limit=100", token: office).json()["items"] as? [[String: Any]] ?? []
            let response = try await client.api(.get, "/api/v1/ledger.docx", token: office)
            #expect(response.status == .ok, "\(response.text.prefix(200))")
            #expect(response.headers[.contentType] == DocumentsController.contentType)
            let xml = try Self.xml(response)
            let today = CalendarDay(store.clock.now())
            #expect(xml.contains(">整改台账（截至\(today.chineseText)）</w:t>"), "the title, as of today")
            #expect(xml.contains("制表单位：江城市委") && xml.contains("制表日期：\(today.chineseText)") && xml.contains("任务清单"))
            #expect(xml.contains(#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#))
            #expect(xml.components(separatedBy: "<w:tblHeader/>").count == 2)
            #expect(xml.components(separatedBy: "<w:tr>").count - 1 == tasks.count + 1, "the header and every task, as the list has them")
            #expect(try DocumentDownloadHTTPTests.part("word/footer1.xml", of: Data(response.body.readableBytesView)).contains(" PAGE "))

            let asOf = try await client.api(.get, "/api/v1/ledger.docx?list=problems&as_of=2026-12-01", token: office)
            #expect(asOf.status == .ok)
            let problems = try Self.xml(asOf)
            #expect(problems.contains(">整改台账（截至2026年12月1日）</w:t>") && problems.contains("问题清单"))
            #expect(try await client.api(.get, "/api/v1/ledger.docx").status == .unauthorized)

            let session = try await store.signIn(username: "office", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            let page = try await client.page(.get, "/ledger?list=responsibility", session: session)
            #expect(page.text.contains(#"<a class="button" href="/ledger?format=docx&amp;list=responsibility" id="ledger-document">下载台账（.docx）</a>"#))
            let download = try await client.page(.get, "/ledger?format=docx&list=responsibility", session: session)
            #expect(download.status == .ok)
            #expect(try Self.xml(download).contains("责任清单"))
            #expect(try await Self.downloads(store) == 3)
        }
    }

    @Test(arguments: TestEngine.available)
    func theYearSummaryGivesTheStatisticsFiguresToTheOfficeOnly(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let office = try await demoToken(store, "office")
            let year = CalendarDay(store.clock.now()).year
            let summary = try await client.api(.get, "/api/v1/statistics/summary?from=\(year)-01-01&to=\(year)-12-31", token: office).json()
            let text = try #require(summary["text"] as? String)
            let response = try await client.api(.get, "/api/v1/statistics/summary.docx", token: office)
            #expect(response.status == .ok, "\(response.text.prefix(200))")
            let xml = try Self.xml(response)
            #expect(xml.contains(">关于\(year)年度巡察工作情况的综述</w:t>"))
            #expect(xml.contains(">中共江城市委巡察工作领导小组：</w:t>"))
            #expect(xml.contains(">全年\(text)</w:t>") || xml.contains(">\(text)</w:t>"), "the statistics' own sentences: \(text)")
            #expect(xml.contains(">一、巡察工作总体情况</w:t>"))
            #expect(xml.contains("<w:tblHeader/>") && xml.contains(">整改率</w:t>") && xml.contains(">合计</w:t>"), "the table by unit")
            let breakdown = try await client.api(.get, "/api/v1/statistics/breakdown?by=unit&from=\(year)-01-01&to=\(year)-12-31", token: office).json()
            for row in (breakdown["rows"] as? [[String: Any]] ?? []) where (row["findings"] as? Int ?? 0) > 0 {
                #expect(xml.contains(">\(row["name"] as? String ?? "")</w:t>"), "each unit with figures")
            }

            #expect(try await client.api(.get, "/api/v1/statistics/summary.docx", token: try await demoToken(store, "leader")).status == .ok)
            for name in ["zuzhang", "zuyuan", "danwei", "xiansuo"] {
                #expect(try await client.api(.get, "/api/v1/statistics/summary.docx", token: try await demoToken(store, name)).status == .notFound, "\(name)")
            }
            #expect(try await client.api(.get, "/api/v1/statistics/summary.docx?year=26", token: office).status == .badRequest)

            let session = try await store.signIn(username: "office", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            #expect(try await client.page(.get, "/statistics", session: session).text.contains(#"id="year-summary-link">下载工作综述（.docx）</a>"#))
            #expect(try await client.page(.get, "/statistics/summary.docx?year=\(year)", session: session).status == .ok)
            let leader = try await store.signIn(username: "zuzhang", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            #expect(try await client.page(.get, "/statistics", session: leader).text.contains("year-summary-link") == false)
        }
    }

    @Test(arguments: TestEngine.available)
    func leadsTransferredUnderOneSheetNumberShareTheirLetterAndList(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let (leader, custodian) = (try await demoToken(store, "zuzhang"), try await demoToken(store, "xiansuo"))
            let leads = try await client.api(.get, "/api/v1/leads?limit=100", token: custodian).json()["items"] as? [[String: Any]] ?? []
            let first = try #require(leads.first { $0["transfer_sheet"] is String })
            let (sheet, assignment) = (try #require(first["transfer_sheet"] as? String), try #require(first["assignment_id"] as? String))
            // A second lead of the same unit, through its chain to the same 移交单编号.
            let registered = try await client.api(
                .post, "/api/v1/assignments/\(assignment)/leads", token: leader,
                json: #"{"source": "interview", "person_name": "王五", "person_post": "科长", "authority": "committee", "subject": "discipline", "content": "反映其违规收受礼金。"}"#)
            #expect(registered.status == .created, "\(registered.text.prefix(300))")
            var lead = try registered.json()
            let id = try #require(lead["id"] as? String)
            for (token, body) in [
                (leader, #""step": "screen", "note": "可查性强""#), (leader, #""step": "propose", "note": "建议移交""#),
                (try await demoToken(store, "leader"), #""step": "approve""#), (custodian, #""step": "transfer", "transfer_sheet": "\#(sheet)""#),
            ] {
                let version = try #require(lead["version"] as? Int)
                let step = try await client.api(.post, "/api/v1/leads/\(id)/steps", token: token, json: "{\(body), \"version\": \(version)}")
                #expect(step.status == .ok, "\(body): \(step.text.prefix(300))")
                lead = try step.json()
            }
            let list = try Self.xml(try await client.api(.get, "/api/v1/leads/\(id)/transfer-list.docx", token: custodian))
            #expect(list.contains(">\(first["number"] as? String ?? "")</w:t>") && list.contains(">\(lead["number"] as? String ?? "")</w:t>"), "both leads of the sheet")
            #expect(list.contains("共2条"))
            let letter = try Self.xml(try await client.api(.get, "/api/v1/leads/\(first["id"] as? String ?? "")/transfer-letter.docx", token: custodian))
            #expect(letter.contains("等2条问题线索"), "the same letter from either lead")
            let logged = try await store.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'lead.view' AND detail LIKE '移交单%'").first()?.decode(column: "n", as: Int64.self)
            }
            #expect(logged == 2, "the sheet's leads are logged as read with each document")
        }
    }
}
