import XunchaCore

/// One entry of a record's history as the API gives it, the same shape for every chain: the step,
/// the report chain's stage where there is one, from and to which state, the note, the progress a
/// task reported, who, when it was recorded (`at`), the business day it happened (`occurred_on`)
/// and, for an entry made after the fact (补录), why.
struct StepDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case step, stage, from, to, note, progress, actor, at
        case occurredOn = "occurred_on", backfilled, backfillReason = "backfill_reason"
    }

    let step: String
    let stage: String?
    let from: String
    let to: String
    let note: String?
    let progress: Int?
    let actor: String
    let at: String
    let occurredOn: String
    let backfilled: Bool
    let backfillReason: String?

    init<Step: LifecycleStep, Status: LifecycleStatus>(_ record: StepRecord<Step, Status>) {
        step = record.step.rawValue
        stage = record.stage
        from = record.from.rawValue
        to = record.to.rawValue
        note = record.note
        progress = record.progress
        actor = record.actorName
        at = JSONBody.timestamp(record.at)
        occurredOn = record.occurredOn.description
        backfilled = record.isBackfilled
        backfillReason = record.backfillReason
    }
}
