import Foundation
import Logging
import SQLKit
import Synchronization
import Testing
import XunchaCore
@testable import XunchaStore
import XunchaTesting

/// 备份与恢复 (issue 17): a copy taken while the server writes restores identical — every table's
/// rows, the audit chain to the head the backup recorded, every evidence file — and a backup or
/// target that is not right is refused before anything is written.
@Suite("备份与恢复 backup and restore")
struct BackupRestoreTests {
    @Test(arguments: TestEngine.available)
    func aBackupTakenUnderWriteLoadRestoresIdentical(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let day = try CalendarDay(text: "2026-12-12", field: "d", label: "d")
            let record = try await store.recordOnSite(
                .documentReview, content: RecordContent(subject: "会计凭证", occurredOn: day, body: "调阅凭证"),
                inspectors: [(s.memberID, .lead)], reporter: nil, in: s.finance.id, origin: s.member)
            _ = try await store.attach(EvidenceStoreTests.pdf, filename: "凭证.pdf", to: .record(record.id), origin: s.member)

            // A member goes on recording while the copy is taken.
            let written = Mutex(0)
            let load = Task {
                while !Task.isCancelled {
                    _ = try await store.recordOnSite(
                        .documentReview, content: RecordContent(subject: "凭证", occurredOn: day, body: "调阅"),
                        inspectors: [(s.memberID, .lead)], reporter: nil, in: s.finance.id, origin: s.member)
                    written.withLock { $0 += 1 }
                }
            }
            while written.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(5)) }
            let folder = temporaryFolder("backup")
            defer { try? FileManager.default.removeItem(at: folder) }
            let manifest = try await store.backup(to: folder)
            load.cancel()
            _ = await load.result
            let records = try #require(manifest.tables["onsite_records"])
            #expect(records >= 4, "the records written before the copy are in it")

            #expect(manifest.evidence.count == 1)
            #expect(manifest.tables["audit_entries"] == manifest.auditSequence, "every entry to the head, none after")
            #expect((manifest.tables["users"] ?? 0) > 0)

            try await withEmptyTarget(engine) { target, evidence in
                let restored = try await Store.restore(from: folder, into: target, evidenceDirectory: evidence, logger: quiet)
                #expect(restored == manifest)
                let copy = try await Store.open(target, evidenceDirectory: evidence, logger: quiet)
                let (_, bytes) = try await copy.attachmentContent(
                    try #require(try await copy.attachments(of: .record(record.id), for: s.office.actor).first).id, origin: s.office)
                #expect(bytes == EvidenceStoreTests.pdf)
                await copy.close()
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func anAlteredOrMissingFileOrATargetWithDataIsRefusedAndNothingIsWritten(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let record = try await store.recordOnSite(
                .documentReview, content: RecordContent(subject: "会计凭证", occurredOn: try CalendarDay(text: "2026-12-12", field: "d", label: "d"), body: "调阅"),
                inspectors: [(s.memberID, .lead)], reporter: nil, in: s.finance.id, origin: s.member)
            let attachment = try await store.attach(EvidenceStoreTests.pdf, filename: "凭证.pdf", to: .record(record.id), origin: s.member)
            let folder = temporaryFolder("backup")
            defer { try? FileManager.default.removeItem(at: folder) }
            let manifest = try await store.backup(to: folder)

            await #expect(throws: BackupError.self, "a backup never overwrites") { _ = try await store.backup(to: folder) }

            // One byte of the evidence file changed.
            let evidence = folder.appendingPathComponent(try #require(manifest.evidence.first).path)
            var bytes = try Data(contentsOf: evidence)
            bytes[0] ^= 0x01
            try bytes.write(to: evidence)
            try await withEmptyTarget(engine) { target, evidenceFolder in
                let refusal = await #expect(throws: BackupError.self) {
                    _ = try await Store.restore(from: folder, into: target, evidenceDirectory: evidenceFolder, logger: quiet)
                }
                #expect(refusal?.message.contains(attachment.sha256) == true, "names the file: \(String(describing: refusal))")
                #expect(!FileManager.default.fileExists(atPath: evidenceFolder.path), "nothing written")
                try await expectEmpty(target)
            }
            bytes[0] ^= 0x01
            try bytes.write(to: evidence)

            // The database copy missing.
            let database = folder.appendingPathComponent(manifest.database.path)
            let aside = folder.appendingPathComponent("aside")
            try FileManager.default.moveItem(at: database, to: aside)
            try await withEmptyTarget(engine) { target, evidenceFolder in
                await #expect(throws: BackupError("备份缺少文件：\(manifest.database.path)")) {
                    _ = try await Store.restore(from: folder, into: target, evidenceDirectory: evidenceFolder, logger: quiet)
                }
                try await expectEmpty(target)
            }
            try FileManager.default.moveItem(at: aside, to: database)

            // A manifest that says more than the copy holds: written, found wanting, and removed again.
            let manifestURL = folder.appendingPathComponent(BackupManifest.fileName)
            let original = try Data(contentsOf: manifestURL)
            var overstated = manifest
            overstated.tables["users"] = (manifest.tables["users"] ?? 0) + 1
            try BackupManifest.encoder().encode(overstated).write(to: manifestURL)
            try await withEmptyTarget(engine) { target, evidenceFolder in
                let refusal = await #expect(throws: BackupError.self) {
                    _ = try await Store.restore(from: folder, into: target, evidenceDirectory: evidenceFolder, logger: quiet)
                }
                #expect(refusal?.message.contains("users") == true, "\(String(describing: refusal))")
                if case .sqliteFile = target { try await expectEmpty(target) }
            }
            try original.write(to: manifestURL)

            // A target that already holds a database: the store under test.
            await #expect(throws: BackupError.self, "a restore never overwrites") {
                _ = try await Store.restore(from: folder, into: store.database.location, logger: quiet)
            }
            #expect(try await store.attachments(of: .record(record.id), for: s.office.actor).count == 1)
        }
    }
}

private let quiet: Logger = {
    var logger = Logger(label: "xuncha.test")
    logger.logLevel = .warning
    return logger
}()

private func temporaryFolder(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-\(name)-\(UUID().uuidString)")
}

/// An empty database of the engine (a new SQLite path, or a new PostgreSQL database without any
/// table) and an evidence folder not yet made, dropped after `body`.
private func withEmptyTarget(_ engine: TestEngine, _ body: (DatabaseLocation, URL) async throws -> Void) async throws {
    let folder = temporaryFolder("restore")
    defer { try? FileManager.default.removeItem(at: folder) }
    let evidence = folder.appendingPathComponent("evidence")
    switch engine {
    case .sqlite:
        try await body(.sqliteFile(folder.appendingPathComponent("restored.sqlite").path), evidence)
    case .postgres:
        let base = try #require(ProcessInfo.processInfo.environment["XUNCHA_TEST_POSTGRES_URL"])
        let name = "xuncha_r_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let admin = try await Database.open(.postgres(base), logger: quiet)
        try await admin.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: String(name))").run() }
        var components = try #require(URLComponents(string: base))
        components.path = "/" + name
        do {
            try await body(.postgres(try #require(components.string)), evidence)
        } catch {
            try? await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run() }
            await admin.close()
            throw error
        }
        try await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run() }
        await admin.close()
    }
}

/// Nothing was restored into `target`: no SQLite file, or no table in the PostgreSQL database.
private func expectEmpty(_ target: DatabaseLocation) async throws {
    switch target {
    case .sqliteFile(let path):
        #expect(!FileManager.default.fileExists(atPath: path), "no file at \(path)")
    case .postgres:
        let database = try await Database.open(target, readers: 1, logger: quiet)
        let tables = try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema()").first()?.decode(column: "n", as: Int64.self)
        }
        await database.close()
        #expect(tables == 0)
    }
}

@Suite("定时备份 scheduled backups")
struct ScheduledBackupTests {
    @Test func eachRunWritesANewFolderAndKeepsTheNewestFinishedOnes() async throws {
        let clock = TestClock()
        try await withTestStore(.sqlite, clock: clock) { store in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-scheduled-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            try FileManager.default.createDirectory(at: root.appendingPathComponent("before-upgrade"), withIntermediateDirectories: true)
            let schedule = try #require(BackupSchedule(time: "02:30", keep: 2))
            var folders: [String] = []
            for _ in 0..<3 {
                let (folder, _, _) = try await store.scheduledBackup(into: root, schedule: schedule)
                folders.append(folder.lastPathComponent)
                clock.advance(by: 86_400)
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
            #expect(left == ["before-upgrade"] + folders.suffix(2), "the oldest removed, the operator's folder untouched")
            for name in folders.suffix(2) { _ = try BackupManifest.read(from: root.appendingPathComponent(name)) }
        }
    }
}
