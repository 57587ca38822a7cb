import Foundation
import Testing
import XunchaCore

/// 年度综述 of the further figures: closures late, the two shares of forms one and two, the lower
/// committees, and the details on people and rules that follow the opening.
@Suite("年度综述的补充内容")
struct YearEndSummaryTests {
    @Test func theSummarySaysWhatTheFurtherFiguresCountOnlyWhereAReportWould() {
        var figures = StatisticsSummaryTests.harbin
        figures.rectification?.closedLate = 12
        var leads = figures.leads!
        leads.answered = 120
        figures.leads = leads
        figures.lowerCommittees = LowerCommitteeFigures(
            committees: 18, withRounds: 16, groups: 40,
            roundsByKind: LabelledCount.every(RoundKind.self, in: ["routine": 20, "special": 4]))
        let text = Statistics.summary(figures)
        #expect(text.contains("已反馈办理结果的线索中，运用第一、二种形态处理的占80.0%，占运用“四种形态”处理的96.0%"), "\(text)")
        #expect(text.contains("已销号279项（其中逾期销号12项），整改率91.2%"), "\(text)")
        #expect(text.hasSuffix("下级党委18个，其中16个开展巡察24轮（常规巡察20轮、专项巡察4轮），派出巡察组40个。"), "\(text)")
        #expect(Statistics.summaryDetails(figures) == nil, "no groups, people or rules' units to speak of")
        #expect(Statistics.printedSummary(figures) == text)

        figures.groupRounds = 20
        figures.groupsByLoad = [
            LabelledCount(code: "1", title: GroupLoad.title(1), count: 8), LabelledCount(code: "2", title: GroupLoad.title(2), count: 10),
            LabelledCount(code: "3", title: GroupLoad.title(3), count: 2),
        ]
        figures.unitsImprovingRules = 15
        let details = Statistics.summaryDetails(figures)
        #expect(details == "派出巡察组20个（组次），其中一托二10个、一托三2个。15个被巡察单位建立完善制度。")
        #expect(Statistics.printedSummary(figures) == text + (details ?? ""))
        var poolsOnly = StatisticsFigures(pools: PoolFigures(leaderPool: 3, talentPool: 9, drawnByRound: []))
        poolsOnly.groupRounds = 0
        #expect(Statistics.printedSummary(poolsOnly) == "组长库3人、人才库9人。")
        #expect(GroupLoad.title(11) == "一托11")
    }

    @Test func aFindingsDispositionIsItsColumnOfTheCross() {
        #expect(FindingDisposition(nil) == .untriaged)
        #expect(FindingDisposition(.dropped) == .notRecognised)
        #expect(FindingDisposition.allCases.map(\.title) == ["立行立改", "限期整改", "移交问题线索", "不予认定", "待确定处置方式"])
        #expect(LabelledCount.every(LeadHandling.self, in: ["answered": 2]).map(\.count) == [0, 0, 0, 2, 0, 0, 0])
    }
}
