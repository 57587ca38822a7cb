import Foundation
import SQLKit
import XunchaCore

/// The registers issued as .docx: a lead's 移交函 and 移交清单 (read as leads are, and only by
/// whoever may read every lead of the sheet), the 整改台账 (its rows read by the caller through
/// the ledger's own scoped queries) and the 巡察工作综述 (the statistics of the office's reach).
/// Each one handed out is audit-logged.
extension Store {
    /// The 移交函 or 移交清单 of the sheet a lead was transferred under.
    public func leadTransferDocument(_ kind: DocumentKind, lead id: UUID, origin: RequestOrigin) async throws -> OfficialDocument {
        let sheet = try await leadTransferSheet(id, origin: origin)
        let lead = sheet.leads[0]
        // The sheet's first lead keeps the version its letter and list were issued under, whichever lead is asked.
        let template = try await documentTemplate(kind, jurisdictionID: lead.jurisdictionID, record: lead.id, issued: true)
        let document = kind == .leadList ? OfficialDocument.leadList(sheet, template: template) : OfficialDocument.leadTransfer(sheet, template: template)
        try await recordIssued(document, type: "lead", id: id, jurisdictionID: lead.jurisdictionID, origin: origin)
        return document
    }

    /// The leads transferred with this one: the same committee, 移交单编号 and receiving body. A
    /// reader who may see this lead but not every other one of its sheet (a group's member, when
    /// the sheet holds another group's lead) gets not found, as for a lead it may not read: a
    /// letter never goes out with part of its list.
    public func leadTransferSheet(_ id: UUID, origin: RequestOrigin) async throws -> LeadTransferSheet {
        let lead = try await lead(id, origin: origin)
        guard let number = lead.transferSheet, let receiver = lead.receiver, lead.transferredAt != nil else {
            throw DomainError(.conflict, code: "not_transferred", message: "线索尚未移交，没有移交函", english: "the lead is not transferred yet")
        }
        let scope = policy.scope(origin.actor, .viewLeads)
        let sheet: LeadTransferSheet = try await database.read { db in
            let sameSheet: SQLQueryString =
                LeadRows.select + " WHERE l.jurisdiction_id = \(bind: lead.jurisdictionID.text) AND l.transfer_sheet = \(bind: number)"
                + " AND l.receiver = \(bind: receiver.rawValue) AND l.transferred_at IS NOT NULL"
                + " AND COALESCE(l.receiver_jurisdiction_id, '') = \(bind: lead.receiverJurisdictionID?.text ?? "")"
            let all = try await db.raw(sameSheet).all().map(LeadRows.decode)
            let visible = try await db.raw(sameSheet + " AND " + LeadRows.scope(scope)).all()
            guard visible.count == all.count else { throw DomainError.notFound }
            let leads = all.sorted { $0.number < $1.number }
            let groups = Set(leads.map(\.groupID))
            var groupNames: [String] = []
            for row in try await db.raw("SELECT id, name FROM inspection_groups WHERE jurisdiction_id = \(bind: lead.jurisdictionID.text)").all() {
                if groups.contains(try row.uuid("id")) { groupNames.append(try row.string("name")) }
            }
            let committee = try await JurisdictionRows.find(lead.jurisdictionID, on: db)?.name ?? ""
            var receiving: String?
            if let other = lead.receiverJurisdictionID { receiving = try await JurisdictionRows.find(other, on: db)?.name }
            return LeadTransferSheet(
                number: number, leads: leads, committee: committee, receiver: receiver, receivingCommittee: receiving ?? committee,
                groupNames: groupNames.sorted(), transferredOn: CalendarDay(leads.compactMap(\.transferredAt).min() ?? lead.transferredAt!),
                feedbackDue: leads.compactMap(\.feedbackDue).min())
        }
        // The others of the sheet are read too, and logged as the lead list logs what it shows.
        if sheet.leads.count > 1 {
            try await record(
                AuditEvent(
                    action: .leadViewed, targetType: "lead", targetID: nil, jurisdictionID: lead.jurisdictionID,
                    detail: "移交单\(number)：" + sheet.leads.map(\.number).joined(separator: "、")),
                origin: origin)
        }
        return sheet
    }

    /// 整改台账 as a document: `table` holds the rows of the list the reader asked for, read through
    /// the ledger's scoped queries; the 制表单位 is the reader's committee, the 制表日期 today.
    /// `committee` makes the ledger in another committee's name than the reader's own (the console's).
    public func ledgerDocument(
        list: String, table: DocumentTable, asOf: CalendarDay?, committee: UUID? = nil, origin: RequestOrigin
    ) async throws -> OfficialDocument {
        try policy.requireAnywhere(origin.actor, .viewRectification)
        guard let own = committee ?? origin.actor.jurisdictionID else { throw DomainError.notFound }
        let template = try await documentTemplate(.ledger, jurisdictionID: own, record: own, issued: false)
        let document = OfficialDocument.ledger(
            list: list, table: table, asOf: asOf, maker: try await committeeName(own), today: CalendarDay(clock.now()), template: template)
        try await recordIssued(document, type: "ledger", id: own, jurisdictionID: own, origin: origin)
        return document
    }

    /// 巡察工作综述 of a year (this year unless said; a period in the filter wins): the statistics of
    /// the committee the filter names or the reader's own. Only the office and the leading group,
    /// who write it, may have it — anyone else gets not found, whatever figures of their own the
    /// statistics page shows them.
    public func yearSummaryDocument(year: Int? = nil, filter: StatisticsFilter = .init(), origin: RequestOrigin) async throws -> OfficialDocument {
        let actor = origin.actor
        switch policy.scope(actor, .viewStatistics) {
        case .jurisdiction, .subtree, .everything: break
        default: throw DomainError.notFound
        }
        guard let committee = filter.jurisdictionID ?? actor.jurisdictionID else { throw DomainError.notFound }
        let today = CalendarDay(clock.now())
        let year = year ?? filter.from?.year ?? filter.to?.year ?? today.year
        var filter = filter
        if filter.from == nil, filter.to == nil {
            (filter.from, filter.to) = (CalendarDay(year: year, month: 1, day: 1), CalendarDay(year: year, month: 12, day: 31))
        }
        let figures = try await statistics(filter, for: actor)
        let byUnit = try await statisticsBreakdown(.unit, filter: filter, limit: 1_000, zeros: false, for: actor)
        let template = try await documentTemplate(.yearSummary, jurisdictionID: committee, record: committee, issued: false)
        let document = OfficialDocument.yearSummary(
            year: year, committee: try await committeeName(committee), figures: figures, byUnit: byUnit, today: today, template: template)
        try await recordIssued(document, type: "statistics", id: committee, jurisdictionID: committee, origin: origin)
        return document
    }
}
