import Foundation

/// Who takes the steps of the chains after the feedback (rectification reports, disclosures,
/// evaluations); the store finds which of them a person is towards one record.
public enum RectificationTaker: Sendable, Hashable, StepTaker {
    /// The unit's head, by the head's own account.
    case unitHead
    case unit
    case office
    case leadingGroup
    /// Either the office or the leading group (grading an evaluation).
    case officeOrLeadingGroup

    public var title: String {
        switch self {
        case .unitHead: "被巡察单位主要负责人本人"
        case .unit: "被巡察单位"
        case .office: "巡察办"
        case .leadingGroup: "领导小组成员"
        case .officeOrLeadingGroup: "巡察办或领导小组"
        }
    }
}

/// Which of the takers a person is towards one record.
public typealias RectificationStanding = Set<RectificationTaker>
