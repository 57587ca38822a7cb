import Foundation
import Hummingbird
import Prometheus
import XunchaStore

/// `/healthz`, `/metrics` and the OpenAPI document: public, and free of records.
struct SystemController {
    let store: Store
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            struct Health: Encodable {
                let status: String
                let database: String
            }
            _ = try await store.database.read { db in try await db.raw("SELECT 1 AS one").first() }
            return try JSONBody.response(Health(status: "ok", database: store.database.engine.rawValue))
        }
        router.get("/metrics") { _, _ -> Response in
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/api/openapi.yaml") { _, _ -> Response in
            let data = try Data(contentsOf: Resources.url("openapi.yaml"))
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
