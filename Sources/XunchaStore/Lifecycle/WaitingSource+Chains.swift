import Foundation
import SQLKit
import XunchaCore

// Each chain's records as a work-centre row, and where a reader stands towards them: the same
// standings each chain's `standing(of:towards:)` reads for one record, written for all at once.

/// The work-centre row of a chain: its table unaliased (so standings name its columns), joined to
/// its unit (`u`, by `unitColumn`, or by `joins` when nil), with the record's title and deadline as
/// SQL; what else names a record is read by its key per row (a subquery), never by joining a table
/// the reader's standing does not narrow.
private func workRow(
    _ chain: Chain, table: String, title: String, unit: String = "u.name", unitColumn: String? = "unit_id", due: String? = nil, assignment: Bool = true,
    joins: String = ""
) -> SQLQueryString {
    let unitJoin = unitColumn.map { " JOIN units u ON u.id = \(table).\($0)" } ?? ""
    return """
        SELECT '\(unsafeRaw: chain.rawValue)' AS kind, \(unsafeRaw: table).id AS id, \(unsafeRaw: title) AS title, \(unsafeRaw: unit) AS unit_name,
            \(unsafeRaw: table).status AS status, \(unsafeRaw: due ?? "CAST(NULL AS TEXT)") AS due, \(unsafeRaw: table).updated_at AS since,
            \(unsafeRaw: table).jurisdiction_id AS jurisdiction_id, \(unsafeRaw: assignment ? "\(table).assignment_id" : "CAST(NULL AS TEXT)") AS assignment_id
        FROM \(unsafeRaw: table)\(unsafeRaw: unitJoin)\(unsafeRaw: joins)
        """
}

extension RoundLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(
        .round, table: "rounds", title: "rounds.term || '第' || CAST(rounds.sequence AS TEXT) || '轮'", unit: "CAST(NULL AS TEXT)", unitColumn: nil,
        assignment: false)
    public static let statusColumn = "rounds.status"
    public static let idColumn = "rounds.id"

    public static func standings(of actor: Actor, in store: Store) -> [(standing: RoundStanding, records: SQLQueryString?)] {
        [
            (RoundStanding(actor: actor, mayReview: true, mayManage: false), WaitingSQL.located(store.policy.scope(actor, .reviewRounds), jurisdictionColumn: "rounds.jurisdiction_id")),
            (RoundStanding(actor: actor, mayReview: false, mayManage: true), WaitingSQL.office(actor, store: store, jurisdictionColumn: "rounds.jurisdiction_id")),
        ]
    }

    public static func remindable(by actor: Actor, in store: Store) -> SQLQueryString? { nil }
}

extension FindingLifecycle: WaitingSource {
    /// A paper handed over as a lead is named by its number alone (线索封存: its substance is the
    /// lead's, and 已办 and 办结 list papers their reader may no longer read).
    public static let workRow = XunchaStore.workRow(
        .finding, table: "findings",
        title: "CASE WHEN findings.disposition = 'lead' THEN COALESCE(findings.number, '底稿') ELSE COALESCE(findings.number || ' ', '') || findings.title END")
    public static let statusColumn = "findings.status"
    public static let idColumn = "findings.id"
    /// Where approved papers alone are asked (the office's triage) the condition is the index's
    /// own column, so the committee's untriaged papers are one range of
    /// `findings_jurisdiction_disposition`, however many it has triaged.
    public static func stillWaiting(in statuses: [FindingStatus]) -> SQLQueryString? {
        guard statuses.contains(.approved) else { return nil }
        return statuses == [.approved] ? "findings.disposition IS NULL" : "(findings.status <> 'approved' OR findings.disposition IS NULL)"
    }

    /// Any member may submit a draft, but it waits for the one who drafted it (older papers, whose
    /// drafter is not known by account, for the whole group).
    public static func standings(of actor: Actor, in store: Store) -> [(standing: FindingStanding, records: SQLQueryString?)] {
        let ownDrafts: SQLQueryString =
            " AND (findings.status NOT IN (\(binds: [FindingStatus.draft.rawValue, FindingStatus.returned.rawValue])) OR findings.drafter_id IS NULL OR findings.drafter_id = \(bind: actor.userID?.text ?? ""))"
        return [
            (FindingStanding(isMember: true, isLeader: true, mayTriage: store.policy.allowsAnywhere(actor, .triageFindings)),
             WaitingSQL.served(actor, in: store, assignmentColumn: "findings.assignment_id", asLeader: true).map { $0 + ownDrafts }),
            (FindingStanding(isMember: true, isLeader: false), WaitingSQL.served(actor, in: store, assignmentColumn: "findings.assignment_id", asLeader: false).map { $0 + ownDrafts }),
            (FindingStanding(isMember: false, isLeader: false, mayTriage: true),
             WaitingSQL.located(store.policy.scope(actor, .triageFindings), jurisdictionColumn: "findings.jurisdiction_id")),
        ]
    }
}

extension LeadLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(.lead, table: "leads", title: "COALESCE(leads.number, '问题线索')", due: "leads.feedback_due")
    public static let statusColumn = "leads.status"
    public static let idColumn = "leads.id"

    public static func standings(of actor: Actor, in store: Store) -> [(standing: LeadStanding, records: SQLQueryString?)] {
        let bodies = ReceivingBody.allCases.filter { actor.roles.contains($0.receiverRole) }.map(\.rawValue)
        var inbox: SQLQueryString?
        if let jurisdiction = actor.jurisdictionID, !bodies.isEmpty {
            inbox = "leads.receiver_jurisdiction_id = \(bind: jurisdiction.text) AND leads.receiver IN (\(binds: bodies))"
                + " AND leads.status IN (\(binds: LeadStatus.transferredOn.map(\.rawValue)))"
        }
        return [
            (LeadStanding(isGroupLeader: true), WaitingSQL.served(actor, in: store, assignmentColumn: "leads.assignment_id", asLeader: true)),
            (LeadStanding(isLeadingGroup: true), WaitingSQL.holds(.leadingGroupMember, actor, jurisdictionColumn: "leads.jurisdiction_id")),
            (LeadStanding(isCustodian: true), WaitingSQL.holds(.leadCustodian, actor, jurisdictionColumn: "leads.jurisdiction_id")),
            (LeadStanding(isReceiver: true), inbox),
        ]
    }

    /// Leads are sealed from the office: their custodian reminds, or the group's leader.
    public static func remindable(by actor: Actor, in store: Store) -> SQLQueryString? {
        WaitingSQL.either(
            WaitingSQL.holds(.leadCustodian, actor, jurisdictionColumn: "leads.jurisdiction_id"),
            WaitingSQL.served(actor, in: store, assignmentColumn: "leads.assignment_id", asLeader: true))
    }
}

extension ImmediateLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(
        .immediate, table: "immediate_rectifications", title: "COALESCE(immediate_rectifications.number, '立行立改事项')", due: "immediate_rectifications.deadline")
    public static let statusColumn = "immediate_rectifications.status"
    public static let idColumn = "immediate_rectifications.id"

    public static func standings(of actor: Actor, in store: Store) -> [(standing: ImmediateStanding, records: SQLQueryString?)] {
        let (jurisdiction, unit) = ("immediate_rectifications.jurisdiction_id", "immediate_rectifications.unit_id")
        return [
            (ImmediateStanding(isUnitHead: true, isUnitUser: true), WaitingSQL.ownUnit(actor, roles: [.unitHead], jurisdictionColumn: jurisdiction, unitColumn: unit)),
            (ImmediateStanding(isUnitUser: true), WaitingSQL.ownUnit(actor, roles: [.unitContact], jurisdictionColumn: jurisdiction, unitColumn: unit)),
            (ImmediateStanding(isLeadingGroup: true), WaitingSQL.holds(.leadingGroupMember, actor, jurisdictionColumn: jurisdiction)),
            (ImmediateStanding(isGroupLeader: true), WaitingSQL.served(actor, in: store, assignmentColumn: "immediate_rectifications.assignment_id", asLeader: true)),
        ]
    }
}

extension ReportLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(
        .report, table: "reports", title: "reports.title", unitColumn: nil,
        joins: " JOIN assignments a ON a.id = reports.assignment_id JOIN units u ON u.id = a.unit_id")
    public static let statusColumn = "reports.status"
    public static let idColumn = "reports.id"

    /// A report under review waits for the holder of its pending stage (`pending_role`).
    public static func standings(of actor: Actor, in store: Store) -> [(standing: ReportStanding, records: SQLQueryString?)] {
        var standings: [(standing: ReportStanding, records: SQLQueryString?)] = [
            (ReportStanding(leadsGroup: true, roles: [], pendingStage: nil), WaitingSQL.served(actor, in: store, assignmentColumn: "reports.assignment_id", asLeader: true))
        ]
        for role in ReportChain.stageRoles where actor.roles.contains(role) {
            standings.append(
                (ReportStanding(leadsGroup: false, roles: [role], pendingStage: ReportStage(name: "", role: role)),
                 WaitingSQL.holds(role, actor, jurisdictionColumn: "reports.jurisdiction_id").map { $0 + " AND reports.pending_role = \(bind: role.rawValue)" }))
        }
        return standings
    }
}

extension FeedbackLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(.feedback, table: "feedbacks", title: "feedbacks.title")
    public static let statusColumn = "feedbacks.status"
    public static let idColumn = "feedbacks.id"

    public static func standings(of actor: Actor, in store: Store) -> [(standing: Bool, records: SQLQueryString?)] {
        [(true, WaitingSQL.office(actor, store: store, jurisdictionColumn: "feedbacks.jurisdiction_id"))]
    }

    /// Issued feedback waits for its unit's 整改方案 until one is drafted (no step of any chain: the
    /// plan does not exist yet).
    static func awaitingPlan(for actor: Actor, in store: Store) -> WorkBranch? {
        let drafting = store.policy.scope(actor, .draftRectificationPlans)
        guard !drafting.isNothing else { return nil }
        let sql = workRow + " WHERE feedbacks.status = \(bind: FeedbackStatus.issued.rawValue) AND "
            + ScopeSQL.filter(drafting, jurisdictionColumn: "feedbacks.jurisdiction_id", unitColumn: "feedbacks.unit_id")
            + " AND NOT EXISTS (SELECT 1 FROM rectification_plans p WHERE p.feedback_id = feedbacks.id)"
        return WorkBranch(kind: .planToDraft, sql: sql, steps: { _ in ["拟定整改方案"] }, statusTitle: { _ in "待拟定" })
    }
}

extension PlanLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(
        .plan, table: "rectification_plans", title: "rectification_plans.title",
        due: "(SELECT fb.plan_due FROM feedbacks fb WHERE fb.id = rectification_plans.feedback_id)")
    public static let statusColumn = "rectification_plans.status"
    public static let idColumn = "rectification_plans.id"

    public static func standings(of actor: Actor, in store: Store) -> [(standing: PlanStanding, records: SQLQueryString?)] {
        var standings: [(standing: PlanStanding, records: SQLQueryString?)] = [
            (PlanStanding(isUnitHead: true),
             actor.userID == nil
                ? nil : WaitingSQL.ownUnit(actor, roles: [.unitHead], jurisdictionColumn: "rectification_plans.jurisdiction_id", unitColumn: "rectification_plans.unit_id"))
        ]
        if actor.userID != nil, let body = ReviewBody.of(actor.roles) {
            standings.append(
                (PlanStanding(reviewBody: body), WaitingSQL.located(store.policy.scope(actor, .reviewRectificationPlans), jurisdictionColumn: "rectification_plans.jurisdiction_id")))
        }
        return standings
    }
}

extension TaskLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(
        .task, table: "rectification_tasks",
        title: "'任务' || CAST((SELECT fp.sequence FROM feedback_problems fp WHERE fp.id = rectification_tasks.problem_id) AS TEXT) || '-' || CAST(rectification_tasks.sequence AS TEXT)",
        due: "rectification_tasks.deadline")
    public static let statusColumn = "rectification_tasks.status"
    public static let idColumn = "rectification_tasks.id"

    /// As `taskStanding` reads one task: the unit's own accounts or the task's cadre; the office of
    /// the committee or the group's leader.
    public static func standings(of actor: Actor, in store: Store) -> [(standing: TaskStanding, records: SQLQueryString?)] {
        let (jurisdiction, unit) = ("rectification_tasks.jurisdiction_id", "rectification_tasks.unit_id")
        var unitSide: SQLQueryString?
        switch store.policy.scope(actor, .reportRectificationProgress) {
        case let scope where scope.isOwnTasks:
            unitSide = ScopeSQL.filter(scope, jurisdictionColumn: jurisdiction, ownerColumn: "rectification_tasks.owner_account_id")
        case let scope:
            if case .unit = scope { unitSide = ScopeSQL.filter(scope, jurisdictionColumn: jurisdiction, unitColumn: unit) }
        }
        var reviewer: SQLQueryString?
        switch store.policy.scope(actor, .reviewTaskClosure) {
        case .jurisdiction(let id): reviewer = "\(unsafeRaw: jurisdiction) = \(bind: id.text)"
        case .ownAssignments: reviewer = WaitingSQL.served(actor, in: store, assignmentColumn: "rectification_tasks.assignment_id", asLeader: true)
        default: break
        }
        return [(TaskStanding(isUnitSide: true), unitSide), (TaskStanding(isReviewer: true), reviewer)]
    }
}

extension RectificationReportLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(
        .rectificationReport, table: "rectification_reports", title: "rectification_reports.title", due: "rectification_reports.due", assignment: false)
    public static let statusColumn = "rectification_reports.status"
    public static let idColumn = "rectification_reports.id"

    public static func standings(of actor: Actor, in store: Store) -> [(standing: RectificationStanding, records: SQLQueryString?)] {
        let (jurisdiction, unit) = ("rectification_reports.jurisdiction_id", "rectification_reports.unit_id")
        let writers = WaitingSQL.located(store.policy.scope(actor, .writeRectificationReports), jurisdictionColumn: jurisdiction, unitColumn: unit)
        let head = actor.roles.contains(.unitHead) && actor.userID != nil
        return [
            ([.unit, .unitHead], head ? writers : nil),
            ([.unit], writers),
            ([.office], WaitingSQL.located(store.policy.scope(actor, .reviewRectificationReports), jurisdictionColumn: jurisdiction, unitColumn: unit)),
        ]
    }

    public static func remindable(by actor: Actor, in store: Store) -> SQLQueryString? {
        WaitingSQL.office(actor, store: store, jurisdictionColumn: "rectification_reports.jurisdiction_id")
    }
}

extension DisclosureLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(.disclosure, table: "disclosures", title: "disclosures.title", assignment: false)
    public static let statusColumn = "disclosures.status"
    public static let idColumn = "disclosures.id"

    public static func standings(of actor: Actor, in store: Store) -> [(standing: RectificationStanding, records: SQLQueryString?)] {
        [
            ([.office], WaitingSQL.located(store.policy.scope(actor, .prepareDisclosures), jurisdictionColumn: "disclosures.jurisdiction_id")),
            ([.leadingGroup], WaitingSQL.located(store.policy.scope(actor, .approveDisclosures), jurisdictionColumn: "disclosures.jurisdiction_id")),
        ]
    }

    public static func remindable(by actor: Actor, in store: Store) -> SQLQueryString? { nil }
}

extension EvaluationLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(
        .evaluation, table: "evaluations", title: "'整改评估'",
        due: "CASE WHEN evaluations.status = 'scheduled' THEN evaluations.planned_on ELSE evaluations.second_deadline END", assignment: false)
    public static let statusColumn = "evaluations.status"
    public static let idColumn = "evaluations.id"

    public static func standings(of actor: Actor, in store: Store) -> [(standing: RectificationStanding, records: SQLQueryString?)] {
        let scope = { (permission: Permission) in
            WaitingSQL.located(store.policy.scope(actor, permission), jurisdictionColumn: "evaluations.jurisdiction_id", unitColumn: "evaluations.unit_id")
        }
        return [([.office], scope(.manageEvaluations)), ([.officeOrLeadingGroup], scope(.gradeEvaluations)), ([.unit], scope(.reportSecondRectification))]
    }

    public static func remindable(by actor: Actor, in store: Store) -> SQLQueryString? {
        WaitingSQL.office(actor, store: store, jurisdictionColumn: "evaluations.jurisdiction_id")
    }
}

extension ThematicReportLifecycle: WaitingSource {
    public static let workRow = XunchaStore.workRow(
        .thematicReport, table: "thematic_reports", title: "thematic_reports.title", unitColumn: "department_unit_id", assignment: false)
    public static let statusColumn = "thematic_reports.status"
    public static let idColumn = "thematic_reports.id"

    public static func standings(of actor: Actor, in store: Store) -> [(standing: ThematicReportStanding, records: SQLQueryString?)] {
        let scope = { (permission: Permission) in
            WaitingSQL.located(
                store.policy.scope(actor, permission), jurisdictionColumn: "thematic_reports.jurisdiction_id", unitColumn: "thematic_reports.department_unit_id")
        }
        return [(ThematicReportStanding(mayManage: true), scope(.manageThematicReports)), (ThematicReportStanding(mayRecordRuleChange: true), scope(.recordThematicRuleChanges))]
    }

    public static func remindable(by actor: Actor, in store: Store) -> SQLQueryString? { nil }
}
