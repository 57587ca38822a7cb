import ArgumentParser
import Foundation
import XunchaCore
import XunchaSeed
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
    @Option(help: "问题底稿总数（0 则不测巡察工作材料）") var findings = 1_000_000
    @Option(help: "整改任务总数（0 则不测整改台账）") var tasks = 1_000_000
    @Flag(help: "沿用该数据库中此前生成的数据，只测巡察工作材料与整改台账的查询（尚无整改数据时先生成）") var reuse = false
    @Flag(help: "与 --reuse 同用：只测整改台账") var rectificationOnly = false

    func validate() throws {
        guard store.database != nil else {
            throw ValidationError("请用 --database 指定一个新的数据库文件：基准测试会写入上百万条虚构数据")
        }
    }

    func run() async throws {
        try await withStore(store) { store, config in
            say("数据库：\(config.database.redacted)")
            @Sendable func office(_ id: UUID) -> Actor {
                Actor(kind: .account(UUID()), name: "bench", jurisdictionID: id, jurisdictionPath: "", roles: [.officeStaff], unitID: nil)
            }
            if reuse {
                let (counties, fieldwork) = try await store.existingSyntheticFieldwork()
                if !rectificationOnly { try await measureFieldwork(store, counties: counties, fieldwork: fieldwork, office: office) }
                guard tasks > 0 else { return }
                let ledger: SyntheticRectification
                if let existing = try await store.existingSyntheticRectification() {
                    ledger = existing
                } else {
                    ledger = try await generateRectification(store, counties: counties)
                }
                try await measureRectification(store, counties: counties, ledger: ledger, office: office)
                return
            }
            let started = ContinuousClock.now
            let counties = try await store.generateSyntheticRegister(jurisdictions: jurisdictions, units: units) { done, all in
                if done % 100_000 == 0 || done == all { say("  已生成 \(done)/\(all) 家单位") }
            }
            say("生成用时 \(started.duration(to: .now))")
            for line in try await store.explainUnitPage(jurisdictionID: counties[0], search: nil) { say("  查询计划：\(line)") }

            let queries: [(String, @Sendable (UUID) -> UnitQuery)] = [
                ("第一页（按名称）", { _ in UnitQuery() }),
                ("按类型筛选", { _ in UnitQuery(type: .school) }),
                ("名称搜索“村”", { _ in UnitQuery(search: "村") }),
                ("按录入时间倒序", { _ in UnitQuery(sort: .created, order: .descending) }),
            ]
            for (label, make) in queries {
                try await Self.measure(label, iterations: iterations) { i in
                    let id = counties[(i * 7919) % counties.count]
                    let page = try await store.units(make(id), for: office(id))
                    precondition(page.items.count <= 25)
                }
            }

            let rate = try await Self.throughput(seconds: seconds, concurrency: concurrency) { i in
                _ = try await store.units(UnitQuery(), for: office(counties[i % counties.count]))
            }
            say("吞吐：\(concurrency) 个并发读取者，\(rate) 次列表查询/秒")

            guard findings > 0 else { return }
            let fieldworkStarted = ContinuousClock.now
            let fieldwork = try await store.generateSyntheticFieldwork(counties: counties, findings: findings) { done, all in
                if done % 100_000 == 0 || done == all { say("  已生成 \(done)/\(all) 份问题底稿") }
            }
            say("生成用时 \(fieldworkStarted.duration(to: .now))（每县 1 轮、10 个组、30 项派驻任务，组员签署承诺后按本组范围查看）")
            try await measureFieldwork(store, counties: counties, fieldwork: fieldwork, office: office)

            guard tasks > 0 else { return }
            let ledger = try await generateRectification(store, counties: counties)
            try await measureRectification(store, counties: counties, ledger: ledger, office: office)
        }
    }

    func generateRectification(_ store: Store, counties: [UUID]) async throws -> SyntheticRectification {
        let started = ContinuousClock.now
        let ledger = try await store.generateSyntheticRectification(counties: counties, tasks: tasks) { done, all in
            if done % 100_000 < 1_000 || done == all { say("  已生成 \(done)/\(all) 项整改任务") }
        }
        say("生成用时 \(started.duration(to: .now))（每项派驻任务 1 份反馈意见、约 10 个问题、1 份已审核通过的整改方案）")
        return ledger
    }

    /// The rectification ledger (整改台账) as the office, a unit contact and a responsible cadre see it.
    func measureRectification(_ store: Store, counties: [UUID], ledger: SyntheticRectification, office: @escaping @Sendable (UUID) -> Actor) async throws {
        let counties = counties.filter { ledger.contactUnits[$0] != nil }
        guard !counties.isEmpty else { return }
        @Sendable func contact(_ county: UUID) -> Actor {
            Actor(kind: .account(UUID()), name: "bench.contact", jurisdictionID: county, jurisdictionPath: "", roles: [.unitContact], unitID: ledger.contactUnits[county])
        }
        @Sendable func owner(_ county: UUID) -> Actor {
            Actor(kind: .account(ledger.ownerAccounts[county]!), name: "bench.owner", jurisdictionID: county, jurisdictionPath: "", roles: [.taskOwner], unitID: nil)
        }
        for line in try await store.explainTaskPage(jurisdictionID: counties[0], warning: .red) { say("  查询计划（红色预警）：\(line)") }
        for line in try await store.explainTaskPage(jurisdictionID: counties[0], warning: .yellow) { say("  查询计划（黄色预警）：\(line)") }
        let sample = counties[0]
        let first = try await store.rectificationTasks(for: office(sample)).items.count
        let red = try await store.rectificationTasks(TaskFilter(warning: .red), for: office(sample)).items.count
        let yellow = try await store.rectificationTasks(TaskFilter(warning: .yellow), for: office(sample)).items.count
        let unitPage = try await store.rectificationTasks(for: contact(sample)).items.count
        let ownPage = try await store.rectificationTasks(for: owner(sample)).items.count
        let overdueUnits = try await store.overdueCounts(byPerson: false, for: office(sample)).count
        say("  样例（第一个县）：本级第一页 \(first) 项，红色 \(red) 项，黄色 \(yellow) 项，联络员 \(unitPage) 项，责任人 \(ownPage) 项，逾期单位 \(overdueUnits) 个")
        let taskQueries: [(String, @Sendable (UUID) -> (TaskFilter, Actor))] = [
            ("巡察办：任务清单第一页（按完成时限）", { (TaskFilter(), office($0)) }),
            ("巡察办：红色预警（逾期）", { (TaskFilter(warning: .red), office($0)) }),
            ("巡察办：黄色预警", { (TaskFilter(warning: .yellow), office($0)) }),
            ("巡察办：责任人搜索“建华”", { (TaskFilter(owner: "建华"), office($0)) }),
            ("单位联络员：本单位任务第一页", { (TaskFilter(), contact($0)) }),
            ("整改责任人：本人任务", { (TaskFilter(), owner($0)) }),
        ]
        for (label, make) in taskQueries {
            try await Self.measure(label, iterations: iterations) { i in
                let (filter, actor) = make(counties[(i * 7919) % counties.count])
                let page = try await store.rectificationTasks(filter, for: actor)
                precondition(page.items.count <= 25)
            }
        }
        try await Self.measure("巡察办：问题清单第一页", iterations: iterations) { i in
            let page = try await store.problemLedger(for: office(counties[(i * 7919) % counties.count]))
            precondition(page.items.count <= 25)
        }
        try await Self.measure("巡察办：逾期统计（按单位）", iterations: iterations) { i in
            _ = try await store.overdueCounts(byPerson: false, for: office(counties[(i * 7919) % counties.count]))
        }
        try await Self.measure("巡察办：逾期统计（按责任人）", iterations: iterations) { i in
            _ = try await store.overdueCounts(byPerson: true, for: office(counties[(i * 7919) % counties.count]))
        }
        try await Self.measure("巡察办：督查清单第一页", iterations: iterations) { i in
            _ = try await store.supervisionChecks(for: office(counties[(i * 7919) % counties.count]))
        }
        try await Self.measure("首页待办：单位联络员", iterations: iterations) { i in
            _ = try await store.rectificationWaiting(for: contact(counties[(i * 7919) % counties.count]))
        }
        try await Self.measure("首页待办：巡察办", iterations: iterations) { i in
            _ = try await store.rectificationWaiting(for: office(counties[(i * 7919) % counties.count]))
        }
        let seconds = self.seconds
        let concurrency = self.concurrency
        let rate = try await Self.throughput(seconds: seconds, concurrency: concurrency) { i in
            _ = try await store.rectificationTasks(for: office(counties[i % counties.count]))
        }
        say("吞吐：\(concurrency) 个并发巡察办，\(rate) 次任务清单查询/秒")
    }

    func measureFieldwork(_ store: Store, counties: [UUID], fieldwork: SyntheticFieldwork, office: @escaping @Sendable (UUID) -> Actor) async throws {
        @Sendable func member(_ county: UUID) -> Actor {
            Actor(kind: .account(fieldwork.memberAccounts[county]!), name: "bench.member", jurisdictionID: county, jurisdictionPath: "", roles: [.groupMember], unitID: nil)
        }
        let fieldworkQueries: [(String, @Sendable (UUID) -> (FindingQuery, Actor))] = [
            ("巡察办：底稿第一页（本级全部）", { (FindingQuery(), office($0)) }),
            ("巡察办：按处置方式筛选", { (FindingQuery(disposition: .lead), office($0)) }),
            ("巡察办：搜索“津补贴”（常见词）", { (FindingQuery(search: "津补贴"), office($0)) }),
            ("巡察办：搜索“合同未经法律审核”（少见词）", { (FindingQuery(search: "合同未经法律审核"), office($0)) }),
            ("巡察办：两字搜索“补贴”", { (FindingQuery(search: "补贴"), office($0)) }),
            ("组员：本组底稿第一页（承诺与回避在 SQL 中判断）", { (FindingQuery(), member($0)) }),
            ("组员：本组搜索“集体决策”", { (FindingQuery(search: "集体决策"), member($0)) }),
        ]
        for (label, make) in fieldworkQueries {
            try await Self.measure(label, iterations: iterations) { i in
                let (query, actor) = make(counties[(i * 7919) % counties.count])
                let page = try await store.findings(query, for: actor)
                precondition(page.items.count <= 25)
            }
        }
        let wide = Actor(kind: .consoleOperator, name: "bench.console", jurisdictionID: nil, jurisdictionPath: "/", roles: [], unitID: nil)
        try await Self.measure("全国范围（全文索引）：搜索“合同未经法律审核”", iterations: max(1, iterations / 10)) { _ in
            _ = try await store.findings(FindingQuery(search: "合同未经法律审核"), for: wide)
        }
        let seconds = self.seconds
        let concurrency = self.concurrency
        let memberRate = try await Self.throughput(seconds: seconds, concurrency: concurrency) { i in
            _ = try await store.findings(FindingQuery(), for: member(counties[i % counties.count]))
        }
        say("吞吐：\(concurrency) 个并发组员，\(memberRate) 次底稿列表查询/秒")
    }

    /// Calls `body` from `concurrency` workers for `seconds` and returns the calls per second. Each
    /// call gets its own index (spread over the data by a prime stride), so workers vary what they read.
    static func throughput(seconds: Double, concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Int {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var done = 0
                    while ContinuousClock.now < deadline {
                        try await body(worker * 104_729 + done * 7919)
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return Int(Double(total) / seconds)
    }

    /// Runs `body` `iterations` times and prints the latency percentiles.
    static func measure(_ label: String, iterations: Int, _ body: (Int) async throws -> Void) async throws {
        var samples: [Duration] = []
        for i in 0..<iterations {
            let t = ContinuousClock.now
            try await body(i)
            samples.append(t.duration(to: .now))
        }
        samples.sort()
        func ms(_ q: Double) -> String {
            let d = samples[min(samples.count - 1, Int(Double(samples.count) * q))]
            return String(format: "%.2f", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000)
        }
        say("\(label)：p50 \(ms(0.5)) ms  p95 \(ms(0.95)) ms  p99 \(ms(0.99)) ms  （\(iterations) 次）")
    }
}

/// `xuncha bench-proposal`: the team proposal for a round of a hundred units from a pool of
/// thousands, in memory (the store adds two indexed reads around it).
struct BenchProposal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-proposal", abstract: "性能基准：大规模人才库上的组建建议")

    @Option(help: "人才库人数") var pool = 3_000
    @Option(help: "被巡察单位数") var units = 100
    @Option(help: "测量次数") var iterations = 20

    func run() async throws {
        let now = Date()
        let categories = DepartmentCategory.allCases
        let targets = (0..<units).map { UnitRef(id: UUID(), name: "单位\($0)") }
        let cadres = (0..<pool).map { n -> Inspector in
            // Every tenth cadre has a planted conflict: works at, or has a relative in, a target unit.
            let home = n % 10 == 0 ? targets[n % targets.count] : nil
            let relative = n % 10 == 5 ? [FamilyRelation(unitID: targets[(n / 10) % targets.count].id, unitName: targets[(n / 10) % targets.count].name, relation: "配偶", personName: "某")] : []
            return InspectorDraft(
                name: "干部\(n)", homeUnitID: home?.id, homeUnitName: home?.name ?? "其他单位\(n % 300)", category: categories[n % categories.count],
                rank: n % 15 == 0 ? .divisionChief : nil, inLeaderPool: n % 15 == 0, inTalentPool: n % 15 != 0, relations: relative
            ).inspector(id: UUID(), jurisdictionID: UUID(), at: now)
        }
        let proposer = TeamProposer(maxUnitsPerGroup: 3, membersPerGroup: 4)
        var samples: [Duration] = []
        var last: TeamProposal?
        for _ in 0..<iterations {
            let t = ContinuousClock.now
            last = proposer.propose(units: targets, pool: cadres, year: 2026, previous: PreviousPairings(), declarations: [])
            samples.append(t.duration(to: .now))
        }
        samples.sort()
        let median = samples[samples.count / 2]
        let worst = samples[samples.count - 1]
        let proposal = last!
        say("组建建议：\(pool) 名干部、\(units) 个单位 → \(proposal.groups.count) 个组，避开回避情形 \(proposal.avoided) 次")
        say("用时：中位数 \(median)，最慢 \(worst)（\(iterations) 次）")
    }
}
