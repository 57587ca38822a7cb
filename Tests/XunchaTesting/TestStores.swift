import Foundation
import Logging
import SQLKit
import Synchronization
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
    switch engine {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Store.open(
            .sqliteFile(folder.appendingPathComponent("test.sqlite").path), clock: clock, security: security,
            hasher: PasswordHasher(cost: 4), searchIndexThreshold: searchIndexThreshold, logger: logger)
        return try await closing(store, body)
    case .postgres:
        guard let base = ProcessInfo.processInfo.environment["XUNCHA_TEST_POSTGRES_URL"], !base.isEmpty else {
            throw TestSetupError(description: "XUNCHA_REQUIRE_POSTGRES=1 but XUNCHA_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot run")
        }
        let name = "xuncha_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let template = try await PostgresTemplate.shared.name(base: base, logger: logger)
        let admin = try await Database.open(.postgres(base), logger: logger)
        try await admin.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: String(name)) TEMPLATE \(unsafeRaw: template)").run() }
        guard var components = URLComponents(string: base) else { throw TestSetupError(description: "bad XUNCHA_TEST_POSTGRES_URL") }
        components.path = "/" + name
        var result: Result<R, any Error>
        do {
            let evidence = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-evidence-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: evidence) }
            let store = try await Store.open(
                .postgres(components.string!), clock: clock, security: security, hasher: PasswordHasher(cost: 4), evidenceDirectory: evidence,
                searchIndexThreshold: searchIndexThreshold, logger: logger)
            do {
                result = .success(try await body(store))
            } catch {
                result = .failure(error)
            }
            await store.close()
        } catch {
            result = .failure(error)
        }
        try? await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run() }
        await admin.close()
        return try result.get()
    }
}

/// The migrated database every PostgreSQL test copies (`CREATE DATABASE … TEMPLATE`): the
/// migrations run once per test process instead of once per test, which on two cores and six
/// hundred tests is the difference between a server that answers and one that times out.
private actor PostgresTemplate {
    static let shared = PostgresTemplate()
    private var made: Task<String, any Error>?

    func name(base: String, logger: Logger) async throws -> String {
        if let made { return try await made.value }
        let task = Task { try await Self.make(base: base, logger: logger) }
        made = task
        return try await task.value
    }

    private static func make(base: String, logger: Logger) async throws -> String {
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
