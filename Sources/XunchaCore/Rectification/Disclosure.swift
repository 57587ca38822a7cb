import Foundation

/// 整改公开 (domain §2.5, §3.8, §4 rule 4): the office prepares the text to publish from an
/// accepted rectification report, redacting under the five exemptions and naming which it used;
/// the leading group approves it or returns it with comments; the office then publishes it, and a
/// public one appears on the committee's page that needs no sign-in. The Party-internal
/// circulation (党内通报) is recorded on the same disclosure, separately.
public struct Disclosure: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var reportID: UUID
    public var unitID: UUID
    public var unitName: String
    public var title: String
    public var text: String
    public var exemptions: [DisclosureExemption]
    public var channel: DisclosureChannel
    public var status: DisclosureStatus
    public var reviewNote: String?
    public var publishedOn: CalendarDay?
    /// When it was published: the public page's order.
    public var publishedAt: Date?
    public var circulation: InternalCirculation?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, reportID: UUID, unitID: UUID, unitName: String, title: String, text: String, exemptions: [DisclosureExemption],
        channel: DisclosureChannel, status: DisclosureStatus, reviewNote: String?, publishedOn: CalendarDay?, publishedAt: Date?,
        circulation: InternalCirculation?,
        createdBy: String, createdAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.reportID = reportID
        self.unitID = unitID
        self.unitName = unitName
        self.title = title
        self.text = text
        self.exemptions = exemptions
        self.channel = channel
        self.status = status
        self.reviewNote = reviewNote
        self.publishedOn = publishedOn
        self.publishedAt = publishedAt
        self.circulation = circulation
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// The five matters a disclosure may leave out, with the leading group's consent (a county rule [S4]).
public enum DisclosureExemption: String, CaseIterable, Codable, Sendable, CodedTitle {
    case stateSecret = "state_secret"
    case pendingCase = "pending_case"
    case negativeHype = "negative_hype"
    case massIncident = "mass_incident"
    case otherSensitive = "other_sensitive"

    public var title: String {
        switch self {
        case .stateSecret: "国家秘密"
        case .pendingCase: "正在初核或已立案尚未公布的案件"
        case .negativeHype: "可能引发重大负面炒作"
        case .massIncident: "可能引发群体性上访或事件"
        case .otherSensitive: "其他重大敏感事项"
        }
    }
}

public enum DisclosureChannel: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// 社会公开: the committee's public page.
    case `public`
    /// 单位内部公开: the unit's own notice board; never on the public page.
    case unitInternal = "unit_internal"

    public var title: String {
        switch self {
        case .public: "社会公开"
        case .unitInternal: "单位内部公开"
        }
    }
}

public enum DisclosureStatus: String, CaseIterable, Codable, Sendable, LifecycleStatus {
    case draft
    /// 领导小组已审定.
    case approved
    /// 领导小组退回，待巡察办修改.
    case returned
    case published

    public var title: String {
        switch self {
        case .draft: "待领导小组审定"
        case .approved: "已审定待发布"
        case .returned: "已退回修改"
        case .published: "已发布"
        }
    }

    public var isEditable: Bool { self == .draft || self == .returned }
}

public enum DisclosureStep: String, CaseIterable, Codable, Sendable, TakenStep {
    public typealias Lifecycle = DisclosureLifecycle

    /// 领导小组审定.
    case approve
    /// 领导小组退回，附意见.
    case `return`
    /// 巡察办发布.
    case publish

    public var title: String {
        switch self {
        case .approve: "审定同意"
        case .return: "退回修改"
        case .publish: "发布"
        }
    }

    var transition: (from: DisclosureStatus, to: DisclosureStatus) {
        switch self {
        case .approve: (.draft, .approved)
        case .return: (.draft, .returned)
        case .publish: (.approved, .published)
        }
    }

    public var takenBy: RectificationTaker { self == .publish ? .office : .leadingGroup }
}

extension Disclosure: LifecycleRecord {}

/// 整改公开流转: the leading group approves or returns with comments; the office publishes.
public enum DisclosureLifecycle: Lifecycle {
    public typealias Standing = RectificationStanding
    public static let chain = Chain.disclosure

    public static func status(of disclosure: Disclosure) -> DisclosureStatus { disclosure.status }

    public static func sources(of step: DisclosureStep) -> Set<DisclosureStatus> { [step.transition.from] }

    /// Publishing anything but an approved text is refused in the words of the rule it breaks.
    public static func outOfTurn(_ step: DisclosureStep, at status: DisclosureStatus) -> DomainError {
        guard step == .publish else {
            return DomainError(
                .conflict, code: "invalid_transition", message: "公开内容当前为“\(status.title)”，不能“\(step.title)”",
                english: "cannot \(step.rawValue) a \(status.rawValue) disclosure")
        }
        return DomainError(
            .conflict, code: "disclosure_not_approved", message: "公开内容须经领导小组审定后才能发布（当前为“\(status.title)”）",
            english: "only an approved disclosure is published")
    }

    /// The leading group's verdict keeps its comments (a return needs them); publishing dates the text.
    public static func take(_ step: DisclosureStep, on disclosure: Disclosure, input: StepNote, facts: Void, context: StepContext) throws(DomainError)
        -> StepOutcome<Disclosure>
    {
        let note = try TextRules.optionalText(input.note, field: "note", label: "意见", maxLength: 4_000)
        var after = disclosure
        after.status = step.transition.to
        switch step {
        case .approve, .return:
            if step == .return, note == nil { throw DomainError.required("note", label: "退回意见") }
            after.reviewNote = note
        case .publish:
            after.publishedOn = context.today
            after.publishedAt = context.at
        }
        return StepOutcome(record: after, note: note)
    }

    /// Checks what the office typed.
    public static func validate(title: String?, text: String?) throws(DomainError) -> (title: String, text: String) {
        let title = try TextRules.requiredLine(title, field: "title", label: "公开标题", maxLength: 120)
        let text = try TextRules.requiredText(text, field: "text", label: "公开内容", maxLength: 100_000)
        return (title, text)
    }

    /// Exemption codes or titles, each at most once; an unknown one is an error.
    public static func exemptions(_ codes: [String]) throws(DomainError) -> [DisclosureExemption] {
        var found: [DisclosureExemption] = []
        for code in codes where !code.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let exemption = DisclosureExemption(code: code) else {
                throw DomainError.invalid("unknown_exemption", "不予公开情形“\(code)”不在五类之列", english: "unknown exemption", field: "exemptions")
            }
            if !found.contains(exemption) { found.append(exemption) }
        }
        return DisclosureExemption.allCases.filter(found.contains)
    }
}

/// 党内通报: the internal Party circulation, recorded apart from the public text.
public struct InternalCirculation: Sendable, Equatable {
    /// 文号.
    public var number: String
    /// 通报范围 / 发送对象.
    public var scope: String
    public var date: CalendarDay

    public init(number: String, scope: String, date: CalendarDay) {
        self.number = number
        self.scope = scope
        self.date = date
    }

    public static func validate(number: String?, scope: String?, date: String?) throws(DomainError) -> InternalCirculation {
        let number = try TextRules.requiredLine(number, field: "number", label: "通报文号", maxLength: 60)
        let scope = try TextRules.requiredLine(scope, field: "scope", label: "通报范围", maxLength: 400)
        guard let date, !date.isEmpty else { throw DomainError.required("date", label: "通报日期") }
        return InternalCirculation(number: number, scope: scope, date: try CalendarDay(text: date, field: "date", label: "通报日期"))
    }
}
