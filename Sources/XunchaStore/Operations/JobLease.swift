import Foundation
import SQLKit

/// 定时任务租约: several servers on one PostgreSQL database each keep the same schedule, but a
/// scheduled job (the daily backup, …) must run on one of them only. The job's lease is a
/// transaction advisory lock, taken without waiting by a transaction that stays open while the
/// job runs; the servers that find it taken skip the run. The lease ends with that transaction,
/// however the job ends, and with its connection if the server dies. On SQLite there is one
/// server, which always holds the lease.
extension Database {
    /// Runs `body` unless another server holds the lease of `job`, and returns its result; nil
    /// when another server holds it. The lease is kept at least `holding` after it was taken, so
    /// a server whose clock runs behind by less than that, waking for the same run after it is
    /// done, finds it still taken (a shutdown ends the wait at once).
    public func withJobLease<R: Sendable>(
        _ job: String, holding: Duration = .zero, _ body: @escaping @Sendable () async throws -> R
    ) async throws -> R? {
        guard engine == .postgres else { return try await body() }
        let started = ContinuousClock.now
        return try await transaction { db in
            let taken = try await db.raw(
                "SELECT pg_try_advisory_xact_lock(\(literal: SerialisedSQL.namespace + 1), hashtext(\(bind: job))) AS taken"
            ).first()?.decode(column: "taken", as: Bool.self) ?? false
            guard taken else { return nil }
            let result = try await body()
            try? await Task.sleep(until: started + holding)
            return result
        }
    }
}
