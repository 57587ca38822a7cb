import ArgumentParser
import Foundation
import XunchaCore
import XunchaSeed
import XunchaStore

/// `xuncha bench-workload`: fills an empty database with the HTTP benchmark's workload (issue 18:
/// one committee, 60 units, 10,000 papers, its ledger) and accounts with a known password, and
/// prints what `scripts/bench-api` needs to drive the server as JSON on standard output.
struct BenchWorkload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-workload", abstract: "性能基准：生成 HTTP 基准测试的数据（一个党委、若干单位与底稿、整改台账、已知密码的账号），以 JSON 输出账号与筛选条件（会写入指定数据库，请使用专用文件）")

    @OptionGroup var store: StoreOptions
    @Option(help: "单位数（3 的倍数：每组巡察 3 个单位）") var units = 60
    @Option(help: "已审定的问题底稿数") var findings = 10_000
    @Option(help: "整改任务数") var tasks = 10_000
    @Option(help: "写入者（组长）账号数") var writers = 8
    @Option(help: "所有基准账号的密码") var password = "Bench#2026-xuncha"

    func validate() throws {
        guard store.database != nil else { throw ValidationError("请用 --database 指定一个新的数据库：基准测试会写入虚构数据") }
    }

    func run() async throws {
        try await withStore(store) { store, _ in
            let workload = try await store.generateAPIBenchWorkload(units: units, findings: findings, tasks: tasks, writers: writers, password: password)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            say(String(decoding: try encoder.encode(workload), as: UTF8.self))
        }
    }
}
