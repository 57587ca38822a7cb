import ArgumentParser
import Foundation
import XunchaCore
import XunchaSeed
import XunchaStore

/// `xuncha bench-statistics`: fills a throwaway database with a national-scale year of work (a root,
/// cities, counties; approved working papers with dispositions and tags, leads, rectification tasks,
/// rule improvements, pools) and measures the statistics as a county, a city and the root see them,
/// plus a ledger page. A benchmark, not a test: run it by hand (see docs/performance.md).
struct BenchStatistics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-statistics", abstract: "性能基准：生成全国规模的一年巡察数据，测量统计（县、市汇总、全省汇总、年度综述）与台账页的延迟（会写入指定数据库，请使用专用文件）")

    @OptionGroup var store: StoreOptions
    @Option(help: "县级党委数") var jurisdictions = 1_000
    @Option(help: "市级党委数（县平均分布在各市之下）") var cities = 100
    @Option(help: "每县单位数（至少 30：每县 10 个组各巡察 3 个单位）") var unitsPerCounty = 50
    @Option(help: "已审核通过的问题底稿总数") var findings = 1_000_000
    @Option(help: "整改任务总数") var tasks = 300_000
    @Option(help: "县级统计的测量次数（市级为其四分之一）") var iterations = 200
    @Option(help: "全省汇总的测量次数") var rootIterations = 10
    @Option(help: "吞吐测量的并发数") var concurrency = 8
    @Option(help: "吞吐测量的秒数") var seconds = 5.0
    @Flag(help: "沿用该数据库中此前生成的数据，只测量") var reuse = false

    func validate() throws {
        guard store.database != nil else {
            throw ValidationError("请用 --database 指定一个新的数据库：基准测试会写入上百万条虚构数据")
        }
        guard unitsPerCounty >= 30 else { throw ValidationError("--units-per-county 至少为 30") }
    }

    func run() async throws {
        try await withStore(store) { store, config in
            say("数据库：\(config.database.redacted)")
            if !reuse { try await generate(store) }
            try await measure(store, tree: try await store.existingSyntheticTree())
        }
    }

    func generate(_ store: Store) async throws {
        let started = ContinuousClock.now
        let counties = try await store.generateSyntheticRegister(jurisdictions: jurisdictions, units: jurisdictions * unitsPerCounty, cities: cities) { done, all in
            if done % 100_000 == 0 || done == all { say("  已生成 \(done)/\(all) 家单位") }
        }
        say("名录用时 \(started.duration(to: .now))（1 个省委、\(cities) 个市委、\(jurisdictions) 个县委）")
        let fieldworkStarted = ContinuousClock.now
        _ = try await store.generateSyntheticFieldwork(counties: counties, findings: findings) { done, all in
            if done % 100_000 == 0 || done == all { say("  已生成 \(done)/\(all) 份问题底稿（含分类标签与线索）") }
        }
        say("底稿用时 \(fieldworkStarted.duration(to: .now))")
        let ledgerStarted = ContinuousClock.now
        _ = try await store.generateSyntheticRectification(counties: counties, tasks: tasks) { done, all in
            if done % 100_000 < 1_000 || done == all { say("  已生成 \(done)/\(all) 项整改任务") }
        }
        say("整改台账用时 \(ledgerStarted.duration(to: .now))；生成共用时 \(started.duration(to: .now))")
    }

    func measure(_ store: Store, tree: SyntheticTree) async throws {
        let counties = tree.counties
        let cities = tree.cities.isEmpty ? [tree.root] : tree.cities
        guard !counties.isEmpty else { throw ValidationError("库中没有基准数据：去掉 --reuse 先生成") }
        @Sendable func office(_ committee: SyntheticTree.Committee) -> Actor {
            Actor(kind: .account(UUID()), name: "bench", jurisdictionID: committee.id, jurisdictionPath: committee.path, roles: [.officeStaff], unitID: nil)
        }
        let today = CalendarDay(Date())
        let year = StatisticsFilter(from: CalendarDay(year: today.year, month: 1, day: 1), to: CalendarDay(year: today.year, month: 12, day: 31))
        func rolledUp(_ committee: SyntheticTree.Committee, _ filter: StatisticsFilter = .init()) -> StatisticsFilter {
            var filter = filter
            filter.jurisdictionID = committee.id
            filter.rollUp = true
            return filter
        }

        // The whole country's figures once, to show the shape of the data the timings are about.
        let whole = try await store.statistics(rolledUp(tree.root), for: office(tree.root))
        if let f = whole.findings {
            say("全省：问题 \(f.total)（立行立改 \(f.immediate)、限期整改 \(f.deadline)、线索 \(f.lead)、未处置 \(f.untriaged)），不予认定 \(f.notRecognised)")
            say("  分类：" + f.byClassification.map { "\($0.family.title) \($0.family.count)" }.joined(separator: "，"))
        }
        if let l = whole.leads { say("  线索：登记 \(l.registered)、移交 \(l.transferred)、逾期未反馈 \(l.feedbackOverdue)、已反馈 \(l.answered)（四种形态 \(l.byForm.map(String.init).joined(separator: "/"))）") }
        if let r = whole.rectification { say("  整改：任务 \(r.tasks)、未完成 \(r.open)、已销号 \(r.closed)、逾期 \(r.overdue)") }
        if let r = whole.ruleImprovements { say("  制度完善 \(r.total)（新建 \(r.established)、修订 \(r.revised)）") }
        if let p = whole.pools { say("  组长库 \(p.leaderPool) 人、人才库 \(p.talentPool) 人、\(p.drawnByRound.count) 轮") }
        say("  单位：被巡察 \(whole.unitsInspected ?? 0) / 名录 \(whole.unitsRegistered ?? 0)")

        let iterations = self.iterations
        try await Bench.measure("县委巡察办：本县统计（不限期间）", iterations: iterations) { i in
            let county = counties[(i * 7919) % counties.count]
            _ = try await store.statistics(for: office(county))
        }
        try await Bench.measure("县委巡察办：本县本年度统计", iterations: iterations) { i in
            let county = counties[(i * 7919) % counties.count]
            _ = try await store.statistics(year, for: office(county))
        }
        try await Bench.measure("市委巡察办：汇总所辖各县（约 \(counties.count / max(1, cities.count)) 个）", iterations: max(1, iterations / 4)) { i in
            let city = cities[(i * 7919) % cities.count]
            _ = try await store.statistics(rolledUp(city), for: office(city))
        }
        try await Bench.measure("市委巡察办：汇总本年度综述（文字）", iterations: max(1, iterations / 4)) { i in
            let city = cities[(i * 7919) % cities.count]
            _ = try await store.statisticsSummary(rolledUp(city, year), for: office(city))
        }
        try await Bench.measure("省委巡察办：全省汇总（全部 \(counties.count) 个县）", iterations: rootIterations) { _ in
            _ = try await store.statistics(rolledUp(tree.root), for: office(tree.root))
        }
        try await Bench.measure("省委巡察办：全省本年度综述（文字）", iterations: rootIterations) { _ in
            _ = try await store.statisticsSummary(rolledUp(tree.root, year), for: office(tree.root))
        }
        try await Bench.measure("县委巡察办：底稿台账第一页（25 行）", iterations: iterations) { i in
            let page = try await store.findings(FindingQuery(), for: office(counties[(i * 7919) % counties.count]))
            precondition(page.items.count <= 25)
        }
        try await Bench.measure("县委巡察办：整改任务台账第一页（25 行）", iterations: iterations) { i in
            let page = try await store.rectificationTasks(for: office(counties[(i * 7919) % counties.count]))
            precondition(page.items.count <= 25)
        }
        // The rest of the dashboard page: its filter choices and breakdown, and a drill-down (穿透) page.
        try await Bench.measure("县委巡察办：看板筛选项与分单位统计", iterations: iterations) { i in
            let actor = office(counties[(i * 7919) % counties.count])
            _ = try await store.statisticsChoices(.init(), for: actor)
            _ = try await store.statisticsBreakdown(.unit, for: actor)
        }
        try await Bench.measure("县委巡察办：穿透明细第一页（立行立改，25 行）", iterations: iterations) { i in
            let found = try await store.statisticsRecords(.findings(.immediate), origin: RequestOrigin(actor: office(counties[(i * 7919) % counties.count])))
            precondition(found.page.items.count <= 25)
        }
        // As of a past day (截至某日), 70 days back, when most of the synthetic plans had been approved:
        // the breakdown by standing group and the task ledger (see also scripts/bench-http-year).
        var asOf = year
        asOf.asOf = today.adding(days: -70)
        try await Bench.measure("县委巡察办：分巡察组统计（本年度，截至 70 天前）", iterations: iterations) { i in
            _ = try await store.statisticsBreakdown(.group, filter: asOf, zeros: true, for: office(counties[(i * 7919) % counties.count]))
        }
        try await Bench.measure("县委巡察办：整改任务台账第一页（截至 70 天前，25 行）", iterations: iterations) { i in
            let page = try await store.rectificationTasks(TaskFilter(asOf: today.adding(days: -70)), for: office(counties[(i * 7919) % counties.count]))
            precondition(page.items.count <= 25)
        }
        try await Bench.measure("市委巡察办：分党委统计（所辖各县）", iterations: max(1, iterations / 4)) { i in
            let city = cities[(i * 7919) % cities.count]
            _ = try await store.statisticsBreakdown(.committee, filter: rolledUp(city), for: office(city))
        }

        let seconds = self.seconds
        let concurrency = self.concurrency
        let rate = try await Bench.throughput(seconds: seconds, concurrency: concurrency) { i in
            _ = try await store.statistics(for: office(counties[i % counties.count]))
        }
        say("吞吐：\(concurrency) 个并发县委巡察办，\(rate) 次本县统计/秒")
    }
}
