import Foundation
import XunchaCore
import XunchaStore

/// A small city: 江城市委 with two counties, a unit in each, and one account per role in the
/// city (unit roles for the city unit), plus office staff in county A. Actors are ready to use.
public struct Fixture: Sendable {
    public let city: Jurisdiction
    public let countyA: Jurisdiction
    public let countyB: Jurisdiction
    public let cityUnit: InspectedUnit
    public let countyAUnit: InspectedUnit
    public let countyBUnit: InspectedUnit
    /// An actor for each role, in the city (unit roles act for `cityUnit`).
    public let actors: [Role: Actor]
    /// The users behind `actors`.
    public let users: [Role: User]
    /// Their one-time passwords.
    public let passwords: [Role: String]
    public let countyAOffice: Actor
    public let countyBOffice: Actor
    public static let console = RequestOrigin(actor: .console("test"))

    public func actor(_ role: Role) -> Actor { actors[role]! }

    /// Marks every account as having changed its initial password, so tests can act at once.
    public func settle(_ store: Store) async throws {
        try await store.database.transaction { db in try await db.raw("UPDATE users SET must_change_password = 0").run() }
    }

    /// Signs a fixture account in and returns its token.
    public func signIn(_ store: Store, _ role: Role, kind: SessionKind = .api) async throws -> SignIn {
        try await store.signIn(username: users[role]!.username, password: passwords[role]!, kind: kind, clientAddress: "127.0.0.1")
    }

    public func origin(_ role: Role) -> RequestOrigin { RequestOrigin(actor: actor(role), clientAddress: "127.0.0.1") }

    /// Builds the fixture through the store's own operations, as the console.
    public static func make(_ store: Store) async throws -> Fixture {
        let console = Self.console
        _ = try await store.bootstrapIfEmpty(rootName: "江城市委")
        let root = try await store.jurisdictions(for: console.actor).first { $0.parentID == nil }!
        let countyA = try await store.createJurisdiction(JurisdictionDraft(name: "清河县委", level: .county), parentID: root.id, origin: console)
        let countyB = try await store.createJurisdiction(JurisdictionDraft(name: "青山县委", level: .county), parentID: root.id, origin: console)
        let cityUnit = try await store.createUnit(UnitDraft(name: "市财政局", type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: root.id, origin: console)
        let countyAUnit = try await store.createUnit(UnitDraft(name: "清河县水利局", type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: countyA.id, origin: console)
        let countyBUnit = try await store.createUnit(UnitDraft(name: "青山县人民医院", type: .hospital, partyOrganisation: .committee), in: countyB.id, origin: console)

        var actors: [Role: Actor] = [:]
        var users: [Role: User] = [:]
        var passwords: [Role: String] = [:]
        for role in Role.allCases {
            let unit = role.isUnitRole ? cityUnit.id : nil
            let draft = UserDraft(
                username: "t." + role.rawValue.replacingOccurrences(of: "_", with: "."), displayName: role.title, jurisdictionID: root.id,
                roles: try RoleSet([role], unitGiven: unit != nil), unitID: unit)
            let issued = try await store.createUser(draft, origin: console)
            let user = issued.user
            users[role] = user
            passwords[role] = issued.oneTimePassword
            actors[role] = .account(user, jurisdictionPath: root.path)
        }
        func office(_ j: Jurisdiction, _ name: String) async throws -> Actor {
            let draft = UserDraft(username: name, displayName: name, jurisdictionID: j.id, roles: try RoleSet([.officeStaff], unitGiven: false), unitID: nil)
            return .account(try await store.createUser(draft, origin: console).user, jurisdictionPath: j.path)
        }
        return Fixture(
            city: root, countyA: countyA, countyB: countyB, cityUnit: cityUnit, countyAUnit: countyAUnit, countyBUnit: countyBUnit,
            actors: actors, users: users, passwords: passwords, countyAOffice: try await office(countyA, "qinghe.office"), countyBOffice: try await office(countyB, "qingshan.office"))
    }
}
