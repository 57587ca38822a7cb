import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import XunchaCore
import XunchaSeed
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// A router-level application over a fresh store with the fixture, settled (initial passwords
/// changed) unless a test wants to see the forced change.
func withApp(
    _ engine: TestEngine, settle: Bool = true, clock: TestClock = TestClock(),
    _ body: @Sendable @escaping (Store, Fixture, any TestClientProtocol) async throws -> Void
) async throws {
    try await withTestStore(engine, clock: clock) { store in
        let fixture = try await Fixture.make(store)
        if settle { try await fixture.settle(store) }
        var config = AppConfig()
        config.maxBodyBytes = 64 * 1024
        let router = try await buildRouter(config: config, store: store)
        let app = Application(router: router)
        try await app.test(.router) { client in try await body(store, fixture, client) }
    }
}

/// The demo city behind the router; `body` gets the store and a client.
func withDemoCity(_ engine: TestEngine, _ body: @Sendable @escaping (Store, any TestClientProtocol) async throws -> Void) async throws {
    try await withTestStore(engine) { store in
        _ = try await store.seedDemo()
        var config = AppConfig()
        config.maxBodyBytes = 64 * 1024
        let app = Application(router: try await buildRouter(config: config, store: store))
        try await app.test(.router) { client in try await body(store, client) }
    }
}

/// An API token of a demo account.
func demoToken(_ store: Store, _ name: String, _ password: String = Store.demoPassword) async throws -> String {
    try await store.signIn(username: name, password: password, kind: .api, clientAddress: "127.0.0.1").token
}

extension TestClientProtocol {
    /// A JSON API call with a bearer token.
    func api(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil, contentType: String = "application/json") async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// A page request or form post carrying a web session cookie.
    func page(_ method: HTTPRequest.Method, _ uri: String, session: SignIn?, form: [(String, String)]? = nil, extraCookie: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        var cookies: [String] = []
        if let session { cookies.append("\(AuthenticationMiddleware.cookieName)=\(session.token)") }
        if let extraCookie { cookies.append(extraCookie) }
        if !cookies.isEmpty { headers[.cookie] = cookies.joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&"))
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }

    private func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The `{"error":{...}}` body of a failure.
    var errorCode: String? {
        struct Body: Decodable {
            struct Detail: Decodable {
                let code: String
                let message: String
            }
            let error: Detail
        }
        return try? JSONDecoder().decode(Body.self, from: Data(body.readableBytesView)).error.code
    }

    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
    }
}

func unitCount(_ store: Store) async throws -> Int {
    try await store.database.read { db in
        Int(try await db.raw("SELECT COUNT(*) AS n FROM units").first()!.decode(column: "n", as: Int64.self))
    }
}
