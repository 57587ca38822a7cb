import Foundation

/// Who takes a step, in chains where each step belongs to one kind of person (the unit's head,
/// the unit, the office …). Where a person stands towards a record is then the kinds they are.
public protocol StepTaker: Hashable, Sendable {
    /// Who, as a refusal names them ("须由巡察办办理").
    var title: String { get }
}

/// A step that names its taker.
public protocol TakenStep: LifecycleStep {
    associatedtype Taker: StepTaker
    var takenBy: Taker { get }
}

extension Lifecycle where Step: TakenStep, Standing == Set<Step.Taker> {
    /// Only the step's taker takes it.
    public static func refusal(of step: Step, standing: Standing) -> DomainError? {
        standing.contains(step.takenBy) ? nil : notYours(step, takenBy: step.takenBy.title)
    }
}
