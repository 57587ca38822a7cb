import Foundation
import Logging
import SQLKit
import Synchronization
import Testing
import XunchaCore
import XunchaStore

/// The engines a store test runs on: SQLite always; PostgreSQL when `XUNCHA_TEST_POSTGRES_URL`
/// names a server. With `XUNCHA_REQUIRE_POSTGRES=1` (CI) PostgreSQL is always listed, so a run
/// without a server fails instead of quietly skipping.
public enum TestEngine: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    public static var available: [TestEngine] {
        let environment = ProcessInfo.processInfo.environment
        let required = environment["XUNCHA_REQUIRE_POSTGRES"] == "1"
        let configured = !(environment["XUNCHA_TEST_POSTGRES_URL"] ?? "").isEmpty
        return configured || required ? [.sqlite, .postgres] : [.sqlite]
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
}

/// A clock tests move by hand.
public final class TestClock: Clock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_798_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// Runs `body` with `store`, and closes the store however `body` ends (SQLite's connections must
/// be closed before they are freed).
public func closing<R>(_ store: Store, _ body: (Store) async throws -> R) async throws -> R {
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}

/// Runs `body` against a brand-new, migrated store on `engine`, and removes it afterwards.
public func withTestStore<R>(
    _ engine: TestEngine, clock: TestClock = TestClock(), security: SecuritySettings = .init(), searchIndexThreshold: Int = SearchSQL.indexThreshold,
    _ body: (Store) async throws -> R
) async throws -> R {
    var logger = Logger(label: "xuncha.test")
    logger.logLevel = .warning
    let watch = TestWatch.shared.begin(engine)
    defer { TestWatch.shared.end(watch) }
    switch engine {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        TestWatch.shared.enter("preparing the template", watch)
        let template = try await Templates.sqlite.value { [logger] in try await SQLiteTemplate.make(logger: logger) }
        TestWatch.shared.enter("opening the store", watch)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("test.sqlite")
        try FileManager.default.copyItem(at: template, to: file)
        let store = try await Store.open(
            .sqliteFile(file.path), clock: clock, security: security, hasher: PasswordHasher(cost: 4), searchIndexThreshold: searchIndexThreshold,
            logger: logger)
        TestWatch.shared.enter("running", watch, store: store)
        return try await closing(store, body)
    case .postgres:
        guard let base = ProcessInfo.processInfo.environment["XUNCHA_TEST_POSTGRES_URL"], !base.isEmpty else {
            throw TestSetupError(description: "XUNCHA_REQUIRE_POSTGRES=1 but XUNCHA_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot run")
        }
        let name = "xuncha_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        TestWatch.shared.enter("preparing the template", watch)
        let template = try await Templates.postgres.value { [logger] in try await PostgresTemplate.make(base: base, logger: logger) }
        TestWatch.shared.enter("creating its database", watch)
        let admin = try await Database.open(.postgres(base), logger: logger)
        try await admin.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: String(name)) TEMPLATE \(unsafeRaw: template)").run() }
        guard var components = URLComponents(string: base) else { throw TestSetupError(description: "bad XUNCHA_TEST_POSTGRES_URL") }
        components.path = "/" + name
        var result: Result<R, any Error>
        do {
            let evidence = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-evidence-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: evidence) }
            TestWatch.shared.enter("opening the store", watch)
            let store = try await Store.open(
                .postgres(components.string!), clock: clock, security: security, hasher: PasswordHasher(cost: 4), evidenceDirectory: evidence,
                searchIndexThreshold: searchIndexThreshold, logger: logger)
            TestWatch.shared.enter("running", watch, store: store)
            do {
                result = .success(try await body(store))
            } catch {
                result = .failure(error)
            }
            TestWatch.shared.enter("closing the store", watch)
            await store.close()
        } catch {
            result = .failure(error)
        }
        TestWatch.shared.enter("dropping its database", watch)
        try? await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run() }
        await admin.close()
        return try result.get()
    }
}

/// Names on standard error every test whose store has stayed in one phase (opening, running,
/// closing …) longer than `patience`, with what its database is doing: a test that waits forever
/// then says which one it is and where it waits, instead of stalling the whole run in silence.
final class TestWatch: Sendable {
    static let shared = TestWatch()
    /// Long enough that a test merely slowed by the hundreds running beside it is not named.
    static let patience = Duration.seconds(300)

    private struct Entry {
        let test: String
        let engine: TestEngine
        var phase = "starting"
        var since = ContinuousClock.now
        var store: Store?
        /// Named again each `patience` it stays, so a wait that never ends shows whether anything moves.
        var named = ContinuousClock.now
    }

    private let entries = Mutex<[UUID: Entry]>([:])
    private let watching = Atomic<Bool>(false)

    func begin(_ engine: TestEngine) -> UUID {
        let id = UUID()
        let test = Test.current.map { "\($0.name) (\($0.sourceLocation.fileName):\($0.sourceLocation.line))" } ?? "(not a test)"
        entries.withLock { $0[id] = Entry(test: test, engine: engine) }
        if !watching.exchange(true, ordering: .relaxed) {
            Task.detached {
                while true {
                    try? await Task.sleep(for: .seconds(30))
                    TestWatch.shared.report()
                }
            }
        }
        return id
    }

    func enter(_ phase: String, _ id: UUID, store: Store? = nil) {
        entries.withLock { entries in
            guard var entry = entries[id] else { return }
            (entry.phase, entry.since, entry.store, entry.named) = (phase, .now, store, .now)
            entries[id] = entry
        }
    }

    func end(_ id: UUID) {
        entries.withLock { _ = $0.removeValue(forKey: id) }
    }

    private func report() {
        let late = entries.withLock { entries in
            var late: [Entry] = []
            for (id, entry) in entries where ContinuousClock.now - entry.named > Self.patience {
                late.append(entry)
                entries[id]?.named = .now
            }
            return late
        }
        for entry in late {
            let seconds = Int((ContinuousClock.now - entry.since).components.seconds)
            let activity = entry.store.map { "; \($0.database.activity)" } ?? ""
            FileHandle.standardError.write(Data("⏳ \(entry.test) on \(entry.engine): \(entry.phase) for \(seconds) s\(activity)\n".utf8))
        }
    }
}

/// The migrated databases every test copies, made once per test process: the migrations run once
/// instead of once per test. On two cores and hundreds of tests started at once, migrating a store
/// for each kept SQLite's tests opening their stores for minutes and PostgreSQL's connections
/// missing their deadline.
private enum Templates {
    /// The migrated SQLite file (`SQLiteTemplate`), copied by each SQLite test.
    static let sqlite = MadeOnce<URL>()
    /// The migrated PostgreSQL database (`PostgresTemplate`), each test's `CREATE DATABASE … TEMPLATE`.
    static let postgres = MadeOnce<String>()
}

/// A value made once, by the first caller that asks; later callers wait for the same making.
private actor MadeOnce<Value: Sendable> {
    private var making: Task<Value, any Error>?

    func value(_ make: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let making { return try await making.value }
        let task = Task(operation: make)
        making = task
        return try await task.value
    }
}

private enum SQLiteTemplate {
    /// Migrates a new file and closes it, so the file holds everything (no write-ahead log beside
    /// it). Templates of earlier runs older than a day are removed; newer ones may be another
    /// test process's.
    static func make(logger: Logger) async throws -> URL {
        let temporary = FileManager.default.temporaryDirectory
        let prefix = "xuncha-template-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix(prefix) {
            let old = temporary.appendingPathComponent(name)
            let made = (try? FileManager.default.attributesOfItem(atPath: old.path)[.modificationDate]) as? Date
            if let made, made < Date().addingTimeInterval(-86_400) { try? FileManager.default.removeItem(at: old) }
        }
        let file = temporary.appendingPathComponent(prefix + UUID().uuidString).appendingPathComponent("template.sqlite")
        let store = try await Store.open(.sqliteFile(file.path), hasher: PasswordHasher(cost: 4), logger: logger)
        await store.close()
        return file
    }
}

/// The migrated database every PostgreSQL test copies (`CREATE DATABASE … TEMPLATE`).
private enum PostgresTemplate {
    static func make(base: String, logger: Logger) async throws -> String {
        let name = "xuncha_tpl_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let admin = try await Database.open(.postgres(base), logger: logger)
        do {
            // A template left by an earlier run (one run uses a test cluster at a time) is dropped.
            let old = try await admin.read { db in
                try await db.raw("SELECT datname FROM pg_database WHERE datname LIKE 'xuncha!_tpl!_%' ESCAPE '!'").all().map { try $0.decode(column: "datname", as: String.self) }
            }
            for stale in old { try await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: stale) WITH (FORCE)").run() } }
            try await admin.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: String(name))").run() }
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        guard var components = URLComponents(string: base) else { throw TestSetupError(description: "bad XUNCHA_TEST_POSTGRES_URL") }
        components.path = "/" + name
        let store = try await Store.open(.postgres(components.string!), hasher: PasswordHasher(cost: 4), logger: logger)
        await store.close()
        return String(name)
    }
}
