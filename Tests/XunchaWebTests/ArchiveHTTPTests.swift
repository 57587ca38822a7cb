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

/// 立卷归档 of the demo city's 市财政局: refused while its rectification is not evaluated, then —
/// finished through the API as the office would — archived into a bag that verifies, its records
/// locked on every write path tried, a correction appended and packed into the next export.
@Suite struct ArchiveHTTPTests {
    /// Every file of a ZIP, by path inside its one top folder.
    static func unzip(_ data: Data) throws -> [String: Data] {
        let archive = try Archive(data: data, accessMode: .read)
        var files: [String: Data] = [:]
        for entry in archive where entry.type == .file {
            var bytes = Data()
            _ = try archive.extract(entry, skipCRC32: false) { bytes.append($0) }
            let path = entry.path.split(separator: "/", maxSplits: 1).last.map(String.init) ?? entry.path
            files[path] = bytes
        }
        return files
    }

    static func count(_ store: Store, _ sql: String) async throws -> Int64 {
        try await store.database.read { db in try await db.raw(SQLQueryString(sql)).first()?.decode(column: "n", as: Int64.self) ?? -1 }
    }

    static func message(_ response: TestResponse) -> String? { ((try? response.json())?["error"] as? [String: Any])?["message"] as? String }

    static func items(_ response: TestResponse) throws -> [[String: Any]] { try response.json()["items"] as? [[String: Any]] ?? [] }

    /// The demo 市财政局's assignment and issued feedback.
    static func finance(_ client: any TestClientProtocol, office: String) async throws -> (assignment: String, feedback: String) {
        let assignments = try Self.items(try await client.api(.get, "/api/v1/assignments", token: office))
        let assignment = try #require(assignments.first { $0["unit_name"] as? String == "市财政局" }?["id"] as? String)
        let feedback = try #require(try Self.items(try await client.api(.get, "/api/v1/feedback", token: office)).first { $0["assignment_id"] as? String == assignment })
        return (assignment, try #require(feedback["id"] as? String))
    }

    /// The office evaluates the rectification and grades it 好, which closes the evaluation.
    static func finish(_ client: any TestClientProtocol, feedback: String, office: String, today: CalendarDay) async throws {
        let scheduled = try await client.api(.post, "/api/v1/feedback/\(feedback)/evaluations", token: office, json: #"{"planned_on":"\#(today)"}"#)
        #expect(scheduled.status == .created, "\(scheduled.text)")
        let evaluation = try scheduled.json()
        let id = try #require(evaluation["id"] as? String)
        let graded = try await client.api(
            .post, "/api/v1/evaluations/\(id)/steps", token: office,
            json: #"{"step":"grade","version":\#(evaluation["version"] as? Int ?? 0),"methods":["document_review"],"findings":"整改到位","grade":"good"}"#)
        #expect(graded.status == .ok, "\(graded.text)")
    }

    @Test(arguments: TestEngine.available)
    func anUnfinishedAssignmentIsRefusedAndAFinishedOneIsArchivedLockedAndVerifies(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let office = try await demoToken(store, "office")
            let outsider = try await demoToken(store, "qinghe.office")
            let head = try await demoToken(store, "danwei")
            let (assignment, feedback) = try await Self.finance(client, office: office)

            // Not finished: 409, nothing written, nothing locked.
            let early = try await client.api(.post, "/api/v1/assignments/\(assignment)/archive", token: office)
            #expect(early.status == .conflict)
            #expect(early.errorCode == "not_finished")
            #expect(Self.message(early)?.contains("市财政局") == true)
            #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM archives") == 0)
            #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM archive_assignments") == 0)
            #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM audit_entries WHERE action LIKE 'archive.%'") == 0)
            #expect(try await client.api(.post, "/api/v1/assignments/\(assignment)/archive", token: outsider).status == .notFound, "another committee")
            #expect(try await client.api(.post, "/api/v1/assignments/\(UUID().text)/archive", token: office).status == .notFound)
            #expect(try await client.api(.post, "/api/v1/assignments/\(assignment)/archive", token: head).status == .forbidden, "only the office archives")

            try await Self.finish(client, feedback: feedback, office: office, today: CalendarDay(store.clock.now()))
            let tasks = try Self.items(try await client.api(.get, "/api/v1/rectification-tasks", token: office))
            let task = try #require(tasks.first { $0["status"] as? String == "in_progress" })

            // 整改佐证 uploaded before archiving goes into the package byte for byte.
            let taskID = try #require(UUID(text: task["id"] as? String ?? ""))
            let zeren = try await demoToken(store, "zeren")
            let zerenActor = try await store.signIn(username: "zeren", password: Store.demoPassword, kind: .api, clientAddress: "127.0.0.1").session.actor
            let proof = Data("%PDF-1.4\n整改佐证\n".utf8)
            let attached = try await store.attach(proof, filename: "整改佐证.pdf", to: .task(taskID), origin: RequestOrigin(actor: zerenActor))

            let created = try await client.api(.post, "/api/v1/assignments/\(assignment)/archive", token: office)
            #expect(created.status == .created, "\(created.text)")
            let archive = try created.json()
            let id = try #require(archive["id"] as? String)
            #expect(archive["unit_names"] as? [String] == ["市财政局"])
            let digest = try #require(archive["package_sha256"] as? String)
            #expect(digest.count == 64)
            #expect((archive["file_count"] as? Int ?? 0) >= 7)
            let again = try await client.api(.post, "/api/v1/assignments/\(assignment)/archive", token: office)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "already_archived")

            // Locked: a task's step, a new evaluation, a rectification report, evidence on a task.
            let progress = try await client.api(
                .post, "/api/v1/rectification-tasks/\(try #require(task["id"] as? String))/steps", token: zeren,
                json: #"{"step":"progress","progress":90,"note":"已完成","version":\#(task["version"] as? Int ?? 0)}"#)
            #expect(progress.status == .conflict, "\(progress.text)")
            #expect(progress.errorCode == "archived")
            #expect(Self.message(progress) == "已归档，不能修改；如需更正请登记更正说明")
            let evaluation = try await client.api(.post, "/api/v1/feedback/\(feedback)/evaluations", token: office, json: #"{"planned_on":"\#(CalendarDay(store.clock.now()))"}"#)
            #expect(evaluation.errorCode == "archived")
            let report = try await client.api(
                .post, "/api/v1/feedback/\(feedback)/rectification-reports", token: try await demoToken(store, "lianluo"),
                json: #"{"kind":"rectification","title":"整改情况报告","body":"正文"}"#)
            #expect(report.status == .conflict)
            #expect(report.errorCode == "archived")
            let upload = await #expect(throws: DomainError.self) {
                _ = try await store.attach(Data("%PDF-1.4\n".utf8), filename: "佐证.pdf", to: .task(taskID), origin: RequestOrigin(actor: zerenActor))
            }
            #expect(upload?.code == "archived")

            // The package: a valid bag, the same manifest as archived, each export logged.
            let download = try await client.api(.get, "/api/v1/archives/\(id)/package.zip", token: office)
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/zip")
            let files = try Self.unzip(Data(download.body.readableBytesView))
            let verified = try BagIt.verify(files, digest: Store.sha256)
            #expect(verified.count == archive["file_count"] as? Int)
            #expect(Store.sha256(try #require(files["manifest-sha256.txt"])) == digest, "the same records pack the same payload")
            let catalogue = String(decoding: try #require(files["data/catalogue.csv"]), as: UTF8.self)
            #expect(catalogue.contains("件号,责任者,文号,题名,日期,页数,密级,保管期限,备注"))
            #expect(catalogue.contains("江巡反〔2026〕1号"))
            #expect(files["data/evidence/\(attached.id.text).pdf"] == proof, "the evidence file's stored bytes")
            #expect(String(decoding: try #require(files["data/evidence.csv"]), as: UTF8.self).contains("整改佐证.pdf"))
            #expect(files["data/catalogue.xlsx"] != nil && files["data/audit-extract.csv"] != nil && files["data/evidence.csv"] != nil)
            let documents = files.keys.filter { $0.hasPrefix("data/documents/") && $0.hasSuffix(".docx") }
            #expect(documents.count >= 2, "the notice and the feedback at least: \(documents.sorted())")
            #expect(documents.allSatisfy { files[$0.replacingOccurrences(of: ".docx", with: ".json")] != nil }, "each with its record's data")
            let info = String(decoding: try #require(files["bag-info.txt"]), as: UTF8.self)
            #expect(info.contains("Source-Organization: 江城市委"))
            #expect(try await client.api(.get, "/api/v1/archives/\(id)/package.zip", token: outsider).status == .notFound)
            #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'archive.export'") == 1)

            // A correction is appended, listed, and packed into the next export.
            let blank = try await client.api(.post, "/api/v1/archives/\(id)/corrections", token: office, json: #"{"text":" "}"#)
            #expect(blank.status == .badRequest)
            let corrected = try await client.api(.post, "/api/v1/archives/\(id)/corrections", token: office, json: #"{"text":"反馈意见印发日期应为12月1日"}"#)
            #expect(corrected.status == .created)
            #expect((try corrected.json()["corrections"] as? [[String: Any]])?.first?["text"] as? String == "反馈意见印发日期应为12月1日")
            let listed = try Self.items(try await client.api(.get, "/api/v1/archives", token: office))
            #expect(listed.map { $0["id"] as? String } == [id])
            #expect(try Self.items(try await client.api(.get, "/api/v1/archives", token: outsider)).isEmpty)
            let later = try Self.unzip(Data(try await client.api(.get, "/api/v1/archives/\(id)/package.zip", token: office).body.readableBytesView))
            _ = try BagIt.verify(later, digest: Store.sha256)
            #expect(String(decoding: try #require(later["data/corrections.json"]), as: UTF8.self).contains("反馈意见印发日期应为12月1日"))

            // The page lists the round's assignments with their state and the archive.
            let session = try await store.signIn(username: "office", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            let page = try await client.page(.get, "/archives", session: session)
            #expect(page.status == .ok)
            #expect(page.text.contains("立卷归档") && page.text.contains("已归档") && page.text.contains("下载归档包"))
            #expect(page.text.contains("反馈意见印发日期应为12月1日"))
        }
    }

    @Test(arguments: TestEngine.available)
    func aRoundIsArchivedOnlyWhenEveryAssignmentIsFinished(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let office = try await demoToken(store, "office")
            let (assignment, feedback) = try await Self.finance(client, office: office)
            let rounds = try Self.items(try await client.api(.get, "/api/v1/assignments", token: office))
            let round = try #require(rounds.first { $0["id"] as? String == assignment }?["round_id"] as? String)
            try await Self.finish(client, feedback: feedback, office: office, today: CalendarDay(store.clock.now()))
            let candidates = try Self.items(try await client.api(.get, "/api/v1/rounds/\(round)/archive-candidates", token: office))
            #expect(candidates.first { $0["assignment_id"] as? String == assignment }?["finished"] as? Bool == true)
            let others = candidates.filter { $0["assignment_id"] as? String != assignment }
            if !others.isEmpty {
                let refused = try await client.api(.post, "/api/v1/rounds/\(round)/archive", token: office)
                #expect(refused.status == .conflict)
                #expect(refused.errorCode == "not_finished")
                #expect(try await Self.count(store, "SELECT COUNT(*) AS n FROM archives") == 0)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theDemoCitysFinishedRoundIsArchivedAsOneBagWithEveryUnitsDocumentsAndEvidence(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let office = try await demoToken(store, "office")
            let rounds = try Self.items(try await client.api(.get, "/api/v1/rounds", token: office))
            let round = try #require(rounds.first { $0["term"] as? String == "十四届" }?["id"] as? String, "last term's round")
            let candidates = try Self.items(try await client.api(.get, "/api/v1/rounds/\(round)/archive-candidates", token: office))
            #expect(candidates.count == 2 && candidates.allSatisfy { $0["finished"] as? Bool == true }, "\(candidates)")

            // The page offers 整轮归档 once every assignment is finished; its form archives the round.
            let session = try await store.signIn(username: "office", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
            let before = try await client.page(.get, "/archives?round=\(round)", session: session)
            #expect(before.text.contains("整轮归档") && before.text.contains("action=\"/rounds/\(round)/archive\""))
            let posted = try await client.page(.post, "/rounds/\(round)/archive", session: session, form: [("_csrf", session.session.csrfToken)])
            #expect(posted.status == .seeOther, "\(posted.text)")
            let after = try await client.page(.get, "/archives?round=\(round)", session: session)
            #expect(!after.text.contains("整轮归档") && after.text.contains("已归档"))
            let archive = try #require(try Self.items(try await client.api(.get, "/api/v1/archives", token: office)).first { $0["round_id"] as? String == round })
            #expect(Set(archive["unit_names"] as? [String] ?? []) == ["市交通运输局", "市市场监督管理局"])
            let id = try #require(archive["id"] as? String)
            let again = try await client.api(.post, "/api/v1/rounds/\(round)/archive", token: office)
            #expect(again.errorCode == "already_archived")

            let files = try Self.unzip(Data(try await client.api(.get, "/api/v1/archives/\(id)/package.zip", token: office).body.readableBytesView))
            #expect(try BagIt.verify(files, digest: Store.sha256).count == archive["file_count"] as? Int)
            let catalogue = String(decoding: try #require(files["data/catalogue.csv"]), as: UTF8.self)
            for number in ["江巡反〔2025〕17号", "江巡反〔2025〕18号", "江巡办〔2025〕21号", "江巡办〔2025〕22号"] {
                #expect(catalogue.contains(number), "\(number) in the 归档文件目录")
            }
            for title in ["整改方案", "整改情况的报告", "组织落实巡察整改情况的报告", "评估意见", "情况报告"] {
                #expect(catalogue.components(separatedBy: title).count - 1 >= 2, "each unit's \(title)")
            }
            let evidence = files.keys.filter { $0.hasPrefix("data/evidence/") }
            #expect(evidence.count == 3, "one file per closed task: \(evidence.sorted())")

            // Every record of the round is locked: a closed task cannot be reopened.
            let tasks = try Self.items(try await client.api(.get, "/api/v1/rectification-tasks?limit=100", token: office))
            let task = try #require(tasks.first { $0["unit_name"] as? String == "市交通运输局" })
            let reopened = try await client.api(
                .post, "/api/v1/rectification-tasks/\(try #require(task["id"] as? String))/steps", token: office,
                json: #"{"step":"reopen","note":"抽查发现问题反弹","version":\#(task["version"] as? Int ?? 0)}"#)
            #expect(reopened.errorCode == "archived", "\(reopened.text)")
        }
    }

    @Test(arguments: TestEngine.available)
    func retentionPeriodsAreTheCommitteesSetting(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let office = try await demoToken(store, "office")
            let before = try await client.api(.get, "/api/v1/settings", token: office).json()
            #expect((before["retention"] as? [String: String])?["feedback"] == "permanent", "the customary table")
            #expect((before["retention"] as? [String: String])?["rectification_plan"] == "thirty_years")
            let version = try #require(before["version"] as? Int)
            let bad = try await client.api(.put, "/api/v1/settings", token: office, json: #"{"version":\#(version),"retention":{"feedback":"五年"}}"#)
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "unknown_retention")
            let changed = try await client.api(.put, "/api/v1/settings", token: office, json: #"{"version":\#(version),"retention":{"feedback":"定期30年"}}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            let after = try await client.api(.get, "/api/v1/settings", token: office).json()
            #expect((after["retention"] as? [String: String])?["feedback"] == "thirty_years")
            #expect((after["retention"] as? [String: String])?["notice"] == "permanent", "the kinds left out keep theirs")
        }
    }
}
