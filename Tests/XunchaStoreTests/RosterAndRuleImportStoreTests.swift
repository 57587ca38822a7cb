import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("导入台账：花名册与制度台账 store")
struct RosterAndRuleImportStoreTests {
    static func table(_ csv: String) throws -> CSVTable { try CSVTable.parse(Data(csv.utf8)) }

    static let roster = """
        编号,姓名,单位,部门类别,职级,入库类别,专长
        P1,张明,市委组织部,组织人事,正处级,组长库,干部考察
        P2,李华,市财政局,审计,,人才库,财务审计
        ,王芳,市审计局,审计,,人才库,
        """

    @Test(arguments: TestEngine.available)
    func aReImportUpdatesWhatItsKeysCreatedAndEverythingIsMarkedBackfilled(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            let preview = try await store.importLedger(
                .poolRoster, table: try Self.table(Self.roster), mapping: nil, fileName: "名册.xlsx", into: f.city.id, dryRun: true, origin: office)
            #expect(preview.problems.isEmpty)
            #expect((preview.created, preview.updated, preview.written) == (3, 0, false))
            #expect(try await store.inspectors(InspectorQuery(), for: office.actor).items.isEmpty, "a preview writes nothing")

            let first = try await store.importLedger(
                .poolRoster, table: try Self.table(Self.roster), mapping: nil, fileName: "名册.xlsx", into: f.city.id, dryRun: false, origin: office)
            #expect((first.created, first.updated, first.written) == (3, 0, true))
            var list = try await store.inspectors(InspectorQuery(), for: office.actor).items
            #expect(list.count == 3)
            let li = try #require(list.first { $0.name == "李华" })
            #expect(li.homeUnitID == f.cityUnit.id, "a home unit in the register is linked")
            let mark = try #require(try await store.importMark(of: li.id, kind: .poolRoster, for: office.actor))
            #expect(mark.backfillReason == "导入自“名册.xlsx”")
            #expect(mark.importerName == office.actor.displayName)
            #expect(mark.key == "P2")

            // The corrected sheet: 李华 moved to the leader pool, one new row, the keyless row again.
            let corrected = """
                编号,姓名,单位,部门类别,职级,入库类别,专长
                P1,张明,市委组织部,组织人事,正处级,组长库,干部考察
                P2,李华,市财政局,审计,副处级,组长库、人才库,财务审计
                P3,赵强,市审计局,审计,,人才库,
                """
            let again = try await store.importLedger(
                .poolRoster, table: try Self.table(corrected), mapping: nil, fileName: "名册（修订）.xlsx", into: f.city.id, dryRun: false, origin: office)
            #expect((again.created, again.updated) == (1, 2))
            list = try await store.inspectors(InspectorQuery(), for: office.actor).items
            #expect(list.count == 4, "P1 and P2 updated, not added twice")
            let updated = try #require(list.first { $0.id == li.id })
            #expect(updated.rank == .deputyDivisionChief && updated.inLeaderPool && updated.version == 2)
            #expect(try await store.importMark(of: li.id, kind: .poolRoster, for: office.actor)?.fileName == "名册（修订）.xlsx")

            let audit = try await store.auditEntries(AuditQuery(action: AuditAction.ledgerImported.rawValue), origin: f.origin(.auditAdministrator)).items
            #expect(audit.map(\.event.detail).contains("导入巡察干部名册（组长库、人才库）：新增1条，更新2条（补录：导入自“名册（修订）.xlsx”）"))
            let changed = try await store.auditEntries(AuditQuery(targetID: li.id.text), origin: f.origin(.auditAdministrator)).items
            #expect(changed.contains { $0.event.detail?.hasSuffix("（补录：导入自“名册（修订）.xlsx”）") == true }, "each record's own entry says 补录 and the file")
        }
    }

    @Test(arguments: TestEngine.available)
    func aBadFileWritesNothingAndTheMappingIsRemembered(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let f = try await Fixture.make(store)
            let office = f.origin(.officeStaff)
            let csv = "人员,工作单位,部门类别,入库类别\n甲,某局,审计,人才库\n乙,某局,魔法,人才库\n"
            let bad = try await store.importLedger(
                .poolRoster, table: try Self.table(csv), mapping: ImportMapping(keys: ["name", "home_unit", "category", "pools"]), fileName: "a.csv",
                into: f.city.id, dryRun: false, origin: office)
            #expect(!bad.written)
            #expect(bad.problems.map(\.text) == ["第3行“部门类别”列：未知的部门类别“魔法”（可用：纪检监察、组织人事、检察、审计、财务、法务、工程、其他）"])
            #expect(bad.rows.map { $0.action } == [nil, nil], "nothing is written while any cell is bad")
            #expect(try await store.inspectors(InspectorQuery(), for: office.actor).items.isEmpty)
            #expect(try await store.rememberedMapping(.poolRoster, in: f.city.id, for: office.actor).isEmpty, "a refused file teaches nothing")

            let good = try await store.importLedger(
                .poolRoster, table: try Self.table("人员,工作单位,部门类别,入库类别\n甲,某局,审计,人才库\n"),
                mapping: ImportMapping(keys: ["name", "home_unit", "category", "pools"]), fileName: "a.csv", into: f.city.id, dryRun: false, origin: office)
            #expect(good.written)
            #expect(try await store.rememberedMapping(.poolRoster, in: f.city.id, for: office.actor)["人员"] == "name")
            // Next time the same header maps by itself.
            let next = try await store.importLedger(
                .poolRoster, table: try Self.table("人员,工作单位,部门类别,入库类别\n丙,某局,审计,人才库\n"), mapping: nil, fileName: "b.csv", into: f.city.id,
                dryRun: true, origin: office)
            #expect(next.mapping.keys.first == "name")
            #expect(next.problems.isEmpty)

            // The fixed-format roster upload of the pools page is marked alike.
            let drafts = try InspectorImportPlan.plan(try Self.table("姓名,工作单位,部门类别,入库类别\n戊,某局,审计,人才库\n"), currentYear: 2026)
            #expect(try await store.importInspectors(drafts, into: f.city.id, origin: office, fileName: "名册.csv") == 1)
            let added = try #require(try await store.inspectors(InspectorQuery(search: "戊"), for: office.actor).items.first)
            #expect(try await store.importMark(of: added.id, kind: .poolRoster, for: office.actor)?.backfillReason == "导入自“名册.csv”")

            let denied = await #expect(throws: DomainError.self) {
                _ = try await store.importLedger(
                    .poolRoster, table: try Self.table("姓名,工作单位,部门类别,入库类别\n丁,某局,审计,人才库\n"), mapping: nil, fileName: "c.csv", into: f.city.id,
                    dryRun: true, origin: f.origin(.leadingGroupMember))
            }
            #expect(denied?.code == "forbidden", "an import needs the permission of the ledger it writes")
        }
    }

    @Test(arguments: TestEngine.available)
    func ruleImprovementsLinkTheUnitsProblemsByNumber(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.feedbackIssued(store)
            let unit = s.f.cityUnit.name
            let day = s.today.description
            let csv = """
                台账编号,制度名称,建立或完善,印发日期,制定单位,主要内容,关联问题序号
                R1,公务接待管理办法,建立,\(day),\(unit),规范公务接待,1
                R2,值班制度,完善,\(day),\(unit),内容,9
                """
            let bad = try await store.importLedger(
                .ruleImprovements, table: try Self.table(csv), mapping: nil, fileName: "制度.xlsx", into: s.f.city.id, dryRun: true, origin: s.office)
            #expect(bad.problems.map(\.text) == ["第3行“关联问题序号”列：“\(unit)”最近一次已下达的反馈中没有第9个问题"], "a problem only the database can tell")
            #expect(try await store.ruleImprovements(for: s.office.actor).items.isEmpty, "the preview's writes were rolled back")

            let good = csv.replacingOccurrences(of: "内容,9", with: "内容,1")
            let written = try await store.importLedger(
                .ruleImprovements, table: try Self.table(good), mapping: nil, fileName: "制度.xlsx", into: s.f.city.id, dryRun: false, origin: s.office)
            #expect((written.created, written.updated) == (2, 0))
            let rules = try await store.ruleImprovements(for: s.office.actor).items
            #expect(rules.count == 2)
            #expect(rules.allSatisfy { $0.unitID == s.f.cityUnit.id && $0.problems.map(\.problemID) == [s.feedback.problems[0].id] })
            let renamed = good.replacingOccurrences(of: "值班制度", with: "值班管理制度")
            let again = try await store.importLedger(
                .ruleImprovements, table: try Self.table(renamed), mapping: nil, fileName: "制度.xlsx", into: s.f.city.id, dryRun: false, origin: s.office)
            #expect((again.created, again.updated) == (0, 2))
            #expect(Set(try await store.ruleImprovements(for: s.office.actor).items.map(\.title)) == ["公务接待管理办法", "值班管理制度"])
        }
    }
}
