import Foundation
import SQLKit
import XunchaCore

/// 导出台账（可再导入）: a committee's ledger in the very columns its import reads, so that what
/// one installation exports another imports with the same figures — an office moving between
/// installations, merging committees, or keeping its ledger in Excel beside Xuncha.
///
/// Each row's 台账编号/编号 is the key an earlier import gave the record, else the record's own
/// number (底稿编号, 线索编号) or id. The problem list leaves out the papers handed over as leads:
/// their substance is the lead's (线索封存), and the lead register carries them (问题编号 with
/// 问题类别), so importing the register brings them back. Not carried, since no import column
/// holds them: work history, relations and training of the pools; a rule's links to problems of
/// units other than its adopter; tasks beyond a problem's first; a paper's own 四种形态 when it
/// was handed over as a lead; classifications outside the shipped schemes.
public struct LedgerSheet: Sendable {
    public var kind: LedgerKind
    /// One row per record, in `kind.columns` order.
    public var rows: [[String]]
}

extension Store {
    /// The committee's ledger of `kind`, exported by one who may import it (its permission over
    /// the whole committee, and the lead register's custodian); the export is audit-logged, as
    /// reading leads is.
    public func exportLedger(_ kind: LedgerKind, of jurisdictionID: UUID, origin: RequestOrigin) async throws -> LedgerSheet {
        let actor = origin.actor
        let cells = try await database.readAtLength { db -> [[String: String]] in
            try await self.requireImporter(kind, into: jurisdictionID, actor: actor, on: db)
            let keys = try await LedgerExportRows.keys(kind, in: jurisdictionID, on: db)
            switch kind {
            case .poolRoster: return try await LedgerExportRows.poolRoster(in: jurisdictionID, keys: keys, on: db)
            case .ruleImprovements: return try await LedgerExportRows.ruleImprovements(in: jurisdictionID, keys: keys, on: db)
            case .problemList: return try await LedgerExportRows.problemList(in: jurisdictionID, keys: keys, for: actor, policy: self.policy, on: db)
            case .leadRegister:
                let papers = try await LedgerExportRows.keys(.problemList, in: jurisdictionID, on: db)
                return try await LedgerExportRows.leadRegister(in: jurisdictionID, keys: keys, paperKeys: papers, on: db)
            }
        }
        try await record(
            AuditEvent(
                action: .ledgerExported, targetType: "jurisdiction", targetID: jurisdictionID.text, jurisdictionID: jurisdictionID,
                detail: "导出\(kind.title)：\(cells.count)条"),
            origin: origin)
        let columns = kind.columns
        return LedgerSheet(kind: kind, rows: cells.map { row in columns.map { row[$0.key] ?? "" } })
    }
}

/// The reads behind `Store.exportLedger`: one function per kind, each answering cells by column key.
enum LedgerExportRows {
    /// The keys earlier imports of `kind` gave this committee's records: record → key.
    static func keys(_ kind: LedgerKind, in jurisdictionID: UUID, on db: any SQLDatabase) async throws -> [UUID: String] {
        var keys: [UUID: String] = [:]
        for row in try await db.raw(
            """
            SELECT record_id, ledger_key FROM imported_records
            WHERE jurisdiction_id = \(bind: jurisdictionID.text) AND kind = \(bind: kind.rawValue) AND ledger_key IS NOT NULL
            """
        ).all() {
            keys[try row.uuid("record_id")] = try row.string("ledger_key")
        }
        return keys
    }

    static func day(_ date: Date?) -> String { date.map { CalendarDay($0).description } ?? "" }

    static func formTitle(_ form: Int?) -> String {
        guard let form, (1...4).contains(form) else { return "" }
        return ClassificationCatalog.fourForms.entries[form - 1].title
    }

    // MARK: Pools

    static func poolRoster(in jurisdictionID: UUID, keys: [UUID: String], on db: any SQLDatabase) async throws -> [[String: String]] {
        try await db.raw("SELECT * FROM inspectors WHERE jurisdiction_id = \(bind: jurisdictionID.text) ORDER BY name, id").all().map { row in
            let inspector = try InspectorRows.decode(row)
            let pools = [inspector.inLeaderPool ? "组长库" : nil, inspector.inTalentPool ? "人才库" : nil].compactMap { $0 }
            return [
                "key": keys[inspector.id] ?? inspector.id.text, "name": inspector.name, "home_unit": inspector.homeUnitName, "post": inspector.post ?? "",
                "category": inspector.category.title, "rank": inspector.rank?.title ?? "", "pools": pools.joined(separator: "、"),
                "skills": inspector.skills.joined(separator: "、"), "available": inspector.available ? "是" : "否",
            ]
        }
    }

    // MARK: Rules

    static func ruleImprovements(in jurisdictionID: UUID, keys: [UUID: String], on db: any SQLDatabase) async throws -> [[String: String]] {
        let rules = try await RuleImprovementRows.load(
            RuleImprovementRows.select + " WHERE r.jurisdiction_id = \(bind: jurisdictionID.text) ORDER BY r.adopted_on, r.id", scope: .jurisdiction(jurisdictionID), on: db)
        return rules.map { rule in
            // The import links problems by their numbers in the adopter's latest feedback.
            let numbers = rule.problems.filter { $0.unitID == rule.unitID }.map(\.sequence).sorted()
            return [
                "key": keys[rule.id] ?? rule.id.text, "title": rule.title, "kind": rule.kind.title, "scope": rule.scope.title, "document_number": rule.documentNumber ?? "",
                "adopted_on": rule.adoptedOn.description, "adopter": rule.unitName ?? rule.adoptingBody ?? "", "description": rule.description,
                "problems": numbers.map(String.init).joined(separator: "、"), "immediates": rule.immediates.map(\.number).joined(separator: "、"),
            ]
        }
    }

    // MARK: Places

    /// Each assignment of the committee as a ledger names it: 被巡察单位, 巡察轮次, 批次, 巡察组.
    static func places(in jurisdictionID: UUID, on db: any SQLDatabase) async throws -> [UUID: [String: String]] {
        var places: [UUID: [String: String]] = [:]
        for row in try await db.raw(AssignmentRows.select + " WHERE a.jurisdiction_id = \(bind: jurisdictionID.text)").all() {
            places[try row.uuid("id")] = [
                "unit": try row.string("unit_name"), "round": RoundReference(term: try row.string("term"), sequence: try row.int("sequence")).description,
                "batch": "第\(try row.int("batch_sequence"))批", "group": try row.string("group_name"),
            ]
        }
        return places
    }

    // MARK: Problems

    /// Every disposed paper but those handed over as leads, in an order that numbers again as it
    /// was numbered here: 立行立改 by notice number (notices are numbered in import order), then
    /// 限期整改 unit by unit in their feedback's order (an imported feedback lists its problems in
    /// file order), then the rest by day.
    static func problemList(in jurisdictionID: UUID, keys: [UUID: String], for actor: Actor, policy: AccessPolicy, on db: any SQLDatabase) async throws -> [[String: String]] {
        let places = try await places(in: jurisdictionID, on: db)
        let findings = try await FindingRows.load(
            FindingRows.select(for: actor, policy: policy)
                + " WHERE f.jurisdiction_id = \(bind: jurisdictionID.text) AND f.disposition IS NOT NULL AND f.disposition <> \(bind: Disposition.lead.rawValue)",
            on: db)
        let ids = findings.map(\.id.text)
        guard !ids.isEmpty else { return [] }
        var immediates: [UUID: any SQLRow] = [:]
        for row in try await db.raw("SELECT * FROM immediate_rectifications WHERE finding_id IN (\(binds: ids)) AND status <> 'withdrawn'").all() {
            immediates[try row.uuid("finding_id")] = row
        }
        // A problem's first task, and the day its closure was last requested (已完成).
        var tasks: [UUID: (sequence: Int, row: any SQLRow)] = [:]
        for row in try await db.raw(
            """
            SELECT fp.finding_id, fp.sequence AS problem_sequence, t.*,
                (SELECT MAX(s.occurred_on) FROM record_steps s WHERE s.record_id = t.id AND s.step = 'request_closure') AS requested_on
            FROM feedback_problems fp JOIN rectification_tasks t ON t.problem_id = fp.id
            WHERE fp.finding_id IN (\(binds: ids)) ORDER BY t.sequence DESC
            """
        ).all() {
            tasks[try row.uuid("finding_id")] = (try row.int("problem_sequence"), row)
        }
        var rows: [(order: [String], cells: [String: String])] = []
        for finding in findings where !finding.isSealed {
            guard let disposition = finding.disposition else { continue }
            var cells = places[finding.assignmentID] ?? [:]
            cells["key"] = keys[finding.id] ?? finding.number ?? finding.id.text
            cells["problem"] = finding.content.manifestation
            cells["title"] = finding.content.title
            cells["classification"] = ProblemListImportPlan.classificationText(finding.tags)
            cells["form"] = formTitle(finding.tags.first { $0.scheme == ClassificationCatalog.fourForms.code }.flatMap { tag in
                ClassificationCatalog.fourForms.entries.firstIndex { $0.code == tag.entry }.map { $0 + 1 }
            })
            cells["disposition"] = disposition.title
            cells["disposition_note"] = finding.dispositionNote ?? ""
            cells["recorded_on"] = day(finding.approvedAt)
            var order = ["2", cells["recorded_on"] ?? "", cells["key"] ?? ""]
            if disposition == .immediate, let item = immediates[finding.id] {
                let number = try item.optionalString("number") ?? ""
                order = ["0", String(format: "%06d", number.count), number]
                cells["measures"] = try item.optionalString("measures") ?? ""
                switch try item.string("status") {
                case ImmediateStatus.closed.rawValue: (cells["status"], cells["closed_on"]) = (LedgerProgress.Stage.closed.title, day(try item.optionalDate("closed_at")))
                case ImmediateStatus.reported.rawValue: (cells["status"], cells["closed_on"]) = (LedgerProgress.Stage.completed.title, day(try item.optionalDate("reported_at")))
                default: cells["status"] = LedgerProgress.Stage.underway.title
                }
            }
            if disposition == .deadline, let (sequence, task) = tasks[finding.id] {
                order = ["1", cells["unit"] ?? "", String(format: "%06d", sequence)]
                cells["leader"] = try task.string("responsible_leader")
                cells["department"] = try task.string("responsible_department")
                cells["cadre"] = try task.string("responsible_cadre")
                cells["measures"] = try task.string("measures")
                cells["deadline"] = try task.string("deadline")
                switch try task.string("status") {
                case TaskStatus.closed.rawValue: (cells["status"], cells["closed_on"]) = (LedgerProgress.Stage.closed.title, day(try task.optionalDate("closed_at")))
                case TaskStatus.closureRequested.rawValue:
                    (cells["status"], cells["closed_on"]) = (LedgerProgress.Stage.completed.title, try task.optionalString("requested_on") ?? "")
                default: cells["status"] = LedgerProgress.Stage.underway.title
                }
            }
            rows.append((order, cells))
        }
        return rows.sorted { $0.order.lexicographicallyPrecedes($1.order) }.map(\.cells)
    }

    // MARK: Leads

    /// Every lead but those withdrawn with their paper's disposition; one handed over from a paper
    /// names it (问题编号) and carries its 问题类别, so the register brings the paper back too.
    static func leadRegister(in jurisdictionID: UUID, keys: [UUID: String], paperKeys: [UUID: String], on db: any SQLDatabase) async throws -> [[String: String]] {
        let places = try await places(in: jurisdictionID, on: db)
        let leads = try await db.raw(
            LeadRows.select + " WHERE l.jurisdiction_id = \(bind: jurisdictionID.text) AND l.status <> \(bind: LeadStatus.withdrawn.rawValue) ORDER BY l.created_at, l.id"
        ).all().map(LeadRows.decode)
        var papers: [UUID: Finding] = [:]
        let paperIDs = leads.compactMap(\.findingID)
        if !paperIDs.isEmpty {
            for finding in try await FindingRows.load(
                "SELECT f.*, u.name AS unit_name, 0 AS sealed FROM findings f JOIN units u ON u.id = f.unit_id WHERE f.id IN (\(binds: paperIDs.map(\.text)))", on: db)
            {
                papers[finding.id] = finding
            }
        }
        var committees: [UUID: String] = [:]
        for row in try await db.raw("SELECT id, name FROM jurisdictions WHERE id IN (\(binds: Set(leads.compactMap(\.receiverJurisdictionID)).map(\.text) + [""]))").all() {
            committees[try row.uuid("id")] = try row.string("name")
        }
        var remarks: [UUID: String] = [:]
        let dismissed = leads.filter { $0.status == .dismissed }.map(\.id.text)
        if !dismissed.isEmpty {
            for row in try await db.raw("SELECT record_id, note FROM record_steps WHERE record_id IN (\(binds: dismissed)) AND step = 'dismiss'").all() {
                remarks[try row.uuid("record_id")] = try row.optionalString("note")
            }
        }
        return leads.map { lead in
            var cells = places[lead.assignmentID] ?? [:]
            cells["key"] = keys[lead.id] ?? lead.number
            if let paperID = lead.findingID {
                let paper = papers[paperID]
                cells["problem_key"] = paperKeys[paperID] ?? paper?.number ?? paperID.text
                cells["classification"] = paper.map { ProblemListImportPlan.classificationText($0.tags) } ?? ""
            } else {
                cells["source"] = lead.details.source.title
            }
            cells["content"] = lead.details.content
            cells["person_name"] = lead.details.personName
            cells["person_post"] = lead.details.personPost ?? ""
            cells["authority"] = lead.details.authority.title
            cells["subject"] = lead.details.subject.title
            cells["registered_on"] = day(lead.createdAt)
            cells["receiver"] = lead.viaStationedBody ? "派驻纪检监察组" : lead.receiver?.title ?? ""
            cells["receiving_committee"] = lead.receiverJurisdictionID.flatMap { committees[$0] } ?? ""
            cells["transfer_sheet"] = lead.transferSheet ?? ""
            cells["transferred_on"] = day(lead.transferredAt)
            cells["status"] = lead.status.title
            if let answer = lead.disposition {
                cells["method"] = answer.method.title
                cells["form"] = formTitle(answer.form)
                cells["people_count"] = String(answer.peopleCount)
                cells["result"] = answer.result
            }
            cells["answered_on"] = day(lead.answeredAt)
            cells["closed_on"] = day(lead.closedAt)
            cells["remark"] = remarks[lead.id] ?? ""
            return cells
        }
    }
}
