import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

extension PostgresConnection {
    /// The connection as the store speaks to it: the store's repeated statements run as named
    /// (prepared) statements, everything else as PostgresKit runs it.
    func storeSQL() -> any SQLDatabase {
        PreparingPostgresDatabase(connection: self, base: sql(queryLogLevel: nil))
    }
}

/// PostgreSQL plans an unnamed statement afresh at every bind, and the store's policy-laden reads
/// cost far more to plan than to run (the member-scoped read of one paper: 1.16 ms planning for
/// 0.16 ms executing). The store sends the same few hundred texts again and again, so a text
/// that has run once is, from its next use on, prepared under a name on each connection that runs
/// it (PostgresNIO keeps which names a connection has prepared) and then only bound and executed:
/// PostgreSQL keeps its plan, generic once it has seen it is no worse than planning each time.
///
/// The same bytes reach the server as before — the text, and parameter types taken from the
/// bound values exactly as for an unnamed statement — so results and errors are the same. Only a
/// text that already ran successfully is prepared (one that fails to parse never is), and a
/// statement that fails once on a connection runs unnamed there from then on: PostgresNIO would
/// otherwise answer every later use on that connection with the error its preparation met (a
/// `Parse` inside an aborted transaction, say).
struct PreparingPostgresDatabase: SQLDatabaseWrapper {
    let connection: PostgresConnection
    let base: any SQLDatabase

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        guard let made = PreparedStatementKey.make(sql: sql, binds: binds) else {
            return try await base.execute(sql: query, onRow)
        }
        let (key, bindings) = made
        let registry = PreparedStatementRegistry.shared
        guard let slot = registry.slot(for: key, on: connection) else {
            try await base.execute(sql: query, onRow)
            registry.succeeded(key)
            return
        }
        do {
            try await StatementSlots.run(slot, bindings: bindings, on: connection, onRow)
        } catch {
            registry.failed(slot, on: connection)
            throw error
        }
    }
}

/// A statement as PostgreSQL would prepare it: its text and the types of its parameters.
struct PreparedStatementKey: Hashable, Sendable {
    let sql: String
    let types: [PostgresDataType]

    /// The key and the bound values, when every value encodes directly (strings, numbers, dates,
    /// UUIDs, booleans, NULL); anything PostgresKit encodes its own way (arrays, JSON) runs unnamed.
    static func make(sql: String, binds: [any Encodable & Sendable]) -> (PreparedStatementKey, PostgresBindings)? {
        guard isPreparable(sql) else { return nil }
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [PostgresDataType] = []
        types.reserveCapacity(binds.count)
        for bind in binds {
            if (bind as Optional<Any>) == nil {
                bindings.appendNull()
                types.append(.null)
            } else if let value = bind as? any PostgresThrowingDynamicTypeEncodable {
                do { try bindings.append(value) } catch { return nil }
                types.append(value.psqlType)
            } else {
                return nil
            }
        }
        return (PreparedStatementKey(sql: sql, types: types), bindings)
    }

    /// Reads and writes; never DDL, transaction control or `SET`, which gain nothing from a plan.
    private static func isPreparable(_ sql: String) -> Bool {
        let head = sql.prefix(7).uppercased()
        return head.hasPrefix("SELECT") || head.hasPrefix("WITH") || head.hasPrefix("INSERT") || head.hasPrefix("UPDATE")
            || head.hasPrefix("DELETE")
    }
}

/// Which texts have run, which of them have a statement name, and on which connections a named
/// statement failed. Process-wide: a name means the same text and types on every connection.
final class PreparedStatementRegistry: Sendable {
    static let shared = PreparedStatementRegistry()

    private struct State {
        var seen: Set<PreparedStatementKey> = []
        var slots: [PreparedStatementKey: Int] = [:]
        var texts: [PreparedStatementKey] = []
        /// (connection, slot) pairs that failed once; they run unnamed on that connection.
        var failed: Set<Failure> = []
    }

    private struct Failure: Hashable {
        let connection: ObjectIdentifier
        let slot: Int
    }

    private let state = Mutex(State())
    /// Texts remembered while waiting for their second use; beyond that, new texts run unnamed.
    static let seenLimit = 4096

    /// The statement's slot, when it has run before and is not marked failed on this connection.
    func slot(for key: PreparedStatementKey, on connection: PostgresConnection) -> Int? {
        let id = ObjectIdentifier(connection)
        return state.withLock { state in
            if let slot = state.slots[key] {
                return state.failed.contains(Failure(connection: id, slot: slot)) ? nil : slot
            }
            guard state.seen.contains(key), state.texts.count < StatementSlots.capacity else { return nil }
            let slot = state.texts.count
            state.texts.append(key)
            state.slots[key] = slot
            state.seen.remove(key)
            return slot
        }
    }

    /// A text ran successfully unnamed: its next use may prepare it.
    func succeeded(_ key: PreparedStatementKey) {
        state.withLock { state in
            guard state.slots[key] == nil, state.seen.count < Self.seenLimit else { return }
            state.seen.insert(key)
        }
    }

    func failed(_ slot: Int, on connection: PostgresConnection) {
        _ = state.withLock { $0.failed.insert(Failure(connection: ObjectIdentifier(connection), slot: slot)) }
    }

    func key(of slot: Int) -> PreparedStatementKey {
        state.withLock { $0.texts[slot] }
    }

    /// Whether `sql` has a slot, and whether every slot is taken (a new text then runs unnamed).
    func names(_ sql: String) -> (named: Bool, full: Bool) {
        state.withLock { state in (state.texts.contains { $0.sql == sql }, state.texts.count >= StatementSlots.capacity) }
    }
}

// MARK: - Named statements by number

/// PostgresNIO prepares statements described by a type (`PostgresPreparedStatement`'s name and
/// text are static), while the store's texts are known only when they run. A slot is a type
/// spelled by three octal digits, so 512 types stand for the registry's first 512 texts.
protocol SlotDigit { static var value: Int { get } }
enum SlotDigit0: SlotDigit { static var value: Int { 0 } }
enum SlotDigit1: SlotDigit { static var value: Int { 1 } }
enum SlotDigit2: SlotDigit { static var value: Int { 2 } }
enum SlotDigit3: SlotDigit { static var value: Int { 3 } }
enum SlotDigit4: SlotDigit { static var value: Int { 4 } }
enum SlotDigit5: SlotDigit { static var value: Int { 5 } }
enum SlotDigit6: SlotDigit { static var value: Int { 6 } }
enum SlotDigit7: SlotDigit { static var value: Int { 7 } }

struct StatementSlot<High: SlotDigit, Middle: SlotDigit, Low: SlotDigit>: PostgresPreparedStatement {
    typealias Row = PostgresRow

    static var index: Int { High.value * 64 + Middle.value * 8 + Low.value }
    static var name: String { "xuncha_\(index)" }
    static var sql: String { PreparedStatementRegistry.shared.key(of: index).sql }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

enum StatementSlots {
    static let capacity = 512
    private static let digits: [any SlotDigit.Type] = [
        SlotDigit0.self, SlotDigit1.self, SlotDigit2.self, SlotDigit3.self, SlotDigit4.self, SlotDigit5.self, SlotDigit6.self, SlotDigit7.self,
    ]

    /// Binds and executes slot `index` on `connection`, preparing it there first if need be.
    static func run(
        _ index: Int, bindings: PostgresBindings, on connection: PostgresConnection, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) async throws {
        let high: any SlotDigit.Type = digits[(index >> 6) & 7]
        let middle: any SlotDigit.Type = digits[(index >> 3) & 7]
        let low: any SlotDigit.Type = digits[index & 7]
        try await run(high, middle, low, bindings: bindings, on: connection, onRow)
    }

    private static func run<High: SlotDigit, Middle: SlotDigit, Low: SlotDigit>(
        _: High.Type, _: Middle.Type, _: Low.Type, bindings: PostgresBindings, on connection: PostgresConnection,
        _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) async throws {
        let statement = StatementSlot<High, Middle, Low>(bindings: bindings)
        for try await row in try await connection.execute(statement, logger: connection.logger) {
            onRow(row.sql())
        }
    }
}
