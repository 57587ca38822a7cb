import Foundation
import SQLKit
import Testing
import XunchaCore
import XunchaSeed
import XunchaTesting

@testable import XunchaStore

/// 审计链锚定: checkpoints signed with a key outside the database catch what a walk of the chain
/// cannot (truncation with the head moved back, a rebuilt or rehashed chain); row digests catch a
/// business row changed without its entry; verifying writes nothing.
@Suite("审计链锚定")
struct AuditAnchoringTests {
    @Test(arguments: TestEngine.available)
    func anIntactChainHoldsAgainstItsCheckpointsAndVerifyingWritesNothing(engine: TestEngine) async throws {
        try await withKey { key, _ in
            try await withTestStore(engine) { store in
                let s = try await Scenario.onSite(store)
                _ = try await s.atFinance.approvedPaper(store)
                try await store.writeAuditCheckpoint(key: key, madeBy: "test")
                _ = try await store.createUnit(UnitDraft(name: "市审计局", type: .other, partyOrganisation: .branch), in: s.f.city.id, origin: s.f.origin(.officeStaff))
                let checkpoint = try await store.writeAuditCheckpoint(key: key, madeBy: "test")
                #expect(checkpoint.number == 2 && checkpoint.count == checkpoint.sequence)

                let before = try await rows(store)
                let report = try await store.checkAuditChain(publicKey: key.publicKey, deep: true, origin: Fixture.console)
                #expect(report.isIntact, "\(report.problems)")
                #expect(report.checkpointsHeld == 2)
                #expect(report.latestCheckpoint == checkpoint)
                #expect(report.rowsChecked > 5)
                #expect(try await rows(store) == before, "checking wrote nothing")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func truncationWithTheHeadMovedBackIsCaught(engine: TestEngine) async throws {
        try await withKey { key, _ in
            try await withTestStore(engine) { store in
                let f = try await Fixture.make(store)
                let cut = try await head(store).sequence
                for i in 0..<3 {
                    _ = try await store.createUnit(UnitDraft(name: "单位\(i)", type: .other, partyOrganisation: .branch), in: f.city.id, origin: f.origin(.officeStaff))
                }
                try await store.writeAuditCheckpoint(key: key, madeBy: "test")
                let kept = try await store.auditCheckpoints()

                // The newest entries deleted, the head moved back onto the last one left: the walk alone sees nothing.
                try await tamper(store, "DELETE FROM audit_entries WHERE seq > \(cut)")
                try await tamper(store, "UPDATE audit_head SET seq = \(cut), hash = (SELECT hash FROM audit_entries WHERE seq = \(cut)) WHERE id = 1")
                #expect(try await store.checkAuditChain(publicKey: nil, origin: Fixture.console).isIntact)

                let report = try await store.checkAuditChain(publicKey: key.publicKey, origin: Fixture.console)
                #expect(!report.isIntact)
                #expect(report.problems.contains { $0.contains("末尾记录被删除") }, "\(report.problems)")

                // The checkpoints deleted too: the administrator's export still catches it.
                try await tamper(store, "DELETE FROM audit_checkpoints")
                #expect(try await store.checkAuditChain(publicKey: key.publicKey, origin: Fixture.console).isIntact)
                let withExport = try await store.checkAuditChain(publicKey: key.publicKey, kept: kept, origin: Fixture.console)
                #expect(withExport.problems.contains { $0.contains("末尾记录被删除") }, "\(withExport.problems)")

                // The server signs on over the cut chain: the same number signed twice gives it away.
                try await store.writeAuditCheckpoint(key: key, madeBy: "server")
                let resigned = try await store.checkAuditChain(publicKey: key.publicKey, kept: kept, origin: Fixture.console)
                #expect(resigned.problems.contains { $0.contains("第1号有两个不同的版本") }, "\(resigned.problems)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func anEditWithEveryLaterHashRecomputedIsCaught(engine: TestEngine) async throws {
        try await withKey { key, _ in
            try await withTestStore(engine) { store in
                _ = try await Fixture.make(store)
                try await store.writeAuditCheckpoint(key: key, madeBy: "test")
                try await tamper(store, "UPDATE audit_entries SET detail = '改过的' WHERE seq = 4")
                try await rechain(store)
                #expect(try await store.checkAuditChain(publicKey: nil, origin: Fixture.console).isIntact, "rehashed: the walk alone sees nothing")

                let report = try await store.checkAuditChain(publicKey: key.publicKey, origin: Fixture.console)
                #expect(report.problems.contains { $0.contains("重算了哈希链") }, "\(report.problems)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func deletionsRechainedFromTheStartAreCaught(engine: TestEngine) async throws {
        try await withKey { key, _ in
            try await withTestStore(engine) { store in
                let f = try await Fixture.make(store)
                _ = try await store.auditEntries(AuditQuery(limit: 5), origin: f.origin(.auditAdministrator))
                try await store.writeAuditCheckpoint(key: key, madeBy: "test")
                _ = try await store.createUnit(UnitDraft(name: "市审计局", type: .other, partyOrganisation: .branch), in: f.city.id, origin: f.origin(.officeStaff))
                try await store.writeAuditCheckpoint(key: key, madeBy: "test")

                // Every read of the log removed, the rest renumbered and chained afresh from the start.
                try await tamper(store, "DELETE FROM audit_entries WHERE action = '\(AuditAction.auditViewed.rawValue)'")
                try await rechain(store)
                #expect(try await store.checkAuditChain(publicKey: nil, origin: Fixture.console).isIntact)

                let report = try await store.checkAuditChain(publicKey: key.publicKey, origin: Fixture.console)
                #expect(!report.isIntact)
                #expect(!report.problems.isEmpty, "\(report)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aBusinessRowChangedWithoutItsEntryIsFoundByTheDeepCheck(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let paper = try await s.atFinance.approvedPaper(store)
            #expect(try await store.checkAuditChain(publicKey: nil, deep: true, origin: Fixture.console).isIntact)

            try await tamper(store, "UPDATE findings SET title = '另一个问题' WHERE id = '\(paper.id.text)'")
            let report = try await store.checkAuditChain(publicKey: nil, deep: true, origin: Fixture.console)
            #expect(report.problems.count == 1)
            #expect(report.problems.first?.contains(paper.id.text) == true, "\(report.problems)")
            #expect(report.problems.first?.contains("findings") == true)
            #expect(try await store.checkAuditChain(publicKey: nil, origin: Fixture.console).isIntact, "without --deep the chain itself holds")

            try await tamper(store, "UPDATE units SET head_name = '某某' WHERE id = '\(s.f.cityUnit.id.text)'")
            #expect(try await store.checkAuditChain(publicKey: nil, deep: true, origin: Fixture.console).problems.count == 2)
        }
    }

    /// The demo's whole tour, written through the store, leaves no row the deep check doubts.
    @Test func aWholeTourWrittenThroughTheStoreHoldsUnderTheDeepCheck() async throws {
        try await withTestStore(.sqlite) { store in
            _ = try await store.seedDemo()
            let report = try await store.checkAuditChain(publicKey: nil, deep: true, origin: Fixture.console)
            #expect(report.problems.isEmpty, "\(report.problems.prefix(5))")
            #expect(report.rowsChecked > 30)
        }
    }

    @Test(arguments: TestEngine.available)
    func aCheckpointSignedByAnotherKeyIsRejected(engine: TestEngine) async throws {
        try await withKey { key, folder in
            let other = try AuditSigningKey.create(at: folder.appendingPathComponent("other.key").path)
            try await withTestStore(engine) { store in
                _ = try await Fixture.make(store)
                try await store.writeAuditCheckpoint(key: key, madeBy: "test")

                // The wrong key file: refused, nothing written.
                let refused = await #expect(throws: DomainError.self) { try await store.writeAuditCheckpoint(key: other, madeBy: "test") }
                #expect(refused?.code == "audit_key_changed")
                #expect(try await store.auditCheckpoints().count == 1)
                #expect(try await store.auditKeyMatchesCheckpoints(other.publicKey) == false)

                // One slipped in by someone holding another key: verification names it.
                try await store.writeAuditCheckpoint(key: other, madeBy: "intruder", newKey: true)
                let report = try await store.checkAuditChain(publicKey: key.publicKey, origin: Fixture.console)
                #expect(!report.isIntact)
                #expect(report.problems.contains { $0.contains("第2号") && $0.contains("另一密钥") }, "\(report.problems)")

                // A checkpoint's head altered after signing: its signature no longer holds.
                try await tamper(store, "UPDATE audit_checkpoints SET audit_seq = audit_seq - 1 WHERE number = 1")
                let altered = try await store.checkAuditChain(publicKey: key.publicKey, origin: Fixture.console)
                #expect(altered.problems.contains { $0.contains("第1号") && $0.contains("签名与内容不符") }, "\(altered.problems)")
            }
        }
    }

    @Test func keyFilesAreCreatedPrivateAndBadOnesAreRefusedInWords() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("audit.key").path
        let key = try AuditSigningKey.create(at: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try AuditSigningKey.load(from: path).publicKey == key.publicKey)
        #expect(try AuditPublicKey(text: key.publicKey.base64) == key.publicKey)

        #expect(throws: DomainError.self) { try AuditSigningKey.create(at: path) }
        #expect(try AuditSigningKey.load(from: path).publicKey == key.publicKey, "an existing key is never overwritten")
        #expect((try? AuditSigningKey.load(from: folder.appendingPathComponent("none.key").path)) == nil)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let exposed = #expect(throws: DomainError.self) { try AuditSigningKey.load(from: path) }
        #expect(exposed?.code == "audit_key_exposed")

        let garbage = folder.appendingPathComponent("garbage.key").path
        FileManager.default.createFile(atPath: garbage, contents: Data("not a key\n".utf8), attributes: [.posixPermissions: 0o600])
        #expect((#expect(throws: DomainError.self) { try AuditSigningKey.load(from: garbage) })?.code == "audit_key_malformed")
        #expect((#expect(throws: DomainError.self) { try AuditPublicKey(text: "abc") })?.code == "audit_public_key_malformed")
    }

    @Test func entriesWithoutARowDigestKeepTheirOldHashFormat() {
        let event = AuditEvent(action: .unitCreated, targetType: "unit", targetID: "u1", detail: "d")
        var entry = AuditEntry(
            sequence: 1, at: Date(timeIntervalSince1970: 1), actorID: nil, actorName: "a", clientAddress: nil, event: event, beforeDigest: nil,
            afterDigest: nil, previousHash: AuditEntry.genesisHash, hash: "")
        let old = entry.chainText
        #expect(old.split(separator: "|").count == 13)
        entry.rowTable = "units"
        entry.rowDigest = "abc"
        #expect(entry.chainText.hasPrefix(old + "|"))
        entry.rowDigest = nil
        #expect(entry.chainText != old, "dropping the digest does not fall back to the old text")
    }
}

/// Runs `body` with a fresh signing key in a folder of its own.
private func withKey(_ body: (AuditSigningKey, URL) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-key-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try await body(try AuditSigningKey.create(at: folder.appendingPathComponent("audit.key").path), folder)
}

private func tamper(_ store: Store, _ sql: String) async throws {
    try await store.database.transaction { db in try await db.raw(SQLQueryString(sql)).run() }
}

private func head(_ store: Store) async throws -> (sequence: Int64, hash: String) {
    try await store.database.read { db in
        let row = try await db.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first()!
        return (try row.int64("seq"), try row.string("hash"))
    }
}

/// The row counts of the audit log and its checkpoints.
private func rows(_ store: Store) async throws -> [Int64] {
    try await store.database.read { db in
        [
            try await db.raw("SELECT COUNT(*) AS n FROM audit_entries").first()!.int64("n"),
            try await db.raw("SELECT COUNT(*) AS n FROM audit_checkpoints").first()!.int64("n"),
            try await head(store).sequence,
        ]
    }
}

/// What someone holding the database but not the key can do: renumber what is left 1, 2, 3 …,
/// recompute every hash from the start, and move the head onto the last.
private func rechain(_ store: Store) async throws {
    try await store.database.transaction { db in
        let entries = try await db.raw("SELECT * FROM audit_entries ORDER BY seq").all().map(AuditLog.decode)
        try await db.raw("DELETE FROM audit_entries").run()
        var previous = AuditEntry.genesisHash
        for (index, old) in entries.enumerated() {
            var entry = old
            entry.sequence = Int64(index + 1)
            entry.previousHash = previous
            entry.hash = AuditLog.digest(entry.chainText)
            previous = entry.hash
            try await db.raw(
                """
                INSERT INTO audit_entries (seq, at, jurisdiction_id, actor_id, actor_name, client_address, action, target_type, target_id,
                    detail, before_digest, after_digest, prev_hash, hash, row_table, row_digest)
                VALUES (\(bind: entry.sequence), \(bind: entry.at.epochMilliseconds), \(bind: entry.event.jurisdictionID?.text), \(bind: entry.actorID?.text),
                    \(bind: entry.actorName), \(bind: entry.clientAddress), \(bind: entry.event.action.rawValue), \(bind: entry.event.targetType),
                    \(bind: entry.event.targetID), \(bind: entry.event.detail), \(bind: entry.beforeDigest), \(bind: entry.afterDigest),
                    \(bind: entry.previousHash), \(bind: entry.hash), \(bind: entry.rowTable), \(bind: entry.rowDigest))
                """
            ).run()
        }
        try await db.raw("UPDATE audit_head SET seq = \(bind: Int64(entries.count)), hash = \(bind: previous) WHERE id = 1").run()
    }
}
