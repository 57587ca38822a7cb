import Foundation
import SQLKit
import XunchaCore

/// 问题线索台账 import: the leads an office's groups found before Xuncha, entered through the lead's
/// own lifecycle so that they are numbered in their year, sealed like any lead, and counted by
/// every figure as of any day.
///
/// What a row becomes, every step dated on the ledger's day with the reason “导入自 <文件名>”
/// (补录) and taken by the importer, whom the history and the audit log name: a lead registered on
/// 登记日期 (or 移交日期); studied, proposed (to the 接收单位 and, for a cadre managed lower down, the
/// 接收党委 or the 派驻纪检监察组) and approved on 移交日期 — a register records the transfer, not the
/// meetings before it, so those steps are recorded on that day with the import's reason as their
/// note; transferred on 移交日期; received and answered (with 四种形态) on 反馈日期 — a lead only
/// 签收 is taken as received on 移交日期; closed on 销号日期. 不作为线索 is dismissed on 登记日期 with 备注
/// as the reason.
///
/// The register is the lead custodian's (线索管理员): only the custodian imports it, since leads are
/// read by those who need to know (`LedgerKind.importerRole`, which the framework checks before
/// any row is written). The custodian records what the group, the leading group and the
/// receiving body did, on the register's word. A key imported before brings its lead on to the
/// register's state; an import never takes a lead back.
extension Store {
    /// Writes the rows of a lead register inside the import framework's transaction (through
    /// `LeadRegisterWriter`): `known` are the leads earlier imports made for the rows' keys, and
    /// `problemKeys` the problem list's, for rows naming the paper (问题编号) whose triage
    /// registered their lead: that lead is carried on, so a lead on both ledgers counts once.
    /// Answers each written row's lead by its key; every row's problem goes to `run`, and the
    /// framework writes nothing when there is one.
    func writeLeadRegister(
        _ rows: [LeadRegisterImportPlan.Row], known: [String: UUID], problemKeys: ImportedRecordKeys, run: inout LedgerImportRun, on db: any SQLDatabase
    ) async throws -> [String: UUID] {
        run.aliases = ["receiver_jurisdiction_id": "receiving_committee", "via_stationed_body": "receiver", "note": "remark"]
        var records: [String: UUID] = [:]
        let (committee, places) = try await beginLedgerImport(rows.map { ($0.line, $0.place) }, run: &run, on: db)
        guard run.problems.isEmpty else { return records }
        var papers = try await problemKeys.records(for: rows.compactMap(\.problemKey), on: db)
        let standing = LeadStanding(isGroupLeader: true, isLeadingGroup: true, isCustodian: true, isReceiver: true)
        for row in rows {
            guard let assignment = places[row.place] else { continue }
            do {
                let path = try await leadPath(of: row, in: committee, run: run, on: db)
                var lead = known[row.key]
                if lead == nil, let paper = row.paper, papers[paper.key] == nil {
                    // The paper comes with the register: its triage registers the lead.
                    let finding = try await insertImportedFinding(paper, in: assignment, run: run, on: db)
                    papers[paper.key] = finding.id
                    try await problemKeys.remember([paper.key: finding.id], on: db)
                    lead = try await leadOfPaper(paper.key, papers: papers, on: db)
                } else if lead == nil {
                    lead = try await leadOfPaper(row.problemKey, papers: papers, on: db)
                }
                let id: UUID
                if let lead {
                    let found = try await LeadLifecycle.find(lead, in: self, on: db)
                    guard found.jurisdictionID == committee.jurisdictionID else { throw DomainError.notFound }
                    id = lead
                } else {
                    let time = try await Self.time(of: BusinessDate(day: row.registeredOn, reason: run.reason), in: committee.jurisdictionID, after: nil, at: run.now, on: db)
                    id = try await insertLead(assignment, finding: nil, details: row.details, origin: run.origin, time: time, on: db)
                }
                records[row.key] = id
                try await advanceImported(LeadLifecycle.self, id, to: row.status, along: path, standing: standing, run: run, on: db)
            } catch let refusal as LedgerStepRefusal {
                run.fail(row.line, refusal.error, day: refusal.dayKey, else: "status")
            } catch let error as DomainError {
                run.fail(row.line, error, day: "registered_on", else: error == .notFound ? "key" : "receiving_committee")
            }
        }
        return records
    }

    /// The steps that bring a new lead to the row's state, each on the register's day.
    private func leadPath(of row: LeadRegisterImportPlan.Row, in committee: RecordLocation, run: LedgerImportRun, on db: any SQLDatabase) async throws -> [LedgerStep<LeadLifecycle>] {
        if row.status == .dismissed {
            return [.init(step: .dismiss, day: row.registeredOn, dayKey: "registered_on", input: LeadStepInput(note: row.remark))]
        }
        let decided = row.transferredOn ?? row.registeredOn
        let decidedKey = row.transferredOn == nil ? "registered_on" : "transferred_on"
        var proposal = LeadStepInput(note: run.note, receiver: row.receiver, receiverJurisdiction: try await receivingCommittee(row.receivingCommittee, under: committee, on: db))
        proposal.viaStationedBody = row.viaStationedBody
        let answered = row.answeredOn ?? decided
        let answeredKey = row.answeredOn == nil ? decidedKey : "answered_on"
        return [
            .init(step: .screen, day: row.registeredOn, dayKey: "registered_on", input: LeadStepInput(note: run.note)),
            .init(step: .propose, day: decided, dayKey: decidedKey, input: proposal),
            .init(step: .approve, day: decided, dayKey: decidedKey, input: LeadStepInput(note: run.note)),
            .init(step: .transfer, day: decided, dayKey: decidedKey, input: LeadStepInput(note: run.note, transferSheet: row.transferSheet ?? "（台账未载移交文号）")),
            .init(step: .receive, day: answered, dayKey: answeredKey, input: LeadStepInput(note: run.note)),
            .init(step: .answer, day: answered, dayKey: answeredKey, input: LeadStepInput(note: run.note, disposition: row.answer)),
            .init(step: .close, day: row.closedOn ?? answered, dayKey: "closed_on", input: LeadStepInput(note: run.note)),
        ]
    }

    /// The lead the triage of the paper imported under `problemKey` registered.
    private func leadOfPaper(_ problemKey: String?, papers: [String: UUID], on db: any SQLDatabase) async throws -> UUID? {
        guard let problemKey else { return nil }
        guard let paper = papers[problemKey] else {
            throw DomainError.invalid("unknown_problem_key", "问题清单中没有编号为“\(problemKey)”的问题，请先导入问题清单", english: "no imported problem has this key", field: "problem_key")
        }
        guard let lead = try await FindingRows.opened(by: paper, on: db).lead else {
            throw DomainError.invalid("problem_not_a_lead", "问题“\(problemKey)”不是以“移交问题线索”处置的", english: "the problem was not handed over as a lead", field: "problem_key")
        }
        return lead.id
    }

    /// 接收党委 by name: this committee or one below it.
    private func receivingCommittee(_ name: String?, under committee: RecordLocation, on db: any SQLDatabase) async throws -> UUID? {
        guard let name else { return nil }
        let rows = try await db.raw("SELECT id, path FROM jurisdictions WHERE name = \(bind: name)").all()
        guard let row = try rows.first(where: { try $0.string("path").hasPrefix(committee.jurisdictionPath) }) else {
            throw DomainError.invalid("unknown_receiving_committee", "“\(name)”不是本级或下级党委", english: "receiving committee outside this subtree", field: "receiving_committee")
        }
        return try row.uuid("id")
    }
}
