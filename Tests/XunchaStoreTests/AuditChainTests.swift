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
    func concurrentWritersChainInOrder(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        _ = try await store.createUnit(UnitDraft(name: "并发单位\(i)", type: .other, partyOrganisation: .branch), in: f.city.id, origin: f.origin(.officeStaff))
                    }
                }
                try await group.waitForAll()
            }
            guard case .intact = try await store.verifyAuditChain(origin: Fixture.console) else {
                Issue.record("concurrent writes broke the chain")
                return
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func verifyingWhileOthersWriteIsNoFalseAlarm(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for i in 0..<30 {
                        _ = try await store.createUnit(UnitDraft(name: "写入中\(i)", type: .other, partyOrganisation: .branch), in: f.city.id, origin: f.origin(.officeStaff))
                    }
                }
                group.addTask {
                    for _ in 0..<10 {
                        let result = try await store.verifyAuditChain(origin: Fixture.console)
                        guard case .intact = result else {
                            Issue.record("a live chain was reported broken: \(result)")
                            return
                        }
                    }
                }
                try await group.waitForAll()
            }
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

private func firstBreak(_ store: Store) async throws -> Int64? {
    if case .broken(let sequence, _) = try await store.verifyAuditChain(origin: Fixture.console) { return sequence }
    return nil
}
