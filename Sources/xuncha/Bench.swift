import ArgumentParser
import Foundation
import XunchaCore
import XunchaStore

/// `xuncha bench`: fills a throwaway database with a national-scale unit register and measures
/// the register page as an office sees it. A benchmark, not a test: run it by hand (see README).
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "性能基准：生成大规模单位名录并测量列表查询的延迟与吞吐（会写入指定数据库，请使用专用文件）")

    @OptionGroup var store: StoreOptions
    @Option(help: "县级党委数") var jurisdictions = 1_000
    @Option(help: "单位总数") var units = 1_000_000
    @Option(help: "每种查询的测量次数") var iterations = 2_000
    @Option(help: "吞吐测量的并发数") var concurrency = 8
    @Option(help: "吞吐测量的秒数") var seconds = 5.0

    func validate() throws {
        guard store.database != nil else {
            throw ValidationError("请用 --database 指定一个新的数据库文件：基准测试会写入上百万条虚构数据")
        }
    }

    func run() async throws {
        try await withStore(store) { store, config in
            say("数据库：\(config.database.redacted)")
            let started = ContinuousClock.now
            let counties = try await store.generateSyntheticRegister(jurisdictions: jurisdictions, units: units) { done, all in
                if done % 100_000 == 0 || done == all { say("  已生成 \(done)/\(all) 家单位") }
            }
            say("生成用时 \(started.duration(to: .now))")
            for line in try await store.explainUnitPage(jurisdictionID: counties[0], search: nil) { say("  查询计划：\(line)") }

            func office(_ id: UUID) -> Actor {
                Actor(kind: .account(UUID()), name: "bench", jurisdictionID: id, jurisdictionPath: "", roles: [.officeStaff], unitID: nil)
            }
            let queries: [(String, @Sendable (UUID) -> UnitQuery)] = [
                ("第一页（按名称）", { _ in UnitQuery() }),
                ("按类型筛选", { _ in UnitQuery(type: .school) }),
                ("名称搜索“村”", { _ in UnitQuery(search: "村") }),
                ("按录入时间倒序", { _ in UnitQuery(sort: .created, order: .descending) }),
            ]
            for (label, make) in queries {
                var samples: [Duration] = []
                for i in 0..<iterations {
                    let id = counties[(i * 7919) % counties.count]
                    let t = ContinuousClock.now
                    let page = try await store.units(make(id), for: office(id))
                    samples.append(t.duration(to: .now))
                    precondition(page.items.count <= 25)
                }
                samples.sort()
                func ms(_ q: Double) -> String {
                    let d = samples[min(samples.count - 1, Int(Double(samples.count) * q))]
                    return String(format: "%.2f", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000)
                }
                say("\(label)：p50 \(ms(0.5)) ms  p95 \(ms(0.95)) ms  p99 \(ms(0.99)) ms  （\(iterations) 次）")
            }

            let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var done = 0
                        while ContinuousClock.now < deadline {
                            let id = counties[(worker * 104_729 + done * 7919) % counties.count]
                            _ = try await store.units(UnitQuery(), for: office(id))
                            done += 1
                        }
                        return done
                    }
                }
                return try await group.reduce(0, +)
            }
            say("吞吐：\(concurrency) 个并发读取者，\(Int(Double(total) / seconds)) 次列表查询/秒")
        }
    }
}
