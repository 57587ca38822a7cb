import Foundation

/// 进驻了解的工作记录 (domain §1.4, §2.3): what a group records at a unit during the on-site
/// phase. Interview records and petitions are among the most confidential data in the system:
/// they stay inside the group and the office, and a petitioner's identity is kept apart again.
public struct OnSiteRecord: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var assignmentID: UUID
    public var unitID: UUID
    public var unitName: String
    public var kind: RecordKind
    public var content: RecordContent
    /// The inspectors who took part: for an interview, who asked and who recorded (二对一).
    public var inspectors: [RecordInspector]
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, assignmentID: UUID, unitID: UUID, unitName: String, kind: RecordKind, content: RecordContent, inspectors: [RecordInspector],
        createdBy: String, createdAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.assignmentID = assignmentID
        self.unitID = unitID
        self.unitName = unitName
        self.kind = kind
        self.content = content
        self.inspectors = inspectors
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

public enum RecordKind: String, CaseIterable, Codable, Sendable, CodedTitle {
    /// 个别谈话.
    case interview
    /// 信访件（来信、来电、来访、网络）.
    case petition
    /// 调阅资料.
    case documentReview = "document_review"
    /// 下沉了解、走访调研.
    case fieldVisit = "field_visit"

    public var title: String {
        switch self {
        case .interview: "个别谈话"
        case .petition: "信访件"
        case .documentReview: "调阅资料"
        case .fieldVisit: "下沉走访"
        }
    }

    /// What the record's subject line is called on a form.
    public var subjectLabel: String {
        switch self {
        case .interview: "谈话对象"
        case .petition: "反映事项"
        case .documentReview: "调阅资料名称"
        case .fieldVisit: "走访对象"
        }
    }

}

/// 信访渠道.
public enum PetitionChannel: String, CaseIterable, Codable, Sendable, CodedTitle {
    case letter, call, visit, online

    public var title: String {
        switch self {
        case .letter: "来信"
        case .call: "来电"
        case .visit: "来访"
        case .online: "网络"
        }
    }

}

/// 谈话类别.
public enum InterviewCategory: String, CaseIterable, Codable, Sendable {
    case mandatory, selected

    public var title: String {
        switch self {
        case .mandatory: "必谈"
        case .selected: "选谈"
        }
    }
}

/// The text of a record. Which fields apply depends on the kind; `validate` enforces it.
public struct RecordContent: Sendable, Equatable {
    /// 谈话对象 / 反映事项 / 资料名称 / 走访对象.
    public var subject: String
    /// 谈话对象职务, or the post of the person a petition reflects on.
    public var subjectPost: String?
    public var occurredOn: CalendarDay
    public var place: String?
    /// 记录内容 / 反映内容摘要 / 调阅情况 / 走访情况.
    public var body: String
    public var interviewCategory: InterviewCategory?
    public var channel: PetitionChannel?
    /// 被反映人 (petitions).
    public var reflectedPerson: String?
    /// Whether a petition falls within the inspection's remit (受理范围).
    public var inScope: Bool?

    public init(
        subject: String, subjectPost: String? = nil, occurredOn: CalendarDay, place: String? = nil, body: String, interviewCategory: InterviewCategory? = nil,
        channel: PetitionChannel? = nil, reflectedPerson: String? = nil, inScope: Bool? = nil
    ) {
        self.subject = subject
        self.subjectPost = subjectPost
        self.occurredOn = occurredOn
        self.place = place
        self.body = body
        self.interviewCategory = interviewCategory
        self.channel = channel
        self.reflectedPerson = reflectedPerson
        self.inScope = inScope
    }

    public func validated(as kind: RecordKind) throws(DomainError) -> RecordContent {
        var valid = self
        valid.subject = try TextRules.requiredLine(subject, field: "subject", label: kind.subjectLabel, maxLength: 200)
        valid.subjectPost = try TextRules.optionalLine(subjectPost, field: "subject_post", label: "职务", maxLength: 100)
        valid.place = try TextRules.optionalLine(place, field: "place", label: "地点", maxLength: 100)
        let body = try TextRules.requiredText(body, field: "body", label: "记录内容", maxLength: 50_000)
        valid.body = body
        valid.reflectedPerson = try TextRules.optionalLine(reflectedPerson, field: "reflected_person", label: "被反映人", maxLength: 60)
        switch kind {
        case .interview:
            if valid.interviewCategory == nil { valid.interviewCategory = .selected }
        case .petition:
            guard valid.channel != nil else { throw DomainError.required("channel", label: "信访渠道") }
            if valid.inScope == nil { valid.inScope = true }
        case .documentReview, .fieldVisit:
            break
        }
        if kind != .interview { valid.interviewCategory = nil }
        if kind != .petition {
            valid.channel = nil
            valid.inScope = nil
        }
        return valid
    }
}

/// An inspector's part in a record.
public struct RecordInspector: Sendable, Equatable {
    public enum Part: String, CaseIterable, Codable, Sendable {
        /// 谈话人 / 承办人.
        case lead
        /// 记录人.
        case recorder

        public var title: String {
            switch self {
            case .lead: "承办人"
            case .recorder: "记录人"
            }
        }
    }

    public var inspectorID: UUID
    public var name: String
    public var part: Part

    public init(inspectorID: UUID, name: String, part: Part) {
        self.inspectorID = inspectorID
        self.name = name
        self.part = part
    }
}

/// The person who petitioned, kept apart from the petition: only the group's leader and the
/// office's designated lead custodians read it, and every read is logged.
public struct PetitionReporter: Sendable, Equatable {
    public var anonymous: Bool
    public var name: String?
    public var contact: String?

    public init(anonymous: Bool, name: String?, contact: String?) {
        self.anonymous = anonymous
        self.name = name
        self.contact = contact
    }

    public func validated() throws(DomainError) -> PetitionReporter {
        if anonymous { return PetitionReporter(anonymous: true, name: nil, contact: nil) }
        guard let name = try TextRules.optionalLine(name, field: "reporter_name", label: "反映人姓名", maxLength: 60) else {
            throw DomainError.invalid("reporter_required", "实名信访须填写反映人姓名；匿名的请勾选“匿名”", english: "a named petition needs the reporter's name", field: "reporter_name")
        }
        return PetitionReporter(anonymous: false, name: name, contact: try TextRules.optionalLine(contact, field: "reporter_contact", label: "联系方式", maxLength: 100))
    }
}

/// The rules on who took part in a record.
public enum RecordRules {
    /// 个别谈话至少两人（一人谈、一人记）; other records need at least the one who did it.
    public static func checkInspectors(_ inspectors: [RecordInspector], kind: RecordKind) throws(DomainError) {
        let people = Set(inspectors.map(\.inspectorID))
        guard people.count == inspectors.count else {
            throw DomainError.invalid("duplicate_inspector", "同一人员不能重复列入", english: "an inspector is listed twice", field: "inspectors")
        }
        if kind == .interview {
            guard people.count >= 2 else {
                throw DomainError.invalid("two_interviewers", "个别谈话须至少两名巡察人员参加（一人谈话、一人记录）", english: "an interview needs at least two inspectors", field: "inspectors")
            }
            guard inspectors.contains(where: { $0.part == .recorder }) else {
                throw DomainError.invalid("recorder_required", "个别谈话须指定记录人", english: "an interview needs a recorder", field: "inspectors")
            }
        } else if people.isEmpty {
            throw DomainError.required("inspectors", label: "承办人")
        }
    }
}
