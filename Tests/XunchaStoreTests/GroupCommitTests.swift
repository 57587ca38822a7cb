import Foundation
import Logging
import SQLKit
import Testing
import XunchaCore
import XunchaTesting
@testable import XunchaStore

/// 组提交: SQLite's writers that queue share one transaction and one COMMIT, and each still gets
/// exactly what it would have got alone — its own result, its own error, its own rollback.
@Suite struct GroupCommitTests {
    struct Refused: Error, Equatable {
        let writer: Int
    }

    static func withDatabase(_ body: (Database) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("group-commit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await Database.open(.sqliteFile(folder.appendingPathComponent("x.sqlite").path), logger: Logger(label: "test"))
        do {
            try await database.transaction { db in try await db.raw("CREATE TABLE written (writer INTEGER PRIMARY KEY, note TEXT NOT NULL)").run() }
            try await body(database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    static func rows(_ database: Database) async throws -> [Int] {
        try await database.read { db in try await db.raw("SELECT writer FROM written ORDER BY writer").all().map { try $0.decode(column: "writer", as: Int.self) } }
    }

    @Test func theActivitySaysWhichWritersCommitAndWhichQueue() async throws {
        try await Self.withDatabase { database in
            #expect(database.activity.description == "0 reads, 0 transactions under way; writer: 0 committing, 0 queued")
            let (held, hold) = AsyncStream.makeStream(of: Void.self)
            let (started, start) = AsyncStream.makeStream(of: Void.self)
            async let first: Void = database.transaction { db in
                try await db.raw("INSERT INTO written (writer, note) VALUES (1, 'x')").run()
                start.yield()
                for await _ in held { break }
            }
            for await _ in started { break }
            async let second: Void = database.transaction { db in try await db.raw("INSERT INTO written (writer, note) VALUES (2, 'x')").run() }
            while database.activity.queuedWriters != 1 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(database.activity.description == "0 reads, 2 transactions under way; writer: 1 committing, 1 queued")
            hold.yield()
            _ = try await (first, second)
            #expect(database.activity.description == "0 reads, 0 transactions under way; writer: 0 committing, 0 queued")
            #expect(try await Self.rows(database) == [1, 2])
        }
    }

    @Test func writersThatQueueShareOneCommitAndEachKeepsItsOwnOutcome() async throws {
        try await Self.withDatabase { database in
            let before = try #require(database.writerTransactions)
            // The first writer holds the connection a moment, so the forty behind it queue up.
            let outcomes = await withTaskGroup(of: (Int, Result<String, any Error>).self) { group in
                for writer in 0...40 {
                    group.addTask {
                        if writer > 0 { try? await Task.sleep(for: .milliseconds(20)) }
                        do {
                            let answer = try await database.transaction { db in
                                try await db.raw("INSERT INTO written (writer, note) VALUES (\(bind: writer), 'x')").run()
                                if writer == 0 { try await Task.sleep(for: .milliseconds(300)) }
                                // Every fifth writer fails after writing: its row must go, the others' stay.
                                if writer % 5 == 3 { throw Refused(writer: writer) }
                                return "writer \(writer)"
                            }
                            return (writer, .success(answer))
                        } catch {
                            return (writer, .failure(error))
                        }
                    }
                }
                var all: [Int: Result<String, any Error>] = [:]
                for await (writer, outcome) in group { all[writer] = outcome }
                return all
            }
            for writer in 0...40 {
                switch try #require(outcomes[writer]) {
                case .success(let answer):
                    #expect(writer % 5 != 3 && answer == "writer \(writer)")
                case .failure(let error):
                    #expect(writer % 5 == 3 && (error as? Refused) == Refused(writer: writer), "\(error)")
                }
            }
            #expect(try await Self.rows(database) == (0...40).filter { $0 % 5 != 3 })
            let transactions = try #require(database.writerTransactions) - before
            #expect(transactions <= 3, "41 writers in \(transactions) transactions: the forty that queued share one")
        }
    }

    @Test func aStatementThatFailsInsideASharedTransactionUndoesOnlyItsWriter() async throws {
        try await Self.withDatabase { database in
            try await database.transaction { db in try await db.raw("INSERT INTO written (writer, note) VALUES (100, 'taken')").run() }
            let results = await withTaskGroup(of: Bool.self) { group in
                for writer in 0..<10 {
                    group.addTask {
                        do {
                            try await database.transaction { db in
                                try await db.raw("INSERT INTO written (writer, note) VALUES (\(bind: 200 + writer), 'first')").run()
                                // Writer 4 collides with the row already there: a constraint error mid-work.
                                try await db.raw("INSERT INTO written (writer, note) VALUES (\(bind: writer == 4 ? 100 : 300 + writer), 'second')").run()
                            }
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                var succeeded = 0
                for await ok in group where ok { succeeded += 1 }
                return succeeded
            }
            #expect(results == 9)
            let rows = try await Self.rows(database)
            #expect(!rows.contains(204) && !rows.contains(304), "the failing writer's first insert is undone too")
            #expect(rows.count == 1 + 9 * 2)
        }
    }

    @Test(arguments: [TestEngine.sqlite])
    func concurrentWritesThroughTheStoreKeepTheAuditChainIntact(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<24 {
                    group.addTask {
                        _ = try await store.createUnit(
                            UnitDraft(name: "并发测试单位\(n)", type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: f.city.id, origin: office)
                    }
                }
                try await group.waitForAll()
            }
            let units = try await store.units(UnitQuery(page: .init(limit: 100)), for: office.actor).items.filter { $0.name.hasPrefix("并发测试单位") }
            #expect(units.count == 24)
            let verification = try await store.verifyAuditChain(origin: Fixture.console)
            guard case .intact = verification else {
                Issue.record("the chain after concurrent writers: \(verification)")
                return
            }
        }
    }
}
