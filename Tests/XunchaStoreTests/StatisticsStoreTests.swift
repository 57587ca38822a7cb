import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 统计: a small year with known totals, counted in SQL; each role counts only its part; a county is
/// in its city's figures only when rolled up.
@Suite("统计 store")
struct StatisticsStoreTests {
    struct Year {
        let t: FeedbackIssued
        var f: Fixture { t.f }
        /// Fifteen days after the feedback: the first task and the transferred leads' feedback are
        /// not yet due, so "today" for the figures is set well after.
        var today: CalendarDay { t.today.adding(days: 15) }
        var later: CalendarDay { t.today.adding(months: 4) }
    }

    /// 市财政局 (deadline + immediate papers, issued feedback, a plan of three tasks, one closed,
    /// one overdue on `today`, a rule improvement) and 市教育局 (an immediate paper with two tags, a
    /// lead paper and a dropped one). Two leads transferred to 纪委监委, one answered as form 1.
    static func year(_ store: Store) async throws -> Year {
        let t = try await Scenario.feedbackIssued(store)
        let s = t.onSite
        let papers: [(String, Disposition, [ClassificationTag])] = [
            ("违规使用公车", .immediate, Scenario.integrity + [ClassificationTag(scheme: "three_major", version: 1, entry: "leadership_weakened")]),
            ("领导干部亲属承揽工程", .lead, Scenario.integrity),
            ("反映的问题查无实据", .dropped, Scenario.integrity),
        ]
        for (title, disposition, tags) in papers {
            _ = try await s.atEducation.triagedPaper(store, as: disposition, content: try Scenario.content(title), tags: tags, triageNote: disposition == .dropped ? "证据不足" : nil, lead: disposition == .lead ? Scenario.leadDetails("王某") : nil)
        }
        // The lead paper registered a lead of its own: transfer it; it will be overdue.
        let custodian = s.f.origin(.leadCustodian)
        let fromPaper = try #require(try await store.leads(LeadQuery(), origin: custodian).items.first)
        _ = try await Scenario.transfer(fromPaper, store, s.f)
        // A lead from an interview: transferred, received and answered as the first form.
        var lead = try await store.registerLead(in: s.finance.id, details: Scenario.leadDetails(), origin: s.member)
        lead = try await Scenario.transfer(lead, store, s.f)
        let receiver = s.f.origin(.disciplineReceiver)
        lead = try await store.take(LeadStep.receive, on: lead.id, input: LeadStepInput(), version: lead.version, origin: receiver)
        _ = try await store.take(
            LeadStep.answer, on: lead.id,
            input: LeadStepInput(disposition: LeadDisposition(method: .talkOrLetter, form: 1, peopleCount: 1, sanctions: nil, judicialTransfer: false, result: "已谈话提醒。")),
            version: lead.version, origin: receiver)

        let (_, tasks) = try await t.approvedPlan(store, deadlines: [10, 20, 30].map { t.today.adding(days: $0) })
        // Closure itself (evidence, review) is tested with the ledger; here the second task is
        // simply recorded as closed five days after it was created.
        try await store.database.transaction { db in
            try await db.raw("UPDATE rectification_tasks SET status = 'closed', closed_at = created_at + 432000000 WHERE id = \(bind: tasks[1].id.text)").run()
        }
        _ = try await store.recordRuleImprovement(
            RuleImprovementDraft(
                title: "市财政局“三重一大”决策制度实施办法（修订）", kind: .revised, adoptedOn: t.today, unitID: s.finance.unitID, description: "修订议事规则",
                problemIDs: [t.problem.id]),
            origin: s.office)
        return Year(t: t)
    }

    /// 截至某日: figures read as of a day say the same however much later they are read, since what
    /// happened after the day does not count on it.
    @Test(arguments: TestEngine.available)
    func figuresAsOfADayReadTheSameLater(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStore(engine, clock: clock) { store in
            let y = try await Self.year(store)
            let office = y.f.actor(.officeStaff)
            let asOfThen = try await store.statistics(today: y.today, for: office)
            #expect(asOfThen.rectification?.overdue == 1, "the task due on day 10 is open and overdue on day 15")

            // Fifty days on, that task is closed and the transferred lead answered.
            clock.advance(by: 50 * 86_400)
            try await store.database.transaction { db in
                try await db.raw(
                    """
                    UPDATE rectification_tasks SET status = 'closed', closed_at = \(bind: clock.now().epochMilliseconds)
                    WHERE deadline = \(bind: y.t.today.adding(days: 10).description)
                    """
                ).run()
                try await db.raw(
                    "UPDATE leads SET status = 'answered', answered_at = \(bind: clock.now().epochMilliseconds), form = 2 WHERE status = 'transferred'"
                ).run()
                try await db.raw(
                    "UPDATE immediate_rectifications SET status = 'closed', closed_at = \(bind: clock.now().epochMilliseconds) WHERE unit_id = \(bind: y.t.onSite.finance.unitID.text)"
                ).run()
            }
            #expect(try await store.statistics(today: y.today, for: office) == asOfThen, "as of day 15, read on day 50")
            #expect(try await store.statisticsSummary(today: y.today, for: office) == Statistics.summary(asOfThen))
            #expect(try await store.statisticsRecords(.tasks(.overdue), today: y.today, origin: y.f.origin(.officeStaff)).total == 1)

            let now = try await store.statistics(for: office)
            #expect(now.rectification?.closed == 2)
            #expect(now.rectification?.overdue == 1, "the task due on day 30 is still open on day 50 (the one due on day 20 closed on day 5)")
            #expect(now.leads?.answered == 2)
            #expect(now.leads?.byForm == [1, 1, 0, 0])
            #expect(now.findings?.immediateCompleted == 1, "立行立改 completed on day 50")
        }
    }

    @Test(arguments: TestEngine.available)
    func aYearWithKnownTotalsGivesEveryFigureAndTheSummary(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await Self.year(store)
            let figures = try await store.statistics(today: y.today, for: y.f.actor(.officeStaff))

            #expect(figures.rounds == 1)
            #expect(figures.batches == 1)
            #expect(figures.unitsInspected == 3, "市财政局, 市教育局 and 市卫健委 have assignments")
            #expect(figures.unitsRegistered == 3)
            #expect(figures.coverage == 1)
            let findings = try #require(figures.findings)
            #expect([Int](arrayLiteral: findings.total, findings.immediate, findings.deadline, findings.lead, findings.notRecognised, findings.untriaged) == [4, 2, 1, 1, 1, 0])
            #expect(findings.byClassification.map(\.family) == [
                LabelledCount(code: "six_disciplines", title: "六项纪律", count: 4), LabelledCount(code: "three_major", title: "三大问题", count: 1),
            ])
            #expect(findings.byClassification.first { $0.family.code == "six_disciplines" }?.items == [LabelledCount(code: "integrity", title: "廉洁纪律", count: 4)])
            let leads = try #require(figures.leads)
            #expect([Int](arrayLiteral: leads.registered, leads.transferred, leads.answered, leads.feedbackOverdue) == [2, 2, 1, 0])
            #expect(leads.byReceiver.map(\.count) == [2, 0])
            #expect(leads.byForm == [1, 0, 0, 0])
            #expect(leads.formsOneAndTwoShare == 1)
            #expect(leads.bySubject.map(\.count) == [2, 0, 0], "both about 违纪违法, every nature listed")
            #expect(leads.byAuthority.map(\.title) == ["本级党委管理干部", "下级党组织管理干部", "非干部或其他人员"])
            #expect(leads.byAuthority.map(\.count) == [2, 0, 0])
            #expect(findings.immediateCompleted == 0, "no 立行立改 notice has been closed yet")
            let tasks = try #require(figures.rectification)
            #expect([Int](arrayLiteral: tasks.tasks, tasks.open, tasks.closed, tasks.overdue) == [3, 2, 1, 1])
            #expect(tasks.averageDaysToClose == 5)
            #expect(figures.ruleImprovements == RuleImprovementFigures(total: 1, established: 0, revised: 1))
            #expect(figures.pools == PoolFigures(leaderPool: 1, talentPool: 3, drawnByRound: [RoundDraw(roundID: y.t.onSite.round.id, title: "十五届第1轮", inspectors: 2)]))

            #expect(try await store.statistics(today: y.later, for: y.f.actor(.officeStaff)).leads?.feedbackOverdue == 1, "the unanswered lead is overdue after three months")
            #expect(
                try await store.statisticsSummary(today: y.today, for: y.f.actor(.officeStaff))
                    == "共巡察3个党组织（单位），发现问题4个，其中立行立改2件、列入问题清单1个，移交问题线索2条。"
                    + "按问题类别，违反六项纪律问题4个；三大问题1个。"
                    + "已反馈办理结果的线索中，运用第一、二种形态处理的占100.0%。"
                    + "整改任务3项，已销号1项，整改率33.3%，正在整改2项（其中逾期1项），平均5.0天销号。"
                    + "制定完善制度1项。")

            let filtered = try await store.statistics(StatisticsFilter(unitID: y.t.onSite.education.unitID), today: y.today, for: y.f.actor(.officeStaff))
            #expect(filtered.findings?.total == 2, "the dropped paper is not a problem")
            #expect(filtered.rectification?.tasks == 0)
            #expect(filtered.unitsRegistered == 1)
            let secondGroup = try await store.statistics(StatisticsFilter(groupID: y.t.onSite.staffed.second.id), today: y.today, for: y.f.actor(.officeStaff))
            #expect(secondGroup.unitsInspected == 1)
            #expect(secondGroup.findings?.total == 0)
            #expect(secondGroup.ruleImprovements?.total == 0, "the rule answers a problem of the first group's feedback")
            let firstGroup = try await store.statistics(StatisticsFilter(roundID: y.t.onSite.round.id, groupID: y.t.onSite.staffed.first.id), today: y.today, for: y.f.actor(.officeStaff))
            #expect(firstGroup.ruleImprovements?.total == 1)
            #expect(firstGroup.rectification?.tasks == 3)
            #expect(firstGroup.leads?.registered == 2)
            let tomorrow = try await store.statistics(StatisticsFilter(from: y.t.today.adding(days: 1)), today: y.today, for: y.f.actor(.officeStaff))
            #expect(tomorrow.findings?.total == 0, "the period selects papers by their approval day")
            #expect(tomorrow.unitsInspected == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func eachRoleCountsOnlyItsPartAndTheUnitSeesNoLeadOrFindingCount(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await Self.year(store)
            let leading = try await store.statistics(today: y.today, for: y.f.actor(.leadingGroupMember))
            #expect(leading == (try await store.statistics(today: y.today, for: y.f.actor(.officeStaff))), "the leading group reads what the office reads")

            let member = try await store.statistics(today: y.today, for: y.f.actor(.groupMember))
            #expect(member.unitsInspected == 2, "the first group's two units, not the second group's")
            #expect(member.unitsRegistered == nil)
            #expect(member.findings?.total == 4)
            #expect(member.leads?.transferred == 2)
            #expect(member.rectification?.tasks == 3)
            #expect(member.ruleImprovements == nil)
            #expect(member.pools == nil)

            let unit = try await store.statistics(today: y.today, for: y.f.actor(.unitHead))
            #expect(unit.findings == nil, "nothing that could reveal a lead or a finding")
            #expect(unit.leads == nil)
            #expect(unit.unitsInspected == nil)
            #expect(unit.pools == nil)
            #expect(unit.rectification?.tasks == 3)
            #expect(unit.ruleImprovements?.total == 1)
            let summary = try await store.statisticsSummary(today: y.today, for: y.f.actor(.unitHead))
            #expect(!summary.contains("线索") && !summary.contains("发现问题"))
            await #expect(throws: DomainError.notFound, "another unit is not the unit's to filter on") {
                _ = try await store.statistics(StatisticsFilter(jurisdictionID: y.f.countyA.id), for: y.f.actor(.unitHead))
            }
            let otherUnit = try await store.statistics(StatisticsFilter(unitID: y.t.onSite.education.unitID), today: y.today, for: y.f.actor(.unitHead))
            #expect(otherUnit.rectification?.tasks == 0)
            #expect(otherUnit.ruleImprovements?.total == 0)

            let county = try await store.statistics(today: y.today, for: y.f.countyAOffice)
            #expect(county.unitsInspected == 0)
            #expect(county.findings?.total == 0)
            #expect(county.leads?.registered == 0)
            #expect(county.rectification?.tasks == 0)
            await #expect(throws: DomainError.notFound, "another committee's office sees nothing of the city") {
                _ = try await store.statistics(StatisticsFilter(jurisdictionID: y.f.city.id), for: y.f.countyAOffice)
            }
            for role in [Role.leadCustodian, .disciplineReceiver, .systemAdministrator, .taskOwner] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.statistics(for: y.f.actor(role)) }
            }
        }
    }

    /// Every figure the office reads lists exactly the records it counted; leads are listed to
    /// the leading group (the office counts them but may not open one).
    @Test(arguments: TestEngine.available)
    func everyFigureDrillsDownToTheRecordsItCounted(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await Self.year(store)
            let office = y.f.origin(.officeStaff)
            let figures = try await store.statistics(today: y.today, for: office.actor)
            func listed(_ measure: StatisticsMeasure, as origin: RequestOrigin? = nil) async throws -> Int {
                try await store.statisticsRecords(measure, today: y.today, origin: origin ?? office).total
            }
            let findings = try #require(figures.findings)
            #expect(try await listed(.unitsInspected) == 3, "three assignments, one per unit")
            for (slice, count) in [
                (StatisticsMeasure.FindingSlice.total, findings.total), (.immediate, findings.immediate), (.deadline, findings.deadline), (.lead, findings.lead),
                (.untriaged, findings.untriaged), (.notRecognised, findings.notRecognised),
            ] {
                #expect(try await listed(.findings(slice)) == count, "\(slice)")
            }
            for family in findings.byClassification {
                #expect(try await listed(.classified(family: family.family.code, item: nil)) == family.family.count)
                for item in family.items { #expect(try await listed(.classified(family: family.family.code, item: item.code)) == item.count) }
            }
            let tasks = try #require(figures.rectification)
            for (slice, count) in [(StatisticsMeasure.TaskSlice.all, tasks.tasks), (.open, tasks.open), (.closed, tasks.closed), (.overdue, tasks.overdue)] {
                #expect(try await listed(.tasks(slice)) == count, "\(slice)")
            }
            #expect(try await listed(.rules(.revised)) == 1)
            #expect(try await listed(.rules(.established)) == 0)

            let leading = y.f.origin(.leadingGroupMember)
            let leads = try #require(figures.leads)
            #expect(try await listed(.leads(.registered), as: leading) == leads.registered)
            #expect(try await listed(.leads(.transferred), as: leading) == leads.transferred)
            #expect(try await listed(.leads(.receiver(.discipline)), as: leading) == 2)
            #expect(try await listed(.leads(.form(1)), as: leading) == 1)
            #expect(try await listed(.leads(.answered), as: leading) == 1)
            let reads = try await store.auditEntries(AuditQuery(action: AuditAction.leadViewed.rawValue), origin: y.f.origin(.auditAdministrator))
            #expect(reads.items.contains { $0.event.detail?.hasPrefix("统计明细：") == true }, "listing leads behind a figure is a logged read")

            let immediate = try await store.statisticsRecords(.findings(.immediate), today: y.today, origin: office).page.items
            #expect(Set(immediate.map(\.title)).contains("违规使用公车"))
            #expect(immediate.allSatisfy { $0.state == "立行立改" && $0.kind == .finding })
            let paged = try await store.statisticsRecords(.findings(.total), page: PageRequest(limit: 3), today: y.today, origin: office)
            let rest = try await store.statisticsRecords(
                .findings(.total), page: PageRequest(limit: 3, after: try Cursor(token: try #require(paged.page.nextCursor))), today: y.today, origin: office)
            #expect(paged.page.items.count == 3 && rest.page.items.count == 1)
            #expect(Set((paged.page.items + rest.page.items).map(\.id)).count == 4, "keyset pages neither repeat nor skip")
        }
    }

    /// The rows of 分单位 and 分党委 add up to the totals.
    @Test(arguments: TestEngine.available)
    func theBreakdownsByUnitAndByCommitteeAddUpToTheTotals(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await Self.year(store)
            let office = y.f.actor(.officeStaff)
            let totals = try await store.statistics(today: y.today, for: office)
            let units = try await store.statisticsBreakdown(.unit, today: y.today, for: office)
            #expect(units.map(\.name) == ["市财政局", "市教育局"], "most problems first, then most tasks")
            #expect(units.map(\.findings).reduce(0, +) == totals.findings?.total)
            #expect(units.map(\.immediate).reduce(0, +) == totals.findings?.immediate)
            #expect(units.map(\.deadline).reduce(0, +) == totals.findings?.deadline)
            #expect(units.map(\.leadsTransferred).reduce(0, +) == totals.leads?.transferred)
            #expect(units.map(\.tasks).reduce(0, +) == totals.rectification?.tasks)
            #expect(units.first.map { [$0.tasks, $0.closed, $0.overdue] } == [3, 1, 1])
            #expect(units.last.map { [$0.findings, $0.immediate, $0.leadsTransferred, $0.tasks] } == [2, 1, 1, 0])
            #expect(units.allSatisfy { $0.unitsInspected == nil })

            let committees = try await store.statisticsBreakdown(.committee, filter: StatisticsFilter(rollUp: true), today: y.today, for: office)
            #expect(committees.count == 1, "the counties have nothing to count yet")
            #expect(committees.first?.unitsInspected == totals.unitsInspected)
            #expect(committees.first?.findings == totals.findings?.total)

            #expect(try await store.statisticsBreakdown(.unit, today: y.today, for: y.f.actor(.unitHead)).isEmpty, "a unit has no breakdown to read")

            // The dashboard's filter offers only what the reader counts.
            let city = try await store.statisticsChoices(StatisticsFilter(roundID: y.t.onSite.round.id), for: office)
            #expect(Set(city.committees.map(\.id)) == [y.f.city.id, y.f.countyA.id, y.f.countyB.id], "the office's subtree")
            #expect(city.rounds.map(\.id) == [y.t.onSite.round.id])
            #expect(city.units.count == 3 && city.groups.count == 2)
            let own = try await store.statisticsChoices(StatisticsFilter(roundID: y.t.onSite.round.id), for: y.f.actor(.groupMember))
            #expect(own.committees.isEmpty && own.groups.map(\.id) == [y.t.onSite.staffed.first.id], "a member's own group only")
            #expect(try await store.statisticsChoices(.init(), for: y.f.actor(.unitHead)) == StatisticsChoices(), "a unit is offered nothing")
            #expect(try await store.statisticsChoices(.init(), for: y.f.countyAOffice).rounds.isEmpty, "a county sees none of the city's rounds")
            let member = try await store.statisticsBreakdown(.unit, today: y.today, for: y.f.actor(.groupMember))
            #expect(Set(member.map(\.name)) == ["市财政局", "市教育局"])
        }
    }

    @Test(arguments: TestEngine.available)
    func aDrillDownOpensOnlyWhatTheReaderMayOpen(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await Self.year(store)
            await #expect(throws: DomainError.forbidden, "the office counts leads but opens none") {
                _ = try await store.statisticsRecords(.leads(.transferred), today: y.today, origin: y.f.origin(.officeStaff))
            }
            #expect(!store.mayOpenStatisticsRecords(.lead, for: y.f.actor(.officeStaff)))
            #expect(store.mayOpenStatisticsRecords(.lead, for: y.f.actor(.leadingGroupMember)))
            let unit = y.f.origin(.unitHead)
            for measure in [StatisticsMeasure.findings(.total), .leads(.registered), .unitsInspected] {
                await #expect(throws: DomainError.forbidden, "\(measure.code)") { _ = try await store.statisticsRecords(measure, today: y.today, origin: unit) }
            }
            #expect(try await store.statisticsRecords(.tasks(.all), today: y.today, origin: unit).total == 3, "the unit opens its own tasks")
            let member = try await store.statisticsRecords(.unitsInspected, today: y.today, origin: y.f.origin(.groupMember))
            #expect(member.total == 2, "the first group's own two assignments")
            let city = try await store.statisticsRecords(.findings(.total), filter: StatisticsFilter(rollUp: true), today: y.today, origin: y.f.origin(.officeStaff))
            #expect(city.total == 4)
            await #expect(throws: DomainError.notFound) {
                _ = try await store.statisticsRecords(.findings(.total), filter: StatisticsFilter(jurisdictionID: y.f.city.id), origin: RequestOrigin(actor: y.f.countyAOffice, clientAddress: "127.0.0.1"))
            }
            #expect(throws: DomainError.self) { _ = try StatisticsMeasure(code: "findings.everything") }
            #expect(try StatisticsMeasure(code: "classification.six_disciplines.integrity") == .classified(family: "six_disciplines", item: "integrity"))
            for measure in [StatisticsMeasure.unitsInspected, .leads(.form(2)), .leads(.receiver(.organisation)), .tasks(.overdue), .rules(.all)] {
                #expect(try StatisticsMeasure(code: measure.code) == measure)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aCountyIsInItsCitysFiguresOnlyWhenRolledUp(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let y = try await Self.year(store)
            _ = try await store.createInspector(
                InspectorDraft(name: "赵县组长", homeUnitName: "清河县委组织部", category: .organisation, rank: .divisionChief, inLeaderPool: true, inTalentPool: false),
                in: y.f.countyA.id, origin: RequestOrigin(actor: y.f.countyAOffice, clientAddress: "127.0.0.1"))
            let office = y.f.actor(.officeStaff)

            let city = try await store.statistics(today: y.today, for: office)
            #expect(city.unitsRegistered == 3)
            #expect(city.pools?.leaderPool == 1)
            let rolled = try await store.statistics(StatisticsFilter(rollUp: true), today: y.today, for: office)
            #expect(rolled.unitsRegistered == 5, "the two counties' units join the city's")
            #expect(rolled.coverage == 0.6)
            #expect(rolled.pools?.leaderPool == 2)
            #expect(rolled.findings == city.findings)
            let countyOnly = try await store.statistics(StatisticsFilter(jurisdictionID: y.f.countyA.id), today: y.today, for: office)
            #expect(countyOnly.unitsRegistered == 1, "the city office may look at one county")
            #expect(countyOnly.pools?.leaderPool == 1)
            #expect(countyOnly.findings?.total == 0)
        }
    }
}
