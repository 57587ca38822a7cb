import Logging
import NIOCore
import SQLKit
import Synchronization

/// One statement as the store sent it: the text in the engine's dialect and its bound values.
/// It serialises back to exactly that, so a test can run `EXPLAIN` on what the store really ran.
package struct RecordedStatement: SQLExpression, CustomStringConvertible {
    package let sql: String
    package let binds: [any Encodable & Sendable]

    package func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds += binds
    }

    package var description: String { sql }
}

/// Collects statements while switched on; while off, `Database` never wraps a connection and
/// pays one relaxed atomic load per `read` or `transaction`.
final class StatementRecorder: Sendable {
    private let on = Atomic<Bool>(false)
    private let statements = Mutex<[RecordedStatement]>([])

    var isOn: Bool { on.load(ordering: .relaxed) }

    func start() {
        statements.withLock { $0 = [] }
        on.store(true, ordering: .relaxed)
    }

    func stop() -> [RecordedStatement] {
        on.store(false, ordering: .relaxed)
        return statements.withLock { taken in
            defer { taken = [] }
            return taken
        }
    }

    func append(_ statement: RecordedStatement) {
        statements.withLock { $0.append(statement) }
    }
}

extension Database {
    /// Runs `body` and returns every statement the store sent through this database meanwhile,
    /// in order. For tests that check query plans; one recording at a time per database.
    package func recordingStatements(_ body: () async throws -> Void) async throws -> [RecordedStatement] {
        recorder.start()
        do {
            try await body()
        } catch {
            _ = recorder.stop()
            throw error
        }
        return recorder.stop()
    }
}

/// A connection that notes each statement before passing it on unchanged.
struct RecordingSQLDatabase: SQLDatabaseWrapper {
    let base: any SQLDatabase
    let recorder: StatementRecorder

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        note(query)
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        note(query)
        try await base.execute(sql: query, onRow)
    }

    private func note(_ query: any SQLExpression) {
        let (sql, binds) = base.serialize(query)
        recorder.append(RecordedStatement(sql: sql, binds: binds))
    }
}

/// A database that runs statements its own way over another: what SQLKit asks of a database
/// besides running statements (logger, event loop, version, dialect) is the other's.
protocol SQLDatabaseWrapper: SQLDatabase {
    var base: any SQLDatabase { get }
}

extension SQLDatabaseWrapper {
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }
}
