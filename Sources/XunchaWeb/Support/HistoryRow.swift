import XunchaCore

/// One entry of a record's history as every page shows it (the `history` partial): the step (with
/// the body that met, in a report's meeting chain), the change of state, the note, who, the day it
/// happened and, for an entry made after the fact (补录), when it was recorded and why.
struct HistoryRow {
    let step: String
    let change: String
    let note: String?
    let actor: String
    let at: String
    let backfill: String?

    init<Step: LifecycleStep, Status: LifecycleStatus>(_ record: StepRecord<Step, Status>) {
        step = [record.stage, record.step.title].compactMap { $0 }.joined(separator: "：")
        change = record.from == record.to ? record.to.title : "\(record.from.title) → \(record.to.title)"
        note = record.note
        actor = record.actorName
        if record.isBackfilled {
            at = record.occurredOn.description
            backfill = "补录于 \(Display.time(record.at))" + (record.backfillReason.map { "：\($0)" } ?? "")
        } else {
            at = Display.time(record.at)
            backfill = nil
        }
    }
}
