import Foundation
import SQLKit
import XunchaCore

/// A filtered, keyset-paged request for leads.
public struct LeadQuery: Sendable, Equatable {
    public var assignmentID: UUID?
    public var status: LeadStatus?
    public var receiver: ReceivingBody?
    /// Only leads whose receiver's feedback is overdue.
    public var overdueOnly: Bool
    /// 截至某日: overdue as it stood at the end of this day (today when absent).
    public var asOf: CalendarDay?
    public var search: String?
    public var page: PageRequest

    public init(
        assignmentID: UUID? = nil, status: LeadStatus? = nil, receiver: ReceivingBody? = nil, overdueOnly: Bool = false, asOf: CalendarDay? = nil,
        search: String? = nil, page: PageRequest = .init()
    ) {
        self.asOf = asOf
        self.assignmentID = assignmentID
        self.status = status
        self.receiver = receiver
        self.overdueOnly = overdueOnly
        self.search = search
        self.page = page
    }
}

/// 问题线索: registered by the group, studied at the group meeting, proposed by its leader,
/// approved by the leading group, transferred by the custodian, answered by the receiving body
/// in its own inbox, and closed by the custodian. Every read is logged with its reader.
extension Store {
    /// Registers a lead found on site, as of `dated` (the day it was found; today unless said).
    public func registerLead(in assignmentID: UUID, details: LeadDetails, origin: RequestOrigin, dated: BusinessDate = .today) async throws -> Lead {
        let details = try details.validated()
        guard details.source != .finding else {
            throw DomainError.invalid("invalid_source", "来自问题底稿的线索请在底稿处置时选择“移交问题线索”", english: "finding leads come from triage", field: "source")
        }
        let now = clock.now()
        let id = try await database.transaction { db in
            let standing = try await self.requireRecorder(origin.actor, in: assignmentID, on: db)
            guard self.policy.allowsAnywhere(origin.actor, .registerLeads) else { throw DomainError.forbidden }
            let time = try await Self.time(of: dated, in: standing.assignment.jurisdictionID, after: nil, at: now, on: db)
            return try await self.insertLead(standing.assignment, finding: nil, details: details, origin: origin, time: time, on: db)
        }
        return try await lead(id, origin: origin)
    }

    /// One lead, if the actor may see it; the read is logged with its reader.
    public func lead(_ id: UUID, origin: RequestOrigin) async throws -> Lead {
        let found = try await database.read { db in try await self.visibleLead(id, actor: origin.actor, on: db) }
        try await record(
            AuditEvent(action: .leadViewed, targetType: "lead", targetID: id.text, jurisdictionID: found.jurisdictionID, detail: found.number), origin: origin)
        return found
    }

    /// A page of the leads the actor may see, newest first. Listing is a read too: it is logged
    /// once per page with the numbers shown.
    public func leads(_ query: LeadQuery, origin: RequestOrigin) async throws -> Page<Lead> {
        let actor = origin.actor
        try policy.requireAnywhere(actor, .viewLeads)
        var sql = LeadRows.select + " WHERE " + LeadRows.scope(policy.scope(actor, .viewLeads))
        if let assignment = query.assignmentID { sql += " AND l.assignment_id = \(bind: assignment.text)" }
        if let status = query.status { sql += " AND l.status = \(bind: status.rawValue)" }
        if let receiver = query.receiver { sql += " AND l.receiver = \(bind: receiver.rawValue)" }
        if query.overdueOnly {
            let today = CalendarDay(clock.now())
            if let day = query.asOf, day < today {
                sql += " AND " + AsOfSQL(day).leadFeedbackOverdue
            } else {
                sql += " AND l.status IN ('transferred', 'received') AND l.feedback_due < \(bind: (query.asOf ?? today).description)"
            }
        }
        if let search = query.search {
            let pattern = ScopeSQL.likeContains(search)
            sql += " AND (l.person_name LIKE \(bind: pattern) ESCAPE '!' OR l.content LIKE \(bind: pattern) ESCAPE '!' OR l.number LIKE \(bind: pattern) ESCAPE '!')"
        }
        let page = try await database.newestFirst(
            sql, page: query.page, alias: "l", time: \.createdAt, id: \.id,
            sortable: [
                .text("number", "l.number") { $0.number }, .text("unit", "u.name") { $0.unitName }, .text("status", "l.status") { $0.status.rawValue },
                .text("due", "COALESCE(l.feedback_due, '')") { $0.feedbackDue?.description ?? "" },
            ], decode: LeadRows.decode)
        if !page.items.isEmpty {
            try await record(
                AuditEvent(
                    action: .leadViewed, targetType: "lead", targetID: nil, jurisdictionID: actor.jurisdictionID,
                    detail: "线索列表：" + page.items.map(\.number).joined(separator: "、")),
                origin: origin)
        }
        return page
    }

    // MARK: Helpers

    /// Registers a lead as of `time`: numbered in its business year, created at its business
    /// moment, its audit entry at when it is recorded.
    func insertLead(_ a: AssignmentDetail, finding: UUID?, details: LeadDetails, origin: RequestOrigin, time: StepTime, on db: any SQLDatabase) async throws -> UUID {
        let id = ids.next()
        let now = time.at
        let year = time.occurredOn.year
        let committee = try await JurisdictionRows.find(a.jurisdictionID, on: db)?.name ?? ""
        let number = LeadNumber.text(committee: committee, year: year, sequence: try await LeadRows.nextNumber(jurisdiction: a.jurisdictionID, year: year, on: db))
        try await ArchiveLock.refuse(assignment: a.id, on: db)
        try await db.raw(
            """
            INSERT INTO leads (jurisdiction_id, id, assignment_id, group_id, unit_id, finding_id, number, source, person_name, person_post, authority, subject,
                content, evidence, status, created_by, created_at, updated_at, version)
            VALUES (\(bind: a.jurisdictionID.text), \(bind: id.text), \(bind: a.id.text), \(bind: a.groupID.text), \(bind: a.unitID.text), \(bind: finding?.text),
                \(bind: number), \(bind: details.source.rawValue), \(bind: details.personName), \(bind: details.personPost), \(bind: details.authority.rawValue),
                \(bind: details.subject.rawValue), \(bind: details.content), \(bind: details.evidence), \(bind: LeadStatus.registered.rawValue),
                \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
            """
        ).run()
        try await audit.append(
            AuditEvent(
                action: .leadRegistered, targetType: "lead", targetID: id.text, jurisdictionID: a.jurisdictionID, detail: "\(number)（\(a.groupName)）\(time.auditNote)"),
            origin: origin, at: time.recordedAt, on: db)
        return id
    }

    func visibleLead(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> Lead {
        let sql = LeadRows.select + " WHERE l.id = \(bind: id.text) AND " + LeadRows.scope(policy.scope(actor, .viewLeads))
        return try await db.one(sql, LeadRows.decode)
    }

    func leadStanding(_ actor: Actor, lead: Lead, on db: any SQLDatabase) async throws -> LeadStanding {
        let inCommittee = actor.jurisdictionID == lead.jurisdictionID
        let inReceivingCommittee = actor.jurisdictionID != nil && actor.jurisdictionID == lead.receiverJurisdictionID
        return LeadStanding(
            isGroupLeader: try await standing(actor, in: lead.assignmentID, on: db)?.isLeader == true,
            isLeadingGroup: inCommittee && actor.roles.contains(.leadingGroupMember),
            isCustodian: inCommittee && actor.roles.contains(.leadCustodian),
            isReceiver: inReceivingCommittee && lead.receiver.map { actor.roles.contains($0.receiverRole) } == true && LeadStatus.transferredOn.contains(lead.status))
    }
}

/// A lead in the store: every step is logged like a read; the receiving committee of a proposal
/// and the feedback months of a transfer are read for the lifecycle.
extension LeadLifecycle: CascadeTarget {
    public static let table = "leads"
    public static let auditAction = AuditAction.leadStep

    /// 移交 issues the sheet's 移交函 and 移交清单.
    public static func issuedDocuments(by step: LeadStep, of lead: Lead) -> [DocumentKind] { step == .transfer ? [.leadTransfer, .leadList] : [] }
    public static let cascadeStanding = LeadStanding(isTriage: true)

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> Lead {
        try await store.visibleLead(id, actor: actor, on: db)
    }

    public static func find(_ id: UUID, in store: Store, on db: any SQLDatabase) async throws -> Lead {
        return try await db.one(LeadRows.select + " WHERE l.id = \(bind: id.text)", LeadRows.decode)
    }

    public static func standing(of actor: Actor, towards lead: Lead, in store: Store, on db: any SQLDatabase) async throws -> LeadStanding {
        try await store.leadStanding(actor, lead: lead, on: db)
    }

    public static func facts(
        for step: LeadStep, on lead: Lead, input: LeadStepInput, origin: RequestOrigin, context: StepContext, in store: Store, on db: any SQLDatabase
    ) async throws -> LeadFacts {
        switch step {
        case .propose:
            let committee = try await LeadRows.receivingCommittee(input.receiverJurisdiction, viaStationedBody: input.viaStationedBody, for: lead, on: db)
            return LeadFacts(receivingCommittee: (committee.id, committee.name))
        case .transfer:
            return LeadFacts(feedbackMonths: try await SettingsRows.settings(of: lead.jurisdictionID, on: db).leadFeedbackMonths)
        default:
            return LeadFacts()
        }
    }

    public static func columns(of lead: Lead) -> [(name: String, value: StepColumn)] {
        let answer = lead.disposition
        return [
            ("status", .text(lead.status.rawValue)), ("receiver", .text(lead.receiver?.rawValue)),
            ("receiver_jurisdiction_id", .text(lead.receiverJurisdictionID?.text)), ("via_stationed_body", .flag(lead.viaStationedBody)),
            ("proposal", .text(lead.proposal)),
            ("transfer_sheet", .text(lead.transferSheet)), ("transferred_at", .date(lead.transferredAt)), ("feedback_due", .day(lead.feedbackDue)),
            ("received_at", .date(lead.receivedAt)), ("method", .text(answer?.method.rawValue)), ("form", .integer(answer?.form)),
            ("people_count", .integer(answer?.peopleCount)), ("sanctions", .text(answer?.sanctions)),
            ("judicial_transfer", .integer(answer.map { $0.judicialTransfer ? 1 : 0 })), ("result", .text(answer?.result)),
            ("answered_at", .date(lead.answeredAt)), ("closed_at", .date(lead.closedAt)), ("set_aside_at", .date(lead.setAsideAt)),
        ]
    }

    public static func label(of lead: Lead) -> String { lead.number }
}

enum LeadRows {
    static let select: SQLQueryString = "SELECT l.*, u.name AS unit_name FROM leads l JOIN units u ON u.id = l.unit_id"

    static func scope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "l.jurisdiction_id", assignmentColumn: "l.assignment_id", inboxColumns: (receiver: "l.receiver", status: "l.status", jurisdiction: "l.receiver_jurisdiction_id"))
    }

    /// The committee whose body receives a lead: its own by default; a lower one (in its subtree)
    /// when named, which a cadre managed lower down requires unless the lead goes to the own
    /// 纪委监委 for the discipline inspection group stationed in the cadre's unit.
    static func receivingCommittee(_ chosen: UUID?, viaStationedBody: Bool, for lead: Lead, on db: any SQLDatabase) async throws -> Jurisdiction {
        guard let own = try await JurisdictionRows.find(lead.jurisdictionID, on: db) else { throw DomainError.notFound }
        guard let chosen, chosen != own.id else {
            if lead.details.authority == .lower, !viaStationedBody {
                throw DomainError.invalid(
                    "receiving_committee_required", "被反映人由下级党组织管理，须选择接收线索的下级党委，或移交本级纪委监委转派驻纪检监察组",
                    english: "a lower-managed cadre's lead goes to the lower committee or through the stationed discipline group", field: "receiver_jurisdiction_id")
            }
            return own
        }
        if viaStationedBody {
            throw DomainError.invalid(
                "stationed_body_is_own", "转派驻纪检监察组的线索由本级纪委监委接收，不再选择下级党委", english: "a stationed group is reached through the own committee",
                field: "via_stationed_body")
        }
        guard let target = try await JurisdictionRows.find(chosen, on: db), target.path.hasPrefix(own.path) else {
            throw DomainError.invalid(
                "unknown_receiving_committee", "接收线索的党委须为本级或下级党委", english: "receiving committee outside this subtree", field: "receiver_jurisdiction_id")
        }
        return target
    }

    static func nextNumber(jurisdiction: UUID, year: Int, on db: any SQLDatabase) async throws -> Int {
        try await CounterRows.next(in: "lead_counters", keys: [("jurisdiction_id", jurisdiction.text), ("year", year)], on: db)
    }

    static func decode(_ row: any SQLRow) throws -> Lead {
        var disposition: LeadDisposition?
        if let method = try row.optionalString("method").flatMap(DispositionMethod.init(rawValue:)) {
            disposition = LeadDisposition(
                method: method, form: try row.decodeNil(column: "form") ? nil : try row.int("form"), peopleCount: try row.int("people_count"),
                sanctions: try row.optionalString("sanctions"), judicialTransfer: try row.flag("judicial_transfer"), result: try row.string("result"))
        }
        var lead = Lead(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), assignmentID: try row.uuid("assignment_id"), groupID: try row.uuid("group_id"),
            unitID: try row.uuid("unit_id"), unitName: try row.string("unit_name"), findingID: try row.optionalUUID("finding_id"), number: try row.string("number"),
            details: LeadDetails(
                source: try row.code("source", or: .interview), personName: try row.string("person_name"),
                personPost: try row.optionalString("person_post"), authority: try row.code("authority", or: .none),
                subject: try row.code("subject", or: .discipline), content: try row.string("content"), evidence: try row.optionalString("evidence")),
            status: try row.code("status", or: .registered), receiver: try row.optionalCode("receiver"),
            receiverJurisdictionID: try row.optionalUUID("receiver_jurisdiction_id"), viaStationedBody: try row.int("via_stationed_body") == 1,
            proposal: try row.optionalString("proposal"), transferSheet: try row.optionalString("transfer_sheet"), transferredAt: try row.optionalDate("transferred_at"),
            feedbackDue: try row.optionalDay("feedback_due", label: "反馈期限"),
            receivedAt: try row.optionalDate("received_at"), disposition: disposition, answeredAt: try row.optionalDate("answered_at"), closedAt: try row.optionalDate("closed_at"),
            createdBy: try row.string("created_by"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), version: try row.int("version"))
        lead.setAsideAt = try row.optionalDate("set_aside_at")
        return lead
    }
}
