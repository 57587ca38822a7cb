import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("党委（辖区） store")
struct JurisdictionStoreTests {
    @Test(arguments: TestEngine.available)
    func theSystemAdministratorGrowsAndRenamesTheTree(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let admin = f.origin(.systemAdministrator)
            let district = try await store.createJurisdiction(JurisdictionDraft(name: "东湖区委", level: .district), parentID: f.city.id, origin: admin)
            #expect(district.path.hasPrefix(f.city.path))
            let renamed = try await store.updateJurisdiction(district.id, JurisdictionDraft(name: "东湖新区党工委", level: .district), version: 1, origin: admin)
            #expect(renamed.version == 2)
            #expect(try await store.jurisdiction(district.id, for: f.actor(.officeStaff)).name == "东湖新区党工委")

            let duplicate = await #expect(throws: DomainError.self) {
                _ = try await store.createJurisdiction(JurisdictionDraft(name: "清河县委", level: .county), parentID: f.city.id, origin: admin)
            }
            #expect(duplicate?.code == "duplicate_jurisdiction_name")
            let stale = await #expect(throws: DomainError.self) {
                _ = try await store.updateJurisdiction(district.id, JurisdictionDraft(name: "又改名", level: .district), version: 1, origin: admin)
            }
            #expect(stale?.code == "stale_version")
            let office = await #expect(throws: DomainError.self) {
                _ = try await store.createJurisdiction(JurisdictionDraft(name: "新县委", level: .county), parentID: f.city.id, origin: f.origin(.officeStaff))
            }
            #expect(office?.code == "forbidden")
            let root = await #expect(throws: DomainError.self) {
                _ = try await store.createJurisdiction(JurisdictionDraft(name: "另一个市委", level: .city), parentID: nil, origin: admin)
            }
            #expect(root?.code == "forbidden")
        }
    }

    @Test(arguments: TestEngine.available)
    func aCountySeesItsOwnBranchOfTheTreeOnly(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let seen = try await store.jurisdictions(for: f.countyAOffice).map(\.id)
            #expect(seen == [f.countyA.id])
            let cityView = try await store.jurisdictions(for: f.actor(.officeStaff)).map(\.id)
            #expect(Set(cityView) == [f.city.id, f.countyA.id, f.countyB.id])
            let hidden = await #expect(throws: DomainError.self) { _ = try await store.jurisdiction(f.city.id, for: f.countyAOffice) }
            #expect(hidden?.code == "not_found")
        }
    }

    @Test(arguments: TestEngine.available)
    func twoEditorsWithTheSameVersionCannotBothSave(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        let draft = UnitDraft(name: "市财政局\(i)", type: .municipalDepartment, partyOrganisation: .leadershipGroup)
                        do {
                            _ = try await store.updateUnit(f.cityUnit.id, draft, version: 1, origin: office)
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await store.unit(f.cityUnit.id, for: office.actor).version == 2)
        }
    }
}
