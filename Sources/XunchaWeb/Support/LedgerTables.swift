import Foundation
import XunchaCore
import XunchaSheets
import XunchaStore

/// The columns of every ledger (台账) that can be exported, each read in full through the same
/// scoped store query as its list, so an export never holds a row its reader could not open.
extension LedgerTable {
    /// 任务清单 or 责任清单: the rectification tasks matching the filter.
    static func tasks(_ store: Store, _ filter: TaskFilter, responsibility: Bool, ordered: PageRequest = PageRequest(), for actor: Actor) async throws -> LedgerTable {
        let thresholds = try await store.warningThresholds(for: actor)
        let today = filter.asOf ?? CalendarDay(store.clock.now())
        let rows = try await LedgerExport.rows(ordered: ordered, { try await store.rectificationTasks(filter, page: $0, for: actor) }) { t in
            let warning = t.warning(on: today, thresholds: thresholds).title
            // A task's number is unique within its unit only; the unit qualifies it, so a sheet of many
            // units sorts and filters by a number that names one task.
            let number = "\(t.unitName) \(t.label)"
            return responsibility
                ? [t.unitName, number, t.content.target, t.content.owners.leader, t.content.owners.department, t.content.owners.cadre,
                   t.content.deadline.description, t.status.title, warning]
                : [t.unitName, number, t.problemText, t.content.target, t.content.measures, t.content.deadline.description, t.content.kind.title,
                   "\(t.progress)%", t.status.title, warning]
        }
        return responsibility
            ? LedgerTable(
                "责任清单",
                columns: [
                    .init("单位", 24), .init("任务编号", 20), .init("整改任务", 40), .init("责任领导", 12), .init("责任部门", 16), .init("责任人", 12),
                    .init("完成时限", 12, .date), .init("状态", 12), .init("预警", 10),
                ], rows: rows, asOf: filter.asOf)
            : LedgerTable(
                "任务清单",
                columns: [
                    .init("单位", 24), .init("任务编号", 20), .init("问题", 40), .init("整改目标", 30), .init("整改措施", 40), .init("完成时限", 12, .date),
                    .init("类别", 10), .init("进度", 8, .percent), .init("状态", 12), .init("预警", 10),
                ], rows: rows, asOf: filter.asOf)
    }

    /// 问题清单: each feedback problem with its tasks counted.
    static func problems(_ store: Store, unit: UUID?, asOf: CalendarDay? = nil, ordered: PageRequest = PageRequest(), for actor: Actor) async throws -> LedgerTable {
        LedgerTable(
            "问题清单",
            columns: [
                .init("单位", 24), .init("反馈意见文号", 22), .init("序号", 6, .number), .init("问题", 50), .init("整改任务数", 10, .count),
                .init("已销号", 8, .count), .init("逾期", 8, .count),
            ],
            rows: try await LedgerExport.rows(ordered: ordered, { try await store.problemLedger(unit: unit, page: $0, today: asOf, for: actor) }) {
                [$0.unitName, $0.feedbackNumber, String($0.sequence), $0.text, String($0.tasks), String($0.closed), String($0.overdue)]
            }, asOf: asOf)
    }

    /// 督查清单: the supervision checks recorded on tasks.
    static func checks(_ store: Store, unit: UUID?, ordered: PageRequest = PageRequest(), for actor: Actor) async throws -> LedgerTable {
        LedgerTable(
            "督查清单",
            columns: [
                .init("单位", 24), .init("任务编号", 20), .init("督查日期", 12, .date), .init("督查主体", 14), .init("督查人", 12), .init("督查方式", 20),
                .init("督查结果", 12), .init("情况说明", 40),
            ],
            rows: try await LedgerExport.rows(ordered: ordered, { try await store.supervisionChecks(unit: unit, page: $0, for: actor) }) {
                [$0.unitName, "\($0.unitName) \($0.taskLabel)", $0.checkedOn.description, $0.body.title, $0.checkerName, $0.method, $0.result.title, $0.note]
            })
    }

    /// 逾期（按单位）or 逾期（按责任人）: counts, one row per unit or person, never long.
    static func overdue(_ store: Store, byPerson: Bool, asOf: CalendarDay? = nil, for actor: Actor) async throws -> LedgerTable {
        let counts = try await store.overdueCounts(byPerson: byPerson, today: asOf, for: actor)
        guard counts.count <= LedgerExport.maximumRows else { throw LedgerExport.tooMany(LedgerExport.maximumRows) }
        return byPerson
            ? LedgerTable(
                "逾期（按责任人）", columns: [.init("责任人", 12), .init("单位", 24), .init("逾期任务数", 10, .count), .init("最早完成时限", 14, .date)],
                rows: counts.map { [$0.name, $0.unitName, String($0.overdue), $0.oldestDeadline.description] }, asOf: asOf)
            : LedgerTable(
                "逾期（按单位）", columns: [.init("单位", 24), .init("逾期任务数", 10, .count), .init("最早完成时限", 14, .date)],
                rows: counts.map { [$0.unitName, String($0.overdue), $0.oldestDeadline.description] }, asOf: asOf)
    }

    /// 问题底稿台账: the working papers the reader may see (never an inspected unit).
    static func findings(_ store: Store, _ query: FindingQuery, for actor: Actor) async throws -> LedgerTable {
        LedgerTable(
            "问题底稿",
            columns: [
                .init("编号", 16), .init("问题标题", 30), .init("被巡察单位", 24), .init("问题表现", 50), .init("定性依据", 30), .init("状态", 10),
                .init("处置方式", 12), .init("起草人", 10), .init("更新时间", 18),
            ],
            rows: try await LedgerExport.rows(ordered: query.page, { page in
                var query = query
                query.page = page
                return try await store.findings(query, for: actor)
            }) {
                [
                    $0.number ?? "", $0.content.title, $0.unitName, $0.content.manifestation, $0.content.basis, $0.status.title, $0.disposition?.title ?? "",
                    $0.draftedBy, Display.time($0.updatedAt),
                ]
            })
    }

    /// 线索台账: the columns of the list, not the lead's content. Each page read is audit-logged
    /// by the store, exactly as reading the list is.
    static func leads(_ store: Store, _ query: LeadQuery, origin: RequestOrigin) async throws -> LedgerTable {
        let today = query.asOf ?? CalendarDay(store.clock.now())
        return LedgerTable(
            "线索台账",
            columns: [
                .init("线索编号", 22), .init("反映对象", 12), .init("职务", 24), .init("所在单位", 24), .init("干部管理权限", 14), .init("问题类别", 16),
                .init("线索来源", 12), .init("状态", 10), .init("接收单位", 12), .init("反馈期限", 12, .date), .init("是否逾期", 8), .init("登记时间", 18),
            ],
            rows: try await LedgerExport.rows(ordered: query.page, { page in
                var query = query
                query.page = page
                return try await store.leads(query, origin: origin)
            }) {
                [
                    $0.number, $0.details.personName, $0.details.personPost ?? "", $0.unitName, $0.details.authority.title, $0.details.subject.title,
                    $0.details.source.title, $0.status.title, $0.receiver?.title ?? "", $0.feedbackDue?.description ?? "", $0.isOverdue(today: today) ? "是" : "否",
                    Display.time($0.createdAt),
                ]
            })
    }

    /// 立行立改台账 (for a unit: the notices it received).
    static func immediates(_ store: Store, assignment: UUID?, status: ImmediateStatus?, for actor: Actor) async throws -> LedgerTable {
        LedgerTable(
            "立行立改",
            columns: [
                .init("通知书编号", 22), .init("被巡察单位", 24), .init("问题", 40), .init("整改要求", 30), .init("完成时限", 12, .date), .init("状态", 10),
                .init("签收人", 10), .init("签收时间", 18), .init("整改措施", 40), .init("销号时间", 18),
            ],
            rows: try await LedgerExport.rows({ try await store.immediateRectifications(assignment: assignment, status: status, page: $0, for: actor) }) {
                [
                    $0.number ?? "", $0.unitName, $0.problem ?? "", $0.requirement ?? "", $0.deadline?.description ?? "", $0.status.title, $0.signedBy ?? "",
                    $0.signedAt.map(Display.time) ?? "", $0.measures ?? "", $0.closedAt.map(Display.time) ?? "",
                ]
            })
    }

    /// 制度台账: rules made or improved because of the feedback.
    static func ruleImprovements(_ store: Store, _ query: RuleImprovementQuery, for actor: Actor) async throws -> LedgerTable {
        LedgerTable(
            "制度台账",
            columns: [
                .init("制度名称", 36), .init("类别", 10), .init("制定单位", 24), .init("文号", 20), .init("出台日期", 12, .date), .init("关联问题数", 10, .count),
                .init("登记人", 10),
            ],
            rows: try await LedgerExport.rows({ try await store.ruleImprovements(query, page: $0, for: actor) }) {
                [$0.title, $0.kind.title, $0.adopterName, $0.documentNumber ?? "", $0.adoptedOn.description, String($0.problems.count), $0.recordedBy]
            })
    }

    /// 整改评估台账, with the second rectification (二次整改) deadline where one was set.
    static func evaluations(_ store: Store, _ query: EvaluationQuery, for actor: Actor) async throws -> LedgerTable {
        LedgerTable(
            "整改评估",
            columns: [
                .init("被巡察单位", 24), .init("反馈意见文号", 22), .init("计划评估日期", 12, .date), .init("评估日期", 12, .date), .init("评估等次", 10),
                .init("二次整改时限", 12, .date), .init("状态", 12),
            ],
            rows: try await LedgerExport.rows({ try await store.evaluations(query, page: $0, for: actor) }) {
                [
                    $0.unitName, $0.feedbackNumber, $0.plannedOn.description, $0.evaluatedOn?.description ?? "", $0.grade?.title ?? "",
                    $0.secondDeadline?.description ?? "", $0.status.title,
                ]
            })
    }

    /// 回头看台账.
    static func followUps(_ store: Store, _ query: FollowUpQuery, for actor: Actor) async throws -> LedgerTable {
        LedgerTable(
            "回头看",
            columns: [.init("被巡察单位", 24), .init("计划时间", 16), .init("事由", 40), .init("状态", 10), .init("安排人", 10)],
            rows: try await LedgerExport.rows({ try await store.followUps(query, page: $0, for: actor) }) {
                [$0.unitName, $0.plan.text, $0.reason, $0.status.title, $0.scheduledBy]
            })
    }

    /// 被巡察单位名录, in the order the list is sorted.
    static func units(_ store: Store, _ query: UnitQuery, for actor: Actor) async throws -> LedgerTable {
        let units = try await LedgerExport.items { page in
            var query = query
            query.page = page
            return try await store.units(query, for: actor)
        }
        let committees = try await store.jurisdictions(Set(units.map(\.jurisdictionID)), for: actor)
        return LedgerTable(
            "被巡察单位",
            columns: [
                .init("单位名称", 30), .init("单位类型", 14), .init("党组织类型", 14), .init("所属党委", 16), .init("主要负责人", 12), .init("录入时间", 18),
            ],
            rows: units.map {
                [
                    $0.name, $0.type.title, $0.partyOrganisation.title, committees[$0.jurisdictionID]?.name ?? "", $0.headName ?? "",
                    Display.time($0.createdAt),
                ]
            })
    }
}
