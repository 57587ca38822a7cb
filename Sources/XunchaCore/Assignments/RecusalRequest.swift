import Foundation

/// 被巡察单位申请回避: the inspected unit asks for a member of the announced group to be recused.
/// It is a request, not a recusal: an inspected unit must not be able to blind its inspectors by
/// naming them. The office (巡察办) grants or refuses it with written reasons; until then the member
/// keeps the unit. A granted request puts the conflict on record exactly as a cadre's own
/// declaration does, and from then on the member no longer sees the unit's records.
public struct RecusalRequest: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var noticeID: UUID
    public var assignmentID: UUID
    public var unitID: UUID
    public var unitName: String
    public var groupName: String
    public var inspectorID: UUID
    public var inspectorName: String
    /// The unit's reason.
    public var reason: String
    public var requestedBy: String
    public var requestedAt: Date
    public var status: RecusalRequestStatus
    public var decidedBy: String?
    public var decidedAt: Date?
    /// The office's reasons for its decision; the unit reads them.
    public var decisionReason: String?

    public init(
        id: UUID, jurisdictionID: UUID, noticeID: UUID, assignmentID: UUID, unitID: UUID, unitName: String, groupName: String, inspectorID: UUID,
        inspectorName: String, reason: String, requestedBy: String, requestedAt: Date, status: RecusalRequestStatus, decidedBy: String? = nil,
        decidedAt: Date? = nil, decisionReason: String? = nil
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.noticeID = noticeID
        self.assignmentID = assignmentID
        self.unitID = unitID
        self.unitName = unitName
        self.groupName = groupName
        self.inspectorID = inspectorID
        self.inspectorName = inspectorName
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.decisionReason = decisionReason
    }
}

public enum RecusalRequestStatus: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// 待巡察办决定: the member still serves on the unit.
    case pending
    /// 同意回避: the conflict is on record; the member no longer sees the unit.
    case granted
    /// 不予回避: the member keeps the unit.
    case refused

    public var title: String {
        switch self {
        case .pending: "待巡察办决定"
        case .granted: "同意回避"
        case .refused: "不予回避"
        }
    }
}

/// The office's decision on a request.
public enum RecusalDecision: String, CaseIterable, Codable, Sendable, CodedTitle {
    case grant
    case refuse

    public var title: String {
        switch self {
        case .grant: "同意回避"
        case .refuse: "不予回避"
        }
    }

    public var outcome: RecusalRequestStatus { self == .grant ? .granted : .refused }

    /// The decision with its reasons, which are required either way: the unit reads why, and the
    /// audit log keeps it.
    public static func validated(decision: String?, reason: String?) throws(DomainError) -> (RecusalDecision, String) {
        guard let text = decision, !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw DomainError.required("decision", label: "决定") }
        guard let decision = RecusalDecision(code: text) else {
            throw DomainError.invalid("unknown_decision", "决定只能是同意回避（grant）或不予回避（refuse）", english: "decision must be grant or refuse", field: "decision")
        }
        let reason = try TextRules.requiredText(reason, field: "reason", label: "决定理由", maxLength: 2_000)
        return (decision, reason)
    }
}

/// Filters of the recusal-request list.
public struct RecusalRequestQuery: Sendable, Equatable {
    public var status: RecusalRequestStatus?
    public var assignmentID: UUID?

    public init(status: RecusalRequestStatus? = nil, assignmentID: UUID? = nil) {
        self.status = status
        self.assignmentID = assignmentID
    }
}
