import Foundation

/// The approval chains of a tour, named as their history and the audit log name them.
public enum Chain: String, CaseIterable, Codable, Sendable {
    case round
    case finding
    case lead
    case immediate
    case report
    case feedback
    case plan = "rectification_plan"
    case task = "rectification_task"
    case rectificationReport = "rectification_report"
    case disclosure
    case evaluation
    case thematicReport = "thematic_report"

    /// What the chain's records are called in a refusal ("底稿当前为…").
    public var title: String {
        switch self {
        case .round: "轮次"
        case .finding: "底稿"
        case .lead: "线索"
        case .immediate: "立行立改事项"
        case .report: "报告"
        case .feedback: "反馈意见"
        case .plan: "整改方案"
        case .task: "整改任务"
        case .rectificationReport: "整改报告"
        case .disclosure: "整改公开"
        case .evaluation: "整改评估"
        case .thematicReport: "专题报告"
        }
    }
}

/// A state of a lifecycle, stored by its raw value.
public protocol LifecycleStatus: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    var title: String { get }
}

/// A step of a lifecycle, stored by its raw value; it names the lifecycle it belongs to, so a
/// caller names the step alone and the engine finds the chain.
public protocol LifecycleStep: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    associatedtype Lifecycle: XunchaCore.Lifecycle where Lifecycle.Step == Self
    var title: String { get }
}

/// What the engine reads of every record it moves.
public protocol LifecycleRecord: Sendable {
    var id: UUID { get }
    var jurisdictionID: UUID { get }
    var version: Int { get }
}

/// What a step carries: every step may carry a note (reasons, an opinion, a document number),
/// some carry more.
public protocol StepInput: Sendable {
    var note: String? { get }
    init(note: String?)
}

/// What most steps carry: a note only.
public struct StepNote: StepInput, Equatable {
    public var note: String?

    public init(note: String? = nil) {
        self.note = note
    }

    public init(_ note: String?) {
        self.note = note
    }
}

/// When and by whom a step is taken, as the lifecycle may need it (an approval names its approver).
public struct StepContext: Sendable, Equatable {
    public var actorName: String
    /// The step's business day (业务日期) and when it is recorded.
    public var time: StepTime

    public init(actorName: String, time: StepTime) {
        self.actorName = actorName
        self.time = time
    }

    /// A step recorded as it happens.
    public init(actorName: String, at: Date) {
        self.init(actorName: actorName, time: StepTime(recordedAt: at))
    }

    /// The moment the fields the step sets record (approved at, closed at …): on its business day.
    public var at: Date { time.at }

    /// The step's business day, in Asia/Shanghai: what its date rules compare against (a deadline
    /// must follow the day a notice is issued, not the day it is entered).
    public var today: CalendarDay { time.occurredOn }
}

/// What a step does, as values: the record after it (its new state and every field the step
/// sets), what its history keeps, and what it starts on other chains.
public struct StepOutcome<Record: Sendable>: Sendable {
    public var record: Record
    /// The note the history keeps (nil: none).
    public var note: String?
    /// What the audit entry adds after the step's title ("，编号…", "（移交单…）").
    public var detail: String
    /// For steps that report progress: the percentage the history keeps.
    public var progress: Int?
    /// For a report's meeting chain: the body that held the meeting.
    public var stage: String?
    /// Steps this one sets off on other chains, each taken through that chain's own lifecycle.
    public var effects: [ChainEffect]

    public init(record: Record, note: String?, detail: String = "", progress: Int? = nil, stage: String? = nil, effects: [ChainEffect] = []) {
        self.record = record
        self.note = note
        self.detail = detail
        self.progress = progress
        self.stage = stage
        self.effects = effects
    }
}

/// A step one chain sets off on another: triage withdraws the lead or the 立行立改 notice its
/// paper no longer needs. The target chain's lifecycle decides it like any other step.
public struct ChainEffect: Sendable, Equatable {
    public var chain: Chain
    public var recordID: UUID
    public var step: String
    public var note: String?

    public init(chain: Chain, recordID: UUID, step: String, note: String?) {
        self.chain = chain
        self.recordID = recordID
        self.step = step
        self.note = note
    }
}

/// One approval chain, described once: its states, its steps and where each leads, who may take
/// which step (from where the reader stands, which the store reads through the access policy),
/// the step's guards, and its effects as values. The store's one step writer takes every step of
/// every chain through this; the pages ask it which steps a reader may take.
public protocol Lifecycle: Sendable {
    associatedtype Record: LifecycleRecord
    associatedtype Status: LifecycleStatus
    associatedtype Step: LifecycleStep where Step.Lifecycle == Self
    /// Where a person stands towards one record (member of its group, its unit, the office …).
    associatedtype Standing: Sendable
    /// What a step carries besides its name.
    associatedtype Input: Sendable = StepNote
    /// What the store reads for a step's guards and effects (evidence count, a setting …).
    associatedtype Facts: Sendable = Void

    static var chain: Chain { get }
    static func status(of record: Record) -> Status
    /// The states `step` may start from.
    static func sources(of step: Step) -> Set<Status>
    /// Why `standing` may not take `step`, or nil when it may.
    static func refusal(of step: Step, standing: Standing) -> DomainError?
    /// The refusal of `step` from `status`, which is not among its sources (by default the generic
    /// `invalid_transition`; a chain whose users know a more telling one names it).
    static func outOfTurn(_ step: Step, at status: Status) -> DomainError
    /// Checks what the step carries and returns what it does; the engine has already checked who
    /// and from where.
    static func take(_ step: Step, on record: Record, input: Input, facts: Facts, context: StepContext) throws(DomainError) -> StepOutcome<Record>
    /// Whether a record at `status` waits for `step` (待办): by default every step it may take
    /// from there; a chain leaves out the steps nobody is expected to take (a reopening, an
    /// optional opinion).
    static func awaits(_ step: Step, at status: Status) -> Bool
}

extension Lifecycle {
    /// Whether `standing` may take `step` on the record now: who, then from which state — what is
    /// known before anything is read for the step.
    public static func check(_ step: Step, on record: Record, standing: Standing) throws(DomainError) {
        if let refusal = refusal(of: step, standing: standing) { throw refusal }
        let status = status(of: record)
        guard sources(of: step).contains(status) else { throw outOfTurn(step, at: status) }
    }

    /// Decides one step: who may take it, from which state, and what it carries.
    public static func decide(
        _ step: Step, on record: Record, standing: Standing, input: Input, facts: Facts, context: StepContext
    ) throws(DomainError) -> StepOutcome<Record> {
        try check(step, on: record, standing: standing)
        return try take(step, on: record, input: input, facts: facts, context: context)
    }

    public static func awaits(_ step: Step, at status: Status) -> Bool { sources(of: step).contains(status) }

    public static func outOfTurn(_ step: Step, at status: Status) -> DomainError {
        DomainError(
            .conflict, code: "invalid_transition", message: "\(chain.title)当前为“\(status.title)”，不能“\(step.title)”",
            english: "cannot \(step.rawValue) a \(status.rawValue) \(chain.rawValue)")
    }

    /// The steps a person standing so may take on the record now — what the pages offer.
    public static func available(on record: Record, standing: Standing) -> [Step] {
        let status = status(of: record)
        return Step.allCases.filter { sources(of: $0).contains(status) && refusal(of: $0, standing: standing) == nil }
    }

    /// The refusal for a step that belongs to someone else, naming who takes it.
    public static func notYours(_ step: Step, takenBy taker: String) -> DomainError {
        DomainError(.forbidden, code: "step_not_allowed", message: "“\(step.title)”须由\(taker)办理", english: "\(step.rawValue) is not yours to take")
    }
}

extension Lifecycle where Facts == Void {
    /// Decides a step that needs nothing read beyond the record.
    public static func decide(_ step: Step, on record: Record, standing: Standing, input: Input, context: StepContext) throws(DomainError) -> StepOutcome<Record> {
        try decide(step, on: record, standing: standing, input: input, facts: (), context: context)
    }
}
