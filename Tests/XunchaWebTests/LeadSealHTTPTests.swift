import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// 线索封存 over HTTP: the office reads fieldwork but no lead, so every way it reaches working
/// papers (the API list and filter, search, the exports, the statistics drill-down, the pages)
/// shows a paper handed over as a lead by number and state only.
@Suite("线索封存 over HTTP")
struct LeadSealHTTPTests {
    static let secret = "涉及金额8万元"

    @Test(arguments: TestEngine.available)
    func everyPathTheOfficeReadsPapersByWithholdsALeadPapersSubstance(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let paper = try await LeadPagesTests.approvedFinding(store, s, title: "违规收受礼金")
            let details = LeadDetails(source: .finding, personName: "钱某", personPost: "财务科科长", authority: .committee, subject: .discipline, content: "", evidence: nil)
            _ = try await store.triage(paper.id, as: .lead, note: "涉嫌违纪", lead: details, version: paper.version, origin: f.origin(.groupLeader))

            let office = try await f.signIn(store, .officeStaff).token
            let officePage = try await f.signIn(store, .officeStaff, kind: .web)
            let reads: [(String, TestResponse)] = [
                ("list", try await client.api(.get, "/api/v1/findings?disposition=lead", token: office)),
                ("search", try await client.api(.get, "/api/v1/findings?q=%E6%94%B6%E5%8F%97", token: office)),
                ("single", try await client.api(.get, "/api/v1/findings/\(paper.id.text)", token: office)),
                ("csv", try await client.api(.get, "/api/v1/findings?format=csv", token: office)),
                ("xlsx", try await client.api(.get, "/api/v1/findings?format=xlsx", token: office)),
                ("drill-down", try await client.api(.get, "/api/v1/statistics/records?measure=findings.lead", token: office)),
                ("page", try await client.page(.get, "/findings/\(paper.id.text)", session: officePage)),
                ("list page", try await client.page(.get, "/findings?assignment_id=\(s.assignmentID)&disposition=lead", session: officePage)),
            ]
            for (name, response) in reads {
                #expect(response.status == .ok, "\(name): \(response.status)")
                #expect(!response.text.contains(Self.secret), "\(name) shows the lead's substance")
                #expect(!response.text.contains("违规收受礼金"), "\(name) shows the paper's title")
                #expect(!response.text.contains("钱某"), "\(name) names the person")
            }
            let listed = try #require((try reads[0].1.json()["items"] as? [[String: Any]])?.first)
            #expect(listed["sealed"] as? Bool == true)
            #expect(listed["number"] as? String == paper.number, "the number and state stay visible")
            #expect(listed["disposition"] as? String == "lead")
            #expect((try reads[1].1.json()["items"] as? [[String: Any]])?.isEmpty == true, "a search does not find it")
            #expect(reads[6].1.text.contains("id=\"finding-sealed\""), "the page says why")
            #expect(!reads[6].1.text.contains("id=\"triage-lead\""), "nor offers to change what it cannot read")

            let custodian = try await f.signIn(store, .leadCustodian).token
            let whole = try await client.api(.get, "/api/v1/findings/\(paper.id.text)", token: custodian)
            #expect(whole.text.contains(Self.secret), "the custodian reads it whole")
            #expect(try whole.json()["sealed"] as? Bool == false)
            // The paper names its lead to whoever may read the lead, and to nobody else.
            #expect(try whole.json()["lead_id"] is String)
            #expect(try reads[2].1.json()["lead_id"] is NSNull, "the office is not handed the sealed lead's id")
        }
    }

    /// Every role: those who may read the lead read the paper whole, the office sees it sealed,
    /// everyone else neither lists nor opens it.
    @Test(arguments: TestEngine.available)
    func eachRoleReadsALeadPaperWholeSealedOrNotAtAll(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await FieldworkPagesTests.setUp(store, f, client)
            let paper = try await LeadPagesTests.approvedFinding(store, s, title: "违规收受礼金")
            let details = LeadDetails(source: .finding, personName: "钱某", personPost: "财务科科长", authority: .committee, subject: .discipline, content: "", evidence: nil)
            _ = try await store.triage(paper.id, as: .lead, note: nil, lead: details, version: paper.version, origin: f.origin(.groupLeader))
            let whole: Set<Role> = [.leadCustodian, .leadingGroupMember, .groupLeader, .groupMember]
            for role in Role.allCases {
                let token = try await f.signIn(store, role).token
                let single = try await client.api(.get, "/api/v1/findings/\(paper.id.text)", token: token)
                let list = try await client.api(.get, "/api/v1/findings?disposition=lead", token: token)
                if whole.contains(role) {
                    #expect(single.text.contains(Self.secret), "\(role) reads it whole")
                    #expect(list.text.contains(Self.secret), "\(role)")
                } else if role == .officeStaff {
                    #expect(single.status == .ok && !single.text.contains(Self.secret), "the office sees it sealed")
                    #expect(try single.json()["sealed"] as? Bool == true)
                    #expect(list.status == .ok && !list.text.contains(Self.secret))
                } else {
                    #expect(single.status == .notFound, "\(role) does not learn it exists")
                    #expect(list.status == .forbidden, "\(role)")
                }
            }
        }
    }
}
