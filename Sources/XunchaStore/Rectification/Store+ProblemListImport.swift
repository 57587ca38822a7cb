import Foundation
import SQLKit
import XunchaCore

/// 问题清单/整改台账 import: an office moving into Xuncha enters the problems its inspections found
/// before, each on its own days, through the same lifecycles as work done in Xuncha, so that every
/// figure counts them as of any day.
///
/// What a row becomes, every step dated on the ledger's day with the reason “导入自 <文件名>”
/// (补录) and taken by the importer, whom the history and the audit log name:
/// - a working paper of the row's assignment, submitted, approved by the group meeting (numbered
///   in its year) and disposed of, all on 发现日期 — the ledger records the problem as found and
///   disposed of, not the meeting, so the meeting's steps are recorded on that day with the import's
///   reason as their note;
/// - 移交问题线索: the lead the triage registers (its further handling comes from the lead register);
/// - 立行立改: the notice the triage opens, approved, issued and signed for on 发现日期, reported
///   done (已完成) and verified (已销号) on 销号日期;
/// - 限期整改: the unit's problem list and plan, then the task under "三个一" with its deadline,
///   brought to 整改中, 已完成 (closure requested) or 已销号 on 销号日期. A ledger records neither the
///   feedback document nor the signed plan, so for a unit with none the import writes them as
///   what they are — a problem list and a plan taken from the ledger (numbered `importedFeedback`),
///   issued and approved on the unit's latest 发现日期, with no head's endorsement (the signature
///   is on paper); their tasks are started by that approval as any plan's. The ledger's 销号 is the
///   office's word that the evidence was seen, so the closure request cites the ledger as its
///   evidence (`TaskStepInput.evidenceOnRecord`). A unit whose feedback was drafted in Xuncha takes
///   no imported 限期整改 problems: that work goes on in Xuncha.
///
/// The importer must hold, over their committee, the office's permissions for every step the row
/// needs (triage; for 限期整改 also feedback, plan review and closure review); otherwise the row
/// fails with the policy's refusal. A key imported before updates its record: the paper's text and
/// classification, the task's owners and deadline, and the state, which an import only moves on.
extension Store {
    /// 问题清单的编号 of a problem list taken from a ledger.
    public static let importedFeedbackNumber = "（台账导入）"

    /// Writes the rows of a problem list inside the import framework's transaction (through
    /// `ProblemListWriter`): `known` are the records earlier imports made for the rows' keys.
    /// Answers each written row's paper by its key; every row's problem goes to `run`, and the
    /// framework writes nothing when there is one.
    func writeProblemList(
        _ rows: [ProblemListImportPlan.Row], known: [String: UUID], run: inout LedgerImportRun, on db: any SQLDatabase
    ) async throws -> [String: UUID] {
        run.aliases = ["tags": "classification", "lead": "person_name", "note": "disposition_note", "target": "problem"]
        var records: [String: UUID] = [:]
        let (committee, places) = try await beginLedgerImport(rows.map { ($0.line, $0.place) }, run: &run, on: db)
        guard run.problems.isEmpty else { return records }
        var units: [AssignmentDetail] = []
        var rectifying: [UUID: [(row: ProblemListImportPlan.Row, finding: Finding)]] = [:]
        for row in rows {
            guard let assignment = places[row.place] else { continue }
            let needs: [Permission] = row.disposition == .deadline ? [.triageFindings, .manageRounds, .reviewRectificationPlans, .reviewTaskClosure] : [.triageFindings]
            guard ledgerImporterMay(needs, at: committee, line: row.line, run: &run) else { continue }
            let finding: Finding
            do {
                if let id = known[row.key] {
                    finding = try await updateImportedFinding(id, to: row, in: committee, run: run, on: db)
                } else {
                    finding = try await insertImportedFinding(row, in: assignment, run: run, on: db)
                }
            } catch let error as DomainError {
                run.fail(row.line, error, day: "recorded_on")
                continue
            }
            records[row.key] = finding.id
            switch row.disposition {
            case .immediate:
                do {
                    try await advanceImportedImmediate(of: finding, row: row, run: run, on: db)
                } catch let refusal as LedgerStepRefusal {
                    run.fail(row.line, refusal.error, day: refusal.dayKey, else: "status")
                }
            case .deadline:
                if rectifying[assignment.id] == nil { units.append(assignment) }
                rectifying[assignment.id, default: []].append((row, finding))
            case .lead, .dropped:
                break
            }
        }
        for unit in units {
            try await importRectification(rectifying[unit.id] ?? [], of: unit, run: &run, on: db)
        }
        return records
    }

    // MARK: Papers

    /// The paper of a new row: drafted, submitted, approved and disposed of on 发现日期.
    func insertImportedFinding(_ row: ProblemListImportPlan.Row, in a: AssignmentDetail, run: LedgerImportRun, on db: any SQLDatabase) async throws -> Finding {
        let time = try await Self.time(of: BusinessDate(day: row.recordedOn, reason: run.reason), in: a.jurisdictionID, after: nil, at: run.now, on: db)
        let tags = try await run.lookups.resolve(row.tags, jurisdiction: a.jurisdictionID, on: db)
        let id = ids.next()
        try await FindingRows.insert(id, in: a, content: row.content, tags: tags, draftedBy: run.origin.actor.displayName, at: time.at, on: db)
        try await audit.append(
            AuditEvent(action: .findingDrafted, targetType: "finding", targetID: id.text, jurisdictionID: a.jurisdictionID, detail: "\(a.groupName)·\(a.unitName)\(time.auditNote)"),
            origin: run.origin, at: run.now, on: db)
        let standing = FindingStanding(isMember: true, isLeader: true, mayTriage: true)
        let steps: [(FindingStep, FindingStepInput)] = [
            (.submit, FindingStepInput(note: nil)), (.approve, FindingStepInput(note: run.note)),
            (.triage, FindingStepInput(note: row.dispositionNote, disposition: row.disposition, lead: row.lead)),
        ]
        for (step, input) in steps {
            try await takeImported(step, on: try await importedFinding(id, run: run, on: db), standing: standing, input: input, day: row.recordedOn, run: run, on: db)
        }
        return try await importedFinding(id, run: run, on: db)
    }

    /// The paper of a key imported before, its text and classification brought up to the ledger.
    /// Its disposition stays: changing it withdraws or opens work, which is done in Xuncha.
    private func updateImportedFinding(
        _ id: UUID, to row: ProblemListImportPlan.Row, in committee: RecordLocation, run: LedgerImportRun, on db: any SQLDatabase
    ) async throws -> Finding {
        let finding = try await importedFinding(id, run: run, on: db)
        guard finding.jurisdictionID == committee.jurisdictionID else { throw DomainError.invalid("import_record_gone", "此编号此前导入的问题已不存在", english: "the key's record is gone", field: "key") }
        guard finding.disposition == row.disposition else {
            throw DomainError.invalid(
                "import_disposition_changed", "此前已按“\(finding.disposition?.title ?? "未处置")”导入，改变处置方式请在系统中办理", english: "an import does not change a disposition",
                field: "disposition")
        }
        // A sealed paper's substance is not the importer's to read or rewrite.
        let unchanged = finding.content.title == row.content.title && finding.content.manifestation == row.content.manifestation && Set(finding.tags) == Set(row.tags)
        guard !finding.isSealed, !unchanged else { return finding }
        let tags = try await run.lookups.resolve(row.tags, jurisdiction: finding.jurisdictionID, on: db)
        try await VersionedRow.update(
            "findings", id: id, version: finding.version, set: "title = \(bind: row.content.title), manifestation = \(bind: row.content.manifestation)", at: run.now, on: db)
        try await db.raw("DELETE FROM finding_tags WHERE finding_id = \(bind: id.text)").run()
        try await FindingRows.writeTags(tags, of: id, on: db)
        try await audit.append(
            AuditEvent(
                action: .findingEdited, targetType: "finding", targetID: id.text, jurisdictionID: finding.jurisdictionID,
                detail: "\(finding.number ?? finding.unitName)：据台账更新（\(run.reason)）"),
            origin: run.origin, at: run.now, on: db)
        return try await importedFinding(id, run: run, on: db)
    }

    private func importedFinding(_ id: UUID, run: LedgerImportRun, on db: any SQLDatabase) async throws -> Finding {
        let sql = FindingRows.select(for: run.origin.actor, policy: policy) + " WHERE f.id = \(bind: id.text)"
        guard let finding = try await FindingRows.load(sql, on: db).first else { throw DomainError.notFound }
        return finding
    }

    // MARK: 立行立改

    /// The notice the triage opened, brought to the row's state.
    private func advanceImportedImmediate(of finding: Finding, row: ProblemListImportPlan.Row, run: LedgerImportRun, on db: any SQLDatabase) async throws {
        guard let progress = row.progress, let item = try await FindingRows.opened(by: finding.id, on: db).immediate else { return }
        let target: ImmediateStatus = switch progress {
        case .underway: .signed
        case .completed: .reported
        case .closed: .closed
        }
        let found = row.recordedOn
        let done = progress.day ?? found
        let problem = finding.content.manifestation.count <= 4_000 ? finding.content.manifestation : finding.content.title
        let path: [LedgerStep<ImmediateLifecycle>] = [
            .init(step: .approve, day: found, dayKey: "recorded_on", input: ImmediateStepInput(note: run.note)),
            .init(step: .issue, day: found, dayKey: "recorded_on", input: ImmediateStepInput(problem: problem, requirement: "立行立改，立即整改到位。（\(run.note)）")),
            .init(step: .sign, day: found, dayKey: "recorded_on", input: ImmediateStepInput()),
            .init(step: .report, day: done, dayKey: "closed_on", input: ImmediateStepInput(measures: row.measures ?? ProblemListImportPlan.measuresNotRecorded)),
            .init(step: .verify, day: done, dayKey: "closed_on", input: ImmediateStepInput(note: run.note)),
        ]
        let standing = ImmediateStanding(isLeadingGroup: true, isGroupLeader: true, isUnitHead: true, isUnitUser: true)
        try await advanceImported(ImmediateLifecycle.self, item.id, to: target, along: path, standing: standing, run: run, on: db)
    }

    // MARK: 限期整改

    /// A unit's 限期整改 rows: their problems on the unit's problem list and their tasks on its
    /// plan (both written from the ledger when the unit has none), each task brought to its row's state.
    private func importRectification(
        _ items: [(row: ProblemListImportPlan.Row, finding: Finding)], of unit: AssignmentDetail, run: inout LedgerImportRun, on db: any SQLDatabase
    ) async throws {
        let existing = try await db.raw(
            "SELECT t.id, fp.finding_id FROM rectification_tasks t JOIN feedback_problems fp ON fp.id = t.problem_id WHERE t.assignment_id = \(bind: unit.id.text)"
        ).all()
        var tasks = Dictionary(try existing.map { (try $0.uuid("finding_id"), try $0.uuid("id")) }, uniquingKeysWith: { first, _ in first })
        let fresh = items.filter { tasks[$0.finding.id] == nil }
        var feedback = try await FeedbackRows.load(FeedbackRows.select + " WHERE fb.assignment_id = \(bind: unit.id.text)", on: db).first
        if !fresh.isEmpty {
            if feedback == nil {
                feedback = try await importedProblemList(fresh, of: unit, tasks: &tasks, run: &run, on: db)
            } else if let feedback, feedback.document.number == Self.importedFeedbackNumber {
                try await appendImportedProblems(fresh, to: feedback, tasks: &tasks, run: &run, on: db)
            } else {
                for item in fresh {
                    run.fail(item.row.line, "disposition", code: "feedback_drafted_in_xuncha", "\(unit.unitName)的反馈意见已在系统中拟制，其限期整改问题请在系统中办理")
                }
                return
            }
        }
        guard let feedback, let issuedAt = feedback.issuedAt else { return }
        let issuedOn = CalendarDay(issuedAt)
        for (row, finding) in items {
            guard let taskID = tasks[finding.id], let content = row.task, let progress = row.progress else { continue }
            do {
                if fresh.allSatisfy({ $0.finding.id != finding.id }) { try await updateImportedTask(taskID, to: content, after: issuedOn, run: run, on: db) }
                try await advanceImportedTask(taskID, to: progress, startedOn: max(issuedOn, row.recordedOn), run: run, on: db)
            } catch let refusal as LedgerStepRefusal {
                run.fail(row.line, refusal.error, day: refusal.dayKey, else: "status")
            } catch let error as DomainError {
                run.fail(row.line, error, day: "recorded_on", else: "deadline")
            }
        }
    }

    /// A problem list and a plan taken from the ledger for a unit with none: issued and approved on
    /// the unit's latest 发现日期, one problem and one task per row; the approval starts the tasks.
    private func importedProblemList(
        _ items: [(row: ProblemListImportPlan.Row, finding: Finding)], of unit: AssignmentDetail, tasks: inout [UUID: UUID], run: inout LedgerImportRun,
        on db: any SQLDatabase
    ) async throws -> Feedback? {
        guard let day = items.map(\.row.recordedOn).max() else { return nil }
        // The deadlines the feedback form proposes: the plan in 15 days, the report in the committee's months.
        let months = try await SettingsRows.settings(of: unit.jurisdictionID, on: db).rectificationReportMonths
        let document = FeedbackDocument(
            number: Self.importedFeedbackNumber, title: "\(unit.unitName)巡察反馈问题清单（据台账补录）", mainRecipient: unit.unitName, copyRecipients: [],
            body: "本问题清单据整改台账补录（\(run.reason)），反馈意见原件见纸质档案。", planDue: day.adding(days: 15), reportDue: day.adding(months: months))
        let feedbackID = ids.next()
        try await FeedbackRows.insert(feedbackID, for: unit, document: document, at: run.now, on: db)
        try await audit.append(
            AuditEvent(
                action: .feedbackDrafted, targetType: "feedback", targetID: feedbackID.text, jurisdictionID: unit.jurisdictionID,
                detail: "\(unit.unitName)：问题清单据台账补录，问题\(items.count)个"),
            origin: run.origin, at: run.now, on: db)
        var problems: [(item: (row: ProblemListImportPlan.Row, finding: Finding), problem: UUID)] = []
        for (index, item) in items.enumerated() {
            let problem = ids.next()
            try await FeedbackRows.insertProblem(problem, of: feedbackID, sequence: index + 1, text: item.finding.content.title, finding: item.finding.id, on: db)
            problems.append((item, problem))
        }
        do {
            try await takeImported(FeedbackStep.issue, on: try await loadFeedback(feedbackID, on: db), standing: true, input: StepNote(run.note), day: day, run: run, on: db)
        } catch let error as DomainError {
            for item in items { run.fail(item.row.line, error, day: "recorded_on") }
            return nil
        }
        let feedback = try await loadFeedback(feedbackID, on: db)
        let planID = ids.next()
        let content = PlanContent(title: "\(unit.unitName)整改方案（据台账补录）", meeting: "整改方案及党组（党委）会议研究情况见纸质档案；\(run.note)。", body: "")
        try await RectificationRows.insertPlan(planID, answering: feedback, content: content, status: .endorsed, at: run.now, on: db)
        let plan = try await loadPlan(planID, on: db)
        for (item, problem) in problems {
            guard let task = item.row.task else { continue }
            do {
                let content = try task.validated(feedbackIssuedOn: day)
                let id = ids.next()
                try await RectificationRows.insertTask(id, of: plan, problem: problem, sequence: 1, content: content, at: run.now, on: db)
                tasks[item.finding.id] = id
            } catch let error as DomainError {
                run.fail(item.row.line, "deadline", error.message + "（该单位问题清单按其最晚的发现日期\(day)补录反馈）")
            }
        }
        try await takeImported(PlanStep.approve, on: plan, standing: PlanStanding(reviewBody: .office), input: StepNote(run.note), day: day, run: run, on: db)
        return feedback
    }

    /// New rows for a unit whose problem list came from an earlier import: onto the list and the
    /// approved plan, each task started on its day.
    private func appendImportedProblems(
        _ items: [(row: ProblemListImportPlan.Row, finding: Finding)], to feedback: Feedback, tasks: inout [UUID: UUID], run: inout LedgerImportRun,
        on db: any SQLDatabase
    ) async throws {
        guard let plan = try await RectificationRows.plans(RectificationRows.selectPlans + " WHERE p.feedback_id = \(bind: feedback.id.text)", on: db).first,
            plan.status == .approved, let issuedAt = feedback.issuedAt
        else {
            for item in items { run.fail(item.row.line, "disposition", "\(feedback.unitName)据台账补录的整改方案尚未审核通过，请在系统中办理") }
            return
        }
        try await SerialisedSQL.lock("feedback_problems:" + feedback.id.text, on: db)
        let listed = try await db.raw("SELECT MAX(sequence) AS n FROM feedback_problems WHERE feedback_id = \(bind: feedback.id.text)").first()
        var sequence = try listed?.decode(column: "n", as: Int?.self) ?? 0
        for (row, finding) in items {
            guard let task = row.task else { continue }
            do {
                let content = try task.validated(feedbackIssuedOn: CalendarDay(issuedAt))
                sequence += 1
                let problem = ids.next()
                try await FeedbackRows.insertProblem(problem, of: feedback.id, sequence: sequence, text: finding.content.title, finding: finding.id, on: db)
                let id = ids.next()
                try await RectificationRows.insertTask(id, of: plan, problem: problem, sequence: 1, content: content, at: run.now, on: db)
                tasks[finding.id] = id
            } catch let error as DomainError {
                run.fail(row.line, "deadline", error.message)
            }
        }
    }

    /// The owners, deadline and measures of a task imported before, brought up to the ledger.
    private func updateImportedTask(_ id: UUID, to content: TaskContent, after issuedOn: CalendarDay, run: LedgerImportRun, on db: any SQLDatabase) async throws {
        let task = try await TaskLifecycle.find(id, in: self, on: db)
        var wanted = try content.validated(feedbackIssuedOn: issuedOn)
        wanted.target = task.content.target
        guard wanted != task.content else { return }
        try await VersionedRow.update(
            TaskLifecycle.table, id: id, version: task.version,
            set: """
                measures = \(bind: wanted.measures), deadline = \(bind: wanted.deadline.description), responsible_leader = \(bind: wanted.owners.leader),
                responsible_department = \(bind: wanted.owners.department), responsible_cadre = \(bind: wanted.owners.cadre)
                """, at: run.now, on: db)
        try await audit.append(
            AuditEvent(
                action: .ledgerImported, targetType: Chain.task.rawValue, targetID: id.text, jurisdictionID: task.jurisdictionID,
                detail: "\(TaskLifecycle.label(of: task))：据台账更新责任人、时限（\(run.reason)）"),
            origin: run.origin, at: run.now, on: db)
    }

    /// A task brought to the ledger's state: started with its plan, its closure requested (citing
    /// the ledger as evidence) and closed on 销号日期.
    private func advanceImportedTask(_ id: UUID, to progress: LedgerProgress, startedOn: CalendarDay, run: LedgerImportRun, on db: any SQLDatabase) async throws {
        let target: TaskStatus = switch progress {
        case .underway: .inProgress
        case .completed: .closureRequested
        case .closed: .closed
        }
        let done = progress.day ?? startedOn
        let path: [LedgerStep<TaskLifecycle>] = [
            .init(step: .start, day: startedOn, dayKey: "recorded_on", input: TaskStepInput(note: run.note)),
            .init(step: .requestClosure, day: done, dayKey: "closed_on", input: TaskStepInput(note: "整改完成（\(run.note)）", evidenceOnRecord: "原整改台账")),
            .init(step: .close, day: done, dayKey: "closed_on", input: TaskStepInput(note: "经审核，整改到位，同意销号。（\(run.note)）")),
        ]
        let standing = TaskStanding(isUnitSide: true, isReviewer: true, isPlanApproval: true)
        try await advanceImported(TaskLifecycle.self, id, to: target, along: path, standing: standing, run: run, on: db)
    }

    private func loadFeedback(_ id: UUID, on db: any SQLDatabase) async throws -> Feedback {
        guard let feedback = try await FeedbackRows.load(FeedbackRows.select + " WHERE fb.id = \(bind: id.text)", on: db).first else { throw DomainError.notFound }
        return feedback
    }

    private func loadPlan(_ id: UUID, on db: any SQLDatabase) async throws -> RectificationPlan {
        guard let plan = try await RectificationRows.plans(RectificationRows.selectPlans + " WHERE p.id = \(bind: id.text)", on: db).first else { throw DomainError.notFound }
        return plan
    }
}
