import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

@Suite("表单留在原址、办理结果、巡察任务一览与公开页")
struct FormAddressAndHubTests {
    /// A refused form comes back at the form page's address, with what was typed; a reload of that
    /// address shows it again, and no other session can read it.
    @Test(arguments: TestEngine.available)
    func aRefusedFormIsShownAgainAtTheFormsOwnAddress(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let form = try await client.page(.get, "/rounds/new", session: office)
            #expect(form.text.contains("<input type=\"hidden\" name=\"_page\" value=\"/rounds/new\">"), "the form names its page")

            let typed = [
                ("_csrf", office.session.csrfToken), ("_page", "/rounds/new"), ("term", "十五届"), ("sequence", "x"), ("kind", "routine"),
                ("planned_start", "2026-03-01"), ("planned_end", "2026-06-30"), ("max_units_per_group", "3"),
            ]
            let refused = try await client.page(.post, "/rounds", session: office, form: typed)
            #expect(refused.status == .seeOther)
            let location = try #require(refused.headers[.location])
            #expect(location.hasPrefix("/rounds/new?shown="), "the browser lands on the form's own address: \(location)")
            let shown = try await client.page(.get, location, session: office)
            #expect(shown.status == .badRequest)
            #expect(shown.text.contains("轮次序号"))
            #expect(shown.text.contains("value=\"十五届\""), "what was typed comes back")
            #expect(shown.text.contains("name=\"_page\" value=\"/rounds/new\""), "posted again, it is refused at the same address")
            #expect(try await client.page(.get, location, session: office).status == .badRequest, "a reload shows it again")
            let other = try await f.signIn(store, .officeStaff, kind: .web)
            let elsewhere = try await client.page(.get, location, session: other)
            #expect(elsewhere.status == .ok && !elsewhere.text.contains("value=\"十五届\""), "another session sees the empty form")

            // A step form on a record's page comes back at the record's page.
            let round = try await store.createRound(
                try RoundDraft.validate(
                    term: "十五届", sequence: 2, kind: "routine", theme: nil, plannedStart: "2026-03-01", plannedEnd: "2026-06-30", maxUnitsPerGroup: nil,
                    defaultMaxUnitsPerGroup: 3),
                in: f.city.id, origin: f.origin(.officeStaff))
            let path = "/rounds/\(round.id.text)"
            let stale = try await client.page(
                .post, path + "/steps", session: office, form: [("_csrf", office.session.csrfToken), ("_page", path), ("step", "submit_for_review"), ("version", "9")])
            #expect(stale.status == .seeOther)
            let staleAt = try #require(stale.headers[.location])
            #expect(staleAt.hasPrefix(path + "?shown="))
            let staleShown = try await client.page(.get, staleAt, session: office)
            #expect(staleShown.status == .conflict && staleShown.text.contains("记录已被他人修改"))

            // Without the page's address (a client of its own), the refusal answers where it was posted.
            let direct = try await client.page(.post, "/rounds", session: office, form: typed.filter { $0.0 != "_page" })
            #expect(direct.status == .badRequest)
            // Only a local address is followed.
            let away = try await client.page(.post, "/rounds", session: office, form: typed.map { $0.0 == "_page" ? ($0.0, "//evil.example/") : $0 })
            #expect(away.status == .badRequest)
        }
    }

    /// An upload (multipart) refused on a record's page comes back at the record's page too.
    @Test(arguments: TestEngine.available)
    func aRefusedUploadIsShownAgainAtItsPage(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            #expect(try await client.page(
                .post, "/assignments/\(s.assignmentID)/records", session: member, form: LeadPagesTests.form(member, FieldworkPagesTests.petition(s))
            ).status == .seeOther)
            let recordID = try #require(try await store.onSiteRecords(RecordQuery(), for: f.actor(.officeStaff)).items.first?.id.text)
            let path = "/records/\(recordID)"
            let refused = try await LeadPagesTests.upload(client, "\(path)/attachments", session: member, fields: [("_page", path)], file: nil)
            #expect(refused.status == .seeOther)
            let location = try #require(refused.headers[.location])
            #expect(location.hasPrefix(path + "?shown="))
            let shown = try await client.page(.get, location, session: member)
            #expect(shown.status == .badRequest && shown.text.contains("证据文件"))
            let saved = try await LeadPagesTests.upload(
                client, "\(path)/attachments", session: member, fields: [("_page", path)], file: ("会计凭证.pdf", Data("%PDF-1.4\n%\u{e2}\u{e3}\n1 0 obj\n".utf8)))
            #expect(saved.status == .seeOther && saved.headers[.location] == path + "?notice=file_attached")
        }
    }

    /// A success names what was done to what, for steps of any chain and for create and edit forms.
    @Test(arguments: TestEngine.available)
    func aSuccessSaysWhatWasDoneToWhichRecord(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            func followed(_ response: TestResponse, _ session: SignIn) async throws -> String {
                let location = try #require(response.headers[.location])
                #expect(location.contains("said="), "\(location)")
                return try await client.page(.get, location, session: session).text
            }
            let csrf = ("_csrf", office.session.csrfToken)
            let unit = try await client.page(.post, "/units", session: office, form: [csrf, ("name", "市审计局"), ("type", "department"), ("party_organisation", "leadership_group")])
            #expect(try await followed(unit, office).contains("已新建：被巡察单位 市审计局。"))

            let round = try await store.createRound(
                try RoundDraft.validate(
                    term: "十五届", sequence: 2, kind: "routine", theme: nil, plannedStart: "2026-03-01", plannedEnd: "2026-06-30", maxUnitsPerGroup: nil,
                    defaultMaxUnitsPerGroup: 3),
                in: f.city.id, origin: f.origin(.officeStaff))
            let step = try await client.page(
                .post, "/rounds/\(round.id.text)/steps", session: office, form: [csrf, ("step", "submit_for_review"), ("version", "1")])
            #expect(try await followed(step, office).contains("已办理「提交领导小组审议」：轮次 \(round.title)，轮次状态已更新。"))
            // The notice code alone (an old link) keeps its own words.
            #expect(try await client.page(.get, "/rounds/\(round.id.text)?notice=step_taken", session: office).text.contains("已办理，轮次状态已更新"))
            // Another session cannot read the sentence.
            let location = try #require(step.headers[.location])
            let other = try await f.signIn(store, .officeStaff, kind: .web)
            #expect(!(try await client.page(.get, location, session: other).text.contains("提交领导小组审议」")))

            // A notice that says more keeps it and names the record.
            let s = try await Scenario.onSite(store, f)
            let member = try await f.signIn(store, .groupMember, kind: .web)
            let paper = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            let submitted = try await client.page(
                .post, "/findings/\(paper.id.text)/steps", session: member,
                form: [("_csrf", member.session.csrfToken), ("step", "submit"), ("version", String(paper.version))])
            #expect(try await followed(submitted, member).contains("底稿已提交组务会审议：底稿 市财政局。"))
        }
    }

    static let fieldworkLines = ["个别谈话", "信访件", "问题底稿（", "问题线索"]

    /// The assignment page counts its records within each reader's scope; a unit sees none of the
    /// group's fieldwork, leads or papers.
    @Test(arguments: TestEngine.available)
    func theAssignmentPageCountsItsRecordsForEachReader(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let issued = try await Scenario.feedbackIssued(store, f)
            let s = issued.onSite
            _ = try await store.recordOnSite(
                .documentReview, content: RecordContent(subject: "2025年会计凭证", occurredOn: try CalendarDay(text: "2026-12-12", field: "d", label: "d"), body: "调阅凭证"),
                inspectors: [(s.memberID, .lead)], reporter: nil, in: s.finance.id, origin: s.member)
            _ = try await s.atFinance.registeredLead(store)
            let path = "/assignments/\(s.finance.id.text)"
            var seen = 0
            for role in Role.allCases {
                let session = try await f.signIn(store, role, kind: .web)
                let page = try await client.page(.get, path, session: session)
                guard page.status == .ok else { continue }
                seen += 1
                let actor = f.actor(role)
                let hub = try await store.assignmentHub(s.finance.id, for: actor)
                #expect((hub.records != nil) == store.policy.allowsAnywhere(actor, .viewFieldwork), "\(role)")
                #expect((hub.leads != nil) == store.policy.allowsAnywhere(actor, .viewLeads), "\(role)")
                #expect(page.text.contains(">问题线索</a>") == (hub.leads != nil), "\(role)")
                #expect(page.text.contains(">调阅资料</a>") == (hub.records != nil), "\(role)")
                if role.isUnitRole {
                    for line in Self.fieldworkLines { #expect(!page.text.contains(line), "\(role) must not see \(line)") }
                    #expect(hub.records == nil && hub.findings == nil && hub.leads == nil)
                }
                if let findings = hub.findings {
                    #expect(findings[.approved] == 2, "\(role): \(findings)")
                    #expect(page.text.contains("问题底稿（已审定）</a></td><td class=\"num\">2</td>"), "\(role)")
                }
                if let records = hub.records { #expect(records[.documentReview] == 1 && records[.interview] == nil, "\(role)") }
                if hub.feedback != nil { #expect(page.text.contains("href=\"/feedback/\(issued.feedback.id.text)\""), "\(role)") }
            }
            #expect(seen >= 3)
        }
    }

    /// The public page: a header with the site's title, the committee's name in its address, a footer;
    /// the address by id still answers and names the readable one.
    @Test(arguments: TestEngine.available)
    func thePublicPageHasAHeaderAReadableAddressAndAFooter(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let readable = "/public/" + ListLink.encode(f.city.name)
            let page = try await client.page(.get, readable, session: nil)
            #expect(page.status == .ok)
            #expect(page.text.contains("<header class=\"public-header\">") && page.text.contains("\(f.city.name)巡察工作"))
            #expect(page.text.contains("<footer class=\"public-footer\">"))
            #expect(page.text.contains("<link rel=\"canonical\" href=\"\(readable)\">"))
            let byID = try await client.page(.get, "/public/\(f.city.id.text)", session: nil)
            #expect(byID.status == .ok && byID.text.contains("<link rel=\"canonical\" href=\"\(readable)\">"), "the first address still answers")
            #expect(try await client.page(.get, "/public/" + ListLink.encode("没有这个党委"), session: nil).status == .notFound)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            #expect(try await client.page(.get, "/disclosures", session: office).text.contains("href=\"\(readable)\""), "the office links the readable address")
        }
    }
}
