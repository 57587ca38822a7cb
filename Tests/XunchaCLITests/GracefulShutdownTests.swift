import Foundation
import Testing
import XunchaTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// 平稳停止 and JSON logs, on the real binary and a SQLite file: SIGTERM (how systemd stops the
/// service) stops it taking connections, lets the request in flight finish, closes the database
/// with its write-ahead log folded in, and exits 0. Its logs, with `XUNCHA_LOG_FORMAT=json`, are
/// one JSON object per line. Part of the serialised `CLITests` (one process started at a time).
extension CLITests {
    @Test func sigtermFinishesTheRequestInFlightClosesTheDatabaseAndExitsZero() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xuncha-stop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("data/xuncha.sqlite").path
        let json = ["XUNCHA_LOG_FORMAT": "json"]

        // A first start creates the administrators (cheaply) and stops.
        let first = try RunningServer.start(database: database, port: try freeLoopbackPort(), folder: folder.appendingPathComponent("first"), environment: json)
        try await first.waitUntilReady()
        first.stop()
        #expect(first.process.terminationStatus == 0, "\(first.log)")

        // The second checks passwords at a high bcrypt cost: a sign-in under a name nobody has
        // (checked against a decoy hash made at that cost, then counted and audited) takes seconds.
        let server = try RunningServer.start(
            database: database, port: try freeLoopbackPort(), folder: folder.appendingPathComponent("second"),
            environment: json.merging(["XUNCHA_BCRYPT_COST": "14"]) { _, new in new })
        try await server.waitUntilReady()
        let started = ContinuousClock.now
        let inFlight = Task { try await server.post("/api/v1/session", json: #"{"username": "nobody.here", "password": "Wrong-password-1"}"#) }
        try await Task.sleep(for: .milliseconds(400))
        kill(server.process.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(300))
        let stillRunning = server.process.isRunning
        // No new connection is taken meanwhile.
        let refused = await (try? server.get("/healthz")) == nil

        let answer = try await inFlight.value
        let elapsed = ContinuousClock.now - started
        server.process.waitUntilExit()
        #expect(stillRunning, "the server ended before the request in flight was answered: \(server.log)")
        #expect(refused, "a new request was taken after SIGTERM")
        #expect(answer.status == 401, "\(String(decoding: answer.body, as: UTF8.self))")
        #expect(String(decoding: answer.body, as: UTF8.self).contains("\"error\""))
        #expect(elapsed > .milliseconds(700), "the sign-in was not slow enough to be in flight at SIGTERM: \(elapsed)")
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0, "\(server.log)")

        // The database closed cleanly: the write-ahead log folded into the file and removed.
        let wal = database + "-wal"
        let walSize = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        #expect(walSize == 0, "the -wal file still holds \(walSize) bytes")

        // Every log line is one JSON object with time, level, message and metadata; the console's
        // own lines (the address, the first passwords) are the plain text people read.
        for run in [first, server] {
            let lines = run.log.split(separator: "\n").filter { $0.hasPrefix("{") }
            #expect(!lines.isEmpty, "\(run.log)")
            for line in lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["time"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
                #expect(object?["metadata"] is [String: Any], "\(line)")
            }
            let other = run.log.split(separator: "\n").filter { !$0.hasPrefix("{") }
            #expect(other.allSatisfy { $0.hasPrefix("Xuncha 已启动") || $0.hasPrefix("[初始账号]") || $0.hasPrefix("首次启动") }, "\(other)")
        }
    }
}
