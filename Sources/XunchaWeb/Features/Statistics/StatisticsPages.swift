import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// `/statistics`: the figures the reader may see as tables, with the year-end summary to copy.
struct StatisticsPages {
    let store: Store
    let pages: PageRenderer

    struct Row {
        let label: String
        let value: String
    }

    struct Table {
        let title: String
        let rows: [Row]
    }

    struct Page {
        let chrome: Chrome
        let from: String
        let to: String
        let rollUp: Bool
        let mayRollUp: Bool
        let summary: String
        let tables: [Table]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/statistics") { request, context in
            let actor = try context.requireActor()
            let filter = try StatisticsController.filter(request.queryDictionary)
            let figures = try await store.statistics(filter, for: actor)
            var mayRollUp = false
            if case .subtree = store.policy.scope(actor, .viewStatistics) { mayRollUp = true }
            let model = Page(
                chrome: Chrome.make(title: "统计与年度综述", active: .statistics, context: context, policy: store.policy),
                from: filter.from?.description ?? "", to: filter.to?.description ?? "", rollUp: filter.rollUp, mayRollUp: mayRollUp,
                summary: Statistics.summary(figures), tables: Self.tables(figures))
            return pages.render("statistics", model)
        }
    }

    static func tables(_ f: StatisticsFigures) -> [Table] {
        func percent(_ share: Double?) -> String { share.map(Statistics.percent) ?? "—" }
        var tables: [Table] = []
        if let units = f.unitsInspected {
            var rows = [Row(label: "轮次", value: "\(f.rounds ?? 0)"), Row(label: "批次", value: "\(f.batches ?? 0)"), Row(label: "已巡察单位", value: "\(units)")]
            if let registered = f.unitsRegistered {
                rows += [Row(label: "名录中的单位", value: "\(registered)"), Row(label: "覆盖率", value: percent(f.coverage))]
            }
            tables.append(Table(title: "巡察覆盖", rows: rows))
        }
        if let findings = f.findings {
            tables.append(Table(title: "发现问题", rows: [
                Row(label: "问题总数", value: "\(findings.total)"), Row(label: "立行立改", value: "\(findings.immediate)"),
                Row(label: "限期整改（列入问题清单）", value: "\(findings.deadline)"), Row(label: "移交问题线索", value: "\(findings.lead)"),
                Row(label: "待确定处置方式", value: "\(findings.untriaged)"), Row(label: "不予认定（不计入总数）", value: "\(findings.notRecognised)"),
            ]))
            for family in findings.byClassification {
                tables.append(Table(title: "按\(family.family.title)分类（\(family.family.count)个）", rows: family.items.map { Row(label: $0.title, value: "\($0.count)") }))
            }
        }
        if let leads = f.leads {
            tables.append(Table(title: "问题线索", rows: [
                Row(label: "登记线索", value: "\(leads.registered)"), Row(label: "已移交", value: "\(leads.transferred)"),
            ] + leads.byReceiver.map { Row(label: "移交\($0.title)", value: "\($0.count)") } + [
                Row(label: "逾期未反馈", value: "\(leads.feedbackOverdue)"), Row(label: "已反馈办理结果", value: "\(leads.answered)"),
            ] + leads.byForm.enumerated().map { Row(label: "第\(["一", "二", "三", "四"][$0.offset])种形态", value: "\($0.element)") } + [
                Row(label: "第一、二种形态占比", value: percent(leads.formsOneAndTwoShare)),
            ]))
        }
        if let tasks = f.rectification {
            tables.append(Table(title: "整改任务", rows: [
                Row(label: "任务总数", value: "\(tasks.tasks)"), Row(label: "整改中", value: "\(tasks.open)"), Row(label: "已销号", value: "\(tasks.closed)"),
                Row(label: "逾期", value: "\(tasks.overdue)"), Row(label: "整改率", value: percent(tasks.rate)),
                Row(label: "平均销号天数", value: tasks.averageDaysToClose.map(Statistics.oneDecimal) ?? "—"),
            ]))
        }
        if let rules = f.ruleImprovements {
            tables.append(Table(title: "制度建设", rows: [
                Row(label: "建立完善制度", value: "\(rules.total)"), Row(label: "其中新建", value: "\(rules.established)"), Row(label: "其中修订完善", value: "\(rules.revised)"),
            ]))
        }
        if let pools = f.pools {
            tables.append(Table(title: "组长库·人才库", rows: [
                Row(label: "组长库", value: "\(pools.leaderPool)"), Row(label: "人才库", value: "\(pools.talentPool)"),
            ] + pools.drawnByRound.map { Row(label: "\($0.title)抽调人员", value: "\($0.inspectors)") }))
        }
        return tables
    }
}
