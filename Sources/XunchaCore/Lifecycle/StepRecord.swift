import Foundation

/// One step taken in a lifecycle, as every chain's history keeps it: which step, from and to which
/// state, the note, the progress reported (tasks) or the body that met (reports), who took it and when.
public struct StepRecord<Step: Sendable & Equatable, Status: Sendable & Equatable>: Sendable, Equatable {
    public var step: Step
    public var from: Status
    public var to: Status
    public var note: String?
    public var progress: Int?
    public var stage: String?
    public var actorName: String
    public var at: Date

    public init(step: Step, from: Status, to: Status, note: String?, progress: Int? = nil, stage: String? = nil, actorName: String, at: Date) {
        self.step = step
        self.from = from
        self.to = to
        self.note = note
        self.progress = progress
        self.stage = stage
        self.actorName = actorName
        self.at = at
    }
}

