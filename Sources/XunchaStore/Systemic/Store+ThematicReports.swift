import Foundation
import SQLKit
import XunchaCore

/// 专题报告 to a functional department: created by the office from a selection of systemic
/// problems (linked to the findings they name), worded by the office for the department, sent,
/// answered by the department with the rules it established or revised (rows of
/// `rule_improvements`, linked back), closed by the office. A department's accounts read only the
/// reports sent to their unit, and of each problem only the office's wording.
///
/// Only a paper already in its unit's issued feedback may be selected (`ThematicReportRows.fedBack`),
/// checked when drafting and again when sending: the rule sits where a paper enters the report, so a
/// report once sent is a fixed document and no reader's view depends on later events.
extension Store {
    public func createThematicReport(_ draft: ThematicReportDraft, origin: RequestOrigin) async throws -> ThematicReport {
        let actor = origin.actor
        try policy.requireAnywhere(actor, .manageThematicReports)
        let valid = try draft.validated()
        let scope = policy.scope(actor, .manageThematicReports)
        let filter = SystemicQuery(roundID: valid.roundID, year: valid.year).statisticsFilter
        let now = clock.now()
        let id = ids.next()
        try await database.transaction { db in
            let where_ = try await StatisticsSQL.make(scope: scope, filter: filter, asOf: self.asOf(filter), actor: actor, on: db)
            let jurisdiction = try SystemicSQL.committee(where_)
            guard let department = try await UnitRows.find(valid.departmentUnitID!, on: db), department.jurisdictionID == jurisdiction else {
                throw DomainError.invalid(
                    "unknown_department", "职能部门须为本级单位名录中的单位", english: "department is not a unit of the committee", field: "department_unit_id")
            }
            if let round = valid.roundID {
                guard try await db.raw("SELECT id FROM rounds WHERE id = \(bind: round.text) AND jurisdiction_id = \(bind: jurisdiction.text)").first() != nil else {
                    throw DomainError.invalid("unknown_round", "轮次不存在", english: "unknown round", field: "round_id")
                }
            }
            let condition = SystemicSQL.analysed(where_)
            // Every finding carrying a selected item, and every finding selected by its text, must be
            // one the office may analyse under the same round and year; otherwise nothing is written.
            var unitOf: [UUID: UUID] = [:]
            if !valid.items.isEmpty {
                var found = Set<ClassificationItemKey>()
                var fedBack = Set<ClassificationItemKey>()
                for row in try await db.raw(
                    """
                    SELECT f.id, f.unit_id, t.scheme_id, t.entry_code, CAST(CASE WHEN
                    """ + " " + ThematicReportRows.fedBack + " " + """
                    THEN 1 ELSE 0 END AS BIGINT) AS fed_back FROM findings f JOIN finding_tags t ON t.finding_id = f.id
                    WHERE t.scheme_id IN (\(binds: Array(Set(valid.items.map(\.schemeID))))) AND t.entry_code IN (\(binds: Array(Set(valid.items.map(\.entryCode))))) AND
                    """ + " " + condition
                ).all() {
                    let key = ClassificationItemKey(schemeID: try row.string("scheme_id"), entryCode: try row.string("entry_code"))
                    guard valid.items.contains(key) else { continue }
                    found.insert(key)
                    // An item brings in only the papers already fed back to their units.
                    guard try row.flag("fed_back") else { continue }
                    fedBack.insert(key)
                    unitOf[try row.uuid("id")] = try row.uuid("unit_id")
                }
                if let missing = valid.items.first(where: { !found.contains($0) }) {
                    throw DomainError.invalid(
                        "unknown_item", "分类项目“\(missing.entryCode)”在所选范围内没有已认定的问题", english: "no analysed finding carries \(missing.text)", field: "items")
                }
                if let early = valid.items.first(where: { !fedBack.contains($0) }) {
                    throw DomainError.invalid(
                        "feedback_not_issued", "分类项目“\(early.entryCode)”下的问题所在单位尚未印发反馈意见，暂不能写入专题报告",
                        english: "no finding carrying \(early.text) is in an issued feedback yet", field: "items")
                }
            }
            if !valid.findingIDs.isEmpty {
                let rows = try await db.raw(
                    "SELECT f.id, f.unit_id, f.title, CAST(CASE WHEN " + ThematicReportRows.fedBack + " THEN 1 ELSE 0 END AS BIGINT) AS fed_back FROM findings f WHERE f.id IN ("
                        + "\(binds: valid.findingIDs.map(\.text))) AND " + condition
                ).all()
                guard rows.count == valid.findingIDs.count else {
                    throw DomainError.invalid(
                        "finding_out_of_reach", "所选问题须为本级所选范围内已认定为立行立改或限期整改的问题", english: "a selected finding is not one the office may analyse",
                        field: "finding_ids")
                }
                if let early = try rows.first(where: { try !$0.flag("fed_back") }) {
                    throw DomainError.invalid(
                        "feedback_not_issued", "问题“\(try early.string("title"))”所在单位的反馈意见尚未印发，暂不能写入专题报告",
                        english: "a selected finding is not in an issued feedback yet", field: "finding_ids")
                }
                for row in rows { unitOf[try row.uuid("id")] = try row.uuid("unit_id") }
            }
            try await db.raw(
                """
                INSERT INTO thematic_reports (jurisdiction_id, id, title, body, department_unit_id, round_id, year, status, created_by, created_at, updated_at, version)
                VALUES (\(bind: jurisdiction.text), \(bind: id.text), \(bind: valid.title), \(bind: valid.body), \(bind: department.id.text),
                    \(bind: valid.roundID?.text), \(bind: valid.year), \(bind: ThematicReportStatus.draft.rawValue), \(bind: actor.displayName),
                    \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
                """
            ).run()
            for item in valid.items {
                try await db.raw(
                    """
                    INSERT INTO thematic_report_items (jurisdiction_id, report_id, scheme_id, entry_code)
                    VALUES (\(bind: jurisdiction.text), \(bind: id.text), \(bind: item.schemeID), \(bind: item.entryCode))
                    """
                ).run()
            }
            for (finding, unit) in unitOf.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                try await db.raw(
                    """
                    INSERT INTO thematic_report_findings (jurisdiction_id, report_id, finding_id, unit_id)
                    VALUES (\(bind: jurisdiction.text), \(bind: id.text), \(bind: finding.text), \(bind: unit.text))
                    """
                ).run()
            }
            try await self.audit.append(
                AuditEvent(
                    action: .thematicReportDrafted, targetType: "thematic_report", targetID: id.text, jurisdictionID: jurisdiction,
                    detail: "《\(valid.title)》致\(department.name)，分类项目\(valid.items.count)个，问题\(unitOf.count)个，涉及\(Set(unitOf.values).count)个单位"),
                origin: origin, at: now, on: db)
        }
        return try await thematicReport(id, for: actor)
    }

    /// One report as the actor may read it: a department gets it without the papers' ids.
    public func thematicReport(_ id: UUID, for actor: Actor) async throws -> ThematicReport {
        let scope = policy.scope(actor, .viewThematicReports)
        return try await database.read { db in try await ThematicReportRows.load(id, scope: scope, on: db) }
    }

    /// The reports the actor may see, newest first.
    public func thematicReports(_ query: ThematicReportQuery = .init(), page: PageRequest = .init(), for actor: Actor) async throws -> Page<ThematicReportSummary> {
        try policy.requireAnywhere(actor, .viewThematicReports)
        var sql: SQLQueryString =
            """
            SELECT r.id, r.title, r.status, r.created_at, r.sent_at, u.name AS department_name,
            (SELECT COUNT(*) FROM thematic_report_findings l WHERE l.report_id = r.id) AS problem_count,
            (SELECT COUNT(DISTINCT l.unit_id) FROM thematic_report_findings l WHERE l.report_id = r.id) AS unit_count,
            (SELECT COUNT(*) FROM thematic_report_rules k WHERE k.report_id = r.id) AS rule_count
            FROM thematic_reports r JOIN units u ON u.id = r.department_unit_id WHERE
            """
        sql += " " + ThematicReportRows.scope(policy.scope(actor, .viewThematicReports))
        if let status = query.status { sql += " AND r.status = \(bind: status.rawValue)" }
        return try await database.newestFirst(sql, page: page, alias: "r", time: \.createdAt, id: \.id) { row in
            ThematicReportSummary(
                id: try row.uuid("id"), title: try row.string("title"), departmentName: try row.string("department_name"),
                status: try row.code("status", or: .draft), problemCount: try row.int("problem_count"),
                unitCount: try row.int("unit_count"), ruleChangeCount: try row.int("rule_count"), createdAt: try row.date("created_at"),
                sentAt: try row.optionalDate("sent_at"))
        }
    }

    /// The office words problems of a draft for the department (问题表述) and chooses, problem by
    /// problem, whether to name the unit. Only the office, only while a draft; the source texts stay
    /// the office's and the leading group's.
    public func wordThematicProblems(_ wordings: [ThematicWording], on id: UUID, version: Int, origin: RequestOrigin) async throws -> ThematicReport {
        let valid = try ThematicWording.validated(wordings)
        let now = clock.now()
        try await database.transaction { db in
            let before = try await ThematicReportRows.load(id, scope: self.policy.scope(origin.actor, .viewThematicReports), on: db)
            guard try await self.thematicStanding(origin.actor, report: before, on: db).mayManage else { throw DomainError.forbidden }
            guard before.status == .draft else {
                throw DomainError(
                    .conflict, code: "thematic_report_sent", message: "专题报告已送出，问题表述不能再修改", english: "only a draft is worded", field: "problems")
            }
            guard before.version == version else { throw DomainError.staleVersion }
            let linked = Set(before.problems.compactMap(\.findingID))
            guard valid.allSatisfy({ linked.contains($0.findingID) }) else {
                throw DomainError.invalid("unknown_problem", "所改写的问题不在本专题报告中", english: "a worded finding is not in the report", field: "problems")
            }
            for item in valid {
                try await db.raw(
                    """
                    UPDATE thematic_report_findings SET wording = \(bind: item.wording), names_unit = \(bind: item.namesUnit ? 1 : 0)
                    WHERE report_id = \(bind: id.text) AND finding_id = \(bind: item.findingID.text)
                    """
                ).run()
            }
            try await VersionedRow.update("thematic_reports", id: id, version: before.version, at: now, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: .thematicReportWorded, targetType: "thematic_report", targetID: id.text, jurisdictionID: before.jurisdictionID,
                    detail: "《\(before.title)》改写问题表述\(valid.count)个，其中点名单位\(valid.filter(\.namesUnit).count)个"),
                origin: origin, at: now, on: db)
        }
        return try await thematicReport(id, for: origin.actor)
    }

    func thematicStanding(_ actor: Actor, report: ThematicReport, on db: any SQLDatabase) async throws -> ThematicReportStanding {
        guard var location = try await location(ofJurisdiction: report.jurisdictionID, on: db) else { return ThematicReportStanding() }
        location.unitID = report.departmentUnitID
        return ThematicReportStanding(
            mayManage: policy.allows(actor, .manageThematicReports, at: location), mayRecordRuleChange: policy.allows(actor, .recordThematicRuleChanges, at: location))
    }
}

/// The 专题报告's chain in the store: the office sends and closes, the addressed department (or
/// the office on its behalf) records the rules it set, as a rule improvement linked to the report.
extension ThematicReportLifecycle: StoredLifecycle {
    public static let table = "thematic_reports"
    public static let auditAction = AuditAction.thematicReportStep

    /// 送职能部门 issues the 专题报告.
    public static func issuedDocuments(by step: ThematicReportStep, of report: ThematicReport) -> [DocumentKind] { step == .send ? [.thematicReport] : [] }

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> ThematicReport {
        try await ThematicReportRows.load(id, scope: store.policy.scope(actor, .viewThematicReports), on: db)
    }

    public static func standing(of actor: Actor, towards report: ThematicReport, in store: Store, on db: any SQLDatabase) async throws -> ThematicReportStanding {
        try await store.thematicStanding(actor, report: report, on: db)
    }

    public static func facts(
        for step: ThematicReportStep, on report: ThematicReport, input: ThematicStepInput, origin: RequestOrigin, context: StepContext, in store: Store, on db: any SQLDatabase
    ) async throws -> String? {
        step == .send ? try await ThematicReportRows.unfedBack(report.id, on: db) : nil
    }

    public static func columns(of report: ThematicReport) -> [(name: String, value: StepColumn)] {
        [("status", .text(report.status.rawValue)), ("sent_at", .date(report.sentAt)), ("closed_at", .date(report.closedAt))]
    }

    public static func label(of report: ThematicReport) -> String { "《\(report.title)》" }

    /// A rule change is a rule improvement adopted by the department, linked to the report.
    public static func written(
        _ step: ThematicReportStep, from before: ThematicReport, to outcome: StepOutcome<ThematicReport>, input: ThematicStepInput, facts: String?,
        origin: RequestOrigin, time: StepTime, in store: Store, on db: any SQLDatabase
    ) async throws {
        guard step == .recordRuleChange, let change = try input.ruleChange?.validated(today: time.occurredOn) else { return }
        let now = time.at
        let ruleID = store.ids.next()
        try await db.raw(
            """
            INSERT INTO rule_improvements (jurisdiction_id, id, unit_id, adopting_body, title, kind, document_number, adopted_on, adopted_year, description,
                recorded_by, created_at, updated_at, version)
            VALUES (\(bind: before.jurisdictionID.text), \(bind: ruleID.text), \(bind: before.departmentUnitID.text), NULL, \(bind: change.title),
                \(bind: change.kind.rawValue), \(bind: change.documentNumber), \(bind: change.adoptedOn.description), \(bind: change.adoptedOn.year),
                \(bind: change.description), \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO thematic_report_rules (jurisdiction_id, report_id, rule_improvement_id)
            VALUES (\(bind: before.jurisdictionID.text), \(bind: before.id.text), \(bind: ruleID.text))
            """
        ).run()
        try await store.audit.append(
            AuditEvent(
                action: .ruleImprovementRecorded, targetType: "rule_improvement", targetID: ruleID.text, jurisdictionID: before.jurisdictionID,
                detail: "\(before.departmentName)\(change.kind.title)《\(change.title)》，答复专题报告《\(before.title)》"),
            origin: origin, at: time.recordedAt, on: db)
    }
}

enum ThematicReportRows {
    /// The paper `f` has reached its own unit in an issued 反馈意见: as a problem of the list, or, for a
    /// 立行立改 paper (never in the list: the unit had it by the 立行立改通知), once the feedback of its
    /// assignment is issued.
    static let fedBack: SQLQueryString = """
        (EXISTS (SELECT 1 FROM feedback_problems fp JOIN feedbacks fb ON fb.id = fp.feedback_id WHERE fp.finding_id = f.id AND fb.status = 'issued')
        OR (f.disposition = 'immediate' AND EXISTS (SELECT 1 FROM feedbacks fb WHERE fb.assignment_id = f.assignment_id AND fb.status = 'issued')))
        """

    /// Sending re-checks the rule over the report's papers, at the moment the department starts to
    /// read: the title of the first paper not yet in an issued feedback.
    static func unfedBack(_ id: UUID, on db: any SQLDatabase) async throws -> String? {
        try await db.raw(
            "SELECT f.title FROM thematic_report_findings l JOIN findings f ON f.id = l.finding_id WHERE l.report_id = \(bind: id.text) AND NOT " + fedBack
                + " ORDER BY f.title LIMIT 1"
        ).first()?.string("title")
    }

    /// The office and the leading group their committee's reports; a unit account the reports sent
    /// to its own unit (it is the addressed department), never a draft.
    static func scope(_ scope: Scope) -> SQLQueryString {
        if case .unit(let jurisdiction, let unit) = scope {
            return """
                r.jurisdiction_id = \(bind: jurisdiction.text) AND r.department_unit_id = \(bind: unit.text)
                AND r.status IN (\(binds: ThematicReportStatus.visibleToDepartment.map(\.rawValue)))
                """
        }
        return ScopeSQL.filter(scope, jurisdictionColumn: "r.jurisdiction_id")
    }

    static func load(_ id: UUID, scope: Scope, on db: any SQLDatabase) async throws -> ThematicReport {
        guard
            let row = try await db.raw(
                "SELECT r.*, u.name AS department_name FROM thematic_reports r JOIN units u ON u.id = r.department_unit_id WHERE r.id = \(bind: id.text) AND "
                    + self.scope(scope)
            ).first()
        else { throw DomainError.notFound }
        // The department reads the office's wording and the units the office chose to name; the
        // papers' texts, ids and the other units never leave the office and the leading group. The
        // SQL itself leaves them out, so nothing downstream can show them by mistake.
        var isDepartment = false
        if case .unit = scope { isDepartment = true }
        let named: SQLQueryString = isDepartment ? " AND l.names_unit = 1" : ""
        let problems: [ThematicProblem]
        if isDepartment {
            problems = try await db.raw(
                """
                SELECT l.wording, l.names_unit, CASE WHEN l.names_unit = 1 THEN u.name END AS unit_name FROM thematic_report_findings l
                JOIN units u ON u.id = l.unit_id
                WHERE l.report_id = \(bind: id.text) AND l.wording IS NOT NULL ORDER BY l.names_unit DESC, unit_name, l.wording, l.finding_id
                """
            ).all().map { row in
                ThematicProblem(
                    findingID: nil, unitName: try row.optionalString("unit_name"), title: nil, manifestation: nil, wording: try row.optionalString("wording"),
                    namesUnit: try row.flag("names_unit"))
            }
        } else {
            problems = try await db.raw(
                """
                SELECT l.finding_id, l.wording, l.names_unit, u.name AS unit_name, f.title, f.manifestation FROM thematic_report_findings l
                JOIN findings f ON f.id = l.finding_id JOIN units u ON u.id = l.unit_id
                WHERE l.report_id = \(bind: id.text) ORDER BY u.name, l.unit_id, f.title, l.finding_id
                """
            ).all().map { row in
                ThematicProblem(
                    findingID: try row.uuid("finding_id"), unitName: try row.string("unit_name"), title: try row.string("title"),
                    manifestation: try row.string("manifestation"), wording: try row.optionalString("wording"), namesUnit: try row.flag("names_unit"))
            }
        }
        let units = try await db.raw(
            """
            SELECT l.unit_id, MAX(u.name) AS unit_name, COUNT(*) AS finding_count FROM thematic_report_findings l JOIN units u ON u.id = l.unit_id
            WHERE l.report_id = \(bind: id.text)
            """ + named + " GROUP BY l.unit_id ORDER BY unit_name, l.unit_id"
        ).all().map { AffectedUnit(unitID: try $0.uuid("unit_id"), unitName: try $0.string("unit_name"), findings: try $0.int("finding_count")) }
        var items = try await db.raw(
            """
            SELECT i.scheme_id, i.entry_code, s.title AS family_title, COALESCE(e.title, i.entry_code) AS title, COALESCE(e.position, 0) AS position
            FROM thematic_report_items i JOIN classification_schemes s ON s.id = i.scheme_id
            LEFT JOIN classification_entries e ON e.scheme_id = i.scheme_id AND e.code = i.entry_code
            WHERE i.report_id = \(bind: id.text) ORDER BY i.scheme_id, position, i.entry_code
            """
        ).all().map { row in
            ThematicItem(
                key: ClassificationItemKey(schemeID: try row.string("scheme_id"), entryCode: try row.string("entry_code")), familyTitle: try row.string("family_title"),
                title: try row.string("title"), units: [])
        }
        if !items.isEmpty {
            var byItem: [ClassificationItemKey: [AffectedUnit]] = [:]
            for row in try await db.raw(
                """
                SELECT i.scheme_id, i.entry_code, l.unit_id, MAX(u.name) AS unit_name, COUNT(*) AS finding_count FROM thematic_report_items i
                JOIN thematic_report_findings l ON l.report_id = i.report_id
                JOIN finding_tags t ON t.finding_id = l.finding_id AND t.scheme_id = i.scheme_id AND t.entry_code = i.entry_code
                JOIN units u ON u.id = l.unit_id
                WHERE i.report_id = \(bind: id.text)
                """ + named + " GROUP BY i.scheme_id, i.entry_code, l.unit_id ORDER BY unit_name, l.unit_id"
            ).all() {
                let key = ClassificationItemKey(schemeID: try row.string("scheme_id"), entryCode: try row.string("entry_code"))
                byItem[key, default: []].append(AffectedUnit(unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), findings: try row.int("finding_count")))
            }
            for index in items.indices { items[index].units = byItem[items[index].key] ?? [] }
        }
        let jurisdiction = try row.uuid("jurisdiction_id")
        let rules = try await RuleImprovementRows.load(
            RuleImprovementRows.select
                + " WHERE r.id IN (SELECT k.rule_improvement_id FROM thematic_report_rules k WHERE k.report_id = \(bind: id.text)) ORDER BY r.created_at, r.id",
            scope: .jurisdiction(jurisdiction), on: db)
        return ThematicReport(
            id: try row.uuid("id"), jurisdictionID: jurisdiction, title: try row.string("title"), body: try row.string("body"),
            departmentUnitID: try row.uuid("department_unit_id"), departmentName: try row.string("department_name"), roundID: try row.optionalUUID("round_id"),
            year: try row.optionalInt("year"), status: try row.code("status", or: .draft), items: items, problems: problems,
            units: units, ruleChanges: rules, createdBy: try row.string("created_by"), createdAt: try row.date("created_at"), sentAt: try row.optionalDate("sent_at"),
            closedAt: try row.optionalDate("closed_at"), version: try row.int("version"))
    }
}
