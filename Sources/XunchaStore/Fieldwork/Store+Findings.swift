import Foundation
import SQLKit
import XunchaCore

/// A filtered, keyset-paged request for findings.
public struct FindingQuery: Sendable, Equatable {
    public var assignmentID: UUID?
    public var roundID: UUID?
    public var status: FindingStatus?
    public var disposition: Disposition?
    public var search: String?
    public var page: PageRequest

    public init(
        assignmentID: UUID? = nil, roundID: UUID? = nil, status: FindingStatus? = nil, disposition: Disposition? = nil, search: String? = nil,
        page: PageRequest = .init()
    ) {
        self.assignmentID = assignmentID
        self.roundID = roundID
        self.status = status
        self.disposition = disposition
        self.search = search
        self.page = page
    }
}

/// 问题底稿: drafted by a member of the group, reviewed at the group meeting, approved and
/// numbered by the group leader, triaged by the leader or the office.
extension Store {
    public func draftFinding(in assignmentID: UUID, content: FindingContent, tags: [ClassificationTag], origin: RequestOrigin) async throws -> Finding {
        let now = clock.now()
        let id = ids.next()
        try await database.transaction { db in
            let standing = try await self.requireRecorder(origin.actor, in: assignmentID, on: db)
            let a = standing.assignment
            let resolved = try await ClassificationRows.resolve(tags, jurisdiction: a.jurisdictionID, on: db)
            try await FindingRows.insert(id, in: a, content: content, tags: resolved, draftedBy: origin.actor.displayName, drafterID: origin.actor.userID, at: now, on: db)
            try await self.audit.append(
                AuditEvent(action: .findingDrafted, targetType: "finding", targetID: id.text, jurisdictionID: a.jurisdictionID, detail: "\(a.groupName)·\(a.unitName)"),
                origin: origin, at: now, on: db)
        }
        return try await finding(id, for: origin.actor)
    }

    /// Changes the text and tags of a draft or returned paper. `version` is the one the editor read.
    public func editFinding(_ id: UUID, content: FindingContent, tags: [ClassificationTag], version: Int, origin: RequestOrigin) async throws -> Finding {
        let now = clock.now()
        try await database.transaction { db in
            let before = try await self.visibleFinding(id, actor: origin.actor, on: db)
            _ = try await self.requireRecorder(origin.actor, in: before.assignmentID, on: db)
            guard before.status.isEditable else {
                throw DomainError(.conflict, code: "finding_not_editable", message: "底稿处于“\(before.status.title)”状态，不能修改", english: "finding is not editable")
            }
            guard before.version == version else { throw DomainError.staleVersion }
            let resolved = try await ClassificationRows.resolve(tags, jurisdiction: before.jurisdictionID, on: db)
            try await VersionedRow.update(
                "findings", id: id, version: version,
                set: """
                    title = \(bind: content.title), manifestation = \(bind: content.manifestation), basis = \(bind: content.basis),
                    evidence = \(bind: content.evidence), responsibility = \(bind: content.responsibility),
                    is_common = \(bind: content.isCommon ? 1 : 0)
                    """, at: now, on: db)
            try await db.raw("DELETE FROM finding_tags WHERE finding_id = \(bind: id.text)").run()
            try await FindingRows.writeTags(resolved, of: id, on: db)
            try await self.audit.append(
                AuditEvent(action: .findingEdited, targetType: "finding", targetID: id.text, jurisdictionID: before.jurisdictionID, detail: before.unitName),
                origin: origin, at: now, on: db)
        }
        return try await finding(id, for: origin.actor)
    }

    /// 问题处置 (a step of the paper's lifecycle): the one disposition of an approved paper.
    /// Triaging as 移交问题线索 registers the lead in the same transaction (`lead` names the person
    /// and the matter); moving away from it withdraws a lead nobody has approved yet.
    public func triage(
        _ id: UUID, as disposition: Disposition, note: String?, lead: LeadDetails? = nil, version: Int, origin: RequestOrigin, dated: BusinessDate = .today
    ) async throws -> Finding {
        try await take(
            FindingStep.triage, on: id, input: FindingStepInput(note: note, disposition: disposition, lead: lead), version: version, origin: origin, dated: dated)
    }

    /// What the paper's triage opened and stands: the lead (not withdrawn or dismissed) and the 立行立改
    /// item (not withdrawn), read from their rows — what a triage answers as `lead_id` and `immediate_id`.
    /// The caller has already read the paper as the actor.
    public func openedByTriage(of finding: Finding) async throws -> FindingFacts {
        try await database.read { db in try await FindingRows.opened(by: finding.id, on: db) }
    }

    /// One finding, if the actor may see it; otherwise not found.
    public func finding(_ id: UUID, for actor: Actor) async throws -> Finding {
        try await database.read { db in try await self.visibleFinding(id, actor: actor, on: db) }
    }

    /// A page of the findings the actor may see, newest first.
    public func findings(_ query: FindingQuery, for actor: Actor) async throws -> Page<Finding> {
        try policy.requireAnywhere(actor, .viewFieldwork)
        var sql = FindingRows.select(for: actor, policy: policy) + " WHERE "
            + FindingRows.scope(policy.scope(actor, .viewFieldwork))
        if let assignment = query.assignmentID { sql += " AND f.assignment_id = \(bind: assignment.text)" }
        if let round = query.roundID { sql += " AND f.round_id = \(bind: round.text)" }
        if let status = query.status { sql += " AND f.status = \(bind: status.rawValue)" }
        if let disposition = query.disposition { sql += " AND f.disposition = \(bind: disposition.rawValue)" }
        let (scope, threshold, engine) = (policy.scope(actor, .viewFieldwork), searchIndexThreshold, database.engine)
        return try await database.newestFirst(
            sql, page: query.page, alias: "f", time: \.createdAt, id: \.id,
            // Never the title: a sealed paper's place in a title order would tell its title.
            sortable: [
                .text("number", "COALESCE(f.number, '')") { $0.number ?? "" }, .text("unit", "u.name") { $0.unitName },
                .text("status", "f.status") { $0.status.rawValue }, .time("updated", "f.updated_at", \.updatedAt),
            ],
            load: { sql, db in try await FindingRows.load(sql, on: db) },
            refine: { db in
                guard let search = query.search else { return "" }
                // A sealed paper's text must not answer a search either: a match would tell.
                return " AND NOT " + LeadSealSQL.sealed(for: actor, policy: self.policy)
                    + (try await SearchSQL.condition(
                        search, scope: scope, table: "findings", alias: "f", index: "findings_fts", columns: ["title", "manifestation"], engine: engine,
                        threshold: threshold, on: db))
            })
    }

    func visibleFinding(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> Finding {
        let sql = FindingRows.select(for: actor, policy: policy) + " WHERE f.id = \(bind: id.text) AND "
            + FindingRows.scope(policy.scope(actor, .viewFieldwork))
        guard let found = try await FindingRows.load(sql, on: db).first else { throw DomainError.notFound }
        return found
    }
}

/// A paper in the store. Approval numbers it per committee, year and group, counted in the same
/// transaction so two approvals never share a number; triage opens the lead or the 立行立改 item
/// the disposition needs, and the lifecycles of the ones it leaves withdraw them.
extension FindingLifecycle: StoredLifecycle {
    public static let table = "findings"
    public static let auditAction = AuditAction.findingStep

    public static func auditAction(for step: FindingStep) -> AuditAction { step == .triage ? .findingTriaged : .findingStep }

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> Finding {
        try await store.visibleFinding(id, actor: actor, on: db)
    }

    public static func standing(of actor: Actor, towards finding: Finding, in store: Store, on db: any SQLDatabase) async throws -> FindingStanding {
        let group = try await store.standing(actor, in: finding.assignmentID, on: db)
        guard let location = try await store.location(ofJurisdiction: finding.jurisdictionID, on: db) else { throw DomainError.notFound }
        let office = store.policy.scope(actor, .triageFindings).contains(location)
        let leader = group?.isLeader == true
        return FindingStanding(
            isMember: group?.isMember == true, isLeader: leader, mayTriage: office || (leader && store.policy.allowsAnywhere(actor, .triageFindings)))
    }

    public static func facts(
        for step: FindingStep, on finding: Finding, input: FindingStepInput, origin: RequestOrigin, context: StepContext, in store: Store, on db: any SQLDatabase
    ) async throws -> FindingFacts {
        switch step {
        case .approve:
            guard let round = try await RoundRows.find(finding.roundID, on: db) else { throw DomainError.notFound }
            let year = context.today.year
            let sequence = try await FindingRows.nextNumber(jurisdiction: finding.jurisdictionID, year: year, group: finding.groupID, on: db)
            let group = try await AssignmentRows.find(finding.assignmentID, on: db).groupName
            return FindingFacts(number: FindingNumber.text(year: year, roundSequence: round.sequence, groupName: group, sequence: sequence))
        case .triage:
            return try await FindingRows.opened(by: finding.id, on: db)
        default:
            return FindingFacts()
        }
    }

    /// A triage opens what its disposition needs and nothing has opened yet: the 立行立改 item, or
    /// the lead (its text defaults to the paper's).
    public static func written(
        _ step: FindingStep, from before: Finding, to outcome: StepOutcome<Finding>, input: FindingStepInput, facts: FindingFacts, origin: RequestOrigin,
        time: StepTime, in store: Store, on db: any SQLDatabase
    ) async throws {
        guard step == .triage, let disposition = input.disposition, let opens = FindingLifecycle.opens(disposition, facts: facts) else { return }
        if opens == .immediate {
            try await store.insertImmediate(for: before, now: time.at, on: db)
        } else if var details = input.lead {
            details.source = .finding
            if details.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { details.content = before.content.manifestation }
            let assignment = try await AssignmentRows.find(before.assignmentID, on: db)
            _ = try await store.insertLead(assignment, finding: before.id, details: try details.validated(), origin: origin, time: time, on: db)
        }
    }

    public static func columns(of finding: Finding) -> [(name: String, value: StepColumn)] {
        [
            ("status", .text(finding.status.rawValue)), ("number", .text(finding.number)), ("meeting_opinion", .text(finding.meetingOpinion)),
            ("approved_by", .text(finding.approvedBy)), ("approved_at", .date(finding.approvedAt)), ("disposition", .text(finding.disposition?.rawValue)),
            ("disposition_note", .text(finding.dispositionNote)), ("first_triaged_at", .date(finding.firstTriagedAt)), ("triaged_at", .date(finding.triagedAt)),
            ("prior_disposition", .text(finding.priorDisposition?.rawValue)),
        ]
    }

    public static func label(of finding: Finding) -> String { finding.number ?? finding.unitName }

    /// A sealed paper's history keeps its steps but not their notes (opinions, triage reasons).
    public static func historyNote(_ note: String?, of finding: Finding) -> String? { finding.isSealed ? nil : note }
}

enum FindingRows {
    /// Every column, the unit's name, and whether the paper is sealed for this reader.
    static func select(for actor: Actor, policy: AccessPolicy) -> SQLQueryString {
        "SELECT f.*, u.name AS unit_name, " + LeadSealSQL.column(for: actor, policy: policy) + " FROM findings f JOIN units u ON u.id = f.unit_id"
    }

    /// The policy's scope: a group member reads the papers of their own assignments.
    static func scope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "f.jurisdiction_id", assignmentColumn: "f.assignment_id")
    }

    /// A draft paper of an assignment, created at `now`, with its resolved tags.
    static func insert(
        _ id: UUID, in a: AssignmentDetail, content: FindingContent, tags: [(schemeID: String, tag: ClassificationTag)], draftedBy: String, drafterID: UUID? = nil,
        at now: Date, on db: any SQLDatabase
    ) async throws {
        try await db.raw(
            """
            INSERT INTO findings (jurisdiction_id, id, assignment_id, round_id, group_id, unit_id, status, number, title, manifestation, basis,
                evidence, responsibility, is_common, disposition, disposition_note, drafted_by, meeting_opinion, approved_by, approved_at,
                created_at, updated_at, version, drafter_id)
            VALUES (\(bind: a.jurisdictionID.text), \(bind: id.text), \(bind: a.id.text), \(bind: a.roundID.text), \(bind: a.groupID.text),
                \(bind: a.unitID.text), \(bind: FindingStatus.draft.rawValue), NULL, \(bind: content.title), \(bind: content.manifestation),
                \(bind: content.basis), \(bind: content.evidence), \(bind: content.responsibility), \(bind: content.isCommon ? 1 : 0), NULL, NULL,
                \(bind: draftedBy), NULL, NULL, NULL, \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1, \(bind: drafterID?.text))
            """
        ).run()
        try await writeTags(tags, of: id, on: db)
    }

    static func writeTags(_ tags: [(schemeID: String, tag: ClassificationTag)], of finding: UUID, on db: any SQLDatabase) async throws {
        for (schemeID, tag) in tags {
            try await db.raw(
                "INSERT INTO finding_tags (finding_id, scheme_id, entry_code) VALUES (\(bind: finding.text), \(bind: schemeID), \(bind: tag.entry))"
            ).run()
        }
    }

    /// The lead and the 立行立改 item a triage of the paper opened, the ones not withdrawn or dismissed
    /// (a paper has at most one of each standing).
    static func opened(by finding: UUID, on db: any SQLDatabase) async throws -> FindingFacts {
        let lead = try await db.raw(
            "SELECT id, status FROM leads WHERE finding_id = \(bind: finding.text) AND status NOT IN ('withdrawn', 'dismissed')"
        ).first()
        let item = try await db.raw(
            "SELECT id, status FROM immediate_rectifications WHERE finding_id = \(bind: finding.text) AND status <> 'withdrawn'"
        ).first()
        return FindingFacts(
            lead: try lead.flatMap { row in try LeadStatus(rawValue: row.string("status")).map { (try row.uuid("id"), $0) } },
            immediate: try item.flatMap { row in try ImmediateStatus(rawValue: row.string("status")).map { (try row.uuid("id"), $0) } })
    }

    /// The next working-paper number of a group in a year.
    static func nextNumber(jurisdiction: UUID, year: Int, group: UUID, on db: any SQLDatabase) async throws -> Int {
        try await CounterRows.next(in: "finding_counters", keys: [("jurisdiction_id", jurisdiction.text), ("year", year), ("group_id", group.text)], on: db)
    }

    static func load(_ sql: SQLQueryString, on db: any SQLDatabase) async throws -> [Finding] {
        let rows = try await db.raw(sql).all()
        guard !rows.isEmpty else { return [] }
        let tags = try await db.grouped(
            """
            SELECT t.finding_id, s.code, s.version, t.entry_code FROM finding_tags t JOIN classification_schemes s ON s.id = t.scheme_id
            WHERE t.finding_id IN (\(binds: try rows.map { try $0.string("id") })) ORDER BY s.code, t.entry_code
            """, by: "finding_id"
        ) { row in ClassificationTag(scheme: try row.string("code"), version: try row.int("version"), entry: try row.string("entry_code")) }
        return try rows.map { row in
            let id = try row.uuid("id")
            var finding = Finding(
                id: id, jurisdictionID: try row.uuid("jurisdiction_id"), assignmentID: try row.uuid("assignment_id"), roundID: try row.uuid("round_id"),
                groupID: try row.uuid("group_id"), unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), number: try row.optionalString("number"),
                content: FindingContent(
                    title: try row.string("title"), manifestation: try row.string("manifestation"), basis: try row.string("basis"),
                    evidence: try row.optionalString("evidence"), responsibility: try row.optionalString("responsibility"), isCommon: try row.flag("is_common")),
                tags: tags[id] ?? [], status: try row.code("status", or: .draft),
                disposition: try row.optionalCode("disposition"), dispositionNote: try row.optionalString("disposition_note"),
                draftedBy: try row.string("drafted_by"), meetingOpinion: try row.optionalString("meeting_opinion"), approvedBy: try row.optionalString("approved_by"),
                approvedAt: try row.optionalDate("approved_at"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
                version: try row.int("version"))
            (finding.firstTriagedAt, finding.triagedAt) = (try row.optionalDate("first_triaged_at"), try row.optionalDate("triaged_at"))
            finding.priorDisposition = try row.optionalCode("prior_disposition")
            return try row.flag("sealed") ? finding.sealed() : finding
        }
    }
}
