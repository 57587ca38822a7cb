import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization
import XunchaCore
import XunchaStore

/// The composition root: everything the server is made of is built here, once. `xuncha serve`
/// and the tests both call it.
public func buildApplication(config: AppConfig, store: Store, logger: Logger) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(config: config, store: store)
    var services: [any Service] = []
    if let folder = config.backupDirectory {
        services.append(BackupService(store: store, directory: URL(fileURLWithPath: folder), schedule: config.backupSchedule, logger: logger))
    }
    if let path = config.auditKeyPath {
        services.append(try await AuditCheckpointService.make(store: store, keyPath: path, interval: config.auditCheckpointInterval, logger: logger))
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "xuncha"),
        services: services,
        logger: logger)
}

/// The router with every middleware and route; tests drive it without a socket.
public func buildRouter(config: AppConfig, store: Store) async throws -> Router<AppRequestContext> {
    let pages = try await PageRenderer(policy: store.policy)
    let registry = MetricsSetup.registry()
    // HEAD answers wherever GET does, as HTTP asks (monitors and link checkers use it).
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    let routeMethods = RouteMethods()
    router.add(middleware: ForwardedMiddleware(trustedProxies: config.trustedProxies, alwaysHTTPS: config.secureCookies))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(pages: pages))
    router.add(middleware: MethodNotAllowedMiddleware(routes: routeMethods))
    router.add(middleware: FileMiddleware(Resources.url("static").path, urlBasePath: "/static", cacheControl: .init([(MediaType(type: .any), [.maxAge(3600)])])))
    router.add(middleware: AuthenticationMiddleware(store: store))
    router.add(middleware: PageRecallMiddleware(recall: PageRecall()))

    let web = WebSettings(
        secureCookies: config.secureCookies, maxBodyBytes: config.maxBodyBytes, maxImportBytes: config.maxImportBytes, maxLedgerImportBytes: config.maxLedgerImportBytes)
    SystemController(store: store, registry: registry, metricsAccess: config.metricsAccess).register(on: router)
    AuthController(store: store, pages: pages, settings: web).register(on: router)
    HomeController(store: store, pages: pages).register(on: router)
    WorkController(store: store, pages: pages, settings: web).register(on: router)
    JurisdictionsController(store: store, pages: pages, settings: web).register(on: router)
    UnitsController(store: store, pages: pages, settings: web).register(on: router)
    UsersController(store: store, pages: pages, settings: web).register(on: router)
    AuditController(store: store, pages: pages).register(on: router)
    PlanningController(store: store, settings: web).register(on: router)
    AssignmentsController(store: store, settings: web).register(on: router)
    AssignmentPages(store: store, pages: pages).register(on: router)
    PlanningPages(store: store, pages: pages, settings: web).register(on: router)
    FieldworkController(store: store, settings: web).register(on: router)
    ReportsController(store: store, settings: web).register(on: router)
    RectificationController(store: store, settings: web).register(on: router)
    FieldworkPages(store: store, pages: pages).register(on: router)
    LeadPages(store: store, pages: pages).register(on: router)
    ImmediatePages(store: store, pages: pages).register(on: router)
    RectificationPages(store: store, pages: pages).register(on: router)
    LedgerPages(store: store, pages: pages).register(on: router)
    RectificationReportsController(store: store, settings: web).register(on: router)
    ReportPages(store: store, pages: pages).register(on: router)
    FeedbackPages(store: store, pages: pages).register(on: router)
    RectificationReportPages(store: store, pages: pages).register(on: router)
    PublicDisclosurePages(store: store, pages: pages).register(on: router)
    EvaluationController(store: store, settings: web).register(on: router)
    EvaluationPages(store: store, pages: pages).register(on: router)
    StatisticsController(store: store).register(on: router)
    StatisticsPages(store: store, pages: pages).register(on: router)
    SystemicController(store: store, settings: web).register(on: router)
    SystemicPages(store: store, pages: pages).register(on: router)
    ImportsController(store: store, settings: web).register(on: router)
    ImportPages(store: store, pages: pages, settings: web).register(on: router)
    DocumentsController(store: store).register(on: router)
    DocumentTemplatesController(store: store, settings: web).register(on: router)
    DocumentTemplatePages(store: store, pages: pages).register(on: router)
    ArchivesController(store: store, settings: web, pages: pages).register(on: router)
    SiteSearch(store: store, pages: pages).register(on: router)
    routeMethods.load(router.routes.map { (path: $0.path.description, method: $0.method) })
    return router
}

/// Settings the controllers read.
struct WebSettings: Sendable {
    var secureCookies: Bool
    var maxBodyBytes: Int
    var maxImportBytes: Int
    var maxLedgerImportBytes: Int
}

/// swift-metrics can be bootstrapped once per process; tests build many applications.
enum MetricsSetup {
    private static let shared = Mutex<PrometheusCollectorRegistry?>(nil)

    static func registry() -> PrometheusCollectorRegistry {
        shared.withLock { registry in
            if let registry { return registry }
            let created = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: created))
            registry = created
            return created
        }
    }
}
