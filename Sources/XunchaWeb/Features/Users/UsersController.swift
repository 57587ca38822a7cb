import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// An account as the API returns it (never its password hash).
struct UserDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, jurisdictionId = "jurisdiction_id", username, displayName = "display_name", roles, unitId = "unit_id", mustChangePassword = "must_change_password", locked, disabled, createdAt = "created_at", updatedAt = "updated_at", version
        case passwordResetNotice = "password_reset_notice"
        case proposedRoles = "proposed_roles", proposedUnitId = "proposed_unit_id"
    }

    let id: String
    let jurisdictionId: String
    let username: String
    let displayName: String
    let roles: [String]
    let unitId: String?
    let mustChangePassword: Bool
    let locked: Bool
    let disabled: Bool
    let createdAt: String
    let updatedAt: String
    let version: Int
    /// Only in the owner's own `/api/v1/me`: a reset of their password they have not acknowledged.
    let passwordResetNotice: String?
    /// 拟授角色 waiting for the security administrator (an account import); empty when none.
    let proposedRoles: [String]
    let proposedUnitId: String?

    init(_ user: User, now: Date, withResetNotice: Bool = false) {
        id = user.id.text
        jurisdictionId = user.jurisdictionID.text
        username = user.username
        displayName = user.displayName
        roles = user.roles.sorted().map(\.rawValue)
        unitId = user.unitID?.text
        mustChangePassword = user.mustChangePassword
        locked = user.isLocked(at: now)
        disabled = user.disabled
        createdAt = JSONBody.timestamp(user.createdAt)
        updatedAt = JSONBody.timestamp(user.updatedAt)
        version = user.version
        passwordResetNotice = withResetNotice ? user.resetNotice : nil
        proposedRoles = user.proposedRoles.sorted().map(\.rawValue)
        proposedUnitId = user.proposedUnitID?.text
    }
}

/// A request to reset a business account's password, waiting for the security administrator.
struct PasswordResetRequestDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, userId = "user_id", username, displayName = "display_name", requestedBy = "requested_by", requestedAt = "requested_at", status,
            decidedBy = "decided_by", decidedAt = "decided_at", reason, version
    }

    let id: String
    let userId: String
    let username: String
    let displayName: String
    let requestedBy: String
    let requestedAt: String
    let status: String
    let decidedBy: String?
    let decidedAt: String?
    let reason: String?
    let version: Int

    init(_ request: PasswordResetRequest) {
        id = request.id.text
        userId = request.userID.text
        username = request.username
        displayName = request.displayName
        requestedBy = request.requestedBy
        requestedAt = JSONBody.timestamp(request.requestedAt)
        status = request.status.rawValue
        decidedBy = request.decidedBy
        decidedAt = request.decidedAt.map(JSONBody.timestamp)
        reason = request.reason
        version = request.version
    }
}

/// 账号管理: for the system administrator (accounts) and the security administrator (roles, locks).
struct UsersController {
    let store: Store
    let pages: PageRenderer
    let settings: WebSettings

    struct UserInput: Decodable {
        var username: String?
        var displayName: String?
        var jurisdictionId: String?
        var roles: [String]?
        var unitId: String?
    }

    struct RefuseInput: Decodable {
        var reason: String?
    }

    struct RolesInput: Decodable {
        var roles: [String]?
        var unitId: String?
    }

    struct IssuedDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case user, oneTimePassword = "one_time_password"
        }

        let user: UserDTO
        let oneTimePassword: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/users") { request, context -> Response in
            let page = try await store.users(try UserQuery.validate(request.queryDictionary), for: try context.requireActor())
            let now = store.clock.now()
            return try JSONBody.response(PageDTO(page) { UserDTO($0, now: now) })
        }
        router.post("/api/v1/users") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(UserInput.self, from: request, limit: settings.maxBodyBytes)
            let draft = try UserDraft.validate(
                username: input.username, displayName: input.displayName, jurisdictionID: input.jurisdictionId, roles: input.roles ?? [],
                unitID: input.unitId)
            let issued = try await store.createUser(draft, origin: origin)
            return try JSONBody.response(IssuedDTO(user: UserDTO(issued.user, now: store.clock.now()), oneTimePassword: issued.oneTimePassword), status: .created)
        }
        router.get("/api/v1/users/{id}") { _, context -> Response in
            let user = try await store.user(try context.parameters.uuid("id"), origin: try context.origin())
            return try JSONBody.response(UserDTO(user, now: store.clock.now()))
        }
        for (path, _, change) in accountActions {
            router.post("/api/v1/users/{id}/\(path)") { _, context -> Response in
                let user = try await change(store, try context.parameters.uuid("id"), try context.origin())
                return try JSONBody.response(UserDTO(user, now: store.clock.now()))
            }
        }
        router.post("/api/v1/users/{id}/reset-password") { _, context -> Response in
            switch try await store.resetPassword(try context.parameters.uuid("id"), origin: try context.origin()) {
            case .issued(let issued):
                return try JSONBody.response(IssuedDTO(user: UserDTO(issued.user, now: store.clock.now()), oneTimePassword: issued.oneTimePassword))
            case .requested(let request):
                return try JSONBody.response(PasswordResetRequestDTO(request), status: .accepted)
            }
        }
        router.get("/api/v1/password-resets") { _, context -> Response in
            let pending = try await store.pendingPasswordResets(for: try context.requireActor())
            return try JSONBody.response(PageDTO(items: pending.map(PasswordResetRequestDTO.init), nextCursor: nil))
        }
        router.post("/api/v1/password-resets/{id}/confirm") { _, context -> Response in
            let issued = try await store.confirmPasswordReset(try context.parameters.uuid("id"), origin: try context.origin())
            return try JSONBody.response(IssuedDTO(user: UserDTO(issued.user, now: store.clock.now()), oneTimePassword: issued.oneTimePassword))
        }
        router.post("/api/v1/password-resets/{id}/refuse") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(RefuseInput.self, from: request, limit: settings.maxBodyBytes)
            let refused = try await store.refusePasswordReset(try context.parameters.uuid("id"), reason: input.reason, origin: origin)
            return try JSONBody.response(PasswordResetRequestDTO(refused))
        }
        router.put("/api/v1/users/{id}/roles") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(RolesInput.self, from: request, limit: settings.maxBodyBytes)
            let (roles, unit) = try parseRoles(input.roles ?? [], unitID: input.unitId)
            let user = try await store.setRoles(try context.parameters.uuid("id"), roles: roles, unitID: unit, origin: origin)
            return try JSONBody.response(UserDTO(user, now: store.clock.now()))
        }

        router.get("/users") { request, context in try await listPage(request, context: context) }
        router.get("/users/new") { _, context in try await formPage(context: context, form: nil, error: nil) }
        router.post("/users") { request, context in try await create(request, context: context) }
        router.get("/users/{id}") { request, context in try await detailPage(request, context: context, issued: nil) }
        for (path, notice, change) in accountActions {
            router.post("/users/{id}/\(path)") { request, context -> Response in
                _ = try await FormInput.parse(request, context: context)
                let id = try context.parameters.uuid("id")
                _ = try await change(store, id, try context.origin())
                return PageRenderer.redirect("/users/\(id.text)", notice: notice)
            }
        }
        router.post("/users/{id}/reset-password") { request, context -> Response in
            _ = try await FormInput.parse(request, context: context)
            let id = try context.parameters.uuid("id")
            switch try await store.resetPassword(id, origin: try context.origin()) {
            case .issued(let issued): return try await detailPage(request, context: context, issued: issued)
            case .requested: return PageRenderer.redirect("/users/\(id.text)", notice: .resetRequested)
            }
        }
        router.post("/password-resets/{id}/confirm") { request, context -> Response in
            _ = try await FormInput.parse(request, context: context)
            let issued = try await store.confirmPasswordReset(try context.parameters.uuid("id"), origin: try context.origin())
            return try await detailPage(request, context: context, issued: issued, userID: issued.user.id)
        }
        router.post("/password-resets/{id}/refuse") { request, context -> Response in
            let form = try await FormInput.parse(request, context: context)
            _ = try await store.refusePasswordReset(try context.parameters.uuid("id"), reason: form["reason"], origin: try context.origin())
            return PageRenderer.redirect("/users", notice: .resetRefused)
        }
        router.post("/users/{id}/roles") { request, context -> Response in
            let form = try await FormInput.parse(request, context: context)
            let id = try context.parameters.uuid("id")
            let (roles, unit) = try parseRoles(form.all("roles"), unitID: form["unit_id"])
            _ = try await store.setRoles(id, roles: roles, unitID: unit, origin: try context.origin())
            return PageRenderer.redirect("/users/\(id.text)", notice: .rolesChanged)
        }
    }

    /// The one-click account changes, by path segment.
    var accountActions: [(String, Notice, @Sendable (Store, UUID, RequestOrigin) async throws -> User)] {
        [
            ("disable", .disabled, { try await $0.disableUser($1, origin: $2) }),
            ("enable", .enabled, { try await $0.enableUser($1, origin: $2) }),
            ("unlock", .unlocked, { try await $0.unlockUser($1, origin: $2) }),
            ("role-proposal/approve", .rolesChanged, { try await $0.approveRoleProposal($1, origin: $2) }),
            ("role-proposal/refuse", .proposalRefused, { try await $0.refuseRoleProposal($1, origin: $2) }),
        ]
    }

    func parseRoles(_ codes: [String], unitID: String?) throws -> (Set<Role>, UUID?) {
        var roles = Set<Role>()
        for code in codes where !code.isEmpty {
            guard let role = Role(code: code) else { throw DomainError.invalid("unknown_role", "未知的角色“\(code)”", english: "unknown role", field: "roles") }
            roles.insert(role)
        }
        var unit: UUID?
        if let unitID, !unitID.isEmpty {
            guard let id = UUID(uuidString: unitID) else { throw DomainError.invalid("invalid_id", "所属单位编号格式不正确", english: "unit_id is not a UUID", field: "unit_id") }
            unit = id
        }
        return (roles, unit)
    }

    // MARK: Pages

    struct Row {
        let id: String
        let username: String
        let displayName: String
        let roles: [String]
        let jurisdiction: String
        let status: String
        let statusClass: String
    }

    /// A pending reset request on the users page.
    struct ResetRow {
        let id: String
        let userID: String
        let username: String
        let displayName: String
        let requestedBy: String
        let requestedAt: String
    }

    struct ListPage {
        let chrome: Chrome
        let rows: [Row]
        let resets: [ResetRow]
        /// The security administrator decides on requests; the system administrator sees its own waiting.
        let canDecideResets: Bool
        let q: String
        let roles: [Option]
        let canCreate: Bool
        let nextHref: String?
        let filtered: Bool
    }

    func status(_ user: User) -> (String, String) {
        if user.disabled { return ("已停用", "bad") }
        if user.isLocked(at: store.clock.now()) { return ("登录受限", "warn") }
        if user.roles.isEmpty { return ("待授予角色", "warn") }
        if user.mustChangePassword { return ("待改初始密码", "warn") }
        return ("正常", "ok")
    }

    func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        var parameters = request.queryDictionary
        parameters["notice"] = nil
        let query = try UserQuery.validate(parameters)
        let page = try await store.users(query, for: actor)
        let names = try await store.jurisdictions(Set(page.items.map(\.jurisdictionID)), for: actor).mapValues(\.name)
        let rows = page.items.map { user -> Row in
            let (text, css) = status(user)
            return Row(
                id: user.id.text, username: user.username, displayName: user.displayName, roles: user.roles.sorted().map(\.title),
                jurisdiction: names[user.jurisdictionID] ?? "", status: text, statusClass: css)
        }
        let next = page.nextCursor.map { ListLink.make("/users", parameters, ["cursor": $0]) }
        let resets = try await store.pendingPasswordResets(for: actor).map {
            ResetRow(
                id: $0.id.text, userID: $0.userID.text, username: $0.username, displayName: $0.displayName, requestedBy: $0.requestedBy,
                requestedAt: Display.time($0.requestedAt))
        }
        let model = ListPage(
            chrome: pages.chrome(title: "账号管理", active: .users, request: request, context: context),
            rows: rows, resets: resets, canDecideResets: store.policy.allowsAnywhere(actor, .grantRoles), q: query.search ?? "", roles: Role.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == query.role) },
            canCreate: store.policy.allowsAnywhere(actor, .manageUsers), nextHref: next, filtered: query.search != nil || query.role != nil)
        return pages.render("users", model)
    }

    struct Check {
        let value: String
        let label: String
        let checked: Bool
    }

    struct FormPage {
        let chrome: Chrome
        let username: String
        let displayName: String
        let jurisdictions: [Option]
        let error: String?
    }

    /// Opening an account names the person and their committee only; the security administrator
    /// grants roles afterwards (三员分立).
    func formPage(context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .manageUsers)
        let chosenJurisdiction = form?["jurisdiction_id"] ?? actor.jurisdictionID?.text ?? ""
        let jurisdictions = try await store.jurisdictions(for: actor)
        let model = FormPage(
            chrome: Chrome.make(title: "开设账号", active: .users, context: context, policy: store.policy),
            username: form?["username"] ?? "", displayName: form?["display_name"] ?? "",
            jurisdictions: jurisdictions.map { Option(value: $0.id.text, label: $0.name, selected: $0.id.text == chosenJurisdiction) },
            error: error?.message)
        return pages.render("user_form", model, refused: error)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        return try await PageForm.submit(request, context: context, shown: { error in error.kind == .invalidInput || error.kind == .conflict || error.kind == .forbidden }) { form in
            let draft = try UserDraft.validate(
                username: form["username"], displayName: form["display_name"], jurisdictionID: form["jurisdiction_id"], roles: form.all("roles"),
                unitID: nil)
            let issued = try await store.createUser(draft, origin: origin)
            return try await detailPage(request, context: context, issued: issued, userID: issued.user.id, created: true)
        } reshow: { form, error in
            return try await formPage(context: context, form: form, error: error)
        }
    }

    struct DetailPage {
        let chrome: Chrome
        let id: String
        let username: String
        let displayName: String
        let roles: [String]
        let jurisdiction: String
        let unit: String?
        let status: String
        let statusClass: String
        let createdAt: String
        let oneTimePassword: String?
        let canManage: Bool
        let canGrant: Bool
        let canUnlock: Bool
        let isDisabled: Bool
        let isLocked: Bool
        let isSelf: Bool
        let roleChecks: [Check]
        let units: [Option]
        /// 拟授角色 and their unit, when an import proposed some.
        let proposedRoles: [String]
        let hasProposal: Bool
        let proposedUnit: String?
    }

    func detailPage(_ request: Request, context: AppRequestContext, issued: IssuedPassword?, userID: UUID? = nil, created: Bool = false) async throws -> Response {
        let origin = try context.origin()
        let actor = origin.actor
        let id = try userID ?? context.parameters.uuid("id")
        let user = try await store.user(id, origin: origin)
        let jurisdiction = try await store.jurisdictions([user.jurisdictionID], for: actor)[user.jurisdictionID]
        let location = jurisdiction?.location ?? RecordLocation(jurisdictionID: user.jurisdictionID, jurisdictionPath: "")
        let units = try await store.unitChoices(in: [user.jurisdictionID], for: actor)
        let (text, css) = status(user)
        let isAdministratorAccount = user.roles.contains(where: \.isAdministrator)
        let model = DetailPage(
            chrome: Chrome.make(
                title: "账号：\(user.displayName)", active: .users, context: context, policy: store.policy,
                notice: created ? "账号已开设。" : Chrome.notice(request)),
            id: user.id.text, username: user.username, displayName: user.displayName, roles: user.roles.sorted().map(\.title),
            jurisdiction: jurisdiction?.name ?? "", unit: user.unitID.flatMap { unitID in units.first { $0.id == unitID }?.name },
            status: text, statusClass: css, createdAt: Display.prose(user.createdAt), oneTimePassword: issued?.oneTimePassword,
            canManage: store.policy.allows(actor, .manageUsers, at: location) && !isAdministratorAccount,
            canGrant: store.policy.allows(actor, .grantRoles, at: location) && !isAdministratorAccount,
            canUnlock: store.policy.allows(actor, .unlockUsers, at: location), isDisabled: user.disabled,
            isLocked: user.isLocked(at: store.clock.now()), isSelf: actor.userID == user.id,
            roleChecks: Role.allCases.filter { !$0.isAdministrator }.map { Check(value: $0.rawValue, label: $0.title, checked: user.roles.contains($0)) },
            units: [Option(value: "", label: "（不属于被巡察单位）", selected: user.unitID == nil)]
                + units.map { Option(value: $0.id.text, label: $0.name, selected: $0.id == user.unitID) },
            proposedRoles: user.proposedRoles.sorted().map(\.title), hasProposal: !user.proposedRoles.isEmpty,
            proposedUnit: user.proposedUnitID.flatMap { unitID in units.first { $0.id == unitID }?.name })
        return pages.render("user", model)
    }
}
