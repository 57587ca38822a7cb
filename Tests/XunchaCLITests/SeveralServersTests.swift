import Foundation
import Logging
import SQLKit
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// 多台服务器共用一个数据库: two real `xuncha serve` processes (the built binary) on one
/// PostgreSQL database, as behind a load balancer. PostgreSQL only (`XUNCHA_TEST_POSTGRES_URL`);
/// with `XUNCHA_REQUIRE_POSTGRES=1` and no server they fail instead of being skipped. Part of the
/// serialised `CLITests`: Foundation's `Process.run()` must not start processes in parallel.
extension CLITests {
    @Test(.enabled(if: TestEngine.available.contains(.postgres))) func twoServersStartingAtOnceOnAnEmptyDatabaseBothComeUpAndMigrateOnce() async throws {
        try await ServerPair.run { pair in
            let logs = pair.servers.map(\.log)
            // Every migration applied by exactly one of them, none twice.
            let applied = logs.flatMap { $0.components(separatedBy: "\n").filter { $0.contains("applied migration ") } }
            let versions = applied.compactMap { line in
                line.components(separatedBy: "applied migration ").last?.split(separator: ":").first.flatMap { Int($0) }
            }
            #expect(versions.sorted() == Migrations.all.map(\.version).sorted(), "\(applied)")
            // The three administrators created once, their passwords printed by the one that created them.
            let initial = logs.map { $0.components(separatedBy: "\n").filter { $0.hasPrefix("[初始账号]") }.count }
            #expect(initial.sorted() == [0, 3], "\(logs)")
            let store = try await pair.openStore()
            let administrators = try await store.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self)
            }
            let roots = try await store.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM jurisdictions WHERE parent_id IS NULL").first()?.decode(column: "n", as: Int.self)
            }
            await store.close()
            #expect(administrators == 3)
            #expect(roots == 1)
        }
    }

    @Test(.enabled(if: TestEngine.available.contains(.postgres))) func papersApprovedAtOnceThroughBothServersAreNumberedWithoutDuplicateOrGap() async throws {
        try await ServerPair.run { pair in
            let store = try await pair.openStore()
            let site = try await Scenario.onSite(store)
            try await site.f.settle(store)
            let group = site.atFinance
            var submitted: [Finding] = []
            for index in 1...Self.concurrentPapers {
                let paper = try await store.draftFinding(
                    in: group.assignmentID, content: try Scenario.content("问题底稿\(index)"), tags: Scenario.integrity, origin: group.member)
                submitted.append(try await store.take(FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: group.member))
            }
            let leader = site.f.users[.groupLeader]!.username
            let password = site.f.passwords[.groupLeader]!
            var tokens: [String] = []
            for server in pair.servers { tokens.append(try await server.signIn(leader, password)) }
            let sessions = tokens

            // Every paper approved (and so numbered) by the group leader, alternately through each server, all at once.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { tasks in
                for (index, paper) in submitted.enumerated() {
                    let server = pair.servers[index % 2]
                    let token = sessions[index % 2]
                    tasks.addTask {
                        try await server.post(
                            "/api/v1/findings/\(paper.id.text)/steps", token: token,
                            json: #"{"step": "approve", "note": "组务会同意", "version": \#(paper.version)}"#
                        ).status
                    }
                }
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: Self.concurrentPapers), "\(statuses)")

            let numbers = try await store.database.read { db in
                try await db.raw("SELECT number FROM findings WHERE assignment_id = \(bind: group.assignmentID.text) AND number IS NOT NULL").all()
                    .map { try $0.decode(column: "number", as: String.self) }
            }
            await store.close()
            let sequences = numbers.compactMap { number in
                number.components(separatedBy: "底稿第").last?.components(separatedBy: "号").first.flatMap { Int($0) }
            }
            #expect(numbers.count == Self.concurrentPapers)
            #expect(Set(numbers).count == Self.concurrentPapers, "a number given twice: \(numbers.sorted())")
            #expect(sequences.sorted() == Array(1...Self.concurrentPapers), "numbers with a gap or a duplicate: \(numbers.sorted())")
        }
    }

    static let concurrentPapers = 40
}

/// Two `xuncha serve` processes started at the same moment on a new, empty PostgreSQL database.
struct ServerPair {
    let url: String
    let servers: [RunningServer]

    /// Creates the database, starts both servers, waits until both are ready, runs `body`, then
    /// stops them (SIGTERM) and drops the database.
    static func run(_ body: (ServerPair) async throws -> Void) async throws {
        guard let base = ProcessInfo.processInfo.environment["XUNCHA_TEST_POSTGRES_URL"], !base.isEmpty else {
            throw ServerTestError("XUNCHA_REQUIRE_POSTGRES=1 but XUNCHA_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot run")
        }
        var logger = Logger(label: "xuncha.test")
        logger.logLevel = .warning
        let name = "xuncha_s_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let admin = try await Database.open(.postgres(base), logger: logger)
        try await admin.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: String(name))").run() }
        guard var components = URLComponents(string: base) else { throw ServerTestError("bad XUNCHA_TEST_POSTGRES_URL") }
        components.path = "/" + name
        let url = components.string!
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-servers-\(UUID().uuidString)")
        var result: Result<Void, any Error> = .success(())
        var servers: [RunningServer] = []
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<2 {
                servers.append(
                    try RunningServer.start(
                        database: url, port: try freeLoopbackPort(), folder: folder.appendingPathComponent("server\(index)")))
            }
            for server in servers { try await server.waitUntilReady() }
            try await body(ServerPair(url: url, servers: servers))
        } catch {
            result = .failure(error)
        }
        for server in servers { server.stop() }
        try? FileManager.default.removeItem(at: folder)
        try? await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run() }
        await admin.close()
        try result.get()
    }

    /// A store of the test's own on the same database, as a third process would open it.
    func openStore() async throws -> Store {
        var logger = Logger(label: "xuncha.test")
        logger.logLevel = .warning
        return try await Store.open(.postgres(url), hasher: PasswordHasher(cost: 4), logger: logger)
    }
}

/// One `xuncha serve` process, its output in a file.
final class RunningServer: Sendable {
    let process: Process
    let port: Int
    let output: URL

    init(process: Process, port: Int, output: URL) {
        self.process = process
        self.port = port
        self.output = output
    }

    /// What it printed so far (standard output and standard error).
    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    static func start(database: String, port: Int, folder: URL, environment extra: [String: String] = [:]) throws -> RunningServer {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("XUNCHA_") }
        environment["XUNCHA_DATABASE"] = database
        environment["XUNCHA_HOST"] = "127.0.0.1"
        environment["XUNCHA_PORT"] = String(port)
        environment["XUNCHA_BCRYPT_COST"] = "4"
        environment["XUNCHA_EVIDENCE_DIR"] = folder.appendingPathComponent("evidence").path
        environment["XUNCHA_LOG_LEVEL"] = "info"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return RunningServer(process: process, port: port, output: output)
    }


    /// Polls `/readyz` until it answers 200; fails if the process ends or a minute passes.
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw ServerTestError("the server on port \(port) stopped: \(log)") }
            if let answer = try? await get("/readyz"), answer.status == 200 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ServerTestError("the server on port \(port) was not ready within \(timeout): \(log)")
    }

    struct Answer: Sendable {
        let status: Int
        let body: Data
    }

    func get(_ path: String, token: String? = nil) async throws -> Answer {
        try await send(URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!), token: token)
    }

    func post(_ path: String, token: String? = nil, json: String) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        return try await send(request, token: token)
    }

    private func send(_ request: URLRequest, token: String?) async throws -> Answer {
        var request = request
        request.timeoutInterval = 30
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }

    /// Signs in over the API and returns the bearer token.
    func signIn(_ username: String, _ password: String) async throws -> String {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["username": username, "password": password]), as: UTF8.self)
        let answer = try await post("/api/v1/session", json: body)
        guard answer.status == 200 || answer.status == 201,
            let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any], let token = object["token"] as? String
        else { throw ServerTestError("sign-in as \(username) on port \(port) answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self))") }
        return token
    }

    /// SIGTERM, as systemd stops a service, and waits for the process to end.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// A server that could not be started or reached, said plainly.
struct ServerTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
