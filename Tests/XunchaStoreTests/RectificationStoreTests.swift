import Crypto
import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 整改方案与整改台账: every problem answered by tasks under "三个一", the head's endorsement of
/// exactly what was signed, the office's decision with 纪委 and 组织部, closure only with evidence,
/// warnings and overdue lists computed in SQL, and each role seeing only its part of the ledger.
@Suite("整改 store")
struct RectificationStoreTests {
    @Test(arguments: TestEngine.available)
    func everyProblemGetsTasksWithAllThreeOwnersAndTheHeadSignsExactlyThePlan(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.feedbackIssued(store)
            var plan = try await store.draftRectificationPlan(for: t.feedback.id, content: FeedbackIssued.planContent, origin: t.contact)
            #expect(plan.status == .drafting && plan.revision == 1)
            let twice = await #expect(throws: DomainError.self) { _ = try await store.draftRectificationPlan(for: t.feedback.id, content: FeedbackIssued.planContent, origin: t.head) }
            #expect(twice?.code == "plan_exists")

            let nobody = TaskOwners(leader: "张局长", department: " ", cadre: "李科长")
            let missing = await #expect(throws: DomainError.self) {
                _ = try await store.addRectificationTask(
                    to: plan.id, problem: t.problem.id, content: FeedbackIssued.task(deadline: t.today.adding(days: 30), owners: nobody), version: plan.version, origin: t.contact)
            }
            #expect(missing?.code == "owners_required" && missing?.field == "department")
            let early = await #expect(throws: DomainError.self) {
                _ = try await store.addRectificationTask(
                    to: plan.id, problem: t.problem.id, content: FeedbackIssued.task(deadline: t.today.adding(days: -1)), version: plan.version, origin: t.contact)
            }
            #expect(early?.code == "deadline_before_feedback")
            #expect(try await store.tasks(ofPlan: plan.id, for: t.contact.actor).isEmpty, "nothing written")
            #expect(try await store.rectificationPlan(plan.id, for: t.contact.actor).version == plan.version)

            let bare = await #expect(throws: DomainError.self) { _ = try await store.take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: t.head) }
            #expect(bare?.code == "problem_without_task")
            plan = try await store.addRectificationTask(
                to: plan.id, problem: t.problem.id, content: FeedbackIssued.task(deadline: t.today.adding(days: 60)), version: plan.version, origin: t.contact)
            let notHead = await #expect(throws: DomainError.self) { _ = try await store.take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: t.contact) }
            #expect(notHead?.code == "not_unit_head")
            let office = await #expect(throws: DomainError.self, "the office cannot sign for the unit either") {
                _ = try await store.take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: t.office)
            }
            #expect(office?.code == "not_unit_head")

            plan = try await store.take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: t.head)
            let signed = try #require(plan.endorsement)
            #expect(plan.status == .endorsed && signed.name == t.head.actor.displayName && signed.accountID == t.head.actor.userID)
            #expect(signed.signedText.contains("健全“三重一大”决策制度") && signed.signedText.contains("责任人：李科长"))
            #expect(signed.digest == SHA256.hash(data: Data(signed.signedText.utf8)).map { String(format: "%02x", $0) }.joined())
            let frozen = await #expect(throws: DomainError.self) {
                _ = try await store.editRectificationPlan(plan.id, content: FeedbackIssued.planContent, version: plan.version, origin: t.contact)
            }
            #expect(frozen?.code == "plan_not_editable")
        }
    }

    @Test(arguments: TestEngine.available)
    func theOfficeDecidesWithTheWrittenOpinionsOfDisciplineAndOrganisation(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.feedbackIssued(store)
            var plan = try await store.draftRectificationPlan(for: t.feedback.id, content: FeedbackIssued.planContent, origin: t.contact)
            plan = try await store.addRectificationTask(
                to: plan.id, problem: t.problem.id, content: FeedbackIssued.task(deadline: t.today.adding(days: 60)), version: plan.version, origin: t.contact)
            let early = await #expect(throws: DomainError.self) {
                _ = try await store.take(PlanStep.approve, on: plan.id, note: nil, version: plan.version, origin: t.office)
            }
            #expect(early?.code == "invalid_transition", "nothing to review before the head signs")
            plan = try await store.take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: t.head)
            let firstDigest = try #require(plan.endorsement?.digest)

            let discipline = t.f.origin(.disciplineReceiver)
            plan = try await store.take(PlanStep.comment, on: plan.id, note: "建议细化资金清理时限", version: plan.version, origin: discipline)
            let decides = await #expect(throws: DomainError.self) {
                _ = try await store.take(PlanStep.approve, on: plan.id, note: nil, version: plan.version, origin: t.f.origin(.organisationReceiver))
            }
            #expect(decides?.code == "step_not_allowed")
            let silent = await #expect(throws: DomainError.self) {
                _ = try await store.take(PlanStep.returnForRevision, on: plan.id, note: " ", version: plan.version, origin: t.office)
            }
            #expect(silent?.code == "required")
            await #expect(throws: DomainError.forbidden) {
                _ = try await store.take(PlanStep.comment, on: plan.id, note: "x", version: plan.version, origin: t.f.origin(.leadingGroupMember))
            }
            plan = try await store.take(PlanStep.returnForRevision, on: plan.id, note: "措施不具体", version: plan.version, origin: t.office)
            #expect(plan.status == .returned && plan.revision == 2)
            #expect(plan.reviews.map(\.body) == [.discipline, .office] && plan.reviews.map(\.revision) == [1, 1])

            let task = try #require(try await store.tasks(ofPlan: plan.id, for: t.head.actor).first)
            plan = try await store.changeRectificationTask(
                task.id, content: FeedbackIssued.task("健全并执行“三重一大”决策制度", deadline: t.today.adding(days: 45)), planVersion: plan.version, origin: t.contact)
            plan = try await store.take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: t.head)
            #expect(plan.endorsement?.digest != firstDigest, "a changed plan is a different signature")
            #expect(plan.endorsement?.signedText.contains("方案第2稿") == true)
            plan = try await store.take(PlanStep.approve, on: plan.id, note: nil, version: plan.version, origin: t.office)
            #expect(plan.status == .approved && plan.approvedAt != nil)
            #expect(try await store.tasks(ofPlan: plan.id, for: t.office.actor).map(\.status) == [.inProgress])
        }
    }

    @Test(arguments: TestEngine.available)
    func aTaskIsClosedOnlyWithEvidenceAndMayBeReopenedWithReasons(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.feedbackIssued(store)
            let ownerAccount = try #require(t.f.actor(.taskOwner).userID)
            let (_, tasks) = try await t.approvedPlan(
                store, deadlines: [t.today.adding(days: 40)], owner: TaskOwners(leader: "张局长", department: "办公室", cadre: "整改责任人", cadreAccountID: ownerAccount))
            var task = try #require(tasks.first)
            let owner = t.f.origin(.taskOwner)
            task = try await store.take(TaskStep.progress, on: task.id, input: TaskStepInput(note: "已起草议事规则修订稿", progress: 40), version: task.version, origin: owner)
            #expect(task.progress == 40 && task.lastReportedOn == t.today)
            let bare = await #expect(throws: DomainError.self) {
                _ = try await store.take(TaskStep.requestClosure, on: task.id, input: TaskStepInput(note: "已完成"), version: task.version, origin: owner)
            }
            #expect(bare?.code == "evidence_required")
            #expect(try await store.rectificationTask(task.id, for: owner.actor).status == .inProgress, "nothing written")
            _ = try await store.attach(Data("%PDF-1.4 议事规则".utf8), filename: "议事规则.pdf", to: .task(task.id), origin: owner)
            task = try await store.take(TaskStep.requestClosure, on: task.id, input: TaskStepInput(note: "议事规则已印发执行"), version: task.version, origin: owner)
            #expect(task.status == .closureRequested)

            let selfClose = await #expect(throws: DomainError.self) { _ = try await store.take(TaskStep.close, on: task.id, input: TaskStepInput(note: nil), version: task.version, origin: t.contact) }
            #expect(selfClose?.code == "step_not_allowed")
            task = try await store.take(TaskStep.close, on: task.id, input: TaskStepInput(note: nil), version: task.version, origin: t.onSite.leader)
            #expect(task.status == .closed && task.progress == 100 && task.closedAt != nil)
            let noReason = await #expect(throws: DomainError.self) { _ = try await store.take(TaskStep.reopen, on: task.id, input: TaskStepInput(note: nil), version: task.version, origin: t.office) }
            #expect(noReason?.code == "required")
            task = try await store.take(TaskStep.reopen, on: task.id, input: TaskStepInput(note: "抽查发现仍有两笔支出未经集体研究"), version: task.version, origin: t.office)
            #expect(task.status == .inProgress && task.closedAt == nil)
            let history = try await store.history(TaskLifecycle.self, of: task.id, for: t.head.actor)
            #expect(history.map(\.step) == [.start, .progress, .requestClosure, .close, .reopen])
            #expect(history.last?.note == "抽查发现仍有两笔支出未经集体研究")
        }
    }

    @Test(arguments: TestEngine.available)
    func warningColoursAndOverdueListsFollowTheCommitteesThresholds(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.feedbackIssued(store)
            // Deadlines 60, 15, 5 and 1 days ahead; then the calendar is moved forward.
            let (_, tasks) = try await t.approvedPlan(store, deadlines: [60, 15, 5, 1].map { t.today.adding(days: $0) })
            let office = t.office.actor
            func labels(_ colour: Warning, on day: CalendarDay) async throws -> [String] {
                try await store.rectificationTasks(TaskFilter(warning: colour), today: day, for: office).items.map(\.content.target)
            }
            #expect(try await labels(.none, on: t.today) == ["任务1"])
            #expect(try await labels(.green, on: t.today) == ["任务2"])
            #expect(try await labels(.yellow, on: t.today) == ["任务4", "任务3"], "nearest deadline first")
            #expect(try await labels(.red, on: t.today).isEmpty)
            let later = t.today.adding(days: 10)
            #expect(try await labels(.red, on: later) == ["任务4", "任务3"])
            #expect(tasks[2].warning(on: later, thresholds: .standard) == .red)
            #expect(try await labels(.yellow, on: later) == ["任务2"])

            _ = try await store.changeSettings(of: t.f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, warningGreenDays: 70, warningYellowDays: 20, version: 1, origin: t.office)
            #expect(try await labels(.green, on: t.today) == ["任务1"], "the committee's thresholds decide")
            let bad = await #expect(throws: DomainError.self) {
                _ = try await store.changeSettings(of: t.f.city.id, maxUnitsPerGroup: nil, recentWorkYears: nil, warningGreenDays: 5, warningYellowDays: 10, version: 2, origin: t.office)
            }
            #expect(bad?.code == "invalid_warning_days")

            let byUnit = try await store.overdueCounts(byPerson: false, today: later, for: office)
            #expect(byUnit.map(\.name) == ["市财政局"] && byUnit.first?.overdue == 2)
            let byPerson = try await store.overdueCounts(byPerson: true, today: later, for: office)
            #expect(Set(byPerson.map(\.name)) == ["李科长3", "李科长4"] && byPerson.allSatisfy { $0.overdue == 1 })
            #expect(byPerson.first?.oldestDeadline == t.today.adding(days: 1))

            let ledger = try await store.problemLedger(today: later, for: t.head.actor).items
            #expect(ledger.count == 1 && ledger[0].tasks == 4 && ledger[0].overdue == 2 && ledger[0].closed == 0)
            let waiting = try await store.rectificationWaiting(for: t.contact.actor, today: later)
            #expect(waiting.tasksOpen == 4 && waiting.tasksRed == 2 && waiting.tasksYellow == 1)
            // Paging through the list keeps the deadline order.
            let first = try await store.rectificationTasks(page: PageRequest(limit: 3), for: office)
            let cursor = try Cursor(token: try #require(first.nextCursor))
            let second = try await store.rectificationTasks(page: PageRequest(limit: 3, after: cursor), for: office)
            #expect((first.items + second.items).map(\.content.target) == ["任务4", "任务3", "任务2", "任务1"])
        }
    }

    @Test(arguments: TestEngine.available)
    func aLongTermTaskReportsByItsDeadlineAndThenAtItsInterval(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.feedbackIssued(store)
            var plan = try await store.draftRectificationPlan(for: t.feedback.id, content: FeedbackIssued.planContent, origin: t.contact)
            let noInterval = await #expect(throws: DomainError.self) {
                var content = FeedbackIssued.task("建立决策台账", deadline: t.today.adding(days: 30), kind: .longTerm)
                content.reportEveryDays = nil
                _ = try await store.addRectificationTask(to: plan.id, problem: t.problem.id, content: content, version: plan.version, origin: t.contact)
            }
            #expect(noInterval?.code == "report_interval_required")
            plan = try await store.addRectificationTask(
                to: plan.id, problem: t.problem.id, content: FeedbackIssued.task("建立决策台账", deadline: t.today.adding(days: 45), kind: .longTerm),
                version: plan.version, origin: t.contact)
            plan = try await store.take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: t.head)
            plan = try await store.take(PlanStep.approve, on: plan.id, note: nil, version: plan.version, origin: t.office)
            var task = try #require(try await store.tasks(ofPlan: plan.id, for: t.office.actor).first)
            #expect(task.nextReportDue == t.today.adding(days: 45), "the first report is due by the deadline")
            let due = TaskFilter(reportDue: true)
            #expect(try await store.rectificationTasks(due, today: t.today, for: t.contact.actor).items.isEmpty)
            #expect(try await store.rectificationTasks(due, today: t.today.adding(days: 45), for: t.contact.actor).items.map(\.id) == [task.id])
            #expect(try await store.rectificationWaiting(for: t.contact.actor, today: t.today.adding(days: 46)).reportsDue == 1)
            task = try await store.take(TaskStep.progress, on: task.id, input: TaskStepInput(note: "本季度登记决策事项6项", progress: 30), version: task.version, origin: t.contact)
            #expect(task.nextReportDue == t.today.adding(days: 30), "then every 30 days from the report (made today)")
            #expect(try await store.rectificationWaiting(for: t.contact.actor, today: t.today.adding(days: 29)).reportsDue == 0)
            #expect(try await store.rectificationWaiting(for: t.contact.actor, today: t.today.adding(days: 30)).reportsDue == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func eachRoleSeesOnlyItsPartOfTheLedger(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.feedbackIssued(store)
            let ownerAccount = try #require(t.f.actor(.taskOwner).userID)
            var plan = try await store.draftRectificationPlan(for: t.feedback.id, content: FeedbackIssued.planContent, origin: t.contact)
            plan = try await store.addRectificationTask(
                to: plan.id, problem: t.problem.id,
                content: FeedbackIssued.task("他人的任务", deadline: t.today.adding(days: 30)), version: plan.version, origin: t.contact)
            plan = try await store.addRectificationTask(
                to: plan.id, problem: t.problem.id,
                content: FeedbackIssued.task(
                    "本人的任务", deadline: t.today.adding(days: 40), owners: TaskOwners(leader: "张局长", department: "财务科", cadre: "整改责任人", cadreAccountID: ownerAccount)),
                version: plan.version, origin: t.contact)
            plan = try await store.take(PlanStep.endorse, on: plan.id, note: nil, version: plan.version, origin: t.head)
            plan = try await store.take(PlanStep.approve, on: plan.id, note: nil, version: plan.version, origin: t.office)
            let tasks = try await store.tasks(ofPlan: plan.id, for: t.office.actor)
            let others = try #require(tasks.first { $0.content.target == "他人的任务" })

            // The unit's head and contact, 纪委, 组织部, the office, the leading group and the group see the whole ledger.
            for role in [Role.unitHead, .unitContact, .disciplineReceiver, .organisationReceiver, .officeStaff, .leadingGroupMember, .groupLeader, .groupMember] {
                #expect(try await store.rectificationTasks(for: t.f.actor(role)).items.count == 2, "\(role)")
            }
            // A responsible cadre sees their own task only, and not the plan.
            let owner = t.f.actor(.taskOwner)
            #expect(try await store.rectificationTasks(for: owner).items.map(\.content.target) == ["本人的任务"])
            await #expect(throws: DomainError.notFound) { _ = try await store.rectificationTask(others.id, for: owner) }
            await #expect(throws: DomainError.notFound) { _ = try await store.rectificationPlan(plan.id, for: owner) }
            // Another unit's contact and another committee's office see nothing and touch nothing.
            let stranger = try await store.createUser(
                UserDraft(
                    username: "t.edu.contact", displayName: "教育局联络员", jurisdictionID: t.f.city.id, roles: try RoleSet([.unitContact], unitGiven: true),
                    unitID: t.onSite.education.unitID),
                origin: Fixture.console)
            let strangerActor = Actor.account(stranger.user, jurisdictionPath: t.f.city.path)
            #expect(try await store.rectificationTasks(for: strangerActor).items.isEmpty)
            await #expect(throws: DomainError.notFound) {
                _ = try await store.take(TaskStep.progress, on: others.id, input: TaskStepInput(note: "越权", progress: 10), version: others.version, origin: RequestOrigin(actor: strangerActor, clientAddress: "x"))
            }
            #expect(try await store.rectificationTasks(for: t.f.countyAOffice).items.isEmpty)
            for role in [Role.leadCustodian, .systemAdministrator, .auditAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.rectificationTasks(for: t.f.actor(role)) }
            }

            // 督查: the office, 纪委 and 组织部 record checks; the unit reads them; the unit cannot check itself.
            let input = SupervisionCheckInput(checkedOn: t.today.description, method: "实地抽查", result: "behind", note: "修订稿尚未提交党组会")
            let check = try await store.recordSupervisionCheck(on: others.id, input: input, origin: t.f.origin(.disciplineReceiver))
            #expect(check.body == .discipline && check.result == .behind && check.taskLabel == others.label)
            await #expect(throws: DomainError.forbidden) { _ = try await store.recordSupervisionCheck(on: others.id, input: input, origin: t.contact) }
            let future = await #expect(throws: DomainError.self) {
                _ = try await store.recordSupervisionCheck(
                    on: others.id, input: SupervisionCheckInput(checkedOn: t.today.adding(days: 1).description, method: "实地", result: "behind", note: "x"), origin: t.office)
            }
            #expect(future?.code == "checked_on_future")
            #expect(try await store.supervisionChecks(for: t.head.actor).items.map(\.id) == [check.id])
            #expect(try await store.supervisionChecks(for: owner).items.isEmpty, "not the cadre's task")
            #expect(try await store.supervisionChecks(for: strangerActor).items.isEmpty)
        }
    }
}

@Suite("整改台账截至某日 ledger as of a day")
struct LedgerAsOfStoreTests {
    /// Closes a task as its owner and the group leader would, on the clock's day.
    static func close(_ task: RectificationTask, _ store: Store, _ t: FeedbackIssued) async throws {
        let owner = t.f.origin(.taskOwner)
        _ = try await store.attach(Data("%PDF-1.4 销号材料".utf8), filename: "销号材料.pdf", to: .task(task.id), origin: owner)
        let requested = try await store.take(TaskStep.requestClosure, on: task.id, input: TaskStepInput(note: "已完成"), version: task.version, origin: owner)
        _ = try await store.take(TaskStep.close, on: requested.id, input: TaskStepInput(note: nil), version: requested.version, origin: t.onSite.leader)
    }

    @Test(arguments: TestEngine.available)
    func aTaskClosedLateIsRedAndOverdueAsOfADayBeforeItsClosure(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStore(engine, clock: clock) { store in
            let t = try await Scenario.feedbackIssued(store)
            let office = t.office.actor
            let ownerAccount = try #require(t.f.actor(.taskOwner).userID)
            let owners = TaskOwners(leader: "张局长", department: "办公室", cadre: "整改责任人", cadreAccountID: ownerAccount)
            let (_, tasks) = try await t.approvedPlan(store, deadlines: [t.today.adding(days: 5), t.today.adding(days: 60)], owner: owners)
            clock.advance(by: 30 * 86_400)
            try await Self.close(tasks[0], store, t)
            let then = t.today.adding(days: 20)

            let redThen = try await store.rectificationTasks(TaskFilter(warning: .red, asOf: then), for: office)
            #expect(redThen.items.map(\.id) == [tasks[0].id], "past its deadline and not yet closed on the day")
            #expect(redThen.items.first?.warning(on: then, thresholds: WarningThresholds(greenDays: 30, yellowDays: 7)) == .red)
            #expect(try await store.rectificationTasks(TaskFilter(warning: .red), for: office).items.isEmpty, "closed since")
            #expect(try await store.overdueCounts(byPerson: false, today: then, for: office).map(\.overdue) == [1])
            #expect(try await store.overdueCounts(byPerson: false, for: office).isEmpty)
            let problemThen = try #require(try await store.problemLedger(today: then, for: office).items.first)
            #expect((problemThen.closed, problemThen.overdue) == (0, 1))
            let problemNow = try #require(try await store.problemLedger(for: office).items.first)
            #expect((problemNow.closed, problemNow.overdue) == (1, 0))

            let beforeApproval = t.today.adding(days: -1)
            #expect(try await store.rectificationTasks(TaskFilter(asOf: beforeApproval), for: office).items.isEmpty, "the plan was not yet approved")
            #expect(try await store.rectificationTasks(TaskFilter(asOf: then), for: office).items.count == 2)
        }
    }
}
