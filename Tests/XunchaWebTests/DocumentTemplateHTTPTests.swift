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

/// 公文模板: the office sets its committee's 红头, wording and numbering without code; each
/// issued document keeps the template version it was issued under.
@Suite struct DocumentTemplateHTTPTests {
    static func save(_ client: any TestClientProtocol, _ kind: DocumentKind, _ json: String, token: String) async throws -> TestResponse {
        try await client.api(.post, "/api/v1/document-templates/\(kind.rawValue)", token: token, json: json)
    }

    static func docx(_ client: any TestClientProtocol, _ path: String, token: String) async throws -> Data {
        let response = try await client.api(.get, path, token: token)
        #expect(response.status == .ok, "\(path): \(response.text.prefix(200))")
        return Data(response.body.readableBytesView)
    }

    static func text(of docx: Data) throws -> String { try DocumentDownloadHTTPTests.part("word/document.xml", of: docx) }

    static func count(_ store: Store, _ sql: SQLQueryString) async throws -> Int {
        try await store.database.read { db in Int(try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? 0) }
    }

    @Test(arguments: TestEngine.available)
    func theNextNoticeCarriesTheOfficesRedHeadAndWording(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.onSite(store, f)
            let office = try await f.signIn(store, .officeStaff).token
            let saved = try await Self.save(
                client, .notice, #"{"issuer_mark": "中共江城市委巡察工作办公室", "wording": {"title": "关于{巡察机构}进驻{被巡察单位}开展巡察的通知"}, "note": "按本级发文规范", "version": 0}"#,
                token: office)
            #expect(saved.status == .created, "\(saved.text)")
            let body = try saved.json()
            #expect((body["current"] as? [String: Any])?["version"] as? Int == 1)
            #expect((body["history"] as? [[String: Any]])?.first?["note"] as? String == "按本级发文规范")

            let notice = try await store.sendNotice(for: s.finance.id, number: "江巡办〔2026〕1号", body: nil, origin: s.office)
            let xml = try Self.text(of: try await Self.docx(client, "/api/v1/notices/\(notice.id.text)/document.docx", token: office))
            #expect(xml.contains(">中共江城市委巡察工作办公室</w:t>"), "the new 红头")
            #expect(try await Self.save(client, .notice, #"{"signature": "中共江城市委巡察工作办公室（署名）", "version": 1}"#, token: office).status == .created)
            let page = try await client.page(.get, "/notices/\(notice.id.text)", session: try await f.signIn(store, .officeStaff, kind: .web))
            #expect(!page.text.contains("（署名）"), "issued under version 1, its print view keeps version 1's 署名")
            let later = try await store.sendNotice(for: s.education.id, number: "江巡办〔2026〕2号", body: nil, origin: s.office)
            let printed = try await client.page(.get, "/notices/\(later.id.text)", session: try await f.signIn(store, .officeStaff, kind: .web))
            #expect(printed.text.contains(#"<p class="paper-issuer">中共江城市委巡察工作办公室（署名）</p>"#), "the print view signs as the .docx does")
            #expect(xml.contains("进驻\(s.planned.units[0].name)开展巡察的通知"), "the reworded title")

            let list = try await client.api(.get, "/api/v1/document-templates", token: office).json()["items"] as? [[String: Any]] ?? []
            #expect(list.count == DocumentKind.allCases.count)
            #expect(list.first { $0["kind"] as? String == "notice" }?["version"] as? Int == 2)
            #expect(list.first { $0["kind"] as? String == "immediate" }?["version"] as? Int == 0)
            let one = try await client.api(.get, "/api/v1/document-templates/immediate", token: office).json()
            let slots = one["slots"] as? [[String: Any]] ?? []
            #expect(slots.first { $0["name"] as? String == "deadline" }?["placeholders"] as? [String] == ["整改期限"])
            #expect(try await client.api(.get, "/api/v1/document-templates/memo", token: office).status == .notFound)
            #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'document_template.save'") == 2, "each save is audited")
        }
    }

    @Test(arguments: TestEngine.available)
    func aTemplateTheKindCannotFillIsRefusedAndNothingIsSaved(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let refused: [(String, String)] = [
                (#"{"wording": {"deadline": "请于{期限}前完成整改。"}}"#, "unknown_placeholder"),
                (#"{"wording": {"closing": "特此通知。"}}"#, "unknown_slot"),
                (#"{"number_pattern": "江巡立改〔{年}〕{编号}号"}"#, "unknown_placeholder"),
            ]
            for (json, code) in refused {
                let response = try await Self.save(client, .immediate, json, token: office)
                #expect(response.status == .unprocessableContent, "\(json): \(response.status)")
                #expect(response.errorCode == code, "\(json): \(response.text)")
                #expect(response.text.contains("无法识别") || response.text.contains("没有"), "a Chinese message: \(response.text)")
            }
            #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM document_templates") == 0, "nothing written")
            let stale = try await Self.save(client, .immediate, #"{"issuer_mark": "甲", "version": 3}"#, token: office)
            #expect(stale.status == .conflict)
        }
    }

    @Test(arguments: TestEngine.available)
    func onlyTheOfficeReadsAndSavesTemplates(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            for role in Role.allCases where role != .officeStaff {
                let token = try await f.signIn(store, role).token
                let list = try await client.api(.get, "/api/v1/document-templates", token: token)
                #expect([.forbidden, .notFound].contains(list.status), "\(role) lists: \(list.status)")
                let read = try await client.api(.get, "/api/v1/document-templates/notice", token: token)
                #expect([.forbidden, .notFound].contains(read.status), "\(role) reads: \(read.status)")
                let saved = try await Self.save(client, .notice, #"{"issuer_mark": "冒名"}"#, token: token)
                #expect([.forbidden, .notFound].contains(saved.status), "\(role) saves: \(saved.status)")
                let session = try await f.signIn(store, role, kind: .web)
                let page = try await client.page(.get, "/document-templates", session: session)
                #expect([.forbidden, .notFound].contains(page.status), "\(role) opens the page: \(page.status)")
                #expect(!(try await client.page(.get, "/", session: session)).text.contains("href=\"/document-templates\""), "\(role) has no menu entry")
            }
            #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM document_templates") == 0)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            #expect(try await client.page(.get, "/", session: office).text.contains("href=\"/document-templates\""), "the office finds it under 名录与设置")
        }
    }

    /// The pin: a notice issued under version 1 is the same document after version 2 is saved;
    /// one issued after follows version 2; one issued before any template stays customary.
    @Test(arguments: TestEngine.available)
    func anIssuedDocumentKeepsTheTemplateVersionItWasIssuedUnder(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.onSite(store, f)
            let office = try await f.signIn(store, .officeStaff).token
            let second = try #require(s.staffed.second.assignments.first)
            let before = try await store.sendNotice(for: second.id, number: "江巡办〔2026〕1号", body: nil, origin: s.office)
            let customary = try await Self.docx(client, "/api/v1/notices/\(before.id.text)/document.docx", token: office)

            #expect(try await Self.save(client, .notice, #"{"issuer_mark": "第一版红头", "version": 0}"#, token: office).status == .created)
            let first = try await store.sendNotice(for: s.finance.id, number: "江巡办〔2026〕2号", body: nil, origin: s.office)
            let underOne = try await Self.docx(client, "/api/v1/notices/\(first.id.text)/document.docx", token: office)
            #expect(try Self.text(of: underOne).contains(">第一版红头</w:t>"))

            #expect(try await Self.save(client, .notice, #"{"issuer_mark": "第二版红头", "version": 1}"#, token: office).status == .created)
            #expect(try await Self.docx(client, "/api/v1/notices/\(first.id.text)/document.docx", token: office) == underOne, "byte-identical under version 1")
            #expect(try await Self.docx(client, "/api/v1/notices/\(before.id.text)/document.docx", token: office) == customary, "issued before templates: customary")
            let next = try await store.sendNotice(for: s.education.id, number: "江巡办〔2026〕3号", body: nil, origin: s.office)
            let underTwo = try Self.text(of: try await Self.docx(client, "/api/v1/notices/\(next.id.text)/document.docx", token: office))
            #expect(underTwo.contains(">第二版红头</w:t>") && !underTwo.contains("第一版红头"))

            let pins = try await store.database.read { db in
                try await db.raw("SELECT record_id, template_version FROM document_issues WHERE kind = 'notice'").all().map {
                    (try $0.decode(column: "record_id", as: String.self), try $0.decode(column: "template_version", as: Int64.self))
                }
            }
            #expect(Dictionary(uniqueKeysWithValues: pins) == [before.id.text: 0, first.id.text: 1, next.id.text: 2])
        }
    }

    /// 立行立改通知书: the system numbers it, by the committee's pattern once it has one; its
    /// fixed wording and 红头 follow the template; issued under version 1 it stays so.
    @Test(arguments: TestEngine.available)
    func theImmediateNoticeIsNumberedByThePatternAndKeepsItsVersion(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.onSite(store, f)
            let office = try await f.signIn(store, .officeStaff).token
            let work = Inspecting(f: f, assignmentID: s.finance.id)
            _ = try await work.triagedPaper(store, as: .immediate, content: try Scenario.content("食堂采购未经比价"))
            _ = try await work.triagedPaper(store, as: .immediate, content: try Scenario.content("公务用车管理不规范"))
            var items = try await store.immediateRectifications(for: f.actor(.officeStaff)).items
            #expect(items.count == 2)
            for index in items.indices {
                items[index] = try await store.take(
                    ImmediateStep.approve, on: items[index].id, input: .init(), version: items[index].version, origin: f.origin(.leadingGroupMember))
            }
            func issue(_ item: ImmediateRectification) async throws -> ImmediateRectification {
                try await store.take(
                    ImmediateStep.issue, on: item.id, input: .init(problem: "存在问题。", requirement: "立即整改。", deadline: "2027-01-15"), version: item.version,
                    origin: s.leader)
            }
            let saved = try await Self.save(
                client, .immediate,
                #"{"number_pattern": "江巡立改〔{年}〕{序号}号", "issuer_mark": "中共江城市委巡察组", "wording": {"deadline": "务必于{整改期限}前整改到位并书面报告。"}, "version": 0}"#,
                token: office)
            #expect(saved.status == .created, "\(saved.text)")
            let first = try await issue(items[0])
            #expect(first.number == "江巡立改〔2026〕1号")
            let path = "/api/v1/immediate-rectifications/\(first.id.text)/document.docx"
            let underOne = try await Self.docx(client, path, token: office)
            let xml = try Self.text(of: underOne)
            #expect(xml.contains(">江巡立改〔2026〕1号</w:t>"), "the number in the document")
            #expect(xml.contains(">中共江城市委巡察组</w:t>"))
            #expect(xml.contains("务必于2027年1月15日前整改到位并书面报告。"))

            #expect(try await Self.save(client, .immediate, #"{"number_pattern": "江立改〔{年}〕第{序号}号", "version": 1}"#, token: office).status == .created)
            #expect(try await Self.docx(client, path, token: office) == underOne, "byte-identical under version 1")
            let second = try await issue(items[1])
            #expect(second.number == "江立改〔2026〕第2号")
            let later = try Self.text(of: try await Self.docx(client, "/api/v1/immediate-rectifications/\(second.id.text)/document.docx", token: office))
            #expect(!later.contains("中共江城市委巡察组</w:t>") && later.contains("请于2027年1月15日前完成整改"), "version 2 keeps the customary rest")
        }
    }

    /// 反馈意见: while a draft it follows the latest version; 印发 (through the one step writer)
    /// pins the version in force, which later versions do not change.
    @Test(arguments: TestEngine.available)
    func aDraftFeedbackFollowsTheLatestTemplateAndIssuingPinsIt(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.feedbackIssued(store, f, issue: false)
            let office = try await f.signIn(store, .officeStaff).token
            let path = "/api/v1/feedback/\(s.feedback.id.text)/document.docx"
            #expect(try await Self.save(client, .feedback, #"{"wording": {"deadlines": "限{方案期限}前报送整改方案（第一版）。"}}"#, token: office).status == .created)
            #expect(try Self.text(of: try await Self.docx(client, path, token: office)).contains("（第一版）"))
            #expect(try await Self.save(client, .feedback, #"{"wording": {"deadlines": "限{方案期限}前报送整改方案（第二版）。"}}"#, token: office).status == .created)
            #expect(try Self.text(of: try await Self.docx(client, path, token: office)).contains("（第二版）"), "a draft follows the latest")

            _ = try await store.take(FeedbackStep.issue, on: s.feedback.id, note: nil, version: s.feedback.version, origin: s.office)
            let issued = try await Self.docx(client, path, token: office)
            #expect(try await Self.save(client, .feedback, #"{"wording": {"deadlines": "限{方案期限}前报送整改方案（第三版）。"}}"#, token: office).status == .created)
            #expect(try await Self.docx(client, path, token: office) == issued, "issued under version 2, it stays so")
            #expect(try Self.text(of: issued).contains("（第二版）"))
            #expect(try await Self.count(store, "SELECT template_version AS n FROM document_issues WHERE kind = 'feedback'") == 2)
        }
    }

    /// Where the office types the number (巡察通知), the pattern suggests the next one.
    @Test(arguments: TestEngine.available)
    func theNumberPatternSuggestsTheNextNoticeNumber(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.onSite(store, f)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let before = try await client.page(.get, "/assignments/\(s.finance.id.text)", session: office)
            #expect(before.text.contains(#"name="number" type="text" value="""#), "no pattern, no suggestion")
            let token = try await f.signIn(store, .officeStaff).token
            #expect(try await Self.save(client, .notice, #"{"number_pattern": "江巡办〔{年}〕{序号}号"}"#, token: token).status == .created)
            let suggested = try await client.page(.get, "/assignments/\(s.finance.id.text)", session: office)
            #expect(suggested.text.contains(#"value="江巡办〔2026〕1号""#))
            _ = try await store.sendNotice(for: s.finance.id, number: "江巡办〔2026〕1号", body: nil, origin: s.office)
            let next = try await client.page(.get, "/assignments/\(s.education.id.text)", session: office)
            #expect(next.text.contains(#"value="江巡办〔2026〕2号""#))
        }
    }

    @Test(arguments: TestEngine.available)
    func theOfficeEditsATemplateOnItsPageAndARefusalKeepsWhatWasTyped(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let list = try await client.page(.get, "/document-templates", session: office)
            #expect(list.status == .ok)
            #expect(list.text.contains(#"<a href="/document-templates/immediate">立行立改通知书</a>"#))
            let page = try await client.page(.get, "/document-templates/immediate", session: office)
            #expect(page.text.contains("可用占位符：{整改期限}"))
            #expect(page.text.contains(#"placeholder="请于{整改期限}前完成整改，并将整改措施及成效书面报告巡察组。""#))

            let token = office.session.csrfToken
            let refused = try await client.page(
                .post, "/document-templates/immediate", session: office,
                form: [("_csrf", token), ("version", "0"), ("issuer_mark", "红头甲"), ("slot_deadline", "请于{期限}前整改。"), ("note", "试改")])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("请于{期限}前整改。") && refused.text.contains(#"value="红头甲""#), "what was typed is kept")
            #expect(refused.text.contains(#"class="field-error""#), "the refusal stands beside its field")
            #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM document_templates") == 0)

            let saved = try await client.page(
                .post, "/document-templates/immediate", session: office,
                form: [("_csrf", token), ("version", "0"), ("issuer_mark", "红头甲"), ("slot_deadline", "请于{整改期限}前整改。"), ("note", "按规范调整")])
            #expect(saved.status == .seeOther)
            let shown = try await client.page(.get, "/document-templates/immediate", session: office)
            #expect(shown.text.contains("按规范调整") && shown.text.contains("第1版"), "the history names the version and its note")
            #expect(shown.text.contains(#"value="红头甲""#))

            let reset = try await client.page(.post, "/document-templates/immediate/reset", session: office, form: [("_csrf", token), ("version", "1")])
            #expect(reset.status == .seeOther)
            let after = try await client.page(.get, "/document-templates/immediate", session: office)
            #expect(after.text.contains("第2版") && after.text.contains("恢复惯例") && !after.text.contains(#"value="红头甲""#))
        }
    }
}
