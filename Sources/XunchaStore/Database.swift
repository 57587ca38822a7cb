import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import Synchronization

/// Which engine a store runs on. Queries are written once; the few places where the engines
/// differ ask for this.
public enum DatabaseEngine: String, Codable, Sendable {
    case sqlite
    case postgres
}

/// Where the data lives: a SQLite file (the embedded default) or a PostgreSQL URL.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(String)
    case postgres(String)

    /// Reads `postgres://…` / `postgresql://…` as PostgreSQL and anything else as a SQLite path
    /// (an optional `sqlite://` prefix is dropped).
    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(text)
        } else if text.hasPrefix("sqlite://") {
            self = .sqliteFile(String(text.dropFirst("sqlite://".count)))
        } else {
            self = .sqliteFile(text)
        }
    }

    /// The location shown to people: the path, or the URL without its password.
    public var redacted: String {
        switch self {
        case .sqliteFile(let path): return path
        case .postgres(let url):
            if url.contains(",") { return PostgresAddress.redacting(url) }
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://…"
        }
    }
}

/// The connection to the store's database. Reads run concurrently; writes run in a transaction
/// (on SQLite, through the single writer connection, one at a time, as SQLite allows).
public final class Database: Sendable {
    public let engine: DatabaseEngine
    public let location: DatabaseLocation
    private let backend: any DatabaseBackend
    /// Off except while a test records the statements sent (`recordingStatements`).
    let recorder = StatementRecorder()
    /// Reads and transactions under way, for `activity`.
    private let reads = Atomic<Int>(0)
    private let transactions = Atomic<Int>(0)

    private let logger: Logger

    private init(engine: DatabaseEngine, location: DatabaseLocation, backend: any DatabaseBackend, logger: Logger) {
        self.engine = engine
        self.location = location
        self.backend = backend
        self.logger = logger
    }

    /// Opens the database at `location`. For SQLite the folder is created when missing.
    public static func open(
        _ location: DatabaseLocation, readers: Int = 4, connections: PostgresConnections = .onDemand, logger: Logger
    ) async throws -> Database {
        switch location {
        case .sqliteFile(let path):
            let backend = try await SQLiteBackend.open(path: path, readers: readers, logger: logger)
            return Database(engine: .sqlite, location: location, backend: backend, logger: logger)
        case .postgres(let url):
            // Several hosts (`h1:5432,h2:5432`) or `target_session_attrs`: the host selector;
            // one host: the pooled client alone, as always.
            let address = try PostgresAddress(url)
            let backend: any DatabaseBackend =
                address.needsSelection
                ? try PostgresFailoverBackend(address: address, connections: connections, logger: logger) : try PostgresBackend(url: url, connections: connections, logger: logger)
            let database = Database(engine: .postgres, location: location, backend: backend, logger: logger)
            // The pool retries an unreachable server forever; a start must fail fast and say why.
            do {
                try await withTimeout(seconds: 15) {
                    _ = try await database.read { db in try await db.raw("SELECT 1 AS one").first() }
                }
            } catch {
                await database.close()
                throw DatabaseSetupError(message: "无法连接 PostgreSQL（\(location.redacted)）：\(String(reflecting: error))")
            }
            return database
        }
    }

    /// Runs read-only work on a connection. On SQLite each statement runs in place on the calling
    /// thread (`SQLiteInlineConnections`): for reads of a page, a record or a count over an index.
    public func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        reads.add(1, ordering: .relaxed)
        defer { reads.subtract(1, ordering: .relaxed) }
        guard recorder.isOn else { return try await backend.read(body) }
        return try await backend.read { [recorder] db in try await body(RecordingSQLDatabase(base: db, recorder: recorder)) }
    }

    /// Runs read-only work that may scan many rows (statistics over a subtree, exports, archives,
    /// backups, the audit chain) where it keeps no cooperative thread waiting: on SQLite, on the
    /// I/O thread pool. The same as `read` on PostgreSQL, whose statements never block a thread.
    public func readAtLength<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        reads.add(1, ordering: .relaxed)
        defer { reads.subtract(1, ordering: .relaxed) }
        guard recorder.isOn else { return try await backend.readAtLength(body) }
        return try await backend.readAtLength { [recorder] db in try await body(RecordingSQLDatabase(base: db, recorder: recorder)) }
    }

    /// Runs work in one transaction: all of it is committed, or none of it.
    public func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        transactions.add(1, ordering: .relaxed)
        defer { transactions.subtract(1, ordering: .relaxed) }
        guard recorder.isOn else { return try await backend.transaction(body) }
        return try await backend.transaction { [recorder] db in try await body(RecordingSQLDatabase(base: db, recorder: recorder)) }
    }

    /// What the database is doing at this moment: enough to tell, when a wait never ends, whether
    /// work is stuck on the database or before it.
    public var activity: DatabaseActivity {
        let writer = (backend as? SQLiteBackend)?.commits.queue
        return DatabaseActivity(
            reads: reads.load(ordering: .relaxed), transactions: transactions.load(ordering: .relaxed), queuedWriters: writer?.queued,
            committingWriters: writer?.committing)
    }

    /// How many write transactions SQLite's writer has begun (nil on PostgreSQL), for tests.
    var writerTransactions: Int? { (backend as? SQLiteBackend)?.commits.transactionsBegun.load(ordering: .relaxed) }

    /// How often SQLite compiled its readers' cached statements again (nil on PostgreSQL), for tests.
    var readerRecompilations: Int? { (backend as? SQLiteBackend)?.readerRecompilations }

    /// Closes every connection.
    public func close() async {
        await backend.close()
    }

    /// A consistent copy of the whole database as of one moment, taken while writers go on: a
    /// SQLite file (`VACUUM INTO`) or a `pg_dump` archive in its custom format. `file` must not exist.
    func snapshot(into file: URL) async throws -> SnapshotFacts {
        switch location {
        case .sqliteFile(let path):
            return try await SQLiteBackend.snapshot(of: path, into: file, logger: logger)
        case .postgres(let url):
            if let backend = backend as? PostgresFailoverBackend { return try await backend.snapshot(into: file) }
            guard let backend = backend as? PostgresBackend else { preconditionFailure("a PostgreSQL location has a PostgreSQL backend") }
            return try await backend.snapshot(url: url, into: file)
        }
    }

    /// Brings the planner's statistics up to date, so that it sees which index narrows a query
    /// most (a unit's papers rather than its committee's). `full` after a bulk load analyses every
    /// table; otherwise SQLite's `PRAGMA optimize` analyses only the tables that changed enough.
    public func refreshPlannerStatistics(full: Bool = false) async throws {
        try await backend.refreshPlannerStatistics(full: full)
    }
}

/// A database's work under way at one moment (`Database.activity`).
public struct DatabaseActivity: Sendable, CustomStringConvertible {
    /// Reads and transactions begun and not yet answered.
    public let reads: Int
    public let transactions: Int
    /// SQLite only: writers waiting for the group commit, and those in the batch being committed.
    public let queuedWriters: Int?
    public let committingWriters: Int?

    public var description: String {
        var text = "\(reads) reads, \(transactions) transactions under way"
        if let queuedWriters, let committingWriters { text += "; writer: \(committingWriters) committing, \(queuedWriters) queued" }
        return text
    }
}

protocol DatabaseBackend: Sendable {
    func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func readAtLength<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func refreshPlannerStatistics(full: Bool) async throws
    func close() async
}

extension DatabaseBackend {
    func readAtLength<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await read(body)
    }
}

// MARK: - SQLite

/// One writer connection and a few readers on a WAL-mode file, synchronous=FULL so a committed
/// change and its audit entry survive a power cut. SQLite allows one writer at a
/// time; queueing writers here instead of letting them collide on the file lock keeps latency
/// flat and `SQLITE_BUSY` out of user-facing errors, and the writers that queue are committed
/// together (`GroupCommit`), one wait on the disk for them all.
///
/// The planner's statistics (`sqlite_stat1`) are kept current as the data grows through the
/// application, not only after bulk loads: every `writesBetweenAnalyses` commits the writer runs
/// `PRAGMA optimize` (which analyses only tables that changed enough, on a bounded sample).
final class SQLiteBackend: DatabaseBackend {
    private let writer: SQLiteConnection
    /// The readers on SQLiteNIO's thread pool, for reads at length.
    private let readers: [SQLiteConnection]
    /// The readers as SQLKit databases, made once (`SQLiteStatements`).
    private let readerStatements: [SQLiteStatements]
    /// The readers that run in place, for every other read.
    private let inline: SQLiteInlineConnections
    private let inlineStatements: SQLiteInlineStatements
    /// The writer the transactions run on, in place (its COMMIT on the thread pool).
    private let inlineWriter: SQLiteInlineConnections
    private let gate: WriterGate
    let commits: GroupCommit
    private let nextReader = Atomic<Int>(0)
    private let writesSinceAnalysis = Atomic<Int>(0)
    static let writesBetweenAnalyses = 1_000

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], inline: SQLiteInlineConnections, inlineWriter: SQLiteInlineConnections) {
        self.writer = writer
        self.readers = readers
        self.readerStatements = readers.map(SQLiteStatements.init)
        self.inline = inline
        self.inlineStatements = SQLiteInlineStatements(inline, base: readerStatements[0].base)
        let gate = WriterGate()
        self.gate = gate
        self.inlineWriter = inlineWriter
        let writerStatements = SQLiteInlineStatements(inlineWriter, base: readerStatements[0].base, commitsOnThreadPool: true)
        self.commits = GroupCommit(connection: { writerStatements.session() }, gate: gate)
    }

    static func open(path: String, readers count: Int, logger: Logger) async throws -> SQLiteBackend {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        func connect() async throws -> SQLiteConnection {
            try await SQLiteConnection.open(storage: .file(path: url.path), threadPool: .singleton, logger: logger, on: eventLoop).get()
        }
        // What is opened is closed again if a later step fails: SQLiteNIO insists on it.
        var opened: [SQLiteConnection] = []
        do {
            let writer = try await connect()
            opened.append(writer)
            // analysis_limit bounds each index's sample, so an analysis of millions of rows takes milliseconds.
            for pragma in [
                "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON",
                "PRAGMA analysis_limit = 1000",
            ] {
                _ = try await writer.query(pragma).get()
            }
            var readers: [SQLiteConnection] = []
            for _ in 0..<max(1, count) {
                let reader = try await connect()
                opened.append(reader)
                for pragma in ["PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON", "PRAGMA query_only = ON"] {
                    _ = try await reader.query(pragma).get()
                }
                readers.append(reader)
            }
            // Opening may wait for another connection's lock (a second server on the file): off the cooperative threads.
            let (inline, inlineWriter) = try await NIOThreadPool.singleton.runIfActive {
                (try SQLiteInlineConnections(path: url.path, readers: count), try SQLiteInlineConnections(writerAt: url.path))
            }
            return SQLiteBackend(writer: writer, readers: readers, inline: inline, inlineWriter: inlineWriter)
        } catch {
            for connection in opened { try? await connection.close().get() }
            throw error
        }
    }

    func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await body(inlineStatements.session())
    }

    var readerRecompilations: Int { inline.recompilations }

    func readAtLength<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let index = nextReader.add(1, ordering: .relaxed).oldValue
        return try await body(readerStatements[abs(index) % readerStatements.count])
    }

    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let result = try await commits.transaction(body)
        if writesSinceAnalysis.add(1, ordering: .relaxed).newValue >= Self.writesBetweenAnalyses {
            // The write is committed; statistics that cannot be refreshed now are refreshed next time.
            try? await refreshPlannerStatistics(full: false)
        }
        return result
    }

    func refreshPlannerStatistics(full: Bool) async throws {
        try await gate.withExclusiveAccess { try await self.analyse(full: full) }
    }

    /// Analyses on the writer, then has each reader reload the statistics: a connection reads
    /// `sqlite_stat1` only when it loads the schema, and new statistics do not change the schema,
    /// so without this the readers would plan with what they saw when they opened. Runs while
    /// the writer is held, as reloading takes the write lock for a moment.
    private func analyse(full: Bool) async throws {
        writesSinceAnalysis.store(0, ordering: .relaxed)
        let statistics = "SELECT group_concat(tbl || ' ' || coalesce(idx, '') || ' ' || stat, ';') AS s FROM sqlite_stat1"
        func current() async throws -> String? {
            let exists = try await writer.query("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get()
            return exists.isEmpty ? nil : try await writer.query(statistics).get().first?.column("s")?.string
        }
        let before = try await current()
        _ = try await writer.query(full ? "ANALYZE" : "PRAGMA optimize = 0x10002").get()
        guard try await current() != before else { return }
        for reader in readers {
            _ = try await reader.query("PRAGMA query_only = OFF").get()
            var failure: (any Error)?
            do { _ = try await reader.query("ANALYZE sqlite_schema").get() } catch { failure = error }
            _ = try await reader.query("PRAGMA query_only = ON").get()
            if let failure { throw failure }
        }
        try await NIOThreadPool.singleton.runIfActive { [inline, inlineWriter] in
            try inline.reloadPlannerStatistics()
            try inlineWriter.reloadPlannerStatistics()
        }
    }

    func close() async {
        inline.close()
        inlineWriter.close()
        for connection in readers + [writer] {
            try? await connection.close().get()
        }
    }
}

/// A FIFO async mutex: one writer at a time, the others wait their turn without blocking a thread.
actor WriterGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withExclusiveAccess<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

// MARK: - PostgreSQL

/// How a store keeps its PostgreSQL connections.
///
/// PostgresNIO's pool arms a timer each time it takes a connection back (a keep-alive ping after
/// 30 s, and a 60 s idle timeout for a connection above the minimum), and cancels them when the
/// connection is lent again. A cancelled timer's task (`Task.sleep`) is freed only at its original
/// deadline, so a busy server holds every query's timers of the last minute: about 1.7 KB a
/// query, hundreds of MiB at thousands of queries a second (heaptrack: the live heap was tasks
/// sleeping in the pool's `runTimer`). A pool that holds all its connections and pings none arms
/// no timer at all.
public enum PostgresConnections: Sendable {
    /// Connections opened as work needs them and closed after a minute idle, kept alive by pings:
    /// for commands and tests, which open many short-lived stores.
    case onDemand
    /// All connections opened at start and held: for the server, whose memory must stay flat under
    /// load. A connection the server or the network closes is still noticed (the socket closes)
    /// and opened again.
    case held
}

/// PostgresNIO's pooled client, run for the life of the store.
final class PostgresBackend: DatabaseBackend {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    init(url: String, connections: PostgresConnections = .onDemand, logger: Logger) throws {
        let sqlConfiguration = try SQLPostgresConfiguration(url: url)
        let core = sqlConfiguration.coreConfiguration
        var configuration: PostgresClient.Configuration
        if let host = core.host {
            // Keep the TLS mode the URL asked for (`?tlsmode=require|prefer|disable`).
            let tls: PostgresClient.Configuration.TLS =
                switch (core.tls.isEnforced, core.tls.isAllowed, core.tls.sslContext?.configuration) {
                case (true, _, let context?): .require(context)
                case (false, true, let context?): .prefer(context)
                default: .disable
                }
            configuration = PostgresClient.Configuration(
                host: host, port: core.port ?? 5432, username: core.username, password: core.password, database: core.database, tls: tls)
        } else if let socket = core.unixSocketPath {
            configuration = PostgresClient.Configuration(
                unixSocketPath: socket, username: core.username, password: core.password, database: core.database)
        } else {
            throw DatabaseSetupError(message: "PostgreSQL 地址缺少主机名：\(DatabaseLocation.postgres(url).redacted)")
        }
        configuration.options.maximumConnections = 16
        if connections == .held {
            configuration.options.minimumConnections = configuration.options.maximumConnections
            configuration.options.keepAliveBehavior = nil
        }
        // The pool logs every failed connection attempt at info; an unreachable server is
        // reported once, by `Database.open`, instead.
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.client = client
        self.logger = logger
        self.runner = Task { await client.run() }
    }

    func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await client.withConnection { connection in
            try await body(connection.storeSQL())
        }
    }

    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(connection.storeSQL())
            }
        } catch let error as PostgresTransactionError {
            // The transaction was rolled back; callers care why the work failed, not the wrapper.
            if let reason = error.closureError, error.rollbackError == nil { throw reason }
            throw error
        }
    }

    /// PostgreSQL's autovacuum keeps the statistics as the data grows; a bulk load asks for them at
    /// once, with the visibility map that the covering indexes' index-only scans rely on.
    func refreshPlannerStatistics(full: Bool) async throws {
        guard full else { return }
        try await read { db in try await db.raw("VACUUM ANALYZE").run() }
    }

    func close() async {
        runner.cancel()
        _ = await runner.value
    }
}

/// Runs `body`, failing with a timeout error if it takes longer than `seconds`.
func withTimeout<R: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> R) async throws -> R {
    try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return nil
        }
        let finished = try await group.next() ?? nil
        group.cancelAll()
        guard let finished else { throw DatabaseSetupError(message: "超过\(Int(seconds))秒未响应") }
        return finished
    }
}

/// A failure to reach or prepare the database, said plainly for the console.
public struct DatabaseSetupError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension Database {
    /// Whether an error is a unique-constraint violation, on either engine. Checks before inserts
    /// give the friendly message; this catches the race two PostgreSQL writers can still run.
    public static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
        if let error = error as? SQLiteError { return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed }
        if let error = error as? InlineSQLiteError { return error.isUniqueViolation }
        return false
    }
}
