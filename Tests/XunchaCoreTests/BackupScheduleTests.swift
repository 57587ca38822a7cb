import Foundation
import Testing
@testable import XunchaCore

@Suite struct BackupScheduleTests {
    /// 2026-12-07 01:00 in Beijing is 2026-12-06 17:00 UTC.
    let beforeDawn = Date(timeIntervalSince1970: 1_796_576_400)

    @Test func theNextRunIsTodaysTimeIfStillAheadOtherwiseTomorrows() throws {
        let schedule = try #require(BackupSchedule(time: "02:30", keep: 7))
        let next = schedule.nextRun(after: beforeDawn)
        #expect(next.timeIntervalSince(beforeDawn) == 90 * 60)
        #expect(schedule.nextRun(after: next).timeIntervalSince(next) == 24 * 3600, "not the same moment again")
        #expect(BackupSchedule.folderName(at: next) == "xuncha-20261207-023000")
    }

    @Test func aTimeOfDayOrKeepThatIsNotOneIsRefused() {
        for time in ["2:30pm", "24:00", "02:60", "", "0230"] { #expect(BackupSchedule(time: time, keep: 7) == nil, "\(time)") }
        #expect(BackupSchedule(time: "02:30", keep: 0) == nil)
    }

    @Test func theOldestFinishedBackupsBeyondKeepAreRemovedAndNothingElse() throws {
        let schedule = try #require(BackupSchedule(time: "02:30", keep: 2))
        let folders = ["xuncha-20261205-023000", "xuncha-20261207-023000", "xuncha-20261206-023000", "before-upgrade", "xuncha-manual"]
        #expect(schedule.toRemove(finished: folders) == ["xuncha-20261205-023000"])
        #expect(schedule.toRemove(finished: ["xuncha-20261205-023000"]).isEmpty)
    }
}
