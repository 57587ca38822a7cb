import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
import ZIPFoundation
@testable import XunchaWeb

/// 下载公文: the demo city's notice, 立行立改通知书 and 反馈意见 as .docx, read back part by part.
@Suite struct DocumentDownloadHTTPTests {
    /// The text of one part of a .docx.
    static func part(_ path: String, of data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive[path], "\(path) is in the package")
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func day(_ timestamp: Any?) throws -> CalendarDay {
        let text = try #require(timestamp as? String)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        return CalendarDay(try #require(formatter.date(from: text) ?? plain.date(from: text), "a timestamp: \(text)"))
    }

    @Test(arguments: TestEngine.available)
    func eachIssuedRecordDownloadsInTheStandardLayoutToThoseWhoMayReadIt(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let office = try await demoToken(store, "office")
            let outsider = try await demoToken(store, "qinghe.office")
            for (path, dated) in [("notices", "sent_at"), ("immediate-rectifications", "issued_at"), ("feedback", "issued_at")] {
                let items = try await client.api(.get, "/api/v1/\(path)", token: office).json()["items"] as? [[String: Any]] ?? []
                let item = try #require(items.first { $0[dated] is String }, "the demo city has an issued record of \(path)")
                let id = try #require(item["id"] as? String)
                let response = try await client.api(.get, "/api/v1/\(path)/\(id)/document.docx", token: office)
                #expect(response.status == .ok, "\(path): \(response.text.prefix(200))")
                #expect(response.headers[.contentType] == DocumentsController.contentType)
                #expect(response.headers[.contentDisposition]?.hasSuffix(".docx") == true)
                let data = Data(response.body.readableBytesView)
                let xml = try Self.part("word/document.xml", of: data)
                #expect(xml.contains(#"<w:pgSz w:w="11906" w:h="16838"/>"#), "\(path): A4")
                #expect(xml.contains(#"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#), "\(path): the 版心's margins")
                #expect(xml.contains(#"w:eastAsia="方正小标宋简体" w:cs="方正小标宋简体"/><w:sz w:val="44"/>"#), "\(path): the title in 2号 小标宋")
                #expect(xml.contains(#"w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312"/><w:sz w:val="32"/>"#), "\(path): the body in 3号 仿宋")
                let number = try #require(item["number"] as? String, "\(path) is numbered")
                #expect(xml.contains(">\(OfficialDocument.bracketedNumber(number))</w:t>"), "\(path): the 发文字号 \(number)")
                #expect(xml.contains("〔"), "\(path): the year in 〔〕")
                let date = try Self.day(item[dated]).chineseText
                #expect(xml.contains(">\(date)</w:t>"), "\(path): the 成文日期 \(date)")
                #expect(try Self.part("word/footer1.xml", of: data).contains(" PAGE "), "\(path): the page number")
                #expect(try Self.part("word/settings.xml", of: data).contains("<w:evenAndOddHeaders/>"))

                let refused = try await client.api(.get, "/api/v1/\(path)/\(id)/document.docx", token: outsider)
                #expect(refused.status == .notFound, "\(path): another committee's office does not see it")
                #expect(try await client.api(.get, "/api/v1/\(path)/\(UUID().text)/document.docx", token: office).status == .notFound)
                #expect(try await client.api(.get, "/api/v1/\(path)/\(id)/document.docx").status == .unauthorized)
            }
            let logged = try await store.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'document.download'").first()?.decode(column: "n", as: Int64.self)
            }
            #expect(logged == 3, "each download is audit-logged")
        }
    }

    @Test(arguments: TestEngine.available)
    func theUnitDownloadsItsNoticeFromItsPage(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let head = try await store.signIn(username: "danwei", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            let list = try await client.api(.get, "/api/v1/notices", token: try await demoToken(store, "danwei")).json()["items"] as? [[String: Any]] ?? []
            let id = try #require(list.first?["id"] as? String)
            let page = try await client.page(.get, "/notices/\(id)", session: head)
            #expect(page.text.contains(#"<a class="button" href="/notices/\#(id)/document.docx" id="document-link">下载公文（.docx）</a>"#))
            let download = try await client.page(.get, "/notices/\(id)/document.docx", session: head)
            #expect(download.status == .ok)
            #expect(try Self.part("word/document.xml", of: Data(download.body.readableBytesView)).contains("市财政局党组织："), "addressed to the unit")
            let other = try await store.signIn(username: "qinghe.office", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            #expect(try await client.page(.get, "/notices/\(id)/document.docx", session: other).status == .notFound)
        }
    }
}
