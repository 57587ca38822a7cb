import Foundation
import Logging
import SQLKit
import Testing
import XunchaCore
import XunchaStore

/// `xuncha archive`: `verify` passes a bag and names the file when one byte of it changes or a
/// file goes missing; `create` refuses an assignment that is not finished and writes nothing.
extension CLITests {
    static func writeBag(to folder: URL) throws {
        let bag = BagIt.bag(
            payload: [BagFile("documents/001-notice.docx", Data("巡察通知".utf8)), BagFile("catalogue.csv", Data("件号\r\n1\r\n".utf8))],
            info: [("Source-Organization", "江城市委")], digest: Store.sha256)
        for file in bag {
            let url = folder.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.data.write(to: url)
        }
    }

    @Test func archiveVerifyPassesABagAndFailsAfterOneByteChangesOrAFileGoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-bag-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeBag(to: folder)
        let passed = try run(["archive", "verify", folder.path], database: "")
        #expect(passed.status == 0, "\(passed.errors)")
        #expect(passed.output.contains("归档包校验通过：2个文件"))

        let payload = folder.appendingPathComponent("data/catalogue.csv")
        var bytes = try Data(contentsOf: payload)
        bytes[0] ^= 0x01
        try bytes.write(to: payload)
        let changed = try run(["archive", "verify", folder.path], database: "")
        #expect(changed.status == 1)
        #expect(changed.errors.contains("data/catalogue.csv：SHA-256不符"))

        try FileManager.default.removeItem(at: folder)
        try Self.writeBag(to: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("data/documents/001-notice.docx"))
        let missing = try run(["archive", "verify", folder.path], database: "")
        #expect(missing.status == 1)
        #expect(missing.errors.contains("data/documents/001-notice.docx：清单列出但文件缺失"))

        #expect(try run(["archive", "verify", folder.appendingPathComponent("none").path], database: "").status == 2)
    }

    @Test func archiveCreateRefusesAnAssignmentNotFinishedAndWritesNothing() async throws {
        try await withDatabase { database in
            #expect(try run(["demo"], database: database).status == 0)
            let db = try await Database.open(.sqliteFile(database), logger: Logger(label: "test"))
            let assignment = try await db.read { db in
                try await db.raw("SELECT a.id FROM assignments a JOIN units u ON u.id = a.unit_id WHERE u.name = '市财政局'").first()?.decode(column: "id", as: String.self)
            }
            await db.close()
            let out = URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("bag")
            let refused = try run(["archive", "create", "--assignment", try #require(assignment), "--out", out.path], database: database)
            #expect(refused.status == 1)
            #expect(refused.errors.contains("尚未办结"), "\(refused.errors)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }
}
