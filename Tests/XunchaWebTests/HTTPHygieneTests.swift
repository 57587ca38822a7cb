import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

#if canImport(Glibc)
import Glibc
#endif

/// HTTP as clients, proxies and monitors expect it: 405 with `Allow`, HEAD wherever GET,
/// HSTS only over HTTPS that a trusted proxy vouches for, `/metrics` for the operator only, a
/// dropped client is no error, and a setting out of range stops the start.
@Suite("HTTP hygiene")
struct HTTPHygieneTests {
    /// A stranger is told to sign in before anything about the query is checked.
    @Test(arguments: TestEngine.available)
    func aRequestWithoutATokenIsUnauthenticatedWhateverItsQuery(engine: TestEngine) async throws {
        try await withApp(engine) { _, _, client in
            for path in ["/api/v1/coverage", "/api/v1/coverage?term=", "/api/v1/jurisdictions?q=" + String(repeating: "甲", count: 80), "/api/v1/statistics?as_of=x", "/api/v1/statistics/summary?from=x", "/api/v1/statistics/breakdown?by=x",
                "/api/v1/statistics/records?measure=x",
            ] {
                let answer = try await client.api(.get, path)
                #expect(answer.status == .unauthorized, "\(path): \(answer.status)")
                #expect(answer.errorCode == "unauthenticated")
            }
        }
    }

    /// Decided in one place (the authentication middleware), so no route can forget it: every API
    /// route but the public ones, asked without a token with a query and a body none would accept,
    /// answers 401 before it reads either.
    @Test func everyNonPublicAPIRouteRefusesAStrangerBeforeReadingTheRequest() async throws {
        try await withApp(.sqlite) { store, _, client in
            let router = try await buildRouter(config: AppConfig(), store: store)
            let query = "?limit=x&cursor=%FF&all=maybe&q=" + String(repeating: "甲", count: 200)
            var checked = 0
            for route in router.routes where route.path.description.hasPrefix("/api/") {
                let path = route.path.description
                if path == "/api/openapi.yaml" || (path == "/api/v1/session" && route.method == .post) { continue }
                let concrete = path.split(separator: "/").map { $0.hasPrefix("{") ? "not-an-id" : String($0) }.joined(separator: "/")
                let answer = try await client.api(route.method, "/" + concrete + query, json: "{not json")
                #expect(answer.status == .unauthorized, "\(route.method) \(path): \(answer.status)")
                checked += 1
            }
            #expect(checked > 100, "the API routes were found")
        }
    }

    @Test(arguments: TestEngine.available)
    func aKnownPathAskedWithAnotherMethodAnswers405WithAllow(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let token = try await f.signIn(store, .officeStaff).token
            let health = try await client.api(.post, "/healthz")
            #expect(health.status == .methodNotAllowed)
            #expect(health.headers[.allow] == "GET, HEAD")
            #expect(health.errorCode == "method_not_allowed")
            let finding = try await client.api(.delete, "/api/v1/findings/\(UUID().uuidString)", token: token)
            #expect(finding.status == .methodNotAllowed, "a parameterised path too")
            #expect(finding.errorCode == "method_not_allowed")
            #expect(finding.headers[.allow]?.contains("GET") == true)
            let login = try await client.page(.put, "/login", session: nil)
            #expect(login.status == .methodNotAllowed)
            #expect(login.headers[.allow] == "GET, HEAD, POST")
            #expect(login.text.contains("不支持PUT请求"), "a page answers in Chinese")
            #expect(try await client.api(.post, "/api/v1/no-such-thing", token: token).status == .notFound, "an unknown path stays 404")
        }
    }

    @Test(arguments: TestEngine.available)
    func headAnswersWhereverGetDoes(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let health = try await client.execute(uri: "/healthz", method: .head)
            #expect(health.status == .ok)
            #expect(health.body.readableBytes == 0)
            #expect(try await client.execute(uri: "/login", method: .head).status == .ok)
            let session = try await f.signIn(store, .officeStaff, kind: .web)
            #expect(try await client.page(.head, "/units", session: session).status == .ok)
        }
    }

    @Test func hstsIsSentOnlyOverHTTPSThatATrustedProxyVouchesFor() async throws {
        let claimed: HTTPFields = [ForwardedMiddleware.forwardedProto: "https"]
        try await withLiveApp { _ in } _: { client in
            let response = try await client.execute(uri: "/login", method: .get, headers: claimed)
            #expect(response.headers[.strictTransportSecurity] == nil, "a client's own claim is not believed")
            #expect(response.headers[.setCookie]?.contains("Secure") == false)
        }
        try await withLiveApp { $0.trustedProxies = ["127.0.0.1", "::1"] } _: { client in
            let response = try await client.execute(uri: "/login", method: .get, headers: claimed)
            #expect(response.headers[.strictTransportSecurity] == "max-age=31536000")
            #expect(response.headers[.setCookie]?.contains("Secure") == true)
            let plain = try await client.execute(uri: "/login", method: .get)
            #expect(plain.headers[.strictTransportSecurity] == nil, "plain HTTP through the proxy gets none")
        }
        try await withLiveApp { $0.secureCookies = true } _: { client in
            let response = try await client.execute(uri: "/login", method: .get)
            #expect(response.headers[.strictTransportSecurity] == "max-age=31536000")
        }
    }

    @Test func metricsAreForTheOperatorOnly() async throws {
        try await withLiveApp { _ in } _: { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok, "by default this machine reads them")
        }
        // Behind a trusted proxy on this machine, the person's own address decides.
        let outside: HTTPFields = [ForwardedMiddleware.forwardedFor: "10.1.2.3"]
        try await withLiveApp { $0.trustedProxies = ["127.0.0.1", "::1"] } _: { client in
            let refused = try await client.execute(uri: "/metrics", method: .get, headers: outside)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "metrics_loopback_only")
        }
        let token = "m3tr1cs-t0ken-0123456789abcdef"
        try await withLiveApp { $0.metricsAccess = .bearer(token) } _: { client in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong"]).status == .unauthorized)
            let read = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(read.status == .ok)
            #expect(String(buffer: read.body).contains("hb_requests"))
        }
    }

    @Test func aClientThatDropsMidBodyIsNotAnError() async throws {
        let log = CapturedLog()
        try await withLiveApp({ _ in }, log: log) { client in
            let port = try #require(client.port)
            try Self.sendAndHangUp(
                port: port,
                "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"username\": \"off")
            // The server notices the hang-up on its own time; wait until it has said so.
            for _ in 0..<50 where !log.contains(level: .info, "客户端") { try await Task.sleep(for: .milliseconds(100)) }
            #expect(log.contains(level: .info, "客户端"), "the hang-up is noted")
            #expect(log.lines(atLeast: .error).isEmpty, "\(log.lines(atLeast: .error))")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok, "and the server goes on")
        }
    }

    @Test func aSettingOutOfRangeStopsTheStartWithAMessage() throws {
        let cases: [(String, String)] = [
            ("XUNCHA_MAX_FAILED_SIGN_INS", "100"), ("XUNCHA_LOCK_MINUTES", "0"), ("XUNCHA_PASSWORD_MIN_LENGTH", "abc"), ("XUNCHA_PORT", "70000"),
            ("XUNCHA_SESSION_IDLE_MINUTES", "1"), ("XUNCHA_SECURE_COOKIES", "maybe"), ("XUNCHA_LOG_LEVEL", "loud"), ("XUNCHA_BCRYPT_COST", "99"),
            ("XUNCHA_TRUSTED_PROXIES", "10.0.0.1, proxy.local"), ("XUNCHA_METRICS_ACCESS", "everyone"), ("XUNCHA_METRICS_TOKEN", "short"),
            ("XUNCHA_METRICS_ACCESS", "token"),
        ]
        for (variable, value) in cases {
            let error = #expect(throws: ConfigurationError.self, "\(variable)=\(value)") { _ = try AppConfig.fromEnvironment([variable: value]) }
            #expect(error?.variable == variable || (variable == "XUNCHA_METRICS_ACCESS" && error?.variable == "XUNCHA_METRICS_TOKEN"))
            #expect(error?.description.contains("服务未启动") == true)
        }
        let config = try AppConfig.fromEnvironment([
            "XUNCHA_MAX_FAILED_SIGN_INS": "8", "XUNCHA_PORT": "9090", "XUNCHA_SECURE_COOKIES": "yes", "XUNCHA_TRUSTED_PROXIES": "10.0.0.1,::1",
            "XUNCHA_METRICS_TOKEN": String(repeating: "k", count: 32), "XUNCHA_HOST": "",
        ])
        #expect(config.security.maxFailedSignIns == 8)
        #expect(config.port == 9090)
        #expect(config.secureCookies)
        #expect(config.trustedProxies == ["10.0.0.1", "::1"])
        #expect(config.metricsAccess == .bearer(String(repeating: "k", count: 32)), "a token alone asks for the token")
        #expect(config.host == "127.0.0.1", "an empty value counts as unset")
        #expect(try AppConfig.fromEnvironment([:]).metricsAccess == .loopback, "metrics stay on this machine by default")
    }

    /// Connects, writes `text` and closes at once, as a client that gives up mid-request.
    static func sendAndHangUp(port: Int, _ text: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let bytes = Array(text.utf8)
        #expect(send(fd, bytes, bytes.count, 0) == bytes.count)
    }
}

/// The application on a real socket on 127.0.0.1 (a free port), so the peer address is real.
func withLiveApp(
    _ configure: (inout AppConfig) -> Void, log: CapturedLog? = nil, _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void
) async throws {
    try await withTestStore(.sqlite) { store in
        var config = AppConfig()
        configure(&config)
        let router = try await buildRouter(config: config, store: store)
        var logger = Logger(label: "xuncha-test") { _ -> any LogHandler in
            if let log { return CapturingLogHandler(log: log) }
            return SwiftLogNoOpLogHandler()
        }
        logger.logLevel = .info
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in try await body(client) }
    }
}

/// Log lines kept for a test to read.
final class CapturedLog: Sendable {
    private let entries = Mutex<[(level: Logger.Level, message: String)]>([])

    func append(_ level: Logger.Level, _ message: String) { entries.withLock { $0.append((level, message)) } }

    func lines(atLeast level: Logger.Level) -> [String] { entries.withLock { $0.filter { $0.level >= level }.map(\.message) } }

    func contains(level: Logger.Level, _ text: String) -> Bool { entries.withLock { $0.contains { $0.level == level && $0.message.contains(text) } } }
}

struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        log.append(level, message.description)
    }
}
