import Foundation

/// 本级参数: the rules a committee sets for its own inspection work. Defaults follow the most
/// common local practice; a committee that has none on record works with the defaults.
public struct JurisdictionSettings: Sendable, Equatable {
    /// 一托N default for new rounds: the most units one group inspects in one batch.
    public var maxUnitsPerGroup: Int
    /// The 回避 rule "worked at the unit within N years"; 0 (the default) flags a former post at
    /// any time, since a missed conflict costs far more than a warning the office overrides.
    public var recentWorkYears: Int
    /// Months a receiving body has to feed back on a transferred lead (3 under the 2015/2017 rules).
    public var leadFeedbackMonths: Int = 3
    /// 报告审议流程: the stages a report climbs before the committee's decision.
    public var reportChain: [ReportStage] = ReportChain.standard
    /// 整改任务预警: days before a deadline at which a task turns green and yellow.
    public var warnings: WarningThresholds = .standard
    /// Months after feedback within which the unit reports on its rectification (2 under the older rules).
    public var rectificationReportMonths: Int = 2
    /// 普遍性问题: the fewest distinct units whose findings must carry a classification item (or read
    /// alike) before it is listed as systemic.
    public var systemicUnitThreshold: Int = SystemicAnalysis.defaultUnitThreshold
    /// 补录期限: how many days back a step may be dated (业务日期) without saying why.
    public var backfillDays: Int = Self.defaultBackfillDays
    /// Whether the committee has set up its 巡察工作领导小组 and its 巡察机构 (巡察办), as it records.
    public var organisation = InspectionOrganisation()
    /// 保管期限表: how long the archive keeps each kind of document (立卷归档).
    public var retention: RetentionSchedule = .customary
    /// 0 for defaults never saved; the optimistic-lock version otherwise.
    public var version: Int

    public static let defaultBackfillDays = 7
    public static let backfillDaysRange = 0...366

    public static let defaults = JurisdictionSettings(maxUnitsPerGroup: 3, recentWorkYears: ConflictRules.anyTime, leadFeedbackMonths: 3, version: 0)

    public init(maxUnitsPerGroup: Int, recentWorkYears: Int, leadFeedbackMonths: Int = 3, version: Int) {
        self.maxUnitsPerGroup = maxUnitsPerGroup
        self.recentWorkYears = recentWorkYears
        self.leadFeedbackMonths = leadFeedbackMonths
        self.version = version
    }

    /// The conflict rules these settings imply.
    public var conflictRules: ConflictRules { ConflictRules(recentWorkYears: recentWorkYears) }

    /// Checks a change typed by the office; missing values keep the current ones.
    public func changed(
        maxUnitsPerGroup: Int?, recentWorkYears: Int?, leadFeedbackMonths: Int? = nil, reportChain: [ReportStage]? = nil,
        warningGreenDays: Int? = nil, warningYellowDays: Int? = nil, rectificationReportMonths: Int? = nil, systemicUnitThreshold: Int? = nil,
        backfillDays: Int? = nil, organisation: InspectionOrganisation? = nil
    ) throws(DomainError) -> JurisdictionSettings {
        var next = self
        if let organisation { next.organisation = organisation }
        if let value = maxUnitsPerGroup {
            guard (1...RoundDraft.maximumUnitsPerGroup).contains(value) else {
                throw .invalid(
                    "invalid_units_per_group", "一托N的N须在1至\(RoundDraft.maximumUnitsPerGroup)之间", english: "max units per group out of range",
                    field: "max_units_per_group")
            }
            next.maxUnitsPerGroup = value
        }
        if let value = recentWorkYears {
            guard (0...20).contains(value) else {
                throw .invalid(
                    "invalid_recent_work_years", "回避年限须在0至20年之间（0为不限年限）", english: "recent_work_years must be 0-20 (0: any time)", field: "recent_work_years")
            }
            next.recentWorkYears = value
        }
        if let value = leadFeedbackMonths {
            guard (1...12).contains(value) else {
                throw .invalid("invalid_feedback_months", "线索反馈期限须在1至12个月之间", english: "lead_feedback_months must be 1-12", field: "lead_feedback_months")
            }
            next.leadFeedbackMonths = value
        }
        if let stages = reportChain { next.reportChain = try ReportChain.validate(stages) }
        if warningGreenDays != nil || warningYellowDays != nil {
            next.warnings = try WarningThresholds(greenDays: warningGreenDays ?? warnings.greenDays, yellowDays: warningYellowDays ?? warnings.yellowDays).validated()
        }
        if let value = rectificationReportMonths {
            guard (1...12).contains(value) else {
                throw .invalid(
                    "invalid_report_months", "整改情况报告时限须在1至12个月之间", english: "rectification_report_months must be 1-12", field: "rectification_report_months")
            }
            next.rectificationReportMonths = value
        }
        if let value = systemicUnitThreshold {
            let range = SystemicAnalysis.unitThresholdRange
            guard range.contains(value) else {
                throw .invalid(
                    "invalid_systemic_threshold", "普遍性问题的单位数须在\(range.lowerBound)至\(range.upperBound)之间", english: "systemic_unit_threshold must be 2-50",
                    field: "systemic_unit_threshold")
            }
            next.systemicUnitThreshold = value
        }
        if let value = backfillDays {
            let range = Self.backfillDaysRange
            guard range.contains(value) else {
                throw .invalid(
                    "invalid_backfill_days", "补录期限须在\(range.lowerBound)至\(range.upperBound)天之间", english: "backfill_days must be 0-366", field: "backfill_days")
            }
            next.backfillDays = value
        }
        return next
    }
}

/// 巡察机构设置: the bodies a committee's inspection work needs, recorded by the committee — a
/// city's year-end report says how many of its counties have each.
public struct InspectionOrganisation: Sendable, Equatable {
    /// 巡察工作领导小组 set up.
    public var hasLeadingGroup: Bool
    /// 巡察机构（巡察办）set up.
    public var hasOffice: Bool

    public init(hasLeadingGroup: Bool = false, hasOffice: Bool = false) {
        self.hasLeadingGroup = hasLeadingGroup
        self.hasOffice = hasOffice
    }
}
