import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import XunchaCore
import XunchaSeed
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// 三员分立 over HTTP, on the demo city (every record kind exists): no administrator reaches a
/// business record by any path, alone — lists, single reads, pages, and the password reset.
@Suite("Administrators and business records over HTTP")
struct AdministratorPathsHTTPTests {
    static let administrators: [(String, Role)] = Store.administratorUsernames

    /// Every business list, with the parameters it needs to answer at all.
    static let lists = [
        "/api/v1/units", "/api/v1/rounds", "/api/v1/coverage?term=%E5%8D%81%E4%BA%94%E5%B1%8A", "/api/v1/inspectors", "/api/v1/assignments", "/api/v1/notices",
        "/api/v1/settings", "/api/v1/classifications", "/api/v1/records", "/api/v1/findings", "/api/v1/findings?disposition=lead", "/api/v1/leads",
        "/api/v1/leads?format=csv", "/api/v1/immediate-rectifications", "/api/v1/reports", "/api/v1/feedback", "/api/v1/rectification-plans",
        "/api/v1/rectification-tasks", "/api/v1/rectification-problems", "/api/v1/supervision-checks", "/api/v1/rectification-overdue?by=unit",
        "/api/v1/rectification-reports", "/api/v1/disclosures", "/api/v1/rule-improvements", "/api/v1/evaluations", "/api/v1/follow-ups",
        "/api/v1/statistics", "/api/v1/statistics/summary", "/api/v1/statistics/breakdown?by=unit",
        "/api/v1/statistics/records?measure=findings.lead", "/api/v1/systemic-problems", "/api/v1/thematic-reports", "/api/v1/me/groups",
    ]

    /// Single reads: the route and the table whose rows it opens.
    static let reads: [(String, String)] = [
        ("/api/v1/leads/{id}", "leads"), ("/api/v1/records/{id}", "onsite_records"), ("/api/v1/records/{id}/reporter", "petition_reporters"),
        ("/api/v1/findings/{id}", "findings"), ("/api/v1/immediate-rectifications/{id}", "immediate_rectifications"),
        ("/api/v1/reports/{id}", "reports"), ("/api/v1/feedback/{id}", "feedbacks"), ("/api/v1/rectification-plans/{id}", "rectification_plans"),
        ("/api/v1/rectification-tasks/{id}", "rectification_tasks"), ("/api/v1/rectification-reports/{id}", "rectification_reports"),
        ("/api/v1/disclosures/{id}", "disclosures"), ("/api/v1/evaluations/{id}", "evaluations"), ("/api/v1/rule-improvements/{id}", "rule_improvements"),
        ("/api/v1/follow-ups/{id}", "follow_ups"), ("/api/v1/thematic-reports/{id}", "thematic_reports"), ("/api/v1/assignments/{id}", "assignments"),
        ("/api/v1/records?assignment_id={id}", "assignments"), ("/api/v1/findings?assignment_id={id}", "assignments"),
        ("/api/v1/rounds/{id}", "rounds"), ("/api/v1/notices/{id}", "notices"), ("/api/v1/inspectors/{id}", "inspectors"),
        ("/api/v1/units/{id}", "units"), ("/api/v1/attachments/{id}", "attachments"),
        ("/leads/{id}", "leads"), ("/records/{id}", "onsite_records"), ("/findings/{id}", "findings"), ("/reports/{id}", "reports"),
    ]

    static let pages = ["/leads", "/findings", "/reports", "/feedback", "/ledger", "/statistics", "/rounds", "/units", "/systemic-problems"]

    func withDemo(_ engine: TestEngine, _ body: @Sendable @escaping (Store, any TestClientProtocol) async throws -> Void) async throws {
        try await withDemoCity(engine, body)
    }

    func signIn(_ store: Store, _ name: String, _ password: String = Store.demoPassword) async throws -> String {
        try await demoToken(store, name, password)
    }

    @Test(arguments: TestEngine.available)
    func noAdministratorListsOrReadsAnyBusinessRecord(engine: TestEngine) async throws {
        try await withDemo(engine) { store, client in
            var ids: [String: String] = [:]
            for table in Set(Self.reads.map(\.1)) {
                let column = table == "petition_reporters" ? "record_id" : "id"
                ids[table] = try await store.database.read { db in
                    try await db.raw("SELECT \(unsafeRaw: column) AS id FROM \(unsafeRaw: table) LIMIT 1").first()?.decode(column: "id", as: String.self)
                }
            }
            for table in ["leads", "onsite_records", "petition_reporters", "findings", "reports", "rectification_tasks"] {
                #expect(ids[table] != nil, "the demo has no \(table)")
            }
            for (name, role) in Self.administrators {
                let token = try await signIn(store, name)
                for path in Self.lists {
                    let response = try await client.api(.get, path, token: token)
                    #expect([.forbidden, .notFound].contains(response.status), "\(role) GET \(path): \(response.status)")
                }
                for (template, table) in Self.reads {
                    guard let id = ids[table] else { continue }
                    let path = template.replacingOccurrences(of: "{id}", with: id)
                    let response = template.hasPrefix("/api/")
                        ? try await client.api(.get, path, token: token)
                        : try await client.page(.get, path, session: try await store.signIn(username: name, password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1"))
                    #expect([.forbidden, .notFound].contains(response.status), "\(role) GET \(path): \(response.status)")
                }
                let web = try await store.signIn(username: name, password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1")
                for path in Self.pages {
                    let response = try await client.page(.get, path, session: web)
                    #expect([.forbidden, .notFound].contains(response.status), "\(role) page \(path): \(response.status)")
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theSystemAdministratorCannotResetTheLeadCustodianAndSignInAsThemAlone(engine: TestEngine) async throws {
        try await withDemo(engine) { store, client in
            let custodian = try #require(try await store.userID(username: "xiansuo"))
            let sysadmin = try await signIn(store, "sysadmin")
            let reset = try await client.api(.post, "/api/v1/users/\(custodian.text)/reset-password", token: sysadmin)
            #expect(reset.status == .accepted)
            let body = try reset.json()
            #expect(!(body["one_time_password"] is String), "no password reaches the requester")
            let requestID = try #require(body["id"] as? String)
            // The account is unchanged: its owner's password still works, and nothing the
            // system administrator holds opens it.
            _ = try await signIn(store, "xiansuo")
            #expect(try await client.api(.post, "/api/v1/password-resets/\(requestID)/confirm", token: sysadmin).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/leads", token: sysadmin).status == .forbidden)
            let sysadminPage = try await client.page(.get, "/users", session: try await store.signIn(username: "sysadmin", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1"))
            #expect(sysadminPage.text.contains("待确认的重置密码申请") && !sysadminPage.text.contains("/password-resets/\(requestID)/confirm"))

            // The second administrator sees the request on the users page and confirms it.
            let secadmin = try await signIn(store, "secadmin")
            let pending = try await client.api(.get, "/api/v1/password-resets", token: secadmin)
            #expect((try pending.json()["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [requestID])
            let page = try await client.page(.get, "/users", session: try await store.signIn(username: "secadmin", password: Store.demoPassword, kind: .web, clientAddress: "127.0.0.1"))
            #expect(page.text.contains("/password-resets/\(requestID)/confirm") && page.text.contains("data-confirm"))
            let confirmed = try await client.api(.post, "/api/v1/password-resets/\(requestID)/confirm", token: secadmin)
            #expect(confirmed.status == .ok)
            let password = try #require(try confirmed.json()["one_time_password"] as? String)
            #expect(try await client.api(.get, "/api/v1/leads", token: secadmin).status == .forbidden)

            // The owner is told when and by whom.
            let owner = try await signIn(store, "xiansuo", password)
            let me = try await client.api(.get, "/api/v1/me", token: owner)
            let notice = try #require(try me.json()["password_reset_notice"] as? String)
            #expect(notice.contains("sysadmin") && notice.contains("secadmin"))
            let web = try await store.signIn(username: "xiansuo", password: password, kind: .web, clientAddress: "127.0.0.1")
            try await store.changePassword(current: password, new: "Owner#Pass2026", keepingSession: web.token, origin: RequestOrigin(actor: web.session.actor))
            #expect(try await client.page(.get, "/", session: web).text.contains("id=\"reset-notice\""))
            #expect(try await client.api(.post, "/api/v1/me/password-reset-notice/acknowledge", token: try await signIn(store, "xiansuo", "Owner#Pass2026")).status == .noContent)
            #expect(try await !client.page(.get, "/", session: web).text.contains("id=\"reset-notice\""))
            let audit = try await signIn(store, "auditadmin")
            let trail = try await client.api(.get, "/api/v1/audit?target=\(custodian.text)", token: audit)
            let actions = (try trail.json()["items"] as? [[String: Any]])?.compactMap { $0["action"] as? String } ?? []
            #expect(actions.contains("user.reset_password.request") && actions.contains("user.reset_password.confirm"))
        }
    }

    @Test(arguments: TestEngine.available)
    func aRefusalAnswersWithTheProjectsErrorBodyOnceDecided(engine: TestEngine) async throws {
        try await withDemo(engine) { store, client in
            let custodian = try #require(try await store.userID(username: "xiansuo"))
            let sysadmin = try await signIn(store, "sysadmin")
            let requestID = try #require(try await client.api(.post, "/api/v1/users/\(custodian.text)/reset-password", token: sysadmin).json()["id"] as? String)
            let again = try await client.api(.post, "/api/v1/users/\(custodian.text)/reset-password", token: sysadmin)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "reset_already_requested")
            let secadmin = try await signIn(store, "secadmin")
            let refused = try await client.api(.post, "/api/v1/password-resets/\(requestID)/refuse", token: secadmin, json: #"{"reason": "本人未申请"}"#)
            #expect(refused.status == .ok)
            #expect(try refused.json()["status"] as? String == "refused")
            let late = try await client.api(.post, "/api/v1/password-resets/\(requestID)/confirm", token: secadmin)
            #expect(late.status == .conflict)
            #expect(late.errorCode == "reset_not_pending")
            _ = try await signIn(store, "xiansuo")
        }
    }
}
