import Foundation
import SQLKit
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("审计日志 hash chain")
struct AuditChainTests {
    /// Tampers with the stored log the way someone with database access could, then checks
    /// that verification names the first broken entry.
    @Test(arguments: TestEngine.available)
    func verificationCatchesEditsDeletionsAndReordering(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            _ = try await Fixture.make(store)
            let console = Fixture.console
            guard case .intact(let total) = try await store.verifyAuditChain(origin: console) else {
                Issue.record("a fresh chain must verify")
                return
            }
            #expect(total > 10)

            let original = try await store.database.read { db in
                try await db.raw("SELECT detail FROM audit_entries WHERE seq = 5").first()!.decode(column: "detail", as: String?.self)
            }
            try await tamper(store, "UPDATE audit_entries SET detail = 'edited' WHERE seq = 5")
            #expect(try await firstBreak(store) == 5)
            try await store.database.transaction { db in
                try await db.raw("UPDATE audit_entries SET detail = \(bind: original) WHERE seq = 5").run()
            }
            #expect(try await firstBreak(store) == nil)

            try await tamper(store, "DELETE FROM audit_entries WHERE seq = 7")
            #expect(try await firstBreak(store) == 7)
        }
    }

    @Test(arguments: TestEngine.available)
    func swappingTwoEntriesIsCaught(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            _ = try await Fixture.make(store)
            try await tamper(store, "UPDATE audit_entries SET seq = -1 WHERE seq = 3")
            try await tamper(store, "UPDATE audit_entries SET seq = 3 WHERE seq = 4")
            try await tamper(store, "UPDATE audit_entries SET seq = 4 WHERE seq = -1")
            #expect(try await firstBreak(store) == 3)
        }
    }

    @Test(arguments: TestEngine.available)
    func deletingTheNewestEntryIsCaughtByTheHead(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            _ = try await Fixture.make(store)
            try await tamper(store, "DELETE FROM audit_entries WHERE seq = (SELECT MAX(seq) FROM audit_entries)")
            let result = try await store.verifyAuditChain(origin: Fixture.console)
            guard case .broken(_, let reason) = result else {
                Issue.record("expected a broken chain, got \(result)")
                return
            }
            #expect(reason.contains("链头"))
        }
    }

    @Test(arguments: TestEngine.available)
    func aRefusedChangeLeavesNoAuditEntry(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let before = try await auditCount(store)
            await #expect(throws: DomainError.self) {
                _ = try await store.updateUnit(f.cityUnit.id, UnitDraft(name: "清河县水利局", type: .other, partyOrganisation: .branch, parentUnitID: f.countyAUnit.id), version: 1, origin: f.origin(.officeStaff))
            }
            #expect(try await auditCount(store) == before)
            _ = try await store.updateUnit(f.cityUnit.id, UnitDraft(name: "市财政局（改）", type: .other, partyOrganisation: .branch), version: 1, origin: f.origin(.officeStaff))
            #expect(try await auditCount(store) == before + 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func concurrentWritersEachLandOneEntryInOneUnbrokenChain(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let before = try await auditCount(store)

            let created = try await withThrowingTaskGroup(of: UUID.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        try await store.createUnit(UnitDraft(name: "并发单位\(i)", type: .other, partyOrganisation: .branch), in: f.city.id, origin: f.origin(.officeStaff)).id
                    }
                }
                return try await group.reduce(into: Set<UUID>()) { $0.insert($1) }
            }

            let appended = try await entries(store, after: Int64(before))
            #expect(appended.count == 40)
            #expect(appended.map(\.sequence) == Array(Int64(before + 1)...Int64(before + 40)))
            #expect(zip(appended.dropFirst(), appended).allSatisfy { $0.previousHash == $1.hash }, "each entry chains to the one before it")
            #expect(appended.allSatisfy { $0.event.action == .unitCreated })
            #expect(Set(appended.compactMap { $0.event.targetID }) == Set(created.map(\.text)))
            // The forty, then the reading of them.
            #expect(try await store.verifyAuditChain(origin: Fixture.console) == .intact(entries: Int64(before + 40 + 1)))
        }
    }

    @Test(arguments: TestEngine.available)
    func verifyingWhileOthersWriteIsNoFalseAlarm(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let before = try await auditCount(store)
            let verdicts = try await withThrowingTaskGroup(of: [AuditVerification].self) { group in
                group.addTask {
                    for i in 0..<30 {
                        _ = try await store.createUnit(UnitDraft(name: "写入中\(i)", type: .other, partyOrganisation: .branch), in: f.city.id, origin: f.origin(.officeStaff))
                    }
                    return []
                }
                group.addTask {
                    var verdicts: [AuditVerification] = []
                    for _ in 0..<10 { verdicts.append(try await store.verifyAuditChain(origin: Fixture.console)) }
                    return verdicts
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }

            #expect(verdicts.count == 10)
            for verdict in verdicts {
                guard case .intact(let walked) = verdict else {
                    Issue.record("a live chain was reported broken: \(verdict)")
                    continue
                }
                #expect(walked >= Int64(before), "a walk covers at least the entries that were there before it began")
            }
            // 30 units and 10 verifications, each its own entry.
            #expect(try await auditCount(store) == before + 30 + 10)
            #expect(try await store.verifyAuditChain(origin: Fixture.console) == .intact(entries: Int64(before + 40)))
        }
    }

    @Test(arguments: TestEngine.available)
    func onlyTheAuditAdministratorBrowsesTheLogAndBrowsingIsLogged(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            for role in Role.allCases where role != .auditAdministrator {
                let error = await #expect(throws: DomainError.self) { _ = try await store.auditEntries(AuditQuery(), origin: f.origin(role)) }
                #expect(error?.code == "forbidden", "\(role)")
            }
            let page = try await store.auditEntries(AuditQuery(limit: 5), origin: f.origin(.auditAdministrator))
            #expect(page.items.count == 5)
            #expect(page.nextCursor != nil)
            let newest = try await store.auditEntries(AuditQuery(limit: 1), origin: f.origin(.auditAdministrator))
            #expect(newest.items.first?.event.action == .auditViewed)
            let filtered = try await store.auditEntries(AuditQuery(action: AuditAction.unitCreated.rawValue, limit: 50), origin: f.origin(.auditAdministrator))
            #expect(filtered.items.count == 3)
            #expect(filtered.items.allSatisfy { $0.event.action == .unitCreated })
        }
    }
}

private func tamper(_ store: Store, _ sql: String) async throws {
    try await store.database.transaction { db in try await db.raw(SQLQueryString(sql)).run() }
}

/// The entries appended after sequence number `sequence`, oldest first.
private func entries(_ store: Store, after sequence: Int64) async throws -> [AuditEntry] {
    try await store.auditEntries(AuditQuery(limit: 500), origin: Fixture.console).items.filter { $0.sequence > sequence }.reversed()
}

private func firstBreak(_ store: Store) async throws -> Int64? {
    if case .broken(let sequence, _) = try await store.verifyAuditChain(origin: Fixture.console) { return sequence }
    return nil
}
