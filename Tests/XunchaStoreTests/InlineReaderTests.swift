import Foundation
import Logging
import SQLKit
import SQLiteNIO
import Synchronization
import Testing
import XunchaCore
@testable import XunchaStore
import XunchaTesting

/// SQLite's readers run their statements in place and keep them compiled: a statement used again
/// still sees every commit made since, values of every type read back as written, a failing
/// statement leaves its connection usable, and readers at work beside a writer each see a
/// consistent, growing table. A statement that finds the file locked waits where it blocks no
/// cooperative thread, and a long session yields its thread now and then.
@Suite struct InlineReaderTests {
    static func withDatabase(_ body: (Database) async throws -> Void) async throws {
        try await withDatabaseFile { database, _ in try await body(database) }
    }

    static func withDatabaseFile(_ body: (Database, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inline-readers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("x.sqlite").path
        let database = try await Database.open(.sqliteFile(path), readers: 2, logger: Logger(label: "test"))
        do {
            try await database.transaction { db in
                try await db.raw("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, weight REAL, data BLOB)").run()
            }
            try await body(database, path)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    static func count(_ database: Database) async throws -> Int {
        try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test func aStatementUsedAgainSeesWhatWasCommittedSince() async throws {
        try await Self.withDatabase { database in
            for expected in 0..<5 {
                // Both readers answer in turn with the same compiled statement; each sees the last commit.
                #expect(try await Self.count(database) == expected)
                #expect(try await Self.count(database) == expected)
                try await database.transaction { db in try await db.raw("INSERT INTO notes (body) VALUES (\(bind: "第\(expected)条"))").run() }
            }
        }
    }

    @Test func everyTypeReadsBackAsWritten() async throws {
        try await Self.withDatabase { database in
            let bytes = Data([0, 1, 2, 255])
            try await database.transaction { db in
                try await db.raw("INSERT INTO notes (id, body, weight, data) VALUES (7, \(bind: "巡察 ‘引号’ & <标记>"), \(bind: 2.5), \(bind: bytes))").run()
                try await db.raw("INSERT INTO notes (id) VALUES (8)").run()
            }
            let rows = try await database.read { db in try await db.raw("SELECT id, body, weight, data FROM notes WHERE id >= \(bind: 7) ORDER BY id").all() }
            #expect(rows.count == 2)
            #expect(try rows[0].decode(column: "id", as: Int64.self) == 7)
            #expect(try rows[0].decode(column: "body", as: String.self) == "巡察 ‘引号’ & <标记>")
            #expect(try rows[0].decode(column: "weight", as: Double.self) == 2.5)
            #expect(try rows[0].decode(column: "data", as: Data.self) == bytes)
            #expect(rows[0].allColumns == ["id", "body", "weight", "data"])
            #expect(try rows[1].decodeNil(column: "body"))
            #expect(try rows[1].decodeNil(column: "data"))
            #expect(try rows[1].decode(column: "body", as: String?.self) == nil)
            #expect(!rows[1].contains(column: "missing"))
            #expect(throws: DecodingError.self) { try rows[1].decode(column: "missing", as: String.self) }
        }
    }

    @Test func aStatementIsCompiledOnceWhateverValuesItIsGiven() async throws {
        try await Self.withDatabase { (database: Database) async throws in
            try await database.transaction { db in try await db.raw("INSERT INTO notes (body, weight) VALUES ('甲', 1), ('乙', 2), ('甲', 3)").run() }
            // A filter with an order, as every page has: SQLite compiles such a statement again
            // whenever its bound values are cleared, so they are not.
            for body in ["甲", "乙", "甲", "丙", "甲", "乙"] {
                let weights = try await database.read { db in
                    try await db.raw("SELECT weight FROM notes WHERE body = \(bind: body) ORDER BY weight DESC, id DESC LIMIT 26").all()
                        .map { try $0.decode(column: "weight", as: Double.self) }
                }
                #expect(weights == ["甲": [3.0, 1.0], "乙": [2.0]][body, default: []])
            }
            #expect(database.readerRecompilations == 0)
        }
    }

    @Test func aPageScopedToASubtreeIsCompiledOnce() async throws {
        try await withTestStore(.sqlite) { store in
            let f = try await Fixture.make(store)
            // The administrators' pages reach the committees below theirs by path: compared as a
            // prefix, not as a LIKE pattern, whose every new binding has SQLite compile it again.
            for _ in 0..<4 {
                #expect(try await !store.users(UserQuery(), for: f.actor(.systemAdministrator)).items.isEmpty)
            }
            #expect(store.database.readerRecompilations == 0)
        }
    }

    @Test func aParameterARunLeavesOutReadsNullNotAnEarlierRunsValue() async throws {
        try await Self.withDatabase { (database: Database) async throws in
            // The same text, `SELECT ?1 AS body`, run with its value on every reader, then without.
            func body(_ sql: SQLQueryString) async throws -> String? {
                try await database.read { db in try await db.raw(sql).first()?.decode(column: "body", as: String?.self) }
            }
            for _ in 0..<4 { #expect(try await body("SELECT \(bind: "甲") AS body") == "甲") }
            for _ in 0..<4 { #expect(try await body("SELECT ?1 AS body") == nil) }
        }
    }

    @Test func aFailingStatementLeavesItsConnectionUsable() async throws {
        try await Self.withDatabase { (database: Database) async throws in
            for _ in 0..<3 {
                await #expect(throws: InlineSQLiteError.self) { try await database.read { db in try await db.raw("SELECT nothing FROM nowhere").all() } }
                // A reader refuses to write, whatever the statement.
                await #expect(throws: InlineSQLiteError.self) { try await database.read { db in try await db.raw("INSERT INTO notes (body) VALUES ('x')").run() } }
                #expect(try await Self.count(database) == 0)
            }
        }
    }

    @Test func readersBesideAWriterEachSeeAWholeCommit() async throws {
        try await Self.withDatabase { database in
            // Each commit adds ten rows; a reader must never see part of one.
            let writer = Task {
                for batch in 0..<40 {
                    try await database.transaction { db in
                        for row in 0..<10 { try await db.raw("INSERT INTO notes (id, body) VALUES (\(bind: batch * 10 + row), 'x')").run() }
                    }
                }
            }
            let seen = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var counts: [Int] = []
                        for _ in 0..<50 { counts.append(try await Self.count(database)) }
                        return counts
                    }
                }
                var all: [[Int]] = []
                for try await counts in group { all.append(counts) }
                return all
            }
            try await writer.value
            for counts in seen {
                #expect(counts.allSatisfy { $0 % 10 == 0 }, "\(counts)")
                #expect(counts == counts.sorted(), "a reader never goes back in time: \(counts)")
            }
            #expect(try await Self.count(database) == 400)
        }
    }

    @Test func aWriteThatFindsTheFileLockedWaitsForTheLockAndThenCommits() async throws {
        try await Self.withDatabaseFile { database, path in
            // Another program holds SQLite's write lock (a command-line tool on the same file).
            let other = try await SQLiteConnection.open(storage: .file(path: path))
            _ = try await other.query("BEGIN IMMEDIATE").get()
            _ = try await other.query("INSERT INTO notes (id, body) VALUES (1, 'other')").get()
            let committed = Atomic<Bool>(false)
            let write = Task {
                try await database.transaction { db in try await db.raw("INSERT INTO notes (id, body) VALUES (2, 'ours')").run() }
                committed.store(true, ordering: .relaxed)
            }
            // While the write waits, readers still answer (they see neither row yet) and the write is not done.
            for _ in 0..<20 { #expect(try await Self.count(database) == 0) }
            try await Task.sleep(for: .milliseconds(200))
            let doneWhileLocked = committed.load(ordering: .relaxed)
            #expect(!doneWhileLocked, "the write waits for the lock rather than failing or passing it")
            _ = try await other.query("COMMIT").get()
            try await other.close().get()
            try await write.value
            let done = committed.load(ordering: .relaxed)
            #expect(done)
            #expect(try await Self.count(database) == 2)
        }
    }

    @Test func aSessionYieldsOnlyOnceItsSliceIsSpent() {
        let budget = YieldBudget()
        #expect(!budget.isSpent(), "a new session runs on")
        Thread.sleep(forTimeInterval: Double(YieldBudget.slice) / 1e9 * 2)
        #expect(budget.isSpent(), "after its slice it yields")
        #expect(!budget.isSpent(), "and then starts a new slice")
    }
}
