import ArgumentParser
import Foundation
import SQLKit
import XunchaCore
import XunchaSeed
import XunchaStore

/// `xuncha bench-import`: a 问题清单/整改台账 of `--rows` rows imported into a fresh committee (the
/// HTTP benchmark's workload: 60 units in 20 groups, no papers yet), timed as the office feels it —
/// the CSV parsed, every cell checked, every row written through its lifecycle, committed — and
/// the audit chain walked (and `--deep` checked) afterwards. A benchmark, not a test (issue 18).
struct BenchImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-import", abstract: "性能基准：导入大型问题清单/整改台账（解析、校验、写入、提交），并核验审计日志（会写入指定数据库，请使用专用文件）")

    @OptionGroup var store: StoreOptions
    @Option(help: "台账行数") var rows = 10_000
    @Option(help: "处置方式：all（四种各占四分之一）、dropped、lead、immediate、deadline") var mix = "all"
    @Flag(help: "先预览（dry_run）一次再导入") var preview = false
    @Flag(help: "导入后不核验审计日志") var skipVerify = false
    @Flag(help: "逐行写入审计记录与导入标记（改进前的写法，作对照）") var rowByRow = false
    @Option(help: "只生成数据与台账：把台账 CSV 写到此路径，以 JSON 输出账号（供 scripts/bench-import 经 HTTP 导入）") var csv: String?

    func validate() throws {
        guard store.database != nil else { throw ValidationError("请用 --database 指定一个新的数据库：基准测试会写入虚构数据") }
        guard ["all", "dropped", "lead", "immediate", "deadline"].contains(mix) else { throw ValidationError("--mix 须为 all、dropped、lead、immediate 或 deadline") }
    }

    func run() async throws {
        try await withStore(store) { store, _ in
            let workload = try await store.generateAPIBenchWorkload(units: 60, findings: 0, tasks: 0, writers: 1, password: "Bench#2026-xuncha")
            let (office, places) = try await Self.officeAndPlaces(workload, in: store)
            let text = Self.ledger(rows: rows, places: places, mix: mix)
            if let csv {
                try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                say(String(decoding: try encoder.encode(workload), as: UTF8.self))
                return
            }
            let origin = RequestOrigin(actor: office)
            let jurisdiction = office.jurisdictionID!
            say("台账：\(rows) 行，\(text.utf8.count / 1024) KiB，处置方式 \(mix)，\(rowByRow ? "逐行写入" : "分批写入")，\(store.database.engine)")
            if preview {
                let started = ContinuousClock.now
                let table = try CSVTable.parse(Data(text.utf8))
                let outcome = try await store.importLedger(.problemList, table: table, mapping: nil, fileName: "bench.csv", into: jurisdiction, dryRun: true, origin: origin,
                    writing: rowByRow ? .rowByRow : .batched)
                guard outcome.problems.isEmpty else { throw ValidationError("预览有问题：" + outcome.problems.prefix(5).map(\.text).joined(separator: "；")) }
                say(Self.figure("预览", rows: rows, since: started))
            }
            let started = ContinuousClock.now
            let table = try CSVTable.parse(Data(text.utf8))
            let parsed = ContinuousClock.now
            let outcome = try await store.importLedger(.problemList, table: table, mapping: nil, fileName: "bench.csv", into: jurisdiction, dryRun: false, origin: origin,
                writing: rowByRow ? .rowByRow : .batched)
            guard outcome.written else { throw ValidationError("导入被拒：" + outcome.problems.prefix(5).map(\.text).joined(separator: "；")) }
            say("解析 CSV：\(started.duration(to: parsed))")
            say(Self.figure("导入（解析、校验、写入、提交）", rows: rows, since: started))
            guard !skipVerify else { return }
            let checked = ContinuousClock.now
            let report = try await store.checkAuditChain(publicKey: nil, deep: true, origin: RequestOrigin(actor: .console("bench")))
            say("审计日志核验（--deep）：\(report.isIntact ? "完整" : "有问题：" + report.problems.prefix(3).joined(separator: "；"))，\(report.chain)，逐行核对 \(report.rowsChecked) 行，用时 \(checked.duration(to: .now))")
            if !report.isIntact { throw ExitCode(1) }
        }
    }

    static func figure(_ what: String, rows: Int, since started: ContinuousClock.Instant) -> String {
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return "\(what)：\(rows) 行用时 \(String(format: "%.3f", seconds)) s，\(Int((Double(rows) / seconds).rounded())) 行/秒"
    }

    /// The office's account as an actor, and the places (group, unit) of the committee's assignments.
    static func officeAndPlaces(_ workload: APIBenchWorkload, in store: Store) async throws -> (Actor, [(group: String, unit: String)]) {
        try await store.database.read { db in
            let user = try await db.raw(
                "SELECT u.id, u.display_name, j.id AS jurisdiction_id, j.path FROM users u JOIN jurisdictions j ON j.id = u.jurisdiction_id WHERE u.username = \(bind: workload.office)"
            ).all()
            guard let user = user.first else { throw ValidationError("没有基准账号 \(workload.office)") }
            let jurisdiction = try user.decode(column: "jurisdiction_id", as: String.self)
            let office = Actor(
                kind: .account(UUID(uuidString: try user.decode(column: "id", as: String.self))!), name: workload.office,
                displayName: try user.decode(column: "display_name", as: String.self), jurisdictionID: UUID(uuidString: jurisdiction),
                jurisdictionPath: try user.decode(column: "path", as: String.self), roles: [.officeStaff], unitID: nil)
            let places = try await db.raw(
                """
                SELECT g.name AS group_name, u.name AS unit_name FROM assignments a JOIN inspection_groups g ON g.id = a.group_id JOIN units u ON u.id = a.unit_id
                WHERE a.jurisdiction_id = \(bind: jurisdiction) ORDER BY g.name, u.name
                """
            ).all().map { (group: try $0.decode(column: "group_name", as: String.self), unit: try $0.decode(column: "unit_name", as: String.self)) }
            return (office, places)
        }
    }

    /// The ledger as the office's CSV: rows spread over the assignments, the dispositions by `mix`.
    static func ledger(rows: Int, places: [(group: String, unit: String)], mix: String) -> String {
        let kinds = mix == "all" ? ["dropped", "lead", "immediate", "deadline"] : [mix]
        var lines = ["编号,问题描述,被巡察单位,巡察轮次,批次,巡察组,问题类别,处置方式,处置说明,四种形态,责任领导,责任部门,责任人,整改时限,整改状态,销号日期,发现日期,被反映人,干部管理权限,问题性质"]
        lines.reserveCapacity(rows + 1)
        for n in 0..<rows {
            let place = places[n % places.count]
            let key = String(format: "B-%06d", n + 1)
            let at = "\(place.unit),十五届第1轮,第1批,\(place.group)"
            let line: String
            switch kinds[(n / places.count) % kinds.count] {
            case "dropped": line = "\(key),第\(n + 1)号问题：反映食堂采购不规范,\(at),工作纪律,不予认定,经核实不属实,,,,,,,,2026-04-01,,,"
            case "lead": line = "\(key),第\(n + 1)号问题：为亲属承揽工程提供便利,\(at),廉洁纪律,移交问题线索,,,,,,,,,2026-04-01,王某\(n + 1),本级管理,违纪"
            case "immediate": line = "\(key),第\(n + 1)号问题：违规发放津补贴,\(at),违规发放津补贴或福利,立行立改,,,,,,,已销号,2026-05-20,2026-04-01,,,"
            default:
                let status = n % 3 == 0 ? "已销号,2026-05-20" : n % 3 == 1 ? "已完成,2026-05-20" : "整改中,"
                line = "\(key),第\(n + 1)号问题：三重一大事项未经集体决策。大额支出未经党组会研究,\(at),廉洁纪律,限期整改,,第一种形态,张局长,办公室,李科长,2026-09-30,\(status),2026-04-01,,,"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
