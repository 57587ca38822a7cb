import Foundation

/// 问题线索: a suspected violation by a named person, found during an inspection and transferred
/// to the body that manages that person (domain §1.7, §2.4, §3.5). The most confidential record
/// in the system: never joined to anything an inspected unit can read, every read logged.
public struct Lead: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var assignmentID: UUID
    public var groupID: UUID
    public var unitID: UUID
    public var unitName: String
    /// The working paper it came from, when it was triaged as 移交问题线索.
    public var findingID: UUID?
    /// 线索编号, given at registration: "〔2026〕江城市委巡察线索第007号" (numbers given before 〔〕 were used keep their [2026]).
    public var number: String
    public var details: LeadDetails
    public var status: LeadStatus
    /// Chosen when the leader proposes the transfer.
    public var receiver: ReceivingBody?
    /// Whose body receives it: this committee's for the cadres it manages, a lower committee's for
    /// the cadres that one manages (干部管理权限).
    public var receiverJurisdictionID: UUID?
    /// 转派驻纪检监察组: a cadre the committee does not manage, sent to its own 纪委监委 for the
    /// discipline inspection group stationed in the cadre's unit rather than to a lower committee.
    public var viaStationedBody: Bool = false
    public var proposal: String?
    /// 移交单编号.
    public var transferSheet: String?
    public var transferredAt: Date?
    /// The receiving body's feedback is due by this day (default three months after transfer).
    public var feedbackDue: CalendarDay?
    public var receivedAt: Date?
    public var disposition: LeadDisposition?
    /// When the receiving body answered.
    public var answeredAt: Date?
    public var closedAt: Date?
    /// When it was set aside — dismissed (不作为线索) or withdrawn — on that step's business day; nil
    /// for one never set aside, or set aside before this was recorded.
    public var setAsideAt: Date?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, assignmentID: UUID, groupID: UUID, unitID: UUID, unitName: String, findingID: UUID?, number: String,
        details: LeadDetails, status: LeadStatus, receiver: ReceivingBody?, receiverJurisdictionID: UUID? = nil, viaStationedBody: Bool = false, proposal: String?, transferSheet: String?, transferredAt: Date?,
        feedbackDue: CalendarDay?, receivedAt: Date?, disposition: LeadDisposition?, answeredAt: Date? = nil, closedAt: Date?, createdBy: String, createdAt: Date, updatedAt: Date,
        version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.assignmentID = assignmentID
        self.groupID = groupID
        self.unitID = unitID
        self.unitName = unitName
        self.findingID = findingID
        self.number = number
        self.details = details
        self.status = status
        self.receiver = receiver
        self.receiverJurisdictionID = receiverJurisdictionID
        self.viaStationedBody = viaStationedBody
        self.proposal = proposal
        self.transferSheet = transferSheet
        self.transferredAt = transferredAt
        self.feedbackDue = feedbackDue
        self.receivedAt = receivedAt
        self.disposition = disposition
        self.answeredAt = answeredAt
        self.closedAt = closedAt
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// Feedback is overdue when the due day has passed and the receiver has not answered — on
    /// `today`, or on a past day as it stood then (an answer given since did not yet exist).
    public func isOverdue(today: CalendarDay) -> Bool {
        guard let due = feedbackDue, due < today else { return false }
        if let transferredAt, CalendarDay(transferredAt) > today { return false }
        if let answeredAt { return CalendarDay(answeredAt) > today }
        return status == .transferred || status == .received
    }
}

/// What is registered about a lead.
public struct LeadDetails: Sendable, Equatable {
    public var source: LeadSource
    /// 被反映人.
    public var personName: String
    public var personPost: String?
    /// 干部管理权限: decides which committee's bodies receive it.
    public var authority: CadreAuthority
    /// 问题性质: discipline matters go to the discipline commission, selection and appointment
    /// to the organisation department.
    public var subject: LeadSubject
    /// 线索内容.
    public var content: String
    public var evidence: String?

    public init(
        source: LeadSource, personName: String, personPost: String?, authority: CadreAuthority, subject: LeadSubject, content: String, evidence: String?
    ) {
        self.source = source
        self.personName = personName
        self.personPost = personPost
        self.authority = authority
        self.subject = subject
        self.content = content
        self.evidence = evidence
    }

    public func validated() throws(DomainError) -> LeadDetails {
        var valid = self
        valid.personName = try TextRules.requiredLine(personName, field: "person_name", label: "被反映人", maxLength: 60)
        valid.personPost = try TextRules.optionalLine(personPost, field: "person_post", label: "被反映人职务", maxLength: 100)
        let content = try TextRules.requiredText(content, field: "content", label: "线索内容", maxLength: 20_000)
        valid.content = content
        valid.evidence = try TextRules.optionalText(evidence, field: "evidence", label: "相关证据", maxLength: 4_000)
        return valid
    }

    /// The body that, by the subject, should receive the lead: 组织部 for selection and
    /// appointment and democratic centralism, otherwise the discipline commission.
    public var suggestedReceiver: ReceivingBody { subject == .personnel ? .organisation : .discipline }
}

/// 线索来源.
public enum LeadSource: String, CaseIterable, Codable, Sendable, CodedTitle {
    case interview, petition, document, check, finding

    public var title: String {
        switch self {
        case .interview: "个别谈话"
        case .petition: "信访举报"
        case .document: "调阅资料"
        case .check: "专项检查、抽查"
        case .finding: "问题底稿"
        }
    }

}

/// 干部管理权限.
public enum CadreAuthority: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// Managed by this committee (市管干部 / 县管干部).
    case committee
    /// Managed by a lower committee or the unit itself.
    case lower
    /// Not a cadre (ordinary staff, others).
    case none

    public var title: String {
        switch self {
        case .committee: "本级党委管理干部"
        case .lower: "下级党组织管理干部"
        case .none: "非干部或其他人员"
        }
    }

}

/// 问题性质.
public enum LeadSubject: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// 违纪违法.
    case discipline
    /// 选人用人、民主集中制.
    case personnel
    /// 其他，交有关主管部门.
    case other

    public var title: String {
        switch self {
        case .discipline: "涉嫌违纪违法"
        case .personnel: "选人用人、民主集中制问题"
        case .other: "其他问题"
        }
    }

}

/// 接收单位. Each has its own users (承办人) who see only what was transferred to it.
public enum ReceivingBody: String, CaseIterable, Codable, Sendable, CodedTitle {
    case discipline
    case organisation

    public var title: String {
        switch self {
        case .discipline: "纪委监委"
        case .organisation: "组织部"
        }
    }

    /// The role whose accounts work the body's inbox.
    public var receiverRole: Role {
        switch self {
        case .discipline: .disciplineReceiver
        case .organisation: .organisationReceiver
        }
    }

}

/// What the receiving body did with a lead (domain §1.7).
public struct LeadDisposition: Sendable, Equatable {
    public var method: DispositionMethod
    /// 四种形态 (1–4), when people were dealt with.
    public var form: Int?
    public var peopleCount: Int
    /// 党纪处分、政务处分、组织处理 as decided.
    public var sanctions: String?
    public var judicialTransfer: Bool
    public var result: String

    public init(method: DispositionMethod, form: Int?, peopleCount: Int, sanctions: String?, judicialTransfer: Bool, result: String) {
        self.method = method
        self.form = form
        self.peopleCount = peopleCount
        self.sanctions = sanctions
        self.judicialTransfer = judicialTransfer
        self.result = result
    }

    /// "第一种形态" … "第四种形态" for a form 1 … 4.
    public static func formTitle(_ form: Int) -> String {
        ["第一种形态", "第二种形态", "第三种形态", "第四种形态"][max(1, min(form, 4)) - 1]
    }

    public func validated() throws(DomainError) -> LeadDisposition {
        var valid = self
        if let form, !(1...4).contains(form) {
            throw .invalid("invalid_form", "四种形态须为第一至第四种形态", english: "form must be 1-4", field: "form")
        }
        guard (0...1_000).contains(peopleCount) else {
            throw .invalid("invalid_people_count", "涉及人数不合理", english: "people_count out of range", field: "people_count")
        }
        valid.sanctions = try TextRules.optionalText(sanctions, field: "sanctions", label: "处分或处理", maxLength: 2_000)
        let result = try TextRules.requiredText(result, field: "result", label: "办理结果", maxLength: 10_000)
        valid.result = result
        return valid
    }
}

/// 线索处置方式 of the receiving body.
public enum DispositionMethod: String, CaseIterable, Codable, Sendable, CodedTitle {
    case talkOrLetter = "talk_or_letter"
    case preliminaryVerification = "preliminary_verification"
    case shelved
    case closedWithoutAction = "closed_without_action"
    case caseFiled = "case_filed"
    case organisationalHandling = "organisational_handling"

    public var title: String {
        switch self {
        case .talkOrLetter: "谈话函询"
        case .preliminaryVerification: "初步核实"
        case .shelved: "暂存待查"
        case .closedWithoutAction: "予以了结"
        case .caseFiled: "立案审查调查"
        case .organisationalHandling: "组织处理"
        }
    }

}

/// 线索编号: per committee and year, never reused.
public enum LeadNumber {
    public static func text(committee: String, year: Int, sequence: Int) -> String {
        "〔\(year)〕\(committee)巡察线索第\(String(format: "%03d", sequence))号"
    }
}
