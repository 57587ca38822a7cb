import Foundation

/// 整改情况报告 and its companions (domain §2.5, §3.8): once the feedback is issued, the unit writes
/// its rectification report, the head's report on organising rectification and, during the
/// concentrated period, progress reports. The head signs each (签字背书, by the head's own account,
/// over exactly the text sent), the unit submits it to the office, which accepts it or returns it
/// with comments; a returned report is redrafted and signed again.
public struct RectificationReport: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var feedbackID: UUID
    public var feedbackNumber: String
    public var unitID: UUID
    public var unitName: String
    public var kind: RectificationReportKind
    public var title: String
    public var body: String
    public var status: RectificationReportStatus
    /// The feedback's 整改情况报告报送时限.
    public var due: CalendarDay
    public var signature: HeadSignature?
    public var submittedAt: Date?
    /// The office's comments when it returned or accepted the report.
    public var reviewNote: String?
    public var reviewedAt: Date?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, feedbackID: UUID, feedbackNumber: String, unitID: UUID, unitName: String, kind: RectificationReportKind,
        title: String, body: String, status: RectificationReportStatus, due: CalendarDay, signature: HeadSignature?, submittedAt: Date?,
        reviewNote: String?, reviewedAt: Date?, createdBy: String, createdAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.feedbackID = feedbackID
        self.feedbackNumber = feedbackNumber
        self.unitID = unitID
        self.unitName = unitName
        self.kind = kind
        self.title = title
        self.body = body
        self.status = status
        self.due = due
        self.signature = signature
        self.submittedAt = submittedAt
        self.reviewNote = reviewNote
        self.reviewedAt = reviewedAt
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// Not yet with the office and past its due day.
    public func isOverdue(today: CalendarDay) -> Bool {
        RectificationReportStatus.awaitingUnit.contains(status) && today > due
    }

    /// Exactly what the head signs: the kind, the title and the body, one per line. The digest
    /// recorded with the signature is the SHA-256 of these bytes (UTF-8).
    public var signedText: String { RectificationReport.signedText(kind: kind, title: title, body: body) }

    public static func signedText(kind: RectificationReportKind, title: String, body: String) -> String {
        "\(kind.title)\n\(title)\n\(body)"
    }
}

/// 签字背书: who signed, when, and the digest of exactly what was signed.
public struct HeadSignature: Sendable, Equatable {
    public var signerID: UUID
    public var signerName: String
    public var signedAt: Date
    /// SHA-256 (hex) of `RectificationReport.signedText` at signing.
    public var digest: String

    public init(signerID: UUID, signerName: String, signedAt: Date, digest: String) {
        self.signerID = signerID
        self.signerName = signerName
        self.signedAt = signedAt
        self.digest = digest
    }
}

public enum RectificationReportKind: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// 整改情况报告.
    case rectification
    /// 主要负责人组织落实整改情况报告.
    case headOrganising = "head_organising"
    /// 整改进展情况报告 (集中整改期, may be sent more than once).
    case progress

    public var title: String {
        switch self {
        case .rectification: "整改情况报告"
        case .headOrganising: "主要负责人组织落实整改情况报告"
        case .progress: "整改进展情况报告"
        }
    }

    /// The rectification report and the head's report are sent once per feedback; progress reports repeat.
    public var oncePerFeedback: Bool { self != .progress }
}

public enum RectificationReportStatus: String, CaseIterable, Codable, Sendable, LifecycleStatus {
    case draft
    /// 主要负责人已签字.
    case signed
    /// 已报送巡察办.
    case submitted
    case accepted
    /// 巡察办退回，待修改后重新签字报送.
    case returned

    public var title: String {
        switch self {
        case .draft: "拟稿中"
        case .signed: "已签字待报送"
        case .submitted: "已报送待审核"
        case .accepted: "已审核通过"
        case .returned: "已退回修改"
        }
    }

    /// The unit still holds the report (it has not reached the office or came back).
    public static let awaitingUnit: [RectificationReportStatus] = [.draft, .signed, .returned]

    /// The unit may still change the text; a change after signing voids the signature.
    public var isEditable: Bool { self == .draft || self == .signed || self == .returned }
}

public enum RectificationReportStep: String, CaseIterable, Codable, Sendable, TakenStep {
    public typealias Lifecycle = RectificationReportLifecycle

    /// 主要负责人签字背书.
    case sign
    /// 报送巡察办.
    case submit
    /// 巡察办审核通过.
    case accept
    /// 巡察办退回，附意见.
    case `return`

    public var title: String {
        switch self {
        case .sign: "签字背书"
        case .submit: "报送巡察办"
        case .accept: "审核通过"
        case .return: "退回修改"
        }
    }

    var transition: (from: RectificationReportStatus, to: RectificationReportStatus) {
        switch self {
        case .sign: (.draft, .signed)
        case .submit: (.signed, .submitted)
        case .accept: (.submitted, .accepted)
        case .return: (.submitted, .returned)
        }
    }

    public var takenBy: RectificationTaker {
        switch self {
        case .sign: .unitHead
        case .submit: .unit
        case .accept, .return: .office
        }
    }
}

/// What signing needs read: the head's own account, and the digest of exactly the text signed.
public struct SigningFacts: Sendable, Equatable {
    public var signerID: UUID?
    /// SHA-256 (hex) of the report's `signedText`.
    public var digest: String

    public init(signerID: UUID?, digest: String) {
        self.signerID = signerID
        self.digest = digest
    }
}

extension RectificationReport: LifecycleRecord {}

/// 整改报告流转: the head signs, the unit submits, the office accepts or returns with comments.
public enum RectificationReportLifecycle: Lifecycle {
    public typealias Standing = RectificationStanding
    public static let chain = Chain.rectificationReport

    public static func status(of report: RectificationReport) -> RectificationReportStatus { report.status }

    public static func sources(of step: RectificationReportStep) -> Set<RectificationReportStatus> { [step.transition.from] }

    /// Signing records the signer and the digest (the history keeps the digest); the office's
    /// verdict keeps its comments, and a return needs them.
    public static func take(
        _ step: RectificationReportStep, on report: RectificationReport, input: StepNote, facts: SigningFacts, context: StepContext
    ) throws(DomainError) -> StepOutcome<RectificationReport> {
        var note = try TextRules.optionalText(input.note, field: "note", label: "意见", maxLength: 4_000)
        var after = report
        after.status = step.transition.to
        switch step {
        case .sign:
            guard let signer = facts.signerID else { throw DomainError.forbidden }
            after.signature = HeadSignature(signerID: signer, signerName: context.actorName, signedAt: context.at, digest: facts.digest)
            note = "SHA-256 \(facts.digest)"
        case .submit:
            after.submittedAt = context.at
        case .accept, .return:
            if step == .return, note == nil { throw DomainError.required("note", label: "退回意见") }
            after.reviewNote = note
            after.reviewedAt = context.at
        }
        return StepOutcome(record: after, note: note)
    }

    /// Checks the text the unit wrote.
    public static func validate(title: String?, body: String?) throws(DomainError) -> (title: String, body: String) {
        let title = try TextRules.requiredLine(title, field: "title", label: "报告标题", maxLength: 120)
        let body = try TextRules.requiredText(body, field: "body", label: "报告正文", maxLength: 100_000)
        return (title, body)
    }
}

