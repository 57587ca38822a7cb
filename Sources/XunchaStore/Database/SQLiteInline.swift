import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// SQLite connections whose statements run on the calling thread, compiled once per connection:
/// the readers, and the writer.
///
/// SQLiteNIO runs every statement on its thread pool and hands each row back to an event loop
/// as a task of its own: a page of 25 papers costs a hop to the pool, 25 submissions to the loop
/// and a hop back to the caller, and the statement is compiled afresh each time; a write of a
/// paper, a dozen statements, pays it a dozen times. A statement of a page or of a write touches
/// a few cached pages of the file and takes microseconds, less than those hops, so these
/// connections run it in place: each statement borrows a connection for the time it steps, never
/// across a suspension, and keeps its compiled statement for the next request with the same
/// text. What waits on the disk or scans goes to the thread pool instead, so that no cooperative
/// thread waits on it: the writer's COMMIT (`synchronous = FULL`), and the reads that scan
/// (statistics over a subtree, exports, archives, backups, the audit chain:
/// `Database.readAtLength`, on SQLiteNIO's readers).
///
/// Two things keep the cooperative threads (two on two cores) free for everybody else, which the
/// test suite's PostgreSQL connections showed they must be: a statement never waits on SQLite's
/// locks on a thread (its busy timeout is zero; one refused as busy is tried again after a
/// sleep, `SQLiteInlineStatements.execute`), and a session that has run statements for a while
/// without suspending yields (`SQLiteInlineStatements.budget`).
final class SQLiteInlineConnections: Sendable {
    private let connections: [Guarded]
    private let next = Atomic<Int>(0)

    /// A connection behind its lock.
    private final class Guarded: Sendable {
        let lock: Mutex<InlineConnection>
        init(_ connection: InlineConnection) { lock = Mutex(connection) }
    }

    /// `count` readers (`query_only`), or the one writer (`synchronous = FULL`).
    init(path: String, readers count: Int) throws {
        connections = try (0..<max(1, count)).map { _ in Guarded(try InlineConnection(path: path, pragmas: InlineConnection.readerPragmas)) }
    }

    init(writerAt path: String) throws {
        connections = [Guarded(try InlineConnection(path: path, pragmas: InlineConnection.writerPragmas))]
    }

    /// Runs one statement on the first connection free (or waits for one), calling `onRow` for
    /// each row as it is stepped. `waiting`: whether it may wait for SQLite's locks (only off the
    /// cooperative threads); otherwise a statement that would wait fails as busy.
    func run(_ sql: String, _ binds: [SQLiteData], waiting: Bool = false, _ onRow: (any SQLRow) -> Void) throws {
        let start = next.add(1, ordering: .relaxed).oldValue & Int.max
        for offset in 0..<connections.count {
            let connection = connections[(start + offset) % connections.count]
            if let done: Void = try connection.lock.withLockIfAvailable({ try $0.run(sql, binds, waiting: waiting, onRow) }) { return done }
        }
        try connections[start % connections.count].lock.withLock { try $0.run(sql, binds, waiting: waiting, onRow) }
    }

    /// Has every connection reload the planner's statistics (`SQLiteBackend.analyse`), which it
    /// reads only when it loads the schema; the compiled statements are made again with them.
    /// Reloading takes the write lock for a moment, so it may wait: call it off the cooperative threads.
    func reloadPlannerStatistics() throws {
        for connection in connections { try connection.lock.withLock { try $0.reloadPlannerStatistics() } }
    }

    func close() {
        for connection in connections { connection.lock.withLock { $0.close() } }
    }

    /// How often SQLite has compiled the cached statements again since they were first compiled.
    var recompilations: Int { connections.reduce(0) { total, connection in total + connection.lock.withLock { $0.recompilations } } }
}

/// One connection and its compiled statements. Unchecked: it is only ever used under its
/// `Guarded` lock, by one thread at a time.
final class InlineConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: Prepared] = [:]
    /// Enough for every statement text the pages send; beyond it the cache starts again.
    private static let statementLimit = 512

    struct Prepared {
        let pointer: OpaquePointer
        let columns: InlineColumns
    }

    static let readerPragmas = ["PRAGMA foreign_keys = ON", "PRAGMA query_only = ON"]
    /// The file is in WAL mode already (the SQLiteNIO writer opened it so); each connection sets its own durability.
    static let writerPragmas = ["PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON", "PRAGMA analysis_limit = 1000"]

    /// Whether it is a reader, which must lift `query_only` to reload the planner's statistics.
    private let queryOnly: Bool

    init(path: String, pragmas: [String]) throws {
        queryOnly = pragmas.contains("PRAGMA query_only = ON")
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw InlineSQLiteError(code: opened, message: "无法打开 SQLite 数据库 \(path)")
        }
        // Its pragmas may wait for another connection's lock; its statements never do (`run`).
        sqlite_nio_sqlite3_busy_timeout(handle, Self.busyTimeout)
        for pragma in pragmas {
            guard sqlite_nio_sqlite3_exec(handle, pragma, nil, nil, nil) == SQLITE_OK else {
                let error = InlineSQLiteError(handle)
                sqlite_nio_sqlite3_close_v2(handle)
                throw error
            }
        }
        sqlite_nio_sqlite3_busy_timeout(handle, 0)
        self.handle = handle
    }

    deinit { close() }

    func close() {
        clearStatements()
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    /// How often SQLite has compiled the cached statements again (`SQLITE_STMTSTATUS_REPREPARE`):
    /// after a change of schema or statistics, or at each new value bound to a parameter that the
    /// plan depends on (a LIKE pattern), which a statement run on every request must not have.
    var recompilations: Int {
        statements.values.reduce(0) { $0 + Int(sqlite_nio_sqlite3_stmt_status($1.pointer, SQLITE_STMTSTATUS_REPREPARE, 0)) }
    }

    private func clearStatements() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.pointer) }
        statements = [:]
    }

    func reloadPlannerStatistics() throws {
        guard let handle else { return }
        clearStatements()
        sqlite_nio_sqlite3_busy_timeout(handle, Self.busyTimeout)
        defer { sqlite_nio_sqlite3_busy_timeout(handle, 0) }
        var failure: InlineSQLiteError?
        for sql in queryOnly ? ["PRAGMA query_only = OFF", "ANALYZE sqlite_schema", "PRAGMA query_only = ON"] : ["ANALYZE sqlite_schema"] {
            if sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil) != SQLITE_OK, failure == nil { failure = InlineSQLiteError(handle) }
        }
        if let failure { throw failure }
    }

    /// How long a statement may wait for a lock, in milliseconds, as SQLiteNIO's connections do.
    static let busyTimeout: Int32 = 10_000

    func run(_ sql: String, _ binds: [SQLiteData], waiting: Bool, _ onRow: (any SQLRow) -> Void) throws {
        guard let handle else { throw InlineSQLiteError(code: SQLITE_MISUSE, message: "SQLite 连接已关闭") }
        let statement = try prepared(sql, on: handle)
        if waiting { sqlite_nio_sqlite3_busy_timeout(handle, Self.busyTimeout) }
        // The values stay bound until the next run binds its own over them. Clearing them would have
        // SQLite compile the statement again at its next step whenever its plan took a bound value
        // into account (a join's or an ORDER BY's, as SQLite 3.5x plans them), which is most pages.
        defer {
            sqlite_nio_sqlite3_reset(statement.pointer)
            if waiting { sqlite_nio_sqlite3_busy_timeout(handle, 0) }
        }
        try Self.bind(binds, to: statement.pointer, on: handle)
        let count = statement.columns.names.count
        while true {
            switch sqlite_nio_sqlite3_step(statement.pointer) {
            case SQLITE_ROW:
                var values: [SQLiteData] = []
                values.reserveCapacity(count)
                for index in 0..<Int32(count) { values.append(Self.value(statement.pointer, index)) }
                onRow(InlineRow(columns: statement.columns, values: values))
            case SQLITE_DONE:
                return
            default:
                throw InlineSQLiteError(handle)
            }
        }
    }

    private func prepared(_ sql: String, on handle: OpaquePointer) throws -> Prepared {
        if let found = statements[sql] { return found }
        var pointer: OpaquePointer?
        let flags = UInt32(SQLITE_PREPARE_PERSISTENT)
        guard sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, flags, &pointer, nil) == SQLITE_OK, let pointer else {
            throw InlineSQLiteError(handle)
        }
        let names = (0..<sqlite_nio_sqlite3_column_count(pointer)).map { index in
            sqlite_nio_sqlite3_column_name(pointer, index).map { String(cString: $0) } ?? ""
        }
        let statement = Prepared(pointer: pointer, columns: InlineColumns(names))
        if statements.count >= Self.statementLimit { clearStatements() }
        statements[sql] = statement
        return statement
    }

    private static func bind(_ binds: [SQLiteData], to statement: OpaquePointer, on handle: OpaquePointer) throws {
        // A parameter this run leaves out reads NULL, as on a new statement, not an earlier run's value.
        if binds.count < Int(sqlite_nio_sqlite3_bind_parameter_count(statement)) { sqlite_nio_sqlite3_clear_bindings(statement) }
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .integer(let number): result = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
            case .float(let number): result = sqlite_nio_sqlite3_bind_double(statement, index, number)
            case .text(let text): result = sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
            case .blob(let bytes):
                result = bytes.readableBytesView.withUnsafeBytes { sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient) }
            case .null: result = sqlite_nio_sqlite3_bind_null(statement, index)
            }
            guard result == SQLITE_OK else { throw InlineSQLiteError(handle) }
        }
    }

    /// SQLite copies a bound value at once (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func value(_ statement: OpaquePointer, _ index: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .text("") }
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            guard let blob = sqlite_nio_sqlite3_column_blob(statement, index), length > 0 else { return .blob(ByteBuffer()) }
            return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: blob, count: length)))
        default: return .null
        }
    }
}

/// A statement's column names, shared by its rows, with where each is found.
final class InlineColumns: Sendable {
    let names: [String]
    private let positions: [String: Int]

    init(_ names: [String]) {
        self.names = names
        positions = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    func index(of name: String) -> Int? { positions[name] }
}

/// One row, read as SQLiteKit reads SQLite's rows (`SQLiteColumns`: text and integers directly).
struct InlineRow: SQLRow {
    let columns: InlineColumns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.index(of: column) != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let index = columns.index(of: column) else { return true }
        return values[index] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try SQLiteColumns.decode(columns.index(of: column).map { values[$0] }, of: column, as: D.self)
    }
}

/// What SQLite said when a statement failed, with its extended result code.
struct InlineSQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    init(_ handle: OpaquePointer) {
        code = sqlite_nio_sqlite3_extended_errcode(handle)
        message = sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "SQLite error \(sqlite_nio_sqlite3_extended_errcode(handle))"
    }

    var description: String { "SQLite 错误 \(code)：\(message)" }

    /// SQLITE_CONSTRAINT_UNIQUE (2067) or SQLITE_CONSTRAINT_PRIMARYKEY (1555), which Swift does not import.
    var isUniqueViolation: Bool { code == 2067 || code == 1555 }

    /// SQLITE_BUSY, or one of its extended codes: another connection holds the lock.
    var isBusy: Bool { code & 0xff == SQLITE_BUSY }
}

/// SQLKit's face of inline connections: statements serialised as SQLiteKit does, binds encoded
/// with its encoder, run in place — but for the writer's COMMIT, which waits on the disk and so
/// runs on the thread pool.
struct SQLiteInlineStatements: SQLDatabaseWrapper {
    let connections: SQLiteInlineConnections
    /// SQLiteKit's database over one SQLiteNIO connection of the same file, for its version, dialect and logger.
    let base: any SQLDatabase
    let commitsOnThreadPool: Bool
    /// When this session last let other tasks run: one per read or transaction (`session()`).
    private let budget: YieldBudget
    private let encoder = SQLiteDataEncoder()

    init(_ connections: SQLiteInlineConnections, base: any SQLDatabase, commitsOnThreadPool: Bool = false) {
        self.init(connections, base: base, commitsOnThreadPool: commitsOnThreadPool, budget: YieldBudget())
    }

    private init(_ connections: SQLiteInlineConnections, base: any SQLDatabase, commitsOnThreadPool: Bool, budget: YieldBudget) {
        self.connections = connections
        self.base = base
        self.commitsOnThreadPool = commitsOnThreadPool
        self.budget = budget
    }

    /// The same connections for one read or one transaction, with a budget of its own.
    func session() -> SQLiteInlineStatements {
        SQLiteInlineStatements(connections, base: base, commitsOnThreadPool: commitsOnThreadPool, budget: YieldBudget())
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let (sql, binds) = serialize(query)
        do {
            let data = try binds.map { try encoder.encode($0) }
            if !waitsOnDisk(sql), try runInPlace(sql, data, onRow) { return eventLoop.makeSucceededVoidFuture() }
            return NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop) { [connections] in try connections.run(sql, data, waiting: true, onRow) }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let data = try binds.map { try encoder.encode($0) }
        if waitsOnDisk(sql) {
            try await NIOThreadPool.singleton.runIfActive { [connections] in try connections.run(sql, data, waiting: true, onRow) }
            return
        }
        if try runInPlace(sql, data, onRow) {
            if budget.isSpent() { await Task.yield() }
            return
        }
        // A lock another connection holds is waited for asleep, holding no thread: a waiter parked
        // on the thread pool could keep the holder's COMMIT from the pool until the wait ran out.
        let deadline = ContinuousClock.now + .milliseconds(Int(InlineConnection.busyTimeout))
        var pause = Duration.milliseconds(1)
        repeat {
            guard ContinuousClock.now < deadline else {
                throw InlineSQLiteError(code: SQLITE_BUSY, message: "数据库被另一连接锁定，等待\(InlineConnection.busyTimeout / 1000)秒后仍未释放")
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        } while !(try runInPlace(sql, data, onRow))
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func waitsOnDisk(_ sql: String) -> Bool { commitsOnThreadPool && sql == "COMMIT" }

    /// Runs the statement in place; false if it found a lock taken before it read a row, so it
    /// must run again where it may wait.
    private func runInPlace(_ sql: String, _ data: [SQLiteData], _ onRow: (any SQLRow) -> Void) throws -> Bool {
        var read = false
        do {
            try connections.run(sql, data) { row in
                read = true
                onRow(row)
            }
            return true
        } catch let error as InlineSQLiteError where error.isBusy && !read {
            return false
        }
    }
}

/// How long a session has run statements in place since it last suspended. Statements of a
/// page or a write take microseconds; a long transaction (an import, a seed) or a long run of
/// reads would otherwise hold a cooperative thread for its whole length.
final class YieldBudget: Sendable {
    private let since = Atomic<UInt64>(DispatchTime.now().uptimeNanoseconds)
    /// Other tasks wait at most about this long behind one session.
    static let slice: UInt64 = 2_000_000

    /// Whether the slice is used up; if so, a new one starts (the caller yields).
    func isSpent() -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now &- since.load(ordering: .relaxed) > Self.slice else { return false }
        since.store(now, ordering: .relaxed)
        return true
    }
}
