import Crypto
import Foundation
import Testing
import XunchaStore

/// A released migration may already have run on a committee's database: editing it would leave that
/// database different from a new one, silently. These tests keep the list append-only.
@Suite("已发布的迁移不可修改")
struct ReleasedMigrationTests {
    /// SHA-256 of each migration's SQL as it runs on each engine: every statement of `sql(for:)`
    /// followed by ";\n", concatenated. A new migration adds its line here when it is written.
    static let pinned: [(version: Int, sqlite: String, postgres: String)] = [
        (1, sqlite: "9ab39badd49629ad029a2523e3e466af42f6dfcf810d12c58b31f69458f16794", postgres: "6e74e617c6a15e8b0474fecdd43298ad3a06518180885613cdf6ccc2813ea8a3"),
        (2, sqlite: "ace15d65b1be3996c74c593399bac4b4e1e8f125a3e0b9d9db31dd25c1e30aca", postgres: "384cf0b9baa42d7424874ecf91a002d240928733ec87e47a86fbbb86245b337d"),
        (3, sqlite: "e05cd90108c37e9ab6139950713e9d55b2fb02ad4a27cb81447e7ffa9f2ed323", postgres: "16a7040141753bde11a41d8ea04c65b8c3dd170951ad1c3aea20579e85fc52c0"),
        (4, sqlite: "91cc01986deea3b0396994ff5da6a60b2e62fc5d78ac239e458306077d888bec", postgres: "0eb57171a8d32bfb230a1222e2837abacbf0a3ac110445a1db9843b3c2470d83"),
        (5, sqlite: "6b3fda1acc2fbff8e3f3cdbfe47a63a847fef09c4a809b2fca6059e9dde4c5e0", postgres: "6b3fda1acc2fbff8e3f3cdbfe47a63a847fef09c4a809b2fca6059e9dde4c5e0"),
        (6, sqlite: "0050f6c8b61ba8a2d6a1658958cf84f87aa770fff6d85ae40984edcc1fb6644d", postgres: "0050f6c8b61ba8a2d6a1658958cf84f87aa770fff6d85ae40984edcc1fb6644d"),
        (7, sqlite: "30da8ea5870abded842064e16f75aaa1542cba61d497084e8ad47a408a1bd83c", postgres: "30da8ea5870abded842064e16f75aaa1542cba61d497084e8ad47a408a1bd83c"),
        (8, sqlite: "631c1bb41e00fffddb04d5377e48e2de6c442aeb0222456dc996ae079422b183", postgres: "631c1bb41e00fffddb04d5377e48e2de6c442aeb0222456dc996ae079422b183"),
        (9, sqlite: "97f66cdf56a38e9081b68d6f97662df77ea68ff86d681e40d36b05a5ebed2a6f", postgres: "fc72aebb9f13a4a21aaba1ea0b0cf76cdaefa68dd0ba8fd8f20f19707d4d96e2"),
        (10, sqlite: "59ea7b1d6dfaabc855a8b81420b953a4dae2870d1c15deddfb2b24b1e4097dd4", postgres: "59ea7b1d6dfaabc855a8b81420b953a4dae2870d1c15deddfb2b24b1e4097dd4"),
        (11, sqlite: "6e7c1b222e5e03d6100b41fb862010349db85ddd201687d8cb66bf150f7cc6e3", postgres: "6e7c1b222e5e03d6100b41fb862010349db85ddd201687d8cb66bf150f7cc6e3"),
        (12, sqlite: "9201866e4670b733109a6e81ca1d8bc3ba3306ab216650cd6876d42de1fdcb0b", postgres: "9201866e4670b733109a6e81ca1d8bc3ba3306ab216650cd6876d42de1fdcb0b"),
        (13, sqlite: "1ed250cff12980500bda3ffa237b442e98f0fc0f6a12c9f5ae8b0a50e19b0910", postgres: "1ed250cff12980500bda3ffa237b442e98f0fc0f6a12c9f5ae8b0a50e19b0910"),
        (14, sqlite: "579a164eace13bfd97bde4ccb931396d3615d8ecc5299fa8363a097935e66155", postgres: "579a164eace13bfd97bde4ccb931396d3615d8ecc5299fa8363a097935e66155"),
        (15, sqlite: "acb002b7bb876bf7638a5d82b42d485b5970a12110ff58dee4457263091a1869", postgres: "acb002b7bb876bf7638a5d82b42d485b5970a12110ff58dee4457263091a1869"),
        (16, sqlite: "788c2cdf4b97d1cdbb7196a34608157250bc25ca375ba64911457cb6d2ba0ff0", postgres: "788c2cdf4b97d1cdbb7196a34608157250bc25ca375ba64911457cb6d2ba0ff0"),
        (17, sqlite: "1e411b0bd65cf73257fc5901caf4b69a311c7ba1dc8252721e2466aa53b82aa4", postgres: "1e411b0bd65cf73257fc5901caf4b69a311c7ba1dc8252721e2466aa53b82aa4"),
        (18, sqlite: "85e20aacb09edfd404e60a4031c3d8172989c53e227d4c8e83b68ead872704d8", postgres: "85e20aacb09edfd404e60a4031c3d8172989c53e227d4c8e83b68ead872704d8"),
        (19, sqlite: "297591f8638d076a249ec9b61b06fef2548d33cee3441e3ef256dc402c8635e7", postgres: "b20b3d8aa6ba72108bd22c174fbbad8abf5ac42bd19e773179767b6b95c31a5c"),
        (20, sqlite: "998b77c502d3065a97c3fb3918f9a99f21fa5fe2f7298657fe9be5680b170bbf", postgres: "998b77c502d3065a97c3fb3918f9a99f21fa5fe2f7298657fe9be5680b170bbf"),
        (21, sqlite: "1eee105963908b631d3a01fe17418d9ba6fd639d2e02ca812eabaeab5f9b6a16", postgres: "1eee105963908b631d3a01fe17418d9ba6fd639d2e02ca812eabaeab5f9b6a16"),
        (22, sqlite: "94e68c4b3b38aa72777547a598f27c7064835b296bdee1ec6f25bc336607ea88", postgres: "6c8bbae2d08d751a44bc5c251151b122f5c6490fc5066ce824227dc101198355"),
        (23, sqlite: "958019169e5dceafb61e8a740252451ac9ff43d1463521952d1e8efe0cab3306", postgres: "958019169e5dceafb61e8a740252451ac9ff43d1463521952d1e8efe0cab3306"),
        (24, sqlite: "2f9611f8277e2062bc7f5d1fee5df46bab4267650adbc4673b8725efbd9c22f8", postgres: "2f9611f8277e2062bc7f5d1fee5df46bab4267650adbc4673b8725efbd9c22f8"),
        (25, sqlite: "c300b21b5fac4bea8efcb6653c566c87bab5d022166e156a7381ad539e870e23", postgres: "c300b21b5fac4bea8efcb6653c566c87bab5d022166e156a7381ad539e870e23"),
        (26, sqlite: "d47f471d76090975e40cb947e55c4b5cbf8976ff2447cbc993428788ee9047b3", postgres: "d47f471d76090975e40cb947e55c4b5cbf8976ff2447cbc993428788ee9047b3"),
        (27, sqlite: "a2baba9eda2ced1c7c0d36b8b0a266941151b943e27c730e2a7741ee4199c87f", postgres: "a047f0c162f9ecafe6d0eec64078ca80a03384ec9f71f1a1effe74caa2f98a05"),
        (28, sqlite: "1b86eae3e971b9582c3681a3bc480d8d4bfef8d9fb1d96192852277ce835c706", postgres: "1b86eae3e971b9582c3681a3bc480d8d4bfef8d9fb1d96192852277ce835c706"),
        (30, sqlite: "c3dc5b0280e38dfaa1e365bcab52a5a63b28211933abf3c6625dfce179361b5f", postgres: "c3dc5b0280e38dfaa1e365bcab52a5a63b28211933abf3c6625dfce179361b5f"),
        (31, sqlite: "9c685efbbbcd7469052060a8b2b09656092e7205756022d6773deb630151385b", postgres: "9c685efbbbcd7469052060a8b2b09656092e7205756022d6773deb630151385b"),
        (32, sqlite: "ea490c4fa22b7dd21dba59066725d57a8d4074db91a064d106cb85613e5db5b7", postgres: "ea490c4fa22b7dd21dba59066725d57a8d4074db91a064d106cb85613e5db5b7"),
        (33, sqlite: "64cdea9298b096fd3c335618e71e23192ec95e6feac19d1a177844fd5e4ebbef", postgres: "64cdea9298b096fd3c335618e71e23192ec95e6feac19d1a177844fd5e4ebbef"),
        (34, sqlite: "9cdc9c34c20374822df535b35f2713d09c01c264b985ad3f5c0d6743bd6c109a", postgres: "9cdc9c34c20374822df535b35f2713d09c01c264b985ad3f5c0d6743bd6c109a"),
        (35, sqlite: "ab0c17997cb9c25bc66c8f0880380b6a3e18df79b176805e853771ac3755fb8d", postgres: "7be7148a5b37f2caff89ed12b69ba95e5b90efd3a7a7943ca4a5015f48cc65fa"),
        (36, sqlite: "39eb43cf74f4853b99a69ef498c38d371ea2d91fed734769f52cfdaf01351a78", postgres: "39eb43cf74f4853b99a69ef498c38d371ea2d91fed734769f52cfdaf01351a78"),
        (37, sqlite: "765bf3a8f73a033c90a7bb9365944783cd27a8367256d4d3c01c816e8c89062b", postgres: "765bf3a8f73a033c90a7bb9365944783cd27a8367256d4d3c01c816e8c89062b"),
        (38, sqlite: "c81753d32a1c32e8ab68f64d38752416e7a318b7f4cc25770c3e6d85c3207359", postgres: "c81753d32a1c32e8ab68f64d38752416e7a318b7f4cc25770c3e6d85c3207359"),
        (39, sqlite: "de29a4be1d0bd784f4583891e71208fc14efa3b31c099161c6abd4cfc3751b72", postgres: "de29a4be1d0bd784f4583891e71208fc14efa3b31c099161c6abd4cfc3751b72"),
        (40, sqlite: "0357d5f0bbad5fc5436885a0414c8cec10f4645a0011e0304e0f13af4c381950", postgres: "44b34791f17e31ffe58cc7e7b4e8a2b7a1e077012d9b3b48a4c91e2bf6402912"),
        (41, sqlite: "43f1f6704d38b28cd8fe65181125544f64d82ee88f2e904924ed4a68177cd5ce", postgres: "616ffb83d899bd979658cb65f90e10eb7383f8ddfb6997a760832fa9fe4bd5f8"),
        (42, sqlite: "67bfd8208d2887e77abef679805bf8134db116529c957c6279cc4acc0df0c745", postgres: "ae3e915f7223f7c3c87d82c4192af0a4ac032b49f00ea05456db13e988751f1c"),
        (43, sqlite: "ae140901a6a429b851e748f7d2887fed6d4e26738235e5db44402727e178d71e", postgres: "1823d828c537ad27b84a3a28176ae3ddd4387055994980b12e24b79e299dd935"),
        (44, sqlite: "2e6097f4ba34f7c181bd1a7e7b92fafda17204dc035c86a7a3b396e19e858da7", postgres: "0b507b05d4d51f61b65ea0d9ebfd2956e5ba355e0cd868226071f8c6cead9ca8"),
    ]

    static func digest(_ statements: [String]) -> String {
        SHA256.hash(data: Data(statements.map { $0 + ";\n" }.joined().utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func releasedMigrationsAreNeverEdited() {
        let pins = Dictionary(uniqueKeysWithValues: Self.pinned.map { ($0.version, $0) })
        for migration in Migrations.all {
            guard let pin = pins[migration.version] else {
                Issue.record("""
                    Migration \(migration.version) (\(migration.name)) has no pinned digest. Add this line to \
                    ReleasedMigrationTests.pinned: (\(migration.version), sqlite: "\(Self.digest(migration.sql(for: .sqlite)))", \
                    postgres: "\(Self.digest(migration.sql(for: .postgres)))"),
                    """)
                continue
            }
            for (engine, expected) in [(DatabaseEngine.sqlite, pin.sqlite), (.postgres, pin.postgres)] {
                #expect(Self.digest(migration.sql(for: engine)) == expected, """
                    迁移 \(migration.version)（\(migration.name)）在 \(engine.rawValue) 上的 SQL 被修改了：已发布的迁移不可修改，请新增迁移。 \
                    Migration \(migration.version) was edited on \(engine.rawValue): a released migration is never edited, \
                    because databases that already ran it would not get the change. Revert the edit and add a new migration instead.
                    """)
            }
        }
        let present = Set(Migrations.all.map(\.version))
        for pin in Self.pinned where !present.contains(pin.version) {
            Issue.record("Migration \(pin.version) was removed from Migrations.all: a released migration is never removed; add a new migration instead.")
        }
    }

    @Test func migrationVersionsAreUniqueAndAscending() {
        let versions = Migrations.all.map(\.version)
        #expect(Set(versions).count == versions.count, "Two migrations share a version: \(versions)")
        #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 }, "Migrations.all must list versions in ascending order: \(versions)")
        #expect(versions.allSatisfy { $0 > 0 }, "Migration versions start at 1: \(versions)")
    }
}
