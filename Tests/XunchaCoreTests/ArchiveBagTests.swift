import Foundation
import Testing
@testable import XunchaCore

/// The bag writer and checker (RFC 8493) and the 归档文件目录 (DA/T 22-2015), without I/O. The
/// digest is handed in; FNV-1a stands in for SHA-256 here (the store's SHA-256 is tested with the
/// real packages in the web and console tests).
@Suite struct ArchiveBagTests {
    static let digest: BagIt.Digest = { data in
        String(data.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 16)
    }

    static func bag() -> [BagFile] {
        BagIt.bag(
            payload: [BagFile("documents/001-notice.docx", utf8("通知")), BagFile("catalogue.csv", utf8("件号\r\n1\r\n")), BagFile("odd name%.txt", utf8("x"))],
            info: [("Source-Organization", "江城市委"), ("Bagging-Date", "2026-12-24")], digest: digest)
    }

    static func files(_ bag: [BagFile]) -> [String: Data] { Dictionary(uniqueKeysWithValues: bag.map { ($0.path, $0.data) }) }

    @Test func aBagHasItsDeclarationInfoManifestsAndPayloadUnderData() throws {
        let bag = Self.bag()
        let files = Self.files(bag)
        #expect(Array(bag.prefix(4).map(\.path)) == ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"])
        #expect(String(decoding: files["bagit.txt"]!, as: UTF8.self) == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        let info = String(decoding: files["bag-info.txt"]!, as: UTF8.self)
        #expect(info.contains("Source-Organization: 江城市委\n"))
        let octets = "通知".utf8.count + "件号\r\n1\r\n".utf8.count + 1
        #expect(info.hasSuffix("Payload-Oxum: \(octets).3\n"))
        let manifest = String(decoding: files["manifest-sha256.txt"]!, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(manifest == [
            "\(Self.digest(utf8("件号\r\n1\r\n")))  data/catalogue.csv", "\(Self.digest(utf8("通知")))  data/documents/001-notice.docx",
            "\(Self.digest(utf8("x")))  data/odd name%25.txt",
        ], "sorted by path; % percent-encoded")
        let tags = String(decoding: files["tagmanifest-sha256.txt"]!, as: UTF8.self)
        #expect(tags.contains("  bagit.txt\n") && tags.contains("  bag-info.txt\n") && tags.contains("  manifest-sha256.txt\n"))
        #expect(try BagIt.verify(files, digest: Self.digest) == (octets, 3))
    }

    @Test func verifyNamesTheFileThatChangedWentMissingOrWasAdded() throws {
        var files = Self.files(Self.bag())
        files["data/catalogue.csv"]![0] ^= 1
        #expect(throws: BagProblem(file: "data/catalogue.csv", reason: "SHA-256不符")) { try BagIt.verify(files, digest: Self.digest) }

        files = Self.files(Self.bag())
        files["data/documents/001-notice.docx"] = nil
        #expect(throws: BagProblem(file: "data/documents/001-notice.docx", reason: "清单列出但文件缺失")) { try BagIt.verify(files, digest: Self.digest) }

        files = Self.files(Self.bag())
        files["data/extra.txt"] = utf8("!")
        #expect(throws: BagProblem(file: "data/extra.txt", reason: "文件不在清单中")) { try BagIt.verify(files, digest: Self.digest) }

        files = Self.files(Self.bag())
        files["bagit.txt"] = nil
        #expect(throws: BagProblem(file: "bagit.txt", reason: "缺少或不是BagIt声明")) { try BagIt.verify(files, digest: Self.digest) }

        files = Self.files(Self.bag())
        files["bag-info.txt"] = utf8("Payload-Oxum: 1.1\n")
        #expect(throws: BagProblem.self, "a changed tag file breaks the tag manifest") { try BagIt.verify(files, digest: Self.digest) }
    }

    static func item(_ kind: DocumentKind, _ day: String, _ retention: RetentionPeriod, number: String? = nil) throws -> ArchivedItem {
        ArchivedItem(
            kind: kind, recordID: UUID(), author: "中共江城市委巡察工作领导小组办公室", number: number, title: kind.title,
            date: try CalendarDay(text: day, field: "d", label: "d"), pages: 2, secrecy: nil, retention: retention, files: ["documents/x.docx"])
    }

    @Test func theCatalogueNumbersItemsByRetentionThenDate() throws {
        let items = [
            try Self.item(.rectificationPlan, "2026-11-01", .thirtyYears), try Self.item(.feedback, "2026-12-01", .permanent, number: "江巡反〔2026〕1号"),
            try Self.item(.notice, "2026-03-01", .permanent, number: "江巡办〔2026〕5号"), try Self.item(.ledger, "2026-01-01", .tenYears),
            try Self.item(.immediate, "2026-03-20", .permanent),
        ]
        let rows = ArchiveCatalogue.rows(items)
        #expect(rows.map { $0[0] } == ["1", "2", "3", "4", "5"])
        #expect(rows.map { $0[3] } == ["巡察通知", "立行立改通知书", "反馈意见", "整改方案", "整改台账"])
        #expect(rows.map { $0[7] } == ["永久", "永久", "永久", "定期30年", "定期10年"])
        #expect(rows[0][4] == "20260301", "dates as DA/T 22 writes them")
        #expect(rows[0][2] == "江巡办〔2026〕5号")
        #expect(rows[0][8].contains("估算"), "the 页数 says it is an estimate")
        #expect(ArchiveCatalogue.columns == ["件号", "责任者", "文号", "题名", "日期", "页数", "密级", "保管期限", "备注"])
    }

    @Test func retentionIsTheCommitteesSettingOverCustomaryDefaults() {
        #expect(RetentionSchedule.customary.period(of: .feedback) == .permanent)
        #expect(RetentionSchedule.customary.period(of: .rectificationPlan) == .thirtyYears)
        #expect(RetentionSchedule.customary.period(of: .ledger) == .tenYears)
        let own = RetentionSchedule(periods: [.feedback: .thirtyYears])
        #expect(own.period(of: .feedback) == .thirtyYears)
        #expect(own.period(of: .notice) == .permanent)
    }

    @Test func pagesAreEstimatedAt22LinesOf28Characters() {
        func document(_ paragraphs: Int, of length: Int) -> OfficialDocument {
            OfficialDocument(
                frame: DocumentFrame(issuerMark: "中共江城市委巡察工作领导小组办公室", signature: "中共江城市委巡察工作领导小组办公室", printedBy: "中共江城市委巡察工作领导小组办公室"),
                number: "江巡办〔2026〕5号", title: "关于巡察市财政局的通知", addressee: "市财政局党组织",
                body: Array(repeating: .paragraph(String(repeating: "巡", count: length)), count: paragraphs), date: CalendarDay(year: 2026, month: 12, day: 1))
        }
        #expect(PageEstimate.pages(of: document(1, of: 20)) == 1)
        // 版头 5, the title and a blank 2, addressee 1, 署名 and 成文日期 5, 版记 1: 14 lines around the body;
        // 40 characters and the indent make each paragraph two lines.
        #expect(PageEstimate.lines(of: document(4, of: 40)) == 14 + 8)
        #expect(PageEstimate.pages(of: document(4, of: 40)) == 1)
        #expect(PageEstimate.pages(of: document(5, of: 40)) == 2)
        #expect(PageEstimate.pages(of: document(30, of: 200)) == 12)
    }
}
