import Foundation
import Logging
import NIOCore
import PostgresKit
import SQLKit
import Testing
import XunchaCore
@testable import XunchaStore
import XunchaTesting

/// PostgreSQL 高可用 (issue 17, point 3): the multi-host URL as libpq reads it, the rules the host
/// selector applies, and — on a PostgreSQL server when one is configured — that it passes over a
/// host where nothing listens and refuses a read-only one. The failover itself (a Patroni cluster,
/// a killed primary) is `scripts/ha-drill`'s.
@Suite("PostgreSQL 多主机地址与主库选择 multi-host URL and primary selection")
struct PostgresFailoverTests {
    @Test func severalHostsBecomeOneURLEachInTheOrderGiven() throws {
        let address = try PostgresAddress(
            "postgres://xuncha:p%40ss@10.0.0.1:5441,db2.example:5442,[fd00::3]/xuncha?target_session_attrs=read-write&tlsmode=disable")
        #expect(address.target == .readWrite)
        #expect(address.needsSelection)
        #expect(address.members.map(\.endpoint) == ["10.0.0.1:5441", "db2.example:5442", "[fd00::3]:5432"])
        #expect(
            address.members.map(\.url) == [
                "postgres://xuncha:p%40ss@10.0.0.1:5441/xuncha?tlsmode=disable",
                "postgres://xuncha:p%40ss@db2.example:5442/xuncha?tlsmode=disable",
                "postgres://xuncha:p%40ss@[fd00::3]:5432/xuncha?tlsmode=disable",
            ])
        // Each is a URL PostgresNIO reads as it always did.
        for member in address.members {
            _ = try SQLPostgresConfiguration(url: member.url)
        }
    }

    @Test func oneHostWithoutRequirementsKeepsThePlainPath() throws {
        let plain = try PostgresAddress("postgres://xuncha:xuncha@127.0.0.1:55432/xuncha?tlsmode=disable")
        #expect(!plain.needsSelection)
        #expect(plain.target == .any)
        #expect(plain.members.map(\.url) == ["postgres://xuncha:xuncha@127.0.0.1:55432/xuncha?tlsmode=disable"])
        // One host that must be writable still goes through the selector.
        let primary = try PostgresAddress("postgresql://u@h/x?target_session_attrs=primary")
        #expect(primary.needsSelection)
        #expect(primary.members.map(\.url) == ["postgresql://u@h:5432/x"])
    }

    @Test(arguments: [
        ("postgres://u:secret@h1,,h2/x", "缺少第2个主机的主机名"),
        ("postgres://u:secret@h1:5432,h2:99999/x", "第2个主机的端口“99999”无效"),
        ("postgres://u:secret@h1:abc/x", "端口“abc”无效"),
        ("postgres://u:secret@[fd00::1/x", "缺少“]”"),
        ("postgres://u:secret@h1,h2/x?target_session_attrs=read-only", "target_session_attrs=read-only 不受支持"),
        ("postgres://u:secret@h1/x?target_session_attrs=prefer-standby", "只能用 any、read-write、primary"),
        ("postgres://u:secret@/x", "缺少主机的主机名"),
    ])
    func aBadURLIsRefusedWithAPlainReasonAndNoPassword(url: String, says: String) throws {
        let error = #expect(throws: DatabaseSetupError.self) { try PostgresAddress(url) }
        #expect(error?.message.contains(says) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("secret") == false)
    }

    @Test func aMultiHostURLIsShownWithoutItsPasswordAndGivenWholeToLibpq() {
        let url = "postgres://xuncha:secret@h1:5441,h2:5442/xuncha?target_session_attrs=read-write&tlsmode=disable"
        #expect(DatabaseLocation(url) == .postgres(url))
        #expect(DatabaseLocation(url).redacted == "postgres://xuncha:***@h1:5441,h2:5442/xuncha?target_session_attrs=read-write&tlsmode=disable")
        // pg_dump and pg_restore read several hosts and target_session_attrs themselves; only tlsmode is PostgresNIO's word.
        #expect(PostgresTools.libpqURL(url) == "postgres://xuncha:secret@h1:5441,h2:5442/xuncha?target_session_attrs=read-write&sslmode=disable")
        #expect(PostgresTools.libpqURL("postgres://u@h/x") == "postgres://u@h/x")
    }

    @Test func aHostQualifiesAsLibpqDecides() {
        typealias Backend = PostgresFailoverBackend
        #expect(Backend.refusal(target: .any, inRecovery: true, readOnly: true) == nil)
        #expect(Backend.refusal(target: .primary, inRecovery: false, readOnly: true) == nil)
        #expect(Backend.refusal(target: .primary, inRecovery: true, readOnly: false) != nil)
        #expect(Backend.refusal(target: .readWrite, inRecovery: false, readOnly: false) == nil)
        #expect(Backend.refusal(target: .readWrite, inRecovery: false, readOnly: true) != nil)
        #expect(Backend.refusal(target: .readWrite, inRecovery: true, readOnly: false) != nil)
    }

    @Test func brokenConnectionsCountAsFailoverAndOrdinaryErrorsDoNot() {
        #expect(PostgresFailoverBackend.isFailover(ChannelError.ioOnClosedChannel))
        #expect(PostgresFailoverBackend.isFailover(PostgresFailoverBackend.TransactionFailure.lease(CancellationError())))
        #expect(PostgresFailoverBackend.isFailover(PostgresFailoverBackend.LeaseTimeout()))
        #expect(!PostgresFailoverBackend.isFailover(DomainError.notFound))
        #expect(!PostgresFailoverBackend.isFailover(CancellationError()))
    }

    @Test func theTwoAnswersOfASwitchAre503WithTheirOwnCodes() {
        #expect(DomainError.databaseUnavailable.kind == .unavailable)
        #expect(DomainError.databaseCommitUnknown.kind == .unavailable)
        #expect(DomainError.databaseUnavailable.code != DomainError.databaseCommitUnknown.code)
    }

    // MARK: On a server

    static let server = ProcessInfo.processInfo.environment["XUNCHA_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    @Test(.enabled(if: server != nil))
    func theSelectorPassesOverAHostWhereNothingListensAndRefusesAReadOnlyOne() async throws {
        let base = try #require(Self.server)
        var logger = Logger(label: "xuncha.test")
        logger.logLevel = .critical
        let admin = try await Database.open(.postgres(base), logger: logger)
        let name = "xuncha_ha_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await admin.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: String(name))").run() }
        var failure: (any Error)?
        do { try await Self.selection(base: base, database: String(name), admin: admin, logger: logger) } catch { failure = error }
        try? await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run() }
        await admin.close()
        if let failure { throw failure }
    }

    private static func selection(base: String, database name: String, admin: Database, logger: Logger) async throws {
        let real = try #require(PostgresAddress(base).members.first)
        let dead = try freeLoopbackPort()
        func url(_ hosts: String, _ query: String) -> String {
            real.url.replacingOccurrences(of: "@\(real.endpoint)/", with: "@\(hosts)/")
                .replacingOccurrences(of: "/xuncha?", with: "/\(name)?").replacingOccurrences(of: "?", with: "?\(query)&")
        }

        // A dead first host, then the real one: the store opens, writes and reads on the real one.
        let both = try await Database.open(.postgres(url("127.0.0.1:\(dead),\(real.endpoint)", "target_session_attrs=read-write")), logger: logger)
        try await both.transaction { db in try await db.raw("CREATE TABLE t (n int)").run() }
        try await both.transaction { db in try await db.raw("INSERT INTO t VALUES (1)").run() }
        let count = try await both.read { db in try await db.raw("SELECT count(*) AS n FROM t").first()?.decode(column: "n", as: Int.self) }
        #expect(count == 1)
        await both.close()

        // The same server with read-only sessions: not a host to write to, so read-write finds none…
        try await admin.read { db in try await db.raw("ALTER DATABASE \(unsafeRaw: name) SET default_transaction_read_only = on").run() }
        let refused = await #expect(throws: DatabaseSetupError.self) {
            try await Database.open(.postgres(url("127.0.0.1:\(dead),\(real.endpoint)", "target_session_attrs=read-write")), logger: logger)
        }
        #expect(refused?.message.contains("数据库正在切换") == true, "\(refused?.message ?? "")")
        // …while primary (not in recovery) takes it.
        let primary = try await Database.open(.postgres(url(real.endpoint, "target_session_attrs=primary")), logger: logger)
        #expect(try await primary.read { db in try await db.raw("SELECT 1 AS one").first()?.decode(column: "one", as: Int.self) } == 1)
        await primary.close()
    }

}
