import Foundation
import SQLKit
import XunchaCore

/// A filtered, keyset-paged request for on-site records.
public struct RecordQuery: Sendable, Equatable {
    public var assignmentID: UUID?
    public var kind: RecordKind?
    public var search: String?
    public var page: PageRequest

    public init(assignmentID: UUID? = nil, kind: RecordKind? = nil, search: String? = nil, page: PageRequest = .init()) {
        self.assignmentID = assignmentID
        self.kind = kind
        self.search = search
        self.page = page
    }
}

/// Where the signed-in person stands towards one assignment.
struct AssignmentStanding {
    let assignment: AssignmentDetail
    /// The person's own pool entry, when they serve in the assignment's group (pledge signed,
    /// not recused).
    let inspectorID: UUID?
    let isLeader: Bool

    var isMember: Bool { inspectorID != nil }
}

/// 进驻了解: the records a group keeps at a unit. Each read of one is logged; who petitioned is
/// stored apart and read only by the group's leader and the designated custodians.
extension Store {
    /// Records an interview, a petition, a document review or a field visit for an assignment of
    /// the actor's own group while the round is on site.
    public func recordOnSite(
        _ kind: RecordKind, content: RecordContent, inspectors: [(UUID, RecordInspector.Part)], reporter: PetitionReporter?, in assignmentID: UUID,
        origin: RequestOrigin
    ) async throws -> OnSiteRecord {
        let content = try content.validated(as: kind)
        let reporter = try kind == .petition ? (reporter ?? PetitionReporter(anonymous: true, name: nil, contact: nil)).validated() : nil
        let now = clock.now()
        let id = ids.next()
        return try await database.transaction { db in
            let standing = try await self.requireRecorder(origin.actor, in: assignmentID, on: db)
            let people = try await FieldworkRows.groupInspectors(standing.assignment, on: db)
            var named: [RecordInspector] = []
            for (inspectorID, part) in inspectors {
                guard let name = people[inspectorID] else {
                    throw DomainError.invalid(
                        "not_in_group", "承办人须为本组未回避\(standing.assignment.unitName)的成员", english: "inspector not serving on this unit", field: "inspectors")
                }
                named.append(RecordInspector(inspectorID: inspectorID, name: name, part: part))
            }
            try RecordRules.checkInspectors(named, kind: kind)
            let a = standing.assignment
            try await db.raw(
                """
                INSERT INTO onsite_records (jurisdiction_id, id, assignment_id, unit_id, kind, subject, subject_post, occurred_on, place, body,
                    interview_category, channel, reflected_person, in_scope, created_by, created_at, updated_at, version)
                VALUES (\(bind: a.jurisdictionID.text), \(bind: id.text), \(bind: a.id.text), \(bind: a.unitID.text), \(bind: kind.rawValue),
                    \(bind: content.subject), \(bind: content.subjectPost), \(bind: content.occurredOn.description), \(bind: content.place), \(bind: content.body),
                    \(bind: content.interviewCategory?.rawValue), \(bind: content.channel?.rawValue), \(bind: content.reflectedPerson),
                    \(bind: content.inScope.map { $0 ? 1 : 0 }), \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
                """
            ).run()
            for person in named {
                try await db.raw(
                    "INSERT INTO record_inspectors (record_id, inspector_id, part) VALUES (\(bind: id.text), \(bind: person.inspectorID.text), \(bind: person.part.rawValue))"
                ).run()
            }
            if let reporter {
                try await db.raw(
                    """
                    INSERT INTO petition_reporters (record_id, anonymous, name, contact)
                    VALUES (\(bind: id.text), \(bind: reporter.anonymous ? 1 : 0), \(bind: reporter.name), \(bind: reporter.contact))
                    """
                ).run()
            }
            // The log names the kind and the unit, never the content.
            try await self.audit.append(
                AuditEvent(
                    action: .recordCreated, targetType: "record", targetID: id.text, jurisdictionID: a.jurisdictionID, detail: "\(a.groupName)·\(a.unitName)：\(kind.title)"),
                origin: origin, at: now, on: db)
            return OnSiteRecord(
                id: id, jurisdictionID: a.jurisdictionID, assignmentID: a.id, unitID: a.unitID, unitName: a.unitName, kind: kind, content: content, inspectors: named,
                createdBy: origin.actor.displayName, createdAt: now, updatedAt: now, version: 1)
        }
    }

    /// A page of the records the actor may see, newest first. Pass `origin` to log petition reads
    /// with the reader's address.
    public func onSiteRecords(_ query: RecordQuery, for actor: Actor, origin: RequestOrigin? = nil) async throws -> Page<OnSiteRecord> {
        try policy.requireAnywhere(actor, .viewFieldwork)
        var sql = FieldworkRows.select + " WHERE "
            + FieldworkRows.scope(policy.scope(actor, .viewFieldwork))
        if let assignment = query.assignmentID { sql += " AND r.assignment_id = \(bind: assignment.text)" }
        if let kind = query.kind { sql += " AND r.kind = \(bind: kind.rawValue)" }
        let (scope, threshold, engine) = (policy.scope(actor, .viewFieldwork), searchIndexThreshold, database.engine)
        let page = try await database.newestFirst(
            sql, page: query.page, alias: "r", time: \.createdAt, id: \.id, load: { sql, db in try await FieldworkRows.load(sql, on: db) },
            refine: { db in
                guard let search = query.search else { return "" }
                return try await SearchSQL.condition(
                    search, scope: scope, table: "onsite_records", alias: "r", index: "records_fts", columns: ["subject", "body"], engine: engine,
                    threshold: threshold, on: db)
            })
        // A list that shows petitions is a read of them: logged, by count, without their content.
        let petitions = page.items.filter { $0.kind == .petition }
        if !petitions.isEmpty {
            try await record(
                AuditEvent(
                    action: .recordViewed, targetType: "record", targetID: petitions.count == 1 ? petitions[0].id.text : nil, jurisdictionID: actor.jurisdictionID,
                    detail: "工作记录列表中的信访件\(petitions.count)件"),
                origin: origin ?? RequestOrigin(actor: actor))
        }
        return page
    }

    /// One record, if the actor may see it; the read is logged with its reader.
    public func onSiteRecord(_ id: UUID, origin: RequestOrigin) async throws -> OnSiteRecord {
        let sql = FieldworkRows.select + " WHERE r.id = \(bind: id.text) AND "
            + FieldworkRows.scope(policy.scope(origin.actor, .viewFieldwork))
        guard let found = try await database.read({ db in try await FieldworkRows.load(sql, on: db).first }) else { throw DomainError.notFound }
        try await record(
            AuditEvent(action: .recordViewed, targetType: "record", targetID: id.text, jurisdictionID: found.jurisdictionID, detail: "\(found.unitName)：\(found.kind.title)"),
            origin: origin)
        return found
    }

    /// Who petitioned: the leader of the record's group or a designated custodian of its committee,
    /// logged. Anyone else is told the record does not exist.
    public func petitionReporter(of recordID: UUID, origin: RequestOrigin) async throws -> PetitionReporter {
        let actor = origin.actor
        let found: (PetitionReporter, UUID, String)? = try await database.read { db in
            guard let row = try await db.raw(
                """
                SELECT p.anonymous, p.name, p.contact, r.jurisdiction_id, r.assignment_id, u.name AS unit_name
                FROM petition_reporters p JOIN onsite_records r ON r.id = p.record_id JOIN units u ON u.id = r.unit_id
                WHERE p.record_id = \(bind: recordID.text)
                """
            ).first() else { return nil }
            let jurisdiction = try row.uuid("jurisdiction_id")
            guard let location = try await self.location(ofJurisdiction: jurisdiction, on: db) else { return nil }
            var allowed = self.policy.scope(actor, .viewReporterIdentity).contains(location)
            if !allowed, self.policy.allowsAnywhere(actor, .viewReporterIdentity) {
                allowed = try await self.standing(actor, in: try row.uuid("assignment_id"), on: db)?.isLeader == true
            }
            guard allowed else { return nil }
            let reporter = PetitionReporter(anonymous: try row.flag("anonymous"), name: try row.optionalString("name"), contact: try row.optionalString("contact"))
            return (reporter, jurisdiction, try row.string("unit_name"))
        }
        guard let (reporter, jurisdiction, unitName) = found else { throw DomainError.notFound }
        try await record(
            AuditEvent(action: .reporterViewed, targetType: "record", targetID: recordID.text, jurisdictionID: jurisdiction, detail: "\(unitName)信访件的反映人"),
            origin: origin)
        return reporter
    }

    // MARK: Standing

    /// The assignment as the actor may see it for fieldwork, and whether they serve on it.
    func standing(_ actor: Actor, in assignmentID: UUID, on db: any SQLDatabase) async throws -> AssignmentStanding? {
        let sql = AssignmentRows.select + " WHERE a.id = \(bind: assignmentID.text) AND "
            + AssignmentRows.scope(policy.scope(actor, .viewFieldwork))
        guard let assignment = try await db.raw(sql).first().map(AssignmentRows.decode) else { return nil }
        guard let account = actor.userID, policy.allowsAnywhere(actor, .recordFieldwork) else {
            return AssignmentStanding(assignment: assignment, inspectorID: nil, isLeader: false)
        }
        let row = try await db.raw(
            """
            SELECT me.id, gm.role FROM inspectors me JOIN group_members gm ON gm.inspector_id = me.id
            WHERE me.account_id = \(bind: account.text) AND gm.group_id = \(bind: assignment.groupID.text)
            AND \(bind: assignment.id.text) IN (
            """ + ScopeSQL.ownAssignments(account) + ")"
        ).first()
        return AssignmentStanding(
            assignment: assignment, inspectorID: try row?.uuid("id"), isLeader: try row?.string("role") == GroupRole.leader.rawValue)
    }

    /// A member of the assignment's group while the round is on site; otherwise refused.
    func requireRecorder(_ actor: Actor, in assignmentID: UUID, on db: any SQLDatabase) async throws -> AssignmentStanding {
        guard let standing = try await standing(actor, in: assignmentID, on: db) else { throw DomainError.notFound }
        guard standing.isMember else {
            throw DomainError(.forbidden, code: "not_a_member", message: "只有本组巡察人员可以记录和起草", english: "only the group's members record fieldwork")
        }
        try await ArchiveLock.refuse(assignment: assignmentID, on: db)
        guard let round = try await RoundRows.find(standing.assignment.roundID, on: db), round.status == .onSite else {
            throw DomainError(.conflict, code: "not_on_site", message: "本轮尚未进驻，进驻后才能登记巡察工作记录", english: "the round is not on site")
        }
        return standing
    }
}

enum FieldworkRows {
    static let select: SQLQueryString = "SELECT r.*, u.name AS unit_name FROM onsite_records r JOIN units u ON u.id = r.unit_id"

    /// The policy's scope: a group member reads the records of their own assignments.
    static func scope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "r.jurisdiction_id", assignmentColumn: "r.assignment_id")
    }

    /// The members of the assignment's group who may work on its unit (not recused), by id.
    static func groupInspectors(_ assignment: AssignmentDetail, on db: any SQLDatabase) async throws -> [UUID: String] {
        var result: [UUID: String] = [:]
        for row in try await db.raw(
            """
            SELECT i.id, i.name FROM group_members gm JOIN inspectors i ON i.id = gm.inspector_id
            WHERE gm.group_id = \(bind: assignment.groupID.text)
            AND NOT EXISTS (
                SELECT 1 FROM conflict_declarations d WHERE d.inspector_id = i.id AND d.unit_id = \(bind: assignment.unitID.text)
                AND NOT EXISTS (
                    SELECT 1 FROM conflict_overrides o
                    WHERE o.round_id = \(bind: assignment.roundID.text) AND o.inspector_id = i.id AND o.unit_id = d.unit_id AND o.at >= d.at))
            """
        ).all() {
            result[try row.uuid("id")] = try row.string("name")
        }
        return result
    }

    static func load(_ sql: SQLQueryString, on db: any SQLDatabase) async throws -> [OnSiteRecord] {
        let rows = try await db.raw(sql).all()
        guard !rows.isEmpty else { return [] }
        let people = try await db.grouped(
            """
            SELECT ri.record_id, ri.inspector_id, ri.part, i.name FROM record_inspectors ri JOIN inspectors i ON i.id = ri.inspector_id
            WHERE ri.record_id IN (\(binds: try rows.map { try $0.string("id") })) ORDER BY ri.part, i.name
            """, by: "record_id"
        ) { row in
            RecordInspector(
                inspectorID: try row.uuid("inspector_id"), name: try row.string("name"), part: try row.code("part", or: .lead))
        }
        return try rows.map { row in
            let id = try row.uuid("id")
            let content = RecordContent(
                subject: try row.string("subject"), subjectPost: try row.optionalString("subject_post"),
                occurredOn: try row.day("occurred_on", label: "日期"), place: try row.optionalString("place"),
                body: try row.string("body"), interviewCategory: try row.optionalCode("interview_category"),
                channel: try row.optionalCode("channel"), reflectedPerson: try row.optionalString("reflected_person"),
                inScope: try row.decodeNil(column: "in_scope") ? nil : try row.flag("in_scope"))
            return OnSiteRecord(
                id: id, jurisdictionID: try row.uuid("jurisdiction_id"), assignmentID: try row.uuid("assignment_id"), unitID: try row.uuid("unit_id"),
                unitName: try row.string("unit_name"), kind: try row.code("kind", or: .interview), content: content,
                inspectors: people[id] ?? [], createdBy: try row.string("created_by"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
                version: try row.int("version"))
        }
    }
}
