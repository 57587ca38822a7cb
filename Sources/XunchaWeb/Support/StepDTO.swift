import XunchaCore

/// One entry of a record's history as the API gives it, the same shape for every chain: the step,
/// the report chain's stage where there is one, from and to which state, the note, the progress a
/// task reported, who and when.
struct StepDTO: Encodable {
    let step: String
    let stage: String?
    let from: String
    let to: String
    let note: String?
    let progress: Int?
    let actor: String
    let at: String

    init(step: String, stage: String? = nil, from: String, to: String, note: String?, progress: Int? = nil, actor: String, at: String) {
        self.step = step
        self.stage = stage
        self.from = from
        self.to = to
        self.note = note
        self.progress = progress
        self.actor = actor
        self.at = at
    }

    /// A lifecycle's history as the engine reads it.
    init<Step: LifecycleStep, Status: LifecycleStatus>(_ record: StepRecord<Step, Status>) {
        self.init(
            step: record.step.rawValue, stage: record.stage, from: record.from.rawValue, to: record.to.rawValue, note: record.note, progress: record.progress,
            actor: record.actorName, at: JSONBody.timestamp(record.at))
    }
}
