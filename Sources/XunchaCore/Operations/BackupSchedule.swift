import Foundation

/// 定时备份: once a day at a time of day in China Standard Time, keeping the newest `keep` backups.
public struct BackupSchedule: Sendable, Equatable {
    public var hour: Int
    public var minute: Int
    public var keep: Int

    /// "02:30" → 2:30; nil for anything that is not a time of day.
    public init?(time: String, keep: Int) {
        let parts = time.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute), keep >= 1
        else { return nil }
        self.hour = hour
        self.minute = minute
        self.keep = keep
    }

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar
    }

    /// The first moment after `now` at the schedule's time of day.
    public func nextRun(after now: Date) -> Date {
        let calendar = Self.calendar
        var parts = calendar.dateComponents([.year, .month, .day], from: now)
        parts.hour = hour
        parts.minute = minute
        let today = calendar.date(from: parts)!
        return today > now ? today : calendar.date(byAdding: .day, value: 1, to: today)!
    }

    /// A backup's folder name, sortable by when it was taken: "xuncha-20261207-023000".
    public static func folderName(at moment: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: moment)
        return String(format: "xuncha-%04d%02d%02d-%02d%02d%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }

    /// Of the folders in a backup directory, those to remove so that `keep` finished backups
    /// remain: the oldest finished ones beyond `keep`. Folders not named by `folderName` are
    /// the operator's and never touched.
    public func toRemove(finished: [String]) -> [String] {
        let ours = finished.filter { $0.hasPrefix("xuncha-") && $0.count == "xuncha-20261207-023000".count }.sorted()
        return Array(ours.dropLast(keep))
    }
}
