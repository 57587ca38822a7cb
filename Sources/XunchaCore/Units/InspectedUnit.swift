import Foundation

/// 被巡察单位: a Party organisation the committee inspects.
public struct InspectedUnit: Sendable, Equatable, Codable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var name: String
    public var type: UnitType
    public var partyOrganisation: PartyOrganisationKind
    public var parentUnitID: UUID?
    public var headName: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, jurisdictionID: UUID, name: String, type: UnitType, partyOrganisation: PartyOrganisationKind,
        parentUnitID: UUID?, headName: String?, createdAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.name = name
        self.type = type
        self.partyOrganisation = partyOrganisation
        self.parentUnitID = parentUnitID
        self.headName = headName
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// 被巡察单位类型.
public enum UnitType: String, CaseIterable, Codable, Sendable, CodedTitle {
    case municipalDepartment = "department"
    case township = "township"
    case village = "village"
    case stateEnterprise = "state_enterprise"
    case school = "school"
    case hospital = "hospital"
    case publicInstitution = "public_institution"
    case massOrganisation = "mass_organisation"
    case other = "other"

    public var title: String {
        switch self {
        case .municipalDepartment: "党政机关部门"
        case .township: "乡镇（街道）"
        case .village: "村（社区）"
        case .stateEnterprise: "国有企业"
        case .school: "学校"
        case .hospital: "医院"
        case .publicInstitution: "事业单位"
        case .massOrganisation: "群团组织"
        case .other: "其他"
        }
    }

    /// Parses a code or a Chinese title.
}

/// 党组织类型.
public enum PartyOrganisationKind: String, CaseIterable, Codable, Sendable, CodedTitle {
    case committee = "committee"
    case leadershipGroup = "leadership_group"
    case workingCommittee = "working_committee"
    case generalBranch = "general_branch"
    case branch = "branch"

    public var title: String {
        switch self {
        case .committee: "党委"
        case .leadershipGroup: "党组"
        case .workingCommittee: "党工委"
        case .generalBranch: "党总支"
        case .branch: "党支部"
        }
    }

}

/// What a person submits to create or change a unit, validated.
public struct UnitDraft: Sendable, Equatable {
    public var name: String
    public var type: UnitType
    public var partyOrganisation: PartyOrganisationKind
    public var parentUnitID: UUID?
    public var headName: String?

    public init(name: String, type: UnitType, partyOrganisation: PartyOrganisationKind, parentUnitID: UUID? = nil, headName: String? = nil) {
        self.name = name
        self.type = type
        self.partyOrganisation = partyOrganisation
        self.parentUnitID = parentUnitID
        self.headName = headName
    }

    /// The new unit this draft describes, first version.
    public func unit(id: UUID, jurisdictionID: UUID, at now: Date) -> InspectedUnit {
        InspectedUnit(
            id: id, jurisdictionID: jurisdictionID, name: name, type: type, partyOrganisation: partyOrganisation, parentUnitID: parentUnitID,
            headName: headName, createdAt: now, updatedAt: now, version: 1)
    }

    /// Validates raw input field by field; the first bad field is reported.
    public static func validate(
        name: String?, type: String?, partyOrganisation: String?, parentUnitID: String?, headName: String?
    ) throws(DomainError) -> UnitDraft {
        let name = try TextRules.requiredLine(name, field: "name", label: "单位名称", maxLength: 100)
        guard let typeText = type?.trimmingCharacters(in: .whitespaces), !typeText.isEmpty else {
            throw DomainError.required("type", label: "单位类型")
        }
        guard let unitType = UnitType(code: typeText) else {
            throw .invalid("unknown_unit_type", "未知的单位类型“\(typeText)”", english: "unknown unit type \(typeText)", field: "type")
        }
        guard let kindText = partyOrganisation?.trimmingCharacters(in: .whitespaces), !kindText.isEmpty else {
            throw DomainError.required("party_organisation", label: "党组织类型")
        }
        guard let kind = PartyOrganisationKind(code: kindText) else {
            throw .invalid(
                "unknown_party_organisation", "未知的党组织类型“\(kindText)”", english: "unknown party organisation kind \(kindText)",
                field: "party_organisation")
        }
        var parent: UUID?
        if let parentText = parentUnitID?.trimmingCharacters(in: .whitespaces), !parentText.isEmpty {
            guard let id = UUID(uuidString: parentText) else {
                throw .invalid("invalid_id", "上级单位编号格式不正确", english: "parent_unit_id is not a UUID", field: "parent_unit_id")
            }
            parent = id
        }
        let head = try TextRules.optionalLine(headName, field: "head_name", label: "主要负责人", maxLength: 40)
        return UnitDraft(name: name, type: unitType, partyOrganisation: kind, parentUnitID: parent, headName: head)
    }
}
