import Foundation
import SQLKit
import XunchaCore

/// 本级参数: a committee's own rules for its inspection work (一托N default, 回避 years).
extension Store {
    /// The committee's settings, or the defaults when it never saved any.
    public func settings(of jurisdictionID: UUID, for actor: Actor) async throws -> JurisdictionSettings {
        try await database.read { db in
            guard let location = try await self.location(ofJurisdiction: jurisdictionID, on: db), self.policy.allows(actor, .viewJurisdictions, at: location)
            else { throw DomainError.notFound }
            guard self.policy.allows(actor, .viewRounds, at: location) || self.policy.allows(actor, .manageSettings, at: location) else {
                throw DomainError.forbidden
            }
            return try await SettingsRows.settings(of: jurisdictionID, on: db)
        }
    }

    /// Changes the committee's settings. `version` is the one the editor read (0 for defaults).
    public func changeSettings(
        of jurisdictionID: UUID, maxUnitsPerGroup: Int?, recentWorkYears: Int?, leadFeedbackMonths: Int? = nil, reportChain: [ReportStage]? = nil,
        warningGreenDays: Int? = nil, warningYellowDays: Int? = nil, rectificationReportMonths: Int? = nil, systemicUnitThreshold: Int? = nil, backfillDays: Int? = nil,
        organisation: InspectionOrganisation? = nil, retention: [String: String]? = nil, version: Int, origin: RequestOrigin
    ) async throws -> JurisdictionSettings {
        let now = clock.now()
        return try await database.transaction { db in
            _ = try await self.requireLocation(jurisdictionID, actor: origin.actor, permission: .manageSettings, on: db)
            let before = try await SettingsRows.settings(of: jurisdictionID, on: db)
            guard before.version == version else { throw DomainError.staleVersion }
            var after = try before.changed(
                maxUnitsPerGroup: maxUnitsPerGroup, recentWorkYears: recentWorkYears, leadFeedbackMonths: leadFeedbackMonths, reportChain: reportChain,
                warningGreenDays: warningGreenDays, warningYellowDays: warningYellowDays, rectificationReportMonths: rectificationReportMonths,
                systemicUnitThreshold: systemicUnitThreshold, backfillDays: backfillDays, organisation: organisation)
            if let retention { after.retention = try before.retention.changed(retention) }
            after.version = before.version + 1
            let written: [any SQLRow]
            if before.version == 0 {
                do {
                    written = try await db.raw(
                        """
                        INSERT INTO jurisdiction_settings (jurisdiction_id, max_units_per_group, recent_work_years, lead_feedback_months, report_chain,
                            warning_green_days, warning_yellow_days, rectification_report_months, systemic_unit_threshold, backfill_days, has_leading_group, has_office,
                            retention, updated_at, version)
                        VALUES (\(bind: jurisdictionID.text), \(bind: after.maxUnitsPerGroup), \(bind: after.recentWorkYears), \(bind: after.leadFeedbackMonths),
                            \(bind: SettingsRows.json(after.reportChain)), \(bind: after.warnings.greenDays), \(bind: after.warnings.yellowDays),
                            \(bind: after.rectificationReportMonths), \(bind: after.systemicUnitThreshold), \(bind: after.backfillDays),
                            \(bind: after.organisation.hasLeadingGroup ? 1 : 0), \(bind: after.organisation.hasOffice ? 1 : 0), \(bind: SettingsRows.json(after.retention)),
                            \(bind: now.epochMilliseconds), 1)
                        RETURNING jurisdiction_id
                        """
                    ).all()
                } catch where Database.isUniqueViolation(error) {
                    throw DomainError.staleVersion
                }
            } else {
                written = try await db.raw(
                    """
                    UPDATE jurisdiction_settings SET max_units_per_group = \(bind: after.maxUnitsPerGroup), recent_work_years = \(bind: after.recentWorkYears),
                        lead_feedback_months = \(bind: after.leadFeedbackMonths), report_chain = \(bind: SettingsRows.json(after.reportChain)),
                        warning_green_days = \(bind: after.warnings.greenDays), warning_yellow_days = \(bind: after.warnings.yellowDays),
                        rectification_report_months = \(bind: after.rectificationReportMonths), systemic_unit_threshold = \(bind: after.systemicUnitThreshold),
                        backfill_days = \(bind: after.backfillDays), has_leading_group = \(bind: after.organisation.hasLeadingGroup ? 1 : 0),
                        has_office = \(bind: after.organisation.hasOffice ? 1 : 0), retention = \(bind: SettingsRows.json(after.retention)), updated_at = \(bind: now.epochMilliseconds), version = \(bind: after.version)
                    WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND version = \(bind: before.version) RETURNING jurisdiction_id
                    """
                ).all()
            }
            guard written.count == 1 else { throw DomainError.staleVersion }
            try await self.audit.append(
                AuditEvent(
                    action: .settingsChanged, targetType: "jurisdiction", targetID: jurisdictionID.text, jurisdictionID: jurisdictionID,
                    detail: "一托\(after.maxUnitsPerGroup)，回避年限\(after.recentWorkYears == ConflictRules.anyTime ? "不限" : "\(after.recentWorkYears)年")，线索反馈期限\(after.leadFeedbackMonths)个月，"
                        + "预警\(after.warnings.greenDays)/\(after.warnings.yellowDays)天，整改报告\(after.rectificationReportMonths)个月，"
                        + "普遍性问题\(after.systemicUnitThreshold)个单位，补录期限\(after.backfillDays)天，"
                        + "领导小组\(after.organisation.hasLeadingGroup ? "已成立" : "未成立")，巡察机构\(after.organisation.hasOffice ? "已设立" : "未设立")"),
                origin: origin, at: now, on: db)
            return after
        }
    }
}

enum SettingsRows {
    /// The 保管期限表 as stored: only the committee's own periods, keys sorted.
    static func json(_ retention: RetentionSchedule) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(retention)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    static func json(_ chain: [ReportStage]) -> String {
        (try? JSONEncoder().encode(chain)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
    }

    static func settings(of jurisdictionID: UUID, on db: any SQLDatabase) async throws -> JurisdictionSettings {
        guard let row = try await db.raw("SELECT * FROM jurisdiction_settings WHERE jurisdiction_id = \(bind: jurisdictionID.text)").first() else {
            return .defaults
        }
        var settings = JurisdictionSettings(
            maxUnitsPerGroup: try row.int("max_units_per_group"), recentWorkYears: try row.int("recent_work_years"),
            leadFeedbackMonths: try row.int("lead_feedback_months"), version: try row.int("version"))
        settings.warnings = WarningThresholds(greenDays: try row.int("warning_green_days"), yellowDays: try row.int("warning_yellow_days"))
        settings.rectificationReportMonths = try row.int("rectification_report_months")
        settings.systemicUnitThreshold = try row.int("systemic_unit_threshold")
        settings.backfillDays = try row.int("backfill_days")
        settings.organisation = InspectionOrganisation(hasLeadingGroup: try row.int("has_leading_group") != 0, hasOffice: try row.int("has_office") != 0)
        if let text = try row.optionalString("report_chain"), let chain = try? JSONDecoder().decode([ReportStage].self, from: Data(text.utf8)), !chain.isEmpty {
            settings.reportChain = chain
        }
        if let text = try row.optionalString("retention"), let retention = try? JSONDecoder().decode(RetentionSchedule.self, from: Data(text.utf8)) {
            settings.retention = retention
        }
        return settings
    }
}
