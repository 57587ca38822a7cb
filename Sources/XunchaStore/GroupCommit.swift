import SQLKit
import Synchronization

/// 组提交 (group commit) for the SQLite writer. SQLite has one writer, and with
/// `synchronous = FULL` every COMMIT waits for the disk; writers queued behind one another would
/// each pay that wait in turn. Here the writers waiting when the connection frees up run one
/// after another inside one transaction, each in its own savepoint, and are committed together:
/// one wait on the disk for all of them.
///
/// What a write means does not change. Nobody hears "done" before the COMMIT that makes their
/// work durable; a writer whose work fails rolls back its own savepoint only, exactly as it
/// would have rolled back alone; if the transaction itself is lost (the COMMIT fails, or SQLite
/// aborted it), every writer in it hears the error and nothing of it is kept. A writer alone runs
/// as it always did: BEGIN IMMEDIATE, its work, COMMIT.
final class GroupCommit: Sendable {
    /// One writer's work and how it learns the outcome, once the outcome is final.
    private struct Job: Sendable {
        let work: @Sendable (any SQLDatabase) async throws -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    /// Holds a writer's result from the moment its work ends until its COMMIT is known.
    private final class Slot<Value: Sendable>: Sendable {
        let value = Mutex<Value?>(nil)
    }

    private let state = Mutex<(queue: [Job], draining: Bool, committing: Int)>(([], false, 0))
    private let connection: @Sendable () -> any SQLDatabase
    private let gate: WriterGate
    /// Transactions begun so far, for the tests that show writers sharing one.
    let transactionsBegun = Atomic<Int>(0)
    /// Writers waiting for their batch, and those in the batch being committed (`Database.activity`).
    var queue: (queued: Int, committing: Int) { state.withLock { ($0.queue.count, $0.committing) } }
    /// Bounds how long the last writer of a batch waits for the ones before it.
    static let largestBatch = 64

    /// - Parameters:
    ///   - connection: the writer connection.
    ///   - gate: held for each batch, so other users of the writer (the planner's statistics) wait.
    init(connection: @escaping @Sendable () -> any SQLDatabase, gate: WriterGate) {
        self.connection = connection
        self.gate = gate
    }

    /// Runs `body` in a transaction (perhaps shared, in its own savepoint) and answers its result
    /// once the transaction is committed.
    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let slot = Slot<R>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let job = Job(
                work: { db in
                    let result = try await body(db)
                    slot.value.withLock { $0 = result }
                },
                finish: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                })
            let leads = state.withLock { state in
                state.queue.append(job)
                let idle = !state.draining
                state.draining = true
                return idle
            }
            if leads { Task { await self.drain() } }
        }
        guard let result = slot.value.withLock({ $0 }) else { preconditionFailure("a committed job has its result") }
        return result
    }

    /// Commits batches until nobody waits.
    private func drain() async {
        while true {
            let batch: [Job] = state.withLock { state in
                let taken = Array(state.queue.prefix(Self.largestBatch))
                state.queue.removeFirst(taken.count)
                if taken.isEmpty { state.draining = false }
                state.committing = taken.count
                return taken
            }
            guard !batch.isEmpty else { return }
            let unrun = (try? await gate.withExclusiveAccess { await self.commit(batch) }) ?? []
            state.withLock { state in
                state.committing = 0
                state.queue.insert(contentsOf: unrun, at: 0)
            }
        }
    }

    /// Answers a writer, which stops counting as committing before it hears: what it reads of the
    /// activity next is already so.
    private func answer(_ job: Job, _ error: (any Error)?) {
        state.withLock { $0.committing = max(0, $0.committing - 1) }
        job.finish(error)
    }

    /// One transaction for `batch`; answers the jobs it did not get to (the transaction was lost
    /// before their turn), which go back to the head of the queue untouched.
    private func commit(_ batch: [Job]) async -> [Job] {
        let db = connection()
        transactionsBegun.add(1, ordering: .relaxed)
        do {
            try await db.raw("BEGIN IMMEDIATE").run()
        } catch {
            for job in batch { answer(job, error) }
            return []
        }
        if batch.count == 1, let job = batch.first {
            do {
                try await job.work(db)
                try await db.raw("COMMIT").run()
            } catch {
                try? await db.raw("ROLLBACK").run()
                answer(job, error)
                return []
            }
            answer(job, nil)
            return []
        }
        var outcomes: [(any Error)?] = []
        var lost: (any Error)?
        for job in batch {
            do {
                try await db.raw("SAVEPOINT writer").run()
                try await job.work(db)
                try await db.raw("RELEASE writer").run()
                outcomes.append(nil)
            } catch {
                outcomes.append(error)
                do {
                    try await db.raw("ROLLBACK TO writer").run()
                    try await db.raw("RELEASE writer").run()
                } catch let broken {
                    // SQLite ended the transaction itself (disk full, I/O error): the work of the
                    // writers before this one is gone with it.
                    lost = broken
                    break
                }
            }
        }
        if lost == nil {
            do {
                try await db.raw("COMMIT").run()
            } catch {
                lost = error
            }
        }
        if let lost {
            try? await db.raw("ROLLBACK").run()
            for (job, outcome) in zip(batch, outcomes) { answer(job, outcome ?? lost) }
        } else {
            for (job, outcome) in zip(batch, outcomes) { answer(job, outcome) }
        }
        return Array(batch.dropFirst(outcomes.count))
    }
}
