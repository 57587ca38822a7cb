import Foundation
import Synchronization

final class HangFlag: Sendable { let value = Atomic<Bool>(false) }

/// DEBUG ONLY: counters printed every 20 s to stderr when XUNCHA_DEBUG_HANG is set.
enum HangProbe {
    static let jobsWaiting = Atomic<Int>(0)      // GroupCommit continuations not yet resumed
    static let jobsInWork = Atomic<Int>(0)       // job.work running
    static let drains = Atomic<Int>(0)           // drain loops alive
    static let gateHeld = Atomic<Int>(0)
    static let gateWaiters = Atomic<Int>(0)
    static let inlineExec = Atomic<Int>(0)       // async execute in progress
    static let inlineSleeping = Atomic<Int>(0)
    static let inlineYielding = Atomic<Int>(0)
    static let poolCommits = Atomic<Int>(0)
    static let reads = Atomic<Int>(0)            // backend.read bodies in progress
    static let pgLeaseWait = Atomic<Int>(0)
    static let pgBodies = Atomic<Int>(0)
    static let sqliteTx = Atomic<Int>(0)
    static let started: Bool = {
        guard ProcessInfo.processInfo.environment["XUNCHA_DEBUG_HANG"] != nil else { return false }
        let thread = Thread {
            while true {
                Thread.sleep(forTimeInterval: 20)
                let line = "HANGPROBE jobsWaiting=\(jobsWaiting.load(ordering: .relaxed)) jobsInWork=\(jobsInWork.load(ordering: .relaxed)) drains=\(drains.load(ordering: .relaxed)) gateHeld=\(gateHeld.load(ordering: .relaxed)) gateWaiters=\(gateWaiters.load(ordering: .relaxed)) inlineExec=\(inlineExec.load(ordering: .relaxed)) sleeping=\(inlineSleeping.load(ordering: .relaxed)) yielding=\(inlineYielding.load(ordering: .relaxed)) poolCommits=\(poolCommits.load(ordering: .relaxed)) reads=\(reads.load(ordering: .relaxed)) pgLeaseWait=\(pgLeaseWait.load(ordering: .relaxed)) pgBodies=\(pgBodies.load(ordering: .relaxed)) sqliteTx=\(sqliteTx.load(ordering: .relaxed))\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        thread.start()
        return true
    }()
}
