import Foundation

/// 待办 as the lifecycles decide it: a record waits for the steps its state awaits, and for whoever
/// may take one of them.
extension Lifecycle {
    /// The states in which a record waits for a person standing so, each with the steps it waits for.
    public static func awaiting(standing: Standing) -> [(status: Status, steps: [Step])] {
        Status.allCases.compactMap { status in
            let steps = Step.allCases.filter { awaits($0, at: status) && refusal(of: $0, standing: standing) == nil }
            return steps.isEmpty ? nil : (status, steps)
        }
    }

    /// The states in which a record waits for someone: what can be overdue and reminded of.
    public static var awaitedStatuses: [Status] {
        Status.allCases.filter { status in Step.allCases.contains { awaits($0, at: status) } }
    }

    /// The states in which a record waits for nobody any more (办结).
    public static var settledStatuses: [Status] {
        Status.allCases.filter { status in !Step.allCases.contains { awaits($0, at: status) } }
    }
}

/// What a work-centre item is: a record of a chain, or an act outside the chains a person must
/// still do (a pledge to sign, a recusal request to decide).
public enum WorkKind: Hashable, Sendable {
    case chain(Chain)
    /// 保密承诺书: a group member signs before the group's assignments open.
    case pledge
    /// 回避申请: the office decides a unit's request.
    case recusalRequest
    /// 整改方案 to draft: issued feedback whose unit has no plan yet (the record is the feedback).
    case planToDraft

    public init?(rawValue: String) {
        switch rawValue {
        case "pledge": self = .pledge
        case "recusal_request": self = .recusalRequest
        case "plan_to_draft": self = .planToDraft
        default:
            guard let chain = Chain(rawValue: rawValue) else { return nil }
            self = .chain(chain)
        }
    }

    public var rawValue: String {
        switch self {
        case .chain(let chain): chain.rawValue
        case .pledge: "pledge"
        case .recusalRequest: "recusal_request"
        case .planToDraft: "plan_to_draft"
        }
    }

    public var title: String {
        switch self {
        case .chain(let chain): chain.title
        case .pledge: "保密承诺书"
        case .recusalRequest: "回避申请"
        case .planToDraft: "整改方案"
        }
    }
}

/// 催办: the office or a group leader reminds whoever an overdue item waits for.
public struct Reminder: Sendable, Equatable {
    public var note: String
    public var byName: String
    public var at: Date

    public init(note: String, byName: String, at: Date) {
        self.note = note
        self.byName = byName
        self.at = at
    }

    /// A reminder says what is wanted; the default wording serves when the reminder writes none.
    public static func note(_ text: String?) throws(DomainError) -> String {
        try TextRules.optionalText(text, field: "note", label: "催办意见", maxLength: 500) ?? "请抓紧办理"
    }

    /// Only an item past its deadline is reminded of; an item on time is left to its holder.
    public static func requireOverdue(_ due: CalendarDay?, today: CalendarDay) throws(DomainError) {
        guard let due, due < today else {
            throw DomainError(.conflict, code: "not_overdue", message: "只有逾期未办的事项才能催办", english: "only an overdue item is reminded of")
        }
    }
}

/// One line of a person's work centre: the record, where it stands, what it waits for, by when.
public struct WorkItem: Sendable, Equatable {
    public var kind: WorkKind
    public var recordID: UUID
    /// The record as its pages name it ("第十五届第3轮", "市财政局任务1-1").
    public var title: String
    public var unitName: String?
    public var statusTitle: String
    /// The steps it waits for from the reader (待办), or the step the reader took (已办).
    public var steps: [String]
    public var due: CalendarDay?
    /// When it last moved (待办, 办结) or when the reader acted (已办).
    public var at: Date
    public var reminders: [Reminder]

    public init(
        kind: WorkKind, recordID: UUID, title: String, unitName: String?, statusTitle: String, steps: [String], due: CalendarDay?, at: Date,
        reminders: [Reminder] = []
    ) {
        self.kind = kind
        self.recordID = recordID
        self.title = title
        self.unitName = unitName
        self.statusTitle = statusTitle
        self.steps = steps
        self.due = due
        self.at = at
        self.reminders = reminders
    }

    /// Past its deadline (shown in red).
    public func isOverdue(today: CalendarDay) -> Bool { due.map { $0 < today } ?? false }
}
