import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// After feedback: rule improvements linked to problems, the evaluation of a unit's rectification
/// with its second rectification, and 回头看.
@Suite("制度建设、整改评估与回头看 store")
struct EvaluationStoreTests {
    /// 市财政局 with issued feedback (one problem), 市教育局 with feedback still a draft (one problem).
    struct Setup {
        let s: RoundOnSite
        let finance: Feedback
        let education: Feedback
        var f: Fixture { s.f }
        var office: RequestOrigin { s.office }
        /// The head of 市教育局, a unit of the same committee.
        let otherHead: RequestOrigin
    }

    static func setUp(_ store: Store) async throws -> Setup {
        let s = try await Scenario.onSite(store)
        try await Scenario.shortReportChain(store, s.f)
        var feedbacks: [Feedback] = []
        for (work, title) in [(s.atFinance, "三重一大事项未经集体决策"), (s.atEducation, "教育收费管理不规范")] {
            let paper = try await work.triagedPaper(store, as: .deadline, content: try Scenario.content(title))
            _ = try await work.approvedReport(store, findings: [paper.id])
            feedbacks.append(try await work.feedback(store, issue: false))
        }
        let finance = try await store.take(FeedbackStep.issue, on: feedbacks[0].id, note: nil, version: feedbacks[0].version, origin: s.office)
        let otherHead = try await Scenario.unitHead(of: s.education.unitID, username: "t.edu.head", displayName: "教育局书记", store, s.f)
        return Setup(s: s, finance: finance, education: feedbacks[1], otherHead: otherHead)
    }

    static func day(_ text: String) throws -> CalendarDay { try CalendarDay(text: text, field: "d", label: "d") }

    static func rule(_ title: String, kind: RuleImprovementKind = .established, unit: UUID? = nil, body: String? = nil, problems: [UUID]) throws -> RuleImprovementDraft {
        RuleImprovementDraft(
            title: title, kind: kind, documentNumber: "财党发〔2026〕5号", adoptedOn: try day("2026-12-01"), unitID: unit, adoptingBody: body,
            description: "明确“三重一大”事项范围和集体决策程序。", problemIDs: problems)
    }

    static func auditCount(_ store: Store, _ s: Setup) async throws -> Int {
        try await store.auditEntries(AuditQuery(action: AuditAction.ruleImprovementRecorded.rawValue, limit: 200), origin: s.f.origin(.auditAdministrator)).items.count
    }

    @Test(arguments: TestEngine.available)
    func ruleImprovementsLinkIssuedProblemsWithinReachAndListByUnitKindAndYear(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Self.setUp(store)
            let financeProblem = try #require(s.finance.problems.first).id
            let draftProblem = try #require(s.education.problems.first).id
            let head = s.f.origin(.unitHead)
            let before = try await Self.auditCount(store, s)

            let notIssued = await #expect(throws: DomainError.self) {
                _ = try await store.recordRuleImprovement(try Self.rule("规则", unit: s.education.unitID, problems: [draftProblem]), origin: s.office)
            }
            #expect(notIssued?.code == "problem_out_of_reach", "a draft feedback's problem is not linkable")
            let otherCommittee = await #expect(throws: DomainError.self) {
                _ = try await store.recordRuleImprovement(try Self.rule("规则", body: "清河县委", problems: [financeProblem]), origin: RequestOrigin(actor: s.f.countyAOffice))
            }
            #expect(otherCommittee?.code == "problem_out_of_reach", "another committee's problem")
            let otherUnit = await #expect(throws: DomainError.self) {
                _ = try await store.recordRuleImprovement(try Self.rule("规则", problems: [financeProblem]), origin: s.otherHead)
            }
            #expect(otherUnit?.code == "problem_out_of_reach", "a unit links only its own problems")
            let noAdopter = await #expect(throws: DomainError.self) {
                _ = try await store.recordRuleImprovement(try Self.rule("规则", problems: [financeProblem]), origin: s.office)
            }
            #expect(noAdopter?.code == "adopter_required")
            let noProblem = await #expect(throws: DomainError.self) {
                _ = try await store.recordRuleImprovement(try Self.rule("规则", unit: s.s.finance.unitID, problems: []), origin: s.office)
            }
            #expect(noProblem?.code == "problems_required")
            await #expect(throws: DomainError.forbidden) {
                _ = try await store.recordRuleImprovement(try Self.rule("规则", unit: s.s.finance.unitID, problems: [financeProblem]), origin: s.f.origin(.leadingGroupMember))
            }
            #expect(try await Self.auditCount(store, s) == before, "nothing written")

            // The unit records its own; the unit is taken from the account whatever was sent.
            let own = try await store.recordRuleImprovement(
                try Self.rule("市财政局“三重一大”事项集体决策实施办法", unit: s.education.unitID, problems: [financeProblem, financeProblem]), origin: head)
            #expect(own.unitID == s.s.finance.unitID)
            #expect(own.problems.map(\.problemID) == [financeProblem])
            #expect(own.adopterName == "市财政局")
            // The office records a cross-unit one adopted by the committee.
            var systemic = try Self.rule("市直单位财务管理规定", kind: .revised, body: "市委办公室", problems: [financeProblem])
            systemic.adoptedOn = try Self.day("2025-11-01")
            let committee = try await store.recordRuleImprovement(systemic, origin: s.office)
            #expect(committee.unitID == nil)
            #expect(committee.adopterName == "市委办公室")

            let office = s.f.actor(.officeStaff)
            #expect(try await store.ruleImprovements(for: office).items.count == 2)
            #expect(try await store.ruleImprovements(RuleImprovementQuery(kind: .revised), for: office).items.map(\.id) == [committee.id])
            #expect(try await store.ruleImprovements(RuleImprovementQuery(year: 2026), for: office).items.map(\.id) == [own.id])
            #expect(try await store.ruleImprovements(RuleImprovementQuery(unitID: s.s.finance.unitID), for: office).items.count == 2)
            #expect(try await store.ruleImprovements(RuleImprovementQuery(unitID: s.education.unitID), for: office).items.isEmpty)
            let paged = try await store.ruleImprovements(page: PageRequest(limit: 1), for: office)
            #expect(paged.items.map(\.id) == [committee.id])
            let cursor = try #require(paged.nextCursor)
            #expect(try await store.ruleImprovements(page: PageRequest(limit: 1, after: try Cursor(token: cursor)), for: office).items.map(\.id) == [own.id])

            #expect(try await store.ruleImprovements(for: head.actor).items.count == 2, "both answer the unit's problem")
            #expect(try await store.ruleImprovements(for: s.otherHead.actor).items.isEmpty, "another unit sees none of them")
            await #expect(throws: DomainError.notFound) { _ = try await store.ruleImprovement(own.id, for: s.otherHead.actor) }
            #expect(try await store.ruleImprovements(for: s.f.countyAOffice).items.isEmpty)
            #expect(try await store.linkableProblems(for: s.otherHead.actor).isEmpty, "its feedback is not issued")
            #expect(try await store.linkableProblems(for: office).map(\.problemID) == [financeProblem])
            for role in [Role.groupLeader, .groupMember, .disciplineReceiver, .organisationReceiver, .leadCustodian, .systemAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.ruleImprovements(for: s.f.actor(role)) }
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.ruleImprovement(own.id, for: s.f.actor(role)) }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aPoorGradeSendsTheUnitIntoASecondRectificationThatTheOfficeReturnsOrCloses(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Self.setUp(store)
            let today = CalendarDay(store.clock.now())
            let head = s.f.origin(.unitHead)
            let notIssued = await #expect(throws: DomainError.self) {
                _ = try await store.scheduleEvaluation(of: s.education.id, plannedOn: today, note: nil, origin: s.office)
            }
            #expect(notIssued?.code == "feedback_not_issued")
            for origin in [head, s.f.origin(.leadingGroupMember), s.f.origin(.disciplineReceiver)] {
                await #expect(throws: DomainError.forbidden) { _ = try await store.scheduleEvaluation(of: s.finance.id, plannedOn: today, note: nil, origin: origin) }
            }
            await #expect(throws: DomainError.notFound, "another committee's feedback") {
                _ = try await store.scheduleEvaluation(of: s.finance.id, plannedOn: today, note: nil, origin: RequestOrigin(actor: s.f.countyAOffice))
            }
            #expect(try await store.evaluableFeedbacks(for: s.office.actor).map(\.id) == [s.finance.id], "issued feedback only")
            var evaluation = try await store.scheduleEvaluation(of: s.finance.id, plannedOn: today, note: "集中整改期满", origin: s.office)
            #expect(evaluation.status == .scheduled)
            #expect(try await store.evaluableFeedbacks(for: s.office.actor).isEmpty, "not while an evaluation is open")
            let twice = await #expect(throws: DomainError.self) { _ = try await store.scheduleEvaluation(of: s.finance.id, plannedOn: today, note: nil, origin: s.office) }
            #expect(twice?.code == "evaluation_open")
            #expect(try await store.evaluations(for: head.actor).items.isEmpty, "the unit sees the result, not the schedule")
            await #expect(throws: DomainError.notFound, "a unit account cannot grade") {
                _ = try await store.take(
                    EvaluationStep.grade, on: evaluation.id,
                    input: .grading(EvaluationGrading(methods: [.documentReview], findings: "好", grade: .good, evaluatedOn: today)),
                    version: evaluation.version, origin: head)
            }

            let methods: [EvaluationMethod] = [.documentReview, .fieldCheck, .massEvaluation]
            let noDeadline = await #expect(throws: DomainError.self) {
                _ = try await store.take(
                    EvaluationStep.grade, on: evaluation.id,
                    input: .grading(EvaluationGrading(methods: methods, findings: "整改不到位", grade: .poor, evaluatedOn: today)),
                    version: evaluation.version, origin: s.office)
            }
            #expect(noDeadline?.code == "second_deadline_required")
            let early = await #expect(throws: DomainError.self) {
                _ = try await store.take(
                    EvaluationStep.grade, on: evaluation.id,
                    input: .grading(EvaluationGrading(methods: methods, findings: "整改不到位", grade: .average, evaluatedOn: today, secondDeadline: try Self.day("2026-12-01"))),
                    version: evaluation.version, origin: s.office)
            }
            #expect(early?.code == "second_deadline_order")
            let noMethod = await #expect(throws: DomainError.self) {
                _ = try await store.take(
                    EvaluationStep.grade, on: evaluation.id,
                    input: .grading(EvaluationGrading(methods: [], findings: "好", grade: .good, evaluatedOn: today)), version: evaluation.version,
                    origin: s.office)
            }
            #expect(noMethod?.code == "methods_required")
            #expect(try await store.evaluation(evaluation.id, for: s.office.actor) == evaluation, "nothing written")

            // The leading group grades it 差.
            evaluation = try await store.take(
                EvaluationStep.grade, on: evaluation.id,
                input: .grading(EvaluationGrading(methods: methods, findings: "三重一大制度仍未落实", grade: .poor, evaluatedOn: today, secondDeadline: try Self.day("2027-03-31"))),
                version: evaluation.version, origin: s.f.origin(.leadingGroupMember))
            #expect(evaluation.status == .secondRectification)
            #expect(evaluation.grade == .poor)
            #expect(evaluation.methods == methods)
            let seen = try #require(try await store.evaluations(for: head.actor).items.first)
            #expect(seen.id == evaluation.id)
            #expect(try await store.evaluations(for: s.otherHead.actor).items.isEmpty, "another unit sees nothing")
            await #expect(throws: DomainError.notFound) { _ = try await store.evaluation(evaluation.id, for: s.otherHead.actor) }
            for role in [Role.disciplineReceiver, .organisationReceiver] {
                #expect(try await store.evaluations(EvaluationQuery(grade: .poor), for: s.f.actor(role)).items.map(\.id) == [evaluation.id], "\(role)")
            }
            for role in [Role.groupLeader, .groupMember, .leadCustodian] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.evaluations(for: s.f.actor(role)) }
            }
            #expect(try await store.evaluations(for: s.f.countyAOffice).items.isEmpty)
            let unitGrades = await #expect(throws: DomainError.self) {
                _ = try await store.take(EvaluationStep.accept, on: evaluation.id, input: .init(), version: evaluation.version, origin: head)
            }
            #expect(unitGrades?.code == "step_not_allowed")
            let emptyReport = await #expect(throws: DomainError.self) {
                _ = try await store.take(EvaluationStep.report, on: evaluation.id, input: .report(" "), version: evaluation.version, origin: head)
            }
            #expect(emptyReport?.code == "required")

            evaluation = try await store.take(EvaluationStep.report, on: evaluation.id, input: .report("已修订议事规则并召开专题会议。"), version: evaluation.version, origin: s.f.origin(.unitContact))
            #expect(evaluation.status == .secondReported)
            let noReason = await #expect(throws: DomainError.self) {
                _ = try await store.take(EvaluationStep.return, on: evaluation.id, input: .note(nil), version: evaluation.version, origin: s.office)
            }
            #expect(noReason?.code == "required")
            await #expect(throws: DomainError.self, "the leading group grades but does not review") {
                _ = try await store.take(EvaluationStep.accept, on: evaluation.id, input: .init(), version: evaluation.version, origin: s.f.origin(.leadingGroupMember))
            }
            evaluation = try await store.take(EvaluationStep.return, on: evaluation.id, input: .note("缺少会议纪要佐证"), version: evaluation.version, origin: s.office)
            #expect(evaluation.status == .secondRectification)
            #expect(evaluation.reviewNote == "缺少会议纪要佐证")
            evaluation = try await store.take(EvaluationStep.report, on: evaluation.id, input: .report("补充会议纪要。"), version: evaluation.version, origin: head)
            evaluation = try await store.take(EvaluationStep.accept, on: evaluation.id, input: .init(), version: evaluation.version, origin: s.office)
            #expect(evaluation.status == .closed)
            #expect(evaluation.closedAt != nil)
            let history = try await store.history(EvaluationLifecycle.self, of: evaluation.id, for: head.actor)
            #expect(history.map(\.step) == [.grade, .report, .return, .report, .accept])

            // Closed: a new evaluation may be scheduled; 好 closes at once.
            #expect(try await store.evaluableFeedbacks(for: s.office.actor).map(\.id) == [s.finance.id])
            var again = try await store.scheduleEvaluation(of: s.finance.id, plannedOn: today, note: nil, origin: s.office)
            again = try await store.take(
                EvaluationStep.grade, on: again.id,
                input: .grading(EvaluationGrading(methods: [.interview], findings: "整改到位", grade: .good, evaluatedOn: today, secondDeadline: try Self.day("2027-03-31"))),
                version: again.version, origin: s.office)
            #expect(again.status == .closed)
            #expect(again.secondDeadline == nil, "a good grade carries no second rectification")
            #expect(try await store.evaluations(EvaluationQuery(status: .closed), for: s.office.actor).items.count == 2)
        }
    }

    @Test(arguments: TestEngine.available)
    func followUpsAreScheduledForAUnitOfTheCommitteeAndSettledWithANote(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Self.setUp(store)
            let today = CalendarDay(store.clock.now())
            let unit = s.s.finance.unitID
            var evaluation = try await store.scheduleEvaluation(of: s.finance.id, plannedOn: today, note: nil, origin: s.office)
            let notPoor = await #expect(throws: DomainError.self) {
                _ = try await store.scheduleFollowUp(of: unit, year: 2027, quarter: 2, day: nil, reason: "差", evaluationID: evaluation.id, origin: s.office)
            }
            #expect(notPoor?.code == "follow_up_evaluation")
            evaluation = try await store.take(
                EvaluationStep.grade, on: evaluation.id,
                input: .grading(EvaluationGrading(methods: [.fieldCheck], findings: "未整改", grade: .poor, evaluatedOn: today, secondDeadline: try Self.day("2027-03-31"))),
                version: evaluation.version, origin: s.office)
            let past = await #expect(throws: DomainError.self) {
                _ = try await store.scheduleFollowUp(of: unit, year: 2025, quarter: 4, day: nil, reason: "回头看", origin: s.office)
            }
            #expect(past?.code == "planned_in_past")
            let noPlan = await #expect(throws: DomainError.self) {
                _ = try await store.scheduleFollowUp(of: unit, year: nil, quarter: nil, day: nil, reason: "回头看", origin: s.office)
            }
            #expect(noPlan?.code == "plan_required")
            await #expect(throws: DomainError.notFound, "another committee's office") {
                _ = try await store.scheduleFollowUp(of: unit, year: 2027, quarter: 2, day: nil, reason: "回头看", origin: RequestOrigin(actor: s.f.countyAOffice))
            }
            for role in [Role.leadingGroupMember, .unitHead, .disciplineReceiver] {
                await #expect(throws: DomainError.forbidden, "\(role)") {
                    _ = try await store.scheduleFollowUp(of: unit, year: 2027, quarter: 2, day: nil, reason: "回头看", origin: s.f.origin(role))
                }
            }
            var followUp = try await store.scheduleFollowUp(
                of: unit, year: 2027, quarter: 2, day: nil, reason: "整改评估为“差”，列为回头看重点", evaluationID: evaluation.id, origin: s.office)
            #expect(followUp.plan.text == "2027年第2季度")
            let dated = try await store.scheduleFollowUp(of: s.education.unitID, year: nil, quarter: nil, day: try Self.day("2027-08-15"), reason: "长期整改事项", origin: s.office)
            #expect(dated.plan.quarter == 3)

            let office = s.f.actor(.officeStaff)
            #expect(try await store.followUps(for: office).items.count == 2)
            #expect(try await store.followUps(FollowUpQuery(unitID: unit), for: office).items.map(\.id) == [followUp.id])
            #expect(try await store.followUps(FollowUpQuery(year: 2028), for: office).items.isEmpty)
            #expect(try await store.followUps(for: s.f.actor(.leadingGroupMember)).items.count == 2)
            #expect(try await store.followUps(for: s.f.countyAOffice).items.isEmpty)
            for role in [Role.unitHead, .unitContact, .disciplineReceiver, .groupLeader] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.followUps(for: s.f.actor(role)) }
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.followUp(followUp.id, for: s.f.actor(role)) }
            }

            let noNote = await #expect(throws: DomainError.self) {
                _ = try await store.settleFollowUp(followUp.id, as: .done, note: "", version: followUp.version, origin: s.office)
            }
            #expect(noNote?.code == "required")
            await #expect(throws: DomainError.forbidden) {
                _ = try await store.settleFollowUp(followUp.id, as: .done, note: "已开展", version: followUp.version, origin: s.f.origin(.leadingGroupMember))
            }
            followUp = try await store.settleFollowUp(followUp.id, as: .done, note: "回头看发现问题已整改到位", version: followUp.version, origin: s.office)
            #expect(followUp.status == .done)
            let again = await #expect(throws: DomainError.self) {
                _ = try await store.settleFollowUp(followUp.id, as: .cancelled, note: "取消", version: followUp.version, origin: s.office)
            }
            #expect(again?.code == "invalid_transition")
            #expect(try await store.followUps(FollowUpQuery(status: .scheduled), for: office).items.map(\.id) == [dated.id])
        }
    }

    /// A problem fixed at once may show a rule missing: a rule improvement answers a 立行立改 notice
    /// once the unit has it, and the unit reads it among its own.
    @Test(arguments: TestEngine.available)
    func aRuleImprovementMayAnswerAnImmediateRectificationNotice(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let paper = try await s.atEducation.triagedPaper(store, as: .immediate, content: try Scenario.content("食堂采购未经比价"))
            var item = try #require(try await store.immediateRectifications(assignment: s.education.id, for: s.office.actor).items.first { $0.findingID == paper.id })
            let early = await #expect(throws: DomainError.self, "a notice not yet issued is the group's, not the unit's") {
                _ = try await store.recordRuleImprovement(Self.immediateRule(unit: s.education.unitID, item.id), origin: s.office)
            }
            #expect(early?.code == "problem_out_of_reach")
            item = try await store.take(ImmediateStep.approve, on: item.id, input: ImmediateStepInput(), version: item.version, origin: s.f.origin(.leadingGroupMember))
            item = try await store.take(
                ImmediateStep.issue, on: item.id, input: ImmediateStepInput(problem: "食堂采购未经比价", requirement: "建立比价制度", deadline: "2027-01-15"),
                version: item.version, origin: s.leader)
            #expect(try await store.linkableImmediates(for: s.office.actor).map(\.immediateID) == [item.id])
            #expect(try await store.linkableImmediates(for: s.f.actor(.unitHead)).isEmpty, "市财政局's head is offered no notice of 市教育局")

            let rule = try await store.recordRuleImprovement(Self.immediateRule(unit: s.education.unitID, item.id), origin: s.office)
            #expect(rule.problems.isEmpty)
            #expect(rule.immediates.map(\.immediateID) == [item.id])
            #expect(rule.immediates.first?.text == "食堂采购未经比价")
            let head = try await Scenario.unitHead(of: s.education.unitID, username: "t.edu.head2", displayName: "教育局书记", store, s.f)
            #expect(try await store.ruleImprovements(RuleImprovementQuery(), for: head.actor).items.map(\.id) == [rule.id], "the unit reads the rule answering its notice")
        }
    }

    static func immediateRule(unit: UUID, _ immediate: UUID) throws -> RuleImprovementDraft {
        RuleImprovementDraft(
            title: "市教育局食堂大宗物资采购比价办法", kind: .established, adoptedOn: try day("2026-12-01"), unitID: unit, description: "明确采购比价程序。", problemIDs: [],
            immediateIDs: [immediate])
    }

    @Test(arguments: TestEngine.available)
    func aProcessIsRecordedAsSuchAndCountedApartFromRules(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Self.setUp(store)
            let problem = try #require(s.finance.problems.first).id
            var process = try Self.rule("大额资金审批流程", unit: s.s.finance.unitID, problems: [problem])
            process.scope = .process
            let recorded = try await store.recordRuleImprovement(process, origin: s.s.office)
            _ = try await store.recordRuleImprovement(try Self.rule("议事规则", unit: s.s.finance.unitID, problems: [problem]), origin: s.s.office)
            #expect(try await store.ruleImprovement(recorded.id, for: s.s.office.actor).scope == .process)
            let rules = try #require(try await store.statistics(for: s.s.office.actor).ruleImprovements)
            #expect(rules.total == 2)
            #expect(rules.byScope.map(\.code) == ["rule", "process"])
            #expect(rules.byScope.map(\.count) == [1, 1])
            #expect(Statistics.summary(try await store.statistics(for: s.s.office.actor)).contains("建立完善制度1项、流程1项"))
        }
    }
}
