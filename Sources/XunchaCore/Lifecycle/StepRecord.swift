import Foundation

/// One step taken in a lifecycle, appended to the record's history: which step, from and to which
/// state, the note, who took it and when. Each lifecycle names its own with its step and state types.
public struct StepRecord<Step: Sendable & Equatable, Status: Sendable & Equatable>: Sendable, Equatable {
    public var step: Step
    public var from: Status
    public var to: Status
    public var note: String?
    public var actorName: String
    public var at: Date

    public init(step: Step, from: Status, to: Status, note: String?, actorName: String, at: Date) {
        self.step = step
        self.from = from
        self.to = to
        self.note = note
        self.actorName = actorName
        self.at = at
    }
}

/// The history of a 专题报告.
public typealias ThematicReportStepRecord = StepRecord<ThematicReportStep, ThematicReportStatus>
/// The history of an evaluation (整改评估).
public typealias EvaluationStepRecord = StepRecord<EvaluationStep, EvaluationStatus>
/// The history of a rectification report or a disclosure, whose steps are stored by name.
public typealias RectificationStepRecord = StepRecord<String, String>
