import Foundation

/// 党委（派出巡察组的）: the city or county committee whose inspection office runs the work.
/// Jurisdictions form a tree (a city and its districts and counties); `path` holds the ids from
/// the root down so a subtree is one indexed prefix match.
public struct Jurisdiction: Sendable, Equatable, Codable {
    public var id: UUID
    public var parentID: UUID?
    public var path: String
    public var name: String
    public var level: JurisdictionLevel
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(id: UUID, parentID: UUID?, path: String, name: String, level: JurisdictionLevel, createdAt: Date, updatedAt: Date, version: Int) {
        self.id = id
        self.parentID = parentID
        self.path = path
        self.name = name
        self.level = level
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// The materialised path of a child of `parentPath` (or of a root when nil).
    public static func path(for id: UUID, under parentPath: String?) -> String {
        (parentPath ?? "/") + id.text + "/"
    }

    /// True when `other` is this jurisdiction or lies below it.
    public func contains(path other: String) -> Bool { other.hasPrefix(path) }
}

/// 层级.
public enum JurisdictionLevel: String, CaseIterable, Codable, Sendable, CodedTitle {
    case province, city, county, district

    public var title: String {
        switch self {
        case .province: "省级"
        case .city: "市级"
        case .county: "县级"
        case .district: "区级"
        }
    }

    /// "市" for 市级.
    public func isShortTitle(_ text: String) -> Bool { title.dropLast() == text }
}

/// What a person submits to create or rename a jurisdiction.
public struct JurisdictionDraft: Sendable, Equatable {
    public var name: String
    public var level: JurisdictionLevel

    public init(name: String, level: JurisdictionLevel) {
        self.name = name
        self.level = level
    }

    /// Validates raw input.
    public static func validate(name: String?, level: String?) throws(DomainError) -> JurisdictionDraft {
        let name = try TextRules.requiredLine(name, field: "name", label: "名称", maxLength: 60)
        guard let levelText = level, !levelText.isEmpty else { throw DomainError.required("level", label: "层级") }
        guard let level = JurisdictionLevel(code: levelText) else {
            throw .invalid("unknown_level", "未知的层级“\(levelText)”", english: "unknown level \(levelText)", field: "level")
        }
        return JurisdictionDraft(name: name, level: level)
    }
}
