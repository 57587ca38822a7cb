import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("被巡察单位 store")
struct UnitStoreTests {
    @Test(arguments: TestEngine.available)
    func officeStaffCreatesReadsAndUpdatesAUnit(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            let created = try await store.createUnit(
                UnitDraft(name: "市教育局", type: .municipalDepartment, partyOrganisation: .leadershipGroup, headName: "周文华"), in: f.city.id, origin: office)
            let read = try await store.unit(created.id, for: office.actor)
            #expect(read == created)

            let updated = try await store.updateUnit(
                created.id, UnitDraft(name: "市教育局（市委教育工委）", type: .municipalDepartment, partyOrganisation: .workingCommittee, parentUnitID: f.cityUnit.id),
                version: 1, origin: office)
            #expect(updated.version == 2)
            #expect(try await store.unit(created.id, for: office.actor).partyOrganisation == .workingCommittee)
            #expect(try await store.unit(created.id, for: office.actor).parentUnitID == f.cityUnit.id)
        }
    }

    @Test(arguments: TestEngine.available)
    func duplicateNameInOneJurisdictionIsRefusedAndNothingIsWritten(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let before = try await auditCount(store)
            let error = await #expect(throws: DomainError.self) {
                _ = try await store.createUnit(UnitDraft(name: "市财政局", type: .other, partyOrganisation: .branch), in: f.city.id, origin: f.origin(.officeStaff))
            }
            #expect(error?.code == "duplicate_unit_name")
            #expect(try await auditCount(store) == before)
            // The same name in another jurisdiction is a different unit.
            _ = try await store.createUnit(UnitDraft(name: "市财政局", type: .other, partyOrganisation: .branch), in: f.countyA.id, origin: RequestOrigin(actor: f.countyAOffice))
        }
    }

    @Test(arguments: TestEngine.available)
    func updateWithAStaleVersionIsRefused(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let draft = UnitDraft(name: "市财政局", type: .municipalDepartment, partyOrganisation: .committee)
            _ = try await store.updateUnit(f.cityUnit.id, draft, version: 1, origin: f.origin(.officeStaff))
            let error = await #expect(throws: DomainError.self) {
                _ = try await store.updateUnit(f.cityUnit.id, draft, version: 1, origin: f.origin(.officeStaff))
            }
            #expect(error?.code == "stale_version")
        }
    }

    @Test(arguments: TestEngine.available)
    func parentMustBeInTheSameJurisdictionAndNotFormACycle(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            let foreignParent = await #expect(throws: DomainError.self) {
                _ = try await store.createUnit(
                    UnitDraft(name: "下属单位", type: .other, partyOrganisation: .branch, parentUnitID: f.countyAUnit.id), in: f.city.id, origin: office)
            }
            #expect(foreignParent?.code == "unknown_parent")
            let child = try await store.createUnit(
                UnitDraft(name: "国库支付中心", type: .publicInstitution, partyOrganisation: .branch, parentUnitID: f.cityUnit.id), in: f.city.id, origin: office)
            let cycle = await #expect(throws: DomainError.self) {
                _ = try await store.updateUnit(
                    f.cityUnit.id, UnitDraft(name: "市财政局", type: .municipalDepartment, partyOrganisation: .leadershipGroup, parentUnitID: child.id),
                    version: 1, origin: office)
            }
            #expect(cycle?.code == "parent_cycle")
        }
    }

    @Test(arguments: TestEngine.available)
    func keysetPagesVisitEveryUnitOnceInOrder(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            for i in 0..<57 {
                _ = try await store.createUnit(UnitDraft(name: String(format: "乡镇%02d", i), type: .township, partyOrganisation: .committee), in: f.city.id, origin: office)
            }
            for (sort, order) in [(UnitQuery.Sort.name, SortOrder.ascending), (.name, .descending), (.created, .ascending), (.created, .descending)] {
                var query = UnitQuery(sort: sort, order: order, page: PageRequest(limit: 10))
                var seen: [InspectedUnit] = []
                var pages = 0
                repeat {
                    let page = try await store.units(query, for: office.actor)
                    seen += page.items
                    pages += 1
                    query.page.after = try page.nextCursor.map { try Cursor(token: $0) }
                } while query.page.after != nil
                #expect(seen.count == 58, "\(sort) \(order)")
                #expect(Set(seen.map(\.id)).count == 58)
                #expect(pages == 6)
                if let replay = try await store.units(UnitQuery(sort: sort, order: order, page: PageRequest(limit: 10)), for: office.actor).nextCursor {
                    let otherOrder = sort == .name ? "created" : "name"
                    let refused = #expect(throws: DomainError.self) { try UnitQuery.validate(["sort": otherOrder, "cursor": replay]) }
                    #expect(refused?.code == "invalid_cursor")
                }
                if sort == .name {
                    let names = seen.map(\.name)
                    #expect(names == (order == .ascending ? names.sorted() : names.sorted(by: >)))
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func searchFindsChineseSubstringsAndFiltersCombine(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            _ = try await store.createUnit(UnitDraft(name: "市第一人民医院", type: .hospital, partyOrganisation: .committee), in: f.city.id, origin: office)
            _ = try await store.createUnit(UnitDraft(name: "市中医院", type: .hospital, partyOrganisation: .committee), in: f.city.id, origin: office)
            _ = try await store.createUnit(UnitDraft(name: "市医疗保障局", type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: f.city.id, origin: office)
            let byText = try await store.units(UnitQuery(search: "医院"), for: office.actor)
            #expect(Set(byText.items.map(\.name)) == ["市第一人民医院", "市中医院"])
            let oneCharacter = try await store.units(UnitQuery(search: "医"), for: office.actor)
            #expect(oneCharacter.items.count == 3)
            let filtered = try await store.units(UnitQuery(search: "医", type: .municipalDepartment), for: office.actor)
            #expect(filtered.items.map(\.name) == ["市医疗保障局"])
            let wildcard = try await store.units(UnitQuery(search: "%"), for: office.actor)
            #expect(wildcard.items.isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func eachReaderSeesOnlyTheUnitsOfItsScope(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let countyA = try await store.units(UnitQuery(), for: f.countyAOffice)
            #expect(countyA.items.map(\.id) == [f.countyAUnit.id])
            let city = try await store.units(UnitQuery(), for: f.actor(.officeStaff))
            #expect(city.items.map(\.id) == [f.cityUnit.id])
            let contact = try await store.units(UnitQuery(), for: f.actor(.unitContact))
            #expect(contact.items.map(\.id) == [f.cityUnit.id])

            let hidden = await #expect(throws: DomainError.self) { _ = try await store.unit(f.countyBUnit.id, for: f.countyAOffice) }
            #expect(hidden?.code == "not_found")
            for role in [Role.systemAdministrator, .securityAdministrator, .auditAdministrator] {
                let denied = await #expect(throws: DomainError.self) { _ = try await store.units(UnitQuery(), for: f.actor(role)) }
                #expect(denied?.code == "forbidden", "\(role)")
                let single = await #expect(throws: DomainError.self) { _ = try await store.unit(f.cityUnit.id, for: f.actor(role)) }
                #expect(single?.code == "not_found", "\(role)")
            }
            let otherCounty = await #expect(throws: DomainError.self) {
                _ = try await store.updateUnit(f.countyBUnit.id, UnitDraft(name: "改名", type: .other, partyOrganisation: .branch), version: 1, origin: RequestOrigin(actor: f.countyAOffice))
            }
            #expect(otherCounty?.code == "not_found")
            let groupLeaderWrite = await #expect(throws: DomainError.self) {
                _ = try await store.createUnit(UnitDraft(name: "新单位", type: .other, partyOrganisation: .branch), in: f.city.id, origin: f.origin(.groupLeader))
            }
            #expect(groupLeaderWrite?.code == "forbidden")
        }
    }

    @Test(arguments: TestEngine.available)
    func importWritesEveryRowWithParentsOrNothing(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            let csv = "单位名称,单位类型,党组织类型,上级单位,主要负责人\n红星村,村（社区）,党支部,白沙镇,宋大勇\n白沙镇,乡镇（街道）,党委,,梁文\n国库中心,事业单位,党支部,市财政局,\n"
            let plan = try UnitImportPlan.plan(try CSVTable.parse(Data(csv.utf8)))
            let units = try await store.importUnits(plan, into: f.city.id, origin: office)
            #expect(units.count == 3)
            let village = try #require(units.first { $0.name == "红星村" })
            #expect(village.parentUnitID == units.first { $0.name == "白沙镇" }?.id)
            #expect(units.first { $0.name == "国库中心" }?.parentUnitID == f.cityUnit.id)
            let summary = try await store.auditEntries(AuditQuery(action: AuditAction.unitsImported.rawValue), origin: f.origin(.auditAdministrator))
            #expect(summary.items.first?.event.detail == "CSV导入3家单位")

            let before = try await store.units(UnitQuery(page: .init(limit: 100)), for: office.actor).items.count
            let bad = "单位名称,单位类型,党组织类型,上级单位\n新单位一,学校,党委,\n市财政局,学校,党委,\n新单位二,学校,党委,不存在的单位\n"
            let error = await #expect(throws: DomainError.self) {
                _ = try await store.importUnits(try UnitImportPlan.plan(try CSVTable.parse(Data(bad.utf8))), into: f.city.id, origin: office)
            }
            #expect(error?.code == "import_rejected")
            #expect(error?.message.contains("第3行") == true)
            #expect(error?.message.contains("第4行") == true)
            #expect(try await store.units(UnitQuery(page: .init(limit: 100)), for: office.actor).items.count == before)
        }
    }
}

func auditCount(_ store: Store) async throws -> Int {
    try await store.database.read { db in
        Int(try await db.raw("SELECT COUNT(*) AS n FROM audit_entries").first()!.decode(column: "n", as: Int64.self))
    }
}
