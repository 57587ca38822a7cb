import Foundation

/// An account. Belongs to one jurisdiction; unit roles also name the unit they act for.
public struct User: Sendable, Equatable, Codable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var username: String
    public var displayName: String
    public var roles: Set<Role>
    public var unitID: UUID?
    public var mustChangePassword: Bool
    public var failedSignIns: Int
    public var lockedUntil: Date?
    public var disabled: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int
    /// What the owner is told at the next sign-in about a reset of their password (when, by whom),
    /// until they acknowledge it.
    public var resetNotice: String?
    /// 拟授角色: roles proposed when the account was opened (an account import), waiting for the
    /// security administrator to approve them once; empty when nothing waits.
    public var proposedRoles: Set<Role>
    /// The unit the proposed unit roles act for.
    public var proposedUnitID: UUID?

    public init(
        id: UUID, jurisdictionID: UUID, username: String, displayName: String, roles: Set<Role>, unitID: UUID?,
        mustChangePassword: Bool, failedSignIns: Int, lockedUntil: Date?, disabled: Bool, createdAt: Date, updatedAt: Date,
        version: Int, resetNotice: String? = nil, proposedRoles: Set<Role> = [], proposedUnitID: UUID? = nil
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.username = username
        self.displayName = displayName
        self.roles = roles
        self.unitID = unitID
        self.mustChangePassword = mustChangePassword
        self.failedSignIns = failedSignIns
        self.lockedUntil = lockedUntil
        self.disabled = disabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.resetNotice = resetNotice
        self.proposedRoles = proposedRoles
        self.proposedUnitID = proposedUnitID
    }

    /// Whether some source address is paused from signing in to the account at `now` after
    /// repeated failures (`SignInThrottle`); other addresses are not.
    public func isLocked(at now: Date) -> Bool {
        if let lockedUntil { return lockedUntil > now }
        return false
    }
}

/// What an administrator submits to open an account, validated.
public struct UserDraft: Sendable, Equatable {
    public var username: String
    public var displayName: String
    public var jurisdictionID: UUID
    /// The roles to grant at once, or nil for an account that waits for the security
    /// administrator to grant them (三员分立: who opens an account does not decide what it may do).
    public var roles: RoleSet?
    public var unitID: UUID?

    public init(username: String, displayName: String, jurisdictionID: UUID, roles: RoleSet?, unitID: UUID?) {
        self.username = username
        self.displayName = displayName
        self.jurisdictionID = jurisdictionID
        self.roles = roles
        self.unitID = unitID
    }

    /// Validates raw input; an empty role list opens an account with no roles yet. Usernames are 3–32 characters of ASCII letters, digits, `.`, `_`, `-`.
    public static func validate(
        username: String?, displayName: String?, jurisdictionID: String?, roles: [String], unitID: String?
    ) throws(DomainError) -> UserDraft {
        let username = try validUsername(username)
        let displayName = try TextRules.requiredLine(displayName, field: "display_name", label: "姓名", maxLength: 40)
        guard let jurisdictionText = jurisdictionID, !jurisdictionText.isEmpty else {
            throw DomainError.required("jurisdiction_id", label: "所属党委")
        }
        guard let jurisdiction = UUID(uuidString: jurisdictionText) else {
            throw .invalid("invalid_id", "所属党委编号格式不正确", english: "jurisdiction_id is not a UUID", field: "jurisdiction_id")
        }
        var parsedRoles = Set<Role>()
        for code in roles where !code.isEmpty {
            guard let role = Role(code: code) else {
                throw .invalid("unknown_role", "未知的角色“\(code)”", english: "unknown role \(code)", field: "roles")
            }
            parsedRoles.insert(role)
        }
        var unit: UUID?
        if let unitText = unitID?.trimmingCharacters(in: .whitespaces), !unitText.isEmpty {
            guard let id = UUID(uuidString: unitText) else {
                throw .invalid("invalid_id", "所属单位编号格式不正确", english: "unit_id is not a UUID", field: "unit_id")
            }
            unit = id
        }
        if parsedRoles.isEmpty && unit != nil {
            throw .invalid("unit_not_allowed", "只有被巡察单位角色可以指定所属单位", english: "only unit roles name a unit", field: "unit_id")
        }
        let roleSet = parsedRoles.isEmpty ? nil : try RoleSet(parsedRoles, unitGiven: unit != nil)
        return UserDraft(username: username, displayName: displayName, jurisdictionID: jurisdiction, roles: roleSet, unitID: unit)
    }

    public static func validUsername(_ value: String?) throws(DomainError) -> String {
        let name = (value ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if name.isEmpty { throw DomainError.required("username", label: "用户名") }
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
        guard allowed, (3...32).contains(name.count) else {
            throw .invalid(
                "invalid_username", "用户名须为3至32位英文字母、数字或“._-”", english: "username must be 3-32 of [a-z0-9._-]", field: "username")
        }
        return name
    }
}
