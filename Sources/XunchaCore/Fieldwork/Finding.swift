import Foundation

/// 问题底稿 → 问题: one problem found at one inspected unit, written up by a member, discussed at
/// the group meeting (组务会), approved and numbered by the group leader, then triaged. Only
/// approved findings may be used in reports, counted, or handed to the unit.
public struct Finding: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var assignmentID: UUID
    public var roundID: UUID
    public var groupID: UUID
    public var unitID: UUID
    public var unitName: String
    /// 底稿编号, given at approval: "[2027]第1轮第一巡察组底稿第03号". Never reused.
    public var number: String?
    public var content: FindingContent
    public var tags: [ClassificationTag]
    public var status: FindingStatus
    public var disposition: Disposition?
    /// Why it was dropped, or the leading group's approval reference for 立行立改, as triaged.
    public var dispositionNote: String?
    /// When it was first and last triaged (those steps' business moments), and the disposition it
    /// had before the last (nil: none): figures as of a day read the disposition it had then. Nil
    /// for a paper triaged before these were recorded.
    public var firstTriagedAt: Date?
    public var triagedAt: Date?
    public var priorDisposition: Disposition?
    public var draftedBy: String
    /// 组务会意见, recorded at approval.
    public var meetingOpinion: String?
    public var approvedBy: String?
    public var approvedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int
    /// 线索封存: the paper was handed over as a lead that this reader may not read, so what they
    /// hold is `sealed()`: its number and state, never its substance.
    public var isSealed = false

    public init(
        id: UUID, jurisdictionID: UUID, assignmentID: UUID, roundID: UUID, groupID: UUID, unitID: UUID, unitName: String, number: String?,
        content: FindingContent, tags: [ClassificationTag], status: FindingStatus, disposition: Disposition?, dispositionNote: String?, draftedBy: String,
        meetingOpinion: String?, approvedBy: String?, approvedAt: Date?, createdAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.assignmentID = assignmentID
        self.roundID = roundID
        self.groupID = groupID
        self.unitID = unitID
        self.unitName = unitName
        self.number = number
        self.content = content
        self.tags = tags
        self.status = status
        self.disposition = disposition
        self.dispositionNote = dispositionNote
        self.draftedBy = draftedBy
        self.meetingOpinion = meetingOpinion
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

extension Finding {
    /// What a reader outside a lead's need-to-know sees of the working paper behind it: its
    /// number, unit, status and disposition. The text, the people it names, its classification
    /// and the group's opinions are the lead's substance and stay with those who may read the lead.
    public func sealed() -> Finding {
        var copy = self
        copy.content = FindingContent(title: Self.sealedTitle, manifestation: "", basis: "", evidence: nil, responsibility: nil, isCommon: false)
        copy.tags = []
        copy.dispositionNote = nil
        copy.meetingOpinion = nil
        copy.isSealed = true
        return copy
    }

    /// Stands in for a sealed paper's title in lists, exports and drill-downs.
    public static let sealedTitle = "（已移交问题线索，内容封存）"

    /// Why a sealed paper's disposition cannot be changed by this reader: deciding it blind would
    /// also withdraw the lead and unseal its substance to them.
    public static let sealedError = DomainError(
        .conflict, code: "lead_sealed", message: "该底稿已作为问题线索移交，内容和处置仅限有权查阅该线索的人员办理",
        english: "the paper was handed over as a lead; only those who may read the lead act on it")
}

/// What a member writes in a working paper (domain §2.4).
public struct FindingContent: Sendable, Equatable {
    public var title: String
    /// 问题表现.
    public var manifestation: String
    /// 定性依据: the rule the conduct breaks.
    public var basis: String
    /// 证据清单.
    public var evidence: String?
    /// 责任分析 (主体责任 / 第一责任人 / 监督责任 / 直接责任).
    public var responsibility: String?
    /// 共性（普遍性、倾向性）问题, for thematic reports; otherwise 个性.
    public var isCommon: Bool

    public init(title: String, manifestation: String, basis: String, evidence: String?, responsibility: String?, isCommon: Bool) {
        self.title = title
        self.manifestation = manifestation
        self.basis = basis
        self.evidence = evidence
        self.responsibility = responsibility
        self.isCommon = isCommon
    }

    /// Checks what the member typed. A working paper without a classification is refused too,
    /// but that takes the dictionaries, so the store checks it.
    public static func validate(
        title: String?, manifestation: String?, basis: String?, evidence: String?, responsibility: String?, isCommon: Bool?
    ) throws(DomainError) -> FindingContent {
        let title = try TextRules.requiredLine(title, field: "title", label: "问题标题", maxLength: 120)
        let manifestation = try TextRules.requiredText(manifestation, field: "manifestation", label: "问题表现", maxLength: 10_000)
        let basis = try TextRules.requiredText(basis, field: "basis", label: "定性依据", maxLength: 4_000)
        return FindingContent(
            title: title, manifestation: manifestation, basis: basis,
            evidence: try TextRules.optionalText(evidence, field: "evidence", label: "证据清单", maxLength: 4_000),
            responsibility: try TextRules.optionalText(responsibility, field: "responsibility", label: "责任分析", maxLength: 4_000),
            isCommon: isCommon ?? false)
    }
}

/// 处置方式: each approved finding gets exactly one (domain §1.7, §3.3).
public enum Disposition: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// 立行立改: fixed during the on-site phase, with the leading group's approval.
    case immediate
    /// 限期整改: onto the problem list handed over with the feedback.
    case deadline
    /// 移交问题线索: becomes a confidential lead.
    case lead
    /// 不予认定: not substantiated, with the reason.
    case dropped

    public var title: String {
        switch self {
        case .immediate: "立行立改"
        case .deadline: "限期整改"
        case .lead: "移交问题线索"
        case .dropped: "不予认定"
        }
    }

}

/// 底稿编号: per committee, year and group, counted when the leader approves.
public enum FindingNumber {
    public static func text(year: Int, roundSequence: Int, groupName: String, sequence: Int) -> String {
        "〔\(year)〕第\(roundSequence)轮\(groupName)底稿第\(String(format: "%02d", sequence))号"
    }
}
