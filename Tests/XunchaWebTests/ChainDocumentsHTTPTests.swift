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

/// 下载公文 of the report and rectification chains on the demo city: the records the demo lacks are
/// made through the API as their roles would, each kind downloads for a reader in the standard
/// layout, a role that may not read the record gets its 404 (the inspected unit never reads a
/// 巡察报告), a record not yet a document 409, and every download is audit-logged.
@Suite struct ChainDocumentsHTTPTests {
    /// What every 公文 of the system shares, and the words this one must carry.
    static func expectLayout(_ response: TestResponse, _ label: String, contains words: [String]) throws {
        #expect(response.status == .ok, "\(label): \(response.text.prefix(300))")
        guard response.status == .ok else { return }
        #expect(response.headers[.contentType] == DocumentsController.contentType)
        let data = Data(response.body.readableBytesView)
        let xml = try DocumentDownloadHTTPTests.part("word/document.xml", of: data)
        #expect(xml.contains(#"<w:pgSz w:w="11906" w:h="16838"/>"#), "\(label): A4")
        #expect(xml.contains(#"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#), "\(label): the 版心's margins")
        #expect(xml.contains(#"w:eastAsia="方正小标宋简体" w:cs="方正小标宋简体"/><w:sz w:val="44"/>"#), "\(label): the title in 2号 小标宋")
        #expect(xml.contains(#"w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312"/><w:sz w:val="32"/>"#), "\(label): the body in 3号 仿宋")
        #expect(try DocumentDownloadHTTPTests.part("word/footer1.xml", of: data).contains(" PAGE "), "\(label): the page number")
        for word in words { #expect(xml.contains(word), "\(label): \(word)") }
    }

    static func items(_ response: TestResponse) throws -> [[String: Any]] { try response.json()["items"] as? [[String: Any]] ?? [] }

    @Test(arguments: TestEngine.available)
    func eachDocumentOfTheChainsDownloadsForItsReadersOnly(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            var tokens: [String: String] = [:]
            for name in ["office", "leader", "zuzhang", "danwei", "lianluo", "qinghe.office"] { tokens[name] = try await demoToken(store, name) }
            let today = CalendarDay(store.clock.now())
            let date = ">\(today.chineseText)</w:t>"
            var downloads = 0
            func get(_ path: String, _ id: String, as name: String) async throws -> TestResponse {
                let response = try await client.api(.get, "/api/v1/\(path)/\(id)/document.docx", token: tokens[name])
                if response.status == .ok { downloads += 1 }
                return response
            }
            func post(_ uri: String, as name: String, _ json: String) async throws -> [String: Any] {
                let response = try await client.api(.post, uri, token: tokens[name], json: json)
                #expect(response.status == .ok || response.status == .created, "\(uri): \(response.text.prefix(300))")
                return try response.json()
            }

            // 巡察报告: the group and the committee read it; never the unit.
            let report = try #require(try Self.items(await client.api(.get, "/api/v1/reports?kind=inspection", token: tokens["office"])).first)
            let reportID = try #require(report["id"] as? String)
            for reader in ["office", "leader", "zuzhang"] {
                try Self.expectLayout(
                    try await get("reports", reportID, as: reader), "巡察报告 for \(reader)",
                    contains: [">关于巡察市财政局党组的情况报告</w:t>", "中共江城市委巡察工作领导小组：", "特此报告。", date])
            }
            for refused in ["danwei", "lianluo", "qinghe.office"] {
                #expect(try await get("reports", reportID, as: refused).status == .notFound, "\(refused) does not read the 巡察报告")
            }

            // 专题报告 of 一巡双报告: none while a draft, the group's once submitted.
            let special = try await post(
                "/api/v1/assignments/\(try #require(report["assignment_id"] as? String))/reports", as: "zuzhang",
                #"{"kind": "thematic", "title": "关于市财政局党组选人用人工作的专题报告", "body": "一、总体评价\n选人用人工作总体规范。", "finding_ids": \#(Self.jsonArray(report["finding_ids"]))}"#)
            let specialID = try #require(special["id"] as? String)
            let early = try await get("reports", specialID, as: "zuzhang")
            #expect(early.status == .conflict && early.errorCode == "not_issued", "a draft is not a document yet")
            _ = try await post("/api/v1/reports/\(specialID)/steps", as: "zuzhang", #"{"step": "submit", "version": \#(special["version"] as? Int ?? 1)}"#)
            try Self.expectLayout(
                try await get("reports", specialID, as: "office"), "专题报告",
                contains: [">关于市财政局党组选人用人工作的专题报告</w:t>", "中共江城市委巡察工作领导小组：", date])
            #expect(try await get("reports", specialID, as: "danwei").status == .notFound)

            // 整改方案: the unit's, to the 巡察办, with its tasks.
            let plan = try #require(try Self.items(await client.api(.get, "/api/v1/rectification-plans", token: tokens["office"])).first)
            let planID = try #require(plan["id"] as? String)
            let feedbackID = try #require(plan["feedback_id"] as? String)
            for reader in ["office", "danwei", "zuzhang"] {
                try Self.expectLayout(
                    try await get("rectification-plans", planID, as: reader), "整改方案 for \(reader)",
                    contains: ["中共市财政局党组", "中共江城市委巡察工作领导小组办公室：", "整改任务", "责任领导：", "完成时限："])
            }
            #expect(try await get("rectification-plans", planID, as: "qinghe.office").status == .notFound)

            // 整改情况报告 and the head's own report: none until signed; the group does not read them.
            for (kind, words) in [("rectification", ["中共市财政局党组", "特此报告。"]), ("head_organising", ["市财政局党组书记　李建国"])] {
                let created = try await post(
                    "/api/v1/feedback/\(feedbackID)/rectification-reports", as: "lianluo",
                    #"{"kind": "\#(kind)", "title": "关于巡察整改情况的报告（\#(kind)）", "body": "一、整改工作开展情况\n已完成。"}"#)
                let id = try #require(created["id"] as? String)
                #expect(try await get("rectification-reports", id, as: "lianluo").errorCode == "not_issued")
                _ = try await post("/api/v1/rectification-reports/\(id)/steps", as: "danwei", #"{"step": "sign", "version": 1}"#)
                _ = try await post("/api/v1/rectification-reports/\(id)/steps", as: "lianluo", #"{"step": "submit", "version": 2}"#)
                for reader in ["lianluo", "office", "leader"] {
                    try Self.expectLayout(
                        try await get("rectification-reports", id, as: reader), "\(kind) for \(reader)",
                        contains: words + ["中共江城市委巡察工作领导小组办公室：", date])
                }
                #expect(try await get("rectification-reports", id, as: "zuzhang").status == .notFound)
            }

            // 整改评估意见: none until graded; the office's, to the unit, copied to 纪委监委 and 组织部.
            let evaluation = try await post("/api/v1/feedback/\(feedbackID)/evaluations", as: "office", #"{"planned_on": "\#(today)"}"#)
            let evaluationID = try #require(evaluation["id"] as? String)
            #expect(try await get("evaluations", evaluationID, as: "office").errorCode == "not_issued")
            _ = try await post(
                "/api/v1/evaluations/\(evaluationID)/steps", as: "office",
                #"{"step": "grade", "version": \#(evaluation["version"] as? Int ?? 1), "methods": ["书面审核"], "findings": "整改基本到位。", "grade": "good", "evaluated_on": "\#(today)"}"#)
            for reader in ["office", "danwei"] {
                try Self.expectLayout(
                    try await get("evaluations", evaluationID, as: reader), "整改评估意见 for \(reader)",
                    contains: [">关于市财政局巡察整改情况的评估意见</w:t>", "市财政局党组：", "“好”", "江城市纪委监委", date])
            }
            #expect(try await get("evaluations", evaluationID, as: "zuzhang").status == .notFound)

            // 专题报告 to a department: the office's draft, then the department's once sent.
            let feedback = try await client.api(.get, "/api/v1/feedback/\(feedbackID)", token: tokens["office"]).json()
            let problem = try #require((feedback["problems"] as? [[String: Any]])?.first?["finding_id"] as? String)
            let thematic = try await post(
                "/api/v1/thematic-reports", as: "office",
                #"{"title": "关于政府采购领域普遍性问题的专题报告", "body": "一、问题概况\n多个单位存在同类问题。", "department_unit_id": "\#(try #require(plan["unit_id"] as? String))", "finding_ids": ["\#(problem)"]}"#)
            let thematicID = try #require(thematic["id"] as? String)
            try Self.expectLayout(try await get("thematic-reports", thematicID, as: "office"), "专题报告 draft", contains: ["市财政局：", date])
            #expect(try await get("thematic-reports", thematicID, as: "danwei").status == .notFound, "the department never reads a draft")
            let worded = try await client.api(
                .put, "/api/v1/thematic-reports/\(thematicID)/problems", token: tokens["office"],
                json: #"{"problems": [{"finding_id": "\#(problem)", "wording": "重大采购事项未经集体研究"}], "version": \#(thematic["version"] as? Int ?? 1)}"#)
            #expect(worded.status == .ok, "\(worded.text.prefix(300))")
            _ = try await post("/api/v1/thematic-reports/\(thematicID)/steps", as: "office", #"{"step": "send", "version": \#(try worded.json()["version"] as? Int ?? 2)}"#)
            try Self.expectLayout(
                try await get("thematic-reports", thematicID, as: "danwei"), "专题报告 for the department",
                contains: ["1. 重大采购事项未经集体研究", "中共江城市委巡察工作领导小组办公室"])
            #expect(try await get("thematic-reports", thematicID, as: "zuzhang").status == .notFound)

            // 巡察公告: as the notice, for the unit and the office.
            let notice = try #require(try Self.items(await client.api(.get, "/api/v1/notices", token: tokens["office"])).first)
            let noticeID = try #require(notice["id"] as? String)
            for reader in ["office", "danwei"] {
                try Self.expectLayout(
                    try await get("announcements", noticeID, as: reader), "巡察公告 for \(reader)", contains: ["公告</w:t>", "特此公告。", "来信来访"])
            }
            #expect(try await get("announcements", noticeID, as: "qinghe.office").status == .notFound)
            #expect(try await get("announcements", UUID().text, as: "office").status == .notFound)
            #expect(try await client.api(.get, "/api/v1/announcements/\(noticeID)/document.docx").status == .unauthorized)

            let logged = try await store.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'document.download'").first()?.decode(column: "n", as: Int64.self)
            }
            #expect(logged == Int64(downloads), "each download is audit-logged, and only those handed out")
        }
    }

    @Test(arguments: TestEngine.available)
    func theRecordsPagesLinkTheirDocument(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let office = try await store.signIn(username: "office", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            let token = try await demoToken(store, "office")
            let report = try #require(try Self.items(await client.api(.get, "/api/v1/reports", token: token)).first?["id"] as? String)
            let plan = try #require(try Self.items(await client.api(.get, "/api/v1/rectification-plans", token: token)).first?["id"] as? String)
            let notice = try #require(try Self.items(await client.api(.get, "/api/v1/notices", token: token)).first?["id"] as? String)
            // Each page links its document, and prints with the 主送 the document has.
            for (page, link) in [
                ("/reports/\(report)", #"href="/reports/\#(report)/document.docx" id="document-link">下载公文（.docx）</a>"#),
                ("/rectification-plans/\(plan)", #"href="/rectification-plans/\#(plan)/document.docx" id="document-link">"#),
                ("/reports/\(report)", #"<p class="paper-addressee">江城市委巡察工作领导小组：</p>"#),
                ("/rectification-plans/\(plan)", #"<p class="paper-addressee">江城市委巡察工作领导小组办公室：</p>"#),
                ("/notices/\(notice)", #"href="/announcements/\#(notice)/document.docx" id="announcement-link">下载巡察公告（.docx）</a>"#),
            ] {
                let html = try await client.page(.get, page, session: office)
                #expect(html.status == .ok)
                #expect(html.text.contains(link), "\(page) links its document")
            }
            let download = try await client.page(.get, "/reports/\(report)/document.docx", session: office)
            #expect(download.status == .ok && download.headers[.contentType] == DocumentsController.contentType)
            let unit = try await store.signIn(username: "danwei", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            #expect(try await client.page(.get, "/reports/\(report)/document.docx", session: unit).status == .notFound)
        }
    }

    static func jsonArray(_ value: Any?) -> String {
        let strings = value as? [String] ?? []
        return "[" + strings.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }
}
