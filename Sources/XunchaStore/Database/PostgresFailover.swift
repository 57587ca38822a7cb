import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization
import XunchaCore

extension DomainError {
    /// No host of the cluster takes writes just now (a failover is under way): nothing was written.
    public static let databaseUnavailable = DomainError(
        .unavailable, code: "database_unavailable", message: "数据库正在切换，请稍后重试",
        english: "no writable PostgreSQL host reachable (failover in progress?); nothing was written")

    /// The connection broke while the server was committing: the change may or may not be saved.
    /// Never retried, by the server or (blindly) by the client: looking first is the only safe way.
    public static let databaseCommitUnknown = DomainError(
        .unavailable, code: "database_commit_unknown", message: "数据库在提交时中断，本次修改是否已保存无法确认；请稍后刷新核对，切勿直接重复提交",
        english: "connection lost during COMMIT (failover?); the outcome is unknown")
}

/// The writable host among several (a Patroni cluster: a primary and its replicas), found as
/// libpq finds it for `target_session_attrs=read-write`: each host in the order given is probed
/// on a connection of its own, and the first that qualifies gets the connection pool. When a
/// request meets a broken connection, a read-only server (SQLSTATE 25006) or a shutdown
/// (57P01–57P03), the hosts are probed again — once, however many requests noticed — and the
/// pool follows the new primary.
///
/// What is retried, and what is not: a read, and a write that failed before anything was sent
/// (no connection could be leased, or `BEGIN` failed), run once more on the new primary. A write
/// that broke in its body is answered `database_unavailable` (it was rolled back with the
/// connection); one that broke during `COMMIT` is answered `database_commit_unknown` and never
/// replayed, since the server may have committed it.
final class PostgresFailoverBackend: DatabaseBackend {
    /// The pool of the host taken for the primary; `term` tells one choice from the next, so that
    /// many requests failing on the same host cause one new choice, not many.
    struct Chosen: Sendable {
        let member: PostgresAddress.Member
        let backend: PostgresBackend
        let term: Int
    }

    private struct State {
        var chosen: Chosen?
        var choosing: Task<Chosen, any Error>?
        var term = 0
        /// When no host qualified, and why: requests fail at once for `missPause`, not probe again.
        var miss: (at: ContinuousClock.Instant, error: any Error)?
        var closed = false
    }

    let address: PostgresAddress
    private let probes: [PostgresConnection.Configuration]
    private let state = Mutex(State())
    private let logger: Logger
    /// How each host's pool keeps its connections.
    private let connections: PostgresConnections

    /// How long one host may take to accept a connection and answer the probe.
    static let probeTimeout = 3.0
    /// How long a request waits for a pooled connection before the host is probed again.
    static let leaseTimeout = Duration.seconds(5)
    /// After no host qualified, how long requests are answered 503 without probing again.
    static let missPause = Duration.milliseconds(500)

    init(address: PostgresAddress, connections: PostgresConnections = .onDemand, logger: Logger) throws {
        self.address = address
        self.logger = logger
        self.connections = connections
        self.probes = try address.members.map { member in
            var configuration = try SQLPostgresConfiguration(url: member.url).coreConfiguration
            configuration.options.connectTimeout = .seconds(Int64(Self.probeTimeout))
            return configuration
        }
    }

    // MARK: Reads and transactions

    func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        var retried = false
        while true {
            let chosen = try await current()
            do {
                return try await lease(on: chosen) { connection in try await body(connection.storeSQL()) }
            } catch where Self.isFailover(error) {
                // A read changes nothing: run it once more on whichever host is primary now.
                reconsider(chosen, after: error)
                guard !retried else { throw DomainError.databaseUnavailable }
                retried = true
            }
        }
    }

    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        var retried = false
        while true {
            let chosen = try await current()
            do {
                return try await lease(on: chosen) { [logger] connection in
                    try await Self.runTransaction(on: connection, logger: logger, body)
                }
            } catch let failure as TransactionFailure {
                switch failure {
                case .begin(let error) where Self.isFailover(error), .lease(let error):
                    // Nothing reached the server: safe to run once more on the new primary.
                    reconsider(chosen, after: error)
                    guard !retried else { throw DomainError.databaseUnavailable }
                    retried = true
                case .begin(let error):
                    throw error
                case .body(let error):
                    reconsider(chosen, after: error)
                    throw DomainError.databaseUnavailable
                case .commit(let error):
                    reconsider(chosen, after: error)
                    logger.warning("PostgreSQL 在提交时断开（\(chosen.member.endpoint)），结果未知，不重试：\(String(reflecting: error))")
                    throw DomainError.databaseCommitUnknown
                }
            }
        }
    }

    /// Where a transaction failed, which decides whether it may be run again.
    enum TransactionFailure: Error {
        /// No connection: nothing was sent.
        case lease(any Error)
        case begin(any Error)
        /// The connection broke (or the server turned read-only) during the work; nothing committed.
        case body(any Error)
        /// The connection broke during `COMMIT`: the outcome is unknown.
        case commit(any Error)
    }

    /// `BEGIN`, the work, `COMMIT`, telling apart where a failover struck. Any other failure of the
    /// work rolls back and is thrown as it is, as on a single host.
    private static func runTransaction<R: Sendable>(
        on connection: PostgresConnection, logger: Logger, _ body: @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        do { try await connection.query("BEGIN;", logger: logger) } catch { throw TransactionFailure.begin(error) }
        let value: R
        do {
            value = try await body(connection.storeSQL())
        } catch {
            if isFailover(error) { throw TransactionFailure.body(error) }
            do { try await connection.query("ROLLBACK;", logger: logger) } catch where isFailover(error) { throw TransactionFailure.body(error) }
            throw error
        }
        do { try await connection.query("COMMIT;", logger: logger) } catch where isFailover(error) { throw TransactionFailure.commit(error) }
        return value
    }

    /// Errors that mean the host is gone or no longer the primary, rather than a fault of the work.
    static func isFailover(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            if error.code == .server {
                guard let state = error.serverInfo?[.sqlState] else { return false }
                // read_only_sql_transaction, connection exceptions, admin/crash shutdown, cannot connect now.
                return state == "25006" || state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            }
            let broken: [PSQLError.Code] = [.serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection, .poolClosed]
            return broken.contains(error.code)
        case is TransactionFailure, is LeaseTimeout, is ChannelError, is IOError, is NIOConnectionError:
            return true
        default:
            return false
        }
    }

    struct LeaseTimeout: Error, CustomStringConvertible {
        var description: String { "no pooled PostgreSQL connection within \(PostgresFailoverBackend.leaseTimeout)" }
    }

    /// Runs `work` on a pooled connection of the chosen host. If none is leased within
    /// `leaseTimeout` (the host died while the pool was empty, and the pool keeps reconnecting),
    /// the wait is given up; a failure before `work` began is a `TransactionFailure.lease`.
    private func lease<R: Sendable>(on chosen: Chosen, _ work: @escaping @Sendable (PostgresConnection) async throws -> R) async throws -> R {
        let phase = LeasePhase()
        return try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask {
                do {
                    return try await chosen.backend.client.withConnection { connection in
                        guard phase.begin() else { throw LeaseTimeout() }
                        return try await work(connection)
                    }
                } catch {
                    if phase.isWorking { throw error }
                    throw TransactionFailure.lease(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: Self.leaseTimeout)
                return nil
            }
            while let result = try await group.next() {
                if let result {
                    group.cancelAll()
                    return result
                }
                // The timer: stop waiting for a connection unless the work has begun.
                if phase.giveUp() { group.cancelAll() }
            }
            throw TransactionFailure.lease(LeaseTimeout())
        }
    }

    /// Waiting (0), working on a leased connection (1), or given up (2): set once, by whichever comes first.
    private final class LeasePhase: Sendable {
        private let value = Atomic<Int>(0)
        func begin() -> Bool { value.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged }
        func giveUp() -> Bool { value.compareExchange(expected: 0, desired: 2, ordering: .acquiringAndReleasing).exchanged }
        var isWorking: Bool { value.load(ordering: .acquiring) == 1 }
    }

    // MARK: Choosing the primary

    /// The chosen host, choosing one first when there is none (joining a choice under way).
    func current() async throws -> Chosen {
        let (chosen, choosing): (Chosen?, Task<Chosen, any Error>?) = try state.withLock { state in
            if state.closed { throw DomainError.databaseUnavailable }
            if let chosen = state.chosen { return (chosen, nil) }
            if let choosing = state.choosing { return (nil, choosing) }
            if let miss = state.miss, miss.at.duration(to: .now) < Self.missPause { throw miss.error }
            let task = Task { try await self.choose(keeping: nil) }
            state.choosing = task
            return (nil, task)
        }
        if let chosen { return chosen }
        return try await choosing!.value
    }

    /// After `error` on `chosen`: probe the hosts again, unless that choice was already replaced
    /// or is being reconsidered. The host keeps its pool if it still qualifies (one broken connection).
    private func reconsider(_ chosen: Chosen, after error: any Error) {
        state.withLock { state in
            guard !state.closed, state.choosing == nil, state.chosen?.term == chosen.term else { return }
            logger.warning("PostgreSQL 主库 \(chosen.member.endpoint) 连接异常，重新探测各主机：\(String(describing: error))")
            state.chosen = nil
            state.choosing = Task { try await self.choose(keeping: chosen) }
        }
    }

    /// Probes each host in order and takes the first that qualifies; `keeping` is reused when it is that host.
    private func choose(keeping previous: Chosen?) async throws -> Chosen {
        var reasons: [String] = []
        var found: Chosen?
        for (index, member) in address.members.enumerated() {
            do {
                if let refusal = try await probe(index) {
                    reasons.append("\(member.endpoint)：\(refusal)")
                    continue
                }
                if let previous, previous.member == member {
                    found = previous
                } else {
                    found = Chosen(member: member, backend: try PostgresBackend(url: member.url, connections: connections, logger: logger), term: 0)
                }
                break
            } catch {
                reasons.append("\(member.endpoint)：\(String(describing: error))")
            }
        }
        let fresh = found.flatMap { $0.backend !== previous?.backend ? $0.backend : nil }
        let outcome: Result<Chosen, any Error> = state.withLock { state in
            state.choosing = nil
            guard let found, !state.closed else {
                state.miss = (.now, DomainError.databaseUnavailable)
                return .failure(DomainError.databaseUnavailable)
            }
            var chosen = found
            if fresh != nil {
                state.term += 1
                chosen = Chosen(member: found.member, backend: found.backend, term: state.term)
            }
            state.chosen = chosen
            state.miss = nil
            return .success(chosen)
        }
        switch outcome {
        case .success(let chosen):
            if let previous, fresh != nil {
                // The old primary's pool is of no further use: its waiting requests fail and are retried.
                Task { await previous.backend.close() }
            }
            if fresh != nil { logger.notice("PostgreSQL 主库：\(chosen.member.endpoint)（\(address.target.rawValue)）") }
            return chosen
        case .failure(let error):
            if !reasons.isEmpty { logger.warning("PostgreSQL 暂无可写主机：\(reasons.joined(separator: "；"))") }
            await fresh?.close()
            await previous?.backend.close()
            throw error
        }
    }

    /// Connects to one host on a connection of its own and asks whether it qualifies: nil if it
    /// does, otherwise why not.
    private func probe(_ index: Int) async throws -> String? {
        let configuration = probes[index]
        let target = address.target
        var quiet = logger
        quiet.logLevel = .critical
        return try await withTimeout(seconds: Self.probeTimeout) { [quiet] in
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: index, logger: quiet)
            do {
                let rows = try await connection.query(
                    "SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only", logger: quiet)
                var refusal: String?
                for try await (recovery, readOnly) in rows.decode((Bool, String).self) {
                    refusal = Self.refusal(target: target, inRecovery: recovery, readOnly: readOnly == "on")
                }
                try? await connection.close()
                return refusal
            } catch {
                try? await connection.close()
                throw error
            }
        }
    }

    /// Why a server does not qualify for `target`, or nil when it does (libpq's rules).
    static func refusal(target: PostgresAddress.SessionTarget, inRecovery: Bool, readOnly: Bool) -> String? {
        switch target {
        case .any: nil
        case .primary: inRecovery ? "备库（恢复中）" : nil
        case .readWrite: inRecovery ? "备库（恢复中）" : readOnly ? "默认只读" : nil
        }
    }

    // MARK: The rest of a backend

    func refreshPlannerStatistics(full: Bool) async throws {
        try await current().backend.refreshPlannerStatistics(full: full)
    }

    /// A `pg_dump` of the primary: given that host alone, so that the dump reads the snapshot the
    /// same server exported.
    func snapshot(into file: URL) async throws -> SnapshotFacts {
        let chosen = try await current()
        return try await chosen.backend.snapshot(url: chosen.member.url, into: file)
    }

    func close() async {
        let (chosen, choosing) = state.withLock { state in
            state.closed = true
            let taken = (state.chosen, state.choosing)
            state.chosen = nil
            return taken
        }
        // A choice under way sees `closed` at its end and closes what it opened.
        _ = try? await choosing?.value
        await chosen?.backend.close()
    }
}
