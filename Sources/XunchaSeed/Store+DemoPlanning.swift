import Foundation
import XunchaCore
import XunchaStore

/// The planning part of the demo: a term plan, the pools, last term's finished round, an approved round with two groups (one
/// of them with the demo group accounts, pledge not yet signed), a notice to 市财政局, and a
/// second round waiting for the leading group — so each demo account has something to do.
extension Store {
    /// Returns the staffed round.
    func seedDemoPlanning(city: Jurisdiction, units: [String: UUID], actors: [String: Actor]) async throws -> Round {
        let office = RequestOrigin(actor: actors["office"]!)
        let leadingGroup = actors["leader"]!
        let cityUnits = ["市财政局", "市教育局", "市卫生健康委员会", "市住房和城乡建设局", "市交通运输局", "市市场监督管理局", "江城市城市投资集团有限公司", "江城市第一人民医院", "江城职业技术学院"]
        _ = try await createPlan(
            term: "十五届", termStart: "2026-01-01", termEnd: "2030-12-31", title: "十五届市委巡察工作规划",
            targets: cityUnits.compactMap { name in units[name].map { PlanTarget(unitID: $0, reason: name == "江城市城市投资集团有限公司" ? "信访举报较多" : nil) } },
            in: city.id, origin: office)

        typealias Cadre = (name: String, home: String, category: DepartmentCategory, rank: LeaderRank?, leader: Bool, skills: [String], account: String?)
        let cadres: [Cadre] = [
            ("张卫东", "市委组织部", .organisation, .divisionChief, true, ["组织人事"], "zuzhang"),
            ("赵文斌", "市纪委监委", .discipline, .divisionChief, true, ["审查调查"], nil),
            ("钱永明", "市委办公室", .other, .deputyDivisionChief, true, ["综合文字"], "qianyongming"),
            ("杨帆", "市纪委监委", .discipline, nil, false, ["纪律审查", "谈话"], "zuyuan"),
            ("孙丽", "市纪委监委", .discipline, nil, false, ["案件审理"], nil),
            ("周敏", "市审计局", .audit, nil, false, ["财务审计", "工程审计"], nil),
            ("吴晓东", "市审计局", .audit, nil, false, ["经济责任审计"], nil),
            ("郑会计", "市财政局", .finance, nil, false, ["预算管理"], nil),
            ("冯律", "市司法局", .law, nil, false, ["合同审查"], nil),
            ("陈工", "市住房和城乡建设局", .engineering, nil, false, ["工程造价"], nil),
        ]
        var ids: [String: UUID] = [:]
        for cadre in cadres {
            var draft = InspectorDraft(
                name: cadre.name, homeUnitID: units[cadre.home], homeUnitName: cadre.home, category: cadre.category, rank: cadre.rank,
                inLeaderPool: cadre.leader, inTalentPool: !cadre.leader, skills: cadre.skills)
            if cadre.name == "孙丽" {
                draft.workHistory = [WorkRecord(unitID: units["市教育局"], unitName: "市教育局", fromYear: 2018, toYear: 2024)]
            }
            if cadre.name == "吴晓东" {
                draft.relations = [FamilyRelation(unitID: units["市卫生健康委员会"], unitName: "市卫生健康委员会", relation: "配偶", personName: "王某")]
            }
            var inspector = try await createInspector(draft, in: city.id, origin: office)
            if let account = cadre.account {
                inspector = try await updateInspector(
                    inspector.id, draft, records: InspectorRecords(training: "2026年市委巡察干部培训班（结业）", evaluation: nil, accountUsername: account),
                    version: inspector.version, origin: office)
            }
            ids[cadre.name] = inspector.id
        }
        try await seedDemoFinishedRound(city: city, units: units, pool: ids, actors: actors)

        var round = try await createRound(
            RoundDraft(
                term: "十五届", sequence: 1, kind: .routine, theme: "聚焦落实全面从严治党责任和重点领域廉政风险",
                plannedStart: try CalendarDay(text: "2027-03-01", field: "", label: ""), plannedEnd: try CalendarDay(text: "2027-06-30", field: "", label: ""),
                maxUnitsPerGroup: 2),
            in: city.id, origin: office)
        let batch = try await addBatch(to: round.id, entry: "2027-03-15", exit: "2027-05-15", origin: office)
        round = try await take(RoundStep.submitForReview, on: round.id, note: nil, version: round.version, origin: office)
        round = try await take(RoundStep.approveByLeadingGroup, on: round.id, note: "同意", version: round.version, origin: RequestOrigin(actor: leadingGroup))
        round = try await take(RoundStep.recordCommitteeApproval, on: round.id, note: "江委〔2027〕12号", version: round.version, origin: office)
        func member(_ name: String, _ role: GroupRole) -> PlannedMember { PlannedMember(inspectorID: ids[name]!, role: role) }
        let groups = try await acceptProposal(
            roundID: round.id, batchID: batch.id,
            groups: [
                GroupPlan(
                    name: "第一巡察组", authorisation: "江巡领〔2027〕3号", members: [member("张卫东", .leader), member("杨帆", .member), member("周敏", .member)],
                    unitIDs: [units["市财政局"]!, units["市教育局"]!]),
                GroupPlan(
                    name: "第二巡察组", authorisation: "江巡领〔2027〕3号", members: [member("赵文斌", .leader), member("孙丽", .member), member("冯律", .liaison)],
                    unitIDs: [units["市卫生健康委员会"]!, units["市住房和城乡建设局"]!]),
            ],
            origin: office)
        if let finance = groups.first?.assignments.first(where: { $0.unitID == units["市财政局"] }) {
            // Numbered in the year it is sent, which is the year its 成文日期 prints.
            _ = try await sendNotice(for: finance.id, number: "江巡办〔\(CalendarDay(clock.now()).year)〕5号", body: nil, origin: office)
        }
        let special = try await createRound(
            RoundDraft(
                term: "十五届", sequence: 2, kind: .special, theme: "群众身边不正之风和腐败问题专项巡察",
                plannedStart: try CalendarDay(text: "2027-08-01", field: "", label: ""), plannedEnd: try CalendarDay(text: "2027-10-31", field: "", label: ""),
                maxUnitsPerGroup: 3),
            in: city.id, origin: office)
        _ = try await take(RoundStep.submitForReview, on: special.id, note: nil, version: special.version, origin: office)
        return round
    }
}
