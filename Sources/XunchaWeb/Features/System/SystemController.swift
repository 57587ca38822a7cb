import Foundation
import Hummingbird
import Prometheus
import XunchaCore
import XunchaStore

/// `/healthz`, `/metrics` and the OpenAPI document: free of records. `/metrics` is for the
/// operator's monitoring only (`XUNCHA_METRICS_ACCESS`): by default this machine alone.
struct SystemController {
    let store: Store
    let registry: PrometheusCollectorRegistry
    let metricsAccess: MetricsAccess

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            struct Health: Encodable {
                let status: String
                let database: String
            }
            _ = try await store.database.read { db in try await db.raw("SELECT 1 AS one").first() }
            return try JSONBody.response(Health(status: "ok", database: store.database.engine.rawValue))
        }
        router.get("/readyz") { _, _ -> Response in
            try await Self.readiness(store)
        }
        // Browsers ask for /favicon.ico whatever the page links; the icon is the SVG the pages name.
        router.get("/favicon.ico") { _, _ -> Response in
            Response(status: .movedPermanently, headers: [.location: "/static/favicon.svg", .cacheControl: "public, max-age=86400"])
        }
        router.get("/metrics") { request, context -> Response in
            try Self.requireMetricsReader(metricsAccess, request: request, context: context)
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/api/openapi.yaml") { _, _ -> Response in
            let data = try Data(contentsOf: Resources.url("openapi.yaml"))
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    struct Readiness: Encodable {
        let status: String
        let database: String
        /// The schema the database is at, and the one this binary expects.
        let migration: Int
        let expected: Int
        let message: String?
    }

    /// 就绪检查, for a load balancer or an orchestrator: 200 while the database answers and its
    /// schema is the one this binary expects; 503 otherwise (the database unreachable, or another
    /// server still migrating), so no request is sent here that could only fail.
    static func readiness(_ store: Store) async throws -> Response {
        let expected = Migrations.all.last?.version ?? 0
        let engine = store.database.engine.rawValue
        do {
            let migration = try await store.database.read { db in
                try await db.raw("SELECT MAX(version) AS v FROM schema_migrations").first()?.decode(column: "v", as: Int?.self) ?? 0
            }
            guard migration == expected else {
                return try JSONBody.response(
                    Readiness(status: "not_ready", database: engine, migration: migration, expected: expected, message: "数据库结构版本与程序不符（迁移未完成）"),
                    status: .serviceUnavailable)
            }
            return try JSONBody.response(Readiness(status: "ready", database: engine, migration: migration, expected: expected, message: nil))
        } catch {
            return try JSONBody.response(
                Readiness(status: "not_ready", database: engine, migration: 0, expected: expected, message: "数据库不可用"), status: .serviceUnavailable)
        }
    }

    /// Refuses a metrics reader the setting does not admit. The token is compared in constant
    /// time (as the CSRF token is) so its bytes cannot be guessed one by one.
    static func requireMetricsReader(_ access: MetricsAccess, request: Request, context: AppRequestContext) throws {
        switch access {
        case .public:
            return
        case .loopback:
            guard let address = context.clientAddress, IPAddressText.isLoopback(address) else {
                throw DomainError(.forbidden, code: "metrics_loopback_only", message: "运行指标仅允许本机读取", english: "metrics are served to this machine only")
            }
        case .bearer(let token):
            guard FormInput.constantTimeEquals(request.bearerToken ?? "", token) else {
                throw DomainError(.unauthenticated, code: "metrics_token_required", message: "读取运行指标需要有效的令牌", english: "a valid metrics token is required")
            }
        }
    }
}
