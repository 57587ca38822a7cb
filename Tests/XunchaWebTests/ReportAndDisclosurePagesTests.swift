import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// Report, feedback, rectification-report and disclosure pages, role by role, and the public page.
@Suite("报告、反馈意见、整改报告与整改公开 pages")
struct ReportAndDisclosurePagesTests {
    typealias Setup = FieldworkPagesTests.Setup

    static func form(_ session: SignIn, _ fields: [(String, String)]) -> [(String, String)] { FieldworkPagesTests.form(session, fields) }

    static let reportRoles: Set<Role> = [.officeStaff, .leadingGroupMember, .groupLeader, .groupMember]
    static let feedbackRoles: Set<Role> = [.officeStaff, .leadingGroupMember, .groupLeader, .groupMember, .unitHead, .unitContact]
    static let rectificationRoles: Set<Role> = [.officeStaff, .leadingGroupMember, .disciplineReceiver, .organisationReceiver, .unitHead, .unitContact]
    static let disclosureRoles: Set<Role> = [.officeStaff, .leadingGroupMember]

    /// A 限期整改 paper of the setup's assignment.
    static func deadlinePaper(_ store: Store, _ s: Setup) async throws -> Finding {
        let paper = try await LeadPagesTests.approvedFinding(store, s, title: "三重一大事项未经集体决策")
        return try await store.triage(paper.id, as: .deadline, note: nil, version: paper.version, origin: s.work.leader)
    }

    /// The inspection report drafted by the member and approved through the standard chain.
    static func approvedReport(_ store: Store, _ s: Setup, paper: Finding) async throws -> Report {
        try await s.work.approvedReport(store, findings: [paper.id], drafter: .groupMember, title: "关于巡察市财政局党组的情况报告", body: "一、基本情况……")
    }

    /// Feedback with its one problem, issued.
    static func issuedFeedback(_ store: Store, _ s: Setup) async throws -> Feedback {
        _ = try await Self.approvedReport(store, s, paper: try await Self.deadlinePaper(store, s))
        let today = CalendarDay(store.clock.now())
        return try await s.work.feedback(
            store,
            document: FeedbackDocument(
                number: "江巡反〔2026〕1号", title: "关于巡察市财政局党组的反馈意见", mainRecipient: "市财政局党组", copyRecipients: [], body: "根据市委统一部署……",
                planDue: today.adding(days: 15), reportDue: today.adding(months: 2)))
    }

    @Test(arguments: TestEngine.available)
    func reportAndFeedbackPagesOpenRoleByRoleAndTheUnitReadsOnlyItsIssuedFeedback(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let paper = try await Self.deadlinePaper(store, s)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            let newReport = try await client.page(.get, "/assignments/\(s.assignmentID)/reports/new", session: member)
            #expect(newReport.status == .ok)
            #expect(newReport.text.contains("value=\"\(paper.id.text)\""), "the approved paper can be picked")
            let drafted = try await client.page(
                .post, "/assignments/\(s.assignmentID)/reports", session: member,
                form: Self.form(member, [("kind", "inspection"), ("title", "关于巡察市财政局党组的情况报告"), ("body", "一、基本情况……"), ("finding_ids", paper.id.text)]))
            #expect(drafted.status == .seeOther)
            let report = try #require(try await store.reports(for: f.actor(.officeStaff)).items.first)
            #expect(report.findingIDs == [paper.id])

            let leader = try await f.signIn(store, .groupLeader, kind: .web)
            let submitted = try await client.page(
                .post, "/reports/\(report.id.text)/steps", session: leader, form: Self.form(leader, [("step", "submit"), ("version", "\(report.version)")]))
            #expect(submitted.status == .seeOther)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let pending = try await client.page(.get, "/reports/\(report.id.text)", session: office)
            #expect(pending.text.contains("巡察办审核") && pending.text.contains("step-approve") && pending.text.contains("step-return"))
            let bare = try await client.page(
                .post, "/reports/\(report.id.text)/steps", session: office, form: Self.form(office, [("step", "return"), ("version", "2"), ("note", " ")]))
            #expect(bare.status == .badRequest)
            #expect(bare.text.contains("退回意见"))
            let returned = try await client.page(
                .post, "/reports/\(report.id.text)/steps", session: office, form: Self.form(office, [("step", "return"), ("version", "2"), ("note", "事实表述不够准确")]))
            #expect(returned.status == .seeOther)
            let history = try await client.page(.get, "/reports/\(report.id.text)", session: member)
            #expect(history.text.contains("事实表述不够准确") && history.text.contains("退回"))
            #expect(history.text.contains("report-edit"), "the group revises a returned report")
            let revised = try await client.page(
                .post, "/reports/\(report.id.text)", session: member,
                form: Self.form(member, [("title", "关于巡察市财政局党组的情况报告（修改稿）"), ("body", "一、基本情况（修改）"), ("finding_ids", paper.id.text), ("version", "3")]))
            #expect(revised.status == .seeOther)
            #expect(try await store.report(report.id, for: f.actor(.officeStaff)).title == "关于巡察市财政局党组的情况报告（修改稿）")
            #expect(!(try await client.page(.get, "/reports/\(report.id.text)", session: office).text.contains("report-edit")), "only the group edits")
            var current = try await store.report(report.id, for: f.actor(.officeStaff))
            current = try await store.take(ReportStep.submit, on: report.id, note: nil, version: current.version, origin: f.origin(.groupLeader))
            for role in [Role.officeStaff, .leadingGroupMember, .officeStaff, .officeStaff] {
                current = try await store.take(ReportStep.approve, on: report.id, note: nil, version: current.version, origin: f.origin(role))
            }
            let filed = try await client.page(.post, "/reports/\(report.id.text)/filings", session: office, form: Self.form(office, [("recipient", "省委巡视办")]))
            #expect(filed.status == .seeOther)
            let approved = try await client.page(.get, "/reports/\(report.id.text)", session: office)
            #expect(approved.text.contains("省委巡视办") && approved.text.contains("/assignments/\(s.assignmentID)/feedback/new"))
            #expect(approved.text.contains("href=\"/findings/\(paper.id.text)\""), "the office reaches the papers behind the report")
            let filtered = try await client.page(.get, "/reports?kind=thematic", session: office)
            #expect(!filtered.text.contains("关于巡察市财政局党组的情况报告"), "the kind filter")
            #expect(try await client.page(.get, "/reports?status=bogus", session: office).status == .badRequest)

            // Feedback: the deadlines default to 15 days and two months after today.
            let today = CalendarDay(store.clock.now())
            let newFeedback = try await client.page(.get, "/assignments/\(s.assignmentID)/feedback/new", session: office)
            #expect(newFeedback.text.contains("value=\"\(today.adding(days: 15).description)\""))
            #expect(newFeedback.text.contains("value=\"\(today.adding(months: 2).description)\""))
            let created = try await client.page(
                .post, "/assignments/\(s.assignmentID)/feedback", session: office,
                form: Self.form(office, [
                    ("number", "江巡反〔2026〕1号"), ("title", "关于巡察市财政局党组的反馈意见"), ("main_recipient", "市财政局党组"), ("copy_recipients", "市纪委监委、市委组织部"),
                    ("body", "根据市委统一部署……"), ("plan_due", today.adding(days: 15).description), ("report_due", today.adding(months: 2).description),
                ]))
            #expect(created.status == .seeOther, "\(created.text)")
            var feedback = try #require(try await store.feedbacks(for: f.actor(.officeStaff)).items.first)
            let head = try await f.signIn(store, .unitHead, kind: .web)
            #expect(!(try await client.page(.get, "/feedback", session: head).text.contains("江巡反〔2026〕1号")), "a draft stays with the office")
            #expect(try await client.page(.get, "/feedback/\(feedback.id.text)", session: head).status == .notFound)
            let problem = try #require(feedback.problems.first)
            let worded = try await client.page(
                .post, "/feedback/\(feedback.id.text)/problems/\(problem.id.text)", session: office,
                form: Self.form(office, [("text", "党组落实“三重一大”集体决策制度不到位"), ("version", "\(feedback.version)")]))
            #expect(worded.status == .seeOther)
            feedback = try await store.feedback(feedback.id, for: f.actor(.officeStaff))
            let draftPage = try await client.page(.get, "/feedback/\(feedback.id.text)", session: office)
            #expect(draftPage.text.contains("feedback-issue") && draftPage.text.contains("data-confirm"), "issue asks first")
            let issued = try await client.page(
                .post, "/feedback/\(feedback.id.text)/issue", session: office, form: Self.form(office, [("version", "\(feedback.version)")]))
            #expect(issued.status == .seeOther)

            let pages: [(String, Set<Role>)] = [
                ("/reports", Self.reportRoles),
                ("/reports/\(report.id.text)", Self.reportRoles),
                ("/feedback", Self.feedbackRoles),
                ("/feedback/\(feedback.id.text)", Self.feedbackRoles),
            ]
            for role in Role.allCases {
                let session = try await f.signIn(store, role, kind: .web)
                for (path, allowed) in pages {
                    let response = try await client.page(.get, path, session: session)
                    if allowed.contains(role) {
                        #expect(response.status == .ok, "\(role) \(path): \(response.status)")
                    } else {
                        #expect([.forbidden, .notFound].contains(response.status), "\(role) \(path): \(response.status)")
                        #expect(!response.text.contains("关于巡察市财政局党组"), "\(role) \(path) shows nothing")
                    }
                }
                let home = try await client.page(.get, "/", session: session)
                #expect(home.text.contains("href=\"/reports\"") == Self.reportRoles.contains(role), "\(role) and the menu entry 巡察报告")
                #expect(home.text.contains("href=\"/feedback\"") == Self.feedbackRoles.contains(role), "\(role) and the menu entry 反馈意见")
            }
            for role in [Role.unitHead, .unitContact] {
                let session = try await f.signIn(store, role, kind: .web)
                let seen = try await client.page(.get, "/feedback/\(feedback.id.text)", session: session)
                #expect(seen.text.contains("党组落实“三重一大”集体决策制度不到位"))
                for secret in [paper.id.text, "/findings", "三重一大事项未经集体决策", report.id.text] {
                    #expect(!seen.text.contains(secret), "\(role) never sees \(secret)")
                }
                #expect(!seen.text.contains("feedback-issue") && !seen.text.contains("保存表述"), "read-only for the unit")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theHeadSignsOnThePageAndOnlyAnApprovedDisclosureIsPublishedOnThePublicPage(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let feedback = try await Self.issuedFeedback(store, s)
            let contact = try await f.signIn(store, .unitContact, kind: .web)
            let head = try await f.signIn(store, .unitHead, kind: .web)
            let unitView = try await client.page(.get, "/feedback/\(feedback.id.text)", session: contact)
            #expect(unitView.text.contains("rectification-report-form"))
            let drafted = try await client.page(
                .post, "/feedback/\(feedback.id.text)/rectification-reports", session: contact,
                form: Self.form(contact, [("kind", "rectification"), ("title", "关于巡察反馈意见整改情况的报告"), ("body", "一、整改工作总体情况……")]))
            #expect(drafted.status == .seeOther)
            var report = try #require(try await store.rectificationReports(for: f.actor(.unitHead)).items.first)

            let bySomeoneElse = try await client.page(
                .post, "/rectification-reports/\(report.id.text)/steps", session: contact,
                form: Self.form(contact, [("step", "sign"), ("version", "\(report.version)"), ("endorse", "yes")]))
            #expect(bySomeoneElse.status == .forbidden)
            #expect(bySomeoneElse.text.contains("主要负责人本人"))
            let unendorsed = try await client.page(
                .post, "/rectification-reports/\(report.id.text)/steps", session: head, form: Self.form(head, [("step", "sign"), ("version", "\(report.version)")]))
            #expect(unendorsed.status == .badRequest)
            #expect(try await store.rectificationReport(report.id, for: f.actor(.officeStaff)).signature == nil, "nothing written")
            let signed = try await client.page(
                .post, "/rectification-reports/\(report.id.text)/steps", session: head,
                form: Self.form(head, [("step", "sign"), ("version", "\(report.version)"), ("endorse", "yes")]))
            #expect(signed.status == .seeOther)
            report = try await store.rectificationReport(report.id, for: f.actor(.officeStaff))
            let digest = try #require(report.signature?.digest)
            #expect(try await client.page(.get, "/rectification-reports/\(report.id.text)", session: contact).text.contains(digest))
            report = try await store.take(RectificationReportStep.submit, on: report.id, note: nil, version: report.version, origin: f.origin(.unitContact))
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let accepted = try await client.page(
                .post, "/rectification-reports/\(report.id.text)/steps", session: office,
                form: Self.form(office, [("step", "accept"), ("version", "\(report.version)"), ("note", "整改情况属实")]))
            #expect(accepted.status == .seeOther)

            let otherUnit = try await store.createUnit(
                UnitDraft(name: "市统计局", type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: f.city.id, origin: Fixture.console)
            let stranger = try await store.createUser(
                UserDraft(username: "t.other.head", displayName: "统计局书记", jurisdictionID: f.city.id, roles: try RoleSet([.unitHead], unitGiven: true), unitID: otherUnit.id),
                origin: Fixture.console)
            let strangerActor = Actor.account(stranger.user, jurisdictionPath: f.city.path)
            #expect(try await store.rectificationReports(for: strangerActor).items.isEmpty, "another unit sees none of it")
            await #expect(throws: DomainError.notFound) {
                _ = try await store.take(RectificationReportStep.return, on: report.id, note: "x", version: report.version + 1, origin: RequestOrigin(actor: strangerActor))
            }
            for role in Role.allCases {
                let session = try await f.signIn(store, role, kind: .web)
                for path in ["/rectification-reports", "/rectification-reports/\(report.id.text)"] {
                    let response = try await client.page(.get, path, session: session)
                    if Self.rectificationRoles.contains(role) {
                        #expect(response.status == .ok, "\(role) \(path): \(response.status)")
                    } else {
                        #expect([.forbidden, .notFound].contains(response.status), "\(role) \(path): \(response.status)")
                    }
                }
                let home = try await client.page(.get, "/", session: session)
                #expect(home.text.contains("href=\"/rectification-reports\"") == Self.rectificationRoles.contains(role), "\(role) and 整改报告")
                #expect(home.text.contains("href=\"/disclosures\"") == Self.disclosureRoles.contains(role), "\(role) and 整改公开")
            }

            // The disclosure: drafted from the accepted report, refused publication until approved.
            let reportPage = try await client.page(.get, "/rectification-reports/\(report.id.text)", session: office)
            #expect(reportPage.text.contains("disclosure-form") && reportPage.text.contains("正在初核或已立案尚未公布的案件"))
            let prepared = try await client.page(
                .post, "/rectification-reports/\(report.id.text)/disclosures", session: office,
                form: Self.form(office, [
                    ("title", "市财政局党组关于巡察整改情况的通报"), ("text", "一、整改工作总体情况（公开稿）"), ("exemptions", "pending_case"), ("channel", "public"),
                ]))
            #expect(prepared.status == .seeOther)
            var disclosure = try #require(try await store.disclosures(for: f.actor(.officeStaff)).items.first)
            #expect(disclosure.exemptions == [.pendingCase])
            let early = try await client.page(
                .post, "/disclosures/\(disclosure.id.text)/steps", session: office, form: Self.form(office, [("step", "publish"), ("version", "\(disclosure.version)")]))
            #expect(early.status == .conflict)
            #expect(early.text.contains("领导小组审定"))
            #expect(try await store.disclosure(disclosure.id, for: f.actor(.officeStaff)).status == .draft, "nothing written")
            #expect(!(try await client.page(.get, "/public/\(f.city.id.text)", session: nil).text.contains("公开稿")))

            let leadingGroup = try await f.signIn(store, .leadingGroupMember, kind: .web)
            let review = try await client.page(.get, "/disclosures/\(disclosure.id.text)", session: leadingGroup)
            #expect(review.text.contains("step-approve") && !review.text.contains("step-publish"))
            let approved = try await client.page(
                .post, "/disclosures/\(disclosure.id.text)/steps", session: leadingGroup,
                form: Self.form(leadingGroup, [("step", "approve"), ("version", "\(disclosure.version)")]))
            #expect(approved.status == .seeOther)
            disclosure = try await store.disclosure(disclosure.id, for: f.actor(.officeStaff))
            let circulated = try await client.page(
                .post, "/disclosures/\(disclosure.id.text)/circulation", session: office,
                form: Self.form(office, [("number", "江巡办〔2027〕3号"), ("scope", "市直各单位党组织"), ("date", "2027-03-10"), ("version", "\(disclosure.version)")]))
            #expect(circulated.status == .seeOther)
            disclosure = try await store.disclosure(disclosure.id, for: f.actor(.officeStaff))
            let published = try await client.page(
                .post, "/disclosures/\(disclosure.id.text)/steps", session: office, form: Self.form(office, [("step", "publish"), ("version", "\(disclosure.version)")]))
            #expect(published.status == .seeOther)
            var internalOne = try await store.draftDisclosure(
                from: report.id, title: "单位内部公开稿", text: "内部张贴", exemptions: [], channel: .unitInternal, origin: f.origin(.officeStaff))
            internalOne = try await store.take(DisclosureStep.approve, on: internalOne.id, note: nil, version: internalOne.version, origin: f.origin(.leadingGroupMember))
            internalOne = try await store.take(DisclosureStep.publish, on: internalOne.id, note: nil, version: internalOne.version, origin: f.origin(.officeStaff))

            for role in Role.allCases {
                let session = try await f.signIn(store, role, kind: .web)
                let response = try await client.page(.get, "/disclosures/\(disclosure.id.text)", session: session)
                #expect((response.status == .ok) == Self.disclosureRoles.contains(role), "\(role): \(response.status)")
            }

            // The public page: no sign-in, published public texts only, the same security headers.
            let publicPage = try await client.page(.get, "/public/\(f.city.id.text)", session: nil)
            #expect(publicPage.status == .ok)
            #expect(publicPage.text.contains("市财政局党组关于巡察整改情况的通报") && publicPage.text.contains("一、整改工作总体情况（公开稿）"))
            #expect(publicPage.text.contains("市财政局"))
            for hidden in ["内部张贴", "单位内部公开稿", "江巡办〔2027〕3号", "整改情况属实", "/rectification-reports", "logout"] {
                #expect(!publicPage.text.contains(hidden), "the public never sees \(hidden)")
            }
            #expect(publicPage.headers[.contentSecurityPolicy] == SecurityHeadersMiddleware.contentSecurityPolicy)
            #expect(publicPage.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            let one = try await client.page(.get, "/public/disclosures/\(disclosure.id.text)", session: nil)
            #expect(one.status == .ok && one.text.contains("一、整改工作总体情况（公开稿）"))
            #expect(try await client.page(.get, "/public/disclosures/\(internalOne.id.text)", session: nil).status == .notFound)
            #expect(!(try await client.page(.get, "/public/\(f.countyA.id.text)", session: nil).text.contains("公开稿")), "another committee's page")
            for bad in ["/public/not-a-committee", "/public/\(UUID().uuidString)", "/public/disclosures/x"] {
                #expect(try await client.page(.get, bad, session: nil).status == .notFound, "\(bad)")
            }
            #expect(try await client.page(.get, "/public/\(f.city.id.text)?cursor=bogus", session: nil).status == .badRequest)
        }
    }
}
