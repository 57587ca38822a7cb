import Foundation
import Logging
import SQLKit
import Synchronization
import XunchaCore

/// The application's records and the operations on them. Every operation on records asks the
/// access policy first, validates through the core, and writes in one transaction with its audit
/// entry (the one exception, benchmark data, refuses any database that is not empty).
/// The web layer and the CLI both call these, so a rule holds however a change arrives.
public final class Store: Sendable {
    public let database: Database
    public let clock: any Clock
    public let ids: any IDGenerator
    public let policy: AccessPolicy
    public let security: SecuritySettings
    public let hasher: PasswordHasher
    /// Where evidence files are kept, one file per distinct content, named by its SHA-256.
    public let evidenceDirectory: URL
    /// Above this many findings or records in a reader's scope, text search uses the full-text
    /// index instead of scanning the scope (see `SearchSQL`).
    public let searchIndexThreshold: Int
    package let audit: AuditLog
    let logger: Logger
    let decoy = Mutex<String?>(nil)

    public init(
        database: Database, clock: any Clock = SystemClock(), ids: (any IDGenerator)? = nil, policy: AccessPolicy = .init(),
        security: SecuritySettings = .init(), hasher: PasswordHasher = .init(), evidenceDirectory: URL = URL(fileURLWithPath: "./data/evidence"),
        searchIndexThreshold: Int = SearchSQL.indexThreshold, logger: Logger = Logger(label: "xuncha.store")
    ) {
        self.database = database
        self.clock = clock
        self.ids = ids ?? UUIDv7Generator(clock: clock)
        self.policy = policy
        self.security = security
        self.hasher = hasher
        self.evidenceDirectory = evidenceDirectory
        self.searchIndexThreshold = searchIndexThreshold
        self.audit = AuditLog(engine: database.engine)
        self.logger = logger
    }

    /// Opens the database and applies pending migrations. Evidence files go to `evidenceDirectory`,
    /// by default an `evidence` folder beside an SQLite file, or `./data/evidence`.
    public static func open(
        _ location: DatabaseLocation, clock: any Clock = SystemClock(), security: SecuritySettings = .init(),
        hasher: PasswordHasher = .init(), evidenceDirectory: URL? = nil, searchIndexThreshold: Int = SearchSQL.indexThreshold,
        connections: PostgresConnections = .onDemand, logger: Logger
    ) async throws -> Store {
        let database = try await Database.open(location, connections: connections, logger: logger)
        do {
            try await Migrator(database: database, logger: logger).migrate(now: clock.now())
            // Statistics the data outgrew while the server was stopped (or never had) are refreshed before it serves.
            try await database.refreshPlannerStatistics()
        } catch {
            await database.close()
            throw error
        }
        let evidence = evidenceDirectory ?? defaultEvidenceDirectory(for: location)
        return Store(
            database: database, clock: clock, security: security, hasher: hasher, evidenceDirectory: evidence, searchIndexThreshold: searchIndexThreshold,
            logger: logger)
    }

    public func close() async {
        await database.close()
    }

    /// Appends an audit entry in its own transaction, for events that change nothing else
    /// (a read of a sensitive record, a failed sign-in).
    func record(_ event: AuditEvent, origin: RequestOrigin) async throws {
        let now = clock.now()
        _ = try await database.transaction { db in
            try await self.audit.append(event, origin: origin, at: now, on: db)
        }
    }
}
