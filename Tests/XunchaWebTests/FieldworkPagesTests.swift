import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

@Suite("巡察工作记录、问题底稿与问题分类 pages")
struct FieldworkPagesTests {
    /// The round of `AssignmentsAPITests.setUp` on site: 第一巡察组 (张组长 leading, linked to the
    /// group-leader account; 周审计 serving, linked to the group-member account) inspects 市财政局,
    /// and both have signed the pledge.
    struct Setup {
        let assignmentID: String
        let leaderID: String
        let auditorID: String
        /// The group at work on the assignment, for scenarios built through the store.
        let work: Inspecting
    }

    static func setUp(_ store: Store, _ f: Fixture, _ client: some TestClientProtocol) async throws -> Setup {
        let s = try await FieldworkAPITests.setUp(store, f, client, office: try await f.signIn(store, .officeStaff).token)
        return Setup(assignmentID: s.assignmentID, leaderID: s.base.leaderID, auditorID: s.base.auditorID, work: s.work)
    }

    static func form(_ session: SignIn, _ fields: [(String, String)]) -> [(String, String)] {
        [("_csrf", session.session.csrfToken)] + fields
    }

    static func interview(_ s: Setup, inspectors: [(String, String)]) -> [(String, String)] {
        [
            ("kind", "interview"), ("subject", "李某"), ("subject_post", "财务科科长"), ("interview_category", "mandatory"), ("occurred_on", "2026-12-10"),
            ("place", "第一谈话室"), ("body", "谈及津补贴发放情况……"),
        ] + inspectors.flatMap { id, part in [("inspectors", id), ("part_\(id)", part)] }
    }

    static func petition(_ s: Setup) -> [(String, String)] {
        [
            ("kind", "petition"), ("subject", "反映违规发放补贴"), ("channel", "letter"), ("reflected_person", "李某"), ("in_scope", "yes"),
            ("occurred_on", "2026-12-11"), ("body", "来信称财务科以加班费名义发放补贴。"), ("inspectors", s.auditorID), ("part_\(s.auditorID)", "lead"),
            ("reporter_name", "赵某"), ("reporter_contact", "139xxxx0000"),
        ]
    }

    static let content: [(String, String)] = [
        ("title", "违规发放津补贴"), ("manifestation", "2025年以加班费名义向局机关人员发放补贴12.6万元。"), ("basis", "违反《中国共产党纪律处分条例》第一百零三条"),
        ("evidence", "会计凭证2025-07-031"), ("responsibility", "局党组负主体责任"),
    ]

    /// Who may see fieldwork: the group, the office, the custodians and the leading group.
    static let fieldworkRoles: Set<Role> = [.officeStaff, .leadCustodian, .leadingGroupMember, .groupLeader, .groupMember]

    @Test(arguments: TestEngine.available)
    func eachFieldworkPageOpensOnlyForTheRolesThatMaySeeIt(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Self.setUp(store, f, client)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            #expect(try await client.page(.post, "/assignments/\(s.assignmentID)/records", session: member, form: Self.form(member, Self.petition(s))).status == .seeOther)
            let recordID = try #require(try await store.onSiteRecords(RecordQuery(), for: f.actor(.officeStaff)).items.first?.id.text)
            let drafted = try await client.page(
                .post, "/assignments/\(s.assignmentID)/findings", session: member, form: Self.form(member, Self.content + [("tags", "six_disciplines:1:integrity")]))
            #expect(drafted.status == .seeOther, "\(drafted.text)")
            let findingPath = try #require(drafted.headers[.location]?.split(separator: "?").first.map(String.init))

            let pages: [(String, Set<Role>)] = [
                ("/findings", Self.fieldworkRoles),
                ("/classifications", Self.fieldworkRoles),
                ("/assignments/\(s.assignmentID)/records", Self.fieldworkRoles),
                ("/records/\(recordID)", Self.fieldworkRoles),
                ("/records/\(recordID)/reporter", [.groupLeader, .leadCustodian]),
                (findingPath, Self.fieldworkRoles),
                ("/findings?assignment_id=\(s.assignmentID)", Self.fieldworkRoles),
                ("/assignments/\(s.assignmentID)/findings/new", [.groupLeader, .groupMember]),
                ("\(findingPath)/edit", [.groupLeader, .groupMember]),
            ]
            let menu: [(String, Set<Role>)] = [("/findings", Self.fieldworkRoles), ("/classifications", Self.fieldworkRoles)]
            for role in Role.allCases {
                let session = try await f.signIn(store, role, kind: .web)
                for (path, allowed) in pages {
                    let response = try await client.page(.get, path, session: session)
                    if allowed.contains(role) {
                        #expect(response.status == .ok, "\(role) \(path): \(response.status)")
                    } else {
                        #expect([.forbidden, .notFound].contains(response.status), "\(role) \(path): \(response.status)")
                        #expect(!response.text.contains("反映违规发放补贴"), "\(role) \(path) shows nothing of the record")
                    }
                }
                let home = try await client.page(.get, "/", session: session)
                for (path, allowed) in menu {
                    #expect(home.text.contains("href=\"\(path)\"") == allowed.contains(role), "\(role) and the menu entry \(path)")
                }
            }
            for role in [Role.unitHead, .unitContact, .disciplineReceiver, .organisationReceiver] {
                let session = try await f.signIn(store, role, kind: .web)
                let posted = try await client.page(.post, "/assignments/\(s.assignmentID)/records", session: session, form: Self.form(session, Self.petition(s)))
                #expect([.forbidden, .notFound].contains(posted.status), "\(role) records nothing: \(posted.status)")
                let added = try await client.page(
                    .post, "/classifications", session: session, form: Self.form(session, [("code", "x"), ("title", "测试"), ("entries", "a,甲")]))
                #expect(added.status == .forbidden, "\(role) adds no classification")
            }
            #expect(try await store.onSiteRecords(RecordQuery(), for: f.actor(.officeStaff)).items.count == 1)

            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let assignment = try await client.page(.get, "/assignments/\(s.assignmentID)", session: office)
            #expect(assignment.text.contains("href=\"/assignments/\(s.assignmentID)/records\""), "the assignment page links to its records")
        }
    }

    @Test(arguments: TestEngine.available)
    func anInterviewNeedsTwoInspectorsAndARecorderAndTheOfficeOnlyReads(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Self.setUp(store, f, client)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let path = "/assignments/\(s.assignmentID)/records"

            let blank = try await client.page(.get, path, session: member)
            #expect(blank.text.contains("登记工作记录"))
            #expect(blank.text.contains("谈话对象"))
            #expect(blank.text.contains("张组长"), "the group's members are offered")
            #expect(try await client.page(.get, "\(path)?new=petition", session: member).text.contains("反映事项"), "the subject label follows the kind")
            #expect(try await client.page(.get, "\(path)?new=document_review", session: member).text.contains("调阅资料名称"))

            let alone = try await client.page(.post, path, session: member, form: Self.form(member, Self.interview(s, inspectors: [(s.auditorID, "lead")])))
            #expect(alone.status == .badRequest)
            #expect(alone.text.contains("个别谈话须至少两名巡察人员参加（一人谈话、一人记录）"))
            #expect(alone.text.contains("value=\"财务科科长\""), "what was typed is kept")
            #expect(alone.text.contains("谈及津补贴发放情况……"))
            let noRecorder = try await client.page(
                .post, path, session: member, form: Self.form(member, Self.interview(s, inspectors: [(s.auditorID, "lead"), (s.leaderID, "lead")])))
            #expect(noRecorder.status == .badRequest)
            #expect(noRecorder.text.contains("个别谈话须指定记录人"))
            #expect(try await store.onSiteRecords(RecordQuery(), for: f.actor(.officeStaff)).items.isEmpty, "refused forms write nothing")

            let saved = try await client.page(
                .post, path, session: member, form: Self.form(member, Self.interview(s, inspectors: [(s.leaderID, "lead"), (s.auditorID, "recorder")])))
            #expect(saved.status == .seeOther, "\(saved.text)")
            let list = try await client.page(.get, path, session: member)
            #expect(list.text.contains("李某"))
            #expect(list.text.contains("张组长（承办人）、周审计（记录人）"))

            let visit = try await client.page(
                .post, path, session: member,
                form: Self.form(member, [
                    ("kind", "field_visit"), ("subject", "市财政局国库科"), ("occurred_on", "2026-12-12"), ("body", "查看报销台账。"), ("inspectors", s.auditorID),
                    ("part_\(s.auditorID)", "lead"),
                ]))
            #expect(visit.status == .seeOther, "\(visit.text)")
            let first = try await client.page(.get, "\(path)?limit=1", session: member)
            #expect(first.text.contains("市财政局国库科"), "newest first")
            #expect(!first.text.contains(">李某</a>"))
            let next = try #require(first.text.range(of: #"href="([^"]+)">下一页"#, options: .regularExpression).map { String(first.text[$0]) })
            let second = try await client.page(.get, next.dropFirst(6).prefix { $0 != "\"" }.replacingOccurrences(of: "&amp;", with: "&"), session: member)
            #expect(second.text.contains(">李某</a>"))
            #expect(second.text.contains("已是最后一页"))

            let read = try await client.page(.get, path, session: office)
            #expect(read.status == .ok)
            #expect(read.text.contains("李某"))
            #expect(!read.text.contains("登记工作记录"), "the office reads, it does not record")
            let refused = try await client.page(
                .post, path, session: office, form: Self.form(office, Self.interview(s, inspectors: [(s.leaderID, "lead"), (s.auditorID, "recorder")])))
            #expect(refused.status == .forbidden)
            #expect(try await client.page(.get, "\(path)?kind=petition", session: office).text.contains("没有符合条件的记录"))
            #expect(try await client.page(.get, "\(path)?q=%E6%9D%8E", session: office).text.contains("李某"))

            let recordID = try #require(try await store.onSiteRecords(RecordQuery(kind: .interview), for: f.actor(.officeStaff)).items.first?.id.text)
            let record = try await client.page(.get, "/records/\(recordID)", session: office)
            #expect(record.text.contains("谈及津补贴发放情况……"))
            #expect(record.text.contains("必谈"))
            #expect(!record.text.contains("查看反映人信息"))
            let reads = try await store.auditEntries(AuditQuery(action: AuditAction.recordViewed.rawValue), origin: f.origin(.auditAdministrator))
            #expect(reads.items.contains { $0.actorName == f.users[.officeStaff]!.username }, "opening a record is logged")
        }
    }

    @Test(arguments: TestEngine.available)
    func aPetitionersNameIsShownOnlyToTheGroupLeaderAndTheCustodian(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Self.setUp(store, f, client)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            let leader = try await f.signIn(store, .groupLeader, kind: .web)
            let path = "/assignments/\(s.assignmentID)/records"
            let unnamed = try await client.page(
                .post, path, session: member, form: Self.form(member, Self.petition(s).filter { $0.0 != "reporter_name" }))
            #expect(unnamed.status == .badRequest)
            #expect(unnamed.text.contains("实名信访须填写反映人姓名"))
            #expect(unnamed.text.contains("value=\"139xxxx0000\""), "what was typed is kept")
            let saved = try await client.page(.post, path, session: member, form: Self.form(member, Self.petition(s)))
            #expect(saved.status == .seeOther, "\(saved.text)")
            let recordID = try #require(try await store.onSiteRecords(RecordQuery(), for: f.actor(.officeStaff)).items.first?.id.text)

            let forLeader = try await client.page(.get, "/records/\(recordID)", session: leader)
            #expect(forLeader.text.contains("查看反映人信息"))
            #expect(!forLeader.text.contains("赵某"), "the name stays behind the button")
            let revealed = try await client.page(.get, "/records/\(recordID)/reporter", session: leader)
            #expect(revealed.status == .ok)
            #expect(revealed.text.contains("赵某"))
            #expect(revealed.text.contains("139xxxx0000"))

            for role in [Role.groupMember, .officeStaff, .leadingGroupMember, .unitHead, .unitContact, .disciplineReceiver, .organisationReceiver] {
                let session = try await f.signIn(store, role, kind: .web)
                let record = try await client.page(.get, "/records/\(recordID)", session: session)
                #expect(!record.text.contains("查看反映人信息"), "\(role) is not offered the button")
                #expect(!record.text.contains("赵某"), "\(role)")
                let reporter = try await client.page(.get, "/records/\(recordID)/reporter", session: session)
                #expect(reporter.status == .notFound, "\(role): \(reporter.status)")
                #expect(!reporter.text.contains("赵某"), "\(role)")
                #expect(!(try await client.page(.get, path, session: session).text.contains("赵某")), "\(role)")
            }
            let reads = try await store.auditEntries(AuditQuery(action: AuditAction.reporterViewed.rawValue), origin: f.origin(.auditAdministrator))
            #expect(reads.items.count == 1, "each reading of a name is logged, refusals read nothing")
        }
    }

    @Test(arguments: TestEngine.available)
    func aWorkingPaperIsDraftedSubmittedApprovedByTheLeaderNumberedAndTriaged(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Self.setUp(store, f, client)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            let leader = try await f.signIn(store, .groupLeader, kind: .web)
            let office = try await f.signIn(store, .officeStaff, kind: .web)

            let blank = try await client.page(.get, "/assignments/\(s.assignmentID)/findings/new", session: member)
            #expect(blank.text.contains("享乐主义、奢靡之风"))
            #expect(blank.text.contains("title=\"四风 › 享乐主义、奢靡之风 › 违规吃喝\""), "each entry carries its path")
            #expect(blank.text.contains("class=\"check depth-1\""), "children are indented under their parent")
            let untagged = try await client.page(.post, "/assignments/\(s.assignmentID)/findings", session: member, form: Self.form(member, Self.content))
            #expect(untagged.status == .badRequest)
            #expect(untagged.text.contains("请至少选择一个问题分类"))
            #expect(untagged.text.contains("value=\"违规发放津补贴\""), "what was typed is kept")
            #expect(untagged.text.contains("会计凭证2025-07-031"))
            #expect(try await store.findings(FindingQuery(), for: f.actor(.officeStaff)).items.isEmpty)

            let drafted = try await client.page(
                .post, "/assignments/\(s.assignmentID)/findings", session: member,
                form: Self.form(member, Self.content + [("tags", "four_winds:1:banqueting"), ("tags", "six_disciplines:1:integrity")]))
            #expect(drafted.status == .seeOther, "\(drafted.text)")
            let path = try #require(drafted.headers[.location]?.split(separator: "?").first.map(String.init))
            let draft = try await client.page(.get, path, session: member)
            #expect(draft.text.contains("四风 › 享乐主义、奢靡之风 › 违规吃喝"))
            #expect(draft.text.contains("六项纪律 › 廉洁纪律"))
            #expect(draft.text.contains("草稿"))
            #expect(draft.text.contains("提交组务会审议"))
            #expect(draft.text.contains("修改底稿"))
            #expect(!draft.text.contains(">组长审定</button>"))

            let edit = try await client.page(.get, "\(path)/edit", session: member)
            #expect(edit.text.contains("value=\"four_winds:1:banqueting\" checked"))
            let version = { (id: String) async throws -> String in
                String(try await store.finding(try #require(UUID(text: id)), for: f.actor(.officeStaff)).version)
            }
            let findingID = String(path.dropFirst("/findings/".count))
            let edited = try await client.page(
                .post, path, session: member,
                form: Self.form(member, [("version", try await version(findingID)), ("title", "违规发放津补贴12.6万元")] + Self.content.dropFirst() + [("tags", "four_winds:1:allowances")]))
            #expect(edited.status == .seeOther, "\(edited.text)")

            func step(_ session: SignIn, _ step: String, note: String? = nil) async throws -> TestResponse {
                try await client.page(
                    .post, "\(path)/steps", session: session,
                    form: Self.form(session, [("step", step), ("version", try await version(findingID))] + (note.map { [("note", $0)] } ?? [])))
            }
            #expect(try await step(member, "submit").status == .seeOther)
            let reviewed = try await client.page(.get, path, session: member)
            #expect(reviewed.text.contains("待组务会审议"))
            #expect(!reviewed.text.contains(">组长审定</button>"), "a member does not approve")
            #expect(!reviewed.text.contains("修改底稿"), "no editing under review")
            #expect(try await client.page(.get, "\(path)/edit", session: member).status == .conflict)
            #expect(try await step(member, "approve", note: "同意").status == .forbidden)
            let forLeader = try await client.page(.get, path, session: leader)
            #expect(forLeader.text.contains(">组长审定</button>"))
            #expect(forLeader.text.contains(">退回修改</button>"))
            #expect(try await step(leader, "return", note: "补充会计凭证编号").status == .seeOther)
            let returned = try await client.page(.get, path, session: member)
            #expect(returned.text.contains("组长退回修改：补充会计凭证编号"))
            #expect(returned.text.contains("修改底稿"), "a returned paper is editable again")
            #expect(try await step(member, "submit").status == .seeOther)
            let noOpinion = try await step(leader, "approve")
            #expect(noOpinion.status == .badRequest)
            #expect(noOpinion.text.contains("“组务会意见”不能为空"))
            #expect(try await step(leader, "approve", note: "组务会一致同意").status == .seeOther)

            let approved = try await client.page(.get, path, session: office)
            #expect(approved.text.contains("〔2026〕第1轮第一巡察组底稿第01号"))
            #expect(approved.text.contains("已审定"))
            #expect(approved.text.contains("组务会一致同意"))
            #expect(approved.text.contains("四风 › 享乐主义、奢靡之风 › 违规发放津补贴或福利"))
            #expect(approved.text.contains("提交组务会审议"), "the history lists the steps")
            #expect(approved.text.contains("确定处置方式"), "the office triages")
            #expect(!(try await client.page(.get, path, session: member).text.contains("id=\"triage\"")), "a member does not triage")
            #expect(!(try await client.page(.get, path, session: try await f.signIn(store, .leadingGroupMember, kind: .web)).text.contains("id=\"triage\"")))
            #expect(try await client.page(.get, path, session: leader).text.contains("id=\"triage\""), "the group's leader triages")

            let unexplained = try await client.page(
                .post, "\(path)/triage", session: office, form: Self.form(office, [("disposition", "dropped"), ("version", try await version(findingID)), ("note", " ")]))
            #expect(unexplained.status == .badRequest)
            #expect(unexplained.text.contains("“不予认定的理由”不能为空"))
            let byMember = try await client.page(
                .post, "\(path)/triage", session: member, form: Self.form(member, [("disposition", "deadline"), ("version", try await version(findingID))]))
            #expect(byMember.status == .forbidden)
            let triaged = try await client.page(
                .post, "\(path)/triage", session: office, form: Self.form(office, [("disposition", "deadline"), ("version", try await version(findingID))]))
            #expect(triaged.status == .seeOther)
            #expect(try await client.page(.get, path, session: office).text.contains("限期整改"))

            let listed = try await client.page(.get, "/findings?disposition=deadline", session: office)
            #expect(listed.text.contains("违规发放津补贴12.6万元"))
            #expect(!(try await client.page(.get, "/findings?status=draft", session: office).text.contains("违规发放津补贴12.6万元")))
            #expect(try await client.page(.get, "/findings?q=%E6%B4%A5%E8%A1%A5%E8%B4%B4", session: member).text.contains("违规发放津补贴12.6万元"))
            #expect(try await client.page(.get, "/findings?status=nonsense", session: office).status == .badRequest)
        }
    }

    @Test(arguments: TestEngine.available)
    func theOfficeAddsAClassificationVersionAndBadEntriesAreExplained(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Self.setUp(store, f, client)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            let shown = try await client.page(.get, "/classifications", session: office)
            #expect(shown.text.contains("新增分类版本"))
            #expect(shown.text.contains("违规吃喝"))
            #expect(!(try await client.page(.get, "/classifications", session: member).text.contains("新增分类版本")), "only the office adds versions")
            let based = try await client.page(.get, "/classifications?base=six_disciplines", session: office)
            #expect(based.text.contains("integrity,廉洁纪律"), "a new version starts from the current one")

            let orphan = try await client.page(
                .post, "/classifications", session: office,
                form: Self.form(office, [("code", "six_disciplines"), ("title", "六项纪律"), ("entries", "political,政治纪律\nsub,下级条目,nowhere")]))
            #expect(orphan.status == .badRequest)
            #expect(orphan.text.contains("条目“下级条目”的上级“nowhere”不存在"))
            #expect(orphan.text.contains("sub,下级条目,nowhere"), "what was typed is kept")
            let malformed = try await client.page(
                .post, "/classifications", session: office, form: Self.form(office, [("code", "six_disciplines"), ("title", "六项纪律"), ("entries", "political")]))
            #expect(malformed.status == .badRequest)
            #expect(malformed.text.contains("第1行格式有误"))
            let badCode = try await client.page(
                .post, "/classifications", session: office, form: Self.form(office, [("code", "六项"), ("title", "六项纪律"), ("entries", "a,甲")]))
            #expect(badCode.text.contains("分类代码只能包含英文字母、数字和下划线"))

            let added = try await client.page(
                .post, "/classifications", session: office,
                form: Self.form(office, [
                    ("code", "six_disciplines"), ("title", "六项纪律"),
                    ("entries", "political,政治纪律\r\nintegrity，廉洁纪律\r\n\r\nintegrity_gifts,违规收受礼品礼金,integrity\r\nother,其他"),
                ]))
            #expect(added.status == .seeOther, "\(added.text)")
            let current = try await client.page(.get, "/classifications", session: member)
            #expect(current.text.contains("第2版"))
            #expect(!current.text.contains("<span class=\"badge\">历史版本</span>"))
            #expect(current.text.contains("违规收受礼品礼金"))
            let all = try await client.page(.get, "/classifications?all=1", session: member)
            #expect(all.text.contains("<span class=\"badge\">历史版本</span>"), "the older version is still shown on request")
            let form = try await client.page(.get, "/assignments/\(s.assignmentID)/findings/new", session: member)
            #expect(form.text.contains("value=\"six_disciplines:2:integrity_gifts\""), "new papers are tagged with the new version")
            #expect(!form.text.contains("value=\"six_disciplines:1:integrity\""))
            let schemes = try await store.classificationSchemes(for: f.actor(.officeStaff))
            #expect(schemes.first { $0.code == "six_disciplines" }?.path(of: "integrity_gifts") == "六项纪律 › 廉洁纪律 › 违规收受礼品礼金")
        }
    }
}
