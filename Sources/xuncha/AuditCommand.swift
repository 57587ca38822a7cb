import ArgumentParser
import Foundation
import XunchaCore
import XunchaStore
import XunchaWeb

/// `xuncha audit …`: the hash chain's walk, and its anchoring outside the database — the signing
/// key (a file the console creates), signed checkpoints of the head, their export, and `verify`
/// against them with the public half.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "审计日志：核验哈希链、签名密钥与检查点", subcommands: [Verify.self, Keygen.self, Checkpoint.self, Checkpoints.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "核验审计日志（只读，不写入任何记录）：逐条核验哈希链，用公钥核验检查点，--deep 时逐行核对业务记录；发现问题时以非零状态退出",
            discussion: "公钥取自 --public-key，未给出时由 --key 或 XUNCHA_AUDIT_KEY 的密钥文件导出；都没有时只核验哈希链本身（截断与重算哈希链无法发现）。")
        @OptionGroup var store: StoreOptions
        @Option(help: "审计管理员保管的公钥（base64）或存放它的文件") var publicKey: String?
        @Option(help: "签名密钥文件（由此导出公钥）；默认取环境变量 XUNCHA_AUDIT_KEY") var key: String?
        @Option(help: "审计管理员另行保管的检查点导出文件（JSON 行），与库中的检查点一并核验") var checkpoints: [String] = []
        @Flag(help: "同时逐行核对业务记录与其最近一条审计记录所载摘要") var deep = false

        func run() async throws {
            let config = try loadConfig(store)
            let report = try await withStore(store) { store, _ in
                let verifying = try publicKey.map { try AuditPublicKey(text: $0) } ?? (key ?? config.auditKeyPath).map { try AuditSigningKey.load(from: $0).publicKey }
                var kept: [AuditCheckpoint] = []
                for file in checkpoints {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        throw DomainError.invalid("file_not_found", "无法读取检查点文件 \(file)", english: "cannot read \(file)")
                    }
                    kept += try AuditCheckpoint.parse(jsonLines: String(decoding: data, as: UTF8.self), source: file)
                }
                let report = try await store.checkAuditChain(publicKey: verifying, kept: kept, deep: deep, origin: console)
                if verifying == nil { say("未给出公钥：检查点未核验，只核验了哈希链本身。") }
                return report
            }
            switch report.chain {
            case .intact(let count): say("哈希链：共\(count)条记录，逐条核验无误。")
            case .broken(let sequence, let reason): printError("审计日志在第\(sequence)条处断裂：\(reason)")
            }
            if let latest = report.latestCheckpoint {
                say("检查点：\(report.checkpointsHeld)个核验无误，最近一个为第\(latest.number)号（\(DateText.table(latest.at))，至第\(latest.sequence)条）。")
            }
            if deep {
                say("业务记录：核对\(report.rowsChecked)行；\(report.rowsWithoutDigest)行尚无带摘要的审计记录（早于摘要启用），未核对。")
            }
            for problem in report.problems { printError(problem) }
            guard report.isIntact else { throw ExitCode(3) }
            say("审计日志完整。")
        }
    }

    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "生成审计检查点签名密钥文件（权限 0600，已存在则拒绝），打印公钥交审计管理员保管",
            discussion: "密钥文件放在数据库与备份之外，仅服务账号可读；服务以 XUNCHA_AUDIT_KEY 指向它。")
        @Option(help: "密钥文件路径（须为新文件）") var key: String

        func run() async throws {
            let created = try await reportingFailures { try AuditSigningKey.create(at: key) }
            say("已生成审计签名密钥：\(key)（权限 0600，仅服务账号可读；勿放入数据库或备份目录）。")
            say("公钥（请交审计管理员另行保管，核验时以 --public-key 给出）：")
            say(created.publicKey.base64)
            say("公钥指纹：\(created.publicKey.fingerprint)")
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "立即签署一个检查点：审计日志链头的序号、哈希、条数和时间")
        @OptionGroup var store: StoreOptions
        @Option(help: "签名密钥文件；默认取环境变量 XUNCHA_AUDIT_KEY") var key: String?
        @Flag(help: "密钥确已更换：允许用与此前检查点不同的密钥签署") var newKey = false

        func run() async throws {
            let config = try loadConfig(store)
            let checkpoint = try await withStore(store) { store, _ in
                guard let path = key ?? config.auditKeyPath else {
                    throw DomainError.invalid("audit_key_missing", "请以 --key 或环境变量 XUNCHA_AUDIT_KEY 给出签名密钥文件", english: "no key file given")
                }
                return try await store.writeAuditCheckpoint(key: try AuditSigningKey.load(from: path), madeBy: console.actor.name, newKey: newKey)
            }
            say("已签署检查点：\(checkpoint.printedLine)")
        }
    }

    struct Checkpoints: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "列出检查点（供打印），或以 --export 导出为 JSON 行文件交审计管理员另行保管",
            discussion: "导出文件可在核验时以 xuncha audit verify --checkpoints 文件 给出：库中的检查点被删除时，截断仍能发现。")
        @OptionGroup var store: StoreOptions
        @Option(help: "导出到此文件（JSON 行；文件不得已存在）") var export: String?

        func run() async throws {
            let checkpoints = try await withStore(store) { store, _ in
                if let export, FileManager.default.fileExists(atPath: export) {
                    throw DomainError.invalid("file_exists", "文件 \(export) 已存在，不覆盖", english: "\(export) exists")
                }
                return try await store.auditCheckpoints()
            }
            if let export {
                let text = checkpoints.map(\.jsonLine).joined(separator: "\n") + (checkpoints.isEmpty ? "" : "\n")
                guard FileManager.default.createFile(atPath: export, contents: Data(text.utf8)) else {
                    printError("无法写入 \(export)")
                    throw ExitCode(2)
                }
                say("已导出\(checkpoints.count)个检查点到 \(export)。")
                return
            }
            if checkpoints.isEmpty { say("尚无检查点。") }
            var keys: [String] = []
            for checkpoint in checkpoints {
                if !keys.contains(checkpoint.publicKey) {
                    keys.append(checkpoint.publicKey)
                    say("签署公钥：\(checkpoint.publicKey)")
                }
                say(checkpoint.printedLine)
            }
        }
    }
}
