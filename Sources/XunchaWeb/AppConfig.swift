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
    /// Treat every request as HTTPS (set when TLS ends at a proxy that does not send
    /// `X-Forwarded-Proto`): cookies are `Secure` and `Strict-Transport-Security` is sent.
    public var secureCookies = false
    public var bcryptCost: UInt8 = 12
    public var security = SecuritySettings()
    public var logLevel = Logger.Level.info
    /// Text lines, or one JSON object per line for a log collector.
    public var logFormat = LogFormat.text
    /// The largest JSON or form body accepted.
    public var maxBodyBytes = 1 << 20
    /// The largest CSV import accepted.
    public var maxImportBytes = 8 << 20
    /// The largest ledger (导入台账) accepted: a ledger of `LedgerImport.maximumRows` rows as CSV.
    public var maxLedgerImportBytes = 48 << 20
    /// Addresses of reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed,
    /// so the audit log names the person's machine rather than the proxy and HTTPS is known.
    /// Empty: the socket peer is recorded and forwarded headers are ignored.
    public var trustedProxies: Set<String> = []
    /// Where evidence files are kept; nil puts them beside the SQLite file (or in ./data/evidence).
    public var evidenceDirectory: String?
    /// Who may read `/metrics`.
    public var metricsAccess = MetricsAccess.loopback
    /// Where the server's daily backups go; nil: no scheduled backups.
    public var backupDirectory: String?
    /// When they run (China Standard Time) and how many are kept.
    public var backupSchedule = BackupSchedule(time: "02:30", keep: 7)!
    /// The file of the key that signs the audit chain's checkpoints (outside the database);
    /// nil: the server writes no checkpoints.
    public var auditKeyPath: String?
    /// How often the server signs a checkpoint of the audit chain's head.
    public var auditCheckpointInterval: Duration = .seconds(3600)

    public init() {}

    /// Applies `XUNCHA_*` environment variables over the defaults. A value that is malformed or
    /// out of its range stops the start: a security setting silently ignored would leave the
    /// system weaker than its operator believes.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> AppConfig {
        let env = EnvironmentReader(environment)
        var config = AppConfig()
        if let host = try env.text("XUNCHA_HOST") { config.host = host }
        if let port = try env.integer("XUNCHA_PORT", in: 1...65535) { config.port = port }
        if let database = try env.text("XUNCHA_DATABASE") {
            config.database = DatabaseLocation(database)
        } else if let database = try env.text("DATABASE_URL") {
            config.database = DatabaseLocation(database)
        }
        if let name = try env.text("XUNCHA_ROOT_NAME") { config.rootJurisdictionName = name }
        if let folder = try env.text("XUNCHA_EVIDENCE_DIR") { config.evidenceDirectory = folder }
        if let secure = try env.flag("XUNCHA_SECURE_COOKIES") { config.secureCookies = secure }
        if let cost = try env.integer("XUNCHA_BCRYPT_COST", in: 4...31) { config.bcryptCost = UInt8(cost) }
        if let proxies = try env.text("XUNCHA_TRUSTED_PROXIES") {
            let addresses = proxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for address in addresses where !IPAddressText.isValid(address) {
                throw ConfigurationError(variable: "XUNCHA_TRUSTED_PROXIES", value: proxies, expected: "以逗号分隔的 IP 地址（“\(address)”不是 IP 地址）")
            }
            config.trustedProxies = Set(addresses)
        }
        if let level = try env.choice("XUNCHA_LOG_LEVEL", Logger.Level.allCases.map(\.rawValue)) { config.logLevel = Logger.Level(rawValue: level) ?? .info }
        if let format = try env.choice("XUNCHA_LOG_FORMAT", LogFormat.allCases.map(\.rawValue)) { config.logFormat = LogFormat(rawValue: format) ?? .text }
        if let minutes = try env.integer("XUNCHA_SESSION_IDLE_MINUTES", in: 5...480) { config.security.sessionIdleTimeout = Double(minutes) * 60 }
        if let count = try env.integer("XUNCHA_MAX_FAILED_SIGN_INS", in: 3...20) { config.security.maxFailedSignIns = count }
        if let minutes = try env.integer("XUNCHA_LOCK_MINUTES", in: 1...1440) { config.security.lockDuration = Double(minutes) * 60 }
        if let length = try env.integer("XUNCHA_PASSWORD_MIN_LENGTH", in: 8...64) { config.security.minimumPasswordLength = length }
        if let folder = try env.text("XUNCHA_BACKUP_DIR") { config.backupDirectory = folder }
        let keep = try env.integer("XUNCHA_BACKUP_KEEP", in: 1...365) ?? config.backupSchedule.keep
        let time = try env.text("XUNCHA_BACKUP_TIME") ?? String(format: "%02d:%02d", config.backupSchedule.hour, config.backupSchedule.minute)
        guard let schedule = BackupSchedule(time: time, keep: keep) else {
            throw ConfigurationError(variable: "XUNCHA_BACKUP_TIME", value: time, expected: "每日时刻，如 02:30（北京时间）")
        }
        config.backupSchedule = schedule
        if let path = try env.text("XUNCHA_AUDIT_KEY") { config.auditKeyPath = path }
        if let minutes = try env.integer("XUNCHA_AUDIT_CHECKPOINT_INTERVAL", in: 1...1440) { config.auditCheckpointInterval = .seconds(minutes * 60) }
        // A token given without naming the access means the token is wanted.
        let token = try env.text("XUNCHA_METRICS_TOKEN")
        let access = try env.choice("XUNCHA_METRICS_ACCESS", ["loopback", "public", "token"]) ?? (token == nil ? "loopback" : "token")
        switch access {
        case "public": config.metricsAccess = .public
        case "token":
            guard let token, token.count >= 24 else {
                throw ConfigurationError(variable: "XUNCHA_METRICS_TOKEN", value: token == nil ? "" : "（已隐去）", expected: "至少24个字符的随机令牌")
            }
            config.metricsAccess = .bearer(token)
        default: config.metricsAccess = .loopback
        }
        return config
    }
}

/// Who may read the operational metrics (`/metrics`): they tell request rates per route and
/// the database engine, which is nobody's business outside the data centre.
public enum MetricsAccess: Sendable, Equatable {
    /// Only clients on this machine (after resolving a trusted proxy's `X-Forwarded-For`).
    case loopback
    /// Anyone who can reach the port.
    case `public`
    /// Whoever sends `Authorization: Bearer <token>`.
    case bearer(String)
}

/// A setting that cannot be used; the server does not start.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var variable: String
    public var value: String
    public var expected: String

    public var description: String { "配置项 \(variable)=“\(value)”无效：应为\(expected)。服务未启动。" }
}

/// Reads environment variables, refusing malformed values. An empty value counts as unset.
struct EnvironmentReader {
    let environment: [String: String]

    init(_ environment: [String: String]) { self.environment = environment }

    func text(_ name: String) throws(ConfigurationError) -> String? {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = try text(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, value: text, expected: "\(range.lowerBound)到\(range.upperBound)之间的整数")
        }
        return value
    }

    func flag(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let text = try text(name) else { return nil }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, value: text, expected: "true 或 false")
        }
    }

    func choice(_ name: String, _ allowed: [String]) throws(ConfigurationError) -> String? {
        guard let text = try text(name) else { return nil }
        guard allowed.contains(text.lowercased()) else {
            throw ConfigurationError(variable: name, value: text, expected: allowed.joined(separator: "、") + "之一")
        }
        return text.lowercased()
    }
}

/// Textual IP addresses, as socket peers and proxies are named.
enum IPAddressText {
    static func isValid(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// 127.0.0.0/8 and ::1 (also as an IPv4-mapped address).
    static func isLoopback(_ text: String) -> Bool {
        text == "::1" || text.hasPrefix("127.") || text.hasPrefix("::ffff:127.")
    }
}
