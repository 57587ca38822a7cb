import Foundation

/// One step taken in a lifecycle, as every chain's history keeps it: which step, from and to which
/// state, the note, the progress reported (tasks) or the body that met (reports), who took it, when
/// it was recorded and the business day it happened (业务日期; earlier for a step entered after the fact).
public struct StepRecord<Step: Sendable & Equatable, Status: Sendable & Equatable>: Sendable, Equatable {
    public var step: Step
    public var from: Status
    public var to: Status
    public var note: String?
    public var progress: Int?
    public var stage: String?
    public var actorName: String
    /// When the step was recorded.
    public var at: Date
    public var occurredOn: CalendarDay
    /// 补录原因, for a step entered after the day it happened.
    public var backfillReason: String?

    public init(
        step: Step, from: Status, to: Status, note: String?, progress: Int? = nil, stage: String? = nil, actorName: String, at: Date,
        occurredOn: CalendarDay? = nil, backfillReason: String? = nil
    ) {
        self.step = step
        self.from = from
        self.to = to
        self.note = note
        self.progress = progress
        self.stage = stage
        self.actorName = actorName
        self.at = at
        self.occurredOn = occurredOn ?? CalendarDay(at)
        self.backfillReason = backfillReason
    }

    /// Entered after the day it happened (补录).
    public var isBackfilled: Bool { occurredOn < CalendarDay(at) }
}

