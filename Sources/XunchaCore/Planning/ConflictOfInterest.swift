import Foundation

/// 回避: why an inspector must not inspect a unit. Each kind is a rule the office is held to;
/// a conflict blocks an assignment unless the office overrides it with a written reason.
public enum ConflictKind: String, CaseIterable, Codable, Sendable {
    /// 本单位: the inspector works there.
    case homeUnit = "home_unit"
    /// 近年在该单位工作过 (within the jurisdiction's N-year setting).
    case recentWork = "recent_work"
    /// 亲属在该单位领导班子.
    case familyRelation = "family_relation"
    /// 上轮巡察过该单位 (三个不固定: not the same pairing twice running).
    case previousRound = "previous_round"
    /// 本人申报.
    case declared
    /// 被巡察单位申请回避.
    case unitRequest = "unit_request"

    public var title: String {
        switch self {
        case .homeUnit: "本单位人员"
        case .recentWork: "近年在该单位工作"
        case .familyRelation: "亲属在该单位任职"
        case .previousRound: "上一轮巡察过该单位"
        case .declared: "本人申报回避"
        case .unitRequest: "被巡察单位申请回避"
        }
    }
}

/// One detected conflict, with the fact behind it in words.
public struct Conflict: Sendable, Equatable, Codable {
    public var inspectorID: UUID
    public var unitID: UUID
    public var kind: ConflictKind
    public var detail: String

    public init(inspectorID: UUID, unitID: UUID, kind: ConflictKind, detail: String) {
        self.inspectorID = inspectorID
        self.unitID = unitID
        self.kind = kind
        self.detail = detail
    }
}

/// A conflict someone put on record: declared by the inspector or requested by the unit.
public struct ConflictDeclaration: Sendable, Equatable, Codable {
    public var inspectorID: UUID
    public var unitID: UUID
    public var kind: ConflictKind
    public var reason: String

    public init(inspectorID: UUID, unitID: UUID, kind: ConflictKind, reason: String) {
        self.inspectorID = inspectorID
        self.unitID = unitID
        self.kind = kind
        self.reason = reason
    }
}

/// The unit as the check needs it.
public struct UnitRef: Sendable, Hashable {
    public var id: UUID
    public var name: String

    public init(id: UUID, name: String) {
        self.id = id
        self.name = name
    }
}

/// Who inspected which unit in the previous round of the same kind of work.
public struct PreviousPairings: Sendable {
    /// unit id → the inspectors who served on it, and whether as leader.
    public var byUnit: [UUID: [UUID: Bool]]

    public init(byUnit: [UUID: [UUID: Bool]] = [:]) {
        self.byUnit = byUnit
    }

    public func served(_ inspector: UUID, on unit: UUID) -> Bool? { byUnit[unit]?[inspector] }
}

/// The conflict rules of a jurisdiction.
public struct ConflictRules: Sendable, Equatable {
    /// Worked at the unit within this many years → conflict; `anyTime` (0): worked there ever.
    /// Some rule sets use 3 years; by default every former post is flagged.
    public var recentWorkYears: Int = Self.anyTime

    /// A window of no limit: a former post in the unit is a conflict however long ago.
    public static let anyTime = 0

    public init(recentWorkYears: Int = Self.anyTime) {
        self.recentWorkYears = recentWorkYears
    }

    /// Every conflict between `inspector` and `unit` in `year`. Pure: the caller supplies the
    /// previous round's pairings and the declarations on record.
    public func conflicts(
        _ inspector: Inspector, _ unit: UnitRef, year: Int, previous: PreviousPairings, declarations: [ConflictDeclaration]
    ) -> [Conflict] {
        var found: [Conflict] = []
        func add(_ kind: ConflictKind, _ detail: String) {
            found.append(Conflict(inspectorID: inspector.id, unitID: unit.id, kind: kind, detail: detail))
        }
        if inspector.homeUnitID == unit.id || inspector.homeUnitName == unit.name {
            add(.homeUnit, "\(inspector.name)的工作单位即\(unit.name)")
        }
        for stint in inspector.workHistory where stint.unitID == unit.id || stint.unitName == unit.name {
            let until = stint.toYear ?? year
            if recentWorkYears == Self.anyTime || year - until < recentWorkYears {
                add(.recentWork, "\(inspector.name)\(stint.fromYear)年至\(stint.toYear.map { "\($0)年" } ?? "今")在\(unit.name)工作")
            }
        }
        for relation in inspector.relations where relation.unitID == unit.id || relation.unitName == unit.name {
            add(.familyRelation, "\(inspector.name)的\(relation.relation)\(relation.personName)在\(unit.name)任职")
        }
        if let led = previous.served(inspector.id, on: unit.id) {
            add(.previousRound, "\(inspector.name)上一轮\(led ? "任组长" : "参加")巡察\(unit.name)")
        }
        for declaration in declarations where declaration.inspectorID == inspector.id && declaration.unitID == unit.id {
            add(declaration.kind, declaration.reason)
        }
        return found
    }
}
