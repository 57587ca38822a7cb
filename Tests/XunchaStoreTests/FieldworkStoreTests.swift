import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 进驻了解 and 问题底稿: who records, who reads, how a paper is approved and numbered, and triage.
@Suite("巡察工作记录与问题底稿 store")
struct FieldworkStoreTests {
    func interview(_ s: RoundOnSite) throws -> RecordContent {
        RecordContent(subject: "李某", subjectPost: "财务科科长", occurredOn: try CalendarDay(text: "2026-12-10", field: "d", label: "d"), place: "第一谈话室", body: "谈及津补贴发放情况……")
    }

    @Test(arguments: TestEngine.available)
    func anInterviewTakesTwoInspectorsAndARecorderAndOnlyTheGroupRecordsIt(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let alone = await #expect(throws: DomainError.self) {
                _ = try await store.recordOnSite(.interview, content: try interview(s), inspectors: [(s.memberID, .lead)], reporter: nil, in: s.finance.id, origin: s.member)
            }
            #expect(alone?.code == "two_interviewers")
            let stranger = await #expect(throws: DomainError.self) {
                _ = try await store.recordOnSite(
                    .interview, content: try interview(s), inspectors: [(s.memberID, .lead), (s.planned.conflicted.id, .recorder)], reporter: nil, in: s.finance.id,
                    origin: s.member)
            }
            #expect(stranger?.code == "not_in_group")
            let record = try await store.recordOnSite(
                .interview, content: try interview(s), inspectors: [(s.leaderID, .lead), (s.memberID, .recorder)], reporter: nil, in: s.finance.id, origin: s.member)
            #expect(record.inspectors.count == 2)
            #expect(record.content.interviewCategory == .selected)

            await #expect(throws: DomainError.self, "the office reads records but does not make them") {
                _ = try await store.recordOnSite(
                    .interview, content: try interview(s), inspectors: [(s.leaderID, .lead), (s.memberID, .recorder)], reporter: nil, in: s.finance.id, origin: s.office)
            }
            await #expect(throws: DomainError.notFound, "another group's unit is invisible") {
                _ = try await store.recordOnSite(
                    .interview, content: try interview(s), inspectors: [(s.leaderID, .lead), (s.memberID, .recorder)], reporter: nil,
                    in: try #require(s.staffed.second.assignments.first).id, origin: s.member)
            }
            #expect(try await store.onSiteRecords(RecordQuery(), for: s.f.actor(.officeStaff)).items.count == 1)
            #expect(try await store.onSiteRecords(RecordQuery(), for: s.f.actor(.leadingGroupMember)).items.count == 1)
            #expect(try await store.onSiteRecords(RecordQuery(), for: s.f.countyAOffice).items.isEmpty)
            for role in [Role.unitHead, .unitContact, .disciplineReceiver, .organisationReceiver, .systemAdministrator, .securityAdministrator, .auditAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.onSiteRecords(RecordQuery(), for: s.f.actor(role)) }
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.onSiteRecord(record.id, origin: s.f.origin(role)) }
            }
            _ = try await store.onSiteRecord(record.id, origin: s.office)
            let reads = try await store.auditEntries(AuditQuery(action: AuditAction.recordViewed.rawValue), origin: s.f.origin(.auditAdministrator))
            #expect(reads.items.contains { $0.actorName == s.f.users[.officeStaff]!.username }, "every read is logged with its reader")
        }
    }

    @Test(arguments: TestEngine.available)
    func aPetitionersIdentityIsReadOnlyByTheGroupLeaderAndTheCustodian(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let named = await #expect(throws: DomainError.self) {
                _ = try await store.recordOnSite(
                    .petition, content: RecordContent(subject: "反映违规发放补贴", occurredOn: try CalendarDay(text: "2026-12-11", field: "d", label: "d"), body: "来信称……", channel: .letter),
                    inspectors: [(s.memberID, .lead)], reporter: PetitionReporter(anonymous: false, name: nil, contact: nil), in: s.finance.id, origin: s.member)
            }
            #expect(named?.code == "reporter_required")
            let noChannel = await #expect(throws: DomainError.self) {
                _ = try await store.recordOnSite(
                    .petition, content: RecordContent(subject: "反映问题", occurredOn: try CalendarDay(text: "2026-12-11", field: "d", label: "d"), body: "……"),
                    inspectors: [(s.memberID, .lead)], reporter: nil, in: s.finance.id, origin: s.member)
            }
            #expect(noChannel?.code == "required")
            let petition = try await store.recordOnSite(
                .petition,
                content: RecordContent(
                    subject: "反映违规发放补贴", occurredOn: try CalendarDay(text: "2026-12-11", field: "d", label: "d"), body: "来信称财务科违规发放补贴。", channel: .letter,
                    reflectedPerson: "李某"),
                inspectors: [(s.memberID, .lead)], reporter: PetitionReporter(anonymous: false, name: "赵某", contact: "139xxxx0000"), in: s.finance.id, origin: s.member)
            #expect(try await store.petitionReporter(of: petition.id, origin: s.leader).name == "赵某")
            let custodian = try await store.createUser(
                UserDraft(username: "t.custodian", displayName: "线索管理员", jurisdictionID: s.f.city.id, roles: try RoleSet([.leadCustodian], unitGiven: false), unitID: nil),
                origin: Fixture.console)
            #expect(try await store.petitionReporter(of: petition.id, origin: RequestOrigin(actor: .account(custodian.user, jurisdictionPath: s.f.city.path))).contact == "139xxxx0000")
            for role in [Role.groupMember, .officeStaff, .leadingGroupMember, .unitHead, .unitContact, .disciplineReceiver, .auditAdministrator] {
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.petitionReporter(of: petition.id, origin: s.f.origin(role)) }
            }
            let reads = try await store.auditEntries(AuditQuery(action: AuditAction.reporterViewed.rawValue), origin: s.f.origin(.auditAdministrator))
            #expect(reads.items.count == 2)
            _ = try await store.onSiteRecords(RecordQuery(), for: s.office.actor, origin: s.office)
            let listed = try await store.auditEntries(AuditQuery(action: AuditAction.recordViewed.rawValue), origin: s.f.origin(.auditAdministrator))
            #expect(listed.items.contains { $0.actorName == s.f.users[.officeStaff]!.username && $0.event.detail == "工作记录列表中的信访件1件" }, "a list showing a petition is a logged read")
        }
    }

    @Test(arguments: TestEngine.available)
    func recordsWaitForTheOnSitePhase(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store, onSite: false)
            let early = await #expect(throws: DomainError.self) {
                _ = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            }
            #expect(early?.code == "not_on_site")
        }
    }

    @Test(arguments: TestEngine.available)
    func aWorkingPaperIsReviewedApprovedByItsLeaderAndNumberedNeverTwice(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let untagged = await #expect(throws: DomainError.self) { _ = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: [], origin: s.member) }
            #expect(untagged?.code == "classification_required")
            let unknown = await #expect(throws: DomainError.self) {
                _ = try await store.draftFinding(
                    in: s.finance.id, content: try Scenario.content(), tags: [ClassificationTag(scheme: "six_disciplines", version: 1, entry: "nonsense")], origin: s.member)
            }
            #expect(unknown?.code == "unknown_classification")
            #expect(try await store.findings(FindingQuery(), for: s.office.actor).items.isEmpty, "refused drafts wrote nothing")

            var paper = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            #expect(paper.status == .draft)
            #expect(paper.number == nil)
            paper = try await store.take(FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: s.member)
            let byMember = await #expect(throws: DomainError.self) {
                _ = try await store.take(FindingStep.approve, on: paper.id, note: "同意", version: paper.version, origin: s.member)
            }
            #expect(byMember?.code == "step_not_allowed")
            let byOffice = await #expect(throws: DomainError.self) {
                _ = try await store.take(FindingStep.approve, on: paper.id, note: "同意", version: paper.version, origin: s.office)
            }
            #expect(byOffice?.code == "not_a_member")
            let noReason = await #expect(throws: DomainError.self) {
                _ = try await store.take(FindingStep.returnForRevision, on: paper.id, note: nil, version: paper.version, origin: s.leader)
            }
            #expect(noReason?.code == "required")
            paper = try await store.take(FindingStep.returnForRevision, on: paper.id, note: "补充凭证编号", version: paper.version, origin: s.leader)
            #expect(paper.status == .returned)
            let stale = await #expect(throws: DomainError.self) {
                _ = try await store.editFinding(paper.id, content: try Scenario.content(), tags: Scenario.integrity, version: paper.version - 1, origin: s.member)
            }
            #expect(stale?.code == "stale_version")
            paper = try await store.editFinding(
                paper.id, content: try Scenario.content("违规发放津补贴12.6万元"), tags: Scenario.integrity + [ClassificationTag(scheme: "four_winds", version: 1, entry: "allowances")],
                version: paper.version, origin: s.member)
            #expect(paper.tags.count == 2)
            paper = try await store.take(FindingStep.submit, on: paper.id, note: nil, version: paper.version, origin: s.member)
            paper = try await store.take(FindingStep.approve, on: paper.id, note: "组务会一致同意", version: paper.version, origin: s.leader)
            #expect(paper.status == .approved)
            #expect(paper.number == "〔2026〕第1轮第一巡察组底稿第01号")
            #expect(paper.meetingOpinion == "组务会一致同意")
            let frozen = await #expect(throws: DomainError.self) {
                _ = try await store.editFinding(paper.id, content: try Scenario.content(), tags: Scenario.integrity, version: paper.version, origin: s.member)
            }
            #expect(frozen?.code == "finding_not_editable")

            var second = try await store.draftFinding(in: s.education.id, content: try Scenario.content("三重一大事项未经集体决策"), tags: Scenario.integrity, origin: s.leader)
            second = try await store.take(FindingStep.submit, on: second.id, note: nil, version: second.version, origin: s.leader)
            second = try await store.take(FindingStep.approve, on: second.id, note: "同意", version: second.version, origin: s.leader)
            #expect(second.number == "〔2026〕第1轮第一巡察组底稿第02号")
            #expect(try await store.history(FindingLifecycle.self, of: paper.id, for: s.office.actor).map(\.step.rawValue) == ["submit", "return", "submit", "approve"])
        }
    }

    @Test(arguments: TestEngine.available)
    func eachApprovedPaperGetsOneDispositionAndEveryChangeIsAudited(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            var paper = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            let early = await #expect(throws: DomainError.self) { _ = try await store.triage(paper.id, as: .deadline, note: nil, version: paper.version, origin: s.leader) }
            #expect(early?.code == "finding_not_approved")
            paper = try await s.atFinance.approve(paper, store)
            await #expect(throws: DomainError.forbidden) { _ = try await store.triage(paper.id, as: .deadline, note: nil, version: paper.version, origin: s.member) }
            await #expect(throws: DomainError.forbidden) { _ = try await store.triage(paper.id, as: .deadline, note: nil, version: paper.version, origin: s.f.origin(.leadingGroupMember)) }
            let unexplained = await #expect(throws: DomainError.self) { _ = try await store.triage(paper.id, as: .dropped, note: " ", version: paper.version, origin: s.leader) }
            #expect(unexplained?.code == "required")
            paper = try await store.triage(paper.id, as: .deadline, note: nil, version: paper.version, origin: s.leader)
            #expect(paper.disposition == .deadline)
            paper = try await store.triage(paper.id, as: .immediate, note: "群众反映强烈，可立即纠正", version: paper.version, origin: s.office)
            #expect(paper.disposition == .immediate)
            let log = try await store.auditEntries(AuditQuery(action: AuditAction.findingTriaged.rawValue), origin: s.f.origin(.auditAdministrator))
            #expect(log.items.count == 2)
            #expect(log.items.contains { $0.event.detail?.contains("由“限期整改”改为立行立改") == true })
            #expect(try await store.findings(FindingQuery(disposition: .immediate), for: s.office.actor).items.map(\.id) == [paper.id])
        }
    }

    @Test(arguments: TestEngine.available)
    func findingsStayInsideTheGroupAndTheOfficeAndLeaveARecusedMember(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let paper = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            _ = try await store.draftFinding(in: s.education.id, content: try Scenario.content("其他问题"), tags: Scenario.integrity, origin: s.leader)
            #expect(try await store.findings(FindingQuery(), for: s.member.actor).items.count == 2)
            #expect(try await store.findings(FindingQuery(search: "津补贴"), for: s.office.actor).items.map(\.id) == [paper.id])
            #expect(try await store.findings(FindingQuery(), for: s.f.countyAOffice).items.isEmpty)
            for role in [Role.unitHead, .unitContact, .disciplineReceiver, .organisationReceiver, .systemAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.findings(FindingQuery(), for: s.f.actor(role)) }
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.finding(paper.id, for: s.f.actor(role)) }
            }
            try await store.declareOwnConflict(unit: s.planned.units[0].id, reason: "配偶在该局工作", origin: s.member)
            #expect(try await store.findings(FindingQuery(), for: s.member.actor).items.map(\.unitName) == ["市教育局"], "recused from 市财政局")
            await #expect(throws: DomainError.notFound) { _ = try await store.finding(paper.id, for: s.member.actor) }
        }
    }

    @Test(arguments: TestEngine.available)
    func theOfficeAddsAClassificationVersionWithoutCode(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let schemes = try await store.classificationSchemes(for: s.office.actor)
            #expect(schemes.map(\.title).prefix(3) == ["三大问题", "四个落实", "六项纪律"])
            #expect(schemes.first { $0.code == "four_winds" }?.path(of: "banqueting") == "四风 › 享乐主义、奢靡之风 › 违规吃喝")
            #expect(schemes.last?.code == "four_forms", "四种形态 ships with migration 11")
            let v2 = try await store.addClassificationVersion(
                ClassificationScheme(
                    code: "six_disciplines", title: "六项纪律", version: 0,
                    entries: ["政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律", "其他"].enumerated().map { ClassificationEntry(code: "d\($0.offset)", title: $0.element) }),
                origin: s.office)
            #expect(v2.version == 2)
            #expect(try await store.classificationSchemes(for: s.member.actor).first { $0.code == "six_disciplines" }?.version == 2)
            #expect(try await store.classificationSchemes(latestOnly: false, for: s.member.actor).filter { $0.code == "six_disciplines" }.count == 2)
            let tagged = try await store.draftFinding(
                in: s.finance.id, content: try Scenario.content(), tags: [ClassificationTag(scheme: "six_disciplines", version: 2, entry: "d6")], origin: s.member)
            #expect(tagged.tags == [ClassificationTag(scheme: "six_disciplines", version: 2, entry: "d6")])
            _ = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            let duplicate = await #expect(throws: DomainError.self) {
                _ = try await store.addClassificationVersion(
                    ClassificationScheme(code: "x", title: "测试", version: 0, entries: [.init(code: "a", title: "甲"), .init(code: "a", title: "乙")]), origin: s.office)
            }
            #expect(duplicate?.code == "duplicate_entry")
            let orphan = await #expect(throws: DomainError.self) {
                _ = try await store.addClassificationVersion(
                    ClassificationScheme(code: "x", title: "测试", version: 0, entries: [.init(code: "a", title: "甲", parent: "z")]), origin: s.office)
            }
            #expect(orphan?.code == "unknown_parent")
            await #expect(throws: DomainError.forbidden) {
                _ = try await store.addClassificationVersion(ClassificationScheme(code: "x", title: "测试", version: 0, entries: [.init(code: "a", title: "甲")]), origin: s.leader)
            }
            let countyB = try await store.classificationSchemes(for: s.f.countyBOffice)
            #expect(countyB.first { $0.code == "six_disciplines" }?.version == 1, "another committee keeps the shipped version")
        }
    }

    /// Run twice: scanning the scope (the default for one committee) and through the full-text
    /// index (threshold 0, as for a wide scope).
    @Test(arguments: TestEngine.available, [SearchSQL.indexThreshold, 0])
    func chineseSearchFindsSubstringsOfAnyLengthWithinTheReadersScope(engine: TestEngine, threshold: Int) async throws {
        try await withTestStore(engine, searchIndexThreshold: threshold) { store in
            let s = try await Scenario.onSite(store)
            var paper = try await store.draftFinding(in: s.finance.id, content: try Scenario.content("违规发放津补贴"), tags: Scenario.integrity, origin: s.member)
            _ = try await store.draftFinding(in: s.education.id, content: try Scenario.content("三重一大事项未经集体决策"), tags: Scenario.integrity, origin: s.leader)
            _ = try await store.recordOnSite(
                .fieldVisit, content: RecordContent(subject: "国库支付中心", occurredOn: try CalendarDay(text: "2026-12-12", field: "d", label: "d"), body: "走访了解财务科报销流程"),
                inspectors: [(s.memberID, .lead)], reporter: nil, in: s.finance.id, origin: s.member)
            func titles(_ q: String, _ actor: Actor) async throws -> [String] {
                try await store.findings(FindingQuery(search: q), for: actor).items.map(\.content.title)
            }
            let office = s.office.actor
            #expect(try await titles("津补贴", office) == ["违规发放津补贴"], "three characters: the full-text index on a wide scope")
            #expect(try await titles("津补", office) == ["违规发放津补贴"], "two characters: the fallback")
            #expect(try await titles("集体决策", office) == ["三重一大事项未经集体决策"])
            #expect(try await titles("加班费名义", office).count == 2, "the manifestation is searched too")
            #expect(try await titles("没有这个词", office).isEmpty)
            #expect(try await titles("a\"b%_", office).isEmpty, "quotes and wildcards are text")
            #expect(try await titles("津补贴", s.f.countyAOffice).isEmpty, "search stays within the reader's scope")
            paper = try await store.editFinding(paper.id, content: try Scenario.content("超标准公务接待"), tags: Scenario.integrity, version: paper.version, origin: s.member)
            #expect(try await titles("公务接待", office) == ["超标准公务接待"], "edits reach the index")
            #expect(try await titles("津补贴", office).isEmpty)
            #expect(try await store.onSiteRecords(RecordQuery(search: "报销流程"), for: office).items.map(\.content.subject) == ["国库支付中心"])
            try await store.declareOwnConflict(unit: s.planned.units[0].id, reason: "配偶在该局工作", origin: s.member)
            #expect(try await store.onSiteRecords(RecordQuery(search: "报销流程"), for: s.member.actor).items.isEmpty, "not for a recused member")
        }
    }
}
