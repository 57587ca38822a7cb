import XunchaCore

/// One entry of a record's history as every page shows it (the `history` partial): the step (with
/// the body that met, in a report's meeting chain), the change of state, the note, who and when.
struct HistoryRow {
    let step: String
    let change: String
    let note: String?
    let actor: String
    let at: String

    init<Step: LifecycleStep, Status: LifecycleStatus>(_ record: StepRecord<Step, Status>) {
        step = [record.stage, record.step.title].compactMap { $0 }.joined(separator: "：")
        change = record.from == record.to ? record.to.title : "\(record.from.title) → \(record.to.title)"
        note = record.note
        actor = record.actorName
        at = Display.time(record.at)
    }
}
