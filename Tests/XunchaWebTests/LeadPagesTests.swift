import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

@Suite("问题线索、立行立改与证据材料 pages")
struct LeadPagesTests {
    typealias Setup = FieldworkPagesTests.Setup

    static func form(_ session: SignIn, _ fields: [(String, String)]) -> [(String, String)] { FieldworkPagesTests.form(session, fields) }

    /// A working paper of the setup's assignment, drafted by the member and approved by the leader.
    static func approvedFinding(_ store: Store, _ s: Setup, title: String) async throws -> Finding {
        let content = try FindingContent.validate(
            title: title, manifestation: "\(title)：2025年发生，涉及金额8万元。", basis: "违反中央八项规定精神", evidence: nil, responsibility: nil, isCommon: false)
        return try await s.work.approvedPaper(store, content: content, note: "组务会同意")
    }

    /// A page form post with `multipart/form-data`, as a browser uploads a file.
    static func upload(
        _ client: some TestClientProtocol, _ path: String, session: SignIn, fields: [(String, String)], file: (filename: String, data: Data)?
    ) async throws -> TestResponse {
        let boundary = "----xuncha\(UUID().uuidString)"
        var body = Data()
        for (name, value) in [("_csrf", session.session.csrfToken)] + fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        if let file {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        let headers: HTTPFields = [
            .cookie: "\(AuthenticationMiddleware.cookieName)=\(session.token)", .contentType: "multipart/form-data; boundary=\(boundary)",
        ]
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    static let leadRoles: Set<Role> = [.leadCustodian, .leadingGroupMember, .groupLeader, .groupMember, .disciplineReceiver, .organisationReceiver]
    static let immediateRoles: Set<Role> = [.officeStaff, .leadingGroupMember, .groupLeader, .groupMember, .unitHead, .unitContact]

    @Test(arguments: TestEngine.available)
    func eachLeadAndImmediatePageOpensOnlyForTheRolesThatMaySeeIt(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let lead = try await s.work.registeredLead(store, Scenario.leadDetails("王某", subject: .discipline))
            let paper = try await Self.approvedFinding(store, s, title: "公车私用")
            let triaged = try await store.triage(paper.id, as: .immediate, note: nil, version: paper.version, origin: f.origin(.groupLeader))
            var item = try #require(try await store.immediateRectifications(for: f.actor(.officeStaff)).items.first)
            item = try await store.take(ImmediateStep.approve, on: item.id, input: .init(), version: item.version, origin: f.origin(.leadingGroupMember))
            item = try await store.take(ImmediateStep.issue, on: item.id, input: .init(problem: "单位公务用车管理不规范。", requirement: "立即清理。"), version: item.version, origin: f.origin(.groupLeader))

            let pages: [(String, Set<Role>)] = [
                ("/leads", Self.leadRoles),
                ("/leads/\(lead.id.text)", [.leadCustodian, .leadingGroupMember, .groupLeader, .groupMember]),
                ("/assignments/\(s.assignmentID)/leads/new", [.groupLeader, .groupMember]),
                ("/immediate-rectifications", Self.immediateRoles),
                ("/immediate-rectifications/\(item.id.text)", Self.immediateRoles),
            ]
            for role in Role.allCases {
                let session = try await f.signIn(store, role, kind: .web)
                for (path, allowed) in pages {
                    let response = try await client.page(.get, path, session: session)
                    if allowed.contains(role) {
                        #expect(response.status == .ok, "\(role) \(path): \(response.status)")
                    } else {
                        #expect([.forbidden, .notFound].contains(response.status), "\(role) \(path): \(response.status)")
                        #expect(!response.text.contains("王某"), "\(role) \(path) shows nothing of the lead")
                    }
                }
                let home = try await client.page(.get, "/", session: session)
                #expect(home.text.contains("href=\"/leads\"") == Self.leadRoles.contains(role), "\(role) and the menu entry 问题线索")
                #expect(home.text.contains("href=\"/immediate-rectifications\"") == Self.immediateRoles.contains(role), "\(role) and the menu entry 立行立改")
            }

            // The unit reads its notice, never the paper behind it.
            for role in [Role.unitHead, .unitContact] {
                let session = try await f.signIn(store, role, kind: .web)
                let list = try await client.page(.get, "/immediate-rectifications", session: session)
                #expect(list.text.contains("立行立改通知"))
                #expect(list.text.contains("单位公务用车管理不规范。"))
                let notice = try await client.page(.get, "/immediate-rectifications/\(item.id.text)", session: session)
                #expect(notice.text.contains("立行立改通知"))
                #expect(notice.text.contains("立即清理。"))
                for secret in ["公车私用", triaged.id.text, "/findings", "涉及金额8万元"] {
                    #expect(!notice.text.contains(secret), "\(role) never sees \(secret)")
                    #expect(!list.text.contains(secret), "\(role) never sees \(secret) in the list")
                }
                #expect(try await client.page(.get, "/findings/\(triaged.id.text)", session: session).status == .notFound)
            }
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let forOffice = try await client.page(.get, "/immediate-rectifications/\(item.id.text)", session: office)
            #expect(forOffice.text.contains("href=\"/findings/\(triaged.id.text)\""), "the office reaches the paper")

            // A receiving body sees only what was transferred to it.
            let personnel = try await Scenario.transfer(try await s.work.registeredLead(store, Scenario.leadDetails("赵某", subject: .personnel)), store, f)
            #expect(personnel.receiver == .organisation)
            let discipline = try await Scenario.transfer(lead, store, f)
            let organisation = try await f.signIn(store, .organisationReceiver, kind: .web)
            let inbox = try await client.page(.get, "/leads", session: organisation)
            #expect(inbox.text.contains("待办线索"))
            #expect(inbox.text.contains("赵某"))
            #expect(!inbox.text.contains("王某"), "nothing addressed to the discipline commission")
            #expect(try await client.page(.get, "/leads/\(discipline.id.text)", session: organisation).status == .notFound)
            let commission = try await f.signIn(store, .disciplineReceiver, kind: .web)
            let theirs = try await client.page(.get, "/leads", session: commission)
            #expect(theirs.text.contains("王某"))
            #expect(!theirs.text.contains("赵某"))
            #expect(try await client.page(.get, "/leads/\(discipline.id.text)", session: commission).status == .ok)
            for role in [Role.officeStaff, .unitHead, .unitContact] {
                let session = try await f.signIn(store, role, kind: .web)
                #expect(try await client.page(.get, "/leads/\(discipline.id.text)", session: session).status == .notFound, "\(role)")
                #expect(try await client.page(.get, "/leads", session: session).status == .forbidden, "\(role)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aLeadIsRegisteredScreenedProposedApprovedTransferredAnsweredAndClosedOnItsForms(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            let leader = try await f.signIn(store, .groupLeader, kind: .web)
            let board = try await f.signIn(store, .leadingGroupMember, kind: .web)
            let custodian = try await f.signIn(store, .leadCustodian, kind: .web)
            let commission = try await f.signIn(store, .disciplineReceiver, kind: .web)

            let blank = try await client.page(.get, "/assignments/\(s.assignmentID)/leads/new", session: member)
            for label in ["个别谈话", "信访举报", "调阅资料", "专项检查", "干部管理权限", "问题性质", "线索内容"] { #expect(blank.text.contains(label), "\(label)") }
            let fields: [(String, String)] = [
                ("source", "petition"), ("person_name", "王某"), ("person_post", "副局长"), ("subject", "discipline"), ("content", "反映王某收受管理服务对象礼金。"),
                ("evidence", "信访件2026-12"),
            ]
            let missing = try await client.page(.post, "/assignments/\(s.assignmentID)/leads", session: member, form: Self.form(member, fields))
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("干部管理权限"))
            #expect(missing.text.contains("反映王某收受管理服务对象礼金。"), "what was typed is kept")
            let registered = try await client.page(
                .post, "/assignments/\(s.assignmentID)/leads", session: member, form: Self.form(member, fields + [("authority", "committee")]))
            #expect(registered.status == .seeOther, "\(registered.text)")
            let path = try #require(registered.headers[.location]?.split(separator: "?").first.map(String.init))
            let id = try #require(UUID(text: String(path.dropFirst("/leads/".count))))
            func version() async throws -> String { String(try await store.lead(id, origin: f.origin(.leadCustodian)).version) }
            func step(_ session: SignIn, _ step: String, _ extra: [(String, String)] = []) async throws -> TestResponse {
                try await client.page(.post, "\(path)/steps", session: session, form: Self.form(session, [("step", step), ("version", try await version())] + extra))
            }

            let narrowed = try await client.page(.get, "/leads?assignment_id=\(s.assignmentID)", session: member)
            #expect(narrowed.text.contains("href=\"/assignments/\(s.assignmentID)/leads/new\""), "a member registers from the assignment's list")
            #expect(narrowed.text.contains("name=\"assignment_id\" value=\"\(s.assignmentID)\""), "the filter keeps the assignment")
            #expect(narrowed.text.contains("王某（副局长）"))
            let shown = try await client.page(.get, path, session: member)
            #expect(shown.text.contains("已登记"))
            #expect(shown.text.contains("信访件2026-12"))
            #expect(!shown.text.contains("data-step="), "a member takes no step")
            let forLeader = try await client.page(.get, path, session: leader)
            #expect(forLeader.text.contains("data-step=\"screen\""))
            #expect(forLeader.text.contains("data-step=\"dismiss\""))
            #expect(try await step(member, "screen", [("note", "研判")]).status == .forbidden)
            #expect(try await step(leader, "screen", [("note", "组务会研判，确认为线索")]).status == .seeOther)
            let screened = try await client.page(.get, path, session: leader)
            #expect(screened.text.contains("<option value=\"discipline\" selected>纪委监委（按问题性质建议）</option>"), "the subject's body is the default")
            let unexplained = try await step(leader, "propose", [("receiver", "discipline")])
            #expect(unexplained.status == .badRequest)
            #expect(unexplained.text.contains("移交意见"))
            #expect(try await step(leader, "propose", [("receiver", "discipline"), ("note", "建议移交市纪委监委")]).status == .seeOther)

            let forBoard = try await client.page(.get, path, session: board)
            #expect(forBoard.text.contains("data-step=\"approve\""))
            #expect(forBoard.text.contains("data-step=\"return\""))
            #expect(forBoard.text.contains("data-confirm=\"批准后"), "approval asks first")
            #expect(try await step(board, "approve").status == .seeOther)

            let forCustodian = try await client.page(.get, path, session: custodian)
            #expect(forCustodian.text.contains("移交单编号"))
            #expect(forCustodian.text.contains("个月内、即"), "the feedback due day is announced")
            #expect(try await step(custodian, "transfer", [("transfer_sheet", "")]).status == .badRequest)
            #expect(try await step(custodian, "transfer", [("transfer_sheet", "江巡移〔2026〕7号")]).status == .seeOther)
            #expect(try await client.page(.get, path, session: custodian).text.contains("江巡移〔2026〕7号"))

            let inbox = try await client.page(.get, "/leads", session: commission)
            #expect(inbox.text.contains("待办线索"))
            #expect(inbox.text.contains("王某"))
            let opened = try await client.page(.get, path, session: commission)
            #expect(opened.text.contains("data-step=\"receive\""))
            #expect(!opened.text.contains("/findings/"), "a receiver is not led to fieldwork")
            #expect(try await step(commission, "receive").status == .seeOther)
            let answering = try await client.page(.get, path, session: commission)
            for label in ["谈话函询", "初步核实", "暂存待查", "予以了结", "立案审查调查", "组织处理", "第四种形态", "涉及人数", "移送司法机关", "办理结果"] {
                #expect(answering.text.contains(label), "\(label)")
            }
            let noResult = try await step(commission, "answer", [("method", "preliminary_verification"), ("form", "2")])
            #expect(noResult.status == .badRequest)
            #expect(noResult.text.contains("办理结果"))
            #expect(try await step(commission, "answer", [
                ("method", "preliminary_verification"), ("form", "2"), ("people_count", "1"), ("sanctions", "党内严重警告"), ("result", "经初步核实，问题属实。"),
            ]).status == .seeOther)
            #expect(try await step(custodian, "close").status == .seeOther)
            let closed = try await client.page(.get, path, session: custodian)
            #expect(closed.text.contains("已销号"))
            #expect(closed.text.contains("第二种形态"))
            #expect(closed.text.contains("党内严重警告"))
            #expect(closed.text.contains("经初步核实，问题属实。"))
            for title in ["组务会研判", "提出移交意见", "批准移交", "移交", "签收", "反馈办理结果", "销号"] { #expect(closed.text.contains("<td>\(title)</td>"), "\(title)") }
            let reads = try await store.auditEntries(AuditQuery(action: AuditAction.leadViewed.rawValue), origin: f.origin(.auditAdministrator))
            #expect(reads.items.contains { $0.actorName == f.users[.disciplineReceiver]!.username }, "the receiver's reads are logged")
        }
    }

    @Test(arguments: TestEngine.available)
    func triagingAPaperAsALeadOnItsPageRegistersTheLead(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let leader = try await f.signIn(store, .groupLeader, kind: .web)
            let paper = try await Self.approvedFinding(store, s, title: "违规收受礼金")
            let path = "/findings/\(paper.id.text)"
            let page = try await client.page(.get, path, session: leader)
            #expect(page.text.contains("id=\"triage-lead\""))
            #expect(page.text.contains("违规收受礼金：2025年发生，涉及金额8万元。"), "the lead's content starts as the paper's")
            let unnamed = try await client.page(
                .post, "\(path)/triage", session: leader, form: Self.form(leader, [("disposition", "lead"), ("version", String(paper.version))]))
            #expect(unnamed.status == .badRequest)
            #expect(unnamed.text.contains("移交问题线索须填写被反映人"))
            let triaged = try await client.page(
                .post, "\(path)/triage", session: leader,
                form: Self.form(leader, [
                    ("disposition", "lead"), ("version", String(paper.version)), ("lead_person_name", "钱某"), ("lead_person_post", "财务科科长"),
                    ("lead_authority", "lower"), ("lead_subject", "discipline"), ("lead_content", ""),
                ]))
            #expect(triaged.status == .seeOther, "\(triaged.text)")
            let lead = try #require(try await store.leads(LeadQuery(), origin: f.origin(.leadCustodian)).items.first)
            #expect(lead.findingID == paper.id)
            #expect(lead.details.personName == "钱某")
            #expect(lead.details.source == .finding)
            #expect(lead.details.content == "违规收受礼金：2025年发生，涉及金额8万元。")
            let shown = try await client.page(.get, "/leads/\(lead.id.text)", session: leader)
            #expect(shown.text.contains("href=\"\(path)\""), "the lead links to its paper")
        }
    }

    @Test(arguments: TestEngine.available)
    func anImmediateRectificationIsApprovedIssuedSignedReportedWithAFileAndVerifiedOnItsForms(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let leader = try await f.signIn(store, .groupLeader, kind: .web)
            let board = try await f.signIn(store, .leadingGroupMember, kind: .web)
            let head = try await f.signIn(store, .unitHead, kind: .web)
            let contact = try await f.signIn(store, .unitContact, kind: .web)
            let paper = try await Self.approvedFinding(store, s, title: "超标准配备办公用房")
            #expect(try await client.page(
                .post, "/findings/\(paper.id.text)/triage", session: leader, form: Self.form(leader, [("disposition", "immediate"), ("version", String(paper.version))])
            ).status == .seeOther)
            let item = try #require(try await store.immediateRectifications(for: f.actor(.officeStaff)).items.first)
            let path = "/immediate-rectifications/\(item.id.text)"
            func version() async throws -> String { String(try await store.immediateRectification(item.id, for: f.actor(.officeStaff)).version) }
            func step(_ session: SignIn, _ step: String, _ extra: [(String, String)] = []) async throws -> TestResponse {
                try await client.page(.post, "\(path)/steps", session: session, form: Self.form(session, [("step", step), ("version", try await version())] + extra))
            }
            #expect(try await client.page(.get, "/immediate-rectifications", session: head).text.contains("暂无立行立改通知"), "nothing before the notice")
            #expect(try await client.page(.get, path, session: head).status == .notFound)

            #expect(try await client.page(.get, path, session: board).text.contains("data-step=\"approve\""))
            #expect(try await step(leader, "approve").status == .forbidden)
            #expect(try await step(board, "approve").status == .seeOther)
            let issuing = try await client.page(.get, path, session: leader)
            #expect(issuing.text.contains("超标准配备办公用房：2025年发生"), "the notice's problem starts from the paper")
            let noRequirement = try await step(leader, "issue", [("problem", "办公用房超标准。"), ("requirement", "")])
            #expect(noRequirement.status == .badRequest)
            #expect(noRequirement.text.contains("整改要求"))
            #expect(try await step(leader, "issue", [("problem", "局领导办公用房超标准。"), ("requirement", "立即腾退超标面积。"), ("deadline", "2027-01-20")]).status
                == .seeOther)

            let forContact = try await client.page(.get, path, session: contact)
            #expect(forContact.text.contains("局领导办公用房超标准。"))
            #expect(!forContact.text.contains("data-step=\"sign\""), "only the head signs")
            #expect(try await step(contact, "sign", [("endorse", "yes")]).status == .forbidden)
            let forHead = try await client.page(.get, path, session: head)
            #expect(forHead.text.contains("签字背书"))
            #expect(forHead.text.contains("data-step=\"sign\""))
            #expect(!forHead.text.contains("超标准配备办公用房"), "the paper's title stays hidden")
            let unendorsed = try await step(head, "sign")
            #expect(unendorsed.status == .badRequest)
            #expect(unendorsed.text.contains("签字背书"))
            #expect(try await step(head, "sign", [("endorse", "yes")]).status == .seeOther)
            #expect(try await client.page(.get, path, session: leader).text.contains("签收（签字背书）"))

            let reporting = try await client.page(.get, path, session: contact)
            #expect(reporting.text.contains("enctype=\"multipart/form-data\""))
            let disguised = try await Self.upload(
                client, "\(path)/report", session: contact, fields: [("step", "report"), ("version", try await version()), ("measures", "已腾退。")],
                file: ("腾退照片.pdf", Data("这不是PDF".utf8)))
            #expect(disguised.status == .unsupportedMediaType)
            #expect(disguised.text.contains("文件内容须与扩展名一致"))
            #expect(disguised.text.contains("已腾退。"), "what was typed is kept")
            #expect(try await store.immediateRectification(item.id, for: f.actor(.officeStaff)).status == .signed, "a refused file reports nothing")
            let reported = try await Self.upload(
                client, "\(path)/report", session: contact, fields: [("step", "report"), ("version", try await version()), ("measures", "已腾退超标面积20平方米。")],
                file: ("腾退情况.txt", Data("腾退情况说明".utf8)))
            #expect(reported.status == .seeOther, "\(reported.text)")

            let forLeader = try await client.page(.get, path, session: leader)
            #expect(forLeader.text.contains("已腾退超标面积20平方米。"))
            #expect(forLeader.text.contains("腾退情况.txt"))
            let fileID = try #require(try await store.attachments(of: .immediate(item.id), for: f.actor(.groupLeader)).first?.id.text)
            let download = try await client.page(.get, "/attachments/\(fileID)", session: leader)
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(download.text == "腾退情况说明")
            #expect(try await client.page(.get, "/attachments/\(fileID)", session: try await f.signIn(store, .disciplineReceiver, kind: .web)).status == .notFound)
            #expect(try await step(leader, "reject").status == .badRequest, "a rejection needs its reason")
            #expect(try await step(leader, "verify", [("note", "经核实，已整改到位。")]).status == .seeOther)
            let closed = try await client.page(.get, path, session: head)
            #expect(closed.text.contains("已销号"))
            #expect(closed.text.contains("经核实，已整改到位。"))
        }
    }

    @Test(arguments: TestEngine.available)
    func evidenceIsUploadedOnARecordAndADisguisedFileIsRefusedInChinese(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            #expect(try await client.page(
                .post, "/assignments/\(s.assignmentID)/records", session: member, form: Self.form(member, FieldworkPagesTests.petition(s))
            ).status == .seeOther)
            let recordID = try #require(try await store.onSiteRecords(RecordQuery(), for: f.actor(.officeStaff)).items.first?.id.text)
            let path = "/records/\(recordID)"
            #expect(try await client.page(.get, path, session: member).text.contains("id=\"evidence-upload\""))
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            #expect(!(try await client.page(.get, path, session: office).text.contains("id=\"evidence-upload\"")), "the office reads, it does not attach")

            let disguised = try await Self.upload(client, "\(path)/attachments", session: member, fields: [], file: ("凭证.png", Data("MZ\u{90}\u{0}".utf8)))
            #expect(disguised.status == .unsupportedMediaType)
            #expect(disguised.text.contains("只能上传 PDF、Word、Excel、OFD、图片（JPG/PNG）或纯文本文件"))
            let none = try await Self.upload(client, "\(path)/attachments", session: member, fields: [], file: nil)
            #expect(none.status == .badRequest)
            #expect(none.text.contains("证据文件"))
            let forged = try await client.execute(
                uri: "\(path)/attachments", method: .post,
                headers: [.cookie: "\(AuthenticationMiddleware.cookieName)=\(member.token)", .contentType: "multipart/form-data; boundary=x"],
                body: ByteBuffer(string: "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nabc\r\n--x--\r\n"))
            #expect(forged.status == .forbidden, "no upload without the form's token")
            let pdf = Data("%PDF-1.4\n%\u{e2}\u{e3}\n1 0 obj\n".utf8)
            let saved = try await Self.upload(client, "\(path)/attachments", session: member, fields: [], file: ("会计凭证.pdf", pdf))
            #expect(saved.status == .seeOther, "\(saved.text)")
            let shown = try await client.page(.get, path, session: office)
            #expect(shown.text.contains("会计凭证.pdf"))
            let record = try #require(UUID(text: recordID))
            let fileID = try #require(try await store.attachments(of: .record(record), for: f.actor(.officeStaff)).first?.id.text)
            let download = try await client.page(.get, "/attachments/\(fileID)", session: office)
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/pdf")
            for role in [Role.unitHead, .unitContact, .disciplineReceiver, .organisationReceiver] {
                let session = try await f.signIn(store, role, kind: .web)
                #expect(try await client.page(.get, "/attachments/\(fileID)", session: session).status == .notFound, "\(role)")
                let refused = try await Self.upload(client, "\(path)/attachments", session: session, fields: [], file: ("a.txt", Data("abc".utf8)))
                #expect([.forbidden, .notFound].contains(refused.status), "\(role): \(refused.status)")
            }

            let paper = try await Self.approvedFinding(store, s, title: "违规发放补贴")
            #expect(!(try await client.page(.get, "/findings/\(paper.id.text)", session: member).text.contains("id=\"evidence-upload\"")), "an approved paper takes no file")
            let drafted = try await client.page(
                .post, "/assignments/\(s.assignmentID)/findings", session: member,
                form: Self.form(member, FieldworkPagesTests.content + [("tags", "six_disciplines:1:integrity")]))
            let draftPath = try #require(drafted.headers[.location]?.split(separator: "?").first.map(String.init))
            #expect(try await client.page(.get, draftPath, session: member).text.contains("id=\"evidence-upload\""))
            let attached = try await Self.upload(client, "\(draftPath)/attachments", session: member, fields: [], file: ("说明.txt", Data("说明".utf8)))
            #expect(attached.status == .seeOther)
            #expect(try await client.page(.get, draftPath, session: member).text.contains("说明.txt"))
        }
    }

    /// A lead on a cadre managed lower down: the proposal names the lower committee, or sends it to
    /// the own 纪委监委 for the discipline group stationed in the cadre's unit.
    @Test(arguments: TestEngine.available)
    func theProposalOfALowerManagedCadresLeadOffersTheLowerCommitteesAndTheStationedGroup(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            let leader = try await f.signIn(store, .groupLeader, kind: .web)
            let fields: [(String, String)] = [
                ("source", "interview"), ("person_name", "孙某"), ("person_post", "科长"), ("subject", "discipline"), ("authority", "lower"),
                ("content", "反映孙某违规报销差旅费。"),
            ]
            let registered = try await client.page(.post, "/assignments/\(s.assignmentID)/leads", session: member, form: Self.form(member, fields))
            let path = try #require(registered.headers[.location]?.split(separator: "?").first.map(String.init))
            let id = try #require(UUID(text: String(path.dropFirst("/leads/".count))))
            func step(_ step: String, _ extra: [(String, String)] = []) async throws -> TestResponse {
                let version = String(try await store.lead(id, origin: f.origin(.leadCustodian)).version)
                return try await client.page(.post, "\(path)/steps", session: leader, form: Self.form(leader, [("step", step), ("version", version)] + extra))
            }
            #expect(try await step("screen", [("note", "可查")]).status == .seeOther)
            let page = try await client.page(.get, path, session: leader).text
            #expect(page.contains(#"name="receiver_jurisdiction_id""#))
            #expect(page.contains(f.countyA.name), "the committees below are offered")
            #expect(page.contains(#"name="via_stationed_body""#))
            let unnamed = try await step("propose", [("receiver", "discipline"), ("note", "移交")])
            #expect(unnamed.status == .badRequest)
            #expect(unnamed.text.contains("转派驻纪检监察组"))
            let proposed = try await step("propose", [("receiver", "discipline"), ("via_stationed_body", "yes"), ("note", "转驻局纪检监察组")])
            #expect(proposed.status == .seeOther, "\(proposed.text)")
            #expect(try await store.lead(id, origin: f.origin(.leadCustodian)).viaStationedBody)
            #expect(try await client.page(.get, path, session: leader).text.contains("纪委监委（转派驻纪检监察组）"))
        }
    }
}
