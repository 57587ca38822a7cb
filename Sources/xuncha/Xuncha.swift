import ArgumentParser
import Foundation
import Logging
import XunchaCore
import XunchaSeed
import XunchaStore
import XunchaWeb

/// `xuncha`: the server and its console tools. Thin: each subcommand opens the store and calls
/// the same operations the web layer calls, as the console operator.
@main
struct Xuncha: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xuncha",
        abstract: "巡察工作信息管理系统 Xuncha",
        subcommands: [
            Serve.self, Migrate.self, UserCommand.self, ImportCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self, ArchiveCommand.self, DocumentsCommand.self,
            Demo.self, Bench.self, BenchStatistics.self, BenchProposal.self, BenchWorkload.self, BenchImport.self,
        ],
        defaultSubcommand: Serve.self)
}

/// Options every subcommand shares.
struct StoreOptions: ParsableArguments {
    @Option(help: "数据库：SQLite 文件路径（默认 ./data/xuncha.sqlite）或 postgres:// 地址；也可用环境变量 XUNCHA_DATABASE")
    var database: String?

    func config() throws(ConfigurationError) -> AppConfig {
        var config = try AppConfig.fromEnvironment()
        if let database { config.database = DatabaseLocation(database) }
        return config
    }

    func openStore(_ config: AppConfig, connections: PostgresConnections = .onDemand) async throws -> Store {
        var logger = Logger(label: "xuncha")
        logger.logLevel = config.logLevel
        return try await Store.open(
            config.database, security: config.security, hasher: PasswordHasher(cost: config.bcryptCost),
            evidenceDirectory: config.evidenceDirectory.map { URL(fileURLWithPath: $0) }, connections: connections, logger: logger)
    }
}

/// The configuration the options and the environment give; a bad one is a message and exit 2.
func loadConfig(_ options: StoreOptions) throws -> AppConfig {
    do {
        let config = try options.config()
        config.logFormat.bootstrap()
        return config
    } catch {
        printError(error.description)
        throw ExitCode(2)
    }
}

/// Runs `body` with an open store, closing it after, and turns failures into a message on
/// standard error and a non-zero exit.
func withStore<R>(
    _ options: StoreOptions, connections: PostgresConnections = .onDemand, _ body: (Store, AppConfig) async throws -> R
) async throws -> R {
    let config = try loadConfig(options)
    return try await reportingFailures {
        let store = try await options.openStore(config, connections: connections)
        do {
            let result = try await body(store, config)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

/// Turns a failure into a message on standard error and a non-zero exit: 2 for what the operator
/// gave wrong (bad input, a refused backup or restore), 1 otherwise.
func reportingFailures<R>(_ body: () async throws -> R) async throws -> R {
    do {
        return try await body()
    } catch let error as DomainError {
        printError(error.message)
        throw ExitCode(error.kind == .invalidInput ? 2 : 1)
    } catch let error as BackupError {
        printError(error.message)
        throw ExitCode(2)
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("\(error)")
        throw ExitCode.failure
    }
}

/// Writes a line to standard output unbuffered, so the one-time passwords reach a log or a
/// pipe at once rather than when the server stops.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("错误：" + message + "\n").utf8))
}

let console = RequestOrigin(actor: .console(ProcessInfo.processInfo.userName))

/// Prints the first-start administrator passwords, once, in a form people and scripts can read.
func announce(_ accounts: [InitialAccount]) {
    guard !accounts.isEmpty else { return }
    say("首次启动：已创建三员账号。一次性密码仅显示这一次，请立即登录修改。")
    for account in accounts {
        say("[初始账号] 用户名=\(account.username) 角色=\(account.role.title) 一次性密码=\(account.password)")
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "启动服务（首次启动时创建三员账号）")

    @OptionGroup var store: StoreOptions
    @Option(help: "监听地址") var host: String?
    @Option(help: "端口") var port: Int?
    @Flag(help: "空库时先装入演示数据") var demo = false

    func run() async throws {
        // A key file that cannot be used stops the start before the database is opened.
        if let path = try loadConfig(store).auditKeyPath { _ = try await reportingFailures { try AuditSigningKey.load(from: path) } }
        // The server holds its connections: a pool that lends and takes back thousands a second
        // must not arm a timer each time (see `PostgresConnections`).
        try await withStore(store, connections: .held) { store, config in
            var config = config
            if let host { config.host = host }
            if let port { config.port = port }
            if demo {
                if try await store.isEmpty() {
                    printDemo(try await store.seedDemo())
                } else {
                    say("数据库中已有数据，未装入演示数据。")
                }
            }
            announce(try await store.bootstrapIfEmpty(rootName: config.rootJurisdictionName))
            var logger = Logger(label: "xuncha")
            logger.logLevel = config.logLevel
            let app = try await buildApplication(config: config, store: store, logger: logger)
            say("Xuncha 已启动：http://\(config.host):\(config.port)  数据库：\(config.database.redacted)")
            try await app.runService()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "执行数据库迁移")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await withStore(store) { store, _ in
            let applied = try await Migrator(database: store.database, logger: Logger(label: "xuncha.migrate")).appliedVersions()
            say("数据库已是最新结构（已应用迁移：\(applied.map(String.init).joined(separator: ", "))）")
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "向空库装入演示数据：一市三县（区）、约二十家单位、每个角色一个账号")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await withStore(store) { store, _ in printDemo(try await store.seedDemo()) }
    }
}

func printDemo(_ accounts: [Store.DemoAccount]) {
    say("已装入演示数据（虚构的江城市）。所有演示账号的密码均为 \(Store.demoPassword)，仅供体验，切勿用于正式环境。")
    let width = accounts.map(\.username.count).max() ?? 0
    for account in accounts {
        say("  \(account.username.padding(toLength: width, withPad: " ", startingAt: 0)) \(account.displayName)（\(account.roles)，\(account.jurisdiction)）")
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "账号管理（控制台操作，可授予三员角色）",
        subcommands: [Add.self, List.self, ResetPassword.self, Disable.self, Unlock.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "开设账号，打印一次性密码")
        @OptionGroup var store: StoreOptions
        @Option(help: "用户名（3-32位英文字母、数字或 ._-）") var username: String
        @Option(help: "姓名") var name: String
        @Option(help: "所属党委的名称或编号（默认根党委）") var jurisdiction: String?
        @Option(name: .customLong("role"), help: "角色代码，可重复：\(Role.allCases.map(\.rawValue).joined(separator: ", "))") var roles: [String]
        @Option(help: "所属单位编号（被巡察单位角色必填）") var unit: String?

        func run() async throws {
            try await withStore(store) { store, _ in
                let jurisdictionID = try await resolveJurisdiction(jurisdiction, store: store)
                let draft = try UserDraft.validate(username: username, displayName: name, jurisdictionID: jurisdictionID.text, roles: roles, unitID: unit)
                let issued = try await store.createUser(draft, origin: console)
                say("已开设账号 \(issued.user.username)。一次性密码（仅显示一次）：\(issued.oneTimePassword)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出账号")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await withStore(store) { store, _ in
                var query = UserQuery(page: .init(limit: 100))
                repeat {
                    let page = try await store.users(query, for: console.actor)
                    for user in page.items {
                        let state = user.disabled ? "已停用" : (user.isLocked(at: store.clock.now()) ? "登录受限" : "正常")
                        say("\(user.username)\t\(user.displayName)\t\(user.roles.sorted().map(\.title).joined(separator: "、"))\t\(state)")
                    }
                    query.page.after = try page.nextCursor.map { try Cursor(token: $0) }
                } while query.page.after != nil
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "重置密码，打印一次性密码")
        @OptionGroup var store: StoreOptions
        @Argument(help: "用户名") var username: String

        func run() async throws {
            try await withStore(store) { store, _ in
                // The console holds the database anyway: its reset is single-step (PasswordResetRule).
                guard let issued = try await store.resetPassword(try await resolveUser(username, store: store), origin: console).issued else { return }
                say("已重置 \(issued.user.username) 的密码。一次性密码（仅显示一次）：\(issued.oneTimePassword)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "停用账号")
        @OptionGroup var store: StoreOptions
        @Argument(help: "用户名") var username: String

        func run() async throws {
            try await withStore(store) { store, _ in
                let user = try await store.disableUser(try await resolveUser(username, store: store), origin: console)
                say("已停用账号 \(user.username)。")
            }
        }
    }
}

extension UserCommand {
    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "解除账号的登录限制（各来源的暂停和整号的限速），记入审计日志")
        @OptionGroup var store: StoreOptions
        @Argument(help: "用户名") var username: String

        func run() async throws {
            try await withStore(store) { store, _ in
                let user = try await store.unlockUser(try await resolveUser(username, store: store), origin: console)
                say("已解除 \(user.username) 的登录限制。")
            }
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "批量导入", subcommands: [Units.self, Inspectors.self, Accounts.self])

    struct Inspectors: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "从 CSV（UTF-8，首行为表头：姓名,工作单位,职务,部门类别,职级,入库类别,专长,可抽调）导入组长库、人才库；任何一行有误则整体拒绝")
        @OptionGroup var store: StoreOptions
        @Argument(help: "CSV 文件") var file: String
        @Option(help: "导入到哪个党委（名称或编号，默认根党委）") var jurisdiction: String?

        func run() async throws {
            try await withStore(store) { store, _ in
                let drafts = try InspectorImportPlan.plan(try readCSV(file), currentYear: CalendarDay(store.clock.now()).year)
                let jurisdictionID = try await resolveJurisdiction(jurisdiction, store: store)
                let count = try await store.importInspectors(drafts, into: jurisdictionID, origin: console)
                say("已导入\(count)名巡察干部。")
            }
        }
    }

    struct Units: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "从 CSV（UTF-8，首行为表头：单位名称,单位类型,党组织类型,上级单位,主要负责人）导入被巡察单位；任何一行有误则整体拒绝")
        @OptionGroup var store: StoreOptions
        @Argument(help: "CSV 文件") var file: String
        @Option(help: "导入到哪个党委（名称或编号，默认根党委）") var jurisdiction: String?

        func run() async throws {
            try await withStore(store) { store, _ in
                let plan = try UnitImportPlan.plan(try readCSV(file))
                let jurisdictionID = try await resolveJurisdiction(jurisdiction, store: store)
                let units = try await store.importUnits(plan, into: jurisdictionID, origin: console)
                say("已导入\(units.count)家单位。")
            }
        }
    }
}

extension ImportCommand {
    struct Accounts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "从 CSV（UTF-8，首行为表头：姓名,账号,单位,角色）开设账号；角色（可填多个，以“、”或“;”分隔）为拟授角色，由安全保密管理员批准后生效；任何一行有误则整体拒绝",
            discussion: "每个账号的一次性密码与 xuncha user add 一样逐行打印（仅显示一次）；给出 --passwords 时改为写入该文件（仅本人可读），不打印。")
        @OptionGroup var store: StoreOptions
        @Argument(help: "CSV 文件") var file: String
        @Option(help: "导入到哪个党委（名称或编号，默认根党委）") var jurisdiction: String?
        @Option(help: "把一次性密码写入此文件（CSV：账号,姓名,一次性密码；文件不得已存在）") var passwords: String?

        func run() async throws {
            try await withStore(store) { store, _ in
                let plan = try AccountImportPlan.plan(try readCSV(file))
                if let passwords, FileManager.default.fileExists(atPath: passwords) {
                    throw DomainError.invalid("file_exists", "密码文件 \(passwords) 已存在，不覆盖", english: "\(passwords) exists")
                }
                let jurisdictionID = try await resolveJurisdiction(jurisdiction, store: store)
                let issued = try await store.importAccounts(plan, into: jurisdictionID, origin: console)
                let proposed = { (user: User) in user.proposedRoles.isEmpty ? "待授权" : "拟授\(user.proposedRoles.sorted().map(\.title).joined(separator: "、"))，待安全保密管理员批准" }
                if let passwords {
                    let lines = ["账号,姓名,一次性密码"] + issued.map { "\($0.user.username),\($0.user.displayName),\($0.oneTimePassword)" }
                    guard FileManager.default.createFile(atPath: passwords, contents: Data((lines.joined(separator: "\n") + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                        throw DomainError.invalid("file_not_written", "无法写入密码文件 \(passwords)（账号已开设，可用 xuncha user reset-password 重置）", english: "cannot write \(passwords)")
                    }
                    for account in issued { say("已开设账号 \(account.user.username)（\(account.user.displayName)，\(proposed(account.user))）。") }
                    say("已导入\(issued.count)个账号，一次性密码已写入 \(passwords)（仅本人可读，交付后请删除）。")
                } else {
                    for account in issued {
                        say("已开设账号 \(account.user.username)（\(account.user.displayName)，\(proposed(account.user))）。一次性密码（仅显示一次）：\(account.oneTimePassword)")
                    }
                    say("已导入\(issued.count)个账号。")
                }
            }
        }
    }
}

/// Reads and parses a CSV file given on the command line.
func readCSV(_ file: String) throws -> CSVTable {
    guard let data = FileManager.default.contents(atPath: file) else {
        throw DomainError.invalid("file_not_found", "无法读取文件 \(file)", english: "cannot read \(file)")
    }
    return try CSVTable.parse(data)
}

func resolveJurisdiction(_ text: String?, store: Store) async throws -> UUID {
    let all = try await store.jurisdictions(for: console.actor, limit: 100_000)
    guard let text, !text.isEmpty else {
        guard let root = all.first(where: { $0.parentID == nil }) else {
            throw DomainError.invalid("no_jurisdiction", "尚无党委，请先启动一次服务以完成初始化", english: "no jurisdiction yet")
        }
        return root.id
    }
    if let match = all.first(where: { $0.id.text == text.lowercased() || $0.name == text }) { return match.id }
    throw DomainError.invalid("unknown_jurisdiction", "找不到党委“\(text)”", english: "jurisdiction \(text) not found")
}

func resolveUser(_ username: String, store: Store) async throws -> UUID {
    guard let id = try await store.userID(username: username) else {
        throw DomainError.invalid("unknown_user", "找不到用户名为“\(username)”的账号", english: "no such user")
    }
    return id
}
