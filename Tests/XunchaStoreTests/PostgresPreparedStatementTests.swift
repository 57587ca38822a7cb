import Foundation
import Logging
import SQLKit
import Testing
import XunchaCore
@testable import XunchaStore
import XunchaTesting

/// On PostgreSQL the store's repeated statements run as named statements, planned once per
/// connection (issue 18): the same rows and the same errors as unnamed ones, and a failure leaves
/// the text usable on that connection.
@Suite("预备语句 PostgreSQL prepared statements", .enabled(if: TestEngine.available.contains(.postgres)))
struct PostgresPreparedStatementTests {
    @Test func aTextRunAgainOnAConnectionIsPreparedUnderANameAndAnswersTheSame() async throws {
        try await withTestStore(.postgres) { store in
            let marker = UUID().uuidString
            let answers = try await store.database.read { db in
                var answers: [String] = []
                for round in 0..<4 {
                    let row = try await db.raw("SELECT \(bind: marker) || '-' || \(bind: round) AS answer").first()
                    answers.append(try #require(row).decode(column: "answer", as: String.self))
                }
                let prepared = try await db.raw("SELECT name, statement FROM pg_prepared_statements").all()
                let texts = try prepared.map { try $0.decode(column: "statement", as: String.self) }
                // The process names the first texts it runs again, up to `StatementSlots.capacity`;
                // a whole test run may take every slot before this test, and the text then runs unnamed.
                let text = "SELECT $1 || '-' || $2 AS answer"
                let registry = PreparedStatementRegistry.shared.names(text)
                #expect(registry.named || registry.full)
                #expect(texts.contains { $0.hasPrefix(text) } == registry.named)
                return answers
            }
            #expect(answers == (0..<4).map { "\(marker)-\($0)" })
        }
    }

    @Test func theSameTextWithANullAndWithAValueIsTwoStatements() async throws {
        try await withTestStore(.postgres) { store in
            let values: [String?] = [nil, nil, "x", "x", nil, "y"]
            let answers = try await store.database.read { db in
                var answers: [String] = []
                for value in values {
                    let row = try await db.raw("SELECT COALESCE(\(bind: value), 'none') AS answer").first()
                    answers.append(try #require(row).decode(column: "answer", as: String.self))
                }
                return answers
            }
            #expect(answers == ["none", "none", "x", "x", "none", "y"])
        }
    }

    @Test func aStatementThatFailsStaysUsableOnItsConnection() async throws {
        try await withTestStore(.postgres) { store in
            let stored = try await store.database.read { db in
                try await db.raw("CREATE TEMPORARY TABLE prepared_probe (key text PRIMARY KEY)").run()
                func insert(_ key: String) async throws {
                    try await db.raw("INSERT INTO prepared_probe (key) VALUES (\(bind: key))").run()
                }
                for key in ["a", "b", "c"] { try await insert(key) }
                await #expect(throws: (any Error).self) { try await insert("b") }
                do {
                    try await insert("c")
                    Issue.record("a duplicate key was stored")
                } catch {
                    #expect(Database.isUniqueViolation(error))
                }
                try await insert("d")
                return try await db.raw("SELECT key FROM prepared_probe ORDER BY key").all().map { try $0.decode(column: "key", as: String.self) }
            }
            #expect(stored == ["a", "b", "c", "d"])
        }
    }

    @Test func aTextFirstMetInAnAbortedTransactionStillRunsAfterIt() async throws {
        try await withTestStore(.postgres) { store in
            let marker = UUID().uuidString
            // Run once so the text is known, then meet it inside a transaction that already failed.
            _ = try await store.database.read { db in try await db.raw("SELECT \(bind: marker) AS answer").first() }
            for _ in 0..<3 {
                await #expect(throws: (any Error).self) {
                    try await store.database.transaction { db in
                        _ = try? await db.raw("SELECT 1 / 0 AS broken").first()
                        _ = try await db.raw("SELECT \(bind: marker) AS answer").first()
                    }
                }
            }
            for _ in 0..<20 {
                let row = try await store.database.read { db in try await db.raw("SELECT \(bind: marker) AS answer").first() }
                #expect(try #require(row).decode(column: "answer", as: String.self) == marker)
            }
        }
    }

    /// The server's pool (`.held`): every connection opened at start, none pinged, all still usable.
    @Test func aHeldPoolServesReadsAndTransactions() async throws {
        try await withTestStore(.postgres) { store in
            var logger = Logger(label: "xuncha.test")
            logger.logLevel = .warning
            let held = try await Database.open(store.database.location, connections: .held, logger: logger)
            do {
                try await held.transaction { db in
                    try await db.raw("CREATE TABLE held_probe (n bigint PRIMARY KEY)").run()
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for n in 0..<64 {
                        group.addTask {
                            try await held.transaction { db in try await db.raw("INSERT INTO held_probe (n) VALUES (\(bind: n))").run() }
                        }
                    }
                    try await group.waitForAll()
                }
                let count = try await held.read { db in try await db.raw("SELECT count(*) AS c FROM held_probe").first()?.decode(column: "c", as: Int.self) }
                let connections = try await held.read { db in
                    try await db.raw("SELECT count(*) AS c FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()").first()?
                        .decode(column: "c", as: Int.self)
                }
                #expect(count == 64)
                // The held pool's sixteen, beside the test store's own connections.
                #expect((connections ?? 0) >= 15)
            } catch {
                await held.close()
                throw error
            }
            await held.close()
        }
    }
}
