import Foundation
import XunchaCore
import XunchaStore

/// The fieldwork part of the demo: the staffed round goes on site, the group's leader (张卫东,
/// account `zuzhang`) has signed the pledge and recorded an interview and a petition, three
/// approved papers are triaged one of each kind, the 立行立改 notice waits for 市财政局's head to
/// sign, and a lead waits in the discipline commission's inbox. 杨帆 (`zuyuan`) has not signed
/// yet, so the demo shows what the pledge opens.
extension Store {
    func seedDemoFieldwork(round: Round, units: [String: UUID], actors: [String: Actor]) async throws {
        let office = RequestOrigin(actor: actors["office"]!)
        let leader = RequestOrigin(actor: actors["zuzhang"]!)
        let leadingGroup = RequestOrigin(actor: actors["leader"]!)
        var current = round
        for step in [RoundStep.startPreparing, .mobilise, .enter] {
            current = try await take(step, on: current.id, note: step == .mobilise ? "召开巡察动员部署会" : nil, version: current.version, origin: office)
        }
        _ = try await signPledge(round: round.id, origin: leader)
        guard let group = try await groups(of: round.id, for: office.actor).first,
            let finance = group.assignments.first(where: { $0.unitID == units["市财政局"] }),
            let auditor = group.members.first(where: { $0.name == "周敏" }), let me = group.leader
        else { return }
        let day = { (text: String) in try CalendarDay(text: text, field: "date", label: "日期") }
        _ = try await recordOnSite(
            .interview,
            content: RecordContent(
                subject: "李建国", subjectPost: "市财政局党组书记、局长", occurredOn: try day("2027-03-16"), place: "巡察组第一谈话室",
                body: "谈话对象介绍了局党组落实全面从严治党主体责任情况，谈及2026年局机关以加班费名义发放补贴一事。", interviewCategory: .mandatory),
            inspectors: [(me.inspectorID, .lead), (auditor.inspectorID, .recorder)], reporter: nil, in: finance.id, origin: leader)
        _ = try await recordOnSite(
            .petition,
            content: RecordContent(
                subject: "反映国库支付中心违规发放补贴", occurredOn: try day("2027-03-18"), body: "来信反映国库支付中心2026年以加班费名义违规发放补贴。", channel: .letter,
                reflectedPerson: "林晓"),
            inspectors: [(auditor.inspectorID, .lead)], reporter: PetitionReporter(anonymous: false, name: "王某", contact: "（演示数据）"), in: finance.id,
            origin: leader)
        let integrity = [ClassificationTag(scheme: "six_disciplines", version: 1, entry: "integrity")]
        let papers: [(String, String, Disposition)] = [
            ("以加班费名义违规发放补贴", "2026年局机关以加班费名义向工作人员发放补贴12.6万元。", .immediate),
            ("三重一大事项未经集体决策", "2026年两项超过50万元的采购事项未经党组会议研究。", .deadline),
            ("国库支付中心负责人为亲属承揽工程提供便利", "群众来信反映并经初步了解，林晓为其亲属承揽维修工程提供便利。", .lead),
        ]
        // A paper the leader drafts, submits and approves at the group meeting, ready for triage.
        func approvedPaper(in assignment: UUID, _ content: FindingContent) async throws -> Finding {
            let paper = try await draftFinding(in: assignment, content: content, tags: integrity, origin: leader)
            let submitted = try await take(FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: leader)
            return try await take(FindingStep.approve, on: paper.id, note: "经组务会研究，同意", version: submitted.version, origin: leader)
        }
        for (title, text, disposition) in papers {
            let paper = try await approvedPaper(
                in: finance.id,
                FindingContent(title: title, manifestation: text, basis: "违反《中国共产党纪律处分条例》有关规定", evidence: nil, responsibility: nil, isCommon: false))
            let lead = disposition == .lead
                ? LeadDetails(source: .finding, personName: "林晓", personPost: "市财政局国库支付中心主任", authority: .committee, subject: .discipline, content: text, evidence: nil)
                : nil
            _ = try await triage(paper.id, as: disposition, note: nil, lead: lead, version: paper.version, origin: leader)
        }
        // The same problem at the group's other unit (一托二), so that 普遍性、倾向性问题 has
        // something to show: one classification item and similar wording across units.
        let alike = [("以值班费名义违规发放补贴", "2026年以值班费名义向工作人员发放补贴8.2万元。"), ("以加班补助名义违规发放津补贴", "2026年以加班补助名义向工作人员发放津补贴5.4万元。")]
        for (other, (title, text)) in zip(group.assignments.filter { $0.unitID != finance.unitID }, alike) {
            let paper = try await approvedPaper(
                in: other.id, FindingContent(title: title, manifestation: text, basis: "违反中央八项规定精神", evidence: nil, responsibility: nil, isCommon: true))
            _ = try await triage(paper.id, as: .deadline, note: nil, lead: nil, version: paper.version, origin: leader)
        }
        // A paper submitted to the group meeting and not yet decided: the leader's 待办.
        let pending = try await draftFinding(
            in: finance.id,
            content: FindingContent(
                title: "公务接待超标准", manifestation: "2026年两次公务接待人均费用超出规定标准。", basis: "违反中央八项规定精神", evidence: nil, responsibility: nil,
                isCommon: false),
            tags: integrity, origin: leader)
        _ = try await take(FindingStep.submit, on: pending.id, note: nil, version: pending.version, origin: leader)
        // The demo city is small: two units already make a problem 普遍性 here (本级参数).
        if let city = office.actor.jurisdictionID {
            let settings = try await settings(of: city, for: office.actor)
            _ = try await changeSettings(of: city, maxUnitsPerGroup: nil, recentWorkYears: nil, systemicUnitThreshold: 2, version: settings.version, origin: office)
        }
        if var item = try await immediateRectifications(for: office.actor).items.first {
            item = try await take(ImmediateStep.approve, on: item.id, input: ImmediateStepInput(), version: item.version, origin: leadingGroup)
            _ = try await take(ImmediateStep.issue, on: item.id, input: ImmediateStepInput(problem: "以加班费名义违规发放补贴12.6万元", requirement: "立即停止发放，全额清退，并举一反三开展自查"),
                version: item.version, origin: leader)
        }
        if var lead = try await leads(LeadQuery(), origin: leader).items.first {
            lead = try await take(LeadStep.screen, on: lead.id, input: LeadStepInput(note: "经组务会研判，线索具体，可查性强"), version: lead.version, origin: leader)
            lead = try await take(LeadStep.propose, on: lead.id, input: LeadStepInput(note: "建议移交市纪委监委"), version: lead.version, origin: leader)
            lead = try await take(LeadStep.approve, on: lead.id, input: LeadStepInput(), version: lead.version, origin: leadingGroup)
            _ = try await take(
                LeadStep.transfer, on: lead.id, input: LeadStepInput(transferSheet: "江巡移〔2027〕1号"), version: lead.version, origin: RequestOrigin(actor: actors["xiansuo"]!))
        }
    }
}
