import Foundation
import Testing
import XunchaCore
import XunchaSeed
import XunchaStore
import XunchaTesting

/// The benchmark's synthetic year at a tiny scale: the generators write what the statistics count
/// (dispositions, tags, leads, tasks, rule improvements, pools), and a city's and the root's
/// roll-ups are the sums of their counties.
@Suite("基准数据 store")
struct SyntheticDataTests {
    static func office(_ committee: SyntheticTree.Committee) -> Actor {
        Actor(kind: .account(UUID()), name: "office", jurisdictionID: committee.id, jurisdictionPath: committee.path, roles: [.officeStaff], unitID: nil)
    }

    static func rolledUp(_ committee: SyntheticTree.Committee) -> StatisticsFilter {
        StatisticsFilter(jurisdictionID: committee.id, rollUp: true)
    }

    /// The figures a roll-up adds up, in one list.
    static func counts(_ s: StatisticsFigures) -> [Int] {
        let f = s.findings, l = s.leads, r = s.rectification, rules = s.ruleImprovements
        return [
            s.unitsInspected ?? 0, s.unitsRegistered ?? 0, f?.total ?? 0, f?.immediate ?? 0, f?.deadline ?? 0, f?.lead ?? 0, f?.notRecognised ?? 0, f?.untriaged ?? 0,
            l?.registered ?? 0, l?.transferred ?? 0, l?.feedbackOverdue ?? 0, l?.answered ?? 0, r?.tasks ?? 0, r?.open ?? 0, r?.closed ?? 0, r?.overdue ?? 0,
            rules?.total ?? 0, s.pools?.leaderPool ?? 0, s.pools?.talentPool ?? 0,
        ] + (f?.byClassification.map(\.family.count) ?? []) + (l?.byForm ?? [])
    }

    static func sum(_ lists: [[Int]]) -> [Int] {
        lists.dropFirst().reduce(lists[0]) { total, next in zip(total, next).map(+) }
    }

    @Test(arguments: TestEngine.available)
    func threeCountiesOfThreeHundredPapersAddUpToTheirCitiesAndTheRoot(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let generated = try await store.generateSyntheticRegister(jurisdictions: 3, units: 90, cities: 2)
            _ = try await store.generateSyntheticFieldwork(counties: generated, findings: 300)
            _ = try await store.generateSyntheticRectification(counties: generated, tasks: 60)
            let tree = try await store.existingSyntheticTree()
            #expect(tree.cities.count == 2)
            #expect(tree.counties.map(\.id) == generated)
            #expect(tree.counties.allSatisfy { county in tree.cities.contains { county.path.hasPrefix($0.path) } }, "every county lies under a city")

            let whole = try await store.statistics(Self.rolledUp(tree.root), for: Self.office(tree.root))
            let findings = try #require(whole.findings)
            let split: [Int] = [findings.immediate, findings.deadline, findings.lead, findings.notRecognised, findings.untriaged]
            #expect(
                split == [90, 90, 60, 30, 30],
                "of ten papers three 立行立改, three 限期整改, two 线索, one 不予认定, one untriaged")
            #expect(findings.total == 270)
            #expect(findings.byClassification.map(\.family.code) == ["six_disciplines", "three_major"])
            #expect(findings.byClassification.first?.family.count == 270, "every recognised paper carries 六项纪律, once however many items")
            let leads = try #require(whole.leads)
            #expect(leads.registered > 0 && leads.transferred > 0 && leads.feedbackOverdue > 0 && leads.answered > 0)
            #expect(leads.byForm.reduce(0, +) == leads.answered, "every answered lead names its form")
            let tasks = try #require(whole.rectification)
            #expect(tasks.tasks == 60)
            #expect(tasks.closed > 0 && tasks.overdue > 0 && tasks.open + tasks.closed == 60)
            #expect((whole.ruleImprovements?.total ?? 0) > 0)
            #expect(whole.pools?.leaderPool == 3, "each county's first group leader is in the leader pool")
            #expect(whole.pools?.talentPool == 27)
            #expect(whole.unitsRegistered == 90)

            var countyFigures: [[Int]] = []
            for county in tree.counties { countyFigures.append(Self.counts(try await store.statistics(for: Self.office(county)))) }
            var cityFigures: [[Int]] = []
            for city in tree.cities { cityFigures.append(Self.counts(try await store.statistics(Self.rolledUp(city), for: Self.office(city)))) }
            #expect(Self.sum(countyFigures) == Self.counts(whole))
            #expect(Self.sum(cityFigures) == Self.counts(whole))
            let cityAlone = try await store.statistics(for: Self.office(tree.cities[0]))
            #expect(cityAlone.findings?.total == 0, "a city's own figures leave its counties out unless rolled up")
        }
    }
}
