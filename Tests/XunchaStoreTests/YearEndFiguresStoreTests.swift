import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// Every figure a year-end report prints beyond the totals, on the small year of
/// `StatisticsStoreTests.year`: the cross tables, closures on time and late, the leads' handling,
/// the people drawn, the pools, the rules' units, 一托N, the lower committees, and breakdowns that
/// list what has nothing to count.
@Suite("统计 store: 年终报告的各项数字")
struct YearEndFiguresStoreTests {
    @Test(arguments: TestEngine.available)
    func theCrossTablesCountEveryPaperAndEveryAnswerOnce(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await StatisticsStoreTests.year(store)
            let figures = try await store.statistics(today: y.today, for: y.f.actor(.officeStaff))
            let findings = try #require(figures.findings)

            // 问题类别 × 处置方式: four problems and the dropped paper carry 廉洁纪律; one 立行立改 paper also 三大问题.
            let disciplines = try #require(findings.byClassification.first { $0.family.code == "six_disciplines" })
            #expect(disciplines.byDisposition.map(\.code) == ["immediate", "deadline", "lead", "not_recognised", "untriaged"])
            #expect(disciplines.byDisposition.map(\.title) == ["立行立改", "限期整改", "移交问题线索", "不予认定", "待确定处置方式"])
            #expect(disciplines.byDisposition.map(\.count) == [2, 1, 1, 1, 0])
            #expect(disciplines.itemsByDisposition.map(\.row) == [LabelledCount(code: "integrity", title: "廉洁纪律", count: 4)])
            #expect(disciplines.itemsByDisposition.first?.columns.map(\.count) == [2, 1, 1, 1, 0])
            let major = try #require(findings.byClassification.first { $0.family.code == "three_major" })
            #expect(major.byDisposition.map(\.count) == [1, 0, 0, 0, 0])
            #expect(major.family.count == 1 && major.items.map(\.count) == [1], "the family and item counts are unchanged by the cross")

            // 四种形态 × 处置方式: the one answer, 谈话函询 under the first form.
            let leads = try #require(figures.leads)
            #expect(leads.byFormAndMethod.map(\.row.code) == ["1", "2", "3", "4", "none"])
            #expect(leads.byFormAndMethod.map(\.row.count) == [1, 0, 0, 0, 0])
            #expect(leads.byFormAndMethod[0].columns.first { $0.code == "talk_or_letter" }?.count == 1)
            #expect(leads.byFormAndMethod[0].columns.map(\.code) == DispositionMethod.allCases.map(\.rawValue))
            #expect(leads.formsOneAndTwoShare == 1)
            #expect(leads.formsOneAndTwoShareOfAnswered == 1)

            // 线索办理情况 as of day 15: the paper's lead awaits its receiver, the interview's is answered.
            #expect(leads.byHandling.map(\.code) == ["pending", "transferred", "received", "answered", "closed", "dismissed", "withdrawn"])
            #expect(leads.byHandling.map(\.count) == [0, 1, 0, 1, 0, 0, 0])
            let leading = y.f.origin(.leadingGroupMember)
            for state in leads.byHandling {
                let measure = StatisticsMeasure.leads(.handling(try #require(LeadHandling(rawValue: state.code))))
                #expect(try StatisticsMeasure(code: measure.code) == measure)
                #expect(try await store.statisticsRecords(measure, today: y.today, origin: leading).total == state.count, "\(state.code)")
            }
            #expect(leads.bySubject.map(\.count) == [2, 0, 0] && leads.byAuthority.map(\.count) == [2, 0, 0])
        }
    }

    /// A lead dismissed after the as-of day was, on that day, a lead still being weighed: the
    /// registered count, its nature and level and its handling read it so, as does the drill-down.
    @Test(arguments: TestEngine.available)
    func aLeadDismissedAfterTheDayCountsAsPendingOnIt(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.onSite(store)
            let today = CalendarDay(store.clock.now())
            let lead = try await store.registerLead(
                in: t.finance.id, details: Scenario.leadDetails(), origin: t.member, dated: BusinessDate(day: today.adding(days: -10), reason: "补录"))
            _ = try await store.take(LeadStep.dismiss, on: lead.id, input: LeadStepInput(note: "不具备可查性"), version: lead.version, origin: t.leader)
            let office = t.f.actor(.officeStaff)
            for (day, registered, pending, dismissed) in [(today.adding(days: -1), 1, 1, 0), (today, 0, 0, 1)] {
                let leads = try #require(try await store.statistics(StatisticsFilter(asOf: day), for: office).leads)
                #expect(leads.registered == registered, "as of \(day)")
                #expect(leads.bySubject.map(\.count).reduce(0, +) == registered)
                #expect(leads.byHandling.first { $0.code == "pending" }?.count == pending)
                #expect(leads.byHandling.first { $0.code == "dismissed" }?.count == dismissed)
                #expect(try await store.statisticsRecords(.leads(.registered), filter: StatisticsFilter(asOf: day), origin: t.f.origin(.leadingGroupMember)).total == registered)
            }
        }
    }

    /// An answer without a form counts among the answered leads but not among those handled
    /// under 四种形态: the two shares part.
    @Test(arguments: TestEngine.available)
    func theTwoSharesOfFormsOneAndTwoCountWhatTheirLabelsSay(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await StatisticsStoreTests.year(store)
            try await store.database.transaction { db in
                try await db.raw(
                    "UPDATE leads SET status = 'answered', answered_at = transferred_at + 1000, received_at = transferred_at + 500, method = 'closed_without_action', form = NULL WHERE status = 'transferred'"
                ).run()
            }
            let leads = try #require(try await store.statistics(today: y.today, for: y.f.actor(.officeStaff)).leads)
            #expect(leads.answered == 2)
            #expect(leads.formsOneAndTwoShare == 1, "the one answer that applied a form applied the first")
            #expect(leads.formsOneAndTwoShareOfAnswered == 0.5, "one of the two answered leads")
            #expect(leads.byFormAndMethod.last?.row == LabelledCount(code: "none", title: "未运用“四种形态”", count: 1))
            #expect(leads.byFormAndMethod.last?.columns.first { $0.code == "closed_without_action" }?.count == 1)
            #expect(leads.byHandling.map(\.count) == [0, 0, 0, 2, 0, 0, 0])
            let summary = try await store.statisticsSummary(today: y.today, for: y.f.actor(.officeStaff))
            #expect(summary.contains("已反馈办理结果的线索中，运用第一、二种形态处理的占50.0%，占运用“四种形态”处理的100.0%"), "\(summary)")
        }
    }

    /// A task closed on its deadline day is on time, one closed the day after is late; a closure
    /// after the as-of day is neither.
    @Test(arguments: TestEngine.available)
    func closuresOnOrBeforeTheDeadlineDayAreOnTimeAndLaterOnesLate(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await StatisticsStoreTests.year(store)
            let office = y.f.actor(.officeStaff)
            let start = try #require(try await store.database.read { db in
                try await db.raw("SELECT MIN(created_at) AS at FROM rectification_tasks").first()?.decode(column: "at", as: Int64.self)
            })
            let day: Int64 = 86_400_000
            // Deadlines are day 10, 20 and 30; the second closed on day 5 (the year's own data).
            try await store.database.transaction { db in
                try await db.raw(
                    "UPDATE rectification_tasks SET status = 'closed', closed_at = \(bind: start + 11 * day) WHERE deadline = \(bind: y.t.today.adding(days: 10).description)"
                ).run()
                try await db.raw(
                    "UPDATE rectification_tasks SET status = 'closed', closed_at = \(bind: start + 30 * day) WHERE deadline = \(bind: y.t.today.adding(days: 30).description)"
                ).run()
            }
            let now = try #require(try await store.statistics(today: y.later, for: office).rectification)
            #expect([Int](arrayLiteral: now.closed, now.closedOnTime, now.closedLate) == [3, 2, 1], "day 30 on its deadline day is on time, day 11 after day 10 late")
            let then = try #require(try await store.statistics(today: y.today, for: office).rectification)
            #expect([Int](arrayLiteral: then.closed, then.closedOnTime, then.closedLate) == [2, 1, 1], "as of day 15 the task closed on day 30 is still open")
            #expect(try await store.statisticsSummary(today: y.today, for: office).contains("已销号2项（其中逾期销号1项）"))
            let origin = y.f.origin(.officeStaff)
            #expect(try await store.statisticsRecords(.tasks(.closedOnTime), today: y.later, origin: origin).total == 2, "each closure figure lists its tasks")
            #expect(try await store.statisticsRecords(.tasks(.closedLate), today: y.later, origin: origin).total == 1)
            #expect(try StatisticsMeasure(code: "tasks.closed_late") == .tasks(.closedLate))
        }
    }

    @Test(arguments: TestEngine.available)
    func thePeopleThePoolsTheGroupsAndTheRulesUnitsAreCounted(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await StatisticsStoreTests.year(store)
            let figures = try await store.statistics(today: y.today, for: y.f.actor(.officeStaff))

            // 第一巡察组 inspects two units in the batch, 第二巡察组 one.
            #expect(figures.groupRounds == 2)
            #expect(figures.groupsByLoad == [
                LabelledCount(code: "1", title: "一托一", count: 1), LabelledCount(code: "2", title: "一托二", count: 1), LabelledCount(code: "3", title: "一托三", count: 0),
            ])
            let pools = try #require(figures.staffing)
            #expect(figures.pools?.leaderPool == 1)
            #expect(pools.drawn == 2, "张组长 and 周审计")
            #expect(pools.drawnByRole.map(\.title) == ["组长", "副组长", "组员", "联络员"])
            #expect(pools.drawnByRole.map(\.count) == [1, 0, 1, 0])
            #expect(pools.leaderPoolByRank.map(\.code) == LeaderRank.allCases.map(\.rawValue) + ["unranked"])
            #expect(pools.leaderPoolByRank.first { $0.code == "division_chief" }?.count == 1)
            #expect(pools.leaderPoolByRank.map(\.count).reduce(0, +) == figures.pools?.leaderPool)
            #expect(pools.byCategory.map(\.count) == [1, 1, 0, 1, 1, 0, 0, 0], "纪检, 组织, 审计 and 财政, one each")
            #expect(figures.unitsImprovingRules == 1, "市财政局")
            #expect(figures.lowerCommittees == nil, "only a roll-up has lower committees")

            let details = try #require(Statistics.summaryDetails(figures))
            #expect(details == "派出巡察组2个（组次），其中一托二1个。抽调巡察干部2人（组长1人、组员1人）；组长库1人、人才库3人。1个被巡察单位建立完善制度。")
            #expect(Statistics.printedSummary(figures) == Statistics.summary(figures) + details)

            let member = try await store.statistics(today: y.today, for: y.f.actor(.groupMember))
            #expect(member.groupRounds == 1 && member.groupsByLoad?.map(\.count) == [0, 1, 0], "a member counts the own group only")
        }
    }

    /// A rolled-up city counts its counties: one ran a 专项巡察 round with one group.
    @Test(arguments: TestEngine.available)
    func aRolledUpCityCountsItsLowerCommitteesRoundsByKindAndGroups(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await StatisticsStoreTests.year(store)
            let round = UUID()
            try await store.database.transaction { db in
                try await db.raw(
                    """
                    INSERT INTO rounds (jurisdiction_id, id, term, sequence, kind, theme, planned_start, planned_end, status, max_units_per_group, created_at, updated_at, version)
                    VALUES (\(bind: y.f.countyA.id.text), \(bind: round.text), '十五届', 1, 'special', NULL, \(bind: y.t.today.description), \(bind: y.later.description),
                        'approved', 3, 0, 0, 1)
                    """
                ).run()
                try await db.raw(
                    "INSERT INTO inspection_groups (jurisdiction_id, id, round_id, name, authorisation, created_at) VALUES (\(bind: y.f.countyA.id.text), \(bind: UUID().text), \(bind: round.text), '第一巡察组', NULL, 0)"
                ).run()
            }
            let office = y.f.actor(.officeStaff)
            let rolled = try await store.statistics(StatisticsFilter(rollUp: true), today: y.today, for: office)
            let lower = try #require(rolled.lowerCommittees)
            #expect([Int](arrayLiteral: lower.committees, lower.withRounds, lower.groups, lower.rounds) == [2, 1, 1, 1])
            #expect(lower.roundsByKind.map(\.code) == RoundKind.allCases.map(\.rawValue))
            #expect(lower.roundsByKind.first { $0.code == "special" }?.count == 1)
            #expect(try await store.statisticsSummary(StatisticsFilter(rollUp: true), today: y.today, for: office).hasSuffix("下级党委2个，其中1个开展巡察1轮，派出巡察组1个。"))
            let before = try await store.statistics(StatisticsFilter(rollUp: true), today: y.t.today.adding(days: -1), for: office)
            #expect(before.lowerCommittees?.rounds == 0, "a round planned after the as-of day is not yet counted")
            #expect(try await store.statistics(StatisticsFilter(roundID: y.t.onSite.round.id, rollUp: true), today: y.today, for: office).lowerCommittees == nil)
            #expect((lower.withLeadingGroup, lower.withOffice) == (0, 0), "nothing recorded, nothing counted")

            // Each county records its own leading group and office (本级参数).
            for (county, actor, organisation) in [
                (y.f.countyA.id, y.f.countyAOffice, InspectionOrganisation(hasLeadingGroup: true, hasOffice: true)),
                (y.f.countyB.id, y.f.countyBOffice, InspectionOrganisation(hasLeadingGroup: true, hasOffice: false)),
            ] {
                _ = try await store.changeSettings(
                    of: county, maxUnitsPerGroup: nil, recentWorkYears: nil, organisation: organisation, version: 0, origin: RequestOrigin(actor: actor))
            }
            let recorded = try #require(try await store.statistics(StatisticsFilter(rollUp: true), today: y.today, for: office).lowerCommittees)
            #expect((recorded.withLeadingGroup, recorded.withOffice) == (2, 1))
            #expect(try await store.statisticsSummary(StatisticsFilter(rollUp: true), today: y.today, for: office).hasSuffix(
                "下级党委2个，成立巡察工作领导小组2个、设立巡察机构1个，其中1个开展巡察1轮，派出巡察组1个。"))
            #expect(try await store.settings(of: y.f.countyB.id, for: y.f.countyBOffice).organisation == InspectionOrganisation(hasLeadingGroup: true))
        }
    }

    /// With zeros, the breakdowns list the units and committees in scope that have nothing to count.
    @Test(arguments: TestEngine.available)
    func breakdownsWithZerosListTheUnitsAndCommitteesThatHaveNothingToCount(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await StatisticsStoreTests.year(store)
            let office = y.f.actor(.officeStaff)
            let units = try await store.statisticsBreakdown(.unit, today: y.today, zeros: true, for: office)
            #expect(units.map(\.name) == ["市财政局", "市教育局", "市卫生健康委员会"], "the unit with nothing to count comes last")
            #expect(units.last.map { [$0.findings, $0.tasks, $0.leadsTransferred] } == [0, 0, 0])
            let committees = try await store.statisticsBreakdown(.committee, filter: StatisticsFilter(rollUp: true), today: y.today, zeros: true, for: office)
            #expect(committees.count == 3, "the city and its two counties")
            #expect(committees.first?.id == y.f.city.id)
            #expect(committees.dropFirst().allSatisfy { $0.findings == 0 && $0.unitsInspected == 0 })
            let member = try await store.statisticsBreakdown(.unit, today: y.today, zeros: true, for: y.f.actor(.groupMember))
            #expect(Set(member.map(\.name)) == ["市财政局", "市教育局"], "a member's zeros are the own group's units only")
            let secondGroup = try await store.statisticsBreakdown(.unit, filter: StatisticsFilter(groupID: y.t.onSite.staffed.second.id), today: y.today, zeros: true, for: office)
            #expect(secondGroup.map(\.name) == ["市卫生健康委员会"])
            #expect(try await store.statisticsBreakdown(.unit, today: y.today, limit: 2, zeros: true, for: office).count == 2, "the rows with figures fill the limit")
        }
    }
}
