import Foundation
import Logging
import SQLKit
import Synchronization
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 多台服务器共用一个数据库 (issue 17, point 4), at the store: a second store opened on the same
/// database stands for a second server. What reads then writes what it read takes its turn, a
/// scheduled job runs on one of them, a first start creates the administrators once. On SQLite
/// the single writer serialises all of it anyway; the tests run on both engines, one at a time:
/// on SQLite a second server's writer waits for the lock on one of NIO's two pool threads, and two
/// such waiters at once leave the lock holders' statements no thread until the wait runs out.
@Suite("several servers, one database (store)", .serialized)
struct SeveralServersStoreTests {
    /// Runs `body` with a second store on `store`'s database, as another server opens it, and
    /// closes that store however `body` ends.
    static func withSecondServer<R>(beside store: Store, _ body: (Store) async throws -> R) async throws -> R {
        var logger = Logger(label: "xuncha.test")
        logger.logLevel = .warning
        let other = try await Store.open(store.database.location, hasher: PasswordHasher(cost: 4), evidenceDirectory: store.evidenceDirectory, logger: logger)
        return try await closing(other, body)
    }

    @Test(arguments: TestEngine.available)
    func batchesAddedAtOnceThroughTwoServersGetNumbersInTurn(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in try await Self.withSecondServer(beside: store) { other in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            let round = try await store.createRound(
                try RoundDraft.validate(
                    term: "十五届", sequence: 1, kind: "routine", theme: nil, plannedStart: "2026-03-01", plannedEnd: "2026-12-31", maxUnitsPerGroup: 2,
                    defaultMaxUnitsPerGroup: 3),
                in: f.city.id, origin: office)
            let sequences = try await withThrowingTaskGroup(of: Int.self) { tasks in
                for index in 0..<8 {
                    let server = index % 2 == 0 ? store : other
                    tasks.addTask { try await server.addBatch(to: round.id, entry: "2026-03-10", exit: "2026-04-20", origin: office).sequence }
                }
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
            #expect(sequences.sorted() == Array(1...8))
        } }
    }

    @Test(arguments: TestEngine.available)
    func twoServersStartingOnAnEmptyDatabaseCreateTheAdministratorsOnce(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in try await Self.withSecondServer(beside: store) { other in
            async let first = store.bootstrapIfEmpty(rootName: "江城市委")
            async let second = other.bootstrapIfEmpty(rootName: "江城市委")
            let created = try await [first.count, second.count]
            #expect(created.sorted() == [0, 3])
            let counts = try await store.database.read { db in
                (
                    try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self),
                    try await db.raw("SELECT COUNT(*) AS n FROM jurisdictions").first()?.decode(column: "n", as: Int.self)
                )
            }
            #expect(counts.0 == 3)
            #expect(counts.1 == 1)
        } }
    }

    @Test(arguments: TestEngine.available)
    func aScheduledJobRunsOnTheOneServerHoldingItsLease(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in try await Self.withSecondServer(beside: store) { other in
            let running = Mutex(0)
            let most = Mutex(0)
            let job: @Sendable () async throws -> Int = {
                let now = running.withLock { $0 += 1; return $0 }
                most.withLock { $0 = max($0, now) }
                try await Task.sleep(for: .milliseconds(800))
                running.withLock { $0 -= 1 }
                return 1
            }
            async let a = store.database.withJobLease("test_job", job)
            async let b = other.database.withJobLease("test_job", job)
            let ran = try await [a, b].compactMap { $0 }
            if engine == .postgres {
                // One server ran it; the other found the lease taken and skipped.
                #expect(ran == [1])
                #expect(most.withLock { $0 } == 1)
                // Once the run is over, the lease is free again; `holding` keeps it a while after a quick run.
                let started = ContinuousClock.now
                #expect(try await other.database.withJobLease("test_job", holding: .milliseconds(500)) { 2 } == 2)
                #expect(ContinuousClock.now - started >= .milliseconds(500))
                // Another job's lease is another lock.
                async let held = store.database.withJobLease("test_job", job)
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await other.database.withJobLease("another_job") { 3 } == 3)
                _ = try await held
            } else {
                // One SQLite server always holds the lease.
                #expect(ran == [1, 1])
            }
        } }
    }
}
