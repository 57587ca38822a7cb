import Foundation
import SQLKit
import XunchaCore

/// 整改公开: prepared by the office from an accepted rectification report, approved or returned by
/// the leading group, published by the office. Published public texts are read without sign-in
/// through `publicDisclosures`, which selects nothing else.
extension Store {
    /// Drafts the text from an accepted report; `text` nil or blank takes the report's own text.
    public func draftDisclosure(
        from reportID: UUID, title: String?, text: String?, exemptions: [String], channel: DisclosureChannel, origin: RequestOrigin
    ) async throws -> Disclosure {
        let exemptions = try DisclosureLifecycle.exemptions(exemptions)
        let now = clock.now()
        let id = ids.next()
        try await database.transaction { db in
            let report = try await self.visibleRectificationReport(reportID, actor: origin.actor, on: db)
            _ = try await self.requireLocation(report.jurisdictionID, actor: origin.actor, permission: .prepareDisclosures, on: db)
            guard report.status == .accepted else {
                throw DomainError(
                    .conflict, code: "report_not_accepted", message: "整改报告经巡察办审核通过后才能拟制公开内容", english: "disclosure follows the accepted report")
            }
            let blank = text?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true
            let (title, text) = try DisclosureLifecycle.validate(title: title ?? report.title, text: blank ? report.body : text)
            try await ArchiveLock.refuse("rectification_reports", reportID, on: db)
            try await db.raw(
                """
                INSERT INTO disclosures (jurisdiction_id, id, report_id, unit_id, title, text, exemptions, channel, status, created_by, created_at, updated_at, version)
                VALUES (\(bind: report.jurisdictionID.text), \(bind: id.text), \(bind: reportID.text), \(bind: report.unitID.text), \(bind: title), \(bind: text),
                    \(bind: InspectorRows.json(exemptions.map(\.rawValue))), \(bind: channel.rawValue), \(bind: DisclosureStatus.draft.rawValue),
                    \(bind: origin.actor.displayName), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds), 1)
                """
            ).run()
            try await self.audit.append(
                AuditEvent(
                    action: .disclosureDrafted, targetType: "disclosure", targetID: id.text, jurisdictionID: report.jurisdictionID,
                    detail: "\(report.unitName)：\(channel.title)，不予公开情形\(exemptions.count)项"),
                origin: origin, at: now, on: db)
        }
        return try await disclosure(id, for: origin.actor)
    }

    /// Changes a draft or returned disclosure (a returned one goes back to the leading group).
    public func editDisclosure(
        _ id: UUID, title: String?, text: String?, exemptions: [String], channel: DisclosureChannel, version: Int, origin: RequestOrigin
    ) async throws -> Disclosure {
        let exemptions = try DisclosureLifecycle.exemptions(exemptions)
        let (title, text) = try DisclosureLifecycle.validate(title: title, text: text)
        let now = clock.now()
        try await database.transaction { db in
            let before = try await self.visibleDisclosure(id, actor: origin.actor, on: db)
            _ = try await self.requireLocation(before.jurisdictionID, actor: origin.actor, permission: .prepareDisclosures, on: db)
            guard before.status.isEditable else {
                throw DomainError(.conflict, code: "disclosure_not_editable", message: "公开内容处于“\(before.status.title)”状态，不能修改", english: "not editable")
            }
            guard before.version == version else { throw DomainError.staleVersion }
            try await VersionedRow.update(
                "disclosures", id: id, version: version,
                set: """
                    title = \(bind: title), text = \(bind: text), exemptions = \(bind: InspectorRows.json(exemptions.map(\.rawValue))),
                    channel = \(bind: channel.rawValue), status = \(bind: DisclosureStatus.draft.rawValue)
                    """, at: now, on: db)
            try await self.audit.append(
                AuditEvent(action: .disclosureEdited, targetType: "disclosure", targetID: id.text, jurisdictionID: before.jurisdictionID, detail: before.unitName),
                origin: origin, at: now, on: db)
        }
        return try await disclosure(id, for: origin.actor)
    }

    /// Records the 党内通报 of an approved (or published) disclosure.
    public func recordCirculation(of id: UUID, _ circulation: InternalCirculation, version: Int, origin: RequestOrigin) async throws -> Disclosure {
        let now = clock.now()
        try await database.transaction { db in
            let before = try await self.visibleDisclosure(id, actor: origin.actor, on: db)
            _ = try await self.requireLocation(before.jurisdictionID, actor: origin.actor, permission: .prepareDisclosures, on: db)
            guard before.status == .approved || before.status == .published else {
                throw DomainError(
                    .conflict, code: "disclosure_not_approved", message: "党内通报须与领导小组审定的内容一致，请先经领导小组审定", english: "circulation follows approval")
            }
            guard before.version == version else { throw DomainError.staleVersion }
            try await VersionedRow.update(
                "disclosures", id: id, version: version,
                set: """
                    circulation_number = \(bind: circulation.number), circulation_scope = \(bind: circulation.scope),
                    circulation_date = \(bind: circulation.date.description)
                    """, at: now, on: db)
            try await self.audit.append(
                AuditEvent(
                    action: .disclosureCirculated, targetType: "disclosure", targetID: id.text, jurisdictionID: before.jurisdictionID,
                    detail: "\(before.unitName)：\(circulation.number)"),
                origin: origin, at: now, on: db)
        }
        return try await disclosure(id, for: origin.actor)
    }

    public func disclosure(_ id: UUID, for actor: Actor) async throws -> Disclosure {
        try await database.read { db in try await self.visibleDisclosure(id, actor: actor, on: db) }
    }

    /// The disclosures the actor may see, newest first.
    public func disclosures(status: DisclosureStatus? = nil, page: PageRequest = .init(), for actor: Actor) async throws -> Page<Disclosure> {
        try policy.requireAnywhere(actor, .viewDisclosures)
        var sql = DisclosureRows.select + " WHERE " + DisclosureRows.scope(policy.scope(actor, .viewDisclosures))
        if let status { sql += " AND d.status = \(bind: status.rawValue)" }
        return try await database.newestFirst(sql, page: page, alias: "d", time: \.createdAt, id: \.id, decode: DisclosureRows.decode)
    }

    public func disclosureStanding(_ actor: Actor, towards disclosure: Disclosure) -> RectificationStanding {
        let location = RecordLocation(jurisdictionID: disclosure.jurisdictionID, jurisdictionPath: actor.jurisdictionPath)
        let permissions: [RectificationTaker: Permission] = [.office: .prepareDisclosures, .leadingGroup: .approveDisclosures]
        return Set(permissions.filter { policy.allows(actor, $0.value, at: location) }.keys)
    }

    // MARK: The public page (no sign-in)

    /// One committee's published public disclosures, newest first; nil when the committee does not exist.
    public func publicDisclosures(of jurisdictionID: UUID, page: PageRequest = .init()) async throws -> (committee: String, page: Page<Disclosure>)? {
        var sql = DisclosureRows.select + " WHERE d.jurisdiction_id = \(bind: jurisdictionID.text) AND " + DisclosureRows.publicOnly
        sql += try KeysetSQL.newestFirst(page, column: "d.published_at", idColumn: "d.id")
        let final = sql
        return try await database.read { db in
            guard let committee = try await JurisdictionRows.find(jurisdictionID, on: db) else { return nil }
            let rows = try await db.raw(final).all()
            let items = try rows.map(DisclosureRows.decode)
            let published = try Dictionary(uniqueKeysWithValues: rows.map { (try $0.uuid("id"), try $0.int64("published_at")) })
            let page = KeysetSQL.page(items, page) { Cursor(key: String(published[$0.id] ?? 0), id: $0.id.text, order: KeysetSQL.newestFirstOrder) }
            return (committee.name, page)
        }
    }

    /// The committee a public address names (`/public/江城市委`): its name where no other
    /// committee bears it, or its id (the address first given, still answered).
    public func publicCommittee(_ key: String) async throws -> UUID? {
        if let id = UUID(uuidString: key) { return id }
        return try await database.read { db in
            let rows = try await db.raw("SELECT id FROM jurisdictions WHERE name = \(bind: key)").all()
            return rows.count == 1 ? try rows[0].uuid("id") : nil
        }
    }

    /// What a committee's public address names: its name, unless another committee bears the same
    /// (then its id); nil for no committee.
    public func publicKey(of jurisdictionID: UUID) async throws -> String? {
        try await database.read { db in
            guard let committee = try await JurisdictionRows.find(jurisdictionID, on: db) else { return nil }
            let namesakes = try await db.raw("SELECT COUNT(*) AS n FROM jurisdictions WHERE name = \(bind: committee.name)").first()?.int("n") ?? 0
            return namesakes == 1 ? committee.name : jurisdictionID.text
        }
    }

    /// One published public disclosure; nil for anything else.
    public func publicDisclosure(_ id: UUID) async throws -> (committee: String, disclosure: Disclosure)? {
        try await database.read { db in
            guard let found = try await db.raw(DisclosureRows.select + " WHERE d.id = \(bind: id.text) AND " + DisclosureRows.publicOnly).first()
                .map(DisclosureRows.decode),
                let committee = try await JurisdictionRows.find(found.jurisdictionID, on: db)
            else { return nil }
            return (committee.name, found)
        }
    }

    // MARK: Helpers

    func visibleDisclosure(_ id: UUID, actor: Actor, on db: any SQLDatabase) async throws -> Disclosure {
        let sql = DisclosureRows.select + " WHERE d.id = \(bind: id.text) AND "
            + DisclosureRows.scope(policy.scope(actor, .viewDisclosures))
        return try await db.one(sql, DisclosureRows.decode)
    }
}

/// The leading group's verdict and publishing go through the one step writer.
extension DisclosureLifecycle: StoredLifecycle {
    public static let table = "disclosures"
    public static let auditAction = AuditAction.disclosureStep

    public static func visible(_ id: UUID, for actor: Actor, in store: Store, on db: any SQLDatabase) async throws -> Disclosure {
        try await store.visibleDisclosure(id, actor: actor, on: db)
    }

    public static func standing(of actor: Actor, towards disclosure: Disclosure, in store: Store, on db: any SQLDatabase) async throws -> RectificationStanding {
        store.disclosureStanding(actor, towards: disclosure)
    }

    public static func columns(of disclosure: Disclosure) -> [(name: String, value: StepColumn)] {
        [
            ("status", .text(disclosure.status.rawValue)), ("review_note", .text(disclosure.reviewNote)), ("published_on", .day(disclosure.publishedOn)),
            ("published_at", .date(disclosure.publishedAt)),
        ]
    }

    public static func label(of disclosure: Disclosure) -> String { disclosure.unitName }
}

enum DisclosureRows {
    static let select: SQLQueryString = "SELECT d.*, u.name AS unit_name FROM disclosures d JOIN units u ON u.id = d.unit_id"

    /// What the public may read: published, and meant for the public.
    static let publicOnly: SQLQueryString = "d.status = 'published' AND d.channel = 'public'"

    /// The policy's scope on the committee: a scope bound to a unit selects none.
    static func scope(_ scope: Scope) -> SQLQueryString {
        ScopeSQL.filter(scope, jurisdictionColumn: "d.jurisdiction_id")
    }

    static func decode(_ row: any SQLRow) throws -> Disclosure {
        var circulation: InternalCirculation?
        if let number = try row.optionalString("circulation_number") {
            circulation = InternalCirculation(
                number: number, scope: try row.string("circulation_scope"),
                date: try CalendarDay(text: try row.string("circulation_date"), field: "date", label: "通报日期"))
        }
        return Disclosure(
            id: try row.uuid("id"), jurisdictionID: try row.uuid("jurisdiction_id"), reportID: try row.uuid("report_id"), unitID: try row.uuid("unit_id"),
            unitName: try row.string("unit_name"), title: try row.string("title"), text: try row.string("text"),
            exemptions: InspectorRows.list(try row.string("exemptions"), as: [String].self).compactMap(DisclosureExemption.init(rawValue:)),
            channel: try row.code("channel", or: .unitInternal),
            status: try row.code("status", or: .draft), reviewNote: try row.optionalString("review_note"),
            publishedOn: try row.optionalDay("published_on", label: "发布日期"),
            publishedAt: try row.optionalDate("published_at"), circulation: circulation, createdBy: try row.string("created_by"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
            version: try row.int("version"))
    }
}
