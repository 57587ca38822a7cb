import Foundation
import Logging
import XunchaCore
import XunchaStore

/// Everything the server is started with. Read from command-line options, then environment
/// variables (`XUNCHA_*`), then these defaults.
public struct AppConfig: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var database = DatabaseLocation.sqliteFile("./data/xuncha.sqlite")
    /// The name given to the root jurisdiction created at first start.
    public var rootJurisdictionName = "市委"
    /// Mark cookies `Secure` even without `X-Forwarded-Proto: https` (set when TLS ends elsewhere).
    public var secureCookies = false
    public var bcryptCost: UInt8 = 12
    public var security = SecuritySettings()
    public var logLevel = Logger.Level.info
    /// The largest JSON or form body accepted.
    public var maxBodyBytes = 1 << 20
    /// The largest CSV import accepted.
    public var maxImportBytes = 8 << 20
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed, so the audit log names
    /// the person's machine rather than the proxy. Empty: the socket peer is recorded.
    public var trustedProxies: Set<String> = []
    /// Where evidence files are kept; nil puts them beside the SQLite file (or in ./data/evidence).
    public var evidenceDirectory: String?

    public init() {}

    /// Applies `XUNCHA_*` environment variables over the defaults.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> AppConfig {
        var config = AppConfig()
        if let host = environment["XUNCHA_HOST"] { config.host = host }
        if let port = environment["XUNCHA_PORT"].flatMap(Int.init) { config.port = port }
        if let database = environment["XUNCHA_DATABASE"] ?? environment["DATABASE_URL"] { config.database = DatabaseLocation(database) }
        if let name = environment["XUNCHA_ROOT_NAME"] { config.rootJurisdictionName = name }
        if let folder = environment["XUNCHA_EVIDENCE_DIR"], !folder.isEmpty { config.evidenceDirectory = folder }
        if let secure = environment["XUNCHA_SECURE_COOKIES"] { config.secureCookies = ["1", "true", "yes"].contains(secure.lowercased()) }
        if let cost = environment["XUNCHA_BCRYPT_COST"].flatMap(UInt8.init), (4...31).contains(cost) { config.bcryptCost = cost }
        if let proxies = environment["XUNCHA_TRUSTED_PROXIES"] {
            config.trustedProxies = Set(proxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if let level = environment["XUNCHA_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) { config.logLevel = level }
        if let minutes = environment["XUNCHA_SESSION_IDLE_MINUTES"].flatMap(Double.init), (5...480).contains(minutes) {
            config.security.sessionIdleTimeout = minutes * 60
        }
        // Security settings outside sane bounds are ignored rather than weakening the system.
        if let count = environment["XUNCHA_MAX_FAILED_SIGN_INS"].flatMap(Int.init), (3...20).contains(count) { config.security.maxFailedSignIns = count }
        if let minutes = environment["XUNCHA_LOCK_MINUTES"].flatMap(Double.init), (1...1440).contains(minutes) { config.security.lockDuration = minutes * 60 }
        if let length = environment["XUNCHA_PASSWORD_MIN_LENGTH"].flatMap(Int.init), (8...64).contains(length) { config.security.minimumPasswordLength = length }
        return config
    }
}
