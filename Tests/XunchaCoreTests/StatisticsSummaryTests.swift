import Foundation
import Testing
import XunchaCore

/// 年度综述: the figures in Chinese prose, as a pure function of fixed figures.
@Suite("统计与年度综述")
struct StatisticsSummaryTests {
    /// Harbin's 2016 figures (哈尔滨市2016年巡察工作), with a made-up ledger.
    static let harbin = StatisticsFigures(
        rounds: 1, batches: 4, unitsInspected: 60, unitsRegistered: 60,
        findings: FindingFigures(total: 815, immediate: 183, deadline: 484, lead: 148, notRecognised: 3, untriaged: 0, byClassification: []),
        leads: LeadFigures(
            registered: 150, transferred: 148,
            byReceiver: [LabelledCount(code: "discipline", title: "纪委监委", count: 140), LabelledCount(code: "organisation", title: "组织部", count: 8)],
            feedbackOverdue: 2, answered: 100, byForm: [80, 16, 3, 1]),
        rectification: RectificationFigures(tasks: 306, open: 27, closed: 279, overdue: 4, averageDaysToClose: 41.25),
        ruleImprovements: RuleImprovementFigures(total: 21, established: 9, revised: 12))

    @Test func theClassificationSentenceNamesEachFamilyTheFindingsCarry() {
        func family(_ code: String, _ title: String, _ count: Int) -> ClassificationFigures {
            ClassificationFigures(family: LabelledCount(code: code, title: title, count: count), items: [])
        }
        let families = [
            family("six_disciplines", "六项纪律", 412), family("four_winds", "四风", 96), family("fiscal_funds", "违规使用财政资金", 57),
            family("three_major", "三大问题", 203),
        ]
        #expect(Statistics.classificationSentence(families) == "按问题类别，违反六项纪律问题412个，其中四风问题96个、违规使用财政资金问题57个；三大问题203个。")
        #expect(Statistics.classificationSentence([family("three_major", "三大问题", 5), family("four_winds", "四风", 0)]) == "按问题类别，三大问题5个。")
        #expect(Statistics.classificationSentence([]) == nil)
    }

    @Test func theSummaryReadsLikeTheYearEndReport() {
        #expect(
            Statistics.summary(Self.harbin)
                == "分4批次共巡察60个党组织（单位），发现问题815个，其中立行立改183件、列入问题清单484个，移交问题线索148条（纪委监委140条、组织部8条）。"
                + "已反馈办理结果的线索中，运用第一、二种形态处理的占96.0%，逾期未反馈2条。"
                + "整改任务306项，已销号279项，整改率91.2%，正在整改27项（其中逾期4项），平均41.3天销号。"
                + "制定完善制度21项，其中新建9项、修订完善12项。")
    }

    @Test func zeroPartsAndHiddenSectionsAreLeftOut() {
        var figures = Self.harbin
        figures.batches = 1
        figures.unitsRegistered = 80
        figures.findings?.immediate = 0
        figures.leads = nil
        figures.rectification = nil
        figures.ruleImprovements = RuleImprovementFigures(total: 2, established: 2, revised: 0)
        #expect(Statistics.summary(figures) == "共巡察60个党组织（单位），占应巡察单位的75.0%，发现问题815个，其中列入问题清单484个。制定完善制度2项。")
    }

    @Test func aUnitsSummaryHasOnlyItsLedger() {
        let unit = StatisticsFigures(rectification: RectificationFigures(tasks: 3, open: 2, closed: 1, overdue: 0, averageDaysToClose: nil))
        #expect(Statistics.summary(unit) == "整改任务3项，已销号1项，整改率33.3%，正在整改2项。")
        #expect(Statistics.summary(StatisticsFigures()) == "所选范围内暂无巡察工作数据。")
    }

    @Test func sharesArePercentagesToOneDecimalAndNeverDivideByZero() {
        #expect(Statistics.percent(279.0 / 306.0) == "91.2%")
        #expect(Statistics.percent(1) == "100.0%")
        #expect(Statistics.percent(0.0005) == "0.1%")
        #expect(Statistics.share(1, of: 0) == nil)
        #expect(LeadFigures(registered: 0, transferred: 0, byReceiver: [], feedbackOverdue: 0, answered: 0, byForm: [0, 0, 0, 0]).formsOneAndTwoShare == nil)
        #expect(RectificationFigures(tasks: 0, open: 0, closed: 0, overdue: 0, averageDaysToClose: nil).rate == nil)
    }

    @Test func aPeriodCountsWholeDaysInShanghaiAndMayNotRunBackwards() throws {
        let day = CalendarDay(year: 2026, month: 1, day: 1)
        let range = StatisticsFilter(from: day, to: day).millisecondRange
        // 2026-01-01 00:00 in Shanghai is 2025-12-31 16:00 UTC.
        #expect(range.start == 1_767_196_800_000)
        #expect(range.end == Int64(1_767_283_200_000), "the end is the next day's start")
        let backwards = #expect(throws: DomainError.self) { _ = try StatisticsFilter(from: day, to: CalendarDay(year: 2025, month: 12, day: 31)).validated() }
        #expect(backwards?.code == "invalid_period")
    }
}
