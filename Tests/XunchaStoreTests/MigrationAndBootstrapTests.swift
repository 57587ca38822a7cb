import Foundation
import Logging
import SQLKit
import Testing
import XunchaCore
import XunchaSeed
import XunchaStore
import XunchaTesting

@Suite("迁移、初始化与演示数据")
struct MigrationAndBootstrapTests {
    @Test(arguments: TestEngine.available)
    func migratingAgainChangesNothing(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let migrator = Migrator(database: store.database, logger: Logger(label: "test"))
            let applied = try await migrator.migrate()
            #expect(applied.isEmpty)
            let versions = try await migrator.appliedVersions()
            #expect(versions == Migrations.all.map(\.version))
        }
    }

    /// A database migrated before the one history table keeps its histories: migration 21 copies
    /// each chain's steps into `record_steps`, where the step writer's history reads them.
    @Test func olderHistoriesAreReadFromTheOneHistoryTable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-legacy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("legacy.sqlite").path
        let logger = Logger(label: "test")
        let (jurisdiction, round) = (UUID(), UUID())
        let database = try await Database.open(.sqliteFile(path), logger: logger)
        try await Migrator(database: database, migrations: Migrations.all.filter { $0.version < 21 }, logger: logger).migrate()
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO jurisdictions (id, parent_id, path, name, level, created_at, updated_at, version)
                VALUES (\(bind: jurisdiction.text), NULL, '/legacy/', '旧市', 'city', 0, 0, 1)
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO rounds (jurisdiction_id, id, term, sequence, kind, theme, planned_start, planned_end, status, max_units_per_group, created_at,
                    updated_at, version)
                VALUES (\(bind: jurisdiction.text), \(bind: round.text), '十四届', 9, 'routine', NULL, '2025-03-01', '2025-06-30', 'draft', 3, 0, 0, 3)
                """
            ).run()
            for (index, (step, from, to, note)) in [("submit_for_review", "draft", "under_review", nil), ("return", "under_review", "draft", "请补充")].enumerated() {
                try await db.raw(
                    """
                    INSERT INTO round_steps (jurisdiction_id, id, round_id, step, from_status, to_status, note, actor_id, actor_name, at)
                    VALUES (\(bind: jurisdiction.text), \(bind: UUID().text), \(bind: round.text), \(bind: step), \(bind: from), \(bind: to), \(bind: note),
                        NULL, '旧办', \(bind: index))
                    """
                ).run()
            }
        }
        await database.close()
        let store = try await Store.open(.sqliteFile(path), hasher: PasswordHasher(cost: 4), logger: logger)
        let console = Actor.console("test")
        let history = try await store.history(RoundLifecycle.self, of: round, for: console)
        await store.close()
        #expect(history.map(\.step) == [.submitForReview, .returnForRevision])
        #expect(history.map(\.to) == [.underReview, .draft])
        #expect(history.last?.note == "请补充")
        #expect(history.allSatisfy { $0.actorName == "旧办" })
    }

    /// Groups formed before standing groups existed: migration 27 makes one standing group per
    /// name in each committee, so last year's 第一巡察组 of two rounds is one group.
    @Test func groupsFormedBeforeStandingGroupsJoinTheGroupOfTheirName() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-legacy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("legacy.sqlite").path
        let logger = Logger(label: "test")
        let jurisdiction = UUID()
        let rounds = [UUID(), UUID()]
        let groups = [(rounds[0], "第一巡察组"), (rounds[0], "第二巡察组"), (rounds[1], "第一巡察组")].map { (id: UUID(), round: $0.0, name: $0.1) }
        let database = try await Database.open(.sqliteFile(path), logger: logger)
        try await Migrator(database: database, migrations: Migrations.all.filter { $0.version < 27 }, logger: logger).migrate()
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO jurisdictions (id, parent_id, path, name, level, created_at, updated_at, version)
                VALUES (\(bind: jurisdiction.text), NULL, '/legacy/', '旧市', 'city', 0, 0, 1)
                """
            ).run()
            for (index, round) in rounds.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO rounds (jurisdiction_id, id, term, sequence, kind, theme, planned_start, planned_end, status, max_units_per_group, created_at,
                        updated_at, version)
                    VALUES (\(bind: jurisdiction.text), \(bind: round.text), '十四届', \(bind: index + 1), 'routine', NULL, '2025-03-01', '2025-06-30', 'approved', 3, 0, 0, 1)
                    """
                ).run()
            }
            for (index, group) in groups.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO inspection_groups (jurisdiction_id, id, round_id, name, authorisation, created_at)
                    VALUES (\(bind: jurisdiction.text), \(bind: group.id.text), \(bind: group.round.text), \(bind: group.name), NULL, \(bind: index))
                    """
                ).run()
            }
        }
        await database.close()
        let store = try await Store.open(.sqliteFile(path), hasher: PasswordHasher(cost: 4), logger: logger)
        let standing = try await store.database.read { db in
            try await db.raw("SELECT id, standing_group_id FROM inspection_groups").all().reduce(into: [UUID: UUID]()) { $0[try $1.uuid("id")] = try $1.uuid("standing_group_id") }
        }
        let listed = try await store.standingGroups(for: Actor.console("test"))
        await store.close()
        #expect(standing[groups[0].id] == standing[groups[2].id], "第一巡察组 of both rounds is one group")
        #expect(standing[groups[0].id] != standing[groups[1].id])
        #expect(listed.map(\.name) == ["第一巡察组", "第二巡察组"])
        #expect(listed.map(\.rounds) == [2, 1])
    }

    @Test(arguments: TestEngine.available)
    func aFailingMigrationIsRolledBackWhole(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let broken = Migration(version: 999, name: "broken", statements: ["CREATE TABLE half_done (id TEXT)", "THIS IS NOT SQL"])
            let migrator = Migrator(database: store.database, migrations: Migrations.all + [broken], logger: Logger(label: "test"))
            let error = await #expect(throws: MigrationError.self) { try await migrator.migrate() }
            #expect(error?.version == 999)
            let versions = try await migrator.appliedVersions()
            #expect(versions == Migrations.all.map(\.version))
            await #expect(throws: (any Error).self) {
                try await store.database.read { db in try await db.raw("SELECT * FROM half_done").run() }
            }
        }
    }

    /// Migrations are numbered by the work they belong to and may arrive out of order (15 before
    /// 14): a missing lower number is applied when it appears, the ones already applied are kept.
    @Test(arguments: TestEngine.available)
    func aLowerMigrationArrivingAfterAHigherOneIsStillApplied(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            func table(_ version: Int) -> Migration { Migration(version: version, name: "table \(version)", statements: ["CREATE TABLE t\(version) (id TEXT PRIMARY KEY)"]) }
            let first = Migrator(database: store.database, migrations: Migrations.all + [table(1001), table(1003)], logger: Logger(label: "test"))
            #expect(try await first.migrate().map(\.version) == [1001, 1003])
            let later = Migrator(database: store.database, migrations: Migrations.all + [table(1001), table(1002), table(1003)], logger: Logger(label: "test"))
            #expect(try await later.migrate().map(\.version) == [1002])
            #expect(try await later.appliedVersions() == Migrations.all.map(\.version) + [1001, 1002, 1003])
            try await store.database.read { db in try await db.raw("SELECT * FROM t1002").run() }
        }
    }

    @Test(arguments: TestEngine.available)
    func aDatabaseMigratedByANewerReleaseIsRefused(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            try await store.database.transaction { db in
                try await db.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)").run()
            }
            let error = await #expect(throws: MigrationError.self) {
                try await Migrator(database: store.database, logger: Logger(label: "test")).migrate()
            }
            #expect(error?.version == 9999)
        }
    }

    @Test(arguments: TestEngine.available)
    func firstStartCreatesTheThreeAdministratorsOnce(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let accounts = try await store.bootstrapIfEmpty(rootName: "江城市委")
            #expect(accounts.map(\.username) == ["sysadmin", "secadmin", "auditadmin"])
            for account in accounts {
                try PasswordPolicy().check(account.password, username: account.username)
                let signIn = try await store.signIn(username: account.username, password: account.password, kind: .web, clientAddress: nil)
                #expect(signIn.session.user.mustChangePassword)
                #expect(signIn.session.user.roles == [account.role])
            }
            #expect(try await store.bootstrapIfEmpty(rootName: "江城市委").isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func demoFillsAnEmptyDatabaseOnly(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let accounts = try await store.seedDemo()
            #expect(Set(accounts.map(\.username)).count == accounts.count)
            let roles = try await store.users(UserQuery(page: .init(limit: 100)), for: Fixture.console.actor).items.flatMap(\.roles)
            #expect(Set(roles) == Set(Role.allCases))
            let units = try await store.units(UnitQuery(page: .init(limit: 100)), for: Fixture.console.actor)
            #expect((18...25).contains(units.items.count))
            let jurisdictions = try await store.jurisdictions(for: Fixture.console.actor)
            #expect(jurisdictions.count == 4)
            let office = try await store.signIn(username: "office", password: Store.demoPassword, kind: .web, clientAddress: nil)
            #expect(!office.session.user.mustChangePassword)
            // Every demo account has something to do: the office a staffed round, the leading group a
            // round to review, the group member a pledge to sign, the unit a notice; last term's round
            // is finished, every assignment ready for 立卷归档.
            let rounds = try await store.rounds(for: office.session.actor)
            #expect(rounds.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.onSite, .onSite, .underReview])
            let finished = try #require(rounds.first { $0.term == "十四届" })
            #expect(try await store.archiveCandidates(round: finished.id, for: office.session.actor).map(\.finished) == [true, true])
            let member = try await store.signIn(username: "zuyuan", password: Store.demoPassword, kind: .web, clientAddress: nil).session.actor
            #expect(try await store.memberships(for: member).map(\.pledgedAt) == [nil])
            let unit = try await store.signIn(username: "danwei", password: Store.demoPassword, kind: .web, clientAddress: nil).session.actor
            #expect(try await store.notices(for: unit).items.map(\.unitName) == ["市财政局"])
            #expect(try await store.immediateRectifications(for: unit).items.map(\.status) == [.issued], "a 立行立改 notice to sign")
            let jiwei = try await store.signIn(username: "jiwei", password: Store.demoPassword, kind: .web, clientAddress: nil).session.actor
            #expect(try await store.leads(LeadQuery(), origin: RequestOrigin(actor: jiwei)).items.map(\.status) == [.transferred], "a lead in the inbox")
            #expect(try await store.findings(FindingQuery(), for: office.session.actor).items.count == 8,
                "three at 市财政局 and one before its group meeting, the same problem at 市教育局, three in last term's round")
            #expect(try await store.settings(of: try #require(office.session.actor.jurisdictionID), for: office.session.actor).systemicUnitThreshold == 2)
            #expect(try await store.coverage(term: "十五届", for: office.session.actor).planned == 9)
            let again = await #expect(throws: DomainError.self) { _ = try await store.seedDemo() }
            #expect(again?.code == "not_empty")
        }
    }
}
