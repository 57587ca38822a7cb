import Foundation

/// 整改任务 (任务清单、责任清单的一项; domain §2.5, §3.7): one task answering one problem of the
/// feedback, owned under "三个一" — one responsible leader, one department, one responsible cadre.
/// Progress is appended with evidence; a closure request is reviewed by the group's leader or the
/// office, who closes it (销号) or reopens it with reasons.
public struct RectificationTask: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var planID: UUID
    public var assignmentID: UUID
    public var unitID: UUID
    public var unitName: String
    public var problemID: UUID
    public var problemSequence: Int
    /// The problem as the unit reads it.
    public var problemText: String
    /// 问题下的第几项任务.
    public var sequence: Int
    public var content: TaskContent
    public var status: TaskStatus
    /// 完成进度 (0–100), from the latest progress report.
    public var progress: Int
    public var lastReportedOn: CalendarDay?
    public var closedAt: Date?
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, planID: UUID, assignmentID: UUID, unitID: UUID, unitName: String, problemID: UUID, problemSequence: Int,
        problemText: String, sequence: Int, content: TaskContent, status: TaskStatus, progress: Int, lastReportedOn: CalendarDay?, closedAt: Date?,
        updatedAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.planID = planID
        self.assignmentID = assignmentID
        self.unitID = unitID
        self.unitName = unitName
        self.problemID = problemID
        self.problemSequence = problemSequence
        self.problemText = problemText
        self.sequence = sequence
        self.content = content
        self.status = status
        self.progress = progress
        self.lastReportedOn = lastReportedOn
        self.closedAt = closedAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// 任务编号 as printed on the lists: problem number – task number.
    public var label: String { "\(problemSequence)-\(sequence)" }

    /// The warning colour on `today` (or on a past day, as it stood then) under the committee's thresholds.
    public func warning(on today: CalendarDay, thresholds: WarningThresholds) -> Warning {
        thresholds.warning(deadline: content.deadline, isOpen: isOpen(asOf: today), today: today)
    }

    /// Still to be done at the end of `day`: a task closed (销号) after it was still open then.
    public func isOpen(asOf day: CalendarDay) -> Bool {
        if let closedAt { return CalendarDay(closedAt) > day }
        return status.isOpen
    }

    /// For a long-term task still open, the day its next periodic report is due.
    public var nextReportDue: CalendarDay? {
        status.isOpen ? content.nextReportDue(lastReportedOn: lastReportedOn) : nil
    }
}

/// 整改任务的内容: what the unit writes in its plan.
public struct TaskContent: Sendable, Equatable {
    /// 整改目标.
    public var target: String
    /// 整改措施.
    public var measures: String
    /// 完成时限.
    public var deadline: CalendarDay
    public var kind: TaskKind
    /// For a 长期坚持 task: how often it reports (days).
    public var reportEveryDays: Int?
    public var owners: TaskOwners

    public init(target: String, measures: String, deadline: CalendarDay, kind: TaskKind, reportEveryDays: Int? = nil, owners: TaskOwners) {
        self.target = target
        self.measures = measures
        self.deadline = deadline
        self.kind = kind
        self.reportEveryDays = reportEveryDays
        self.owners = owners
    }

    /// A 长期坚持 task reports first by its deadline, then every `reportEveryDays` after its
    /// latest report; other tasks have no periodic report.
    public func nextReportDue(lastReportedOn: CalendarDay?) -> CalendarDay? {
        guard kind == .longTerm, let every = reportEveryDays else { return nil }
        return lastReportedOn.map { $0.adding(days: every) } ?? deadline
    }

    /// Checks a task as the unit wrote it: all three owners, a deadline after the feedback, and a
    /// reporting interval for long-term tasks.
    public func validated(feedbackIssuedOn: CalendarDay) throws(DomainError) -> TaskContent {
        var valid = self
        let target = try TextRules.requiredText(target, field: "target", label: "整改目标", maxLength: 2_000)
        let measures = try TextRules.requiredText(measures, field: "measures", label: "整改措施", maxLength: 10_000)
        valid.target = target
        valid.measures = measures
        valid.owners = try owners.validated()
        guard deadline > feedbackIssuedOn else {
            throw .invalid(
                "deadline_before_feedback", "完成时限须晚于反馈之日（\(feedbackIssuedOn.chineseText)）", english: "deadline before feedback", field: "deadline")
        }
        switch kind {
        case .longTerm:
            guard let every = reportEveryDays, (7...366).contains(every) else {
                throw .invalid("report_interval_required", "长期坚持的任务须定期报告，报告周期在7至366天之间", english: "long-term tasks report every 7-366 days", field: "report_every_days")
            }
        case .deadline:
            valid.reportEveryDays = nil
        }
        return valid
    }
}

/// "三个一": one responsible leader, one department, one responsible cadre, each named.
public struct TaskOwners: Sendable, Equatable {
    /// 责任领导.
    public var leader: String
    /// 责任部门.
    public var department: String
    /// 责任人.
    public var cadre: String
    /// The responsible cadre's own account, when they report progress themselves.
    public var cadreAccountID: UUID?

    public init(leader: String, department: String, cadre: String, cadreAccountID: UUID? = nil) {
        self.leader = leader
        self.department = department
        self.cadre = cadre
        self.cadreAccountID = cadreAccountID
    }

    public func validated() throws(DomainError) -> TaskOwners {
        let missing = [(leader, "责任领导", "leader"), (department, "责任部门", "department"), (cadre, "责任人", "cadre")]
            .filter { $0.0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        guard missing.isEmpty else {
            throw .invalid(
                "owners_required", "“三个一”责任须齐全：请填写\(missing.map(\.1).joined(separator: "、"))", english: "a task needs a leader, a department and a cadre",
                field: missing[0].2)
        }
        return TaskOwners(
            leader: try TextRules.requiredLine(leader, field: "leader", label: "责任领导", maxLength: 60),
            department: try TextRules.requiredLine(department, field: "department", label: "责任部门", maxLength: 100),
            cadre: try TextRules.requiredLine(cadre, field: "cadre", label: "责任人", maxLength: 60), cadreAccountID: cadreAccountID)
    }
}

public enum TaskKind: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// 限期整改.
    case deadline
    /// 长期坚持: keeps reporting at its interval after the first deadline.
    case longTerm = "long_term"

    public var title: String {
        switch self {
        case .deadline: "限期整改"
        case .longTerm: "长期坚持"
        }
    }
}

public enum TaskStatus: String, CaseIterable, Codable, Sendable, CodedTitle, LifecycleStatus {
    /// 方案中（方案未审核通过）.
    case planned
    /// 整改中.
    case inProgress = "in_progress"
    /// 已申请销号，待审核.
    case closureRequested = "closure_requested"
    /// 已销号.
    case closed

    public var title: String {
        switch self {
        case .planned: "待方案审核"
        case .inProgress: "整改中"
        case .closureRequested: "待销号审核"
        case .closed: "已销号"
        }
    }

    /// Still to be done: counted for warnings and overdue lists.
    public var isOpen: Bool { self == .inProgress || self == .closureRequested }

    public static let open: [TaskStatus] = [.inProgress, .closureRequested]
}

/// 预警: green, yellow and red as the deadline nears and passes.
public enum Warning: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// 未到预警期.
    case none
    case green
    case yellow
    /// 已逾期.
    case red

    public var title: String {
        switch self {
        case .none: "正常"
        case .green: "绿色预警"
        case .yellow: "黄色预警"
        case .red: "红色预警（已逾期）"
        }
    }
}

/// 预警阈值: days before the deadline at which a task turns green and yellow (default 20 and 10);
/// past the deadline it is red.
public struct WarningThresholds: Sendable, Equatable {
    public var greenDays: Int
    public var yellowDays: Int

    public static let standard = WarningThresholds(greenDays: 20, yellowDays: 10)

    public init(greenDays: Int, yellowDays: Int) {
        self.greenDays = greenDays
        self.yellowDays = yellowDays
    }

    public func validated() throws(DomainError) -> WarningThresholds {
        guard (1...90).contains(greenDays), (0...90).contains(yellowDays), yellowDays < greenDays else {
            throw .invalid(
                "invalid_warning_days", "预警天数须满足：绿色（1至90天）大于黄色（0至89天）", english: "green days must exceed yellow days", field: "warning_green_days")
        }
        return self
    }

    public func warning(deadline: CalendarDay, status: TaskStatus, today: CalendarDay) -> Warning {
        warning(deadline: deadline, isOpen: status.isOpen, today: today)
    }

    public func warning(deadline: CalendarDay, isOpen: Bool, today: CalendarDay) -> Warning {
        guard isOpen else { return .none }
        let left = today.days(until: deadline)
        if left < 0 { return .red }
        if left <= yellowDays { return .yellow }
        if left <= greenDays { return .green }
        return .none
    }

    /// The deadlines, as of `today`, that bound a colour: a task is `colour` when its deadline
    /// lies in `from...through` (nil: unbounded). Lets the store filter by colour in SQL.
    public func deadlineRange(of colour: Warning, today: CalendarDay) -> (from: CalendarDay?, through: CalendarDay?) {
        switch colour {
        case .red: (nil, today.adding(days: -1))
        case .yellow: (today, today.adding(days: yellowDays))
        case .green: (today.adding(days: yellowDays + 1), today.adding(days: greenDays))
        case .none: (today.adding(days: greenDays + 1), nil)
        }
    }
}

/// What happens to a task after its plan is approved.
public enum TaskStep: String, CaseIterable, Codable, Sendable, LifecycleStep {
    public typealias Lifecycle = TaskLifecycle

    /// 开始整改: set off by the approval of the task's plan, never taken by hand.
    case start
    /// 报告进展 (with evidence when it has some); the task stays in progress.
    case progress
    /// 申请销号: needs evidence attached to the task.
    case requestClosure = "request_closure"
    /// 审核销号: the group's leader or the office.
    case close
    /// 退回重新整改, with the reasons.
    case reopen

    public var title: String {
        switch self {
        case .start: "开始整改"
        case .progress: "报告进展"
        case .requestClosure: "申请销号"
        case .close: "审核销号"
        case .reopen: "退回重新整改"
        }
    }

    var transition: (from: [TaskStatus], to: TaskStatus) {
        switch self {
        case .start: ([.planned], .inProgress)
        case .progress: ([.inProgress], .inProgress)
        case .requestClosure: ([.inProgress], .closureRequested)
        case .close: ([.closureRequested], .closed)
        case .reopen: ([.closureRequested, .closed], .inProgress)
        }
    }

    var takerTitle: String {
        switch self {
        case .start: "巡察办审核通过整改方案"
        case .progress, .requestClosure: "本单位或任务责任人"
        case .close, .reopen: "巡察组组长或巡察办"
        }
    }
}

/// Who the acting person is towards one task; the store reads it from the database.
public struct TaskStanding: Sendable, Equatable {
    /// The unit's own accounts (head, contact) or the task's responsible cadre.
    public var isUnitSide: Bool
    /// The leader of the group that inspected the unit, or the office.
    public var isReviewer: Bool
    /// The approval of the task's plan, which starts it.
    public var isPlanApproval: Bool

    public init(isUnitSide: Bool = false, isReviewer: Bool = false, isPlanApproval: Bool = false) {
        self.isUnitSide = isUnitSide
        self.isReviewer = isReviewer
        self.isPlanApproval = isPlanApproval
    }

    func mayTake(_ step: TaskStep) -> Bool {
        switch step {
        case .start: isPlanApproval
        case .progress, .requestClosure: isUnitSide
        case .close, .reopen: isReviewer
        }
    }
}

/// What a task's step carries: the note, and for a progress report the percentage reached.
public struct TaskStepInput: Sendable, Equatable {
    public var note: String?
    public var progress: Int?
    /// For a closure request recorded from an imported ledger (补录): where the evidence the
    /// office saw before Xuncha kept it ("原台账"), which stands in for files attached to the task.
    /// Only the store's import sets it; no form or body carries it.
    public var evidenceOnRecord: String?

    public init(note: String? = nil, progress: Int? = nil) {
        self.note = note
        self.progress = progress
    }

    /// A closure request as an imported ledger records it.
    public init(note: String?, evidenceOnRecord: String) {
        self.note = note
        self.evidenceOnRecord = evidenceOnRecord
    }
}

/// What a task's steps need read: closure needs evidence attached to the task.
public struct TaskFacts: Sendable, Equatable {
    public var evidenceCount: Int

    public init(evidenceCount: Int) {
        self.evidenceCount = evidenceCount
    }
}

extension RectificationTask: LifecycleRecord {}

/// 整改任务流转: the plan's approval starts the task; the unit reports progress and asks for
/// closure with evidence; the group's leader or the office closes it or sends it back.
public enum TaskLifecycle: Lifecycle {
    public static let chain = Chain.task

    public static func status(of task: RectificationTask) -> TaskStatus { task.status }

    public static func sources(of step: TaskStep) -> Set<TaskStatus> { Set(step.transition.from) }

    /// A reopening answers a closure the reviewer disagrees with; nobody waits for it.
    public static func awaits(_ step: TaskStep, at status: TaskStatus) -> Bool { step != .reopen && sources(of: step).contains(status) }

    public static func refusal(of step: TaskStep, standing: TaskStanding) -> DomainError? {
        standing.mayTake(step) ? nil : notYours(step, takenBy: step.takerTitle)
    }

    /// Progress and a closure request report (a closure request 100%, with evidence); closing
    /// completes the task; reopening needs the reasons. The next periodic report follows.
    public static func take(
        _ step: TaskStep, on task: RectificationTask, input: TaskStepInput, facts: TaskFacts, context: StepContext
    ) throws(DomainError) -> StepOutcome<RectificationTask> {
        if let progress = input.progress, !(0...100).contains(progress) {
            throw .invalid("invalid_progress", "完成进度须在0至100之间", english: "progress must be 0-100", field: "progress")
        }
        let text = try TextRules.optionalText(input.note, field: "note", label: "说明", maxLength: 10_000)
        var after = task
        after.status = step.transition.to
        switch step {
        case .start:
            return StepOutcome(record: after, note: text)
        case .progress:
            guard let text else { throw DomainError.required("note", label: "整改进展") }
            after.progress = input.progress ?? task.progress
            after.lastReportedOn = context.today
            return StepOutcome(record: after, note: text, progress: after.progress)
        case .requestClosure:
            guard facts.evidenceCount > 0 || input.evidenceOnRecord != nil else {
                throw .invalid("evidence_required", "申请销号须上传整改佐证材料", english: "closure needs evidence", field: "evidence")
            }
            guard let text else { throw DomainError.required("note", label: "整改完成情况") }
            after.progress = 100
            after.lastReportedOn = context.today
            return StepOutcome(record: after, note: text, progress: after.progress)
        case .close:
            after.progress = 100
            after.closedAt = context.at
            return StepOutcome(record: after, note: text ?? "经审核，整改到位，同意销号。")
        case .reopen:
            guard let text else { throw DomainError.required("note", label: "退回理由") }
            after.closedAt = nil
            return StepOutcome(record: after, note: text)
        }
    }
}

/// 督查记录 (督查清单的一项): a supervision check on one task — who checked, when, how, and with
/// what result.
public struct SupervisionCheck: Sendable, Equatable {
    public var id: UUID
    public var taskID: UUID
    public var taskLabel: String
    public var unitID: UUID
    public var unitName: String
    public var checkedOn: CalendarDay
    public var body: ReviewBody
    public var checkerName: String
    public var method: String
    public var result: CheckResult
    public var note: String
    public var createdAt: Date

    public init(
        id: UUID, taskID: UUID, taskLabel: String, unitID: UUID, unitName: String, checkedOn: CalendarDay, body: ReviewBody, checkerName: String,
        method: String, result: CheckResult, note: String, createdAt: Date
    ) {
        self.id = id
        self.taskID = taskID
        self.taskLabel = taskLabel
        self.unitID = unitID
        self.unitName = unitName
        self.checkedOn = checkedOn
        self.body = body
        self.checkerName = checkerName
        self.method = method
        self.result = result
        self.note = note
        self.createdAt = createdAt
    }
}

public enum CheckResult: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// 按计划推进.
    case onTrack = "on_track"
    /// 进度滞后.
    case behind
    /// 整改不到位.
    case inadequate

    public var title: String {
        switch self {
        case .onTrack: "按计划推进"
        case .behind: "进度滞后"
        case .inadequate: "整改不到位"
        }
    }
}
